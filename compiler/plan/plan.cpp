// Lowering from the checked representation to the plan. The planner decides everything the
// backends must agree on: slot numbering, scan passes, node costs and operand order.
#include "compiler/plan/plan.h"
#include "compiler/plan/lower.h"

#include "compiler/front/checked.h"
#include "stdlib/functions.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tusk::compiler::plan {
namespace {

template <class>
inline constexpr bool kAlwaysFalse = false;

stdlib::FieldMask bit(stdlib::FieldId f) { return stdlib::FieldMask{1} << f; }

// Text comparisons ignore ASCII case ("Antiques" == "antiques"); the runtime folds the same way.
std::string fold_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

stdlib::FieldMask mask_of(const front::Scope& scope) {
  stdlib::FieldMask m = 0;
  for (stdlib::FieldId f : scope.fields) m |= bit(f);
  return m;
}

class Lowerer {
 public:
  Lowerer(const front::CheckedPack& pack, Plan& plan) : pack_(pack), plan_(plan) {}

  void run() {
    plan_.name = pack_.name;
    plan_.version = pack_.version;
    plan_.digest = pack_.digest;
    plan_.fields = pack_.fields;
    if (plan_.fields.size() > stdlib::kMaxFields) {
      throw std::length_error("a pack may read at most 64 fields");
    }
    for (stdlib::FieldId f = 0; f < plan_.fields.size(); ++f) {
      if (plan_.fields[f].in_text) text_mask_ |= bit(f);
    }
    lower_money();
    lower_slots();
    for (const auto& rule : pack_.rules) lower_rule(rule);
    for (const auto& branch : pack_.decide) {
      PlanBranch b;
      b.action = branch.action;
      b.otherwise = branch.when == nullptr;
      b.when = branch.when ? lower(*branch.when) : constant_bool(true);
      if (branch.message) b.message = lower_template(*branch.message);
      plan_.decide.push_back(std::move(b));
    }
    for (const auto& s : pack_.suggestions) {
      PlanSuggestion ps;
      if (s.alternative) {
        const auto& alt = pack_.alternatives.at(*s.alternative);
        ps.name = alt.name;
        ps.texts = alt.texts;
      } else {
        ps.texts.push_back({"", s.text});
      }
      ps.when = lower(*s.when);
      plan_.suggestions.push_back(std::move(ps));
    }
    lower_accounts();
    build_passes();
    // `id` is always read: verdicts are keyed by it.
    if (auto id = pack_.find_field("id")) plan_.fields_read |= bit(*id);
  }

 private:
  void lower_money() {
    plan_.base_currency = pack_.base_currency;
    plan_.rates_as_of = pack_.rates_as_of;
    for (const auto& [code, rate] : pack_.rates) {
      plan_.currencies.push_back(code);
      plan_.rate_to_base.push_back(rate);
    }
    if (plan_.currency_index(pack_.base_currency) < 0) {
      plan_.currencies.push_back(pack_.base_currency);
      plan_.rate_to_base.push_back(1.0);
    }
  }

  void lower_slots() {
    for (const auto& lex : pack_.lexicons) {
      Slot s;
      s.name = lex.name;
      s.profile = lex.profile.empty() ? pack_.default_profile : lex.profile;
      for (const auto& t : lex.terms) {
        s.terms.push_back({t.text, t.prefix, t.edit_distance, t.lang, t.weight});
      }
      plan_.slots.push_back(std::move(s));
    }
    plan_.lexicon_count = static_cast<std::uint32_t>(pack_.lexicons.size());
    for (const auto& re : pack_.regexes) {
      Slot s;
      s.name = re.name.empty() ? "/" + re.pattern + "/" + re.flags : re.name;
      s.is_regex = true;
      s.profile = pack_.default_profile;
      s.pattern = re.pattern;
      s.flags = re.flags;
      plan_.slots.push_back(std::move(s));
    }
  }

  SlotId lexicon_slot(front::LexiconId id) const { return id; }
  SlotId regex_slot(front::RegexId id) const { return plan_.lexicon_count + id; }

  // The runtime must materialize these fields' text (scanned, compared or measured).
  void read_text(stdlib::FieldMask fields) {
    plan_.fields_read |= fields;
    plan_.text_fields |= fields;
  }

