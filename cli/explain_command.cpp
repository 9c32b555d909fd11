// `tusk explain`: why a pack decided what it did about one listing, for people.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "tools/explain.h"

namespace tusk::cli {
namespace {

struct ExplainArgs {
  std::string pack;
  std::string listing;
  std::string stdlib;
  std::string backend = "auto";
};

int run_explain(const ExplainArgs& args) {
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend);
  if (!pack) return kExitUsage;
  std::string json;
  if (args.listing == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    json = ss.str();
  } else {
    std::ifstream in(args.listing, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "error: cannot read {}\n", args.listing);
      return kExitUsage;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    json = ss.str();
  }
  while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) json.pop_back();

  bool readable = false;
  fmt::print("{}", runtime::explain_listing(pack, json, readable));
  return readable ? kExitOk : kExitFindings;
}

}  // namespace

Action add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Show, step by step, how a pack decides about one listing.");
  cmd->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")->required();
  cmd->add_option("listing", args->listing, "A file holding one listing as a JSON object (`-` for standard input)")
      ->required();
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib, "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "Prints the normalized text of each field, every hit highlighted in the original text, each rule's "
      "condition with the value of every sub-expression, the score sum and the decide branch taken.\n"
      "Exit status: 0 explained; 1 the listing cannot be read; 2 usage, I/O or pack errors.");
  return [args] { return run_explain(*args); };
}

}  // namespace tusk::cli
