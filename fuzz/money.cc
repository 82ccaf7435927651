// Fuzzes the readers of exact money (src/core/money.h) — what the ERP sends as amounts,
// quantities and VAT rates — and the integration reader of documents built on them
// (documents::readDocument, the JSON of POST /api/v1/integration/invoices). Each call is checked
// against its contract; a violation abort()s: an amount it accepts is within ±kMaxMinor and reads
// back the same once written, a quantity is positive and reads back the same, a rate is 0 to
// 100 %, and a document it accepts has totals within range and lines whose amounts are exact.

#include "core/money.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "modules/documents/document_integration.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portico;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const char* currency : {"SEK", "JPY", "KWD"}) {
    if (auto minor = core::parseAmount(in, currency)) {
      check(*minor <= core::kMaxMinor && *minor >= -core::kMaxMinor);
      auto again = core::parseAmount(core::amountText(*minor, currency), currency);
      check(again && *again == *minor);
      core::displayMoney({*minor, currency}, "sv");
    }
  }
  if (auto q = core::parseQuantity(in)) {
    check(*q > 0);
    auto again = core::parseQuantity(core::quantityText(*q));
    check(again && *again == *q);
  }
  if (auto r = core::parseRate(in)) {
    check(*r >= 0 && *r <= 10000);
    auto again = core::parseRate(core::rateText(*r));
    check(again && *again == *r);
  }
  auto record = nlohmann::json::parse(in, nullptr, false);
  if (record.is_object()) {
    if (auto u = documents::readDocument(documents::Kind::Invoice, record)) {
      const auto& d = u->document;
      check(core::isCurrencyCode(d.currency));
      check(d.total <= core::kMaxMinor && d.total >= -core::kMaxMinor);
      for (const auto& l : d.lines) check(l.quantity > 0 && l.vat_rate >= 0 && l.vat_rate <= 10000);
    }
  }
  return 0;
}
