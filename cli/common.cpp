#include "cli/common.h"

#include "cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "bundle/bundle.h"

namespace tusk::cli {
namespace {
// Set when the last pack failed to load for a reason that is not in the pack (the JIT module
// missing, a cache that cannot be built): pack_failure_exit then does not blame the pack.
bool g_failure_not_in_pack = false;
}  // namespace

bool stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

std::uint64_t native_after_for(const std::vector<std::string>& inputs) {
  std::uint64_t bytes = 0;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in == "-" || !std::filesystem::is_regular_file(in, ec)) return kNativeAfter;
    bytes += std::filesystem::file_size(in, ec);
    if (ec) return kNativeAfter;
  }
  return !inputs.empty() && bytes >= kNativeBeforeBytes ? 0 : kNativeAfter;
}

std::shared_ptr<const Pack> load_pack_or_report(const std::string& path, const std::string& stdlib,
                                                const std::string& backend, std::uint64_t native_after) {
  if (!std::filesystem::exists(path)) {
    fmt::print(stderr, "error: no such pack: {}\n", path);
    return nullptr;
  }
  CompileOptions options;
  options.stdlib_dir = stdlib;
  options.backend = backend == "jit"      ? Backend::kJit
                    : backend == "interp" ? Backend::kInterp
                                          : Backend::kAuto;
  options.native_after = native_after;
  CompileResult result = Pack::compile(path, options);
  bool errors = false, in_pack = false;
  for (const auto& d : result.diagnostics) {
    errors |= d.severity == "error";
    in_pack |= d.severity == "error" && d.code != "internal";
  }
  if (errors && !in_pack) {
    fmt::print(stderr, "{}", result.rendered);
    g_failure_not_in_pack = true;
    return nullptr;
  }
  if (errors) {
    fmt::print(stderr, "{}", result.rendered);
    fmt::print(stderr, "error: the pack {} has errors; run `tusk check {}`\n", path, path);
    return nullptr;
  }
  return result.pack;
}

std::shared_ptr<const Pack> load_bundle_or_report(const std::string& path, const std::string& public_key_file,
                                                  const std::string& backend, std::uint64_t native_after) {
  bundle::VerifyOptions options;
  options.public_key_file = public_key_file;
  options.compile.backend = backend == "jit"      ? Backend::kJit
                            : backend == "interp" ? Backend::kInterp
                                                  : Backend::kAuto;
  options.compile.native_after = native_after;
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
  return std::filesystem::exists(path) && !g_failure_not_in_pack ? kExitPackErrors : kExitUsage;
}

}  // namespace tusk::cli
