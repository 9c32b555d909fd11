// The reference interpreter: a direct walk of the plan IR. Never the fast path; it defines
// what the JIT must compute (RE2's backtrack.cc, Soufflé's interpreter).
#pragma once

#include "compiler/plan/evaluator.h"

namespace tusk::compiler {

class Interpreter final : public Evaluator {
 public:
  // `host` serves the text comparisons; built-ins are called through stdlib::functions() with
  // each record's EvalRecord::host as their stdlib::RecordView.
  Interpreter(const Plan& plan, const HostTable& host);
  void evaluate(const EvalRecord* records, std::size_t count, EvalResult* results) const override;
  const char* name() const override { return "interp"; }

  void evaluate_one(const EvalRecord& record, EvalResult& result) const;
  // The value of any node given the record and the rules already decided in `so_far`:
  // `tusk explain` shows sub-expression values with it.
  Value value(NodeId node, const EvalRecord& record, const EvalResult& so_far) const;

 private:
  Value call(const Node& n, const EvalRecord& record, const EvalResult& so_far) const;

  const Plan& plan_;
  HostTable host_;
  std::vector<bool> fn_has_value_;  // per stdlib::FunctionId: the call has a value operand `a`
};

}  // namespace tusk::compiler
