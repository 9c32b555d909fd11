#include "stdlib/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace tusk::stdlib {

namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A digit at i: ASCII or full-width (U+FF10..U+FF19, common in CJK listings). Returns its byte
// length, 0 when there is none.
std::size_t digit_at(std::string_view s, std::size_t i, char* value) {
  if (i >= s.size()) return 0;
  if (is_ascii_digit(s[i])) {
    *value = s[i];
    return 1;
  }
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF &&
      static_cast<unsigned char>(s[i + 1]) == 0xBC) {
    unsigned char c = static_cast<unsigned char>(s[i + 2]);
    if (c >= 0x90 && c <= 0x99) {
      *value = static_cast<char>('0' + (c - 0x90));
      return 3;
    }
  }
  return 0;
}

// Reads a run of digits into `out`; returns the number of digits read.
std::size_t read_digits(std::string_view s, std::size_t& i, std::string& out) {
  std::size_t count = 0;
  char d;
  while (std::size_t n = digit_at(s, i, &d)) {
    out += d;
    i += n;
    ++count;
  }
  return count;
}

std::size_t count_digits(std::string_view s, std::size_t i) {
  std::size_t count = 0;
  char d;
  while (std::size_t n = digit_at(s, i, &d)) {
    i += n;
    ++count;
  }
  return count;
}

struct Number {
  double value = 0;
  bool integer = true;
  std::size_t end = 0;
};

// "12", "1.2", "1,5" (decimal comma), "1,500" and "12,000,000" (thousands: exactly three digits
// after each comma and a non-zero lead). A '.' is always a decimal point: "1.500 kg" is 1.5 kg,
// as English listings write it.
Number read_number(std::string_view s, std::size_t i) {
  Number n;
  std::string ascii;
  read_digits(s, i, ascii);
  auto decimal_follows = [&](std::size_t at) {
    char d;
    return digit_at(s, at, &d) > 0;
  };
  if (i < s.size() && s[i] == ',' && decimal_follows(i + 1)) {
    std::size_t after = count_digits(s, i + 1);
    if (after == 3 && ascii.size() <= 3 && ascii[0] != '0') {
      while (i < s.size() && s[i] == ',' && count_digits(s, i + 1) == 3) {
        ++i;
        read_digits(s, i, ascii);
      }
    } else {
      ascii += '.';
      ++i;
      read_digits(s, i, ascii);
      n.integer = false;
    }
  }
  if (n.integer && i < s.size() && (s[i] == '.' || s.compare(i, 3, "\xEF\xBC\x8E") == 0)) {
    std::size_t mark = s[i] == '.' ? 1 : 3;
    if (decimal_follows(i + mark)) {
      i += mark;
      ascii += '.';
      read_digits(s, i, ascii);
      n.integer = false;
    }
  }
  std::from_chars(ascii.data(), ascii.data() + ascii.size(), n.value);
  n.end = i;
  return n;
}

struct Unit {
  std::string_view text;  // Latin units match case-insensitively
  double kg;
};

// Longest first within each family so that "kgs" is preferred to "kg" and "grams" to "g".
// Mainland Chinese market units: 1 斤 = 500 g, 1 两 = 50 g (Taiwan and Hong Kong use heavier
// catties; listings do not say which, and the mainland reading is the common one).
constexpr std::array kUnits = {
    Unit{"kilogrammes", 1},
    Unit{"kilogramme", 1},
    Unit{"kilograms", 1},
    Unit{"kilogram", 1},
    Unit{"kilos", 1},
    Unit{"kilo", 1},
    Unit{"kgs", 1},
    Unit{"kg", 1},
    Unit{"milligrams", 1e-6},
    Unit{"milligram", 1e-6},
    Unit{"mg", 1e-6},
    Unit{"grammes", 1e-3},
    Unit{"gramme", 1e-3},
    Unit{"grams", 1e-3},
    Unit{"gram", 1e-3},
    Unit{"grs", 1e-3},
    Unit{"gr", 1e-3},
    Unit{"gms", 1e-3},
    Unit{"gm", 1e-3},
    Unit{"g", 1e-3},
    Unit{"lbs", 0.45359237},
    Unit{"lb", 0.45359237},
    Unit{"ounces", 0.028349523125},
    Unit{"ounce", 0.028349523125},
    Unit{"oz", 0.028349523125},
    Unit{"公斤", 1},
    Unit{"千克", 1},
    Unit{"斤", 0.5},
    Unit{"两", 0.05},
    Unit{"兩", 0.05},
    Unit{"克", 1e-3},
    Unit{"㎏", 1},
    Unit{"㎎", 1e-6},
};

