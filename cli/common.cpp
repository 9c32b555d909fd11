#include "cli/common.h"

#include "cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "bundle/bundle.h"

namespace tusk::cli {

bool stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

std::shared_ptr<const Pack> load_pack_or_report(const std::string& path, const std::string& stdlib,
                                                const std::string& backend) {
  if (!std::filesystem::exists(path)) {
    fmt::print(stderr, "error: no such pack: {}\n", path);
    return nullptr;
  }
  CompileOptions options;
  options.stdlib_dir = stdlib;
  options.backend = backend == "jit"      ? Backend::kJit
                    : backend == "interp" ? Backend::kInterp
                                          : Backend::kAuto;
  CompileResult result = Pack::compile(path, options);
  bool errors = false;
  for (const auto& d : result.diagnostics) errors |= d.severity == "error";
  if (errors) {
    fmt::print(stderr, "{}", result.rendered);
    fmt::print(stderr, "error: the pack {} has errors; run `tusk check {}`\n", path, path);
    return nullptr;
  }
  return result.pack;
}

std::shared_ptr<const Pack> load_bundle_or_report(const std::string& path, const std::string& public_key_file,
                                                  const std::string& backend) {
  bundle::VerifyOptions options;
  options.public_key_file = public_key_file;
  options.compile.backend = backend == "jit"      ? Backend::kJit
                            : backend == "interp" ? Backend::kInterp
                                                  : Backend::kAuto;
  bundle::LoadResult r = bundle::load_bundle(path, options);
  if (!r.pack) {
    fmt::print(stderr, "error: {}\n", r.error);
    if (r.status == bundle::Status::kInvalid) {
      fmt::print(stderr, "run `tusk bundle verify {}` for every problem\n", path);
    }
  }
  return r.pack;
}

int pack_failure_exit(const std::string& path) {
  return std::filesystem::exists(path) ? kExitPackErrors : kExitUsage;
}

}  // namespace tusk::cli
