#include "base/json_text.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

namespace tusk::base {

namespace {

// Bytes that JSON requires escaped (and DEL, kept readable): control characters, quote, backslash.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c == 0x7f; }

// The position of the first byte at or after `i` that needs_escape(), or s.size(); eight bytes
// at a time (a byte at a time cost ~5 instructions a byte, most of the output's cost for a
// verdict whose strings need no escape: ids, digests).
std::size_t next_escape(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  // A byte of `x` that is zero sets its high bit in has_zero(x); bytes above a zero byte may be
  // flagged too, but the lowest flag is exact, which is the one used.
  const auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      // A byte below 0x20 has its top three bits clear: it is a zero byte of w & 0xE0E0...
      const std::uint64_t control = has_zero(w & (0xE0 * kOnes));
      const std::uint64_t hit =
          control | has_zero(w ^ ('"' * kOnes)) | has_zero(w ^ ('\\' * kOnes)) | has_zero(w ^ (0x7F * kOnes));
      if (hit != 0) return i + static_cast<std::size_t>(std::countr_zero(hit) >> 3);
    }
  }
  while (i < s.size() && !needs_escape(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  // Runs without an escape are appended whole: a byte at a time cost a capacity test per byte
  // (verdict output is on the scan path; docs/performance.md).
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, i + 1)) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

void append_json_number(std::string& out, std::uint64_t x) {
  const fmt::format_int digits(x);
  out.append(digits.data(), digits.size());
}

void append_json_number(std::string& out, double x) {
  // Below 2^53 an integral double is exactly its integer, which fmt writes without a fraction
  // or exponent ("45"); above it, and for -0, fmt's own shortest form.
  constexpr double kExact = 9007199254740992.0;
  if (x == std::trunc(x) && std::fabs(x) < kExact && !(x == 0 && std::signbit(x))) {
    const fmt::format_int digits(static_cast<long long>(x));
    out.append(digits.data(), digits.size());
    return;
  }
  fmt::format_to(std::back_inserter(out), "{}", x);
}

}  // namespace tusk::base
