// Characters and words of normalized UTF-8 text: what a word character is, which scripts are
// written without spaces, where a term may start and end (runtime/patterns.h), and the word
// numbering that `near(..., within N words)` counts in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tusk::runtime {

// Word characters for boundaries and word counting: general categories L*, M*, N*.
bool is_word_char(char32_t c);
// Characters of scripts written without spaces between words (see PatternSpec).
bool is_unspaced_script_char(char32_t c);

// Words of a text for `near(..., within N words)`: maximal runs of word characters, except that
// each Han, Hiragana, Katakana, Thai, Lao, Khmer or Myanmar character is a word by itself
// (Hangul runs are words: Korean puts spaces between words).
class WordIndex {
 public:
  WordIndex() = default;
  explicit WordIndex(std::string_view text) { reset(text); }
  void reset(std::string_view text);

  std::size_t size() const { return starts_.size(); }
  std::uint32_t word_start(std::size_t i) const { return starts_[i]; }
  std::uint32_t word_end(std::size_t i) const { return ends_[i]; }

  // Number of the first word ending after byte `offset`: the word containing `offset`, or the
  // next one when `offset` is between words; size() when no word follows.
  std::uint32_t word_at(std::uint32_t offset) const;

  // Word numbers [first, end). A span covering no word character is empty (first == end) and
  // sits before word `first`.
  struct Range {
    std::uint32_t first, end;
    friend bool operator==(const Range&, const Range&) = default;
  };
  // Words overlapped by the byte span [start, end).
  Range words_of(std::uint32_t start, std::uint32_t end) const;

  // Words strictly between two spans (0 when adjacent or overlapping), e.g. for "ivory" and
  // "bangle" in "ivory carved bangle" it is 1. near(a, b, within N words) holds when <= N.
  static std::uint32_t gap(Range a, Range b);

 private:
  std::vector<std::uint32_t> starts_, ends_;
};

// Decoding that never reads past the text: a malformed byte decodes as U+FFFD of length 1.
// The code point at text[i] and its length:
char32_t decode_at(std::string_view text, std::size_t i, std::size_t* len);
// The code point ending just before byte `i` (i > 0), and where it starts:
char32_t decode_before(std::string_view text, std::size_t i, std::size_t* start);
std::vector<char32_t> code_points(std::string_view text);

// Term boundaries: whether the character before / at byte `i` joins a word running across `i`
// (a word character outside the scripts where each character is a word), and the end of the
// word that continues at `i` (prefix terms extend their match to it).
bool joins_before(std::string_view text, std::size_t i);
bool joins_after(std::string_view text, std::size_t i);
std::size_t extend_word(std::string_view text, std::size_t i);

}  // namespace tusk::runtime