bool iequals_prefix(std::string_view s, std::size_t i, std::string_view unit) {
  if (s.size() - i < unit.size()) return false;
  for (std::size_t k = 0; k < unit.size(); ++k) {
    if (lower(s[i + k]) != unit[k]) return false;
  }
  return true;
}

std::string_view next_word(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '-')) ++i;
  std::size_t b = i;
  while (i < s.size() && is_ascii_letter(s[i])) ++i;
  return s.substr(b, i - b);
}

// "5G phone", "4G LTE": mobile-network generations, not grams.
bool is_network_generation(std::string_view s, std::size_t unit_at, const Number& n, bool spaced) {
  if (!n.integer || n.value < 1 || n.value > 6) return false;
  if (s[unit_at] == 'G' && !spaced) return true;
  std::string word;
  for (char c : next_word(s, unit_at + 1)) word += lower(c);
  static constexpr std::array<std::string_view, 14> kTelecom = {
      "phone",  "phones", "smartphone", "network", "lte",  "sim",   "wifi",
      "mobile", "signal", "router",     "modem",   "data", "ready", "enabled"};
  for (auto w : kTelecom) {
    if (word == w) return true;
  }
  return false;
}

// Number then unit starting at `i` (a digit); nullopt when that is not a weight. `end` is set
// to where scanning resumes.
std::optional<Weight> weight_at(std::string_view s, std::size_t i, std::size_t& resume) {
  Number n = read_number(s, i);
  resume = n.end;
  std::size_t j = n.end;
  std::size_t spaces = 0;
  while (spaces < 3 && j < s.size()) {
    if (s[j] == ' ' || s[j] == '\t') {
      ++j;
    } else if (s.compare(j, 2, "\xC2\xA0") == 0) {
      j += 2;
    } else {
      break;
    }
    ++spaces;
  }
  for (const Unit& u : kUnits) {
    bool latin = is_ascii_letter(u.text[0]);
    if (latin ? !iequals_prefix(s, j, u.text) : s.compare(j, u.text.size(), u.text) != 0) continue;
    std::size_t end = j + u.text.size();
    if (latin) {
      // Whole words only: "gallons" and "kgb" are not units; "g-string" is a word, "500g-1kg" a range.
      if (end < s.size() && (is_ascii_letter(s[end]) || is_ascii_digit(s[end]))) continue;
      if (end + 1 < s.size() && s[end] == '-' && is_ascii_letter(s[end + 1])) continue;
      if (u.text == "g" && is_network_generation(s, j, n, spaces > 0)) return std::nullopt;
    } else if (u.text == "克" && s.compare(end, 3, "拉") == 0) {
      return std::nullopt;  // 克拉 is a carat (gemstones), not grams
    }
    resume = end;
    return Weight{n.value * u.kg, i, end};
  }
  return std::nullopt;
}

bool left_boundary_ok(std::string_view s, std::size_t i) {
  if (i == 0) return true;
  char prev = s[i - 1];
  if (prev == 'x' || prev == 'X') {
    // "2x500g": a count times a weight; "box500g" is a product code.
    return i == 1 || !is_ascii_letter(s[i - 2]);
  }
  if (is_ascii_letter(prev) || is_ascii_digit(prev) || prev == '_') return false;
  // Inside a longer number ("1.2.3kg") or a version ("v1.5g").
  if ((prev == '.' || prev == ',') && i >= 2 && (is_ascii_digit(s[i - 2]) || is_ascii_letter(s[i - 2]))) {
    return false;
  }
  return true;
}

template <typename Sink>
void scan(std::string_view s, Sink&& sink) {
  std::size_t i = 0;
  char d;
  while (i < s.size()) {
    // Every digit digit_at() reads starts with an ASCII digit or 0xEF (full-width digits):
    // skip the bytes that cannot start one without a call per byte.
    while (i < s.size() && !is_ascii_digit(s[i]) && static_cast<unsigned char>(s[i]) != 0xEF) ++i;
    if (i >= s.size()) break;
    if (digit_at(s, i, &d) == 0) {
      ++i;
      continue;
    }
    if (!left_boundary_ok(s, i)) {
      // Skip the whole run so that "x123kg" does not match at "23kg".
      while (std::size_t n = digit_at(s, i, &d)) i += n;
      continue;
    }
    std::size_t resume = i + 1;
    if (auto w = weight_at(s, i, resume)) {
      if (!sink(*w)) return;
    }
    i = std::max(resume, i + 1);
  }
}

}  // namespace

std::optional<Weight> first_weight(std::string_view text) {
  std::optional<Weight> out;
  scan(text, [&](const Weight& w) {
    out = w;
    return false;
  });
  return out;
}

std::vector<Weight> all_weights(std::string_view text) {
  std::vector<Weight> out;
  scan(text, [&](const Weight& w) {
    out.push_back(w);
    return true;
  });
  return out;
}

}  // namespace tusk::stdlib