  void use_slot(SlotId slot, stdlib::FieldMask fields) {
    plan_.slots.at(slot).fields |= fields;
    read_text(fields);
  }

  NodeId add(Node n) {
    plan_.nodes.push_back(n);
    return static_cast<NodeId>(plan_.nodes.size() - 1);
  }
  NodeId constant_bool(bool v) {
    Node n;
    n.op = Op::kConstBool;
    n.num = v ? 1 : 0;
    return add(n);
  }
  NodeId constant_num(double v) {
    Node n;
    n.op = Op::kConstNum;
    n.num = v;
    return add(n);
  }
  std::uint16_t cost(NodeId id) const { return plan_.nodes[id].cost; }

  NodeId unary(Op op, NodeId a, std::uint16_t extra = 1) {
    Node n;
    n.op = op;
    n.a = a;
    n.cost = static_cast<std::uint16_t>(cost(a) + extra);
    return add(n);
  }
  NodeId binary(Op op, std::uint8_t sub, NodeId a, NodeId b) {
    Node n;
    n.op = op;
    n.sub = sub;
    n.a = a;
    n.b = b;
    n.cost = static_cast<std::uint16_t>(cost(a) + cost(b) + 1);
    return add(n);
  }

  // And/Or: operands ordered cheapest first. Every node is pure, so the order cannot change
  // the result, only how soon short-circuiting stops.
  NodeId nary(Op op, std::vector<NodeId> operands) {
    if (operands.size() == 1) return operands[0];
    std::stable_sort(operands.begin(), operands.end(), [&](NodeId x, NodeId y) { return cost(x) < cost(y); });
    Node n;
    n.op = op;
    n.first = static_cast<std::uint32_t>(plan_.kids.size());
    n.count = static_cast<std::uint32_t>(operands.size());
    std::uint32_t total = 1;
    for (NodeId k : operands) {
      plan_.kids.push_back(k);
      total += cost(k);
    }
    n.cost = static_cast<std::uint16_t>(std::min<std::uint32_t>(total, 60000));
    return add(n);
  }

  std::uint32_t string_set(std::vector<std::string> values) {
    for (auto& v : values) v = fold_ascii(std::move(v));
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (std::uint32_t i = 0; i < plan_.string_sets.size(); ++i) {
      if (plan_.string_sets[i] == values) return i;
    }
    plan_.string_sets.push_back(std::move(values));
    return static_cast<std::uint32_t>(plan_.string_sets.size() - 1);
  }

  NodeId text_in_set(stdlib::FieldId field, std::vector<std::string> values) {
    Node n;
    n.op = Op::kTextInSet;
    n.field = field;
    n.index = string_set(std::move(values));
    n.cost = 3;
    read_text(bit(field));
    return add(n);
  }

  static const front::BFieldRef* as_field(const front::BExpr& e) {
    return std::get_if<front::BFieldRef>(&e.node);
  }
  static const std::string* as_text_const(const front::BExpr& e) {
    const auto* c = std::get_if<front::BConst>(&e.node);
    return c ? std::get_if<std::string>(&c->value) : nullptr;
  }

  NodeId lower_text_compare(const front::BCompare& c) {
    NodeId eq;
    const auto* lf = as_field(*c.lhs);
    const auto* rf = as_field(*c.rhs);
    const auto* lc = as_text_const(*c.lhs);
    const auto* rc = as_text_const(*c.rhs);
    if (lf && rc) {
      eq = text_in_set(lf->field, {*rc});
    } else if (lc && rf) {
      eq = text_in_set(rf->field, {*lc});
    } else if (lf && rf) {
      Node n;
      n.op = Op::kTextFieldsEq;
      n.field = lf->field;
      n.index = rf->field;
      n.cost = 3;
      read_text(bit(lf->field) | bit(rf->field));
      eq = add(n);
    } else if (lc && rc) {
      eq = constant_bool(fold_ascii(*lc) == fold_ascii(*rc));
    } else {
      throw std::logic_error("text comparison of an unsupported shape reached the planner");
    }
    if (c.op == stdlib::CmpOp::kEq) return eq;
    if (c.op == stdlib::CmpOp::kNe) return unary(Op::kNot, eq, 0);
    throw std::logic_error("ordering comparison on text reached the planner");
  }

