#include "modules/documents/store/store_service.h"

#include <nlohmann/json.hpp>

#include "core/business_hours.h"
#include "core/money.h"
#include "core/random.h"
#include "core/text.h"

namespace portico::documents {
namespace {

using access::Basis;
using access::Permission;
using core::Error;
using core::fail;
using nlohmann::json;

// The most of one product a line may hold: a million units (in thousandths).
constexpr std::int64_t kMaxQuantity = 1'000'000'000;

std::string lineField(std::size_t i, const char* name) {
  return "lines[" + std::to_string(i) + "]." + name;
}

core::Result<std::string> cleanText(const std::string& text, std::size_t max, bool multiline,
                                    const char* key, const char* field) {
  auto out = std::string(core::trim(text));
  if (out.size() > max || !core::isCleanUtf8(out, multiline)) {
    return fail(Error::invalid(key, field).with("max", std::to_string(max)));
  }
  return out;
}

}  // namespace

std::string StoreService::today() const { return core::utcDateText(clock_.now()); }

std::shared_ptr<const StorePricing> StoreService::pricingFor(const access::CompanyAccess& a) {
  // The version first: what is read after it is at least as new, so an entry is never older
  // than the version it is kept under.
  auto [version, company_currency] = repo_.storeVersion(a.company.org_id, a.company.id);
  {
    std::lock_guard lock(mutex_);
    auto found = pricing_.find(a.company.id.value);
    if (found != pricing_.end() && found->second->version == version &&
        found->second->company_currency == company_currency) {
      return found->second;
    }
  }
  auto made = std::make_shared<StorePricing>();
  made->version = version;
  made->company_currency = company_currency;
  std::vector<bool> chosen;
  made->storage = repo_.priceListsFor(a.company.org_id, a.company.id, &chosen);
  std::vector<AppliedList> lists;
  for (std::size_t i = 0; i < made->storage.size(); ++i) {
    lists.push_back({&made->storage[i], chosen[i]});
  }
  made->lists = ranked(std::move(lists));
  made->currency = storeCurrency(company_currency, made->lists);
  std::vector<std::string> named;
  for (const auto& applied : made->lists) {
    for (const auto& r : applied.list->rules) {
      if (r.target == PriceRule::Target::Product) named.push_back(r.product_external_id);
    }
  }
  made->restricted = repo_.productIds(a.company.org_id, named);
  made->categories = repo_.categories(a.company.org_id, made->restricted);
  std::lock_guard lock(mutex_);
  if (pricing_.size() >= kMaxPricing) pricing_.clear();
  pricing_[a.company.id.value] = made;
  return made;
}

std::vector<std::pair<std::int64_t, std::string>> StoreService::companies(
    const identity::Principal& p) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& a : policy_.memberships(p)) {
    if (a.can(Permission::StoreView)) out.emplace_back(a.company.id.value, a.company.name);
  }
  return out;
}

bool StoreService::maySee(const identity::Principal& p) { return !companies(p).empty(); }

core::Result<Catalogue> StoreService::catalogue(const identity::Principal& p,
                                                core::CompanyId company,
                                                const ProductFilter& filter) {
  auto a = policy_.company(p, company);
  if (!a || !a->can(Permission::StoreView)) {
    return fail(Error::notFound("errors.store.no_such_company"));
  }
  if (filter.query.size() > kMaxQuery || filter.category.size() > kMaxQuery) {
    return fail(Error::invalid("errors.documents.query_too_long", "q")
                    .with("max", std::to_string(kMaxQuery)));
  }
  auto pricing = pricingFor(*a);
  const auto& lists = pricing->lists;
  Catalogue out;
  out.currency = pricing->currency;
  auto day = today();
  auto products = repo_.listProducts(a->company.org_id, filter, pricing->restricted);
  if (products.size() > static_cast<std::size_t>(filter.limit)) {
    products.pop_back();
    out.next = ProductCursor{products.back().name, products.back().id};
  }
  for (auto& product : products) {
    auto price = priceOf(product, 1000, lists, out.currency, day);
    out.items.push_back({std::move(product), std::move(price)});
  }
  out.categories = pricing->categories;
  return out;
}

