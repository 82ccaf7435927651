// The store: the ERP's products and price lists, each company's own prices from the most specific
// rule, orders and quote requests from the catalogue, and who may do what.
#include <map>

#include "modules/documents/document_fixture.h"

namespace portico::testing {
namespace {

class StoreTest : public DocumentTest {
 protected:
  StoreTest() {
    // Company A buys in SEK; B names no currency and buys in that of its price lists.
    auto r =
        upsert("companies", {{"external_id", "A"}, {"name", "Company A"}, {"currency", "SEK"}});
    EXPECT_EQ(r.status, 200) << r.body;
    filter = product("P-FILTER", "Filter", "Filters", "99.95");
    hose = product("P-HOSE", "Hose", "Filters", "200.00");
    pump = product("P-PUMP", "Pump", "Pumps", "1000.00");
    secret = product("P-SECRET", "Prototype", "Pumps", "50.00", {{"restricted", true}});
    r = upsert("price-lists", {{"external_id", "ALL"},
                               {"name", "Everyone"},
                               {"currency", "SEK"},
                               {"rules", {{{"discount", "5"}}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    r = upsert(
        "price-lists",
        {{"external_id", "A-LIST"},
         {"name", "Agreement A"},
         {"currency", "SEK"},
         {"company_external_ids", {"A"}},
         {"rules",
          {{{"category", "Filters"}, {"discount", "10"}},
           {{"product_external_id", "P-HOSE"}, {"price", "150.00"}},
           {{"product_external_id", "P-PUMP"}, {"price", "800.00"}, {"min_quantity", "10"}},
           {{"product_external_id", "P-SECRET"}, {"price", "45.00"}},
           // Over: never applies again.
           {{"product_external_id", "P-FILTER"}, {"price", "1.00"}, {"valid_until", day(-1)}}}}});
    EXPECT_EQ(r.status, 201) << r.body;
  }

  std::int64_t product(const std::string& external_id, const std::string& name,
                       const std::string& category, const std::string& sek,
                       json extra = json::object()) {
    json p = {{"external_id", external_id},
              {"name", name},
              {"sku", "SKU-" + external_id},
              {"category", category},
              {"unit", "pcs"},
              {"vat_rate", "25"},
              {"list_prices", {{"SEK", sek}}},
              {"licences", {{{"name", "Site licence"}, {"description", "Any number of users"}}}}};
    for (auto& [k, v] : extra.items()) p[k] = v;
    auto r = upsert("products", p);
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }

  // The catalogue of `company_id` as `token` sees it: product id -> item.
  std::map<std::int64_t, json> catalogue(const std::string& token, std::int64_t company_id,
                                         const std::string& query = "") {
    auto r = call("GET", "/api/v1/store/products?company_id=" + std::to_string(company_id) + query,
                  token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::int64_t, json> out;
    auto page = r.json();
    for (const auto& p : page["items"]) out[p["id"].get<std::int64_t>()] = p;
    return out;
  }

  HttpResult order(const std::string& token, std::int64_t company_id, const json& lines,
                   const json& delivery, const json& extra = json::object()) {
    json body = {{"company_id", company_id}, {"lines", lines}, {"delivery", delivery}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return call("POST", "/api/v1/orders", token, body);
  }

  std::int64_t filter = 0, hose = 0, pump = 0, secret = 0;
};

TEST_F(StoreTest, EachCompanySeesItsOwnPricesFromTheMostSpecificRule) {
  auto a = catalogue(ada, company);
  ASSERT_EQ(a.size(), 4u);
  // A category rule of A's own list beats everyone's discount; 10 % off 99.95 is 89.955, rounded
  // half away from zero; the rule that ran out yesterday no longer counts.
  EXPECT_EQ(a[filter]["price"], json({{"amount", "89.96"}, {"currency", "SEK"}}));
  EXPECT_EQ(a[filter]["list_price"]["amount"], "99.95");
  EXPECT_EQ(a[filter]["price_rule"], "A-LIST#1");
  // A product rule beats the category rule.
  EXPECT_EQ(a[hose]["price"]["amount"], "150.00");
  EXPECT_EQ(a[hose]["price_rule"], "A-LIST#2");
  // The pump's own rule starts at 10: one pump gets everyone's 5 %.
  EXPECT_EQ(a[pump]["price"]["amount"], "950.00");
  EXPECT_EQ(a[pump]["price_rule"], "ALL#1");
  auto ten = call("GET",
                  "/api/v1/store/products/" + std::to_string(pump) +
                      "?company_id=" + std::to_string(company) + "&quantity=10",
                  ada);
  ASSERT_EQ(ten.status, 200) << ten.body;
  EXPECT_EQ(ten.json()["price"]["amount"], "800.00");
  EXPECT_EQ(ten.json()["licences"][0]["name"], "Site licence");
  // The restricted product: A's list names it.
  EXPECT_EQ(a[secret]["price"]["amount"], "45.00");

  // B: everyone's list only, in its currency; the restricted product is not there at all.
  auto b = catalogue(olga, other_company);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[filter]["price"], json({{"amount", "94.95"}, {"currency", "SEK"}}));
  EXPECT_EQ(b.count(secret), 0u);
  EXPECT_EQ(call("GET",
                 "/api/v1/store/products/" + std::to_string(secret) +
                     "?company_id=" + std::to_string(other_company),
                 olga)
                .status,
            404);
  // Without any rule: the list price, and no list_price beside it (B now names its currency:
  // without a price list it would buy in EUR, in which nothing has a price).
  ASSERT_EQ(upsert("companies", {{"external_id", "B"}, {"name", "Company B"}, {"currency", "SEK"}})
                .status,
            200);
  ASSERT_EQ(
      upsert("price-lists",
             {{"external_id", "ALL"}, {"name", "Everyone"}, {"currency", "SEK"}, {"active", false}})
          .status,
      200);
  b = catalogue(olga, other_company);
  EXPECT_EQ(b[filter]["price"]["amount"], "99.95");
  EXPECT_FALSE(b[filter].contains("list_price"));
  EXPECT_FALSE(b[filter].contains("price_rule"));
}

TEST_F(StoreTest, WhatTheErpChangesShowsAtTheNextRequest) {
  // What a company's prices are made of is kept between requests; every change of a product or
  // a price list of the organization, and of the company's currency, is seen at once.
  auto before = call("GET", "/api/v1/store/products?company_id=" + std::to_string(company), ada);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json()["categories"], json({"Filters", "Pumps"}));
  auto valve = product("P-VALVE", "Valve", "Valves", "10.00");
  product("P-PUMP", "Pump", "Pumps", "2000.00");
  auto a = catalogue(ada, company);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_EQ(a[valve]["price"]["amount"], "9.50");  // everyone's 5 %
  EXPECT_EQ(a[pump]["price"]["amount"], "1900.00");
  auto after = call("GET", "/api/v1/store/products?company_id=" + std::to_string(company), ada);
  EXPECT_EQ(after.json()["categories"], json({"Filters", "Pumps", "Valves"}));
  // A's own list now names the valve; then no longer names A at all.
  ASSERT_EQ(
      upsert("price-lists", {{"external_id", "A-LIST"},
                             {"name", "Agreement A"},
                             {"currency", "SEK"},
                             {"company_external_ids", {"A"}},
                             {"rules", {{{"product_external_id", "P-VALVE"}, {"price", "7.00"}}}}})
          .status,
      200);
  a = catalogue(ada, company);
  EXPECT_EQ(a[valve]["price"]["amount"], "7.00");
  EXPECT_EQ(a.count(secret), 0u);  // no longer named for A
  ASSERT_EQ(
      upsert("price-lists", {{"external_id", "A-LIST"},
                             {"name", "Agreement A"},
                             {"currency", "SEK"},
                             {"company_external_ids", json::array()},
                             {"rules", {{{"product_external_id", "P-VALVE"}, {"price", "7.00"}}}}})
          .status,
      200);
  a = catalogue(ada, company);
  EXPECT_EQ(a[valve]["price"]["amount"], "9.50");
  // The company's currency: A now buys in EUR, in which nothing has a price.
  ASSERT_EQ(upsert("companies", {{"external_id", "A"}, {"name", "Company A"}, {"currency", "EUR"}})
                .status,
            200);
  auto eur = call("GET", "/api/v1/store/products?company_id=" + std::to_string(company), ada);
  EXPECT_EQ(eur.json()["currency"], "EUR");
  EXPECT_TRUE(eur.json()["items"][0]["price"].is_null()) << eur.body;
}

TEST_F(StoreTest, TheCatalogueFiltersByCategoryAndTextAndPages) {
  auto filters = catalogue(ada, company, "&category=Filters");
  EXPECT_EQ(filters.size(), 2u);
  EXPECT_EQ(filters.count(pump), 0u);
  auto found = catalogue(ada, company, "&q=hOSe");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.begin()->first, hose);
  auto r =
      call("GET", "/api/v1/store/products?company_id=" + std::to_string(company) + "&limit=3", ada);
  auto first = r.json();
  ASSERT_EQ(first["items"].size(), 3u);
  EXPECT_EQ(first["categories"], json({"Filters", "Pumps"}));
  EXPECT_EQ(first["currency"], "SEK");
  ASSERT_TRUE(first["next_cursor"].is_string());
  r = call("GET",
           "/api/v1/store/products?company_id=" + std::to_string(company) +
               "&limit=3&cursor=" + first["next_cursor"].get<std::string>(),
           ada);
  ASSERT_EQ(r.json()["items"].size(), 1u) << r.body;
  EXPECT_TRUE(r.json()["next_cursor"].is_null());
  // Another company's store, a company that is none, bad filters.
  EXPECT_EQ(
      call("GET", "/api/v1/store/products?company_id=" + std::to_string(other_company), ada).status,
      404);
  EXPECT_EQ(call("GET", "/api/v1/store/products?company_id=999999", ada).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/store/products", ada).status, 400);
  EXPECT_EQ(
      call("GET", "/api/v1/store/products?company_id=" + std::to_string(company) + "&cursor=x", ada)
          .status,
      400);
  // Someone without store.view in A sees no store there.
  setBob({{"role", "support_user"}});
  EXPECT_EQ(call("GET", "/api/v1/store/products?company_id=" + std::to_string(company), bob).status,
            404);
}

TEST_F(StoreTest, AnOrderIsPricedDeliveredAndTold) {
  auto r =
      order(ada, company,
            {{{"product_id", hose}, {"quantity", "3"}}, {{"product_id", pump}, {"quantity", 10}}},
            {{"site_id", site1}}, {{"reference", "PO-77"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = r.json();
  auto id = o["id"].get<std::int64_t>();
  EXPECT_EQ(o["number"], "W-" + std::to_string(id));
  EXPECT_EQ(o["status"], "received");
  EXPECT_EQ(o["site_id"], site1);
  EXPECT_EQ(o["reference"], "PO-77");
  EXPECT_EQ(o["currency"], "SEK");
  ASSERT_EQ(o["lines"].size(), 2u);
  EXPECT_EQ(o["lines"][0]["unit_price"]["amount"], "150.00");
  EXPECT_EQ(o["lines"][0]["price_rule"], "A-LIST#2");
  EXPECT_EQ(o["lines"][0]["product_id"], hose);
  EXPECT_EQ(o["lines"][1]["unit_price"]["amount"], "800.00");
  EXPECT_EQ(o["lines"][1]["amount"]["amount"], "8000.00");
  EXPECT_EQ(o["subtotal"]["amount"], "8450.00");
  EXPECT_EQ(o["vat"]["amount"], "2112.50");
  EXPECT_EQ(o["total"]["amount"], "10562.50");
  // The order keeps its prices when the price list changes afterwards.
  ASSERT_EQ(upsert("price-lists", {{"external_id", "A-LIST"},
                                   {"name", "Agreement A"},
                                   {"currency", "SEK"},
                                   {"company_external_ids", {"A"}},
                                   {"rules", json::array()}})
                .status,
            200);
  auto again = call("GET", path("orders", id), ada).json();
  EXPECT_EQ(again["lines"][0]["unit_price"]["amount"], "150.00");
  EXPECT_EQ(listed(ada, "/api/v1/orders"), std::vector<std::int64_t>{id});
  // The ERP hears of it, with the products and the delivery.
  auto placed = events("order.placed");
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0]["data"]["number"], o["number"]);
  EXPECT_EQ(placed[0]["data"]["lines"][0]["product_external_id"], "P-HOSE");
  EXPECT_EQ(placed[0]["data"]["lines"][0]["price_rule"], "A-LIST#2");
  EXPECT_EQ(placed[0]["data"]["delivery"]["site_id"], site1);
  EXPECT_EQ(placed[0]["data"]["total"], "10562.50");
  EXPECT_EQ(placed[0]["company_external_id"], "A");
  auto log =
      call("GET", "/api/v1/companies/" + std::to_string(company) + "/audit?event=order.", ada)
          .json();
  ASSERT_EQ(log["items"].size(), 1u) << log.dump();
  EXPECT_EQ(log["items"][0]["event"], "order.placed");
  // The ERP adopts the order by its number, and from then on keeps it up to date.
  json erp = {{"external_id", "SO-1"},
              {"company_external_id", "A"},
              {"number", o["number"]},
              {"currency", "SEK"},
              {"status", "confirmed"},
              {"reference", "PO-77"},
              {"lines", {{{"description", "Hose"}, {"quantity", "3"}, {"unit_price", "150.00"}}}}};
  auto adopted = upsert("orders", erp);
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  EXPECT_EQ(adopted.json()["id"], id);
  auto seen = call("GET", path("orders", id), ada).json();
  EXPECT_EQ(seen["status"], "confirmed");
  EXPECT_EQ(seen["external_id"], "SO-1");
  EXPECT_EQ(listed(ada, "/api/v1/orders").size(), 1u);
  // Another record of the ERP with the same number is refused: the order is SO-1's now.
  erp["external_id"] = "SO-2";
  EXPECT_EQ(upsert("orders", erp).status, 409);
  // A typed address, by someone who sees every site.
  r = order(ada, company, {{{"product_id", filter}}}, {{"address", "Dock 4\nHarbour Road 1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["delivery_address"], "Dock 4\nHarbour Road 1");
  EXPECT_TRUE(r.json()["site_id"].is_null());
  EXPECT_EQ(r.json()["lines"][0]["quantity"], "1");
}

TEST_F(StoreTest, AnOrderThatMayNotBeIsRefusedAndWritesNothing) {
  auto one = json::array({{{"product_id", hose}, {"quantity", "1"}}});
  auto site = json{{"site_id", site1}};
  auto field = [](const HttpResult& r) { return r.json()["error"]["field"]; };
  // The restricted product, for a company whose lists do not name it.
  auto r = order(olga, other_company, {{{"product_id", secret}}}, {{"address", "Somewhere 1"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "lines[0].product_id");
  r = order(ada, company, {{{"product_id", 999999}}}, site);
  EXPECT_EQ(field(r), "lines[0].product_id");
  r = order(ada, company, {{{"product_id", hose}, {"quantity", "0"}}}, site);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "lines[0].quantity");
  r = order(ada, company, {{{"product_id", hose}, {"quantity", "1.0001"}}}, site);
  EXPECT_EQ(field(r), "lines[0].quantity");
  EXPECT_EQ(field(order(ada, company, json::array(), site)), "lines");
  // Delivery: neither, both, another company's site, a site that is none.
  EXPECT_EQ(field(order(ada, company, one, json::object())), "delivery");
  EXPECT_EQ(field(order(ada, company, one, {{"site_id", site1}, {"address", "X"}})), "delivery");
  EXPECT_EQ(field(order(olga, other_company, one, site)), "delivery.site_id");
  EXPECT_EQ(field(order(ada, company, one, {{"site_id", 999999}})), "delivery.site_id");
  EXPECT_EQ(field(order(ada, company, one, site, {{"reference", std::string(101, 'x')}})),
            "reference");
  // Another company, a company that is none: 404.
  EXPECT_EQ(order(ada, other_company, one, site).status, 404);
  EXPECT_EQ(order(ada, 999999, one, site).status, 404);
  // Staff and lesser roles.
  EXPECT_EQ(order(support, company, one, site).status, 403);
  setBob({{"role", "read_only"}});
  EXPECT_EQ(order(bob, company, one, site).status, 403);
  // Nothing was written, nothing told.
  EXPECT_TRUE(listed(ada, "/api/v1/orders").empty());
  EXPECT_TRUE(events("order.placed").empty());
}

TEST_F(StoreTest, SomeoneOfSomeSitesOrdersOnlyToThem) {
  setBob({{"sites", json::array({site1})}});
  auto one = json::array({{{"product_id", filter}, {"quantity", "2"}}});
  auto r = order(bob, company, one, {{"address", "Elsewhere 1"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "delivery.site_id");
  r = order(bob, company, one, {{"site_id", site2}});
  EXPECT_EQ(r.status, 400);
  r = order(bob, company, one, {{"site_id", site1}});
  ASSERT_EQ(r.status, 201) << r.body;
  // Bob sees the order he placed; it is at his site.
  auto id = r.json()["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", path("orders", id), bob).status, 200);
}

TEST_F(StoreTest, AQuoteRequestNamesProductsTheCompanySees) {
  auto r = call("POST", "/api/v1/quote-requests", ada,
                {{"company_id", company}, {"lines", {{{"product_id", pump}, {"quantity", "25"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto told = events("quote.requested");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0]["data"]["lines"][0]["product_external_id"], "P-PUMP");
  EXPECT_EQ(told[0]["data"]["lines"][0]["quantity"], "25");
  r = call("POST", "/api/v1/quote-requests", olga,
           {{"company_id", other_company},
            {"text", "A prototype, please"},
            {"lines", {{{"product_id", secret}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "lines[0].product_id");
  // Neither text nor products.
  EXPECT_EQ(call("POST", "/api/v1/quote-requests", ada, {{"company_id", company}}).status, 400);
  EXPECT_EQ(events("quote.requested").size(), 1u);
}

TEST_F(StoreTest, TheErpsProductsAndPriceListsAreValidated) {
  auto field = [](const HttpResult& r) { return r.json()["error"]["field"]; };
  auto r = upsert("products", {{"external_id", "X"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "name");
  r = upsert("products", {{"external_id", "X"}, {"name", "X"}, {"list_prices", {{"SEK", 12.5}}}});
  EXPECT_EQ(field(r), "list_prices.SEK");
  r = upsert("products", {{"external_id", "X"}, {"name", "X"}, {"list_prices", {{"sek", "1"}}}});
  EXPECT_EQ(field(r), "list_prices");
  r = upsert("products",
             {{"external_id", "X"}, {"name", "X"}, {"licences", {{{"description", "d"}}}}});
  EXPECT_EQ(field(r), "licences[0].name");
  r = upsert("products", {{"external_id", "X"}, {"name", "X"}, {"restricted", "yes"}});
  EXPECT_EQ(field(r), "restricted");
  json list = {{"external_id", "L"}, {"name", "L"}, {"currency", "SEK"}};
  auto with = [&](const json& extra) {
    json l = list;
    for (auto& [k, v] : extra.items()) l[k] = v;
    return upsert("price-lists", l);
  };
  EXPECT_EQ(field(with({{"rules", {{{"price", "1.00"}, {"discount", "5"}}}}})), "rules[0].price");
  EXPECT_EQ(field(with({{"rules", {{{"category", "c"}}}}})), "rules[0].price");
  EXPECT_EQ(field(with({{"rules", {{{"discount", "101"}}}}})), "rules[0].discount");
  EXPECT_EQ(field(with({{"rules", {{{"price", "1.001"}}}}})), "rules[0].price");
  EXPECT_EQ(
      field(with({{"rules", {{{"price", "1"}, {"product_external_id", "P"}, {"category", "c"}}}}})),
      "rules[0].category");
  EXPECT_EQ(field(with({{"company_external_ids", {"nobody"}}})), "company_external_ids[0]");
  EXPECT_EQ(field(with({{"valid_from", day(2)}, {"valid_until", day(1)}})), "valid_until");
  EXPECT_EQ(field(with({{"currency", "Kronor"}})), "currency");
  EXPECT_EQ(field(with({{"priority", "high"}})), "priority");
  // None of them was written: the catalogue is as it was.
  EXPECT_EQ(catalogue(ada, company).size(), 4u);
  // An update keeps the id and the product's place.
  auto again = upsert("products", {{"external_id", "P-HOSE"}, {"name", "Garden hose"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["id"], hose);
  EXPECT_EQ(catalogue(ada, company)[hose]["name"], "Garden hose");
}

TEST_F(StoreTest, TheCartWorksWithoutJavaScriptThroughCheckout) {
  auto b = signIn("bob@a.example", bob_secret);
  auto store = b.get("/store");
  ASSERT_EQ(store.status, 200) << store.body;
  EXPECT_NE(store.body.find("Hose"), std::string::npos);
  EXPECT_NE(store.body.find("150.00\u00A0SEK"), std::string::npos);
  auto c = std::to_string(company);
  auto r = b.submit("/store/cart", {{"company_id", c},
                                    {"product_id", std::to_string(hose)},
                                    {"quantity", "2"},
                                    {"action", "add"}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = b.submit("/store/cart", {{"company_id", c},
                               {"product_id", std::to_string(hose)},
                               {"quantity", "1"},
                               {"action", "add"}});
  auto cart = b.get("/store/cart?company_id=" + c);
  ASSERT_EQ(cart.status, 200);
  EXPECT_NE(cart.body.find("value=\"3\""), std::string::npos);  // 2 and 1 more
  EXPECT_NE(cart.body.find("450.00\u00A0SEK"), std::string::npos);
  // A bad quantity says why and changes nothing.
  r = b.submit("/store/cart", {{"company_id", c},
                               {"product_id", std::to_string(hose)},
                               {"quantity", "-1"},
                               {"action", "set"}});
  EXPECT_EQ(r.status, 400);
  // Another company's restricted product cannot go in a cart it does not see.
  r = b.submit("/store/cart", {{"company_id", std::to_string(other_company)},
                               {"product_id", std::to_string(hose)},
                               {"quantity", "1"},
                               {"action", "add"}});
  EXPECT_EQ(r.status, 404);
  r = b.submit("/store/checkout", {{"company_id", c},
                                   {"delivery", "site"},
                                   {"site_id", std::to_string(site2)},
                                   {"reference", "PO 4711"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto where = r.header("location");
  ASSERT_TRUE(where.starts_with("/orders/")) << where;
  auto page = b.get(where);
  EXPECT_NE(page.body.find("PO 4711"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("South"), std::string::npos);
  // The cart is empty again; the order is Bob's, at A's prices.
  EXPECT_NE(b.get("/store/cart?company_id=" + c).body.find("Your cart is empty."),
            std::string::npos);
  auto orders = call("GET", "/api/v1/orders", ada).json()["items"];
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]["total"]["amount"], "562.50");
  // A quote instead: the cart's products go to the ERP as a request.
  b.submit("/store/cart", {{"company_id", c},
                           {"product_id", std::to_string(pump)},
                           {"quantity", "40"},
                           {"action", "add"}});
  r = b.submit("/store/quote", {{"company_id", c}, {"text", "For the new plant"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/quotes");
  auto told = events("quote.requested");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0]["data"]["lines"][0]["quantity"], "40");
  EXPECT_EQ(told[0]["data"]["text"], "For the new plant");
}

TEST_F(StoreTest, TheMenuNamesTheStoreForThoseWhoSeeIt) {
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_NE(b.get("/").body.find("href=\"/store\""), std::string::npos);
  setBob({{"role", "support_user"}});
  auto page = b.get("/");
  EXPECT_EQ(page.body.find("href=\"/store\""), std::string::npos);
  EXPECT_EQ(b.get("/store").status, 404);
}

}  // namespace
}  // namespace portico::testing