  NodeId lower(const front::BExpr& e) {
    return std::visit([&](const auto& node) { return lower_node(e, node); }, e.node);
  }

  NodeId lower_node(const front::BExpr&, const front::BConst& c) {
    if (const bool* b = std::get_if<bool>(&c.value)) return constant_bool(*b);
    if (const double* d = std::get_if<double>(&c.value)) return constant_num(*d);
    throw std::logic_error("text constant outside a comparison reached the planner");
  }
  NodeId lower_node(const front::BExpr& e, const front::BFieldRef& f) {
    const stdlib::Field& field = plan_.fields.at(f.field);
    plan_.fields_read |= bit(f.field);
    Node n;
    n.field = f.field;
    n.cost = 1;
    if (field.type == stdlib::FieldType::kMoney) {
      n.op = Op::kMoneyField;
      plan_.uses_money = true;
      return add(n);
    }
    n.op = Op::kNumField;
    const NodeId value = add(n);
    if (field.type == stdlib::FieldType::kBool || e.type == front::Type::kBool) {
      // A bool field reads as 1/0; absent compares false like any number.
      return binary(Op::kCmp, static_cast<std::uint8_t>(stdlib::CmpOp::kNe), value, constant_num(0));
    }
    return value;
  }
  NodeId lower_node(const front::BExpr&, const front::BRuleRef& r) {
    Node n;
    n.op = Op::kRule;
    n.index = r.rule;
    n.cost = 1;
    return add(n);
  }
  NodeId lower_node(const front::BExpr&, const front::BStateRead& r) {
    Node n;
    n.op = Op::kState;
    n.index = r.read;
    n.cost = 1;
    return add(n);
  }
  NodeId lower_node(const front::BExpr&, const front::BActionRef&) {
    Node n;
    n.op = Op::kAction;
    n.cost = 1;
    return add(n);
  }
  NodeId lower_node(const front::BExpr&, const front::BScoreRef&) {
    Node n;
    n.op = Op::kScore;
    n.cost = 1;
    return add(n);
  }
  NodeId lower_node(const front::BExpr&, const front::BNot& n) {
    return unary(Op::kNot, lower(*n.operand), 0);
  }
  NodeId lower_node(const front::BExpr&, const front::BAnd& n) {
    std::vector<NodeId> ops;
    for (const auto& o : n.operands) ops.push_back(lower(*o));
    return nary(Op::kAnd, std::move(ops));
  }
  NodeId lower_node(const front::BExpr&, const front::BOr& n) {
    std::vector<NodeId> ops;
    for (const auto& o : n.operands) ops.push_back(lower(*o));
    return nary(Op::kOr, std::move(ops));
  }
  NodeId lower_node(const front::BExpr&, const front::BCompare& c) {
    if (c.lhs->type == front::Type::kText || c.rhs->type == front::Type::kText) return lower_text_compare(c);
    NodeId a = lower(*c.lhs);
    NodeId b = lower(*c.rhs);
    // Money on either side without an explicit conversion compares in the base currency.
    if (c.lhs->type == front::Type::kMoney) a = convert(a, plan_.base_currency);
    if (c.rhs->type == front::Type::kMoney) b = convert(b, plan_.base_currency);
    return binary(Op::kCmp, static_cast<std::uint8_t>(c.op), a, b);
  }
  NodeId lower_node(const front::BExpr&, const front::BArith& a) {
    return binary(Op::kArith, static_cast<std::uint8_t>(a.op), lower(*a.lhs), lower(*a.rhs));
  }
  NodeId lower_node(const front::BExpr&, const front::BNeg& n) { return unary(Op::kNeg, lower(*n.operand)); }
  NodeId lower_node(const front::BExpr&, const front::BInSet& s) {
    if (s.value->type == front::Type::kText) {
      const auto* f = as_field(*s.value);
      std::vector<std::string> values;
      for (const auto& el : s.elements) {
        if (const auto* str = std::get_if<std::string>(&el.value)) values.push_back(*str);
      }
      if (f) return text_in_set(f->field, std::move(values));
      const auto* c = as_text_const(*s.value);
      if (!c) throw std::logic_error("set membership of a computed text reached the planner");
      const std::string v = fold_ascii(*c);
      for (auto& x : values) x = fold_ascii(std::move(x));
      return constant_bool(std::find(values.begin(), values.end(), v) != values.end());
    }
    const NodeId value = lower(*s.value);
    std::vector<NodeId> alternatives;
    for (const auto& el : s.elements) {
      const double* d = std::get_if<double>(&el.value);
      alternatives.push_back(
          binary(Op::kCmp, static_cast<std::uint8_t>(stdlib::CmpOp::kEq), value, constant_num(d ? *d : NAN)));
    }
    if (alternatives.empty()) return constant_bool(false);
    return nary(Op::kOr, std::move(alternatives));
  }
  NodeId convert(NodeId money, const std::string& currency) {
    Node n;
    n.op = Op::kConvert;
    n.a = money;
    n.index = static_cast<std::uint32_t>(plan_.currency_index(currency));
    n.cost = static_cast<std::uint16_t>(cost(money) + 2);
    plan_.uses_money = true;
    return add(n);
  }
  NodeId lower_node(const front::BExpr&, const front::BConvert& c) {
    return convert(lower(*c.money), c.currency);
  }
  NodeId lower_node(const front::BExpr&, const front::BMentions& m) {
    return hit(lexicon_slot(m.lexicon), mask_of(m.scope));
  }
  NodeId lower_node(const front::BExpr&, const front::BMatches& m) {
    return hit(regex_slot(m.regex), mask_of(m.scope));
  }