core::Result<PricedProduct> StoreService::product(const identity::Principal& p,
                                                  core::CompanyId company, std::int64_t id,
                                                  std::int64_t quantity) {
  auto a = policy_.company(p, company);
  if (!a || !a->can(Permission::StoreView)) {
    return fail(Error::notFound("errors.store.no_such_company"));
  }
  auto product = repo_.findProduct(id);
  auto pricing = pricingFor(*a);
  const auto& lists = pricing->lists;
  if (!product || product->org_id != a->company.org_id || !visibleTo(*product, lists)) {
    return fail(Error::notFound("errors.store.no_such_product"));
  }
  auto currency = pricing->currency;
  auto price = priceOf(*product, quantity, lists, currency, today());
  return PricedProduct{std::move(*product), std::move(price)};
}

core::Result<access::CompanyAccess> StoreService::shopper(const identity::Principal& p,
                                                          core::CompanyId company) {
  auto a = policy_.company(p, company);
  if (!a || !a->can(Permission::StoreView)) {
    return fail(Error::notFound("errors.store.no_such_company"));
  }
  if (a->basis != Basis::Membership ||
      !(a->can(Permission::OrdersPlace) || a->can(Permission::QuotesAccept))) {
    return fail(Error::forbidden("errors.store.may_not_shop"));
  }
  return std::move(*a);
}

bool StoreService::mayOrder(const identity::Principal& p, core::CompanyId company) {
  auto a = policy_.company(p, company);
  return a && a->basis == Basis::Membership && a->can(Permission::OrdersPlace);
}

core::Result<Cart> StoreService::cart(const identity::Principal& p, core::CompanyId company) {
  auto a = shopper(p, company);
  if (!a) return fail(a.error());
  auto pricing = pricingFor(*a);
  const auto& lists = pricing->lists;
  Cart out;
  out.company_id = company;
  out.company_name = a->company.name;
  out.currency = pricing->currency;
  auto day = today();
  std::vector<Line> lines;
  for (auto [id, quantity] : repo_.cart(p.user.id, company)) {
    auto product = repo_.findProduct(id);
    if (!product || product->org_id != a->company.org_id || !visibleTo(*product, lists)) continue;
    auto price = priceOf(*product, quantity, lists, out.currency, day);
    CartLine line{{std::move(*product), price}, quantity, 0};
    if (price) {
      line.amount = core::lineAmount(quantity, price->unit_price).value_or(0);
      Line l;
      l.amount = line.amount;
      l.vat_rate = line.product.product.vat_rate;
      lines.push_back(l);
    } else {
      out.priced = false;
    }
    out.lines.push_back(std::move(line));
  }
  auto t = totalsOf(lines);
  out.subtotal = t.subtotal;
  out.vat = t.vat;
  out.total = t.total;
  return out;
}

core::Status StoreService::setCartLine(const identity::Principal& p, core::CompanyId company,
                                       std::int64_t product, std::int64_t quantity) {
  auto a = shopper(p, company);
  if (!a) return fail(a.error());
  if (quantity < 0 || quantity > kMaxQuantity) {
    return fail(Error::invalid("errors.store.bad_quantity", "quantity"));
  }
  storage::Transaction tx(repo_.conn());
  if (quantity == 0) {
    repo_.removeCartLine(p.user.id, company, product);
    tx.commit();
    return {};
  }
  auto found = repo_.findProduct(product);
  auto pricing = pricingFor(*a);
  const auto& lists = pricing->lists;
  if (!found || found->org_id != a->company.org_id || !visibleTo(*found, lists)) {
    return fail(Error::notFound("errors.store.no_such_product"));
  }
  auto lines = repo_.cart(p.user.id, company);
  bool present = false;
  for (const auto& l : lines) present = present || l.first == product;
  if (!present && lines.size() >= kMaxCartLines) {
    return fail(Error::invalid("errors.store.cart_full", "product_id")
                    .with("max", std::to_string(kMaxCartLines)));
  }
  repo_.setCartLine(p.user.id, company, product, quantity, clock_.now());
  tx.commit();
  return {};
}

void StoreService::clearCart(const identity::Principal& p, core::CompanyId company) {
  storage::Transaction tx(repo_.conn());
  repo_.clearCart(p.user.id, company);
  tx.commit();
}

std::vector<DeliverySite> StoreService::deliverySites(const identity::Principal& p,
                                                      core::CompanyId company) {
  std::vector<DeliverySite> out;
  auto a = policy_.company(p, company);
  if (!a) return out;
  for (auto& s : repo_.sites(company)) {
    if (a->all_sites || a->seesSite(s.id)) out.push_back(std::move(s));
  }
  return out;
}

bool StoreService::mayTypeAddress(const identity::Principal& p, core::CompanyId company) {
  auto a = policy_.company(p, company);
  return a && a->all_sites;
}

