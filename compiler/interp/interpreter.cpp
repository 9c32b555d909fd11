#include <cmath>
#include <limits>

#include "compiler/interp/interpreter.h"
#include "stdlib/functions.h"

namespace tusk::compiler::interp {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool compare(stdlib::CmpOp op, double a, double b) {
  // A missing number (NaN) makes every comparison false, `!=` included: "numbers compare false".
  if (std::isnan(a) || std::isnan(b)) return false;
  switch (op) {
    case stdlib::CmpOp::kEq:
      return a == b;
    case stdlib::CmpOp::kNe:
      return a != b;
    case stdlib::CmpOp::kLt:
      return a < b;
    case stdlib::CmpOp::kLe:
      return a <= b;
    case stdlib::CmpOp::kGt:
      return a > b;
    case stdlib::CmpOp::kGe:
      return a >= b;
  }
  return false;
}

double arith(stdlib::ArithOp op, double a, double b) {
  switch (op) {
    case stdlib::ArithOp::kAdd:
      return a + b;
    case stdlib::ArithOp::kSub:
      return a - b;
    case stdlib::ArithOp::kMul:
      return a * b;
    case stdlib::ArithOp::kDiv:
      return b == 0 ? kNaN : a / b;  // x/0 is "no value", not infinity
  }
  return kNaN;
}

}  // namespace

Interpreter::Interpreter(const plan::Plan& plan, const plan::HostTable& host) : plan_(plan), host_(host) {
  for (const auto& fn : stdlib::functions()) {
    bool has_value = false;
    for (stdlib::Param p : fn.params) {
      has_value = has_value || p == stdlib::Param::kNumber || p == stdlib::Param::kMoney;
    }
    fn_has_value_.push_back(has_value);
  }
}

plan::Value Interpreter::value(plan::NodeId id, const plan::EvalRecord& rec,
                               const plan::EvalResult& so_far) const {
  const plan::Node& n = plan_.nodes[id];
  auto truth = [](bool b) { return plan::Value{b ? 1.0 : 0.0, -1}; };
  auto field_present = [&](std::uint32_t f) { return (rec.present >> f) & 1u; };
  switch (n.op) {
    case plan::Op::kConstBool:
    case plan::Op::kConstNum:
      return {n.num, -1};
    case plan::Op::kNumField:
      return {field_present(n.field) ? rec.numbers[n.field] : kNaN, -1};
    case plan::Op::kMoneyField:
      return {field_present(n.field) ? rec.numbers[n.field] : kNaN, rec.currencies[n.field]};
    case plan::Op::kHas:
      return truth(field_present(n.field));
    case plan::Op::kTextInSet:
      return truth(host_.text_in_set(rec.host, n.field, n.index));
    case plan::Op::kTextFieldsEq:
      return truth(host_.text_fields_eq(rec.host, n.field, n.index));
    case plan::Op::kHit:
      return truth((rec.slot_fields[n.index] & n.mask) != 0);
    case plan::Op::kCall:
      return call(n, rec, so_far);
    case plan::Op::kRule:
      return truth(so_far.fired[n.index] != 0);
    case plan::Op::kScore:
      return {so_far.score, -1};
    case plan::Op::kState:
      return {rec.state != nullptr ? rec.state[n.index] : kNaN, -1};
    case plan::Op::kAction:
      return {static_cast<double>(so_far.action), -1};
    case plan::Op::kNot:
      return truth(value(n.a, rec, so_far).num == 0);
    case plan::Op::kAnd:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (value(plan_.kids[n.first + i], rec, so_far).num == 0) return truth(false);
      }
      return truth(true);
    case plan::Op::kOr:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (value(plan_.kids[n.first + i], rec, so_far).num != 0) return truth(true);
      }
      return truth(false);
    case plan::Op::kCmp:
      return truth(compare(static_cast<stdlib::CmpOp>(n.sub), value(n.a, rec, so_far).num,
                           value(n.b, rec, so_far).num));
    case plan::Op::kArith:
      return {arith(static_cast<stdlib::ArithOp>(n.sub), value(n.a, rec, so_far).num,
                    value(n.b, rec, so_far).num),
              -1};
    case plan::Op::kNeg:
      return {-value(n.a, rec, so_far).num, -1};
    case plan::Op::kConvert: {
      const plan::Value money = value(n.a, rec, so_far);
      if (money.currency < 0 || n.index >= plan_.rate_to_base.size()) return {kNaN, -1};
      return {money.num * plan_.rate_to_base[money.currency] / plan_.rate_to_base[n.index], -1};
    }
  }
  return {kNaN, -1};
}

// Every built-in through the registry: the same entry the JIT calls by its symbol.
plan::Value Interpreter::call(const plan::Node& n, const plan::EvalRecord& rec,
                              const plan::EvalResult& so_far) const {
  const stdlib::FunctionDecl& fn = stdlib::function(stdlib::FunctionId{n.fn});
  stdlib::CallArgs args{};
  args.record = static_cast<const stdlib::RecordView*>(rec.host);
  args.scope = n.mask;
  args.slots[0] = n.index;
  args.slots[1] = n.index2;
  args.field = n.field;
  args.constant = n.num;
  std::int32_t currency = -1;
  if (fn_has_value_[n.fn]) {
    const plan::Value v = value(n.a, rec, so_far);
    args.values[0] = v.num;
    currency = v.currency;
  }
  const double result = fn.impl(&args);
  return {result, fn.result == stdlib::Result::kMoney ? currency : -1};
}

void Interpreter::evaluate_one(const plan::EvalRecord& rec, plan::EvalResult& result) const {
  result.reset(plan_);
  for (std::size_t r = 0; r < plan_.rules.size(); ++r) {
    const plan::PlanRule& rule = plan_.rules[r];
    if (value(rule.when, rec, result).num != 0) {
      result.fired[r] = 1;
      result.score += rule.score;
    }
  }
  for (std::size_t b = 0; b < plan_.decide.size(); ++b) {
    const plan::PlanBranch& branch = plan_.decide[b];
    if (branch.otherwise || value(branch.when, rec, result).num != 0) {
      result.branch = static_cast<std::int32_t>(b);
      result.action = branch.action;
      break;
    }
  }
  for (std::size_t s = 0; s < plan_.suggestions.size(); ++s) {
    result.suggested[s] = value(plan_.suggestions[s].when, rec, result).num != 0 ? 1 : 0;
  }
  // Post-decide: what the listing does to account state, and the account decision. They read
  // the action just decided (Op::kAction) and the state as it was before this listing.
  const std::size_t counters = plan_.counters.size();
  for (std::size_t c = 0; c < counters; ++c) {
    result.effects[c] = value(plan_.counters[c].when, rec, result).num != 0 ? 1 : 0;
  }
  for (std::size_t l = 0; l < plan_.labels.size(); ++l) {
    result.effects[counters + l] = value(plan_.labels[l].when, rec, result).num != 0 ? 1 : 0;
  }
  for (std::size_t b = 0; b < plan_.account.size(); ++b) {
    const plan::PlanAccountBranch& branch = plan_.account[b];
    if (branch.otherwise || value(branch.when, rec, result).num != 0) {
      result.account_branch = static_cast<std::int32_t>(b);
      result.account = branch.action;
      break;
    }
  }
}

void Interpreter::evaluate(const plan::EvalRecord* records, std::size_t count,
                           plan::EvalResult* results) const {
  for (std::size_t i = 0; i < count; ++i) evaluate_one(records[i], results[i]);
}

}  // namespace tusk::compiler::interp
