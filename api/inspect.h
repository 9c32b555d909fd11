// Internal: what the workflow tools (tools/) and the CLI may see of a compiled Pack and of a
// Scanner's last record, without the API's implementation types. Not installed. Everything
// here is read-only except the pipeline, which tools drive record by record (explain, tests,
// profiles).
#pragma once

#include <string>

#include "compiler/front/driver.h"
#include "compiler/plan/eval_record.h"
#include "compiler/plan/plan.h"
#include "runtime/compiled_pack.h"
#include "runtime/pipeline.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::inspect {

// The pack's sources, files and checked representation (tests, coverage, explain).
const compiler::front::LoadedPack& loaded(const Pack& pack);
const compiler::plan::Plan& plan(const Pack& pack);
// Scan passes with their pattern databases and cache status, the evaluator.
const runtime::CompiledPack& compiled(const Pack& pack);
// The scanner's pipeline: the last record's hits, normalized texts, evaluation.
runtime::Pipeline& pipeline(Scanner& scanner);
const runtime::Pipeline& pipeline(const Scanner& scanner);
// The host functions the backends call, for running the reference interpreter beside a scan.
const compiler::plan::HostTable& host_table();
// The LLVM IR the JIT generates for a plan (`tusk check --dump ir`).
// Empty with `error` set when the JIT module cannot be loaded.
std::string dump_ir(const compiler::plan::Plan& plan, std::string* error);

}  // namespace tusk::inspect
