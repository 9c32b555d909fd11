#include "tools/explain.h"

#include "stdlib/functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "api/inspect.h"
#include "compiler/plan/plan.h"
#include "tusk/scanner.h"

namespace tusk::tools {
namespace {

// A built-in's value is shown by its declared result type (stdlib/functions.h).
stdlib::Result call_result(const compiler::plan::Node& n) {
  return stdlib::function(stdlib::FunctionId{n.fn}).result;
}

bool is_bool_op(const compiler::plan::Node& n) {
  using compiler::plan::Op;
  switch (n.op) {
    case Op::kConstBool:
    case Op::kHas:
    case Op::kTextInSet:
    case Op::kTextFieldsEq:
    case Op::kHit:
    case Op::kRule:
    case Op::kNot:
    case Op::kAnd:
    case Op::kOr:
    case Op::kCmp:
      return true;
    case Op::kCall:
      return call_result(n) == stdlib::Result::kBool;
    default:
      return false;
  }
}

}  // namespace

std::string value_text(const compiler::plan::Plan& plan, compiler::plan::NodeId id,
                       const compiler::plan::Value& v) {
  const compiler::plan::Node& n = plan.nodes[id];
  if (is_bool_op(n)) return v.num != 0 ? "true" : "false";
  if (std::isnan(v.num)) return "no value";
  if (n.op == compiler::plan::Op::kMoneyField ||
      (n.op == compiler::plan::Op::kCall && call_result(n) == stdlib::Result::kMoney)) {
    return fmt::format("{} {}", v.num,
                       v.currency >= 0 ? plan.currencies[v.currency] : std::string("(unknown currency)"));
  }
  return fmt::format("{}", v.num);
}

void append_tree(std::string& out, const runtime::Pipeline& s, const compiler::interp::Interpreter& interp,
                 compiler::plan::NodeId id, int depth, int max_depth) {
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::plan::Value v = interp.value(id, s.eval_record(), s.result());
  out += fmt::format("{}{}  = {}\n", std::string(static_cast<std::size_t>(depth) * 2, ' '),
                     compiler::plan::node_label(plan, id), value_text(plan, id, v));
  const auto kids = compiler::plan::node_operands(plan, id);
  if (kids.empty()) return;
  if (max_depth >= 0 && depth >= max_depth) {
    out += fmt::format("{}...\n", std::string(static_cast<std::size_t>((depth + 1)) * 2, ' '));
    return;
  }
  for (compiler::plan::NodeId k : kids) append_tree(out, s, interp, k, depth + 1, max_depth);
}

std::string highlight(std::string_view text, const std::vector<runtime::Hit>& hits, stdlib::FieldId field) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
  for (const auto& h : hits) {
    if (h.field == field) spans.push_back({h.start, h.end});
  }
  std::sort(spans.begin(), spans.end());
  std::string out;
  std::uint32_t pos = 0;
  for (const auto& [b, e] : spans) {
    if (b < pos) continue;  // overlapping hit: the outer bracket already shows it
    out += text.substr(pos, b - pos);
    out += "[";
    out += text.substr(b, e - b);
    out += "]";
    pos = e;
  }
  out += text.substr(pos);
  return out;
}

std::string hit_line(const runtime::Pipeline& s, const runtime::Hit& h) {
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::plan::Slot& slot = plan.slots[h.slot];
  return fmt::format("{} [{}, {}) \"{}\"  {} {}{}", plan.fields[h.field].path, h.start, h.end,
                     s.field_text(h.field).substr(h.start, h.end - h.start),
                     slot.is_regex ? "regex" : "lexicon", slot.name,
                     slot.is_regex ? "" : fmt::format("  term \"{}\"", slot.terms[h.term].text));
}

// Account state as the listing saw it, what the listing does to it, and `decide account`.
// The branches of a decide (the listing's or the account's) up to the one taken, each with the
// value of its condition.
template <class Branch>
void append_branches(std::string& out, const compiler::plan::Plan& plan, const std::vector<Branch>& branches,
                     std::int32_t taken_branch, const runtime::Pipeline& s,
                     const compiler::interp::Interpreter& interp) {
  for (std::size_t b = 0; b < branches.size(); ++b) {
    const Branch& branch = branches[b];
    const bool taken = taken_branch == static_cast<std::int32_t>(b);
    if (branch.otherwise) {
      out += fmt::format("{} {} otherwise\n", taken ? "->" : "  ", stdlib::to_string(branch.action));
    } else {
      out += fmt::format("{} {} when {}  = {}\n", taken ? "->" : "  ", stdlib::to_string(branch.action),
                         compiler::plan::node_text(plan, branch.when),
                         interp.value(branch.when, s.eval_record(), s.result()).num != 0 ? "true" : "false");
    }
    if (taken) break;
  }
}