core::Result<Document> StoreService::placeOrder(const identity::Principal& p,
                                                const OrderRequest& order,
                                                const identity::Origin& origin) {
  auto a = policy_.company(p, order.company);
  if (!a || !a->can(Permission::StoreView)) {
    return fail(Error::notFound("errors.store.no_such_company"));
  }
  if (a->basis != Basis::Membership || !a->can(Permission::OrdersPlace)) {
    return fail(Error::forbidden("errors.store.may_not_order"));
  }
  if (order.lines.empty()) return fail(Error::invalid("errors.store.no_lines", "lines"));
  if (order.lines.size() > kMaxOrderLines) {
    return fail(Error::invalid("errors.integration.too_many", "lines")
                    .with("max", std::to_string(kMaxOrderLines)));
  }
  auto pricing = pricingFor(*a);
  const auto& lists = pricing->lists;
  auto currency = pricing->currency;
  auto day = today();
  Document d;
  d.org_id = a->company.org_id;
  d.company_id = order.company;
  d.company_name = a->company.name;
  d.kind = Kind::Order;
  d.status = "received";
  d.currency = currency;
  d.date = day;
  d.owner = p.user.id;
  d.language = p.user.language;
  json event_lines = json::array();
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    auto [id, quantity] = order.lines[i];
    if (quantity <= 0 || quantity > kMaxQuantity) {
      return fail(Error::invalid("errors.store.bad_quantity", lineField(i, "quantity")));
    }
    auto product = repo_.findProduct(id);
    if (!product || product->org_id != d.org_id || !visibleTo(*product, lists)) {
      return fail(Error::invalid("errors.store.unknown_product", lineField(i, "product_id")));
    }
    auto price = priceOf(*product, quantity, lists, currency, day);
    if (!price) {
      return fail(Error::invalid("errors.store.no_price", lineField(i, "product_id"))
                      .with("currency", currency));
    }
    auto amount = core::lineAmount(quantity, price->unit_price);
    if (!amount) return fail(Error::invalid("errors.store.bad_quantity", lineField(i, "quantity")));
    Line l;
    l.sku = product->sku;
    l.description = product->name;
    l.quantity = quantity;
    l.unit = product->unit;
    l.unit_price = price->unit_price;
    l.vat_rate = product->vat_rate;
    l.amount = *amount;
    l.product_id = product->id;
    l.price_rule = price->rule;
    event_lines.push_back(
        {{"product_id", product->id},
         {"product_external_id", product->external_id},
         {"sku", product->sku},
         {"description", product->name},
         {"quantity", core::quantityText(quantity)},
         {"unit_price", core::amountText(l.unit_price, currency)},
         {"vat_rate", core::rateText(l.vat_rate)},
         {"amount", core::amountText(l.amount, currency)},
         {"price_rule", l.price_rule.empty() ? json(nullptr) : json(l.price_rule)}});
    d.lines.push_back(std::move(l));
  }
  // Where it goes: one of the company's sites that the caller sees, or a typed address by
  // someone who sees every site (else the order would be out of their own sight).
  if (order.site_id.has_value() == !core::trim(order.address).empty()) {
    return fail(Error::invalid("errors.store.delivery", "delivery"));
  }
  std::optional<std::string> site_external_id;
  if (order.site_id) {
    auto site = repo_.site(*order.site_id);
    if (!site || site->company_id != order.company.value ||
        !(a->all_sites || a->seesSite(site->id))) {
      return fail(Error::invalid("errors.store.unknown_site", "delivery.site_id"));
    }
    d.site_id = site->id;
    d.site_name = site->name;
    d.delivery_address = site->address.empty() ? site->name : site->name + "\n" + site->address;
    site_external_id = site->external_id;
  } else {
    if (!a->all_sites)
      return fail(Error::invalid("errors.store.site_required", "delivery.site_id"));
    auto address =
        cleanText(order.address, kMaxAddress, true, "errors.store.bad_address", "delivery.address");
    if (!address) return fail(address.error());
    d.delivery_address = std::move(*address);
  }
  auto reference =
      cleanText(order.reference, kMaxReference, false, "errors.store.bad_reference", "reference");
  if (!reference) return fail(reference.error());
  d.reference = std::move(*reference);
  auto t = totalsOf(d.lines);
  if (t.total > core::kMaxMinor) {
    return fail(Error::invalid("errors.documents.bad_amount", "lines").with("field", "lines"));
  }
  d.subtotal = t.subtotal;
  d.vat = t.vat;
  d.total = t.total;
  d.created_at = d.updated_at = clock_.now();

  storage::Transaction tx(repo_.conn());
  // The number is the order's id, known once it is written: a placeholder until then.
  d.number = "W-new-" + core::randomToken(12);
  d.id = documents_.insert(d);
  d.number = "W-" + std::to_string(d.id.value);
  documents_.update(d);
  documents_.insertChange(d, p.user.id, "status", std::nullopt, d.status, d.created_at);
  json data = {{"id", d.id.value},
               {"number", d.number},
               {"currency", d.currency},
               {"lines", event_lines},
               {"subtotal", core::amountText(d.subtotal, d.currency)},
               {"vat", core::amountText(d.vat, d.currency)},
               {"total", core::amountText(d.total, d.currency)},
               {"delivery",
                {{"site_id", d.site_id ? json(*d.site_id) : json(nullptr)},
                 {"site_external_id", site_external_id ? json(*site_external_id) : json(nullptr)},
                 {"address", d.delivery_address}}},
               {"reference", d.reference},
               {"by", {{"id", p.user.id.value}, {"email", p.user.email}}},
               {"at", core::rfc3339(d.created_at)}};
  events_.record({d.org_id, "order.placed", order.company, "order", d.id.value, data.dump()});
  audit_.record({p.user.id, origin.ip, origin.request_id},
                {"order.placed", std::nullopt, d.org_id, order.company,
                 json{{"id", d.id.value},
                      {"number", d.number},
                      {"total", core::amountText(d.total, d.currency)},
                      {"currency", d.currency}}
                     .dump()});
  tx.commit();
  auto written = documents_.find(d.id);
  return written ? std::move(*written) : d;
}

