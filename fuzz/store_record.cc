// Fuzzes the records the ERP sends the store and My pages (the integration kinds `products`,
// `price-lists`, `agreements`, `orders`, `quotes`, `invoices`): any JSON is read without a crash,
// and what is accepted keeps the contract of store_integration.h and document_integration.h
// (prices never negative, currencies ISO-shaped, a rule exactly one of a price and a discount,
// totals within kMaxMinor); the store's catalogue cursor parses back what it prints. A violation
// abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/money.h"
#include "modules/documents/document_integration.h"
#include "modules/documents/store/store_integration.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portico;
  using namespace portico::documents;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto cursor = parseProductCursor(in)) {
    auto again = parseProductCursor(productCursorText(*cursor));
    check(again && again->id == cursor->id && again->name == cursor->name);
  }
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return 0;
  if (auto p = readProduct(j)) {
    check(!p->external_id.empty() && !p->name.empty());
    check(p->vat_rate >= 0 && p->vat_rate <= 10000);
    for (const auto& [currency, minor] : p->list_prices) {
      check(core::isCurrencyCode(currency) && minor >= 0 && minor <= core::kMaxMinor);
    }
  }
  if (auto l = readPriceList(j)) {
    check(core::isCurrencyCode(l->list.currency));
    check(!l->list.all_companies || l->company_external_ids.empty());
    for (const auto& r : l->list.rules) {
      check(r.price.has_value() != r.discount.has_value());
      if (r.price) check(*r.price >= 0);
      if (r.discount) check(*r.discount >= 0 && *r.discount <= 10000);
      check(r.min_quantity >= 0);
    }
  }
  for (auto kind : kKinds) {
    if (auto d = readDocument(kind, j)) {
      check(core::isCurrencyCode(d->document.currency));
      check(d->document.total <= core::kMaxMinor && d->document.total >= -core::kMaxMinor);
    }
  }
  return 0;
}
