#include "api/inspect.h"

#include "api/pack_impl.h"
#include "api/scanner_impl.h"
#include "compiler/jit/jit_evaluator.h"
#include "runtime/host.h"

namespace tusk {

namespace inspect {

using internal::Inspect;

const compiler::front::LoadedPack& loaded(const Pack& pack) { return *Inspect::pack(pack).loaded; }
const compiler::plan::Plan& plan(const Pack& pack) { return *Inspect::pack(pack).compiled.plan; }
const runtime::CompiledPack& compiled(const Pack& pack) { return Inspect::pack(pack).compiled; }
runtime::Pipeline& pipeline(Scanner& scanner) { return Inspect::scanner(scanner).pipeline; }
const runtime::Pipeline& pipeline(const Scanner& scanner) { return Inspect::scanner(scanner).pipeline; }
const compiler::plan::HostTable& host_table() { return runtime::host_table(); }
std::string dump_ir(const compiler::plan::Plan& plan, std::string* error) {
  return compiler::jit::dump_ir(plan, error);
}

}  // namespace inspect
}  // namespace tusk
