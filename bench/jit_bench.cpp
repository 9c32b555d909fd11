// The JIT's compile cost per tier, its evaluation speed against the interpreter, and how soon a
// large pack gives its first verdict. Packs of N generated rules (text mentions, number and money
// comparisons, rule references, and/or/not); records are synthetic EvalRecords and the host
// functions are trivial, so the figures are the condition evaluation itself.
//
//   build-jit/bin/jit_bench --benchmark_filter=Compile      compile per tier, 100 and 1000 rules
//   build-jit/bin/jit_bench --benchmark_filter=Evaluate     records/s per backend
//   build-jit/bin/jit_bench --benchmark_filter=FirstVerdict cold start and cache start
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <fmt/format.h>

#include "base/diagnostic.h"
#include "compiler/front/driver.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit_evaluator.h"
#include "compiler/plan/lower.h"

namespace {

using namespace tusk::compiler::front;   // NOLINT: a benchmark reads the whole compiler
using namespace tusk::compiler::plan;    // NOLINT
using namespace tusk::compiler::interp;  // NOLINT
using namespace tusk::compiler::jit;     // NOLINT
namespace fs = std::filesystem;

bool in_set(const void*, std::uint32_t f, std::uint32_t s) { return ((f + s) & 3) == 0; }
bool fields_eq(const void*, std::uint32_t, std::uint32_t) { return false; }
// The generated packs call no built-in function, so the host is never read as a RecordView.
const HostTable kHost = {in_set, fields_eq};

constexpr int kLexicons = 40;

std::string pack_source(int rules) {
  std::string s = fmt::format("pack bench.r{} version \"1.0.0\"\n", rules);
  const char* words[] = {"ivory", "tusk", "horn", "scale", "bone", "shell", "bile", "casque", "pelt", "claw"};
  for (int l = 0; l < kLexicons; ++l) {
    s += fmt::format("lexicon lex{} {{ \"{}{}\", \"{}\" }}\n", l, words[l % 10], l, words[(l + 3) % 10]);
  }
  for (int r = 0; r < rules; ++r) {
    const int a = r % kLexicons, b = (r * 7 + 3) % kLexicons;
    std::string when;
    switch (r % 5) {
      case 0:
        when = fmt::format("text mentions lex{} and not title mentions lex{}", a, b);
        break;
      case 1:
        when = fmt::format("text mentions lex{} and (qty > {} or price in USD < {})", a, r % 50, 10 + r % 90);
        break;
      case 2:
        when = fmt::format(
            "(title mentions lex{} or description mentions lex{}) and category in {{\"antiques\", \"art\"}}",
            a, b);
        break;
      case 3:
        when = fmt::format("r{} and qty * 2 >= {} or text mentions lex{}", r - 1, r % 20, b);
        break;
      default:
        when = fmt::format("r{} or (r{} and not text mentions lex{})", r - 2, r - 4 >= 0 ? r - 4 : 0, a);
        break;
    }
    s += fmt::format("rule r{} {{ when {} score {} }}\n", r, when, (r % 7) * 5 - 10);
  }
  s += "decide {\n  block when score >= 80\n  review when score >= 40 or r0\n  allow otherwise\n}\n";
  return s;
}

struct BenchPack {
  fs::path dir;
  std::unique_ptr<LoadedPack> loaded;
  std::unique_ptr<Plan> plan;
};

const char* const kManifest =
    "name: bench.r{}\nversion: \"1.0.0\"\nsources: [main.tusk]\nfields:\n  qty: number\n"
    "currency:\n  base: USD\n  as_of: 2025-01-02\n  rates:\n    USD: 1\n    EUR: 1.035\n";

fs::path write_pack(int rules) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tusk-jit-bench-{}-{}", rules, ::getpid());
  fs::create_directories(dir);
  std::ofstream(dir / "pack.yaml") << fmt::format(fmt::runtime(kManifest), rules);
  std::ofstream(dir / "main.tusk") << pack_source(rules);
  return dir;
}

BenchPack& pack(int rules) {
  static std::map<int, BenchPack> packs;
  auto it = packs.find(rules);
  if (it != packs.end()) return it->second;
  BenchPack& p = packs[rules];
  p.dir = write_pack(rules);
  CheckOptions options;
  options.stdlib_dir = fs::path(TUSK_SOURCE_DIR) / "stdlib";
  p.loaded = load_pack(p.dir.string(), options);
  if (!p.loaded->checked || p.loaded->diags.has_errors()) {
    fmt::print(stderr, "{}", tusk::base::render_text(p.loaded->diags, p.loaded->sources));
    std::abort();
  }
  p.plan = build_plan(*p.loaded->checked);
  return p;
}

