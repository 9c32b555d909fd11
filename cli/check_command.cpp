#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <string>

#include "api/inspect.h"
#include "cli/commands.h"
#include "compiler/front/driver.h"
#include "compiler/plan/lower.h"
#include "compiler/plan/plan.h"
#include "dsl/ast_dump.h"

namespace tusk::cli {
namespace {

struct CheckArgs {
  std::string path;
  std::string format = "text";
  bool deny_warnings = false;
  std::vector<std::string> allow;
  std::string dump;
  std::string stdlib;
};

int run_check(const CheckArgs& args) {
  if (!std::filesystem::exists(args.path)) {
    fmt::print(stderr, "error: no such file or directory: {}\n", args.path);
    return kExitUsage;
  }
  compiler::front::CheckOptions options;
  options.stdlib_dir = args.stdlib.empty() ? compiler::front::default_stdlib_dir() : args.stdlib;
  options.allow = args.allow;
  auto pack = compiler::front::load_pack(args.path, options);

  if (args.dump == "ast") {
    for (const auto& file : pack->files) fmt::print("{}", dsl::dump_ast(file, pack->sources));
  } else if (args.dump == "plan" && pack->checked && !pack->diags.has_errors()) {
    fmt::print("{}", compiler::plan::dump_plan(*compiler::plan::build_plan(*pack->checked)));
  } else if (args.dump == "ir" && pack->checked && !pack->diags.has_errors()) {
    std::string error;
    const std::string ir = tusk::inspect::dump_ir(*compiler::plan::build_plan(*pack->checked), &error);
    if (ir.empty()) {
      fmt::print(stderr, "error: cannot show the IR: {}\n", error);
      return kExitUsage;
    }
    fmt::print("{}", ir);
  }

  const bool color = args.format == "text" && isatty(fileno(stderr)) && std::getenv("NO_COLOR") == nullptr;
  if (args.format == "json") {
    fmt::print("{}", base::render_json(pack->diags, pack->sources));
  } else {
    fmt::print(stderr, "{}", base::render_text(pack->diags, pack->sources, {.color = color}));
  }
  const std::size_t errors = pack->diags.error_count();
  const std::size_t warnings = pack->diags.warning_count();
  const bool failed = errors > 0 || (args.deny_warnings && warnings > 0);
  if (args.format == "text") {
    fmt::print(stderr, "{}: {} error{}, {} warning{}{}\n", failed ? "check failed" : "check passed", errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
               (args.deny_warnings && warnings > 0 && errors == 0) ? " (warnings denied)" : "");
  }
  // Nothing could be read (no pack.yaml, unreadable main file): an I/O failure, not findings.
  if (pack->files.empty() && errors > 0) return kExitUsage;
  if (errors > 0) return kExitPackErrors;
  return failed ? kExitFindings : kExitOk;
}

}  // namespace

Action add_check_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "Parse and check a pack; report every error and warning.");
  cmd->add_option("pack", args->path, "Pack directory (with pack.yaml) or a single .tusk file")->required();
  cmd->add_option("--format", args->format,
                  "Diagnostics as `text` (rustc-style, on stderr) or `json` (on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--deny-warnings", args->deny_warnings, "Exit 1 when there are warnings (and no errors)");
  cmd->add_option("--allow", args->allow,
                  "Switch off a warning by code or name (W003, unused-lexicon); repeatable")
      ->delimiter(',');
  cmd->add_option("--dump", args->dump,
                  "Also print an internal form on stdout: `ast` (the parsed tree) or `plan` (what the "
                  "backends run) or `ir` (the JIT's unoptimized LLVM IR)")
      ->check(CLI::IsMember({"ast", "plan", "ir"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "Exit status: 0 clean (warnings allowed unless --deny-warnings); 1 warnings with --deny-warnings; 2 "
      "usage or I/O errors; 3 errors in the pack.");
  return [args] { return run_check(*args); };
}

}  // namespace tusk::cli
