// The store's pricing (store/product.h): which rule of a company's price lists makes a product's
// price, and how a discounted price is rounded.
#include <gtest/gtest.h>

#include "modules/documents/store/product.h"

namespace portico::documents {
namespace {

const std::string kToday = "2026-12-03";

Product product(std::map<std::string, std::int64_t> prices = {{"SEK", 10000}}) {
  Product p;
  p.id = 7;
  p.external_id = "P-1";
  p.name = "Filter";
  p.category = "Filters";
  p.list_prices = std::move(prices);
  return p;
}

PriceList list(std::int64_t id, std::vector<PriceRule> rules, std::int64_t priority = 0) {
  PriceList l;
  l.id = id;
  l.external_id = "L" + std::to_string(id);
  l.name = "List " + std::to_string(id);
  l.currency = "SEK";
  l.priority = priority;
  l.rules = std::move(rules);
  return l;
}

PriceRule discount(std::int64_t bps, PriceRule::Target target = PriceRule::Target::All) {
  PriceRule r;
  r.target = target;
  if (target == PriceRule::Target::Category) r.category = "Filters";
  if (target == PriceRule::Target::Product) r.product_external_id = "P-1";
  r.discount = bps;
  return r;
}

PriceRule fixed(std::int64_t price, std::int64_t min_quantity = 0) {
  PriceRule r;
  r.target = PriceRule::Target::Product;
  r.product_external_id = "P-1";
  r.price = price;
  r.min_quantity = min_quantity;
  return r;
}

std::optional<Price> price(const Product& p, const std::vector<AppliedList>& lists,
                           std::int64_t quantity = 1000) {
  return priceOf(p, quantity, ranked(lists), "SEK", kToday);
}

TEST(PricingTest, WithoutRulesTheListPriceInTheCurrency) {
  auto p = price(product(), {});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->unit_price, 10000);
  EXPECT_EQ(p->rule, "");
  EXPECT_FALSE(priceOf(product({{"EUR", 900}}), 1000, {}, "SEK", kToday));
}

TEST(PricingTest, TheHigherPriorityWinsBetweenListsOfTheSameReach) {
  auto low = list(1, {discount(500)}, 0);
  auto high = list(2, {discount(700)}, 5);
  auto p = price(product(), {{&low, false}, {&high, false}});
  EXPECT_EQ(p->unit_price, 9300);
  EXPECT_EQ(p->rule, "L2#1");
  EXPECT_EQ(p->list_name, "List 2");
}

TEST(PricingTest, AListNamingTheCompanyBeatsEveryCustomersOfAnyPriority) {
  auto everyone = list(1, {discount(3000, PriceRule::Target::Category)}, 100);
  auto own = list(2, {discount(1000, PriceRule::Target::Category)}, 0);
  EXPECT_EQ(price(product(), {{&everyone, false}, {&own, true}})->unit_price, 9000);
}

TEST(PricingTest, TheMostSpecificRuleWinsOverTheListsRank) {
  auto everyone = list(1, {fixed(9500)});
  auto own = list(2, {discount(5000, PriceRule::Target::Category), discount(6000)});
  auto p = price(product(), {{&everyone, false}, {&own, true}});
  EXPECT_EQ(p->unit_price, 9500);  // one product's rule, though of everyone's list
  EXPECT_EQ(p->rule, "L1#1");
  auto categories = list(3, {discount(6000), discount(5000, PriceRule::Target::Category)});
  EXPECT_EQ(price(product(), {{&categories, true}})->rule, "L3#2");  // category before all
}

TEST(PricingTest, TheHigherMinimumQuantityWinsOnceReached) {
  auto l = list(1, {fixed(10000), fixed(9000, 10000), fixed(8000, 100000)});
  EXPECT_EQ(price(product(), {{&l, true}}, 9999)->unit_price, 10000);
  EXPECT_EQ(price(product(), {{&l, true}}, 10000)->unit_price, 9000);
  EXPECT_EQ(price(product(), {{&l, true}}, 250000)->unit_price, 8000);
}

TEST(PricingTest, DatesCurrenciesAndInactiveListsDecideWhatApplies) {
  auto later = list(1, {discount(5000)});
  later.valid_from = "2026-12-04";
  auto over = list(2, {discount(4000)});
  over.valid_until = "2026-12-02";
  auto euros = list(3, {discount(3000)});
  euros.currency = "EUR";
  auto off = list(4, {discount(2000)});
  off.active = false;
  auto rule_over = discount(1000);
  rule_over.valid_until = "2026-12-02";
  auto with_old_rule = list(5, {rule_over});
  auto today = list(6, {discount(500)});
  today.valid_from = kToday;
  today.valid_until = kToday;
  auto p = price(product(), {{&later, true},
                             {&over, true},
                             {&euros, true},
                             {&off, true},
                             {&with_old_rule, true},
                             {&today, false}});
  EXPECT_EQ(p->unit_price, 9500);
  EXPECT_EQ(p->rule, "L6#1");
}

TEST(PricingTest, ADiscountNeedsAListPriceAndIsRoundedHalfAwayFromZero) {
  auto l = list(1, {discount(1000)});
  // 10 % off 0.05 is 0.045: 0.05; 50 % off 0.15 is 0.075: 0.08; 12.5 % off 99.99 is 87.49125.
  EXPECT_EQ(price(product({{"SEK", 5}}), {{&l, true}})->unit_price, 5);
  auto half = list(2, {discount(5000)});
  EXPECT_EQ(price(product({{"SEK", 15}}), {{&half, true}})->unit_price, 8);
  auto eighth = list(3, {discount(1250)});
  EXPECT_EQ(price(product({{"SEK", 9999}}), {{&eighth, true}})->unit_price, 8749);
  // No list price in the currency: the discount cannot apply, a fixed price still does.
  EXPECT_FALSE(price(product({{"EUR", 100}}), {{&l, true}}));
  auto both = list(4, {discount(1000), fixed(4200)});
  EXPECT_EQ(price(product({{"EUR", 100}}), {{&both, true}})->unit_price, 4200);
}

TEST(PricingTest, ARestrictedProductIsSeenOnlyWhereAListNamesIt) {
  auto p = product();
  p.restricted = true;
  auto category = list(1, {discount(1000, PriceRule::Target::Category)});
  auto named = list(2, {fixed(100)});
  EXPECT_FALSE(visibleTo(p, {{&category, true}}));
  EXPECT_TRUE(visibleTo(p, {{&category, true}, {&named, false}}));
  named.active = false;
  EXPECT_FALSE(visibleTo(p, {{&named, true}}));
  p.restricted = false;
  p.active = false;
  EXPECT_FALSE(visibleTo(p, {}));
}

TEST(PricingTest, TheCurrencyIsTheCompanysElseItsFirstListsElseEuro) {
  auto everyone = list(1, {}, 9);
  everyone.currency = "NOK";
  auto own = list(2, {});
  auto lists = ranked({{&everyone, false}, {&own, true}});
  EXPECT_EQ(storeCurrency(std::string("DKK"), lists), "DKK");
  EXPECT_EQ(storeCurrency(std::nullopt, lists), "SEK");  // the company's own list first
  EXPECT_EQ(storeCurrency(std::nullopt, {}), "EUR");
}

TEST(PricingTest, TheCatalogueCursorReadsBackWhatItWrites) {
  ProductCursor c{"Pump: 2 kW, 230 V", 42};
  auto back = parseProductCursor(productCursorText(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->name, c.name);
  EXPECT_EQ(back->id, 42);
  EXPECT_FALSE(parseProductCursor("x:Pump"));
  EXPECT_FALSE(parseProductCursor("0:Pump"));
  EXPECT_FALSE(parseProductCursor("Pump"));
}

}  // namespace
}  // namespace portico::documents
