#include "runtime/money.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace tusk::runtime {

namespace {

char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_upper(a[i]) != ascii_upper(b[i])) return false;
  }
  return true;
}

// Three characters fit the small-string buffer: lookups allocate nothing.
std::string upper_code(std::string_view code) {
  std::string out(code);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

// ------------------------------------------------------------------ currency tokens

struct CurrencyToken {
  std::string_view text;  // matched case-insensitively for ASCII
  std::string_view code;
};

// Longest tokens first, so that "HK$" is tried before "$" and "KSh" before "Sh".
// The bare "$" is taken as USD and the bare "¥" as CNY (the usual reading on the marketplaces
// Tusk screens); sellers in other dollar or yen markets write "HK$", "NT$", "円" or an ISO code.
constexpr std::array kCurrencyTokens = {
    CurrencyToken{"人民币", "CNY"}, CurrencyToken{"dollars", "USD"}, CurrencyToken{"rupees", "INR"},
    CurrencyToken{"dollar", "USD"}, CurrencyToken{"euros", "EUR"},   CurrencyToken{"pounds", "GBP"},
    CurrencyToken{"đồng", "VND"},   CurrencyToken{"euro", "EUR"},    CurrencyToken{"yuan", "CNY"},
    CurrencyToken{"baht", "THB"},   CurrencyToken{"dong", "VND"},    CurrencyToken{"vnđ", "VND"},
    CurrencyToken{"RMB", "CNY"},    CurrencyToken{"NTD", "TWD"},     CurrencyToken{"CN¥", "CNY"},
    CurrencyToken{"JP¥", "JPY"},    CurrencyToken{"US$", "USD"},     CurrencyToken{"HK$", "HKD"},
    CurrencyToken{"NT$", "TWD"},    CurrencyToken{"AU$", "AUD"},     CurrencyToken{"CA$", "CAD"},
    CurrencyToken{"SG$", "SGD"},    CurrencyToken{"MX$", "MXN"},     CurrencyToken{"NZ$", "NZD"},
    CurrencyToken{"KSh", "KES"},    CurrencyToken{"TSh", "TZS"},     CurrencyToken{"yen", "JPY"},
    CurrencyToken{"Rs.", "INR"},    CurrencyToken{"A$", "AUD"},      CurrencyToken{"C$", "CAD"},
    CurrencyToken{"S$", "SGD"},     CurrencyToken{"R$", "BRL"},      CurrencyToken{"Rp", "IDR"},
    CurrencyToken{"Rs", "INR"},     CurrencyToken{"RM", "MYR"},      CurrencyToken{"€", "EUR"},
    CurrencyToken{"£", "GBP"},      CurrencyToken{"¥", "CNY"},       CurrencyToken{"￥", "CNY"},
    CurrencyToken{"元", "CNY"},     CurrencyToken{"块", "CNY"},      CurrencyToken{"円", "JPY"},
    CurrencyToken{"₫", "VND"},      CurrencyToken{"đ", "VND"},       CurrencyToken{"฿", "THB"},
    CurrencyToken{"₦", "NGN"},      CurrencyToken{"₹", "INR"},       CurrencyToken{"₱", "PHP"},
    CurrencyToken{"₩", "KRW"},      CurrencyToken{"$", "USD"},       CurrencyToken{"R", "ZAR"},
};

// Whitespace sellers put in prices: ASCII, NBSP, thin and narrow no-break spaces, ideographic.
std::size_t space_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (s.compare(i, 2, "\xC2\xA0") == 0) return 2;
  if (s.compare(i, 3, "\xE2\x80\x89") == 0 || s.compare(i, 3, "\xE2\x80\xAF") == 0 ||
      s.compare(i, 3, "\xE3\x80\x80") == 0) {
    return 3;
  }
  return 0;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  while (std::size_t n = space_at(s, b)) b += n;
  s.remove_prefix(b);
  for (;;) {
    bool cut = false;
    for (std::size_t n : {1, 2, 3}) {
      if (s.size() >= n && space_at(s, s.size() - n) == n) {
        s.remove_suffix(n);
        cut = true;
        break;
      }
    }
    if (!cut) return s;
  }
}

// A token that ends (prefix) or starts (suffix) with a letter must not be glued to another
// letter: "Rs" must not match the start of "Rsomething", nor "R" the end of "EUR".
bool token_boundary_ok(char token_edge, char neighbour) {
  return !(is_ascii_letter(token_edge) && is_ascii_letter(neighbour));
}

