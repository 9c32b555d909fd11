// The reference interpreter: a direct walk of the plan IR. Never the fast path; it defines
// what the JIT must compute (RE2's backtrack.cc, Soufflé's interpreter).
#pragma once

#include "compiler/plan/evaluator.h"

namespace tusk::compiler::interp {

class Interpreter final : public plan::Evaluator {
 public:
  // `host` serves the text comparisons; built-ins are called through stdlib::functions() with
  // each record's EvalRecord::host as their stdlib::RecordView.
  Interpreter(const plan::Plan& plan, const plan::HostTable& host);
  void evaluate(const plan::EvalRecord* records, std::size_t count, plan::EvalResult* results) const override;
  const char* name() const override { return "interp"; }

  void evaluate_one(const plan::EvalRecord& record, plan::EvalResult& result) const;
  // The value of any node given the record and the rules already decided in `so_far`:
  // `tusk explain` shows sub-expression values with it.
  plan::Value value(plan::NodeId node, const plan::EvalRecord& record, const plan::EvalResult& so_far) const;

 private:
  plan::Value call(const plan::Node& n, const plan::EvalRecord& record, const plan::EvalResult& so_far) const;

  const plan::Plan& plan_;
  plan::HostTable host_;
  std::vector<bool> fn_has_value_;  // per stdlib::FunctionId: the call has a value operand `a`
};

}  // namespace tusk::compiler::interp