  NodeId hit(SlotId slot, stdlib::FieldMask mask) {
    use_slot(slot, mask);
    Node n;
    n.op = Op::kHit;
    n.index = slot;
    n.mask = mask;
    n.cost = 2;
    return add(n);
  }

  SlotId call_slot(const front::BCall& c, std::size_t i) const {
    if (i < c.lexicons.size()) return lexicon_slot(c.lexicons[i]);
    return regex_slot(c.regexes.at(i - c.lexicons.size()));
  }

  // Every built-in lowers the same way (stdlib/functions.h): one kCall node naming the function,
  // its scope, its slots, its value operand and its constant. Only the declaration's lowering
  // hints differ: has() is the inline presence bit, and a call that needs a hit of each slot
  // (near) is guarded by those cheap hit tests.
  NodeId lower_node(const front::BExpr&, const front::BCall& c) {
    const stdlib::FunctionDecl& fn = stdlib::function(c.function);
    const stdlib::FieldMask mask = c.scope ? mask_of(*c.scope) : 0;
    Node n;
    n.mask = mask;
    if (fn.field_presence) {
      n.op = Op::kHas;
      n.field = c.field.value();
      n.cost = fn.cost;
      plan_.fields_read |= bit(n.field);
      return add(n);
    }
    n.op = Op::kCall;
    n.fn = fn.id;
    if (c.field) {
      n.field = *c.field;
      plan_.fields_read |= bit(n.field);
    }
    const std::size_t slots = c.lexicons.size() + c.regexes.size();
    std::size_t values = 0;
    bool within = false;
    for (stdlib::Param p : fn.params) {
      values += p == stdlib::Param::kNumber || p == stdlib::Param::kMoney;
      within = within || p == stdlib::Param::kWithin;
      if (p == stdlib::Param::kMoney) plan_.uses_money = true;
    }
    if (slots > stdlib::kMaxCallSlots || values > stdlib::kMaxCallValues ||
        c.args.size() != values + within) {
      throw std::logic_error("a call with more operands than a plan node holds reached the planner");
    }
    if (fn.result == stdlib::Result::kMoney) plan_.uses_money = true;
    std::uint32_t total = fn.cost;
    if (values > 0) {
      n.a = lower(*c.args[0]);
      total += cost(n.a);
    }
    if (within) n.num = constant_value(*c.args.back());
    n.cost = static_cast<std::uint16_t>(std::min<std::uint32_t>(total, 60000));
    if (c.scope) read_text(mask);
    if (slots > 0) n.index = call_slot(c, 0);
    if (slots > 1) n.index2 = call_slot(c, 1);
    for (std::size_t i = 0; i < slots; ++i) use_slot(call_slot(c, i), mask);
    const NodeId call = add(n);
    if (!fn.all_slots_hit || slots == 0) return call;
    std::vector<NodeId> guarded;
    for (std::size_t i = 0; i < slots; ++i) guarded.push_back(hit(call_slot(c, i), mask));
    guarded.push_back(call);
    return nary(Op::kAnd, std::move(guarded));
  }

