// The documents' pages: the lists across a person's companies with their filters, totals and
// export, a record's page, the menu that names them only for those who may see them, and the
// refusals (another company's record, a bad filter).
#include "modules/documents/document_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class DocumentPagesTest : public DocumentTest {
 protected:
  bool has(const HttpResult& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }
};

TEST_F(DocumentPagesTest, APersonFindsTheirInvoicesAndReadsOne) {
  auto overdue = invoice("OD-1", {{"due_date", day(-3)}, {"title", "Pump service"}});
  invoice("OK-1", {{"title", "Filters"}});
  invoice("B-1", {{"company_external_id", "B"}, {"title", "Olga's invoice"}});
  auto b = signIn("bob@a.example", bob_secret);
  auto home = b.get("/");
  EXPECT_TRUE(has(home, "href=\"/documents\"")) << home.body;
  auto start = b.get("/documents");
  EXPECT_EQ(start.status, 303);
  EXPECT_EQ(start.header("location"), "/invoices");
  auto list = b.get("/invoices");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(has(list, "Pump service"));
  EXPECT_TRUE(has(list, "Filters"));
  EXPECT_FALSE(has(list, "Olga"));
  EXPECT_TRUE(has(list, "1,249.88\u00A0SEK"));  // each invoice, in Bob's language
  EXPECT_TRUE(has(list, "2,499.76\u00A0SEK"));  // the list's total
  EXPECT_TRUE(has(list, "overdue"));
  EXPECT_TRUE(has(list, "href=\"/invoices.csv\""));
  // The overdue filter, and the export of what it shows.
  list = b.get("/invoices?overdue=1");
  EXPECT_TRUE(has(list, "Pump service"));
  EXPECT_FALSE(has(list, "Filters"));
  EXPECT_TRUE(has(list, "href=\"/invoices.csv?overdue=1\""));
  auto csv = b.get("/invoices.csv?overdue=1");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("\"F-OD-1\""), std::string::npos);
  EXPECT_EQ(csv.body.find("\"F-OK-1\""), std::string::npos);
  // The record: its lines, totals and what is left to pay.
  auto page = b.get("/invoices/" + std::to_string(overdue));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page, "F-OD-1"));
  EXPECT_TRUE(has(page, "Service visit"));
  EXPECT_TRUE(has(page, "450.00\u00A0SEK"));
  EXPECT_TRUE(has(page, "249.98\u00A0SEK"));  // the VAT
  // Nothing matches: the empty state says so; a bad date is a clear 400.
  list = b.get("/invoices?q=nothing-like-this");
  EXPECT_TRUE(has(list, "Nothing matches these filters."));
  EXPECT_EQ(b.get("/invoices?from=2026-02-31").status, 400);
  EXPECT_TRUE(has(b.get("/quotes"), "There is nothing here yet."));
}

TEST_F(DocumentPagesTest, AnotherCompanysRecordAndAMissingPermissionAreNotFound) {
  auto theirs = invoice("B-1", {{"company_external_id", "B"}});
  auto ours = invoice("A-1");
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_EQ(b.get("/invoices/" + std::to_string(theirs)).status, 404);
  EXPECT_EQ(b.get("/quotes/" + std::to_string(ours)).status, 404);  // not a quote
  setBob({{"role", "support_user"}});
  EXPECT_EQ(b.get("/invoices/" + std::to_string(ours)).status, 404);
  EXPECT_EQ(b.get("/documents").status, 404);
  EXPECT_FALSE(has(b.get("/cases"), "href=\"/documents\""));
  // Quotes only: the tabs name quotes alone, and /documents leads there.
  setBob({{"permissions", {"quotes.view"}}});
  auto list = b.get("/quotes");
  ASSERT_EQ(list.status, 200);
  EXPECT_FALSE(has(list, "href=\"/invoices\""));
  EXPECT_EQ(b.get("/documents").header("location"), "/quotes");
}

TEST_F(DocumentPagesTest, PagesSpeakTheReadersLanguage) {
  invoice("SV-1", {{"status", "partially_paid"}, {"paid", "1000.00"}});
  auto r = call("PATCH", "/api/v1/me", bob, {{"language", "sv"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = signIn("bob@a.example", bob_secret);
  auto list = b.get("/invoices");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(has(list, "Fakturor"));
  EXPECT_TRUE(has(list, "Delbetald"));
  EXPECT_TRUE(has(list, "1\u202F249,88\u00A0SEK"));
  EXPECT_TRUE(has(list, "249,88\u00A0SEK"));  // still to pay
}

}  // namespace
}  // namespace portico::testing
