// `tusk diff`: shadow-compare two pack versions over a corpus before rollout.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/corpus.h"
#include "tools/shadow_diff.h"
#include "tools/test_runner.h"

namespace tusk::cli {
namespace {

struct DiffArgs {
  std::string old_pack, new_pack;
  std::vector<std::string> inputs;
  std::string format = "text";
  std::size_t samples = 3;
  long long max_changed = -1;
  std::string stdlib;
  std::string backend = "auto";
};

int run_diff(const DiffArgs& args) {
  const std::uint64_t native_after = native_after_for(args.inputs);
  auto old_pack = load_pack_or_report(args.old_pack, args.stdlib, args.backend, native_after);
  if (!old_pack) return pack_failure_exit(args.old_pack);
  auto new_pack = load_pack_or_report(args.new_pack, args.stdlib, args.backend, native_after);
  if (!new_pack) return pack_failure_exit(args.new_pack);
  tools::ShadowDiff diff(old_pack, new_pack, {.samples = args.samples});
  if (std::string e = for_each_line(args.inputs, [&](std::string_view line) { diff.add(line); });
      !e.empty()) {
    fmt::print(stderr, "error: {}\n", e);
    return kExitUsage;
  }
  const tools::DiffReport report = diff.finish(corpus_name(args.inputs));
  fmt::print("{}", args.format == "json" ? report.json() + "\n" : report.text());
  // The candidate pack's `limits: {max_changed: N}` is the default gate.
  long long max_changed = args.max_changed;
  if (max_changed < 0) {
    if (auto m = tools::workflow_settings(args.new_pack).max_changed) {
      max_changed = static_cast<long long>(*m);
    }
  }
  if (max_changed >= 0 && report.changed > static_cast<unsigned long long>(max_changed)) {
    fmt::print(stderr, "{} listing{} change action, more than --max-changed {}\n", report.changed,
               report.changed == 1 ? "" : "s", max_changed);
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

Action add_diff_command(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare the verdicts of two pack versions over a corpus (shadow run before rollout).");
  cmd->add_option("--old", args->old_pack, "The pack in production: directory with pack.yaml or a .tusk file")
      ->required();
  cmd->add_option("--new", args->new_pack, "The candidate pack")->required();
  cmd->add_option("corpus", args->inputs, "JSONL listings; `-` or nothing reads standard input");
  cmd->add_option("--format", args->format, "Report as `text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--samples", args->samples, "Sample listings shown per transition (default 3)");
  cmd->add_option(
         "--max-changed", args->max_changed,
         "Exit 1 when more than N listings change action (a CI gate). Default: `limits: {max_changed: N}` in "
         "the new pack's pack.yaml")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "Reports the count of each action transition (allow -> review, review -> block, ...) with the rules "
      "newly "
      "fired and no longer fired on those listings, the score distribution before and after (mean, p50, p90, "
      "max; "
      "how many scores went up or down), every rule whose firing count changed, and sample listings per "
      "transition "
      "with the evidence of the rules that changed.\n"
      "Exit status: 0 compared (and within --max-changed); 1 more listings changed action than "
      "--max-changed; "
      "2 usage or I/O errors; 3 errors in either pack.");
  return [args] { return run_diff(*args); };
}

}  // namespace tusk::cli
