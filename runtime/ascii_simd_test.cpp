#include "runtime/ascii_simd.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace tusk::runtime::norm {
namespace {

// Class bytes as the normalizer's precheck gives them (runtime/normalize.cpp, `classify`): space
// 1, separator 2, letter 4, word 8, foldable 32, other whitespace 64, for a folded byte.
void precheck_classes(std::uint8_t (&cls)[128]) {
  for (int c = 0; c < 128; ++c) {
    std::uint8_t k = 0;
    if (c == ' ') k |= 1 | 2;
    if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') k |= 1 | 64 | 2;
    if (c == '.' || c == '-' || c == '_' || c == '*' || c == '/' || c == ',') k |= 2;
    if (c >= 'a' && c <= 'z') k |= 4 | 8;
    if (c >= '0' && c <= '9') k |= 8;
    const bool foldable = std::string_view("013457@$").find(static_cast<char>(c)) != std::string_view::npos;
    if (foldable) k |= 32 | 4;
    cls[c] = k;
  }
}

// Mixed text as the normalizer meets it: ASCII runs of every length between accented letters
// and CJK, so runs start and end at every offset of a 64-bit word and of a 32-byte block.
std::string random_mixed(std::mt19937& rng, std::size_t n) {
  static const std::string kAscii = "abcXYZ i.v-o_r*y  \t\n07@$ word WORD 12,5/ ";
  static const char* const kOther[] = {"\xC3\xA9", "\xE4\xB9\x9D", "\xE1\xBB\x9B", "\xF0\x9F\x90\x98"};
  std::uniform_int_distribution<int> kind(0, 9);
  std::string s;
  while (s.size() < n) {
    if (kind(rng) == 0) {
      s += kOther[rng() % 4];
    } else {
      s += kAscii[rng() % kAscii.size()];
    }
  }
  return s;
}

// The whole-text scan answers each ASCII run as the byte loop does over that run alone: the
// folded bytes, the last classes, both findings, a spelled-out word left pending at the run's
// end and the foldable and odd-space bits, from any history (a pending word included), for every
// run and for runs cut at random inside the ASCII stretches.
TEST(AsciiSimd, WholeTextScanMatchesTheByteLoopOnEveryRun) {
  if (!ascii_simd_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::uint8_t cls[128];
  precheck_classes(cls);
  std::mt19937 rng(9);
  int spelled = 0, doubled = 0, pending = 0, runs = 0;
  for (bool fold : {true, false}) {
    AsciiClassTables tables;
    tables.build(cls, fold);
    AsciiScan scan;
    for (int round = 0; round < 600; ++round) {
      const std::string s = random_mixed(rng, static_cast<std::size_t>(round % 300));
      const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
      scan.scan(tables, p, s.size());
      for (std::size_t i = 0; i <= s.size(); ++i) {
        ASSERT_EQ(scan.next_non_ascii(i), i + ascii_run_length(p + i, s.size() - i)) << i << " [" << s << "]";
      }
      for (std::size_t b = 0; b < s.size(); ++b) {
        if (p[b] >= 0x80) continue;
        const std::size_t end = scan.next_non_ascii(b);
        // The whole stretch from b and one cut short at random.
        for (const std::size_t e : {end, b + 1 + rng() % (end - b)}) {
          const std::uint32_t h0 =
              cls[rng() % 128] | std::uint32_t{cls[rng() % 128]} << 8 | std::uint32_t{cls[rng() % 128]} << 16;
          const bool pend0 = (rng() & 3) == 0;  // a spelled-out word waiting on the run's first byte
          AsciiPrecheck want{h0, false, false, 0, pend0};
          std::string want_text(e - b, '\0');
          ascii_bytes(tables, p + b, e - b, want_text.data(), want);
          AsciiPrecheck got{h0, false, false, 0, pend0};
          scan.run(tables, b, e, got);
          const std::string what = "[" + s.substr(b, e - b) + "] in [" + s + "]";
          ASSERT_EQ(std::string(scan.folded() + b, e - b), want_text) << what;
          ASSERT_EQ(got.h, want.h) << what;
          ASSERT_EQ(got.two_spaces, want.two_spaces) << what;
          ASSERT_EQ(got.spell, want.spell) << what;
          ASSERT_EQ(got.pend, want.pend) << what;
          ASSERT_EQ(got.any, want.any & AsciiScan::kAnyBits) << what;
          spelled += want.spell;
          pending += want.pend;
          doubled += want.two_spaces;
          ++runs;
        }
      }
    }
  }
  EXPECT_GT(runs, 100000);
  EXPECT_GT(spelled, 10000);
  EXPECT_GT(doubled, 10000);
  EXPECT_GT(pending, 1000);
}

TEST(AsciiSimd, RunLengthStopsAtTheFirstNonAsciiByte) {
  std::string s(100, 'a');
  for (std::size_t at = 0; at < s.size(); ++at) {
    std::string t = s;
    t[at] = '\xC3';
    EXPECT_EQ(ascii_run_length(reinterpret_cast<const std::uint8_t*>(t.data()), t.size()), at);
  }
  EXPECT_EQ(ascii_run_length(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), s.size());
}

}  // namespace
}  // namespace tusk::runtime::norm
