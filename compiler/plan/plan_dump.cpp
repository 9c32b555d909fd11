// `tusk check --dump plan`: the plan as text, stable for golden tests.
#include <fmt/format.h>

#include "compiler/plan/plan.h"
#include "stdlib/functions.h"

namespace tusk::compiler::plan {
namespace {

const char* cmp_text(std::uint8_t sub) {
  static const char* const kText[] = {"==", "!=", "<", "<=", ">", ">="};
  return sub < 6 ? kText[sub] : "?";
}
const char* arith_text(std::uint8_t sub) {
  static const char* const kText[] = {"+", "-", "*", "/"};
  return sub < 4 ? kText[sub] : "?";
}

std::string mask_text(const Plan& plan, stdlib::FieldMask mask) {
  std::string out = "{";
  bool first = true;
  for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
    if (!(mask & (stdlib::FieldMask{1} << f))) continue;
    if (!first) out += ",";
    first = false;
    out += plan.fields[f].path;
  }
  return out + "}";
}

bool has_value_operand(const Node& n) {
  for (stdlib::Param p : stdlib::function(stdlib::FunctionId{n.fn}).params) {
    if (p == stdlib::Param::kNumber || p == stdlib::Param::kMoney) return true;
  }
  return false;
}

// A call as its declaration's dump template says (stdlib/functions.h), e.g.
// "count(slot {slot0} {slot0_name}, {scope})" -> "count(slot 3 ivory_names, {title,description})".
std::string call_text(const Plan& plan, const Node& n, std::string_view form, const std::string& value0) {
  auto slot_name = [&](std::uint32_t s) {
    return s < plan.slots.size() ? plan.slots[s].name : std::string("?");
  };
  return fmt::format(
      fmt::runtime(form), fmt::arg("scope", mask_text(plan, n.mask)),
      fmt::arg("field", n.field < plan.fields.size() ? plan.fields[n.field].path : std::string("?")),
      fmt::arg("slot0", n.index), fmt::arg("slot0_name", slot_name(n.index)), fmt::arg("slot1", n.index2),
      fmt::arg("slot1_name", slot_name(n.index2)), fmt::arg("value0", value0), fmt::arg("constant", n.num));
}

class Dumper {
 public:
  explicit Dumper(const Plan& plan) : plan_(plan) {}

  std::string node(NodeId id) const {
    const Node& n = plan_.nodes.at(id);
    switch (n.op) {
      case Op::kConstBool:
        return n.num != 0 ? "true" : "false";
      case Op::kConstNum:
        return fmt::format("{}", n.num);
      case Op::kNumField:
        return fmt::format("num({})", plan_.fields[n.field].path);
      case Op::kMoneyField:
        return fmt::format("money({})", plan_.fields[n.field].path);
      case Op::kHas:
        return fmt::format("has({})", plan_.fields[n.field].path);
      case Op::kTextInSet: {
        std::string set;
        for (const auto& s : plan_.string_sets[n.index]) {
          set += (set.empty() ? "" : ", ") + fmt::format("\"{}\"", s);
        }
        return fmt::format("text({}) in {{{}}}", plan_.fields[n.field].path, set);
      }
      case Op::kTextFieldsEq:
        return fmt::format("text({}) == text({})", plan_.fields[n.field].path, plan_.fields[n.index].path);
      case Op::kHit:
        return fmt::format("hit(slot {} {}, {})", n.index, plan_.slots[n.index].name,
                           mask_text(plan_, n.mask));
      case Op::kCall:
        return call_text(plan_, n, stdlib::function(stdlib::FunctionId{n.fn}).dump,
                         has_value_operand(n) ? node(n.a) : std::string());
      case Op::kRule:
        return fmt::format(
            "rule({})", plan_.rules.size() > n.index ? plan_.rules[n.index].name : std::to_string(n.index));
      case Op::kScore:
        return "score";
      case Op::kState:
        return state_text(plan_, n.index);
      case Op::kAction:
        return "action";
      case Op::kNot:
        return fmt::format("not {}", node(n.a));
      case Op::kAnd:
      case Op::kOr: {
        std::string out = "(";
        for (std::uint32_t i = 0; i < n.count; ++i) {
          if (i) out += n.op == Op::kAnd ? " and " : " or ";
          out += node(plan_.kids[n.first + i]);
        }
        return out + ")";
      }
      case Op::kCmp:
        return fmt::format("({} {} {})", operand(n.a, n.b), cmp_text(n.sub), operand(n.b, n.a));
      case Op::kArith:
        return fmt::format("({} {} {})", node(n.a), arith_text(n.sub), node(n.b));
      case Op::kNeg:
        return fmt::format("-{}", node(n.a));
      case Op::kConvert:
        return fmt::format("convert({}, {})", node(n.a),
                           n.index < plan_.currencies.size() ? plan_.currencies[n.index] : std::string("?"));
    }
    return "?";
  }

