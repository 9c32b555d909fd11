// The scan path end to end through the public API: JSON line -> verdict JSON.
//   build/bin/scan_bench [--benchmark_filter=...]
// Pack and corpus default to the bundled ones; override with TUSK_BENCH_PACK and
// TUSK_BENCH_CORPUS (a JSONL file). Figures go in docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

struct Fixture {
  std::shared_ptr<const tusk::Pack> pack;
  std::vector<std::string> lines;
  std::size_t bytes = 0;

  Fixture() {
    const std::string root = TUSK_SOURCE_DIR;
    tusk::CompileOptions options;
    options.stdlib_dir = root + "/stdlib";
    auto result = tusk::Pack::compile(env_or("TUSK_BENCH_PACK", root + "/examples/packs/ivory"), options);
    pack = result.pack;
    std::ifstream in(env_or("TUSK_BENCH_CORPUS", root + "/examples/listings/sample.jsonl"));
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    for (const auto& l : lines) bytes += l.size() + 1;
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_ScanToJson(benchmark::State& state) {
  Fixture& f = fixture();
  if (!f.pack || f.lines.empty()) {
    state.SkipWithError("pack or corpus missing");
    return;
  }
  tusk::Scanner scanner(f.pack);
  std::size_t records = 0;
  for (auto _ : state) {
    for (const auto& line : f.lines) {
      std::string out = tusk::to_json(scanner.scan(line));
      benchmark::DoNotOptimize(out);
    }
    records += f.lines.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.bytes));
}
BENCHMARK(BM_ScanToJson)->Unit(benchmark::kMillisecond);

void BM_PackCompile(benchmark::State& state) {
  const std::string root = TUSK_SOURCE_DIR;
  tusk::CompileOptions options;
  options.stdlib_dir = root + "/stdlib";
  const std::string path = env_or("TUSK_BENCH_PACK", root + "/examples/packs/ivory");
  for (auto _ : state) {
    auto result = tusk::Pack::compile(path, options);
    benchmark::DoNotOptimize(result.pack);
  }
}
BENCHMARK(BM_PackCompile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