  static double constant_value(const front::BExpr& e) {
    if (const auto* c = std::get_if<front::BConst>(&e.node)) {
      if (const double* d = std::get_if<double>(&c->value)) return *d;
    }
    if (const auto* n = std::get_if<front::BNeg>(&e.node)) return -constant_value(*n->operand);
    throw std::logic_error("a constant was expected (near's distance)");
  }

  // Evidence: every slot the condition looks for positively.
  void collect_evidence(const front::BExpr& e, bool positive, std::vector<EvidenceSource>& out) {
    auto add_source = [&](SlotId slot, stdlib::FieldMask fields) {
      for (auto& s : out) {
        if (s.slot == slot) {
          s.fields |= fields;
          return;
        }
      }
      out.push_back({slot, fields});
    };
    // Every alternative of BExpr::node is named: a new node kind fails to compile here until
    // it says what evidence it gives.
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, front::BNot>) {
            collect_evidence(*node.operand, !positive, out);
          } else if constexpr (std::is_same_v<T, front::BAnd> || std::is_same_v<T, front::BOr>) {
            for (const auto& o : node.operands) collect_evidence(*o, positive, out);
          } else if constexpr (std::is_same_v<T, front::BCompare> || std::is_same_v<T, front::BArith>) {
            collect_evidence(*node.lhs, positive, out);
            collect_evidence(*node.rhs, positive, out);
          } else if constexpr (std::is_same_v<T, front::BRuleRef>) {
            // "coded_ivory and sold_by_weight": the referenced rule's words explain this one too.
            if (positive && node.rule < plan_.rules.size()) {
              for (const auto& src : plan_.rules[node.rule].evidence) add_source(src.slot, src.fields);
            }
          } else if constexpr (std::is_same_v<T, front::BMentions>) {
            if (positive) add_source(lexicon_slot(node.lexicon), mask_of(node.scope));
          } else if constexpr (std::is_same_v<T, front::BMatches>) {
            if (positive) add_source(regex_slot(node.regex), mask_of(node.scope));
          } else if constexpr (std::is_same_v<T, front::BCall>) {
            if (positive && node.scope) {
              for (std::size_t i = 0; i < node.lexicons.size() + node.regexes.size(); ++i) {
                add_source(call_slot(node, i), mask_of(*node.scope));
              }
            }
          } else if constexpr (std::is_same_v<T, front::BConst> || std::is_same_v<T, front::BFieldRef> ||
                               std::is_same_v<T, front::BScoreRef> || std::is_same_v<T, front::BStateRead> ||
                               std::is_same_v<T, front::BActionRef> || std::is_same_v<T, front::BNeg> ||
                               std::is_same_v<T, front::BInSet> || std::is_same_v<T, front::BConvert>) {
            // Account state and the action are not words in the text: no evidence.
            // No lexicon or regex: no evidence.
            // Values under `-`, `in [...]` and `in CUR` have never contributed evidence; kept so
            // that verdicts do not move (a call under them still decides the condition).
          } else {
            static_assert(kAlwaysFalse<T>, "collect_evidence: a BExpr node kind is not handled");
          }
        },
        e.node);
  }

  PlanTemplate lower_template(const front::Template& t) {
    PlanTemplate out;
    for (const auto& part : t.parts) {
      PlanTemplatePart p;
      p.kind = part.kind;
      p.literal = part.literal;
      if (part.lexicon) p.slot = lexicon_slot(*part.lexicon);
      if (part.regex) p.slot = regex_slot(*part.regex);
      if (part.lexicon || part.regex) {
        // A template may name a slot no condition searches: search all text for it.
        if (plan_.slots[p.slot].fields == 0) use_slot(p.slot, text_mask_);
      }
      if (part.field) {
        p.field = *part.field;
        read_text(bit(p.field));
      }
      out.parts.push_back(std::move(p));
    }
    return out;
  }

  void lower_rule(const front::CheckedRule& rule) {
    PlanRule r;
    r.name = rule.name;
    r.when = lower(*rule.when);
    r.score = rule.score;
    r.tags = rule.tags;
    collect_evidence(*rule.when, true, r.evidence);
    if (rule.reason) r.reason = lower_template(*rule.reason);
    if (rule.message) r.message = lower_template(*rule.message);
    plan_.rules.push_back(std::move(r));
  }

  void lower_accounts() {
    for (const auto& e : pack_.entities) {
      plan_.entities.push_back({e.name, e.field});
      plan_.fields_read |= bit(e.field);
      plan_.text_fields |= bit(e.field);
    }
    for (const auto& c : pack_.counters) {
      PlanCounter pc;
      pc.name = c.name;
      pc.entity = c.entity;
      pc.every = c.when == nullptr;
      pc.distinct = c.distinct;
      pc.distinct_field = c.distinct_field;
      if (c.distinct) {
        plan_.fields_read |= bit(c.distinct_field);
        plan_.text_fields |= bit(c.distinct_field);
      }
      pc.when = c.when ? lower(*c.when) : constant_bool(true);
      pc.window_seconds = c.window_seconds;
      pc.bucket_seconds = std::max<std::int64_t>(1, (c.window_seconds + 59) / 60);
      plan_.counters.push_back(std::move(pc));
    }
    for (const auto& l : pack_.labels) {
      plan_.labels.push_back({l.entity, l.name, l.lifetime_seconds, lower(*l.when)});
    }
    if (pack_.account) {
      plan_.has_account = true;
      plan_.account_entity = pack_.account->entity;
      for (const auto& b : pack_.account->branches) {
        plan_.account.push_back({b.action, b.when == nullptr, b.when ? lower(*b.when) : constant_bool(true)});
      }
    }
    for (const auto& r : pack_.state_reads) {
      plan_.state_reads.push_back({r.is_label, r.entity, r.counter, r.label});
    }
    // Time: a stateful pack reads `posted_at` (docs/accounts.md, "Semantics").
    if (plan_.stateful()) {
      if (auto posted = pack_.find_field("posted_at")) {
        plan_.fields_read |= bit(*posted);
        plan_.text_fields |= bit(*posted);
      }
    }
  }

  void build_passes() {
    for (SlotId s = 0; s < plan_.slots.size(); ++s) {
      const Slot& slot = plan_.slots[s];
      if (slot.fields == 0) continue;  // never searched: no pattern needed
      auto it = std::find_if(plan_.passes.begin(), plan_.passes.end(),
                             [&](const ScanPass& p) { return p.profile == slot.profile; });
      if (it == plan_.passes.end()) {
        plan_.passes.push_back({slot.profile, 0, {}});
        it = plan_.passes.end() - 1;
      }
      it->fields |= slot.fields;
      it->slots.push_back(s);
    }
  }

  const front::CheckedPack& pack_;
  Plan& plan_;
  stdlib::FieldMask text_mask_ = 0;
};

}  // namespace

