#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::core {

// An amount of money, exact: integer minor units (öre, cents) of an ISO 4217 currency. Never a
// float. In JSON a decimal string ("1234.50") beside its currency code.
struct Money {
  std::int64_t minor = 0;
  std::string currency;  // "SEK", "EUR", … (upper case)

  bool operator==(const Money&) const = default;
};

// The largest amount an amount may have, in minor units: sums of many stay far from overflow.
inline constexpr std::int64_t kMaxMinor = 999'999'999'999'999;  // < 2^50

// True if `code` is three upper-case ASCII letters (the shape of an ISO 4217 code), and not one
// of the units of account with four decimals (CLF, UYW), which no invoice is written in.
bool isCurrencyCode(std::string_view code);
// The number of decimals of the currency's minor unit: 0 (JPY, KRW, ISK, …), 3 (BHD, KWD, …),
// else 2.
int currencyDecimals(std::string_view currency);

// Reads a decimal string — an optional '-', digits, and at most the currency's decimals after a
// '.' ("1234.5", "-12.00", "7") — as minor units of `currency`; nullopt for anything else (a
// comma, an exponent, spaces, more decimals than the currency has, more than kMaxMinor).
std::optional<std::int64_t> parseAmount(std::string_view text, std::string_view currency);
// The amount as the API writes it: every decimal of the currency ("1234.50", "-0.05", "7").
std::string amountText(std::int64_t minor, std::string_view currency);
// The amount for people reading `language` ("en", "sv", "de"), with the currency code:
// "1,234.50 SEK", "1 234,50 SEK" (narrow no-break space), "1.234,50 SEK".
std::string displayMoney(const Money& m, std::string_view language);

// A quantity in thousandths (1.5 pieces is 1500): "1.5", "12", "0.125"; positive, at most three
// decimals and at most 10^9; nullopt for anything else.
std::optional<std::int64_t> parseQuantity(std::string_view text);
// The quantity as the API writes it, without trailing zeros: "1.5", "12".
std::string quantityText(std::int64_t milli);

// The minor units of `milli` thousandths of `unit_minor`, rounded half away from zero (the
// commercial rounding of a line's amount); nullopt beyond ±kMaxMinor.
std::optional<std::int64_t> lineAmount(std::int64_t milli, std::int64_t unit_minor);
// `basis_points` hundredths of a percent (2500 is 25 %) of `minor`, rounded half away from zero.
// REQUIRES: |minor| ≤ kMaxMinor, 0 ≤ basis_points ≤ 10000.
std::int64_t percentOf(std::int64_t minor, std::int64_t basis_points);
// A rate in basis points from "25", "12.5", "0" (0 to 100 %, at most two decimals); nullopt else.
std::optional<std::int64_t> parseRate(std::string_view text);
// The rate as the API writes it: "25", "12.5".
std::string rateText(std::int64_t basis_points);

}  // namespace portico::core
