// `tusk explain`: why a pack decided what it did about one listing, for people.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "api/inspect.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "compiler/plan/plan.h"
#include "tools/explain.h"
#include "tusk/scanner.h"

namespace tusk::cli {
namespace {

struct ExplainArgs {
  std::string pack;
  std::string listing;
  std::string stdlib;
  std::string backend = "auto";
  bool fired_only = false;
};

// A number for people: no binary-fraction noise (809.2500000000001 -> 809.25).
std::string tidy_number(double v) {
  if (std::isnan(v)) return "no value";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Numbers inside a text (a value or a condition), tidied the same way.
std::string tidy_numbers(const std::string& text) {
  static const std::regex kLong(R"(-?\d+\.\d{3,})");
  std::string out;
  std::sregex_iterator it(text.begin(), text.end(), kLong), end;
  std::size_t pos = 0;
  for (; it != end; ++it) {
    out += text.substr(pos, it->position() - pos);
    out += tidy_number(std::stod(it->str()));
    pos = it->position() + it->length();
  }
  return out + text.substr(pos);
}

// A condition node without the plan's internal slot numbers: `hit(slot 48 ivory_names, {title})`
// reads `hit(ivory_names, {title})`, `near(slot 3, slot 4, ...)` names both lexicons.
std::string people_label(const compiler::plan::Plan& plan, compiler::plan::NodeId id) {
  static const std::regex kNamed(R"(slot \d+ )");
  static const std::regex kBare(R"(slot (\d+))");
  std::string label = std::regex_replace(compiler::plan::node_label(plan, id), kNamed, "");
  std::string out;
  std::smatch m;
  while (std::regex_search(label, m, kBare)) {
    out += m.prefix();
    const auto slot = std::stoul(m[1].str());
    out += slot < plan.slots.size() ? plan.slots[slot].name : m.str();
    label = m.suffix();
  }
  return tidy_numbers(out + label);
}

void people_tree(std::string& out, const runtime::Pipeline& s, const compiler::interp::Interpreter& interp,
                 compiler::plan::NodeId id, int depth) {
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::plan::Value v = interp.value(id, s.eval_record(), s.result());
  out += fmt::format("{}{}  = {}\n", std::string(static_cast<std::size_t>(depth) * 2, ' '),
                     people_label(plan, id), tidy_numbers(tools::value_text(plan, id, v)));
  for (compiler::plan::NodeId k : compiler::plan::node_operands(plan, id)) {
    people_tree(out, s, interp, k, depth + 1);
  }
}

int run_explain(const ExplainArgs& args) {
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend);
  if (!pack) return pack_failure_exit(args.pack);
  std::string json;
  if (args.listing == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    json = ss.str();
  } else {
    errno = 0;
    std::ifstream in(args.listing, std::ios::binary);
    std::error_code ec;
    if (in && std::filesystem::is_directory(args.listing, ec)) {
      in.close();
      in.setstate(std::ios::failbit);
      errno = EISDIR;
    }
    if (!in) {
      // Say why: no such file, a directory, no permission.
      fmt::print(stderr, "error: cannot read {}: {}\n", args.listing,
                 errno != 0 ? std::strerror(errno) : "cannot open");
      return kExitUsage;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    json = ss.str();
  }
  while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) json.pop_back();

  if (!args.fired_only) {
    // The full report is the one evidence bundles carry (tools/explain.h).
    bool readable = false;
    fmt::print("{}", tools::explain_listing(pack, json, readable));
    return readable ? kExitOk : kExitFindings;
  }
  Scanner scanner(pack);
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  std::string error;
  const bool readable = s.evaluate(json, error);
  s.discard_state();  // an explanation never changes what the pack remembers
  if (!readable) {
    fmt::print("the listing cannot be read: {}\n", error);
    return kExitFindings;
  }
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::interp::Interpreter interp(plan, tusk::inspect::host_table());
  Verdict verdict;
  s.fill_verdict(verdict);

  fmt::print("listing {}  (pack {} {}, digest {})\n\n", verdict.id.empty() ? "(no id)" : verdict.id,
             plan.name, plan.version, plan.digest.substr(0, 12));
  {
    // The verdict first, then only what made it: the fired rules and the branch taken.
    fmt::print("action: {}  score: {}\n", to_string(verdict.action), tidy_number(verdict.score));
    for (const auto& fr : verdict.fired) {
      fmt::print("  {} {:+}{}\n", fr.rule, fr.score,
                 fr.reason.empty() ? "" : fmt::format(": {}", tidy_numbers(fr.reason)));
    }
    if (!verdict.tags.empty()) fmt::print("tags: {}\n", fmt::join(verdict.tags, ", "));
    for (const auto& sug : verdict.suggestions) {
      fmt::print("suggest {} [{}]: {}\n", sug.name, sug.lang, sug.text);
    }
    if (!verdict.message.empty()) fmt::print("message: {}\n", verdict.message);
    for (const auto& note : verdict.notes) fmt::print("note: {}\n", note);
    fmt::print("\n== fired rules\n");
    std::size_t fired_count = 0;
    for (std::size_t r = 0; r < plan.rules.size(); ++r) {
      if (s.result().fired[r] == 0) continue;
      ++fired_count;
      const auto& rule = plan.rules[r];
      fmt::print("{}  score {:+}\n", rule.name, rule.score);
      std::string tree;
      people_tree(tree, s, interp, rule.when, 1);
      fmt::print("{}", tree);
    }
    if (fired_count == 0) fmt::print("(none)\n");
    fmt::print("\n== decide\n");
    for (std::size_t b = 0; b < plan.decide.size(); ++b) {
      const auto& branch = plan.decide[b];
      if (s.result().branch != static_cast<std::int32_t>(b)) continue;
      if (branch.otherwise) {
        fmt::print("{} otherwise (no branch before it held)\n", stdlib::to_string(branch.action));
      } else {
        fmt::print("{} when {}\n", stdlib::to_string(branch.action),
                   tidy_numbers(compiler::plan::node_text(plan, branch.when)));
      }
    }
    return kExitOk;
  }
}

}  // namespace

Action add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Show, step by step, how a pack decides about one listing.");
  cmd->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")
      ->required();
  cmd->add_option("listing", args->listing,
                  "A file holding one listing as a JSON object (`-` for standard input)")
      ->required();
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->add_flag(
      "--fired-only", args->fired_only,
      "Short form: the verdict first, then only the rules that fired (their conditions with values) and the "
      "decide branch taken");
  cmd->footer(
      "Prints the normalized text of each field, every hit highlighted in the original text, each rule's "
      "condition with the value of every sub-expression, the score sum and the decide branch taken.\n"
      "Exit status: 0 explained; 1 the listing cannot be read; 2 usage or I/O errors; 3 errors in the pack.");
  return [args] { return run_explain(*args); };
}

}  // namespace tusk::cli
