// Normalization throughput (MB/s of input) per profile on listing-like text: pure ASCII (the
// byte-loop fast path), mixed scripts, and Chinese. Figures and command: docs/normalization.md.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "runtime/normalize.h"

namespace {

using tusk::runtime::find_profile;
using tusk::runtime::NormalizedText;
using tusk::runtime::Normalizer;

// ~100-byte lines, like listing titles and description sentences.
std::vector<std::string> make_lines(const std::vector<std::string>& words, std::size_t count) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < count; ++i) {
    std::string line;
    while (line.size() < 100) {
      line += words[pick(rng)];
      line += ' ';
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

const std::vector<std::string>& ascii_lines() {
  static const auto kLines =
      make_lines({"Vintage",    "carved", "bangle",   "bracelet", "white",     "bone",   "resin",     "for",
                  "sale",       "Free",   "shipping", "$120",     "USD",       "1200",   "g",         "old",
                  "collection", "Ivory",  "Coast",    "antique",  "hand-made", "beads,", "necklace.", "Good",
                  "condition!", "Pickup", "only",     "2x",       "a"},
                 4096);
  return kLines;
}

const std::vector<std::string>& mixed_lines() {
  static const auto kLines =
      make_lines({"Vintage",    "carved", "bangle", "出售",   "象牙",   "手鐲",  "精美", "古董",      "Bán",
                  "vòng",       "ngà",    "voi",    "giá",    "rẻ",     "Pembe", "za",   "ndovu",     "🐘",
                  "ＩＶＯＲＹ", "sale",   "$120",   "Straße", "犀牛角", "đẹp",   "old",  "i.v.o.r.y", "bone"},
                 4096);
  return kLines;
}

const std::vector<std::string>& chinese_lines() {
  static const auto kLines = make_lines({"出售", "象牙", "手鐲", "精美", "古董", "犀牛角", "穿山甲", "鱗片",
                                         "雕刻", "擺件", "收藏", "包郵", "正品", "老料", "，", "。", "！"},
                                        4096);
  return kLines;
}

void run(benchmark::State& state, const char* profile, const std::vector<std::string>& lines, bool fast) {
  Normalizer n(*find_profile(profile), {.ascii_fast_path = fast});
  NormalizedText out;
  std::size_t bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ & (lines.size() - 1)];
    n.normalize(line, out);
    benchmark::DoNotOptimize(out.text.data());
    bytes += line.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_Ascii(benchmark::State& s, const char* p) { run(s, p, ascii_lines(), true); }
void BM_AsciiNoFastPath(benchmark::State& s, const char* p) { run(s, p, ascii_lines(), false); }
void BM_Mixed(benchmark::State& s, const char* p) { run(s, p, mixed_lines(), true); }
void BM_Chinese(benchmark::State& s, const char* p) { run(s, p, chinese_lines(), true); }

BENCHMARK_CAPTURE(BM_Ascii, strict, "strict");
BENCHMARK_CAPTURE(BM_Ascii, default, "default");
BENCHMARK_CAPTURE(BM_Ascii, evasive, "evasive");
BENCHMARK_CAPTURE(BM_AsciiNoFastPath, default, "default");
BENCHMARK_CAPTURE(BM_Mixed, strict, "strict");
BENCHMARK_CAPTURE(BM_Mixed, default, "default");
BENCHMARK_CAPTURE(BM_Mixed, evasive, "evasive");
BENCHMARK_CAPTURE(BM_Chinese, default, "default");
BENCHMARK_CAPTURE(BM_Chinese, evasive, "evasive");

}  // namespace

BENCHMARK_MAIN();
