// The documents of My pages through the API: the ERP's upserts of agreements, orders, quotes and
// invoices (exact money, computed totals, refusals that change nothing), and what each caller
// then sees: across their companies, within their sites and permissions, with filters, totals,
// paging and the CSV export.
#include <map>

#include "modules/documents/document_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class DocumentApiTest : public DocumentTest {};

TEST_F(DocumentApiTest, AnInvoiceFromTheErpIsExactAndItsTotalsAreComputedFromItsLines) {
  auto r = upsert("invoices",
                  {{"external_id", "INV-1"},
                   {"company_external_id", "A"},
                   {"number", "F-1001"},
                   {"currency", "SEK"},
                   {"title", "December service"},
                   {"date", "2026-11-20"},
                   {"due_date", "2026-12-20"},
                   {"lines",
                    {{{"description", "Hours"},
                      {"quantity", "1.5"},
                      {"unit", "h"},
                      {"unit_price", "0.33"},
                      {"vat_rate", "25"}},
                     {{"description", "Part"}, {"unit_price", "100.50"}, {"vat_rate", "12"}},
                     {{"description", "Credit"}, {"unit_price", "-10.00"}, {"vat_rate", 25}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["number"], "F-1001");
  EXPECT_EQ(j["status"], "issued");
  EXPECT_EQ(j["company_id"], company);
  EXPECT_EQ(j["company_external_id"], "A");
  // 1.5 × 0.33 = 0.495 → 0.50; VAT 25 % of (0.50 − 10.00) = −2.375 → −2.38, 12 % of 100.50 =
  // 12.06; each rate's sum rounded once.
  EXPECT_EQ(j["lines"][0]["amount"], (json{{"amount", "0.50"}, {"currency", "SEK"}}));
  EXPECT_EQ(j["lines"][0]["quantity"], "1.5");
  EXPECT_EQ(j["lines"][1]["quantity"], "1");
  EXPECT_EQ(j["subtotal"]["amount"], "91.00");
  EXPECT_EQ(j["vat"]["amount"], "9.68");
  EXPECT_EQ(j["total"]["amount"], "100.68");
  EXPECT_EQ(j["outstanding"]["amount"], "100.68");
  auto id = j["id"].get<std::int64_t>();

  // The same record again, paid in part: updated, its status change in its history.
  r = upsert("invoices", {{"external_id", "INV-1"},
                          {"company_external_id", "A"},
                          {"number", "F-1001"},
                          {"currency", "SEK"},
                          {"status", "partially_paid"},
                          {"total", "100.68"},
                          {"paid", "50.00"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = call("GET", path("invoices", id), ada);
  ASSERT_EQ(got.status, 200) << got.body;
  j = got.json();
  EXPECT_EQ(j["status"], "partially_paid");
  EXPECT_EQ(j["date"], "2026-11-20");  // kept when left out
  EXPECT_EQ(j["outstanding"]["amount"], "50.68");
  EXPECT_TRUE(j["lines"].empty());  // the whole record each time
  ASSERT_EQ(j["history"].size(), 1u);
  EXPECT_EQ(j["history"][0]["old_value"], "issued");
  EXPECT_EQ(j["history"][0]["new_value"], "partially_paid");
  EXPECT_TRUE(j["history"][0]["by"].is_null());
}

TEST_F(DocumentApiTest, TheErpsFaultyRecordsAreRefusedNamingTheFieldAndWriteNothing) {
  json good = {{"external_id", "Q-1"},
               {"company_external_id", "A"},
               {"number", "Q-1"},
               {"currency", "SEK"},
               {"lines", {{{"description", "Pump"}, {"unit_price", "1200.00"}}}}};
  struct Bad {
    std::string field;
    json change;
    long status;
  };
  for (const auto& b : std::vector<Bad>{
           {"lines[0].unit_price",
            {{"lines", {{{"description", "Pump"}, {"unit_price", 1200.5}}}}},
            400},
           {"lines[0].unit_price",
            {{"lines", {{{"description", "Pump"}, {"unit_price", "1,200"}}}}},
            400},
           {"lines[0].unit_price", {{"lines", {{{"description", "Pump"}}}}}, 400},
           {"lines[0].quantity",
            {{"lines", {{{"description", "Pump"}, {"unit_price", "1"}, {"quantity", "0"}}}}},
            400},
           {"lines[0].vat_rate",
            {{"lines", {{{"description", "Pump"}, {"unit_price", "1"}, {"vat_rate", "101"}}}}},
            400},
           {"lines[0].description", {{"lines", {{{"unit_price", "1"}}}}}, 400},
           {"currency", {{"currency", "sek"}}, 400},
           {"lines[0].unit_price", {{"currency", "JPY"}}, 400},  // yen have no decimals
           {"status", {{"status", "paid"}}, 400},                // not a quote's status
           {"date", {{"date", "2026-02-30"}}, 400},
           {"valid_until", {{"valid_until", "tomorrow"}}, 400},
           {"company_external_id", {{"company_external_id", "NOPE"}}, 400},
           {"site_external_id", {{"site_external_id", "NOPE"}}, 400},
           {"owner_email", {{"owner_email", "nobody@a.example"}}, 400},
           {"paid", {{"paid", "1.00"}}, 400},  // only invoices are paid
           {"total", {{"total", 99.5}}, 400},
           {"number", {{"number", ""}}, 400},
       }) {
    SCOPED_TRACE(b.field + " " + b.change.dump());
    auto record = good;
    for (auto& [k, v] : b.change.items()) record[k] = v;
    auto r = upsert("quotes", record);
    EXPECT_EQ(r.status, b.status) << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field) << r.body;
  }
  EXPECT_TRUE(listed(support, "/api/v1/quotes").empty());
  ASSERT_EQ(upsert("quotes", good).status, 201);
  // Another quote with the same number; the same quote in another company.
  auto again = good;
  again["external_id"] = "Q-2";
  auto r = upsert("quotes", again);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "number");
  again = good;
  again["company_external_id"] = "B";
  r = upsert("quotes", again);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "company_external_id");
  EXPECT_EQ(listed(support, "/api/v1/quotes").size(), 1u);
  // A kind's number is its own: an invoice may have the quote's number.
  auto invoice = good;
  invoice.erase("lines");
  EXPECT_EQ(upsert("invoices", invoice).status, 201);
}

TEST_F(DocumentApiTest, EachCompanysPeopleSeeOnlyTheirCompanysRecords) {
  auto a = invoice("A-1");
  auto b = invoice("B-1", {{"company_external_id", "B"}});
  EXPECT_EQ(listed(ada, "/api/v1/invoices"), std::vector<std::int64_t>{a});
  EXPECT_EQ(listed(olga, "/api/v1/invoices"), std::vector<std::int64_t>{b});
  EXPECT_EQ(call("GET", path("invoices", b), ada).status, 404);
  EXPECT_EQ(call("GET", path("invoices", a), olga).status, 404);
  // Another company's filter is 404, as is a record under another kind's path.
  EXPECT_EQ(call("GET", "/api/v1/invoices?company_id=" + std::to_string(other_company), ada).status,
            404);
  EXPECT_EQ(call("GET", path("quotes", a), ada).status, 404);
  EXPECT_EQ(call("GET", path("invoices", 999999), ada).status, 404);
  // Staff of the vendor's inbox see every customer's.
  EXPECT_EQ(listed(support, "/api/v1/invoices").size(), 2u);
  EXPECT_EQ(call("GET", path("invoices", b), support).status, 200);
}

TEST_F(DocumentApiTest, EachKindNeedsItsOwnViewPermission) {
  auto inv = invoice("I-1");
  auto q = upsert("quotes", {{"external_id", "Q-1"},
                             {"company_external_id", "A"},
                             {"number", "Q-1"},
                             {"currency", "SEK"},
                             {"status", "sent"}})
               .json()["id"]
               .get<std::int64_t>();
  auto o = upsert("orders", {{"external_id", "O-1"},
                             {"company_external_id", "A"},
                             {"number", "O-1"},
                             {"currency", "SEK"}})
               .json()["id"]
               .get<std::int64_t>();
  auto ag = upsert("agreements", {{"external_id", "AG-1"},
                                  {"company_external_id", "A"},
                                  {"number", "AG-1"},
                                  {"currency", "SEK"},
                                  {"end_date", day(300)}})
                .json()["id"]
                .get<std::int64_t>();
  struct Case {
    json rights;
    long invoice, quote, order, agreement;
  };
  for (const auto& c : std::vector<Case>{
           {{{"role", "user"}}, 200, 200, 200, 200},
           {{{"role", "read_only"}}, 200, 200, 200, 200},
           {{{"role", "support_user"}}, 404, 404, 404, 404},
           {{{"permissions", {"invoices.view"}}}, 200, 404, 404, 404},
           {{{"permissions", {"quotes.view"}}}, 404, 200, 404, 404},
           {{{"permissions", {"orders.view"}}}, 404, 404, 200, 200},
           {{{"permissions", {"invoices.pay", "orders.place"}}}, 404, 404, 404, 404},
       }) {
    SCOPED_TRACE(c.rights.dump());
    setBob(c.rights);
    EXPECT_EQ(call("GET", path("invoices", inv), bob).status, c.invoice);
    EXPECT_EQ(call("GET", path("quotes", q), bob).status, c.quote);
    EXPECT_EQ(call("GET", path("orders", o), bob).status, c.order);
    EXPECT_EQ(call("GET", path("agreements", ag), bob).status, c.agreement);
    // A list without the permission is empty, not an error; naming the company is 404.
    EXPECT_EQ(listed(bob, "/api/v1/invoices").size(), c.invoice == 200 ? 1u : 0u);
    EXPECT_EQ(call("GET", "/api/v1/invoices?company_id=" + std::to_string(company), bob).status,
              c.invoice);
  }
}

TEST_F(DocumentApiTest, SiteScopeAndOwnRecordsLimitWhatAMemberSees) {
  for (const char* s : {"S-N", "S-S"}) {
    auto r = call("POST", "/api/v1/integration/sites", key,
                  {{"external_id", s}, {"company_external_id", "A"}, {"name", s}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto north_site =
      call("GET", "/api/v1/companies/" + std::to_string(company) + "/sites", ada).json();
  std::int64_t north = 0;
  for (const auto& s : north_site["items"]) {
    if (s["name"] == "S-N") north = s["id"].get<std::int64_t>();
  }
  ASSERT_NE(north, 0);
  auto at_north = invoice("N-1", {{"site_external_id", "S-N"}});
  auto at_south = invoice("S-1", {{"site_external_id", "S-S"}});
  auto nowhere = invoice("X-1");
  auto bobs = invoice("BOB-1", {{"owner_email", "bob@a.example"}});
  EXPECT_EQ(call("GET", path("invoices", at_north), ada).json()["site_id"], north);

  setBob({{"sites", json::array({north})}});
  EXPECT_EQ(listed(bob, "/api/v1/invoices"), std::vector<std::int64_t>{at_north});
  EXPECT_EQ(call("GET", path("invoices", at_north), bob).status, 200);
  for (auto id : {at_south, nowhere, bobs})
    EXPECT_EQ(call("GET", path("invoices", id), bob).status, 404);
  EXPECT_EQ(listed(bob, "/api/v1/invoices?site_id=" + std::to_string(north)).size(), 1u);

  setBob({{"sites", "all"}, {"visibility", "own"}});
  EXPECT_EQ(listed(bob, "/api/v1/invoices"), std::vector<std::int64_t>{bobs});
  EXPECT_EQ(call("GET", path("invoices", nowhere), bob).status, 404);
  EXPECT_EQ(call("GET", path("invoices", bobs), bob).status, 200);
  EXPECT_EQ(listed(ada, "/api/v1/invoices").size(), 4u);
}

TEST_F(DocumentApiTest, StatusesAreAsCustomersSeeThemOnTheDay) {
  auto overdue = invoice("OD", {{"due_date", day(-1)}});
  auto due_today = invoice("DT", {{"due_date", day(0)}});
  auto paid_late = invoice("PL", {{"due_date", day(-5)}, {"status", "paid"}});
  auto j = call("GET", path("invoices", overdue), ada).json();
  EXPECT_EQ(j["overdue"], true);
  EXPECT_EQ(call("GET", path("invoices", due_today), ada).json()["overdue"], false);
  EXPECT_EQ(call("GET", path("invoices", paid_late), ada).json()["overdue"], false);
  EXPECT_EQ(listed(ada, "/api/v1/invoices?overdue=true"), std::vector<std::int64_t>{overdue});
  EXPECT_EQ(listed(ada, "/api/v1/invoices?status=paid"), std::vector<std::int64_t>{paid_late});

  // Quotes: a draft is the vendor's alone; a sent quote past its date is expired.
  auto quote = [&](const std::string& id, const std::string& status, const std::string& until) {
    return upsert("quotes", {{"external_id", id},
                             {"company_external_id", "A"},
                             {"number", id},
                             {"currency", "EUR"},
                             {"status", status},
                             {"valid_until", until}})
        .json()["id"]
        .get<std::int64_t>();
  };
  auto draft = quote("D", "draft", day(10));
  auto open = quote("O", "sent", day(10));
  auto lapsed = quote("L", "sent", day(-1));
  EXPECT_EQ(call("GET", path("quotes", draft), ada).status, 404);
  EXPECT_EQ(call("GET", path("quotes", draft), support).status, 200);
  EXPECT_EQ(listed(ada, "/api/v1/quotes").size(), 2u);
  EXPECT_EQ(listed(support, "/api/v1/quotes").size(), 3u);
  EXPECT_EQ(call("GET", path("quotes", lapsed), ada).json()["status"], "expired");
  EXPECT_EQ(listed(ada, "/api/v1/quotes?status=sent"), std::vector<std::int64_t>{open});
  EXPECT_EQ(listed(ada, "/api/v1/quotes?status=expired"), std::vector<std::int64_t>{lapsed});
  EXPECT_EQ(call("GET", "/api/v1/quotes?status=draft", ada).json()["items"].size(), 0u);
}

TEST_F(DocumentApiTest, ListsFilterSearchSumPerCurrencyAndPage) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(invoice("P" + std::to_string(i),
                          {{"date", day(-i)}, {"reference", i == 2 ? "PO 4711" : ""}}));
  }
  auto eur = invoice("EUR-1", {{"currency", "EUR"}, {"date", day(-30)}, {"title", "Spare parts"}});
  auto page = call("GET", "/api/v1/invoices?limit=2", ada).json();
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["id"], ids[0]);  // newest first
  EXPECT_EQ(page["items"][1]["id"], ids[1]);
  // The totals are of the whole list: 5 × 1,249.88 SEK and 1,249.88 EUR.
  ASSERT_EQ(page["totals"].size(), 2u);
  EXPECT_EQ(page["totals"][0]["currency"], "EUR");
  EXPECT_EQ(page["totals"][1]["total"]["amount"], "6249.40");
  EXPECT_EQ(page["totals"][1]["count"], 5);
  std::vector<std::int64_t> all;
  std::string cursor = page["next_cursor"].get<std::string>();
  for (const auto& d : page["items"]) all.push_back(d["id"].get<std::int64_t>());
  while (!cursor.empty()) {
    page = call("GET", "/api/v1/invoices?limit=2&cursor=" + cursor, ada).json();
    for (const auto& d : page["items"]) all.push_back(d["id"].get<std::int64_t>());
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
  }
  auto expected = ids;
  expected.push_back(eur);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(listed(ada, "/api/v1/invoices?q=4711"), std::vector<std::int64_t>{ids[2]});
  EXPECT_EQ(listed(ada, "/api/v1/invoices?q=spare%20PARTS"), std::vector<std::int64_t>{eur});
  EXPECT_EQ(listed(ada, "/api/v1/invoices?q=F-P3"), std::vector<std::int64_t>{ids[3]});
  EXPECT_TRUE(listed(ada, "/api/v1/invoices?q=%25").empty());  // a % is a percent sign
  EXPECT_EQ(listed(ada, "/api/v1/invoices?from=" + day(-1) + "&to=" + day(0)),
            (std::vector<std::int64_t>{ids[0], ids[1]}));
  // Bad filters: 400 naming them, nothing else.
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"status=overdue", "status"},
           {"from=2026-13-01", "from"},
           {"from=" + day(1) + "&to=" + day(0), "from"},
           {"limit=201", "limit"},
           {"cursor=abc", "cursor"},
           {"overdue=maybe", "overdue"},
           {"q=" + std::string(201, 'x'), "q"},
       }) {
    auto r = call("GET", "/api/v1/invoices?" + query, ada);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json()["error"]["field"], field) << query;
  }
  EXPECT_EQ(call("GET", "/api/v1/quotes?overdue=true", ada).status, 400);
}

