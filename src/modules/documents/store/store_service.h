#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "identity/identity_service.h"
#include "modules/documents/document_repository.h"
#include "modules/documents/document_service.h"
#include "modules/documents/store/product.h"
#include "modules/documents/store/store_repository.h"

namespace portico::documents {

// An order from the store: products and quantities (thousandths), delivered to one of the
// company's sites or to a typed address, with the customer's own reference.
struct OrderRequest {
  core::CompanyId company;
  std::vector<std::pair<std::int64_t, std::int64_t>> lines;  // {product id, quantity}
  std::optional<std::int64_t> site_id;
  std::string address;
  std::string reference;
};

// What a company's prices are made of: its price lists, ranked; the restricted products they
// name; the currency it buys in; the categories it sees. Kept between requests under the
// version of the organization's store and the company's own currency it was made from.
struct StorePricing {
  std::int64_t version = 0;
  std::optional<std::string> company_currency;
  std::vector<PriceList> storage;
  std::vector<AppliedList> lists;  // point into storage: never copied
  std::vector<std::int64_t> restricted;
  std::string currency;
  std::vector<std::string> categories;

  StorePricing() = default;
  StorePricing(const StorePricing&) = delete;
  StorePricing& operator=(const StorePricing&) = delete;
};

// A product from the ERP and what the upsert did.
struct ProductUpserted {
  Product product;
  bool created = false;
};
// A price list from the ERP, naming its companies by their external ids (all_companies false).
struct PriceListUpsert {
  PriceList list;
  std::vector<std::string> company_external_ids;
};
struct PriceListUpserted {
  PriceList list;
  bool created = false;
};

// The store: the organization's catalogue at each company's own prices, each person's cart per
// company, orders placed from it, and the products of quote requests.
//
// Who may do what (a company the caller cannot see at all is NotFound): store.view in the company
// sees the catalogue and its prices (agents read it; so do staff who read their customers'
// records); the cart and orders need a membership (never an agent or staff) with orders.place
// (the cart: or quotes.accept, to ask for a quote instead). A product the company may not see
// (another organization's, inactive, restricted to others) is NotFound. Thread-safe.
class StoreService : public QuoteProducts {
 public:
  StoreService(StoreRepository& repo, DocumentRepository& documents, access::Policy& policy,
               audit::AuditLog& audit, events::EventLog& events, const core::Clock& clock)
      : repo_(repo),
        documents_(documents),
        policy_(policy),
        audit_(audit),
        events_(events),
        clock_(clock) {}

  // The companies whose store the caller sees ({id, name}, by name): through a membership or
  // an agent. Staff name a company by id.
  std::vector<std::pair<std::int64_t, std::string>> companies(const identity::Principal& p);
  // True if the caller sees some company's store (whether the menu names it).
  bool maySee(const identity::Principal& p);

  // The products the company sees under `filter`, by name, with its prices, the currency it
  // buys in and every category it sees. InvalidInput naming q for a query past kMaxQuery.
  core::Result<Catalogue> catalogue(const identity::Principal& p, core::CompanyId company,
                                    const ProductFilter& filter);
  // One product with the company's price of `quantity` (thousandths).
  core::Result<PricedProduct> product(const identity::Principal& p, core::CompanyId company,
                                      std::int64_t id, std::int64_t quantity = 1000);

  // The caller's cart in a company, priced now; lines of products the company no longer sees
  // are left out.
  core::Result<Cart> cart(const identity::Principal& p, core::CompanyId company);
  // Puts `quantity` (thousandths; 0 takes the product out) of a product in the caller's cart:
  // at most kMaxCartLines products. InvalidInput naming quantity.
  core::Status setCartLine(const identity::Principal& p, core::CompanyId company,
                           std::int64_t product, std::int64_t quantity);
  void clearCart(const identity::Principal& p, core::CompanyId company);
  // Whether the caller may order in the company, and may ask for quotes there.
  bool mayOrder(const identity::Principal& p, core::CompanyId company);
  // The sites the caller may have goods delivered to in a company: those of their site scope.
  std::vector<DeliverySite> deliverySites(const identity::Principal& p, core::CompanyId company);
  // True if the caller may deliver to a typed address there (they see every site).
  bool mayTypeAddress(const identity::Principal& p, core::CompanyId company);

  // Places an order at the company's prices: an order record (status "received", number
  // "W-<id>", the caller its owner) whose lines keep each unit price and the rule that made it.
  // Forbidden without orders.place through a membership; InvalidInput naming the field: no
  // lines or more than kMaxOrderLines, a quantity (lines[i].quantity), a product the company may
  // not buy or without a price in its currency (lines[i].product_id), neither or both of a site
  // and an address (delivery), a site not of the company or outside the caller's scope
  // (delivery.site_id), a typed address by someone who sees only some sites, a reference past
  // kMaxReference. Audited (order.placed) and sent to the ERP (order.placed) in the order's
  // transaction.
  core::Result<Document> placeOrder(const identity::Principal& p, const OrderRequest& order,
                                    const identity::Origin& origin);

  // QuoteProducts: the products of a quote request in `company`, for the ERP's event.
  core::Result<nlohmann::json> describe(
      const access::CompanyAccess& company,
      const std::vector<std::pair<std::int64_t, std::int64_t>>& lines) override;

  // The ERP's writes (document the integration kinds in store_integration.h). REQUIRES: a
  // transaction is open on this thread's connection.
  ProductUpserted upsertProduct(core::OrgId org, Product p);
  core::Result<PriceListUpserted> upsertPriceList(core::OrgId org, const PriceListUpsert& u);

 private:
  // The most companies whose pricing is kept; past it, all are forgotten and made again.
  static constexpr std::size_t kMaxPricing = 4096;

  // The company's pricing: the one kept if the store's version and the company's currency
  // have not moved since it was made (one statement), else made again from the database.
  std::shared_ptr<const StorePricing> pricingFor(const access::CompanyAccess& a);
  core::Result<access::CompanyAccess> shopper(const identity::Principal& p,
                                              core::CompanyId company);
  std::string today() const;

  StoreRepository& repo_;
  DocumentRepository& documents_;
  access::Policy& policy_;
  audit::AuditLog& audit_;
  events::EventLog& events_;
  const core::Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::shared_ptr<const StorePricing>> pricing_;  // by company
};

}  // namespace portico::documents
