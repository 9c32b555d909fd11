#include "runtime/words.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>

namespace tusk::runtime {

// Decodes the code point at text[i]; malformed bytes decode as U+FFFD of length 1, so that a
// bad byte never makes us read past the text.
char32_t decode_at(std::string_view text, std::size_t i, std::size_t* len) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c0 = b(i);
  *len = 1;
  if (c0 < 0x80) return c0;
  std::size_t n = 0;
  char32_t cp = 0;
  if ((c0 & 0xE0) == 0xC0) {
    n = 1;
    cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 2;
    cp = c0 & 0x0F;
  } else if ((c0 & 0xF8) == 0xF0) {
    n = 3;
    cp = c0 & 0x07;
  } else {
    return 0xFFFD;
  }
  if (i + n >= text.size()) return 0xFFFD;
  for (std::size_t k = 1; k <= n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  *len = n + 1;
  return cp;
}

// The code point ending just before byte `i` (i > 0); sets *start to its first byte.
char32_t decode_before(std::string_view text, std::size_t i, std::size_t* start) {
  std::size_t s = i - 1;
  // A code point has at most 3 continuation bytes; stop there so garbage stays bounded.
  while (s > 0 && i - s < 4 && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80) --s;
  std::size_t len = 0;
  char32_t cp = decode_at(text, s, &len);
  if (s + len != i) {  // malformed: treat the last byte alone
    *start = i - 1;
    return 0xFFFD;
  }
  *start = s;
  return cp;
}

std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) out.push_back(decode_at(text, i, &len));
  return out;
}

namespace {

// Hangul is unspaced for matching (particles attach to nouns) but Korean separates words with
// spaces, so for counting words a Hangul run is one word.
bool is_single_char_word(char32_t c) {
  const auto u = static_cast<UChar32>(c);
  return c >= 0x0E00 && is_unspaced_script_char(c) && !uscript_hasScript(u, USCRIPT_HANGUL);
}

// Whether a character glues to its word neighbours: a word character outside the scripts where
// each character is a word of its own. "象牙ivory" thus has a boundary before "ivory", as in
// WordIndex.
bool joins(char32_t c) { return is_word_char(c) && (c < 0x0E00 || !is_single_char_word(c)); }

}  // namespace

bool joins_before(std::string_view text, std::size_t i) {
  if (i == 0) return false;
  std::size_t s = 0;
  return joins(decode_before(text, i, &s));
}

bool joins_after(std::string_view text, std::size_t i) {
  if (i >= text.size()) return false;
  std::size_t len = 0;
  return joins(decode_at(text, i, &len));
}

std::size_t extend_word(std::string_view text, std::size_t i) {
  std::size_t len = 0;
  while (i < text.size() && joins(decode_at(text, i, &len))) i += len;
  return i;
}

bool is_word_char(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

bool is_unspaced_script_char(char32_t c) {
  if (c < 0x0E00) return false;  // below Thai: no unspaced script
  const auto u = static_cast<UChar32>(c);
  for (UScriptCode script : {USCRIPT_HAN, USCRIPT_HIRAGANA, USCRIPT_KATAKANA, USCRIPT_HANGUL, USCRIPT_THAI,
                             USCRIPT_LAO, USCRIPT_KHMER, USCRIPT_MYANMAR}) {
    if (uscript_hasScript(u, script)) return true;
  }
  return false;
}

void WordIndex::reset(std::string_view text) {
  starts_.clear();
  ends_.clear();
  bool in_word = false;
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    const char32_t c = decode_at(text, i, &len);
    if (!is_word_char(c)) {
      if (in_word) ends_.push_back(static_cast<std::uint32_t>(i));
      in_word = false;
      continue;
    }
    const bool single = is_single_char_word(c);
    if (in_word && single) ends_.push_back(static_cast<std::uint32_t>(i));
    if (!in_word || single) starts_.push_back(static_cast<std::uint32_t>(i));
    in_word = !single;
    if (single) ends_.push_back(static_cast<std::uint32_t>(i + len));
  }
  if (in_word) ends_.push_back(static_cast<std::uint32_t>(text.size()));
}

std::uint32_t WordIndex::word_at(std::uint32_t offset) const {
  return static_cast<std::uint32_t>(std::upper_bound(ends_.begin(), ends_.end(), offset) - ends_.begin());
}

WordIndex::Range WordIndex::words_of(std::uint32_t start, std::uint32_t end) const {
  const std::uint32_t first = word_at(start);
  // One past the last word starting before `end`.
  const auto last =
      static_cast<std::uint32_t>(std::lower_bound(starts_.begin(), starts_.end(), end) - starts_.begin());
  return Range{first, std::max(first, last)};
}

std::uint32_t WordIndex::gap(Range a, Range b) {
  if (a.first > b.first) std::swap(a, b);
  return b.first > a.end ? b.first - a.end : 0;
}

}  // namespace tusk::runtime
