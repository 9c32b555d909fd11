#include "tools/explain_json.h"

#include <fmt/format.h>

#include "api/inspect.h"
#include "base/json_text.h"
#include "tools/explain.h"
#include "tusk/scanner.h"

namespace tusk::tools {
namespace {

void append_node(std::string& out, const runtime::Pipeline& s, const compiler::interp::Interpreter& interp,
                 compiler::plan::NodeId id) {
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::plan::Value v = interp.value(id, s.eval_record(), s.result());
  out += "{\"label\":";
  base::append_json_string(out, compiler::plan::node_label(plan, id));
  out += ",\"value\":";
  base::append_json_string(out, value_text(plan, id, v));
  const auto kids = compiler::plan::node_operands(plan, id);
  if (!kids.empty()) {
    out += ",\"children\":[";
    for (std::size_t k = 0; k < kids.size(); ++k) {
      if (k) out += ',';
      append_node(out, s, interp, kids[k]);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

bool explain_json(Scanner& scanner, std::string_view listing, std::string& out, std::string& error) {
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  const bool readable = s.evaluate(listing, error);
  // Explaining a listing shows the state it sees and must not change it.
  s.discard_state();
  if (!readable) return false;
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::interp::Interpreter interp(plan, tusk::inspect::host_table());
  Verdict verdict;
  s.fill_verdict(verdict);

  out += "{\"id\":";
  base::append_json_string(out, verdict.id);
  out += ",\"pack\":{\"name\":";
  base::append_json_string(out, plan.name);
  out += ",\"version\":";
  base::append_json_string(out, plan.version);
  out += ",\"digest\":";
  base::append_json_string(out, plan.digest);
  out += "},\"text\":[";
  bool first = true;
  for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
    if (!((plan.text_fields >> f) & 1u) || !s.record().present(f)) continue;
    if (!first) out += ',';
    first = false;
    out += "{\"field\":";
    base::append_json_string(out, plan.fields[f].path);
    out += ",\"original\":";
    base::append_json_string(out, s.field_text(f));
    out += ",\"highlighted\":";
    base::append_json_string(out, highlight(s.field_text(f), s.hits(), f));
    out += ",\"normalized\":[";
    bool first_pass = true;
    for (std::uint32_t p = 0; p < s.compiled().passes.size(); ++p) {
      if (!((s.compiled().passes[p].fields >> f) & 1u)) continue;
      if (!first_pass) out += ',';
      first_pass = false;
      out += "{\"profile\":";
      base::append_json_string(out, s.compiled().passes[p].profile->name);
      out += ",\"text\":";
      base::append_json_string(out, s.normalized(p, f).text);
      out += '}';
    }
    out += "]}";
  }
  out += "],\"hits\":[";
  for (std::size_t i = 0; i < s.hits().size(); ++i) {
    const runtime::Hit& h = s.hits()[i];
    const compiler::plan::Slot& slot = plan.slots[h.slot];
    if (i) out += ',';
    out += "{\"field\":";
    base::append_json_string(out, plan.fields[h.field].path);
    out += fmt::format(",\"start\":{},\"end\":{},\"text\":", h.start, h.end);
    base::append_json_string(out, s.field_text(h.field).substr(h.start, h.end - h.start));
    out += slot.is_regex ? ",\"kind\":\"regex\",\"name\":" : ",\"kind\":\"lexicon\",\"name\":";
    base::append_json_string(out, slot.name);
    if (!slot.is_regex) {
      out += ",\"term\":";
      base::append_json_string(out, slot.terms[h.term].text);
    }
    out += '}';
  }
  out += "],\"rules\":[";
  for (std::size_t r = 0; r < plan.rules.size(); ++r) {
    const auto& rule = plan.rules[r];
    if (r) out += ',';
    out += "{\"rule\":";
    base::append_json_string(out, rule.name);
    out += fmt::format(
        ",\"fired\":{},\"score\":{},\"condition\":", s.result().fired[r] != 0 ? "true" : "false", rule.score);
    append_node(out, s, interp, rule.when);
    out += '}';
  }
  out += fmt::format("],\"score\":{},\"decide\":[", verdict.score);
  for (std::size_t b = 0; b < plan.decide.size(); ++b) {
    const auto& branch = plan.decide[b];
    const bool taken = s.result().branch == static_cast<std::int32_t>(b);
    if (b) out += ',';
    out += "{\"action\":";
    base::append_json_string(out, stdlib::to_string(branch.action));
    if (branch.otherwise) {
      out += ",\"otherwise\":true";
    } else {
      out += ",\"when\":";
      base::append_json_string(out, compiler::plan::node_text(plan, branch.when));
      out += fmt::format(",\"value\":{}",
                         interp.value(branch.when, s.eval_record(), s.result()).num != 0 ? "true" : "false");
    }
    out += fmt::format(",\"taken\":{}}}", taken ? "true" : "false");
    if (taken) break;
  }
  out += "],\"verdict\":";
  append_json(out, verdict);
  out += '}';
  return true;
}

}  // namespace tusk::tools
