// Pattern compile latency and scan throughput (runtime/patterns.h). Figures and the command
// line are recorded in docs/performance.md.
//
//   cmake --build <build> --target patterns_bench && <build>/bin/patterns_bench
//
// Inputs are synthetic but shaped like listings: lower-case words of 3-11 letters, about 5% of
// the lexicon multi-word, 5% prefix terms, 5% CJK; 1 KB texts with a few lexicon hits each.
// BM_ScanRawVectorscan is the floor: the same terms as a plain Vectorscan literal database with
// an empty callback, i.e. what the boundary checks and match bookkeeping cost on top.
#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <random>
#include <string>
#include <vector>

#include "runtime/patterns.h"

namespace {

using tusk::runtime::Match;
using tusk::runtime::PatternDb;
using tusk::runtime::PatternDbOptions;
using tusk::runtime::PatternKind;
using tusk::runtime::PatternScratch;
using tusk::runtime::PatternSpec;

std::string random_word(std::mt19937& rng) {
  std::string w;
  const int len = 3 + static_cast<int>(rng() % 9);
  for (int i = 0; i < len; ++i) w += static_cast<char>('a' + rng() % 26);
  return w;
}

const char* const kCjk[] = {"象牙", "牙雕", "手镯", "白塑料", "非洲料", "犀角", "穿山甲", "摆件"};

std::vector<PatternSpec> lexicon(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<PatternSpec> specs;
  for (std::uint32_t i = 0; i < n; ++i) {
    PatternSpec s;
    s.id = i;
    s.kind = PatternKind::kTerm;
    switch (i % 20) {
      case 0:
        s.text = random_word(rng) + " " + random_word(rng);
        break;
      case 1:
        s.text = random_word(rng);
        s.prefix = true;
        break;
      case 2:
        s.text = std::string(kCjk[rng() % 8]) + kCjk[rng() % 8];
        break;
      default:
        s.text = random_word(rng);
    }
    specs.push_back(std::move(s));
  }
  return specs;
}

void add_regexes_and_fuzzy(std::vector<PatternSpec>& specs) {
  for (const char* re : {R"(\d+(\.\d+)?\s?(kg|g|grams?|公斤|克|斤|两))", R"(\$\s?\d+)", R"(pre[- ]?ban)",
                         R"(\d{2,4}\s?(cm|mm))"}) {
    PatternSpec s;
    s.id = static_cast<std::uint32_t>(specs.size());
    s.kind = PatternKind::kRegex;
    s.text = re;
    s.flags = "i";
    specs.push_back(std::move(s));
  }
  for (const char* t : {"ivory", "rhino horn", "pangolin", "tortoiseshell", "netsuke"}) {
    PatternSpec s;
    s.id = static_cast<std::uint32_t>(specs.size());
    s.kind = PatternKind::kTerm;
    s.text = t;
    s.edit_distance = 1;
    specs.push_back(std::move(s));
  }
}

// `count` texts of about `size` bytes: random filler words with a lexicon term about every
// 300 bytes and an occasional number with a unit.
std::vector<std::string> corpus(const std::vector<PatternSpec>& specs, std::size_t count, std::size_t size) {
  std::mt19937 rng(7);
  std::vector<std::string> texts;
  for (std::size_t t = 0; t < count; ++t) {
    std::string text;
    while (text.size() < size) {
      const unsigned r = rng() % 100;
      if (r < 2) {
        text += specs[rng() % specs.size()].text;
      } else if (r < 3) {
        text += std::to_string(rng() % 500) + " g";
      } else {
        text += random_word(rng);
      }
      text += rng() % 10 == 0 ? ", " : " ";
    }
    text.resize(size);
    texts.push_back(std::move(text));
  }
  return texts;
}

void BM_Compile(benchmark::State& state) {
  const auto specs = lexicon(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) {
    std::string error;
    std::uint32_t bad = 0;
    auto db = PatternDb::compile(specs, PatternDbOptions{}, &error, &bad);
    if (!db) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(db);
  }
  state.counters["terms"] = static_cast<double>(specs.size());
}
BENCHMARK(BM_Compile)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CompileWithRegexesAndFuzzy(benchmark::State& state) {
  auto specs = lexicon(static_cast<std::size_t>(state.range(0)), 1);
  add_regexes_and_fuzzy(specs);
  for (auto _ : state) {
    std::string error;
    std::uint32_t bad = 0;
    auto db = PatternDb::compile(specs, PatternDbOptions{}, &error, &bad);
    if (!db) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(db);
  }
}
BENCHMARK(BM_CompileWithRegexesAndFuzzy)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

void run_scan(benchmark::State& state, const std::vector<PatternSpec>& specs) {
  const auto texts = corpus(specs, 1000, 1024);
  std::string error;
  std::uint32_t bad = 0;
  auto db = PatternDb::compile(specs, PatternDbOptions{}, &error, &bad);
  if (!db) {
    state.SkipWithError(error.c_str());
    return;
  }
  PatternScratch scratch(*db);
  std::vector<Match> out;
  std::size_t bytes = 0, hits = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      out.clear();
      scan(*db, scratch, t, out);
      hits += out.size();
      bytes += t.size();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["hits/text"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations() * texts.size());
}

void BM_Scan2kTerms(benchmark::State& state) { run_scan(state, lexicon(2000, 2)); }
BENCHMARK(BM_Scan2kTerms)->Unit(benchmark::kMillisecond);

void BM_Scan2kTermsRegexesFuzzy(benchmark::State& state) {
  auto specs = lexicon(2000, 2);
  add_regexes_and_fuzzy(specs);
  run_scan(state, specs);
}
BENCHMARK(BM_Scan2kTermsRegexesFuzzy)->Unit(benchmark::kMillisecond);

int noop(unsigned, unsigned long long, unsigned long long, unsigned, void*) { return 0; }

void BM_ScanRawVectorscan(benchmark::State& state) {
  const auto specs = lexicon(2000, 2);
  const auto texts = corpus(specs, 1000, 1024);
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags, ids;
  for (const auto& s : specs) {
    exprs.push_back(s.text.c_str());
    lens.push_back(s.text.size());
    flags.push_back(0);
    ids.push_back(s.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    state.SkipWithError(err->message);
    hs_free_compile_error(err);
    return;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      hs_scan(db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, noop, nullptr);
      bytes += t.size();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  hs_free_scratch(scratch);
  hs_free_database(db);
}
BENCHMARK(BM_ScanRawVectorscan)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
