#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modules/documents/store/product.h"
#include "storage/db.h"

namespace portico::documents {

// The store's tables: products, price lists and their companies, carts. Named SQL only; no
// permission logic. Thread-safe: each thread uses its own connection.
class StoreRepository {
 public:
  explicit StoreRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::optional<Product> findProduct(std::int64_t id);
  std::optional<Product> findProductByExternalId(core::OrgId org, const std::string& external_id);
  // Inserts p (p.id 0) or writes everything of it but the organization and creation time.
  // Every write of a product or a price list (and its companies) gives the organization's store
  // a new version (storeVersion).
  std::int64_t insertProduct(const Product& p);
  void updateProduct(const Product& p);
  // The organization's active products under `filter` by name from its cursor, at most
  // filter.limit + 1: those not restricted, and the restricted ones of `restricted_ids`.
  std::vector<Product> listProducts(core::OrgId org, const ProductFilter& filter,
                                    const std::vector<std::int64_t>& restricted_ids);
  // The categories of the same products, by name.
  std::vector<std::string> categories(core::OrgId org,
                                      const std::vector<std::int64_t>& restricted_ids);
  // The ids of the organization's products that the ERP knows by these external ids.
  std::vector<std::int64_t> productIds(core::OrgId org,
                                       const std::vector<std::string>& external_ids);

  std::optional<PriceList> findPriceListByExternalId(core::OrgId org,
                                                     const std::string& external_id);
  std::int64_t insertPriceList(const PriceList& l);
  void updatePriceList(const PriceList& l);
  // Makes l.companies the companies of list l.id.
  void setPriceListCompanies(const PriceList& l);
  // The organization's active price lists that apply to `company`: for every customer, or
  // naming it (chosen).
  std::vector<PriceList> priceListsFor(core::OrgId org, core::CompanyId company,
                                       std::vector<bool>* chosen);
  // The version of the organization's store (0 before its first product or price list; a new
  // random one at every change, so that a rolled-back change's version never comes back) and
  // the company's own currency, in one statement.
  std::pair<std::int64_t, std::optional<std::string>> storeVersion(core::OrgId org,
                                                                   core::CompanyId company);

  std::optional<DeliverySite> site(std::int64_t id);
  // The company's sites, by name.
  std::vector<DeliverySite> sites(core::CompanyId company);
  // The organization's company that the ERP knows as `external_id`.
  std::optional<std::int64_t> companyByExternalId(core::OrgId org, const std::string& external_id);

  // A person's cart in a company: {product id, quantity}, by the products' names.
  std::vector<std::pair<std::int64_t, std::int64_t>> cart(core::UserId user,
                                                          core::CompanyId company);
  // Sets the line's quantity (a new line if the product is not in the cart).
  void setCartLine(core::UserId user, core::CompanyId company, std::int64_t product,
                   std::int64_t quantity, std::int64_t now);
  void removeCartLine(core::UserId user, core::CompanyId company, std::int64_t product);
  void clearCart(core::UserId user, core::CompanyId company);

 private:
  void touch(core::OrgId org);

  storage::Db& db_;
};

}  // namespace portico::documents
