#include "base/json_text.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace tusk::base {
namespace {

// The byte-at-a-time definition the word-at-a-time scan must agree with.
std::string reference(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

TEST(JsonText, EscapesEveryByteThatNeedsIt) {
  EXPECT_EQ(json_string("a\"b\\c\nd\re\tf\x01g\x7fh"), R"("a\"b\\c\nd\re\tf\u0001g\u007fh")");
  EXPECT_EQ(json_string("象牙 ivory"), "\"象牙 ivory\"");
  // Each byte value alone, and at every position of a 19-byte string (both sides of a word).
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 19; ++at) {
      std::string s(19, 'x');
      s[at] = static_cast<char>(c);
      ASSERT_EQ(json_string(s), reference(s)) << "byte " << c << " at " << at;
    }
  }
}

TEST(JsonText, AgreesWithTheByteLoopOnRandomText) {
  std::mt19937 rng(7);
  // Bytes near the ones escaped (0x1f/0x20, 0x21/0x22/0x23, 0x5b/0x5c/0x5d, 0x7e/0x7f/0x80) and
  // UTF-8 lead and trail bytes, where a word-at-a-time test could carry or borrow wrongly.
  const std::string pool =
      std::string("\x1f\x20\x21\x22\x23\x5b\x5c\x5d\x7e\x7f\x80\xe8\xb1\xa1\x00\x01", 16) + "abc";
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 40, ' ');
    for (char& c : s) c = pool[rng() % pool.size()];
    ASSERT_EQ(json_string(s), reference(s)) << round;
  }
}

TEST(JsonText, NumbersAsFmtWritesThem) {
  const double values[] = {0.0,
                           -0.0,
                           1.0,
                           45.0,
                           -3.0,
                           0.5,
                           -2.25,
                           1e15,
                           1e16,
                           1e21,
                           1e-7,
                           0.1,
                           123.456,
                           9007199254740991.0,
                           9007199254740992.0,
                           -9007199254740992.0,
                           4503599627370496.5,
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min()};
  for (const double x : values) {
    std::string out = "x";
    append_json_number(out, x);
    EXPECT_EQ(out, "x" + fmt::format("{}", x)) << fmt::format("{}", x);
  }
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    const double x =
        std::ldexp(static_cast<double>(static_cast<std::int64_t>(rng())), -static_cast<int>(rng() % 80));
    const double y = std::trunc(x);
    for (const double v : {x, y}) {
      std::string out;
      append_json_number(out, v);
      ASSERT_EQ(out, fmt::format("{}", v));
    }
  }
  for (const std::uint64_t n :
       {std::uint64_t{0}, std::uint64_t{7}, std::numeric_limits<std::uint64_t>::max()}) {
    std::string out;
    append_json_number(out, n);
    EXPECT_EQ(out, fmt::format("{}", n));
  }
}

}  // namespace
}  // namespace tusk::base