std::optional<std::string_view> strip_prefix_currency(std::string_view& s) {
  if (s.empty() || is_digit(s.front())) return std::nullopt;
  for (const auto& t : kCurrencyTokens) {
    // First-byte filter: this runs on every price string of a feed.
    if (ascii_upper(t.text.front()) != ascii_upper(s.front())) continue;
    if (s.size() >= t.text.size() && iequals(s.substr(0, t.text.size()), t.text)) {
      char next = s.size() > t.text.size() ? s[t.text.size()] : ' ';
      if (!token_boundary_ok(t.text.back(), next)) continue;
      s.remove_prefix(t.text.size());
      return t.code;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> strip_suffix_currency(std::string_view& s) {
  if (s.empty() || is_digit(s.back())) return std::nullopt;
  for (const auto& t : kCurrencyTokens) {
    if (ascii_upper(t.text.back()) != ascii_upper(s.back())) continue;
    if (s.size() >= t.text.size() && iequals(s.substr(s.size() - t.text.size()), t.text)) {
      char prev = s.size() > t.text.size() ? s[s.size() - t.text.size() - 1] : ' ';
      if (!token_boundary_ok(t.text.front(), prev)) continue;
      s.remove_suffix(t.text.size());
      return t.code;
    }
  }
  return std::nullopt;
}

// A standalone ISO code ("USD 45", "45 eur").
std::optional<std::string> strip_iso_code(std::string_view& s, bool prefix) {
  if (s.size() < 4 || is_digit(prefix ? s.front() : s.back())) return std::nullopt;
  std::string_view code = prefix ? s.substr(0, 3) : s.substr(s.size() - 3);
  char beyond = prefix ? s[3] : s[s.size() - 4];
  if (!std::all_of(code.begin(), code.end(), is_ascii_letter) || is_ascii_letter(beyond)) return std::nullopt;
  // Glued to the digits ("USD45") only in upper case, so that "abc123" stays a product code.
  bool glued = space_at(s, prefix ? 3 : s.size() - 4) == 0;
  if (glued && upper_code(code) != code) return std::nullopt;
  if (prefix) {
    s.remove_prefix(3);
  } else {
    s.remove_suffix(3);
  }
  return upper_code(code);
}

// Digits with ',' '.' and spaces or apostrophes as separators -> the amount.
// Two kinds of mark: the last is the decimal mark ("1.200,50", "1,200.50"). One kind used more
// than once: thousands ("1,200,000"; Indian "1,20,000"). One mark once: thousands when exactly
// three digits follow and 1-3 non-zero-led digits precede ("1,200", "1.200"), else decimal
// ("12,50", "1.5", "0.500").
std::optional<double> parse_amount(std::string_view s) {
  std::size_t group = 0;  // digits since the last separator
  std::size_t i = 0;
  std::size_t total_digits = 0;
  std::string raw;  // digits and ',' '.' only; spaces and apostrophes validated and dropped
  while (i < s.size()) {
    char c = s[i];
    if (is_digit(c)) {
      raw += c;
      ++group;
      ++total_digits;
      ++i;
      continue;
    }
    if (c == ',' || c == '.') {
      raw += c;
      group = 0;
      ++i;
      continue;
    }
    std::size_t sp = space_at(s, i);
    if (c == '\'' || sp > 0) {
      // A space or apostrophe groups thousands: three digits must follow, digits must precede.
      std::size_t n = c == '\'' ? 1 : sp;
      std::size_t j = i + n;
      std::size_t k = j;
      while (k < s.size() && is_digit(s[k])) ++k;
      bool next_ends_group =
          k == s.size() || s[k] == ',' || s[k] == '.' || s[k] == '\'' || space_at(s, k) > 0;
      if (group == 0 || k - j != 3 || !next_ends_group) return std::nullopt;
      group = 0;
      i = j;
      continue;
    }
    return std::nullopt;
  }
  if (total_digits == 0) return std::nullopt;

  std::size_t commas = std::count(raw.begin(), raw.end(), ',');
  std::size_t dots = std::count(raw.begin(), raw.end(), '.');
  char decimal = 0;
  if (commas > 0 && dots > 0) {
    decimal = raw.find_last_of(",.") == raw.rfind(',') ? ',' : '.';
    if ((decimal == ',' ? commas : dots) != 1) return std::nullopt;
    // The thousands marks must all come before the decimal mark.
    if (raw.find(decimal == ',' ? '.' : ',', raw.find(decimal)) != std::string::npos) return std::nullopt;
  } else if (commas + dots == 1) {
    char mark = commas ? ',' : '.';
    std::size_t at = raw.find(mark);
    std::size_t before = at;
    std::size_t after = raw.size() - at - 1;
    bool thousands = after == 3 && before >= 1 && before <= 3 && raw[0] != '0';
    decimal = thousands ? '\0' : mark;
  }
  // Otherwise: one kind of mark, several times: all thousands.

  std::string digits;  // ASCII digits and at most one '.'
  for (char c : raw) {
    if (is_digit(c)) {
      digits += c;
    } else if (c == decimal) {
      digits += '.';
    }
  }
  if (digits == ".") return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

// ------------------------------------------------------------------ prices

std::string normalize_currency(std::string_view text) {
  text = trim(text);
  for (const auto& t : kCurrencyTokens) {
    if (iequals(text, t.text)) return std::string(t.code);
  }
  if (text.size() == 3 && std::all_of(text.begin(), text.end(), is_ascii_letter)) return upper_code(text);
  return {};
}

std::optional<ParsedPrice> parse_price_string(std::string_view text) {
  std::string_view s = trim(text);
  ParsedPrice out;
  auto take = [&](std::optional<std::string> code) {
    if (code && out.currency.empty()) out.currency = *code;
    return code.has_value();
  };
  auto to_string = [](std::optional<std::string_view> v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return std::string(*v);
  };
  // A currency on either side, possibly both ("US$ 45 USD"): strip until the ends are digits.
  for (int round = 0; round < 2; ++round) {
    take(to_string(strip_prefix_currency(s))) || take(strip_iso_code(s, true));
    s = trim(s);
    // "1200.-" and "1200,-": Swiss and German for "no cents".
    if (s.size() >= 2 && s.back() == '-' && (s[s.size() - 2] == '.' || s[s.size() - 2] == ',')) {
      s.remove_suffix(2);
    }
    take(to_string(strip_suffix_currency(s))) || take(strip_iso_code(s, false));
    s = trim(s);
  }
  double multiplier = 1;
  if (s.size() >= 3 && s.substr(s.size() - 3) == "万") {
    multiplier = 10000;
    s.remove_suffix(3);
    s = trim(s);
  }
  std::optional<double> amount = parse_amount(s);
  if (!amount) return std::nullopt;
  out.amount = *amount * multiplier;
  return out;
}

}  // namespace tusk::runtime
