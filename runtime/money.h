// Money: currency rate tables (loaded from YAML, e.g. stdlib/money/rates.yaml or the `currency`
// section of pack.yaml), conversion, and the reading of prices as sellers write them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::runtime {

// `base: USD`, `as_of: 2026-11-01`, `rates: {EUR: 1.08}` means 1 EUR = 1.08 USD.
struct RateTable {
  std::string base;
  std::string as_of;                              // YYYY-MM-DD, as written
  std::map<std::string, double> per_unit_in_base; // always holds base -> 1

  // `amount` of `from` in units of `to`; nullopt when either currency is not in the table.
  // Codes are matched case-insensitively ("usd" == "USD").
  std::optional<double> convert(double amount, std::string_view from, std::string_view to) const;
  bool knows(std::string_view code) const;
};

// A problem in a rate file: data, never an exception. line and column are 1-based (0 = unknown).
struct RateLoadError {
  std::string message;
  int line = 0;
  int column = 0;
};

struct RateTableLoad {
  RateTable table;                    // valid only when errors is empty
  std::vector<RateLoadError> errors;  // every problem found, in file order
  bool ok() const { return errors.empty(); }
};

RateTableLoad load_rate_table(std::string_view yaml_text);
// Reads the file; a file that cannot be read is one error with line 0.
RateTableLoad load_rate_table_file(const std::string& path);

// A price string as sellers write it: "1,200.50", "$1,200", "1.200,50 €", "HK$ 300", "3000元",
// "1.5万元", "USD 45". amount >= 0; currency is the ISO code the string names, or "".
struct ParsedPrice {
  double amount = 0;
  std::string currency;
};
// nullopt when the string is not an amount ("negotiable", "call", "", "1-2k").
std::optional<ParsedPrice> parse_price_string(std::string_view text);

// A currency as written in a record ("usd", "US$", "€", "元", "dollars") -> ISO 4217 code. Three
// ASCII letters are upper-cased whatever they are; anything unrecognized gives "".
std::string normalize_currency(std::string_view text);

}  // namespace tusk::runtime
