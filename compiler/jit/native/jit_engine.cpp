// ORC LLJIT per pack. We compile to an object file ourselves (rather than through LLJIT's IR
// layer) so that the cache and a fresh compile take the same path: both end in addObjectFile.
// Host functions are defined as absolute symbols in the pack's JITDylib and process symbols are
// not linked at all: the generated code can only reach what we registered by name.
#include "compiler/jit/native/jit_engine.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include <fmt/format.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "base/artifact_cache.h"

namespace tusk::compiler::jit {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void init_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::string message(llvm::Error e) { return llvm::toString(std::move(e)); }

llvm::Expected<llvm::orc::JITTargetMachineBuilder> target_for(JitTier tier) {
  init_llvm();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return jtmb.takeError();
  jtmb->setCodeGenOptLevel(tier == JitTier::kO2 ? llvm::CodeGenOptLevel::Default
                                                : llvm::CodeGenOptLevel::None);
  // PIC + small code model: calls to host functions far from JIT memory go through stubs.
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  jtmb->setCodeModel(llvm::CodeModel::Small);
  return jtmb;
}

std::string key_for(const plan::Plan& plan, JitTier tier, const llvm::orc::JITTargetMachineBuilder& jtmb) {
  std::vector<std::string> features = jtmb.getFeatures().getFeatures();
  std::sort(features.begin(), features.end());
  std::string joined;
  for (const auto& f : features) joined += f + ",";
  return fmt::format(
      "tusk-jit ir-format={}\ndigest={}\nplan={}\nllvm={}\ntriple={}\ncpu={}\nfeatures={}\ntier={}\n",
      kIrFormatVersion, plan.digest, plan_fingerprint(plan), LLVM_VERSION_STRING,
      jtmb.getTargetTriple().str(), jtmb.getCPU(), joined, to_string(tier));
}

void optimize(llvm::Module& module, llvm::TargetMachine& tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(module, mam);
}

// Lower, optimize per tier, and emit a relocatable object.
llvm::Expected<std::string> compile_object(const plan::Plan& plan, JitTier tier,
                                           llvm::orc::JITTargetMachineBuilder& jtmb, JitStats& stats) {
  auto tm = jtmb.createTargetMachine();
  if (!tm) return tm.takeError();
  llvm::LLVMContext context;
  auto t = Clock::now();
  std::unique_ptr<llvm::Module> module = lower_plan(plan, context);
  module->setDataLayout((*tm)->createDataLayout());
  module->setTargetTriple((*tm)->getTargetTriple().str());
  std::string broken;
  llvm::raw_string_ostream os(broken);
  if (llvm::verifyModule(*module, &os)) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "lowered IR is invalid: " + os.str());
  }
  stats.lower_ms = ms_since(t);
  t = Clock::now();
  if (tier != JitTier::kO0) optimize(*module, **tm);
  stats.optimize_ms = ms_since(t);
  t = Clock::now();
  llvm::orc::SimpleCompiler compiler(**tm);
  auto object = compiler(*module);
  if (!object) return object.takeError();
  stats.codegen_ms = ms_since(t);
  return std::string((*object)->getBuffer());
}

}  // namespace

std::string cache_key(const plan::Plan& plan, JitTier tier) {
  auto jtmb = target_for(tier);
  if (!jtmb) return "unknown-target:" + message(jtmb.takeError());
  return key_for(plan, tier, *jtmb);
}

Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::create(const plan::Plan& plan, const std::vector<HostSymbol>& host,
                                       const JitOptions& options, bool cache_only, std::string* error) {
  auto fail = [&](std::string why) -> std::unique_ptr<Engine> {
    if (error != nullptr) *error = std::move(why);
    return nullptr;
  };
  const auto start = Clock::now();
  auto jtmb = target_for(options.tier);
  if (!jtmb) return fail(message(jtmb.takeError()));

  std::unique_ptr<Engine> engine(new Engine());
  JitStats& stats = engine->stats_;
  std::string object;
  const std::string cache_dir = options.cache_dir.empty() ? base::default_cache_dir() : options.cache_dir;
  const bool caching = options.use_cache && !cache_dir.empty();
  std::string key;
  stats.cache = "off";
  if (caching) {
    key = key_for(plan, options.tier, *jtmb);
    const base::ArtifactCache cache(cache_dir, ".tjo");
    stats.cache_path = cache.path_for(key);
    const base::CacheLookup lookup = cache.load(key, object);
    stats.cache = base::to_string(lookup);
    stats.from_cache = lookup == base::CacheLookup::kHit;
  }
  if (!stats.from_cache) {
    if (cache_only) return fail("no valid cache entry");
    auto compiled = compile_object(plan, options.tier, *jtmb, stats);
    if (!compiled) return fail(message(compiled.takeError()));
    object = std::move(*compiled);
    if (caching) {
      if (base::ArtifactCache(cache_dir, ".tjo").store(key, object).empty()) stats.cache += "+stored";
    }
  }

  const auto link_start = Clock::now();
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*jtmb))
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit) return fail(message(jit.takeError()));
  llvm::orc::SymbolMap symbols;
  auto define = [&](const std::string& name, const void* address) {
    symbols[(*jit)->mangleAndIntern(name)] = {
        llvm::orc::ExecutorAddr::fromPtr(address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  };
  for (const HostSymbol& s : host) define(s.name, s.address);
  // Code generation may turn loops over the result bytes into these.
  define("memset", reinterpret_cast<const void*>(&std::memset));
  define("memcpy", reinterpret_cast<const void*>(&std::memcpy));
  define("memmove", reinterpret_cast<const void*>(&std::memmove));
  if (auto e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    return fail(message(std::move(e)));
  }
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, "tusk-pack.o");
  if (auto e = (*jit)->addObjectFile(std::move(buffer))) return fail(message(std::move(e)));
  auto address = (*jit)->lookup(kBatchSymbol);
  if (!address) return fail(message(address.takeError()));
  engine->fn_ = address->toPtr<BatchFn>();
  engine->jit_ = std::move(*jit);
  stats.link_ms = ms_since(link_start);
  stats.total_ms = ms_since(start);
  return engine;
}

}  // namespace tusk::compiler::jit
