#include "modules/documents/store/store_integration.h"

#include <nlohmann/json.hpp>

#include "core/money.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "modules/documents/record_fields.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using integration::Upserted;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;
constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxDescription = 10000;
constexpr std::size_t kMaxShort = 100;
constexpr std::size_t kMaxLicences = 20;
constexpr std::size_t kMaxCurrencies = 20;
constexpr std::size_t kMaxRules = 1000;
constexpr std::size_t kMaxCompanies = 10000;
constexpr std::int64_t kMaxPriority = 1000000;

core::Result<bool> flag(const json& j, const char* key, bool fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_boolean()) return fail(Error::invalid("errors.store.not_boolean", key));
  return j[key].get<bool>();
}

// An array at `key` of at most `max` items, or none (absent or null).
core::Result<const json*> array(const json& j, const char* key, std::size_t max) {
  if (!j.contains(key) || j[key].is_null()) return static_cast<const json*>(nullptr);
  if (!j[key].is_array()) return fail(Error::invalid("errors.store.not_array", key));
  if (j[key].size() > max) {
    return fail(
        Error::invalid("errors.integration.too_many", key).with("max", std::to_string(max)));
  }
  return &j[key];
}

core::Result<PriceRule> readRule(const json& j, const std::string& currency) {
  if (!j.is_object()) return fail(Error::invalid("errors.integration.not_object", ""));
  PriceRule r;
  auto product = optionalTextField(j, "product_external_id", kMaxExternalId);
  if (!product) return fail(product.error());
  auto category = optionalTextField(j, "category", kMaxShort);
  if (!category) return fail(category.error());
  if (*product && *category) {
    return fail(Error::invalid("errors.store.rule_target", "category"));
  }
  if (*product && !(*product)->empty()) {
    r.target = PriceRule::Target::Product;
    r.product_external_id = **product;
  } else if (*category && !(*category)->empty()) {
    r.target = PriceRule::Target::Category;
    r.category = **category;
  }
  auto price = amountField(j, "price", currency);
  if (!price) return fail(price.error());
  auto discount = rateField(j, "discount");
  if (!discount) return fail(discount.error());
  if (price->has_value() == discount->has_value()) {
    return fail(Error::invalid("errors.store.rule_price", "price"));
  }
  if (*price && **price < 0) return fail(Error::invalid("errors.documents.bad_amount", "price"));
  r.price = *price;
  r.discount = *discount;
  auto min = quantityField(j, "min_quantity");
  if (!min) return fail(min.error());
  r.min_quantity = min->value_or(0);
  auto from = dateField(j, "valid_from");
  if (!from) return fail(from.error());
  auto until = dateField(j, "valid_until");
  if (!until) return fail(until.error());
  if (*from && *until && **until < **from) {
    return fail(Error::invalid("errors.store.dates", "valid_until"));
  }
  r.valid_from = *from;
  r.valid_until = *until;
  return r;
}

