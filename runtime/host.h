// The host functions of the condition IR (compiler/eval_record.h), implemented over the
// scanner's per-record state. The same table serves the interpreter and the JIT.
#pragma once

#include "compiler/plan/eval_record.h"

namespace tusk::runtime {

const compiler::plan::HostTable& host_table();

}  // namespace tusk::runtime
