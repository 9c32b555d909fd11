// The reference interpreter: a direct walk of the plan IR. Never the fast path; it defines
// what the JIT must compute (RE2's backtrack.cc, Soufflé's interpreter).
#pragma once

#include "compiler/plan/evaluator.h"

namespace tusk::compiler {

class Interpreter final : public Evaluator {
 public:
  Interpreter(const Plan& plan, const HostTable& host) : plan_(plan), host_(host) {}
  void evaluate(const EvalRecord* records, std::size_t count, EvalResult* results) const override;
  const char* name() const override { return "interp"; }

  void evaluate_one(const EvalRecord& record, EvalResult& result) const;
  // The value of any node given the record and the rules already decided in `so_far`:
  // `tusk explain` shows sub-expression values with it.
  Value value(NodeId node, const EvalRecord& record, const EvalResult& so_far) const;

 private:
  const Plan& plan_;
  HostTable host_;
};

}  // namespace tusk::compiler