static std::string account_section(const compiler::plan::Plan& plan, const runtime::Pipeline& s,
                                   const compiler::interp::Interpreter& interp) {
  std::string out = "\n== account state (before this listing)\n";
  const double* state = s.eval_record().state;
  for (std::size_t i = 0; i < plan.state_reads.size(); ++i) {
    const double v = state != nullptr ? state[i] : std::nan("");
    out += fmt::format("{} = {}\n", compiler::plan::state_text(plan, i),
                       std::isnan(v) ? std::string("(no id)") : fmt::format("{}", v));
  }
  if (plan.state_reads.empty()) out += "(no condition reads it)\n";
  out += "\n== effects\n";
  const auto& effects = s.result().effects;
  for (std::size_t c = 0; c < plan.counters.size(); ++c) {
    out += fmt::format("{} counter {}\n", effects[c] ? "counts " : "not    ", plan.counters[c].name);
  }
  for (std::size_t l = 0; l < plan.labels.size(); ++l) {
    out += fmt::format("{} label \"{}\"\n", effects[plan.counters.size() + l] ? "sets   " : "not    ",
                       plan.labels[l].name);
  }
  if (plan.has_account) {
    out += fmt::format("\n== decide account of {}\n", plan.entities[plan.account_entity].name);
    append_branches(out, plan, plan.account, s.result().account_branch, s, interp);
  }
  return out;
}

std::string explain_listing(const std::shared_ptr<const Pack>& pack, std::string_view json, bool& readable) {
  Scanner scanner(pack);
  // Explaining a listing must not change what the pack remembers: its own empty store.
  scanner.set_state(make_memory_state());
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  std::string error;
  readable = s.evaluate(json, error);
  if (!readable) return fmt::format("the listing cannot be read: {}\n", error);
  std::string out;
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::interp::Interpreter interp(plan, tusk::inspect::host_table());
  Verdict verdict;
  s.fill_verdict(verdict);

  out += fmt::format("listing {}  (pack {} {}, digest {})\n\n", verdict.id.empty() ? "(no id)" : verdict.id,
                     plan.name, plan.version, plan.digest.substr(0, 12));
  out += fmt::format("== text\n");
  for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
    if (!((plan.text_fields >> f) & 1u) || !s.record().present(f)) continue;
    out +=
        fmt::format("{}:\n  original:   {}\n", plan.fields[f].path, highlight(s.field_text(f), s.hits(), f));
    for (std::uint32_t p = 0; p < s.compiled().passes.size(); ++p) {
      if (!((s.compiled().passes[p].fields >> f) & 1u)) continue;
      out += fmt::format("  normalized ({}): {}\n", s.compiled().passes[p].profile->name,
                         s.normalized(p, f).text);
    }
  }
  out += fmt::format("\n== hits\n");
  if (s.hits().empty()) out += fmt::format("(none)\n");
  for (const auto& h : s.hits()) out += fmt::format("{}\n", hit_line(s, h));
  out += fmt::format("\n== rules\n");
  for (std::size_t r = 0; r < plan.rules.size(); ++r) {
    const auto& rule = plan.rules[r];
    const bool fired = s.result().fired[r] != 0;
    out += fmt::format("{} {}{}\n", fired ? "FIRED  " : "not    ", rule.name,
                       fired ? fmt::format("  score {:+}", rule.score) : "");
    std::string tree;
    append_tree(tree, s, interp, rule.when, 2);
    out += fmt::format("{}", tree);
  }
  out += fmt::format("\n== score\n");
  std::string sum;
  for (const auto& fr : verdict.fired) {
    sum += fmt::format("{}{} ({})", sum.empty() ? "" : " + ", fr.score, fr.rule);
  }
  out += fmt::format("{} = {}\n", sum.empty() ? "no rule fired" : sum, verdict.score);
  out += fmt::format("\n== decide\n");
  append_branches(out, plan, plan.decide, s.result().branch, s, interp);
  if (plan.stateful()) out += account_section(plan, s, interp);
  out += fmt::format("\naction: {}  score: {}\n", to_string(verdict.action), verdict.score);
  for (const auto& fr : verdict.fired) {
    if (!fr.reason.empty()) out += fmt::format("  {}: {}\n", fr.rule, fr.reason);
  }
  if (!verdict.tags.empty()) {
    std::string tags;
    for (const auto& t : verdict.tags) tags += (tags.empty() ? "" : ", ") + t;
    out += fmt::format("tags: {}\n", tags);
  }
  for (const auto& sug : verdict.suggestions) {
    out += fmt::format("suggest {} [{}]: {}\n", sug.name, sug.lang, sug.text);
  }
  if (!verdict.message.empty()) out += fmt::format("message: {}\n", verdict.message);
  for (const auto& note : verdict.notes) out += fmt::format("note: {}\n", note);
  return out;
}

}  // namespace tusk::tools
