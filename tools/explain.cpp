#include "tools/explain.h"

#include "stdlib/functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tusk::runtime {
namespace {

// A built-in's value is shown by its declared result type (stdlib/functions.h).
stdlib::Result call_result(const compiler::Node& n) { return stdlib::function(stdlib::FunctionId{n.fn}).result; }

bool is_bool_op(const compiler::Node& n) {
  using compiler::Op;
  switch (n.op) {
    case Op::kConstBool: case Op::kHas: case Op::kTextInSet: case Op::kTextFieldsEq: case Op::kHit:
    case Op::kRule: case Op::kNot: case Op::kAnd: case Op::kOr: case Op::kCmp:
      return true;
    case Op::kCall:
      return call_result(n) == stdlib::Result::kBool;
    default:
      return false;
  }
}

}  // namespace

std::string value_text(const compiler::Plan& plan, compiler::NodeId id, const compiler::Value& v) {
  const compiler::Node& n = plan.nodes[id];
  if (is_bool_op(n)) return v.num != 0 ? "true" : "false";
  if (std::isnan(v.num)) return "no value";
  if (n.op == compiler::Op::kMoneyField ||
      (n.op == compiler::Op::kCall && call_result(n) == stdlib::Result::kMoney)) {
    return fmt::format("{} {}", v.num,
                       v.currency >= 0 ? plan.currencies[v.currency] : std::string("(unknown currency)"));
  }
  return fmt::format("{}", v.num);
}

void append_tree(std::string& out, const runtime::Pipeline& s, const compiler::Interpreter& interp,
                 compiler::NodeId id, int depth, int max_depth) {
  const compiler::Plan& plan = *s.compiled().plan;
  const compiler::Value v = interp.value(id, s.eval_record(), s.result());
  out += fmt::format("{}{}  = {}\n", std::string(depth * 2, ' '), compiler::node_label(plan, id),
                     value_text(plan, id, v));
  const auto kids = compiler::node_operands(plan, id);
  if (kids.empty()) return;
  if (max_depth >= 0 && depth >= max_depth) {
    out += fmt::format("{}...\n", std::string((depth + 1) * 2, ' '));
    return;
  }
  for (compiler::NodeId k : kids) append_tree(out, s, interp, k, depth + 1, max_depth);
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
  const compiler::Plan& plan = *s.compiled().plan;
  const compiler::Slot& slot = plan.slots[h.slot];
  return fmt::format("{} [{}, {}) \"{}\"  {} {}{}", plan.fields[h.field].path, h.start, h.end,
                     s.field_text(h.field).substr(h.start, h.end - h.start), slot.is_regex ? "regex" : "lexicon",
                     slot.name, slot.is_regex ? "" : fmt::format("  term \"{}\"", slot.terms[h.term].text));
}

}  // namespace tusk::runtime
