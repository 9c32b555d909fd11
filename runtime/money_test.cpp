#include "runtime/money.h"

#include <gtest/gtest.h>

namespace tusk::runtime {
namespace {

struct PriceCase {
  const char* text;
  double amount;
  const char* currency;
};

TEST(PriceStringTest, CommonFormats) {
  const PriceCase cases[] = {
      {"1200", 1200, ""},
      {"1,200.50", 1200.5, ""},
      {"1.200,50", 1200.5, ""},
      {"1.200,50 €", 1200.5, "EUR"},
      {"€1.200", 1200, "EUR"},
      {"$1,200", 1200, "USD"},
      {"US$ 45", 45, "USD"},
      {"12,50", 12.5, ""},
      {"1.5", 1.5, ""},
      {"0.500", 0.5, ""},
      {"1,200,000", 1200000, ""},
      {"₹1,20,000", 120000, "INR"},
      {"1 200,50 €", 1200.5, "EUR"},
      {"1\xC2\xA0"
       "200 €",
       1200, "EUR"},
      {"1'200.-", 1200, ""},
      {"CHF 1'200.-", 1200, "CHF"},
      {"£45", 45, "GBP"},
      {"¥3,000", 3000, "CNY"},
      {"3000元", 3000, "CNY"},
      {"1.5万元", 15000, "CNY"},
      {"5000円", 5000, "JPY"},
      {"250.000₫", 250000, "VND"},
      {"250.000 đ", 250000, "VND"},
      {"HK$300", 300, "HKD"},
      {"NT$ 1,500", 1500, "TWD"},
      {"R$ 99,90", 99.9, "BRL"},
      {"KSh 5,000", 5000, "KES"},
      {"RM 120", 120, "MYR"},
      {"Rp 150.000", 150000, "IDR"},
      {"USD 45", 45, "USD"},
      {"45 eur", 45, "EUR"},
      {"45 dollars", 45, "USD"},
      {" 45 ", 45, ""},
      {".50", 0.5, ""},
  };
  for (const auto& c : cases) {
    auto p = parse_price_string(c.text);
    ASSERT_TRUE(p.has_value()) << c.text;
    EXPECT_DOUBLE_EQ(p->amount, c.amount) << c.text;
    EXPECT_EQ(p->currency, c.currency) << c.text;
  }
}

TEST(PriceStringTest, NonAmountsAreRejected) {
  for (const char* text : {"", "negotiable", "call", "$", "€ ", "1-2k", "12 or best offer", "1.2.3,4,5",
                           "1,2,3.4.5", "abc123", "12 34", "1 23", "price: 5", "EURO", "5 EURX"}) {
    EXPECT_FALSE(parse_price_string(text).has_value()) << text;
  }
}

TEST(CurrencyTest, Normalize) {
  EXPECT_EQ(normalize_currency("usd"), "USD");
  EXPECT_EQ(normalize_currency(" Eur "), "EUR");
  EXPECT_EQ(normalize_currency("US$"), "USD");
  EXPECT_EQ(normalize_currency("€"), "EUR");
  EXPECT_EQ(normalize_currency("元"), "CNY");
  EXPECT_EQ(normalize_currency("RMB"), "CNY");  // not ISO, but what sellers write
  EXPECT_EQ(normalize_currency("xyz"), "XYZ");  // three letters: upper-cased as written
  EXPECT_EQ(normalize_currency("dollars"), "USD");
  EXPECT_EQ(normalize_currency("₫"), "VND");
  EXPECT_EQ(normalize_currency("bitcoin"), "");
  EXPECT_EQ(normalize_currency(""), "");
}

}  // namespace
}  // namespace tusk::runtime
