// The normalization steps that look at neighbouring characters (whitespace runs, separator
// collapsing, digit folding), written once over an abstract sequence of code points so that the
// ASCII byte path and the general code point path run the same rules. Internal to
// runtime/normalize.cpp; not part of the API.
//
// A sequence `Seq` offers:
//   std::size_t size() const;  char32_t cp(std::size_t i) const;  void set_cp(std::size_t i, char32_t);
// and an in-place compaction, called once per element in order between begin() and finish():
//   keep(i), keep_as(i, c), drop(i), merge(i)  // merge: element i joins the last kept one
//   finish()
// Each element carries its original byte range; merge widens the last kept element's range.
#pragma once

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tusk::runtime::norm {

// ASCII classes by table so the byte path never calls ICU.
enum : std::uint8_t {
  kClsLetter = 1,
  kClsDigit = 2,
  kClsSpace = 4,
  kClsSeparator = 8,  // may separate spelled-out letters
  kClsFoldable = 16,  // digit or symbol that digit folding turns into a letter
};

struct AsciiTable {
  std::uint8_t cls[128] = {};
  char fold[128] = {};
  constexpr AsciiTable() {
    for (int c = 'a'; c <= 'z'; ++c) cls[c] = kClsLetter;
    for (int c = 'A'; c <= 'Z'; ++c) cls[c] = kClsLetter;
    for (int c = '0'; c <= '9'; ++c) cls[c] = kClsDigit;
    for (char c : {'\t', '\n', '\v', '\f', '\r', ' '}) cls[static_cast<unsigned char>(c)] |= kClsSpace;
    for (char c : {'.', ' ', '-', '_', '*', '~', '+', '/', '|', '\\'}) {
      cls[static_cast<unsigned char>(c)] |= kClsSeparator;
    }
    const char* from = "013457@$";
    const char* to = "oieastas";
    for (int i = 0; from[i]; ++i) {
      cls[static_cast<unsigned char>(from[i])] |= kClsFoldable;
      fold[static_cast<unsigned char>(from[i])] = to[i];
    }
  }
};
inline constexpr AsciiTable kAscii{};

inline bool is_space(char32_t c) {
  return c < 128 ? (kAscii.cls[c] & kClsSpace) != 0 : u_isUWhiteSpace(static_cast<UChar32>(c));
}

inline bool is_letter(char32_t c) {
  return c < 128 ? (kAscii.cls[c] & kClsLetter) != 0 : u_isalpha(static_cast<UChar32>(c));
}

inline bool is_mark(char32_t c) {
  if (c < 0x300) return false;
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}

inline bool is_number(char32_t c) {
  if (c < 128) return (kAscii.cls[c] & kClsDigit) != 0;
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0;
}

inline bool is_foldable(char32_t c) { return c < 128 && (kAscii.cls[c] & kClsFoldable) != 0; }

// Word characters as runtime/patterns.h defines them (letters, marks, numbers), plus the
// foldable symbols when digit folding treats "@" and "$" as letters in disguise.
inline bool is_word(char32_t c, bool fold_digits) {
  if (c < 128) {
    std::uint8_t k = kAscii.cls[c];
    return (k & (kClsLetter | kClsDigit)) != 0 || (fold_digits && (k & kClsFoldable) != 0);
  }
  // Variation selectors are marks but belong to the emoji before them, not to a word.
  if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF)) return false;
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

// Zero-width and other invisible format characters an evader can slip between letters.
// Asked of every non-ASCII character: ordered so that most (Latin, CJK) are answered in two or
// three comparisons.
inline bool is_invisible(char32_t c) {
  if (c < 0x200B) return c == 0xAD || c == 0x34F || c == 0x180E;
  if (c > 0x2064) return c == 0xFEFF;
  return c <= 0x200F || (c >= 0x202A && c <= 0x202E) || c >= 0x2060;
}

inline bool is_pictographic(char32_t c) {
  return c >= 0x80 && u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EXTENDED_PICTOGRAPHIC);
}

// Whitespace: a run of White_Space becomes one U+0020 whose range covers the run.
template <class Seq>
void collapse_whitespace(Seq& s) {
  const std::size_t n = s.size();
  bool in_run = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_space(s.cp(i))) {
      s.keep(i);
      in_run = false;
    } else if (in_run) {
      s.merge(i);
    } else {
      s.keep_as(i, U' ');
      in_run = true;
    }
  }
  s.finish();
}

// One separator unit at i: returns the index after it, or 0 when there is none.
template <class Seq>
std::size_t separator_end(const Seq& s, std::size_t i) {
  const std::size_t n = s.size();
  char32_t c = s.cp(i);
  if (c < 128) return (kAscii.cls[c] & kClsSeparator) ? i + 1 : 0;
  if (c == 0xB7 || c == 0x2022 || is_invisible(c)) return i + 1;
  if (!is_pictographic(c)) return 0;
  // An emoji with its presentation selector, skin tone, keycap, tags and ZWJ-joined parts.
  std::size_t j = i + 1;
  while (j < n) {
    char32_t d = s.cp(j);
    if (d == 0xFE0F || d == 0xFE0E || d == 0x20E3 || (d >= 0x1F3FB && d <= 0x1F3FF) ||
        (d >= 0xE0020 && d <= 0xE007F)) {
      ++j;
    } else if (d == 0x200D && j + 1 < n && is_pictographic(s.cp(j + 1))) {
      j += 2;
    } else {
      break;
    }
  }
  return j;
}

