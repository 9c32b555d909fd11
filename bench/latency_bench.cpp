// Latency of one ~1 KB listing through the C++ API (Scanner::scan into a reused Verdict),
// timed one call at a time so that the median and p99 of single calls are reported, not just
// the mean. Target (issue: embedding): p99 < 50 µs.
//   build/bin/latency_bench --benchmark_min_time=2
// Counters: p50_us, p99_us, max_us per call. Pack: TUSK_BENCH_PACK (default the wildlife
// example pack, JIT backend, waited for); listings: the bundled samples padded to 1 KB.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace {

struct Fixture {
  std::shared_ptr<const tusk::Pack> pack;
  std::vector<std::string> listings;  // each 1,000 to 1,100 bytes

  explicit Fixture(tusk::Backend backend) {
    const std::string root = TUSK_SOURCE_DIR;
    tusk::CompileOptions options;
    options.stdlib_dir = root + "/stdlib";
    options.backend = backend;
    const char* env = std::getenv("TUSK_BENCH_PACK");
    pack = tusk::Pack::compile(env != nullptr ? env : root + "/examples/packs/wildlife", options).pack;
    std::ifstream in(root + "/examples/listings/sample.jsonl");
    static const char* const kFiller[] = {" Ships worldwide, well packed.",
                                          " Estate find, some wear, see photos.",
                                          " Heavy and cold to the touch.",
                                          " Carved by hand, signed on the base.",
                                          " Collected in the 1960s by my grandfather.",
                                          " No returns, cash on pickup."};
    std::size_t k = 0;
    for (std::string line; std::getline(in, line);) {
      // Pad the description (or add one) so that every line is about 1 KB of real-looking text.
      const auto at = line.find("\"description\": \"");
      std::string pad;
      while (line.size() + pad.size() < 1000) pad += kFiller[k++ % 6];
      if (at != std::string::npos) {
        line.insert(at + 16, pad);
      } else if (!line.empty() && line.back() == '}') {
        line.insert(line.size() - 1, ", \"description\": \"" + pad + "\"");
      }
      if (line.size() >= 1000) listings.push_back(line);
    }
  }
};

void run(benchmark::State& state, tusk::Backend backend) {
  static Fixture jit(tusk::Backend::kJit), interp(tusk::Backend::kInterp);
  Fixture& f = backend == tusk::Backend::kJit ? jit : interp;
  if (!f.pack || f.listings.empty()) {
    state.SkipWithError("pack or listings missing");
    return;
  }
  tusk::Scanner scanner(f.pack);
  tusk::Verdict verdict;
  std::vector<double> samples;
  samples.reserve(1 << 20);
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& line = f.listings[i++ % f.listings.size()];
    const auto t0 = std::chrono::steady_clock::now();
    scanner.scan(line, verdict);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(verdict.score);
    samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    bytes += line.size();
  }
  std::sort(samples.begin(), samples.end());
  const auto pct = [&](double p) {
    return samples[std::min(samples.size() - 1, static_cast<std::size_t>(p * samples.size()))];
  };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = samples.back();
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_Latency1KB_Jit(benchmark::State& state) { run(state, tusk::Backend::kJit); }
void BM_Latency1KB_Interp(benchmark::State& state) { run(state, tusk::Backend::kInterp); }
BENCHMARK(BM_Latency1KB_Jit)->UseRealTime();
BENCHMARK(BM_Latency1KB_Interp)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