std::int32_t Plan::currency_index(std::string_view code) const {
  for (std::size_t i = 0; i < currencies.size(); ++i) {
    if (currencies[i] == code) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::unique_ptr<Plan> build_plan(const front::CheckedPack& pack) {
  auto plan = std::make_unique<Plan>();
  Lowerer(pack, *plan).run();
  return plan;
}

const char* to_string(Op op) {
  switch (op) {
    case Op::kConstBool:
      return "const_bool";
    case Op::kConstNum:
      return "const_num";
    case Op::kNumField:
      return "num_field";
    case Op::kHas:
      return "has";
    case Op::kTextInSet:
      return "text_in_set";
    case Op::kTextFieldsEq:
      return "text_fields_eq";
    case Op::kHit:
      return "hit";
    case Op::kCall:
      return "call";
    case Op::kRule:
      return "rule";
    case Op::kScore:
      return "score";
    case Op::kNot:
      return "not";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
    case Op::kCmp:
      return "cmp";
    case Op::kArith:
      return "arith";
    case Op::kNeg:
      return "neg";
    case Op::kMoneyField:
      return "money_field";
    case Op::kConvert:
      return "convert";
    case Op::kState:
      return "state";
    case Op::kAction:
      return "action";
  }
  return "?";
}

}  // namespace tusk::compiler::plan
