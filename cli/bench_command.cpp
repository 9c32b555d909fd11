// `tusk bench`: throughput and a per-rule and per-pattern cost profile of a pack over a corpus.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/corpus.h"
#include "tools/rule_profile.h"

namespace tusk::cli {
namespace {

struct BenchArgs {
  std::string pack;
  std::vector<std::string> inputs;
  std::string format = "text";
  double seconds = 1.0;
  std::size_t top = 10;
  std::size_t max_records = 20000;
  bool deny_lint = false;
  std::string stdlib;
  std::string backend = "auto";
};

int run_bench(const BenchArgs& args) {
  // A benchmark measures the backend it names from its first listing on.
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend, /*native_after=*/0);
  if (!pack) return pack_failure_exit(args.pack);
  std::vector<std::string> lines;
  if (std::string e = for_each_line(args.inputs, [&](std::string_view l) { lines.emplace_back(l); });
      !e.empty()) {
    fmt::print(stderr, "error: {}\n", e);
    return kExitUsage;
  }
  if (lines.empty()) {
    fmt::print(stderr, "error: the corpus is empty\n");
    return kExitUsage;
  }
  tools::BenchReport report = tools::run_bench(
      pack, lines, {.min_seconds = args.seconds, .top = args.top, .max_records = args.max_records});
  report.corpus = corpus_name(args.inputs);
  fmt::print("{}", args.format == "json" ? report.json() + "\n" : report.text(args.top));
  return args.deny_lint && !report.lint.empty() ? kExitFindings : kExitOk;
}

}  // namespace

Action add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Measure a pack's throughput and profile the cost of each rule, lexicon and regex.");
  cmd->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")
      ->required();
  cmd->add_option("corpus", args->inputs,
                  "JSONL listings (read into memory); `-` or nothing reads standard input");
  cmd->add_option("--format", args->format, "Report as `text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--seconds", args->seconds,
                  "Repeat the corpus for at least this long when measuring throughput (default 1)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--top", args->top, "How many rules and lexicons/regexes to list (default 10)");
  cmd->add_option("--profile-records", args->max_records,
                  "Records used for the per-rule and per-pattern profile (default 20000)");
  cmd->add_flag("--deny-lint", args->deny_lint,
                "Exit 1 when the lint finds patterns that make scanning slow");
  cmd->add_option("--backend", args->backend,
                  "Condition evaluator for the throughput loop: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "Throughput is the whole pipeline on one thread (decode, normalize, scan, evaluate, verdict), in "
      "records/s and "
      "MB/s of JSON. Per rule: each condition evaluated alone by the reference interpreter, as a share of "
      "the time of "
      "all conditions, with evaluations and how often it fired. Per lexicon and regex: its patterns compiled "
      "alone "
      "into their own database and scanned over the corpus's normalized text (shares of the sum; the "
      "combined "
      "database is cheaper than the sum). The lint names unbounded regex repeats, big bounded repeats, fuzzy "
      "terms "
      "(edit distance 2+), very short terms and prefixes, patterns that match several times per listing and "
      "any "
      "pattern taking over a quarter of the scan time.\n"
      "Exit status: 0 measured; 1 lint findings with --deny-lint; 2 usage or I/O errors; 3 errors in the "
      "pack.");
  return [args] { return run_bench(*args); };
}

}  // namespace tusk::cli
