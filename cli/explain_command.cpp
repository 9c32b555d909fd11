// `tusk explain`: why a pack decided what it did about one listing, for people.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/plan/plan.h"
#include "api/inspect.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "tools/explain.h"
#include "tusk/scanner.h"

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

  Scanner scanner(pack);
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  std::string error;
  if (!s.evaluate(json, error)) {
    fmt::print("the listing cannot be read: {}\n", error);
    return kExitFindings;
  }
  const compiler::Plan& plan = *s.compiled().plan;
  const compiler::Interpreter interp(plan, tusk::inspect::host_table());
  Verdict verdict;
  s.fill_verdict(verdict);

  fmt::print("listing {}  (pack {} {}, digest {})\n\n", verdict.id.empty() ? "(no id)" : verdict.id, plan.name,
             plan.version, plan.digest.substr(0, 12));
  fmt::print("== text\n");
  for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
    if (!((plan.text_fields >> f) & 1u) || !s.record().present(f)) continue;
    fmt::print("{}:\n  original:   {}\n", plan.fields[f].path, runtime::highlight(s.field_text(f), s.hits(), f));
    for (std::uint32_t p = 0; p < s.compiled().passes.size(); ++p) {
      if (!((s.compiled().passes[p].fields >> f) & 1u)) continue;
      fmt::print("  normalized ({}): {}\n", s.compiled().passes[p].profile->name, s.normalized(p, f).text);
    }
  }
  fmt::print("\n== hits\n");
  if (s.hits().empty()) fmt::print("(none)\n");
  for (const auto& h : s.hits()) fmt::print("{}\n", runtime::hit_line(s, h));
  fmt::print("\n== rules\n");
  for (std::size_t r = 0; r < plan.rules.size(); ++r) {
    const auto& rule = plan.rules[r];
    const bool fired = s.result().fired[r] != 0;
    fmt::print("{} {}{}\n", fired ? "FIRED  " : "not    ", rule.name, fired ? fmt::format("  score {:+}", rule.score) : "");
    std::string tree;
    runtime::append_tree(tree, s, interp, rule.when, 2);
    fmt::print("{}", tree);
  }
  fmt::print("\n== score\n");
  std::string sum;
  for (const auto& fr : verdict.fired) sum += fmt::format("{}{} ({})", sum.empty() ? "" : " + ", fr.score, fr.rule);
  fmt::print("{} = {}\n", sum.empty() ? "no rule fired" : sum, verdict.score);
  fmt::print("\n== decide\n");
  for (std::size_t b = 0; b < plan.decide.size(); ++b) {
    const auto& branch = plan.decide[b];
    const bool taken = s.result().branch == static_cast<std::int32_t>(b);
    if (branch.otherwise) {
      fmt::print("{} {} otherwise\n", taken ? "->" : "  ", stdlib::to_string(branch.action));
    } else {
      fmt::print("{} {} when {}  = {}\n", taken ? "->" : "  ", stdlib::to_string(branch.action),
                 compiler::node_text(plan, branch.when),
                 interp.value(branch.when, s.eval_record(), s.result()).num != 0 ? "true" : "false");
    }
    if (taken) break;
  }
  fmt::print("\naction: {}  score: {}\n", to_string(verdict.action), verdict.score);
  for (const auto& fr : verdict.fired) {
    if (!fr.reason.empty()) fmt::print("  {}: {}\n", fr.rule, fr.reason);
  }
  if (!verdict.tags.empty()) {
    std::string tags;
    for (const auto& t : verdict.tags) tags += (tags.empty() ? "" : ", ") + t;
    fmt::print("tags: {}\n", tags);
  }
  for (const auto& sug : verdict.suggestions) fmt::print("suggest {} [{}]: {}\n", sug.name, sug.lang, sug.text);
  if (!verdict.message.empty()) fmt::print("message: {}\n", verdict.message);
  for (const auto& note : verdict.notes) fmt::print("note: {}\n", note);
  return kExitOk;
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
