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

// Text built to hit every pattern the precheck looks for at every offset of a 32-byte block:
// single letters between separators, doubled and odd whitespace, foldable digits, capitals.
std::string random_ascii(std::mt19937& rng, std::size_t n) {
  static const std::string kAlphabet = "abcXYZ i.v-o_r*y  \t\n07@$ word WORD 12,5/ ";
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string s(n, ' ');
  for (auto& c : s) c = kAlphabet[pick(rng)];
  return s;
}

void expect_same(const AsciiClassTables& tables, const std::string& s, std::size_t n, std::uint32_t h0) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  AsciiPrecheck want{h0, false, false, 0};
  std::string want_text(n, '\0');
  ascii_bytes(tables, p, n, want_text.data(), want);

  AsciiPrecheck got{h0, false, false, 0};
  std::string got_text(n, '\0');
  const std::size_t done = ascii_blocks(tables, p, n, s.size(), got_text.data(), got);
  ASSERT_LE(done, n);
  ascii_bytes(tables, p + done, n - done, got_text.data() + done, got);

  ASSERT_EQ(got_text, want_text) << "[" << s.substr(0, n) << "]";
  ASSERT_EQ(got.h, want.h) << "[" << s.substr(0, n) << "]";
  ASSERT_EQ(got.two_spaces, want.two_spaces) << "[" << s.substr(0, n) << "]";
  ASSERT_EQ(got.spell, want.spell) << "[" << s.substr(0, n) << "]";
  ASSERT_EQ(got.any, want.any) << "[" << s.substr(0, n) << "]";
}

// The 32-byte path gives exactly what the byte loop gives: folded text, the last classes, and
// each finding, for runs of every length (whole and partial blocks), every starting history,
// with and without case folding.
TEST(AsciiSimd, BlocksMatchTheByteLoop) {
  if (!ascii_simd_available()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::uint8_t cls[128];
  precheck_classes(cls);
  std::mt19937 rng(5);
  int spelled = 0, doubled = 0;
  for (bool fold : {true, false}) {
    AsciiClassTables tables;
    tables.build(cls, fold);
    for (int round = 0; round < 4000; ++round) {
      const std::size_t n = static_cast<std::size_t>(round % 130);
      // Bytes after the run, as the caller guarantees for a partial last block.
      const std::string s = random_ascii(rng, n + 32);
      // A history of three earlier classes, e.g. "[not a word] L S" just before the run.
      const std::uint32_t h0 = cls[static_cast<unsigned char>(s[n])] |
                               std::uint32_t{cls[static_cast<unsigned char>(s[n + 1])]} << 8 |
                               std::uint32_t{cls[static_cast<unsigned char>(s[n + 2])]} << 16;
      expect_same(tables, s, n, h0);
      AsciiPrecheck pc{h0, false, false, 0};
      std::string t(n, '\0');
      ascii_bytes(tables, reinterpret_cast<const std::uint8_t*>(s.data()), n, t.data(), pc);
      spelled += pc.spell;
      doubled += pc.two_spaces;
    }
  }
  // The generator reaches both findings often, so a block that misses one fails above.
  EXPECT_GT(spelled, 1000);
  EXPECT_GT(doubled, 1000);
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