struct Records {
  std::vector<double> numbers;
  std::vector<std::int32_t> currencies;
  std::vector<tusk::stdlib::FieldMask> slots;
  std::vector<EvalRecord> records;
  Records(const Plan& plan, std::size_t n) {
    std::mt19937_64 rng(42);
    const std::size_t nf = plan.fields.size(), ns = plan.slots.size();
    numbers.resize(n * nf);
    currencies.resize(n * nf);
    slots.resize(n * ns);
    for (auto& v : numbers) v = static_cast<double>(rng() % 200);
    for (auto& c : currencies) c = static_cast<std::int32_t>(rng() % plan.currencies.size());
    // About one slot in eight has a hit, in a random field.
    for (auto& s : slots) s = (rng() % 8 == 0) ? (tusk::stdlib::FieldMask{1} << (rng() % nf)) : 0;
    for (std::size_t i = 0; i < n; ++i) {
      records.push_back(
          {rng(), &numbers[i * nf], &currencies[i * nf], &slots[i * ns],
           reinterpret_cast<const void*>(  // NOLINT(performance-no-int-to-ptr): never dereferenced
               static_cast<std::uintptr_t>(rng() & ~std::uint64_t{15}))});
    }
  }
};

JitOptions no_cache(JitTier tier) {
  JitOptions o;
  o.tier = tier;
  o.use_cache = false;
  return o;
}

void BM_Compile(benchmark::State& state) {
  const auto tier = static_cast<JitTier>(state.range(0));
  const Plan& plan = *pack(static_cast<int>(state.range(1))).plan;
  JitStats stats;
  for (auto _ : state) {
    std::string error;
    auto jit = JitEvaluator::create(plan, kHost, no_cache(tier), &error);
    if (!jit) {
      state.SkipWithError(error.c_str());
    } else {
      stats = jit->stats();
    }
  }
  state.SetLabel(to_string(tier));
  state.counters["lower_ms"] = stats.lower_ms;
  state.counters["opt_ms"] = stats.optimize_ms;
  state.counters["codegen_ms"] = stats.codegen_ms;
  state.counters["link_ms"] = stats.link_ms;
}
BENCHMARK(BM_Compile)
    ->ArgsProduct({{0, 1, 2}, {100, 1000}})
    ->ArgNames({"tier", "rules"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// backend: 0 interpreter, 1 JIT O0, 2 JIT O2-IR+CodeGenNone, 3 JIT O2
void BM_Evaluate(benchmark::State& state) {
  const int backend = static_cast<int>(state.range(0));
  const Plan& plan = *pack(static_cast<int>(state.range(1))).plan;
  std::unique_ptr<Evaluator> eval;
  std::string error;
  if (backend == 0) {
    eval = std::make_unique<Interpreter>(plan, kHost);
  } else {
    eval = JitEvaluator::create(plan, kHost, no_cache(static_cast<JitTier>(backend - 1)), &error);
  }
  if (!eval) {
    state.SkipWithError(error.c_str());
    return;
  }
  constexpr std::size_t kBatch = 256;
  Records recs(plan, kBatch);
  std::vector<EvalResult> results(kBatch);
  for (auto _ : state) {
    eval->evaluate(recs.records.data(), kBatch, results.data());
    benchmark::DoNotOptimize(results.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  const char* names[] = {"interp", "jit-O0", "jit-O2IR", "jit-O2"};
  state.SetLabel(names[backend]);
}
BENCHMARK(BM_Evaluate)->ArgsProduct({{0, 1, 2, 3}, {100, 1000}})->ArgNames({"backend", "rules"});

// Time from a checked plan to the first evaluated batch with the auto backend: cold (empty
// cache: the interpreter answers while the JIT compiles) and warm (the object cache has it).
void BM_FirstVerdict(benchmark::State& state) {
  const bool warm = state.range(0) != 0;
  const Plan& plan = *pack(static_cast<int>(state.range(1))).plan;
  const fs::path cache = fs::temp_directory_path() / fmt::format("tusk-jit-bench-cache-{}", ::getpid());
  JitOptions options;
  options.cache_dir = cache.string();
  Records recs(plan, 16);
  std::vector<EvalResult> results(16);
  if (warm) {
    TieredEvaluator fill(plan, kHost, options);
    fill.wait_for_jit();
  }
  const char* backend = "";
  for (auto _ : state) {
    if (!warm) {
      state.PauseTiming();
      fs::remove_all(cache);
      state.ResumeTiming();
    }
    auto t0 = std::chrono::steady_clock::now();
    auto tiered = std::make_unique<TieredEvaluator>(plan, kHost, options);
    tiered->evaluate(recs.records.data(), recs.records.size(), results.data());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(ms / 1000);
    backend = tiered->name();
    state.PauseTiming();
    tiered.reset();  // joins the background compile outside the measured time
    state.ResumeTiming();
  }
  state.SetLabel(fmt::format("{} start, first batch on {}", warm ? "cache" : "cold", backend));
  fs::remove_all(cache);
}
BENCHMARK(BM_FirstVerdict)
    ->ArgsProduct({{0, 1}, {1000}})
    ->ArgNames({"cached", "rules"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
