// `tusk labels export`: reviewer decisions as a labels file (and its corpus) for `tusk eval`.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "store/labels.h"

namespace tusk::cli {
namespace {

struct LabelsArgs {
  std::string store, since, output, corpus;
};

// reviewed.labels.jsonl -> reviewed.jsonl (the examples' naming); x.jsonl -> x.corpus.jsonl.
std::string default_corpus(const std::string& labels) {
  const std::string suffix = ".labels.jsonl";
  if (labels.size() > suffix.size() &&
      labels.compare(labels.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return labels.substr(0, labels.size() - suffix.size()) + ".jsonl";
  }
  const auto dot = labels.rfind(".jsonl");
  return (dot != std::string::npos && dot + 6 == labels.size() ? labels.substr(0, dot) : labels) +
         ".corpus.jsonl";
}

int run_labels(const LabelsArgs& args) {
  std::string since = "0000-01-01T00:00:00.000Z";
  if (!args.since.empty()) {
    auto t = store::parse_utc(args.since);
    if (!t) {
      fmt::print(stderr, "error: --since {}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)\n",
                 args.since);
      return kExitUsage;
    }
    since = *t;
  }
  const std::string corpus = args.corpus.empty() ? default_corpus(args.output) : args.corpus;
  try {
    auto db = store::Store::open(args.store);
    const auto r = store::export_labels(*db, since, args.output, corpus);
    fmt::print(
        stderr,
        "wrote {} label{} ({} confirmed -> block, {} dismissed -> allow) to {} and their records to {}\n",
        r.labels, r.labels == 1 ? "" : "s", r.confirmed, r.dismissed, args.output, corpus);
    return kExitOk;
  } catch (const store::StoreError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

}  // namespace

Action add_labels_command(CLI::App& app) {
  auto args = std::make_shared<LabelsArgs>();
  auto* cmd = app.add_subcommand("labels", "Reviewer decisions as labels for `tusk eval` and `tusk diff`.");
  cmd->require_subcommand(1);
  auto* exp = cmd->add_subcommand(
      "export", "Write the reviewed verdicts as a labels file and their records as a corpus.");
  exp->add_option("--store", args->store, "Verdict store: sqlite:PATH or postgresql://...")->required();
  exp->add_option("--since", args->since,
                  "Only decisions made at or after this UTC time (YYYY-MM-DD[THH:MM:SSZ])");
  exp->add_option("-o,--output", args->output, "The labels file (JSONL)")->required();
  exp->add_option(
      "--corpus", args->corpus,
      "The records file (default: X.jsonl for X.labels.jsonl, else the output name with .corpus.jsonl)");
  exp->footer(
      "One label per listing id, from its latest decision: confirm -> {\"expected\":\"block\"}, dismiss -> "
      "{\"expected\":\"allow\"}; escalated items are not labels yet. Then: tusk eval --pack P --labels "
      "LABELS CORPUS.");
  return [args] { return run_labels(*args); };
}

}  // namespace tusk::cli
