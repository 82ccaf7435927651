#include "core/money.h"

#include <array>
#include <cstdlib>

namespace portico::core {
namespace {

// Currencies whose minor unit is not a hundredth (ISO 4217's list of exponents).
constexpr std::array<std::string_view, 17> kNoDecimals = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                          "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                          "VND", "VUV", "XAF", "XOF", "XPF"};
// Units of account with four decimals: not amounts an invoice is written in.
constexpr std::array<std::string_view, 2> kFourDecimals = {"CLF", "UYW"};
constexpr std::array<std::string_view, 7> kThreeDecimals = {"BHD", "IQD", "JOD", "KWD",
                                                            "LYD", "OMR", "TND"};

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// "digits[.digits]" with at most `decimals` after the point, as an integer scaled by
// 10^decimals, at most `max`.
std::optional<std::int64_t> scaled(std::string_view text, int decimals, std::int64_t max) {
  auto dot = text.find('.');
  auto whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (!allDigits(whole)) return std::nullopt;
  if (dot != std::string_view::npos &&
      (!allDigits(frac) || static_cast<int>(frac.size()) > decimals)) {
    return std::nullopt;
  }
  auto first = whole.find_first_not_of('0');
  whole = first == std::string_view::npos ? "0" : whole.substr(first);
  if (whole.size() > 18) return std::nullopt;
  std::int64_t w = std::strtoll(std::string(whole).c_str(), nullptr, 10);
  std::int64_t scale = pow10(decimals);
  if (w > max / scale) return std::nullopt;
  std::int64_t f = 0;
  for (int i = 0; i < decimals; ++i) {
    f = f * 10 + (i < static_cast<int>(frac.size()) ? frac[static_cast<std::size_t>(i)] - '0' : 0);
  }
  std::int64_t v = w * scale + f;
  if (v > max) return std::nullopt;
  return v;
}

std::string scaledText(std::int64_t value, int decimals) {
  bool negative = value < 0;
  std::uint64_t v =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  auto scale = static_cast<std::uint64_t>(pow10(decimals));
  std::string out = (negative ? "-" : "") + std::to_string(v / scale);
  if (decimals > 0) {
    std::string frac = std::to_string(v % scale);
    out += "." + std::string(static_cast<std::size_t>(decimals) - frac.size(), '0') + frac;
  }
  return out;
}

__extension__ using Wide = __int128;

// `a` / `b` rounded half away from zero. REQUIRES: b > 0.
Wide roundedDivide(Wide a, Wide b) {
  Wide q = a / b;
  Wide r = a % b;
  if (r < 0) r = -r;
  if (2 * r >= b) q += a < 0 ? -1 : 1;
  return q;
}

}  // namespace

bool isCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (auto c : kFourDecimals) {
    if (c == code) return false;
  }
  for (char ch : code) {
    if (ch < 'A' || ch > 'Z') return false;
  }
  return true;
}

int currencyDecimals(std::string_view currency) {
  for (auto c : kNoDecimals) {
    if (c == currency) return 0;
  }
  for (auto c : kThreeDecimals) {
    if (c == currency) return 3;
  }
  return 2;
}

std::optional<std::int64_t> parseAmount(std::string_view text, std::string_view currency) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  auto v = scaled(text, currencyDecimals(currency), kMaxMinor);
  if (!v) return std::nullopt;
  return negative ? -*v : *v;
}

std::string amountText(std::int64_t minor, std::string_view currency) {
  return scaledText(minor, currencyDecimals(currency));
}

std::string displayMoney(const Money& m, std::string_view language) {
  std::string plain = amountText(m.minor < 0 ? -m.minor : m.minor, m.currency);
  auto dot = plain.find('.');
  std::string whole = plain.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : plain.substr(dot + 1);
  const char* group = language == "sv" ? "\u202F" : language == "de" ? "." : ",";
  const char* point = language == "en" ? "." : ",";
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += group;
    grouped += whole[i];
  }
  std::string out = (m.minor < 0 ? "\u2212" : "") + grouped;
  if (!frac.empty()) out += point + frac;
  return out + "\u00A0" + m.currency;
}

std::optional<std::int64_t> parseQuantity(std::string_view text) {
  auto v = scaled(text, 3, 1'000'000'000'000);
  if (!v || *v == 0) return std::nullopt;
  return v;
}

std::string quantityText(std::int64_t milli) {
  std::string out = scaledText(milli, 3);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::optional<std::int64_t> lineAmount(std::int64_t milli, std::int64_t unit_minor) {
  Wide v = roundedDivide(static_cast<Wide>(milli) * unit_minor, 1000);
  if (v > kMaxMinor || v < -kMaxMinor) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::int64_t percentOf(std::int64_t minor, std::int64_t basis_points) {
  return static_cast<std::int64_t>(roundedDivide(static_cast<Wide>(minor) * basis_points, 10000));
}

std::optional<std::int64_t> parseRate(std::string_view text) {
  auto v = scaled(text, 2, 10000);
  return v;
}

std::string rateText(std::int64_t basis_points) {
  std::string out = scaledText(basis_points, 2);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

}  // namespace portico::core
