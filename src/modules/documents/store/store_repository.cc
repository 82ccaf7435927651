#include "modules/documents/store/store_repository.h"

#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "storage/list_sql.h"

namespace portico::documents {
namespace {

using nlohmann::json;
using storage::ListSql;
using storage::Query;

#define PRODUCT_COLUMNS                                                                   \
  "p.id, p.org_id, p.external_id, p.sku, p.name, p.description, p.category, p.family,"    \
  " p.unit, p.vat_rate, p.licences, p.list_prices, p.restricted, p.active, p.created_at," \
  " p.updated_at"
#define PRICE_LIST_COLUMNS                                                          \
  "l.id, l.org_id, l.external_id, l.name, l.currency, l.priority, l.all_companies," \
  " l.valid_from, l.valid_until, l.active, l.rules, l.created_at, l.updated_at"

constexpr std::string_view kFindProduct =
    "SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.id = ?";
constexpr std::string_view kFindProductExternal =
    "SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.org_id = ? AND p.external_id = ?";
constexpr std::string_view kInsertProduct =
    "INSERT INTO products (org_id, external_id, sku, name, description, category, family, unit,"
    " vat_rate, licences, list_prices, restricted, active, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateProduct =
    "UPDATE products SET sku = ?, name = ?, description = ?, category = ?, family = ?, unit = ?,"
    " vat_rate = ?, licences = ?, list_prices = ?, restricted = ?, active = ?, updated_at = ?"
    " WHERE id = ?";
constexpr std::string_view kFindPriceListExternal =
    "SELECT " PRICE_LIST_COLUMNS " FROM price_lists l WHERE l.org_id = ? AND l.external_id = ?";
constexpr std::string_view kInsertPriceList =
    "INSERT INTO price_lists (org_id, external_id, name, currency, priority, all_companies,"
    " valid_from, valid_until, active, rules, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdatePriceList =
    "UPDATE price_lists SET name = ?, currency = ?, priority = ?, all_companies = ?,"
    " valid_from = ?, valid_until = ?, active = ?, rules = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kClearPriceListCompanies =
    "DELETE FROM price_list_companies WHERE price_list_id = ?";
constexpr std::string_view kInsertPriceListCompany =
    "INSERT INTO price_list_companies (price_list_id, company_id) VALUES (?, ?)"
    " ON CONFLICT DO NOTHING";
constexpr std::string_view kPriceListCompanies =
    "SELECT company_id FROM price_list_companies WHERE price_list_id = ? ORDER BY company_id";
// Every customer's lists, and those naming the company (chosen: all_companies = 0).
constexpr std::string_view kPriceListsFor =
    "SELECT " PRICE_LIST_COLUMNS
    " FROM price_lists l"
    " WHERE l.org_id = ? AND l.active = 1 AND l.all_companies = 1"
    " UNION ALL SELECT " PRICE_LIST_COLUMNS
    " FROM price_list_companies pc JOIN price_lists l ON l.id = pc.price_list_id"
    " WHERE pc.company_id = ? AND l.active = 1 AND l.all_companies = 0 AND l.org_id = ?";
constexpr std::string_view kStoreVersion =
    "SELECT COALESCE((SELECT version FROM store_versions WHERE org_id = ?), 0),"
    " (SELECT currency FROM companies WHERE id = ?)";
constexpr std::string_view kTouchStore =
    "INSERT INTO store_versions (org_id, version) VALUES (?, ?)"
    " ON CONFLICT (org_id) DO UPDATE SET version = excluded.version";

constexpr std::string_view kSite =
    "SELECT id, company_id, external_id, name, address FROM sites WHERE id = ?";
constexpr std::string_view kSites =
    "SELECT id, company_id, external_id, name, address FROM sites WHERE company_id = ?"
    " ORDER BY name, id";
constexpr std::string_view kCompanyExternal =
    "SELECT id FROM companies WHERE org_id = ? AND external_id = ?";
constexpr std::string_view kCart =
    "SELECT c.product_id, c.quantity FROM cart_lines c JOIN products p ON p.id = c.product_id"
    " WHERE c.user_id = ? AND c.company_id = ? ORDER BY p.name, p.id";
constexpr std::string_view kSetCartLine =
    "INSERT INTO cart_lines (user_id, company_id, product_id, quantity, updated_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, company_id, product_id)"
    " DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at";
constexpr std::string_view kRemoveCartLine =
    "DELETE FROM cart_lines WHERE user_id = ? AND company_id = ? AND product_id = ?";
constexpr std::string_view kClearCart =
    "DELETE FROM cart_lines WHERE user_id = ? AND company_id = ?";

std::string licencesText(const std::vector<Licence>& licences) {
  json out = json::array();
  for (const auto& l : licences) out.push_back({{"name", l.name}, {"description", l.description}});
  return out.dump();
}

std::string pricesText(const std::map<std::string, std::int64_t>& prices) {
  json out = json::object();
  for (const auto& [currency, minor] : prices) out[currency] = minor;
  return out.dump();
}

Product readProduct(Query& q) {
  Product p;
  p.id = q.getInt(0);
  p.org_id = core::OrgId{q.getInt(1)};
  p.external_id = q.getText(2);
  p.sku = q.getText(3);
  p.name = q.getText(4);
  p.description = q.getText(5);
  p.category = q.getText(6);
  p.family = q.getText(7);
  p.unit = q.getText(8);
  p.vat_rate = q.getInt(9);
  auto licences = json::parse(q.getText(10), nullptr, false);
  if (licences.is_array()) {
    for (const auto& l : licences) {
      p.licences.push_back({l.value("name", ""), l.value("description", "")});
    }
  }
  auto prices = json::parse(q.getText(11), nullptr, false);
  if (prices.is_object()) {
    for (const auto& [currency, minor] : prices.items()) {
      if (minor.is_number_integer()) p.list_prices[currency] = minor.get<std::int64_t>();
    }
  }
  p.restricted = q.getInt(12) != 0;
  p.active = q.getInt(13) != 0;
  p.created_at = q.getInt(14);
  p.updated_at = q.getInt(15);
  return p;
}

std::string rulesText(const std::vector<PriceRule>& rules) {
  json out = json::array();
  for (const auto& r : rules) {
    json j = json::object();
    if (r.target == PriceRule::Target::Category) j["category"] = r.category;
    if (r.target == PriceRule::Target::Product) j["product"] = r.product_external_id;
    if (r.price) j["price"] = *r.price;
    if (r.discount) j["discount"] = *r.discount;
    if (r.min_quantity) j["min_quantity"] = r.min_quantity;
    if (r.valid_from) j["valid_from"] = *r.valid_from;
    if (r.valid_until) j["valid_until"] = *r.valid_until;
    out.push_back(std::move(j));
  }
  return out.dump();
}

std::vector<PriceRule> rulesFrom(const std::string& text) {
  std::vector<PriceRule> out;
  auto all = json::parse(text, nullptr, false);
  if (!all.is_array()) return out;
  for (const auto& j : all) {
    PriceRule r;
    if (j.contains("product")) {
      r.target = PriceRule::Target::Product;
      r.product_external_id = j["product"].get<std::string>();
    } else if (j.contains("category")) {
      r.target = PriceRule::Target::Category;
      r.category = j["category"].get<std::string>();
    }
    if (j.contains("price")) r.price = j["price"].get<std::int64_t>();
    if (j.contains("discount")) r.discount = j["discount"].get<std::int64_t>();
    r.min_quantity = j.value("min_quantity", std::int64_t{0});
    if (j.contains("valid_from")) r.valid_from = j["valid_from"].get<std::string>();
    if (j.contains("valid_until")) r.valid_until = j["valid_until"].get<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

PriceList readPriceList(Query& q) {
  PriceList l;
  l.id = q.getInt(0);
  l.org_id = core::OrgId{q.getInt(1)};
  l.external_id = q.getText(2);
  l.name = q.getText(3);
  l.currency = q.getText(4);
  l.priority = q.getInt(5);
  l.all_companies = q.getInt(6) != 0;
  l.valid_from = q.getOptText(7);
  l.valid_until = q.getOptText(8);
  l.active = q.getInt(9) != 0;
  l.rules = rulesFrom(q.getText(10));
  l.created_at = q.getInt(11);
  l.updated_at = q.getInt(12);
  return l;
}

// The products a company sees: active; not restricted, or restricted and named for it.
void visible(ListSql& s, core::OrgId org, const std::vector<std::int64_t>& restricted_ids) {
  s.sql(" WHERE p.org_id = ? AND p.active = 1").arg(org.value);
  if (restricted_ids.empty()) {
    s.sql(" AND p.restricted = 0");
  } else {
    s.sql(" AND (p.restricted = 0 OR").in(" p.id", restricted_ids).sql(")");
  }
}

}  // namespace

std::optional<Product> StoreRepository::findProduct(std::int64_t id) {
  Query q(conn(), kFindProduct);
  q.bind(id);
  if (!q.next()) return std::nullopt;
  return readProduct(q);
}

std::optional<Product> StoreRepository::findProductByExternalId(core::OrgId org,
                                                                const std::string& external_id) {
  Query q(conn(), kFindProductExternal);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return readProduct(q);
}

std::int64_t StoreRepository::insertProduct(const Product& p) {
  Query(conn(), kInsertProduct)
      .bind(p.org_id.value, p.external_id, p.sku, p.name, p.description, p.category, p.family,
            p.unit, p.vat_rate, licencesText(p.licences), pricesText(p.list_prices), p.restricted,
            p.active, p.created_at, p.updated_at)
      .run();
  auto id = conn().lastInsertId();
  touch(p.org_id);
  return id;
}

void StoreRepository::updateProduct(const Product& p) {
  Query(conn(), kUpdateProduct)
      .bind(p.sku, p.name, p.description, p.category, p.family, p.unit, p.vat_rate,
            licencesText(p.licences), pricesText(p.list_prices), p.restricted, p.active,
            p.updated_at, p.id)
      .run();
  touch(p.org_id);
}

std::vector<Product> StoreRepository::listProducts(
    core::OrgId org, const ProductFilter& f, const std::vector<std::int64_t>& restricted_ids) {
  ListSql s(conn().dialect());
  visible(s, org, restricted_ids);
  if (!f.category.empty()) s.sql(" AND p.category = ?").arg(f.category);
  if (!f.query.empty()) {
    auto pattern = storage::likeContaining(f.query);
    s.sql(
         " AND (lower(p.name) LIKE ? ESCAPE '\\' OR lower(p.sku) LIKE ? ESCAPE '\\'"
         " OR lower(p.description) LIKE ? ESCAPE '\\')")
        .arg(pattern)
        .arg(pattern)
        .arg(pattern);
  }
  if (f.after) {
    s.sql(" AND (p.name > ? OR (p.name = ? AND p.id > ?))")
        .arg(f.after->name)
        .arg(f.after->name)
        .arg(f.after->id);
  }
  s.sql(" ORDER BY p.name, p.id LIMIT ?").arg(static_cast<std::int64_t>(f.limit + 1));
  Query q(conn(), "SELECT " PRODUCT_COLUMNS " FROM products p" + s.text());
  s.bindTo(q);
  std::vector<Product> out;
  while (q.next()) out.push_back(readProduct(q));
  return out;
}

std::vector<std::string> StoreRepository::categories(
    core::OrgId org, const std::vector<std::int64_t>& restricted_ids) {
  ListSql s(conn().dialect());
  visible(s, org, restricted_ids);
  s.sql(" AND p.category <> '' ORDER BY p.category");
  Query q(conn(), "SELECT DISTINCT p.category FROM products p" + s.text());
  s.bindTo(q);
  std::vector<std::string> out;
  while (q.next()) out.push_back(q.getText(0));
  return out;
}

std::vector<std::int64_t> StoreRepository::productIds(
    core::OrgId org, const std::vector<std::string>& external_ids) {
  std::vector<std::int64_t> out;
  if (external_ids.empty()) return out;
  // Few: the rules naming one product of the company's price lists.
  json list = external_ids;
  ListSql s(conn().dialect());
  if (conn().dialect() == storage::Dialect::Postgres) {
    s.sql(" WHERE org_id = ? AND external_id IN (SELECT json_array_elements_text(?::json))");
  } else {
    s.sql(" WHERE org_id = ? AND external_id IN (SELECT value FROM json_each(?))");
  }
  s.arg(org.value).arg(list.dump());
  Query q(conn(), "SELECT id FROM products" + s.text() + " ORDER BY id");
  s.bindTo(q);
  while (q.next()) out.push_back(q.getInt(0));
  return out;
}

std::optional<PriceList> StoreRepository::findPriceListByExternalId(
    core::OrgId org, const std::string& external_id) {
  Query q(conn(), kFindPriceListExternal);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  auto l = readPriceList(q);
  Query c(conn(), kPriceListCompanies);
  c.bind(l.id);
  while (c.next()) l.companies.push_back(c.getInt(0));
  return l;
}

std::int64_t StoreRepository::insertPriceList(const PriceList& l) {
  Query(conn(), kInsertPriceList)
      .bind(l.org_id.value, l.external_id, l.name, l.currency, l.priority, l.all_companies,
            l.valid_from, l.valid_until, l.active, rulesText(l.rules), l.created_at, l.updated_at)
      .run();
  auto id = conn().lastInsertId();
  touch(l.org_id);
  return id;
}

void StoreRepository::updatePriceList(const PriceList& l) {
  Query(conn(), kUpdatePriceList)
      .bind(l.name, l.currency, l.priority, l.all_companies, l.valid_from, l.valid_until, l.active,
            rulesText(l.rules), l.updated_at, l.id)
      .run();
  touch(l.org_id);
}

void StoreRepository::setPriceListCompanies(const PriceList& l) {
  Query(conn(), kClearPriceListCompanies).bind(l.id).run();
  for (auto c : l.companies) Query(conn(), kInsertPriceListCompany).bind(l.id, c).run();
  touch(l.org_id);
}

void StoreRepository::touch(core::OrgId org) {
  std::int64_t version = 0;
  auto bytes = core::randomBytes(sizeof version);
  std::memcpy(&version, bytes.data(), sizeof version);
  version &= std::numeric_limits<std::int64_t>::max();  // positive; never 0
  Query(conn(), kTouchStore).bind(org.value, version == 0 ? 1 : version).run();
}

std::pair<std::int64_t, std::optional<std::string>> StoreRepository::storeVersion(
    core::OrgId org, core::CompanyId company) {
  Query q(conn(), kStoreVersion);
  q.bind(org.value, company.value);
  if (!q.next()) return {0, std::nullopt};
  return {q.getInt(0), q.getOptText(1)};
}

std::vector<PriceList> StoreRepository::priceListsFor(core::OrgId org, core::CompanyId company,
                                                      std::vector<bool>* chosen) {
  Query q(conn(), kPriceListsFor);
  q.bind(org.value, company.value, org.value);
  std::vector<PriceList> out;
  while (q.next()) {
    out.push_back(readPriceList(q));
    if (chosen) chosen->push_back(!out.back().all_companies);
  }
  return out;
}

namespace {
DeliverySite readSite(Query& q) {
  return {q.getInt(0), q.getInt(1), q.getOptText(2), q.getText(3), q.getText(4)};
}
}  // namespace

std::optional<DeliverySite> StoreRepository::site(std::int64_t id) {
  Query q(conn(), kSite);
  q.bind(id);
  if (!q.next()) return std::nullopt;
  return readSite(q);
}

std::vector<DeliverySite> StoreRepository::sites(core::CompanyId company) {
  Query q(conn(), kSites);
  q.bind(company.value);
  std::vector<DeliverySite> out;
  while (q.next()) out.push_back(readSite(q));
  return out;
}

std::optional<std::int64_t> StoreRepository::companyByExternalId(core::OrgId org,
                                                                 const std::string& external_id) {
  Query q(conn(), kCompanyExternal);
  q.bind(org.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::vector<std::pair<std::int64_t, std::int64_t>> StoreRepository::cart(core::UserId user,
                                                                         core::CompanyId company) {
  Query q(conn(), kCart);
  q.bind(user.value, company.value);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (q.next()) out.emplace_back(q.getInt(0), q.getInt(1));
  return out;
}

void StoreRepository::setCartLine(core::UserId user, core::CompanyId company, std::int64_t product,
                                  std::int64_t quantity, std::int64_t now) {
  Query(conn(), kSetCartLine).bind(user.value, company.value, product, quantity, now).run();
}

void StoreRepository::removeCartLine(core::UserId user, core::CompanyId company,
                                     std::int64_t product) {
  Query(conn(), kRemoveCartLine).bind(user.value, company.value, product).run();
}

void StoreRepository::clearCart(core::UserId user, core::CompanyId company) {
  Query(conn(), kClearCart).bind(user.value, company.value).run();
}

}  // namespace portico::documents
