#include "core/money.h"

#include <gtest/gtest.h>

namespace portico::core {
namespace {

TEST(MoneyTest, ReadsDecimalStringsInTheCurrencysMinorUnits) {
  EXPECT_EQ(parseAmount("1234.50", "SEK"), 123450);
  EXPECT_EQ(parseAmount("1234.5", "SEK"), 123450);
  EXPECT_EQ(parseAmount("7", "EUR"), 700);
  EXPECT_EQ(parseAmount("-12.05", "EUR"), -1205);
  EXPECT_EQ(parseAmount("0.001", "KWD"), 1);
  EXPECT_EQ(parseAmount("1500", "JPY"), 1500);
  EXPECT_EQ(parseAmount("0009.99", "USD"), 999);
}

TEST(MoneyTest, RefusesAnythingButAnExactDecimal) {
  for (const char* bad : {"", "-", ".", "1.", ".5", "1,50", "1e3", " 1", "1 ", "+1", "1.234", "--1",
                          "0x10", "١٢", "1.5.0"}) {
    EXPECT_FALSE(parseAmount(bad, "SEK")) << bad;
  }
  EXPECT_FALSE(parseAmount("1.5", "JPY"));                // yen have no decimals
  EXPECT_FALSE(parseAmount("10000000000000.00", "SEK"));  // beyond kMaxMinor
  EXPECT_EQ(parseAmount("9999999999999.99", "SEK"), kMaxMinor);
  EXPECT_FALSE(parseAmount("99999999999999999999999", "SEK"));
}

TEST(MoneyTest, WritesEveryDecimalOfTheCurrency) {
  EXPECT_EQ(amountText(123450, "SEK"), "1234.50");
  EXPECT_EQ(amountText(-5, "EUR"), "-0.05");
  EXPECT_EQ(amountText(0, "EUR"), "0.00");
  EXPECT_EQ(amountText(1500, "JPY"), "1500");
  EXPECT_EQ(amountText(1, "BHD"), "0.001");
  EXPECT_EQ(amountText(-kMaxMinor, "SEK"), "-9999999999999.99");
}

TEST(MoneyTest, ShowsAmountsInTheReadersLanguage) {
  EXPECT_EQ(displayMoney({123456789, "SEK"}, "en"), "1,234,567.89\u00A0SEK");
  EXPECT_EQ(displayMoney({123456789, "SEK"}, "sv"), "1\u202F234\u202F567,89\u00A0SEK");
  EXPECT_EQ(displayMoney({123456789, "EUR"}, "de"), "1.234.567,89\u00A0EUR");
  EXPECT_EQ(displayMoney({-50, "EUR"}, "en"), "\u22120.50\u00A0EUR");
  EXPECT_EQ(displayMoney({100, "JPY"}, "de"), "100\u00A0JPY");
}

TEST(MoneyTest, RoundsLineAmountsHalfAwayFromZero) {
  // 1.5 × 0.33 = 0.495 → 0.50; 3 × 19.99 = 59.97; 0.333 × 1.00 = 0.333 → 0.33
  EXPECT_EQ(lineAmount(1500, 33), 50);
  EXPECT_EQ(lineAmount(3000, 1999), 5997);
  EXPECT_EQ(lineAmount(333, 100), 33);
  EXPECT_EQ(lineAmount(1500, -33), -50);                              // a credit line
  EXPECT_EQ(lineAmount(1'000'000'000'000, kMaxMinor), std::nullopt);  // too large, not wrapped
  EXPECT_EQ(percentOf(10050, 2500), 2513);  // 25 % of 100.50 = 25.125 → 25.13
  EXPECT_EQ(percentOf(-10050, 2500), -2513);
  EXPECT_EQ(percentOf(999, 1200), 120);  // 12 % of 9.99 = 1.1988
  EXPECT_EQ(percentOf(kMaxMinor, 10000), kMaxMinor);
}

TEST(MoneyTest, ReadsQuantitiesAndRates) {
  EXPECT_EQ(parseQuantity("1.5"), 1500);
  EXPECT_EQ(parseQuantity("12"), 12000);
  EXPECT_EQ(parseQuantity("0.125"), 125);
  for (const char* bad : {"0", "0.000", "-1", "1.2345", "", "abc", "1e2"}) {
    EXPECT_FALSE(parseQuantity(bad)) << bad;
  }
  EXPECT_EQ(quantityText(1500), "1.5");
  EXPECT_EQ(quantityText(12000), "12");
  EXPECT_EQ(quantityText(10000), "10");
  EXPECT_EQ(quantityText(125), "0.125");
  EXPECT_EQ(parseRate("25"), 2500);
  EXPECT_EQ(parseRate("12.5"), 1250);
  EXPECT_EQ(parseRate("0"), 0);
  EXPECT_FALSE(parseRate("100.01"));
  EXPECT_FALSE(parseRate("-5"));
  EXPECT_FALSE(parseRate("6.125"));
  EXPECT_EQ(rateText(2500), "25");
  EXPECT_EQ(rateText(1250), "12.5");
  EXPECT_EQ(rateText(0), "0");
  EXPECT_EQ(rateText(10000), "100");
}

TEST(MoneyTest, KnowsTheShapeAndDecimalsOfCurrencies) {
  EXPECT_TRUE(isCurrencyCode("SEK"));
  EXPECT_FALSE(isCurrencyCode("sek"));
  EXPECT_FALSE(isCurrencyCode("SEKR"));
  EXPECT_EQ(currencyDecimals("SEK"), 2);
  EXPECT_EQ(currencyDecimals("JPY"), 0);
  EXPECT_EQ(currencyDecimals("KWD"), 3);
  EXPECT_EQ(currencyDecimals("XPF"), 0);
  EXPECT_FALSE(isCurrencyCode("CLF"));  // four decimals: a unit of account, not an invoice's
}

}  // namespace
}  // namespace portico::core