core::Result<json> StoreService::describe(
    const access::CompanyAccess& a,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& lines) {
  if (lines.size() > kMaxOrderLines) {
    return fail(Error::invalid("errors.integration.too_many", "lines")
                    .with("max", std::to_string(kMaxOrderLines)));
  }
  auto pricing = pricingFor(a);
  const auto& lists = pricing->lists;
  json out = json::array();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto [id, quantity] = lines[i];
    if (quantity <= 0 || quantity > kMaxQuantity) {
      return fail(Error::invalid("errors.store.bad_quantity", lineField(i, "quantity")));
    }
    auto product = repo_.findProduct(id);
    if (!product || product->org_id != a.company.org_id || !visibleTo(*product, lists)) {
      return fail(Error::invalid("errors.documents.unknown_product", lineField(i, "product_id")));
    }
    out.push_back({{"product_id", product->id},
                   {"product_external_id", product->external_id},
                   {"sku", product->sku},
                   {"description", product->name},
                   {"quantity", core::quantityText(quantity)}});
  }
  return out;
}

ProductUpserted StoreService::upsertProduct(core::OrgId org, Product p) {
  auto now = clock_.now();
  p.org_id = org;
  p.updated_at = now;
  if (auto existing = repo_.findProductByExternalId(org, p.external_id)) {
    p.id = existing->id;
    p.created_at = existing->created_at;
    repo_.updateProduct(p);
    return {std::move(p), false};
  }
  p.created_at = now;
  p.id = repo_.insertProduct(p);
  return {std::move(p), true};
}

core::Result<PriceListUpserted> StoreService::upsertPriceList(core::OrgId org,
                                                              const PriceListUpsert& u) {
  auto l = u.list;
  l.org_id = org;
  l.companies.clear();
  for (std::size_t i = 0; i < u.company_external_ids.size(); ++i) {
    auto id = repo_.companyByExternalId(org, u.company_external_ids[i]);
    if (!id) {
      return fail(Error::invalid("errors.integration.unknown_company",
                                 "company_external_ids[" + std::to_string(i) + "]")
                      .with("external_id", u.company_external_ids[i]));
    }
    l.companies.push_back(*id);
  }
  auto now = clock_.now();
  l.updated_at = now;
  bool created = false;
  if (auto existing = repo_.findPriceListByExternalId(org, l.external_id)) {
    l.id = existing->id;
    l.created_at = existing->created_at;
    repo_.updatePriceList(l);
  } else {
    l.created_at = now;
    l.id = repo_.insertPriceList(l);
    created = true;
  }
  repo_.setPriceListCompanies(l);
  return PriceListUpserted{std::move(l), created};
}

}  // namespace portico::documents