json optionalJson(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

core::Result<Product> readProduct(const json& record) {
  Product p;
  for (auto [key, target, max, required, multiline] :
       {std::tuple{"external_id", &p.external_id, kMaxExternalId, true, false},
        std::tuple{"name", &p.name, kMaxName, true, false},
        std::tuple{"sku", &p.sku, kMaxShort, false, false},
        std::tuple{"description", &p.description, kMaxDescription, false, true},
        std::tuple{"category", &p.category, kMaxShort, false, false},
        std::tuple{"family", &p.family, kMaxShort, false, false},
        std::tuple{"unit", &p.unit, std::size_t{20}, false, false}}) {
    auto v = directory::textField(record, key, required, max, "", multiline);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  auto rate = rateField(record, "vat_rate");
  if (!rate) return fail(rate.error());
  p.vat_rate = rate->value_or(0);
  auto licences = array(record, "licences", kMaxLicences);
  if (!licences) return fail(licences.error());
  if (*licences) {
    for (std::size_t i = 0; i < (*licences)->size(); ++i) {
      const auto& l = (**licences)[i];
      auto where = "licences[" + std::to_string(i) + "]";
      if (!l.is_object()) return fail(Error::invalid("errors.integration.not_object", where));
      auto name = directory::textField(l, "name", true, kMaxName);
      if (!name) return fail(underField(name.error(), where));
      auto description = directory::textField(l, "description", false, kMaxDescription, "", true);
      if (!description) return fail(underField(description.error(), where));
      p.licences.push_back({std::move(*name), std::move(*description)});
    }
  }
  if (record.contains("list_prices") && !record["list_prices"].is_null()) {
    const auto& prices = record["list_prices"];
    if (!prices.is_object()) return fail(Error::invalid("errors.store.list_prices", "list_prices"));
    if (prices.size() > kMaxCurrencies) {
      return fail(Error::invalid("errors.integration.too_many", "list_prices")
                      .with("max", std::to_string(kMaxCurrencies)));
    }
    for (const auto& [currency, value] : prices.items()) {
      auto where = "list_prices." + currency;
      if (!core::isCurrencyCode(currency)) {
        return fail(Error::invalid("errors.documents.bad_currency", "list_prices"));
      }
      auto minor =
          value.is_string() ? core::parseAmount(value.get<std::string>(), currency) : std::nullopt;
      if (!minor || *minor < 0) {
        return fail(Error::invalid("errors.documents.bad_amount", where).with("field", where));
      }
      p.list_prices[currency] = *minor;
    }
  }
  auto restricted = flag(record, "restricted", false);
  if (!restricted) return fail(restricted.error());
  p.restricted = *restricted;
  auto active = flag(record, "active", true);
  if (!active) return fail(active.error());
  p.active = *active;
  return p;
}

core::Result<PriceListUpsert> readPriceList(const json& record) {
  PriceListUpsert u;
  auto& l = u.list;
  for (auto [key, target, max] : {std::tuple{"external_id", &l.external_id, kMaxExternalId},
                                  std::tuple{"name", &l.name, kMaxName},
                                  std::tuple{"currency", &l.currency, std::size_t{3}}}) {
    auto v = directory::textField(record, key, true, max);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  if (!core::isCurrencyCode(l.currency)) {
    return fail(Error::invalid("errors.documents.bad_currency", "currency"));
  }
  if (record.contains("priority") && !record["priority"].is_null()) {
    const auto& v = record["priority"];
    if (!v.is_number_integer() || v.get<std::int64_t>() < -kMaxPriority ||
        v.get<std::int64_t>() > kMaxPriority) {
      return fail(Error::invalid("errors.store.priority", "priority")
                      .with("max", std::to_string(kMaxPriority)));
    }
    l.priority = v.get<std::int64_t>();
  }
  auto companies = array(record, "company_external_ids", kMaxCompanies);
  if (!companies) return fail(companies.error());
  l.all_companies = *companies == nullptr;
  if (*companies) {
    for (std::size_t i = 0; i < (*companies)->size(); ++i) {
      const auto& c = (**companies)[i];
      auto where = "company_external_ids[" + std::to_string(i) + "]";
      if (!c.is_string() || c.get<std::string>().empty() ||
          c.get<std::string>().size() > kMaxExternalId) {
        return fail(Error::invalid("errors.integration.unknown_company", where)
                        .with("external_id", c.is_string() ? c.get<std::string>() : ""));
      }
      u.company_external_ids.push_back(c.get<std::string>());
    }
  }
  auto from = dateField(record, "valid_from");
  if (!from) return fail(from.error());
  auto until = dateField(record, "valid_until");
  if (!until) return fail(until.error());
  if (*from && *until && **until < **from) {
    return fail(Error::invalid("errors.store.dates", "valid_until"));
  }
  l.valid_from = *from;
  l.valid_until = *until;
  auto active = flag(record, "active", true);
  if (!active) return fail(active.error());
  l.active = *active;
  auto rules = array(record, "rules", kMaxRules);
  if (!rules) return fail(rules.error());
  if (*rules) {
    for (std::size_t i = 0; i < (*rules)->size(); ++i) {
      auto r = readRule((**rules)[i], l.currency);
      if (!r) return fail(underField(r.error(), "rules[" + std::to_string(i) + "]"));
      l.rules.push_back(std::move(*r));
    }
  }
  return u;
}

json productRecordToJson(const Product& p) {
  json licences = json::array();
  for (const auto& l : p.licences) {
    licences.push_back({{"name", l.name}, {"description", l.description}});
  }
  json prices = json::object();
  for (const auto& [currency, minor] : p.list_prices) {
    prices[currency] = core::amountText(minor, currency);
  }
  return {{"id", p.id},
          {"external_id", p.external_id},
          {"sku", p.sku},
          {"name", p.name},
          {"description", p.description},
          {"category", p.category},
          {"family", p.family},
          {"unit", p.unit},
          {"vat_rate", core::rateText(p.vat_rate)},
          {"licences", licences},
          {"list_prices", prices},
          {"restricted", p.restricted},
          {"active", p.active}};
}

json priceListRecordToJson(const PriceList& l,
                           const std::vector<std::string>& company_external_ids) {
  json rules = json::array();
  for (const auto& r : l.rules) {
    rules.push_back(
        {{"product_external_id",
          r.target == PriceRule::Target::Product ? json(r.product_external_id) : json(nullptr)},
         {"category", r.target == PriceRule::Target::Category ? json(r.category) : json(nullptr)},
         {"price", r.price ? json(core::amountText(*r.price, l.currency)) : json(nullptr)},
         {"discount", r.discount ? json(core::rateText(*r.discount)) : json(nullptr)},
         {"min_quantity", core::quantityText(r.min_quantity)},
         {"valid_from", optionalJson(r.valid_from)},
         {"valid_until", optionalJson(r.valid_until)}});
  }
  return {{"id", l.id},
          {"external_id", l.external_id},
          {"name", l.name},
          {"currency", l.currency},
          {"priority", l.priority},
          {"company_external_ids", l.all_companies ? json(nullptr) : json(company_external_ids)},
          {"valid_from", optionalJson(l.valid_from)},
          {"valid_until", optionalJson(l.valid_until)},
          {"active", l.active},
          {"rules", rules}};
}

void registerStoreKinds(integration::Kinds& kinds, StoreService& service, audit::AuditLog& audit) {
  kinds.add(std::make_unique<integration::KindOf<Product>>(
      "products", [](const json& record) { return readProduct(record); },
      [&service, &audit](const Caller& caller, const Product& p,
                         std::string* answer) -> core::Result<Upserted> {
        auto done = service.upsertProduct(caller.org, p);
        audit.record(caller.actor, {done.created ? "product.created" : "product.updated",
                                    std::nullopt, caller.org, std::nullopt,
                                    json{{"external_id", p.external_id}, {"name", p.name}}.dump()});
        if (answer) *answer = productRecordToJson(done.product).dump();
        return Upserted{done.product.id, done.created};
      }));
  kinds.add(std::make_unique<integration::KindOf<PriceListUpsert>>(
      "price-lists", [](const json& record) { return readPriceList(record); },
      [&service, &audit](const Caller& caller, const PriceListUpsert& u,
                         std::string* answer) -> core::Result<Upserted> {
        auto done = service.upsertPriceList(caller.org, u);
        if (!done) return fail(done.error());
        audit.record(caller.actor,
                     {done->created ? "price_list.created" : "price_list.updated", std::nullopt,
                      caller.org, std::nullopt,
                      json{{"external_id", u.list.external_id}, {"name", u.list.name}}.dump()});
        if (answer) *answer = priceListRecordToJson(done->list, u.company_external_ids).dump();
        return Upserted{done->list.id, done->created};
      }));
}

}  // namespace portico::documents
