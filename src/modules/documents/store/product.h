#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace portico::documents {

// What the ERP tells of a licence type of a product ("Per named user", "Site licence", …).
struct Licence {
  std::string name;
  std::string description;
};

// A product of the organization's store, from the ERP. Prices in minor units of their currency;
// the VAT rate in basis points.
struct Product {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string external_id;
  std::string sku;
  std::string name;
  std::string description;
  std::string category;
  std::string family;  // products one may upgrade between
  std::string unit;
  std::int64_t vat_rate = 0;
  std::vector<Licence> licences;
  std::map<std::string, std::int64_t> list_prices;  // currency -> minor units
  bool restricted = false;  // only for companies whose price lists name it in a rule
  bool active = true;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// One rule of a price list: for every product, a category or one product; from a minimum
// quantity; within dates; a fixed unit price or a discount off the list price.
struct PriceRule {
  enum class Target { All, Category, Product };
  Target target = Target::All;
  std::string category;                  // Target::Category
  std::string product_external_id;       // Target::Product
  std::optional<std::int64_t> price;     // a fixed unit price in the list's currency …
  std::optional<std::int64_t> discount;  // … or a discount in basis points (1250 is 12.5 %)
  std::int64_t min_quantity = 0;         // thousandths; 0: any quantity
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_until;
};

// A price list from the ERP: rules in one currency, for every customer or for chosen companies.
struct PriceList {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string external_id;
  std::string name;
  std::string currency;
  std::int64_t priority = 0;  // higher wins between lists of the same reach
  bool all_companies = true;  // false: only `companies`
  std::vector<std::int64_t> companies;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_until;
  bool active = true;
  std::vector<PriceRule> rules;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A price list as it applies to one company: `chosen` if it names the company (rather than
// being for every customer).
struct AppliedList {
  const PriceList* list = nullptr;
  bool chosen = false;
};

// A product's unit price for a company: the list price, or the one a rule made.
struct Price {
  std::int64_t unit_price = 0;
  std::string currency;
  std::optional<std::int64_t> list_price;  // in the same currency, if the product has one
  // The rule that made the price: "<price list external id>#<rule number from 1>"; "" for the
  // list price.
  std::string rule;
  std::string list_name;  // the price list's name, for people
};

// The currency a company buys in: its own (`company_currency`, from the ERP), else that of the
// first of its price lists in the order of `ranked` (chosen before every customer's, then by
// priority), else "EUR".
std::string storeCurrency(const std::optional<std::string>& company_currency,
                          const std::vector<AppliedList>& lists);

// The lists in the order that decides between equally specific rules: chosen before every
// customer's, then higher priority, then the lower id (the older list).
std::vector<AppliedList> ranked(std::vector<AppliedList> lists);

// The unit price of `quantity` (thousandths) of `product` for a company with `lists` (ranked),
// buying in `currency`, on `today` ("YYYY-MM-DD"). The rules that apply — of an active list in
// the currency valid on `today`, valid themselves on `today`, for the product (by its external
// id), its category or every product, and whose minimum quantity `quantity` reaches — are
// ranked: the most specific first (one product, then a category, then every product); between
// equals, the list's rank (ranked()), then the higher minimum quantity, then the rule's place
// in its list. The first one's fixed price or discount (off the list price in the currency,
// rounded half away from zero) is the price; a discount without a list price does not apply.
// Without any rule: the list price. nullopt: the product has no price in the currency.
std::optional<Price> priceOf(const Product& product, std::int64_t quantity,
                             const std::vector<AppliedList>& lists, const std::string& currency,
                             const std::string& today);

// Whether a company with `lists` may see and buy `product`: active, and not restricted or named
// by a rule of one of the lists.
bool visibleTo(const Product& product, const std::vector<AppliedList>& lists);

// Where a catalogue page starts: after the product of this name and id (by name).
struct ProductCursor {
  std::string name;
  std::int64_t id = 0;
};
std::string productCursorText(const ProductCursor& c);
std::optional<ProductCursor> parseProductCursor(std::string_view text);

// The catalogue's filters.
struct ProductFilter {
  std::string category;  // "" every category
  std::string query;     // in name, SKU and description
  std::optional<ProductCursor> after;
  int limit = 50;
};

// A product with its price for one company.
struct PricedProduct {
  Product product;
  std::optional<Price> price;  // nullopt: no price in the company's currency (ask for a quote)
};

struct Catalogue {
  std::vector<PricedProduct> items;
  std::optional<ProductCursor> next;
  std::string currency;
  std::vector<std::string> categories;  // every category the company sees, by name
};

// A line of a person's cart in a company.
struct CartLine {
  PricedProduct product;
  std::int64_t quantity = 1000;  // thousandths
  std::int64_t amount = 0;       // quantity × unit price, rounded; 0 without a price
};

struct Cart {
  core::CompanyId company_id;
  std::string company_name;
  std::string currency;
  std::vector<CartLine> lines;
  std::int64_t subtotal = 0;
  std::int64_t vat = 0;
  std::int64_t total = 0;
  bool priced = true;  // every line has a price (else only a quote request can follow)
};

// A site of a company that goods may go to.
struct DeliverySite {
  std::int64_t id = 0;
  std::int64_t company_id = 0;
  std::optional<std::string> external_id;
  std::string name;
  std::string address;
};

inline constexpr std::size_t kMaxCartLines = 200;
inline constexpr std::size_t kMaxOrderLines = 200;
inline constexpr std::size_t kMaxReference = 100;
inline constexpr std::size_t kMaxAddress = 500;

}  // namespace portico::documents