  std::string tmpl(const PlanTemplate& t) const {
    std::string out;
    for (const auto& p : t.parts) {
      switch (p.kind) {
        case stdlib::TemplateKind::kLiteral:
          out += p.literal;
          break;
        case stdlib::TemplateKind::kHits:
          out += fmt::format("{{hits(slot {})}}", p.slot);
          break;
        case stdlib::TemplateKind::kFirst:
          out += fmt::format("{{first(slot {})}}", p.slot);
          break;
        case stdlib::TemplateKind::kCount:
          out += fmt::format("{{count(slot {})}}", p.slot);
          break;
        case stdlib::TemplateKind::kField:
          out += fmt::format("{{{}}}", plan_.fields[p.field].path);
          break;
        case stdlib::TemplateKind::kScore:
          out += "{score}";
          break;
      }
    }
    return out;
  }

 private:
  // An action compared with `action` reads as its name: `action == block`, not `action == 2`.
  std::string operand(NodeId id, NodeId other) const {
    const Node& n = plan_.nodes[id];
    if (n.op == Op::kConstNum && plan_.nodes[other].op == Op::kAction && n.num >= 0 && n.num <= 2) {
      return stdlib::to_string(static_cast<stdlib::Action>(static_cast<int>(n.num)));
    }
    return node(id);
  }

  const Plan& plan_;
};

}  // namespace

std::string node_text(const Plan& plan, NodeId node) { return Dumper(plan).node(node); }

std::string state_text(const Plan& plan, std::size_t read) {
  if (read >= plan.state_reads.size()) return "state(?)";
  const PlanStateRead& r = plan.state_reads[read];
  const std::string entity = r.entity < plan.entities.size() ? plan.entities[r.entity].name : "?";
  if (r.is_label) return fmt::format("{} has label \"{}\"", entity, r.label);
  return fmt::format("count({})", r.counter < plan.counters.size() ? plan.counters[r.counter].name : "?");
}

std::vector<NodeId> node_operands(const Plan& plan, NodeId id) {
  const Node& n = plan.nodes.at(id);
  switch (n.op) {
    case Op::kNot:
    case Op::kNeg:
    case Op::kConvert:
      return {n.a};
    case Op::kCall:
      return has_value_operand(n) ? std::vector<NodeId>{n.a} : std::vector<NodeId>{};
    case Op::kCmp:
    case Op::kArith:
      return {n.a, n.b};
    case Op::kAnd:
    case Op::kOr:
      return std::vector<NodeId>(plan.kids.begin() + n.first, plan.kids.begin() + n.first + n.count);
    default:
      return {};
  }
}

std::string node_label(const Plan& plan, NodeId id) {
  const Node& n = plan.nodes.at(id);
  switch (n.op) {
    case Op::kNot:
      return "not";
    case Op::kNeg:
      return "negate";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
    case Op::kCmp:
      return fmt::format("compare {}", cmp_text(n.sub));
    case Op::kArith:
      return fmt::format("arithmetic {}", arith_text(n.sub));
    case Op::kConvert:
      return fmt::format("convert to {}",
                         n.index < plan.currencies.size() ? plan.currencies[n.index] : std::string("?"));
    case Op::kCall: {
      const auto& fn = stdlib::function(stdlib::FunctionId{n.fn});
      if (fn.label.empty()) return Dumper(plan).node(id);
      return call_text(plan, n, fn.label, "");
    }
    default:
      return Dumper(plan).node(id);
  }
}

