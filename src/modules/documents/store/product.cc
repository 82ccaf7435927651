#include "modules/documents/store/product.h"

#include <algorithm>
#include <tuple>

#include "core/money.h"
#include "core/text.h"

namespace portico::documents {
namespace {

bool within(const std::optional<std::string>& from, const std::optional<std::string>& until,
            const std::string& today) {
  return (!from || *from <= today) && (!until || today <= *until);
}

int specificity(PriceRule::Target t) {
  switch (t) {
    case PriceRule::Target::Product:
      return 3;
    case PriceRule::Target::Category:
      return 2;
    case PriceRule::Target::All:
      return 1;
  }
  return 0;
}

bool targets(const PriceRule& r, const Product& p) {
  switch (r.target) {
    case PriceRule::Target::Product:
      return r.product_external_id == p.external_id;
    case PriceRule::Target::Category:
      return !p.category.empty() && r.category == p.category;
    case PriceRule::Target::All:
      return true;
  }
  return false;
}

}  // namespace

std::vector<AppliedList> ranked(std::vector<AppliedList> lists) {
  std::stable_sort(lists.begin(), lists.end(), [](const AppliedList& a, const AppliedList& b) {
    return std::tuple(!a.chosen, -a.list->priority, a.list->id) <
           std::tuple(!b.chosen, -b.list->priority, b.list->id);
  });
  return lists;
}

std::string storeCurrency(const std::optional<std::string>& company_currency,
                          const std::vector<AppliedList>& lists) {
  if (company_currency && !company_currency->empty()) return *company_currency;
  for (const auto& a : lists) {
    if (a.list->active) return a.list->currency;
  }
  return "EUR";
}

std::optional<Price> priceOf(const Product& product, std::int64_t quantity,
                             const std::vector<AppliedList>& lists, const std::string& currency,
                             const std::string& today) {
  std::optional<std::int64_t> list_price;
  if (auto it = product.list_prices.find(currency); it != product.list_prices.end()) {
    list_price = it->second;
  }
  // The best rule so far, and what ranks it: (specificity, list rank, minimum quantity, place),
  // smaller first.
  const PriceRule* best = nullptr;
  const PriceList* best_list = nullptr;
  std::size_t best_place = 0;
  std::tuple<int, std::size_t, std::int64_t, std::size_t> best_rank{};
  for (std::size_t rank = 0; rank < lists.size(); ++rank) {
    const auto& l = *lists[rank].list;
    if (!l.active || l.currency != currency || !within(l.valid_from, l.valid_until, today)) {
      continue;
    }
    for (std::size_t i = 0; i < l.rules.size(); ++i) {
      const auto& r = l.rules[i];
      if (!targets(r, product) || quantity < r.min_quantity ||
          !within(r.valid_from, r.valid_until, today)) {
        continue;
      }
      if (!r.price && !list_price) continue;  // a discount off no price
      std::tuple key{-specificity(r.target), rank, -r.min_quantity, i};
      if (!best || key < best_rank) {
        best = &r;
        best_list = &l;
        best_place = i;
        best_rank = key;
      }
    }
  }
  if (!best) {
    if (!list_price) return std::nullopt;
    return Price{*list_price, currency, list_price, "", ""};
  }
  Price out;
  out.currency = currency;
  out.list_price = list_price;
  // The discounted price itself is rounded (not the discount): 10 % off 0.05 is 0.05, not 0.04.
  out.unit_price =
      best->price ? *best->price : core::percentOf(*list_price, 10000 - *best->discount);
  out.rule = best_list->external_id + "#" + std::to_string(best_place + 1);
  out.list_name = best_list->name;
  return out;
}

bool visibleTo(const Product& product, const std::vector<AppliedList>& lists) {
  if (!product.active) return false;
  if (!product.restricted) return true;
  for (const auto& a : lists) {
    if (!a.list->active) continue;
    for (const auto& r : a.list->rules) {
      if (r.target == PriceRule::Target::Product && r.product_external_id == product.external_id) {
        return true;
      }
    }
  }
  return false;
}

std::string productCursorText(const ProductCursor& c) {
  return std::to_string(c.id) + ":" + c.name;
}

std::optional<ProductCursor> parseProductCursor(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || text.size() > 1000) return std::nullopt;
  auto id = core::positiveNumber(text.substr(0, colon), INT64_MAX);
  if (!id) return std::nullopt;
  auto name = text.substr(colon + 1);
  if (!core::isCleanUtf8(name, false)) return std::nullopt;
  return ProductCursor{std::string(name), *id};
}

}  // namespace portico::documents
