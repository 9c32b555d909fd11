// `tusk eval`: precision, recall and the confusion matrix of a pack over a labelled corpus.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/corpus.h"
#include "tools/labelled_eval.h"

namespace tusk::cli {
namespace {

struct EvalArgs {
  std::string pack;
  std::string labels;
  std::vector<std::string> inputs;
  std::string format = "text";
  std::size_t top = 5;
  double min_precision = -1, min_recall = -1;
  std::string stdlib;
  std::string backend = "auto";
  std::string record_shape = "listing";
};

int run_eval(const EvalArgs& args) {
  std::map<std::string, tools::Label> labels;
  if (std::string e = tools::read_labels(args.labels, labels); !e.empty()) {
    fmt::print(stderr, "error: {}\n", e);
    return kExitUsage;
  }
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend, native_after_for(args.inputs));
  if (!pack) return pack_failure_exit(args.pack);
  const RecordShape shape = args.record_shape == "post" ? RecordShape::kPost : RecordShape::kListing;
  tools::LabelledEval eval(pack, std::move(labels), {.top = args.top, .shape = shape});
  if (std::string e = for_each_line(args.inputs, [&](std::string_view line) { eval.add(line); });
      !e.empty()) {
    fmt::print(stderr, "error: {}\n", e);
    return kExitUsage;
  }
  const tools::EvalReport report = eval.finish(corpus_name(args.inputs));
  fmt::print("{}", args.format == "json" ? report.json() + "\n" : report.text());
  bool below = false;
  if (args.min_precision >= 0 && report.precision() < args.min_precision) {
    fmt::print(stderr, "precision {:.3f} is below the minimum {}\n", report.precision(), args.min_precision);
    below = true;
  }
  if (args.min_recall >= 0 && report.recall() < args.min_recall) {
    fmt::print(stderr, "recall {:.3f} is below the minimum {}\n", report.recall(), args.min_recall);
    below = true;
  }
  return below ? kExitFindings : kExitOk;
}

}  // namespace

Action add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand(
      "eval", "Measure a pack against a labelled corpus: precision, recall, confusion matrix.");
  cmd->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")
      ->required();
  cmd->add_option("--labels,-l", args->labels,
                  "JSONL labels by listing id: {\"id\",\"label\":\"positive|negative\"} or "
                  "{\"id\",\"expected\":\"block|review|allow\"}")
      ->required();
  cmd->add_option("corpus", args->inputs, "JSONL listings; `-` or nothing reads standard input");
  cmd->add_option("--format", args->format, "Report as `text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--record-shape", args->record_shape,
                  "How corpus lines are read: listing (default) or post (docs/records.md)")
      ->check(CLI::IsMember({"listing", "post"}));
  cmd->add_option("--top", args->top, "How many false positives and false negatives to show (default 5)");
  cmd->add_option("--min-precision", args->min_precision,
                  "Exit 1 when precision (flagged vs positive) is below this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--min-recall", args->min_recall, "Exit 1 when recall is below this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "A listing is flagged when the pack's action is review or block; a label is positive when it says "
      "positive "
      "or expects review or block. With expected-action labels the report also gives precision, recall and "
      "F1 per "
      "action. Per rule: how many labelled positives and negatives it fired on, and their ratio (S/O). Then "
      "the "
      "top false positives and false negatives with their evidence.\n"
      "Exit status: 0 evaluated; 1 below --min-precision or --min-recall; 2 usage or I/O errors; 3 errors in "
      "the pack.");
  return [args] { return run_eval(*args); };
}

}  // namespace tusk::cli
