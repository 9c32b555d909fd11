// Pack::compile: front end (driver), plan, pattern databases, evaluator.
#include <fmt/format.h>

#include "api/pack_impl.h"
#include "compiler/jit/jit_evaluator.h"
#include "compiler/plan/lower.h"
#include "runtime/host.h"
#include "tusk/pack.h"
#include "tusk/state.h"

namespace tusk {
namespace internal {

std::string build_pack_impl(PackImpl& impl, const CompileOptions& options) {
  runtime::CompiledPack& compiled = impl.compiled;
  if (std::string error = runtime::build_passes(compiled, options.use_cache, options.cache_dir);
      !error.empty()) {
    return error;
  }
  const compiler::plan::Plan& plan = *compiled.plan;
  // kAuto starts on the interpreter and switches to native code once the background compile
  // (or a cache hit) has it; kJit waits for native code; kInterp never leaves the interpreter.
  const Backend backend = options.backend;
  const compiler::jit::EvalBackend which = backend == Backend::kJit      ? compiler::jit::EvalBackend::kJit
                                           : backend == Backend::kInterp ? compiler::jit::EvalBackend::kInterp
                                                                         : compiler::jit::EvalBackend::kAuto;
  compiler::jit::JitOptions jit_options;
  jit_options.use_cache = options.use_cache;
  jit_options.cache_dir = options.cache_dir;
  jit_options.native_after = options.native_after;
  std::string jit_error;
  compiled.evaluator =
      compiler::jit::make_evaluator(plan, runtime::host_table(), which, jit_options, &jit_error);
  if (!compiled.evaluator) return fmt::format("JIT compilation failed: {}", jit_error);
  compiled.info = {plan.name, plan.version, plan.digest};
  // Scanners given no store of their own share this one; a stateless pack has none.
  if (plan.stateful()) compiled.default_state = make_memory_state();
  return {};
}

}  // namespace internal

namespace {

std::vector<Diagnostic> convert(const base::Diagnostics& diags, const base::SourceManager& sources) {
  std::vector<Diagnostic> out;
  for (const auto& d : diags.all()) {
    Diagnostic pd;
    pd.code = std::string(base::info(d.code).id);
    pd.severity = d.severity == base::Severity::kError ? "error" : "warning";
    pd.message = d.message;
    if (d.primary.span.valid()) {
      const auto& file = sources.file(d.primary.span.source);
      const auto lc = file.line_col(d.primary.span.begin);
      pd.file = file.path();
      pd.line = lc.line;
      pd.column = lc.column;
    }
    pd.rendered = base::render_text(d, sources);
    out.push_back(std::move(pd));
  }
  return out;
}

}  // namespace

Pack::Pack(std::unique_ptr<internal::PackImpl> impl) : impl_(std::move(impl)) {}
Pack::~Pack() = default;
const PackInfo& Pack::info() const { return impl_->compiled.info; }

const Limits& Pack::limits() const { return impl_->compiled.limits; }

bool Pack::stateful() const { return impl_->compiled.plan->stateful(); }

namespace {

// The back half of compile(): from a loaded and checked pack to a ready one.
CompileResult finish(std::unique_ptr<internal::PackImpl> impl, const std::string& path,
                     const CompileOptions& options) {
  CompileResult result;
  result.diagnostics = convert(impl->loaded->diags, impl->loaded->sources);
  result.rendered = base::render_text(impl->loaded->diags, impl->loaded->sources);
  if (impl->loaded->diags.has_errors() || !impl->loaded->checked) return result;
  const auto fail = [&](std::string code, const std::string& message) {
    result.diagnostics.push_back(
        {std::move(code), "error", message, path, 0, 0, fmt::format("error: {}\n", message)});
    result.rendered += result.diagnostics.back().rendered;
    return result;
  };
  try {
    impl->compiled.plan = compiler::plan::build_plan(*impl->loaded->checked);
  } catch (const std::exception& e) {
    return fail("internal", fmt::format("cannot plan the pack: {}", e.what()));
  }
  // Limits::max_terms_per_pack and the bytes of a term were checked with the pack (E051), as
  // `tusk check` does.
  impl->compiled.limits = options.limits;
  if (std::string error = internal::build_pack_impl(*impl, options); !error.empty()) {
    return fail("internal", error);
  }
  result.pack = std::make_shared<const Pack>(std::move(impl));
  return result;
}

compiler::front::CheckOptions check_options(const CompileOptions& options) {
  compiler::front::CheckOptions check;
  check.stdlib_dir = options.stdlib_dir.empty() ? compiler::front::default_stdlib_dir() : options.stdlib_dir;
  check.allow = options.allow;
  check.allowed_roots = options.allowed_roots;
  check.max_terms_per_pack = options.limits.max_terms_per_pack;
  check.cache.use_disk = options.use_cache;
  check.cache.dir = options.cache_dir;
  return check;
}

}  // namespace

CompileResult Pack::compile(const std::string& path, const CompileOptions& options) {
  auto impl = std::make_unique<internal::PackImpl>();
  impl->loaded = compiler::front::load_pack(path, check_options(options));
  return finish(std::move(impl), path, options);
}

CompileResult Pack::compile_files(const std::vector<std::string>& files, const CompileOptions& options) {
  auto impl = std::make_unique<internal::PackImpl>();
  impl->loaded = compiler::front::load_pack_files(files, check_options(options));
  return finish(std::move(impl), files.empty() ? std::string() : files.front(), options);
}

CompileResult Pack::compile_sources(const std::map<std::string, std::string>& files, const std::string& main,
                                    const CompileOptions& options) {
  auto impl = std::make_unique<internal::PackImpl>();
  impl->loaded = compiler::front::load_pack(main, check_options(options), files);
  return finish(std::move(impl), main.empty() ? std::string("pack.yaml") : main, options);
}

}  // namespace tusk