std::string dump_plan(const Plan& plan) {
  Dumper d(plan);
  std::string out = fmt::format("plan {} {}\n", plan.name, plan.version);
  out += fmt::format("fields read: {}\n", mask_text(plan, plan.fields_read));
  out += fmt::format("text fields: {}\n", mask_text(plan, plan.text_fields));
  if (plan.uses_money) {
    out += fmt::format("money: base {}, rates as of {}, {} currencies\n", plan.base_currency,
                       plan.rates_as_of.empty() ? "?" : plan.rates_as_of, plan.currencies.size());
  }
  out += "slots:\n";
  for (SlotId s = 0; s < plan.slots.size(); ++s) {
    const Slot& slot = plan.slots[s];
    if (slot.is_regex) {
      out += fmt::format("  {} regex {} /{}/{} profile {} in {}\n", s, slot.name, slot.pattern, slot.flags,
                         slot.profile, mask_text(plan, slot.fields));
    } else {
      out += fmt::format("  {} lexicon {} ({} terms) profile {} in {}\n", s, slot.name, slot.terms.size(),
                         slot.profile, mask_text(plan, slot.fields));
    }
  }
  out += "scan passes:\n";
  for (const auto& p : plan.passes) {
    std::string slots;
    for (SlotId s : p.slots) slots += (slots.empty() ? "" : " ") + std::to_string(s);
    out += fmt::format("  profile {} over {}: slots [{}]\n", p.profile, mask_text(plan, p.fields), slots);
  }
  out += "rules:\n";
  for (std::size_t i = 0; i < plan.rules.size(); ++i) {
    const PlanRule& r = plan.rules[i];
    out += fmt::format("  {} {} score {}\n    when {}\n", i, r.name, r.score, d.node(r.when));
    if (!r.reason.empty()) out += fmt::format("    reason \"{}\"\n", d.tmpl(r.reason));
    for (const auto& t : r.tags) out += fmt::format("    tag \"{}\"\n", t);
    for (const auto& e : r.evidence) {
      out += fmt::format("    evidence slot {} in {}\n", e.slot, mask_text(plan, e.fields));
    }
  }
  out += "decide:\n";
  for (const auto& b : plan.decide) {
    out += fmt::format("  {} {}\n", stdlib::to_string(b.action),
                       b.otherwise ? std::string("otherwise") : "when " + d.node(b.when));
  }
  for (const auto& s : plan.suggestions) {
    out += fmt::format("suggest {} when {}\n",
                       s.name.empty() ? "\"" + (s.texts.empty() ? "" : s.texts[0].second) + "\"" : s.name,
                       d.node(s.when));
  }
  // Accounts: printed only for a pack that has them, so stateless plans dump as before.
  for (const auto& e : plan.entities) {
    out += fmt::format("entity {} = {}\n", e.name, plan.fields[e.field].path);
  }
  for (const auto& c : plan.counters) {
    const std::string what =
        c.distinct ? "distinct " + plan.fields[c.distinct_field].path : std::string("events");
    out += fmt::format("counter {} of {}: {} over {}s in buckets of {}s\n    when {}\n", c.name,
                       plan.entities[c.entity].name, what, c.window_seconds, c.bucket_seconds,
                       c.every ? std::string("every listing") : d.node(c.when));
  }
  for (const auto& l : plan.labels) {
    out += fmt::format("label {} \"{}\" for {}s\n    when {}\n", plan.entities[l.entity].name, l.name,
                       l.lifetime_seconds, d.node(l.when));
  }
  if (plan.has_account) {
    out += fmt::format("decide account of {}:\n", plan.entities[plan.account_entity].name);
    for (const auto& b : plan.account) {
      out += fmt::format("  {} {}\n", stdlib::to_string(b.action),
                         b.otherwise ? std::string("otherwise") : "when " + d.node(b.when));
    }
  }
  for (std::size_t i = 0; i < plan.state_reads.size(); ++i) {
    out += fmt::format("state read {}: {}\n", i, state_text(plan, i));
  }
  return out;
}

}  // namespace tusk::compiler::plan