TEST_F(DocumentApiTest, AnExportIsTheWholeListAsCsvAndIsAudited) {
  invoice("E-1", {{"title", "=HYPERLINK(\"http://evil\")"}, {"reference", "PO \"7\""}});
  invoice("E-2", {{"status", "paid"}});
  invoice("E-3", {{"company_external_id", "B"}});
  auto r = call("GET", "/api/v1/invoices.csv?status=issued", ada);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(r.header("content-disposition").find("invoices.csv"), std::string::npos);
  EXPECT_EQ(r.body,
            "number,company,site,date,due_date,status,title,reference,currency,subtotal,vat,total,"
            "paid,outstanding,overdue\r\n\"F-E-1\",\"Company A\",\"\",\"" +
                day(-10) + "\",\"" + day(20) +
                "\",\"issued\",\"'=HYPERLINK(\"\"http://evil\"\")\",\"PO \"\"7\"\"\",\"SEK\","
                "999.90,249.98,1249.88,0.00,1249.88,false\r\n");
  auto log =
      call("GET", "/api/v1/companies/" + std::to_string(company) + "/audit?event=documents.", ada)
          .json();
  ASSERT_EQ(log["items"].size(), 1u) << log.dump();
  EXPECT_EQ(log["items"][0]["event"], "documents.exported");
  EXPECT_EQ(log["items"][0]["detail"]["count"], 1);
  EXPECT_EQ(log["items"][0]["detail"]["kind"], "invoices");
  // Olga's company is not in Ada's export, nor in its log.
  auto other =
      call("GET", "/api/v1/companies/" + std::to_string(other_company) + "/audit?event=documents.",
           olga)
          .json();
  EXPECT_TRUE(other["items"].empty());
  EXPECT_EQ(call("GET", "/api/v1/invoices.csv?status=nope", ada).status, 400);
}

TEST_F(DocumentApiTest, TheBulkImportTakesEachLineOnItsOwn) {
  auto line = [](const std::string& id, const std::string& in, const std::string& total) {
    return json{{"external_id", id},
                {"company_external_id", in},
                {"number", id},
                {"currency", "SEK"},
                {"total", total}}
               .dump() +
           "\n";
  };
  auto body = line("B-1", "A", "100.00") + line("B-2", "A", "1.001") + line("B-3", "B", "5") +
              line("B-1", "A", "200.00");
  auto r = server.request("POST", "/api/v1/integration/invoices/bulk", body,
                          {"Content-Type: application/x-ndjson", "Authorization: Bearer " + key});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["created"], 2);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["results"][1]["error"]["field"], "total");
  auto page = call("GET", "/api/v1/invoices", ada).json();
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["total"]["amount"], "200.00");
  EXPECT_EQ(listed(olga, "/api/v1/invoices").size(), 1u);
}

}  // namespace
}  // namespace portico::testing
