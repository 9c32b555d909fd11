#include "runtime/money.h"

#include <gtest/gtest.h>

namespace tusk::runtime {
namespace {

TEST(RateTableTest, LoadsAndConverts) {
  RateTableLoad load = load_rate_table("base: USD\nas_of: 2026-11-01\nrates: {EUR: 1.08, JPY: 0.0066}\n");
  ASSERT_TRUE(load.ok()) << load.errors[0].message;
  const RateTable& t = load.table;
  EXPECT_EQ(t.base, "USD");
  EXPECT_EQ(t.as_of, "2026-11-01");
  EXPECT_DOUBLE_EQ(t.per_unit_in_base.at("USD"), 1.0);  // the base is implied
  EXPECT_DOUBLE_EQ(*t.convert(100, "EUR", "USD"), 108);
  EXPECT_DOUBLE_EQ(*t.convert(108, "USD", "EUR"), 100);
  EXPECT_DOUBLE_EQ(*t.convert(1000, "JPY", "EUR"), 1000 * 0.0066 / 1.08);
  EXPECT_DOUBLE_EQ(*t.convert(7, "eur", "eur"), 7);
  EXPECT_DOUBLE_EQ(*t.convert(10, "eur", "usd"), 10.8);
  EXPECT_FALSE(t.convert(1, "XYZ", "USD").has_value());
  EXPECT_FALSE(t.convert(1, "USD", "GBP").has_value());
  EXPECT_FALSE(t.convert(1, "", "USD").has_value());
  EXPECT_TRUE(t.knows("jpy"));
  EXPECT_FALSE(t.knows("GBP"));
}

TEST(RateTableTest, ShippedTableIsValidAndCoversTheMarkets) {
  RateTableLoad load = load_rate_table_file(TUSK_SOURCE_DIR "/stdlib/money/rates.yaml");
  ASSERT_TRUE(load.ok()) << load.errors[0].message << " at " << load.errors[0].line;
  EXPECT_EQ(load.table.base, "USD");
  EXPECT_FALSE(load.table.as_of.empty());
  for (const char* code : {"USD", "EUR", "GBP", "CNY", "HKD", "TWD", "JPY", "VND", "THB", "IDR", "KES", "TZS",
                           "NGN", "ZAR", "BRL", "MXN", "INR", "AUD", "CAD", "CHF", "SGD", "MYR", "PHP"}) {
    EXPECT_TRUE(load.table.knows(code)) << code;
  }
  // Sanity of magnitudes: a euro is worth more than a yuan, a yuan more than a yen, a yen more
  // than a dong. A decimal slip in the table breaks this.
  auto usd = [&](const char* c) { return *load.table.convert(1, c, "USD"); };
  EXPECT_GT(usd("EUR"), usd("CNY"));
  EXPECT_GT(usd("CNY"), usd("JPY"));
  EXPECT_GT(usd("JPY"), usd("VND"));
  EXPECT_GT(usd("EUR"), 0.8);
  EXPECT_LT(usd("EUR"), 1.4);
}

struct BadTable {
  const char* yaml;
  const char* message_part;
  int line;
  int column;
};

TEST(RateTableTest, ErrorsAreDataWithPositions) {
  const BadTable cases[] = {
      {"base: USD\nas_of: 2026-11-01\nrates: {EUR: [1]}\n", "rate of EUR must be a positive number", 3, 14},
      {"base: USD\nas_of: 2026-11-01\nrates:\n  EUR: -1\n", "rate of EUR must be a positive number", 4, 8},
      {"base: USD\nas_of: 2026-11-01\nrates:\n  eur: 1.1\n", "\"eur\" is not an ISO 4217 code", 4, 3},
      {"base: USD\nas_of: 2026-11-01\nrates:\n  EUR: 1.1\n  EUR: 1.2\n", "EUR is listed twice", 5, 3},
      {"base: usd\nas_of: 2026-11-01\nrates: {}\n", "base must be an ISO 4217 code", 1, 7},
      {"base: USD\nas_of: 1 Nov 2026\nrates: {}\n", "as_of must be a date written YYYY-MM-DD", 2, 8},
      {"base: USD\nas-of: 2026-11-01\nrates: {}\n", "unknown key \"as-of\"", 2, 1},
      {"base: USD\nas_of: 2026-11-01\nrates: {USD: 2}\n", "the base currency USD must have rate 1", 3, 14},
      {"base: USD\nas_of: 2026-11-01\nrates: {EUR: 1.1\n", "", 4, 1},
      {"- USD\n", "a rate table is a mapping", 1, 1},
  };
  for (const auto& c : cases) {
    RateTableLoad load = load_rate_table(c.yaml);
    ASSERT_FALSE(load.ok()) << c.yaml;
    EXPECT_NE(load.errors[0].message.find(c.message_part), std::string::npos)
        << c.yaml << " -> " << load.errors[0].message;
    EXPECT_EQ(load.errors[0].line, c.line) << c.yaml << " -> " << load.errors[0].message;
    EXPECT_EQ(load.errors[0].column, c.column) << c.yaml << " -> " << load.errors[0].message;
  }
}

TEST(RateTableTest, MissingKeysAreAllReported) {
  RateTableLoad load = load_rate_table("rates: {EUR: 1.1}\n");
  ASSERT_EQ(load.errors.size(), 2u);
  EXPECT_NE(load.errors[0].message.find("missing key base"), std::string::npos);
  EXPECT_NE(load.errors[1].message.find("missing key as_of"), std::string::npos);
}

TEST(RateTableTest, UnreadableFileIsAnError) {
  RateTableLoad load = load_rate_table_file("/nonexistent/rates.yaml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].line, 0);
}

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
      {"1\xC2\xA0" "200 €", 1200, "EUR"},
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
