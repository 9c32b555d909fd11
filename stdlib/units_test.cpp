#include "stdlib/units.h"

#include <gtest/gtest.h>

#include <string>

namespace tusk::stdlib {
namespace {

struct WeightCase {
  const char* text;
  double kg;
  const char* span;  // the bytes the weight covers
};

TEST(UnitsTest, RecognizedWeights) {
  const WeightCase cases[] = {
      {"1.2kg", 1.2, "1.2kg"},
      {"heavy 1.2 kg bangle", 1.2, "1.2 kg"},
      {"500 g", 0.5, "500 g"},
      {"500g", 0.5, "500g"},
      {"2 grams", 0.002, "2 grams"},
      {"1 gram", 0.001, "1 gram"},
      {"3 lb", 3 * 0.45359237, "3 lb"},
      {"3 lbs", 3 * 0.45359237, "3 lbs"},
      {"12 oz", 12 * 0.028349523125, "12 oz"},
      {"1 ounce", 0.028349523125, "1 ounce"},
      {"1,5 kg", 1.5, "1,5 kg"},
      {"2,25kg", 2.25, "2,25kg"},
      {"1,500 g", 1.5, "1,500 g"},
      {"3斤", 1.5, "3斤"},
      {"象牙3斤出售", 1.5, "3斤"},
      {"2两", 0.1, "2两"},
      {"1公斤", 1, "1公斤"},
      {"1千克", 1, "1千克"},
      {"500克", 0.5, "500克"},
      {"1.5 kilos", 1.5, "1.5 kilos"},
      {"1 kilo", 1, "1 kilo"},
      {"2 kilograms", 2, "2 kilograms"},
      {"10 kgs", 10, "10 kgs"},
      {"10KG", 10, "10KG"},
      {"250 Gr", 0.25, "250 Gr"},
      {"500mg", 0.0005, "500mg"},
      {"5 milligrams", 0.000005, "5 milligrams"},
      {"500 gm", 0.5, "500 gm"},
      {"1㎏", 1, "1㎏"},
      {"500G", 0.5, "500G"},  // capital G is grams unless it reads as a network generation
      {"３斤", 1.5, "３斤"},  // full-width digit
      {"１２公斤", 12, "１２公斤"},
      {"2x500g", 0.5, "500g"},
      {"500g-1kg", 0.5, "500g"},
      {"weight: 1.2kg.", 1.2, "1.2kg"},
      {"(800g)", 0.8, "800g"},
      {"500\xC2\xA0g", 0.5, "500\xC2\xA0g"},
  };
  for (const auto& c : cases) {
    std::string_view text = c.text;
    auto w = first_weight(text);
    ASSERT_TRUE(w.has_value()) << c.text;
    EXPECT_NEAR(w->kg, c.kg, 1e-12) << c.text;
    EXPECT_EQ(text.substr(w->begin, w->end - w->begin), c.span) << c.text;
  }
}

TEST(UnitsTest, NotWeights) {
  for (const char* text : {
           "5G phone",        "new 5g phone",
           "4G LTE",          "4 G network",
           "g-string",        "5 g-strings",
           "10 gallons",      "10 gal",
           "3 goats",         "12 kgb agents",
           "A4 paper",        "SKU12g",
           "box500g",         "model v1.5g",
           "5克拉 diamond",   "10 kilometers",
           "version 2.0.1g",
           "50 pounds",  // money as often as weight: deliberately not read
           "no numbers here", "",
       }) {
    auto w = first_weight(text);
    EXPECT_FALSE(w.has_value()) << text << " -> " << (w ? w->kg : 0);
  }
}

TEST(UnitsTest, AllWeightsInOrder) {
  std::string_view text = "tusk 1.2kg, another 800 g and 3斤; 5G phone not counted; 2 lbs";
  auto all = all_weights(text);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_NEAR(all[0].kg, 1.2, 1e-12);
  EXPECT_NEAR(all[1].kg, 0.8, 1e-12);
  EXPECT_NEAR(all[2].kg, 1.5, 1e-12);
  EXPECT_NEAR(all[3].kg, 2 * 0.45359237, 1e-12);
  EXPECT_EQ(text.substr(all[2].begin, all[2].end - all[2].begin), "3斤");
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i].begin, all[i - 1].end);
  auto first = first_weight(text);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->begin, all[0].begin);
}

TEST(UnitsTest, LongNumbersWithoutUnitsDoNotMatchInside) {
  // "123456789kg" is one number, not "789kg" or "9kg".
  auto w = first_weight("x123 123456789kg");
  ASSERT_TRUE(w.has_value());
  EXPECT_DOUBLE_EQ(w->kg, 123456789);
  EXPECT_EQ(w->begin, 5u);
}

TEST(UnitsTest, HugeInputIsLinear) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "12 34,5 ";
  text += "7kg";
  auto w = first_weight(text);
  ASSERT_TRUE(w.has_value());
  EXPECT_DOUBLE_EQ(w->kg, 7);
  EXPECT_EQ(w->end, text.size());
}

}  // namespace
}  // namespace tusk::stdlib
