// Money as sellers write it: price strings and currency names. (Rate tables are the front end's:
// pack.yaml's `currency` section and std.money, compiler/front/manifest.h; the plan carries the
// rates the backends convert with.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::runtime {

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