// When i starts a one-character word (a letter, or a foldable digit/symbol under digit
// folding, plus its marks), returns the index after it; otherwise 0.
template <class Seq>
std::size_t single_end(const Seq& s, std::size_t i, bool fold_digits) {
  const std::size_t n = s.size();
  char32_t c = s.cp(i);
  if (!is_letter(c) && !(fold_digits && is_foldable(c))) return 0;
  if (i > 0 && is_word(s.cp(i - 1), fold_digits)) return 0;
  std::size_t j = i + 1;
  while (j < n && is_mark(s.cp(j))) ++j;
  if (j < n && is_word(s.cp(j), fold_digits)) return 0;
  return j;
}

// Han and kana are written without spaces, so even two of them spaced out ("象 牙") are a
// spelling, while two spaced Latin letters ("a b") are too common in honest text.
inline bool is_unspaced_script(char32_t c) {
  if (c < 0x2E80) return false;
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &st);
  return U_SUCCESS(st) && (s == USCRIPT_HAN || s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA);
}

// Separator collapsing. A run of at least kMinSpelled one-character words (kMinSpelledUnspaced
// when all are Han or kana), each pair separated by exactly one separator unit, all separators
// the same character, loses its separators. Under digit folding the run may contain foldable
// digits but letters must be the majority, so "1 v o r y" joins and "1 x 2" does not. `drop`
// is scratch.
inline constexpr int kMinSpelled = 3;
inline constexpr int kMinSpelledUnspaced = 2;

template <class Seq>
void collapse_separators(Seq& s, bool fold_digits, std::vector<std::uint8_t>& drop) {
  const std::size_t n = s.size();
  drop.assign(n, 0);
  bool any = false;
  std::size_t i = 0;
  while (i < n) {
    // Invariant: i is 0 or follows a non-word character, so a word starts here or later.
    if (!is_word(s.cp(i), fold_digits)) {
      ++i;
      continue;
    }
    std::size_t e = single_end(s, i, fold_digits);
    if (e == 0) {
      while (i < n && is_word(s.cp(i), fold_digits)) ++i;
      continue;
    }
    int count = 1;
    int letters = is_letter(s.cp(i)) ? 1 : 0;
    bool unspaced = is_unspaced_script(s.cp(i));
    char32_t key = 0;
    std::size_t run_end = e;
    std::size_t pos = e;
    while (pos < n) {
      std::size_t se = separator_end(s, pos);
      if (se == 0 || se >= n) break;
      if (count > 1 && s.cp(pos) != key) break;
      std::size_t e2 = single_end(s, se, fold_digits);
      if (e2 == 0) break;
      key = s.cp(pos);
      ++count;
      letters += is_letter(s.cp(se)) ? 1 : 0;
      unspaced = unspaced && is_unspaced_script(s.cp(se));
      run_end = e2;
      pos = e2;
    }
    if (count >= (unspaced ? kMinSpelledUnspaced : kMinSpelled) && letters * 2 > count) {
      for (std::size_t k = i; k < run_end;) {
        std::size_t w = single_end(s, k, fold_digits);
        if (w != 0) {
          k = w;
        } else {
          drop[k++] = 1;
          any = true;
        }
      }
      i = run_end;
    } else {
      i = e;
    }
  }
  if (!any) return;
  for (std::size_t k = 0; k < n; ++k) {
    if (drop[k]) {
      s.drop(k);
    } else {
      s.keep(k);
    }
  }
  s.finish();
}

// Suffixes that make a leading number a quantity, ordinal or time ("3kg", "1st", "5pm"): such a
// token keeps its digits.
inline bool is_number_suffix(std::u32string_view suffix) {
  static constexpr std::u32string_view kSuffixes[] = {
      U"k",  U"m", U"g",  U"kg",  U"mg", U"lb",  U"lbs", U"oz", U"ct", U"cm", U"mm", U"km",
      U"ml", U"l", U"in", U"ft",  U"pc", U"pcs", U"x",   U"st", U"nd", U"rd", U"th", U"am",
      U"pm", U"h", U"hr", U"hrs", U"yr", U"yrs", U"s",   U"t",  U"cc", U"mp", U"gb", U"mb"};
  for (auto k : kSuffixes) {
    if (k == suffix) return true;
  }
  return false;
}

// Digit folding. A token is a maximal run of word characters (with "@" and "$"). Its foldable
// digits and symbols become letters ("1vory", "iv0ry", "$ale") when it has more letters than
// other characters and is not a quantity: digits then letters where the digits are two or more
// ("12pcs", "1200kg") or the letters are a unit or ordinal suffix ("3kg", "1st"). So "1200 kg",
// "us$20" and "ak47" keep their digits. `suffix` is scratch.
template <class Seq>
void fold_digits(Seq& s, std::u32string& suffix) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (!is_word(s.cp(i), true)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    int letters = 0;
    int others = 0;
    while (j < n && is_word(s.cp(j), true)) {
      char32_t c = s.cp(j);
      if (is_letter(c)) {
        ++letters;
      } else if (!is_mark(c)) {
        ++others;
      }
      ++j;
    }
    bool fold = letters > others && others > 0;
    if (fold && is_number(s.cp(i))) {
      std::size_t k = i;
      while (k < j && is_number(s.cp(k))) ++k;
      bool rest_letters = true;
      suffix.clear();
      for (std::size_t m = k; m < j; ++m) {
        char32_t c = s.cp(m);
        if (!is_letter(c) && !is_mark(c)) rest_letters = false;
        suffix.push_back(c);
      }
      if (rest_letters && (k - i >= 2 || is_number_suffix(suffix))) fold = false;
    }
    if (fold) {
      for (std::size_t k = i; k < j; ++k) {
        char32_t c = s.cp(k);
        if (is_foldable(c)) s.set_cp(k, static_cast<char32_t>(kAscii.fold[c]));
      }
    }
    i = j;
  }
}

}  // namespace tusk::runtime::norm
