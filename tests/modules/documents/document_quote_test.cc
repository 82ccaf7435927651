// Quotes: accepting (the signer's name, the terms, the frozen PDF's hash), declining with a
// reason, requesting a new quote; each refusal, the step-up, and what the ERP hears.
#include "modules/documents/document_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class DocumentQuoteTest : public DocumentTest {
 protected:
  std::int64_t quote(const std::string& id, const std::string& status = "sent", int valid_days = 10,
                     const std::string& company_ext = "A") {
    auto r = upsert("quotes", {{"external_id", id},
                               {"company_external_id", company_ext},
                               {"number", id},
                               {"currency", "SEK"},
                               {"status", status},
                               {"valid_until", day(valid_days)},
                               {"lines", {{{"description", "Pump"}, {"unit_price", "1200.00"}}}}});
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
  HttpResult accept(const std::string& token, std::int64_t id,
                    const json& body = {{"name", "Bob Member"}, {"terms_accepted", true}}) {
    return call("POST", path("quotes", id) + "/accept", token, body);
  }
  bool has(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }
};

TEST_F(DocumentQuoteTest, AcceptingASentQuoteRecordsTheSignatureAndTellsTheErp) {
  auto id = quote("Q-1");
  auto before = call("GET", path("quotes", id), bob).json();
  EXPECT_EQ(before["may_decide"], true);
  EXPECT_TRUE(before["decision"].is_null());
  auto r = accept(bob, id);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["status"], "accepted");
  EXPECT_EQ(j["may_decide"], false);
  EXPECT_EQ(j["decision"]["decision"], "accepted");
  EXPECT_EQ(j["decision"]["signer_name"], "Bob Member");
  EXPECT_FALSE(j["decision"].contains("ip"));  // where it came from is for the vendor
  ASSERT_EQ(j["history"].size(), 1u);
  EXPECT_EQ(j["history"][0]["new_value"], "accepted");
  EXPECT_EQ(j["history"][0]["by"], "Bob Member");
  // The hash kept is the frozen PDF's, the one every reprint serves.
  auto pdf = call("GET", path("quotes", id) + "/pdf", bob);
  EXPECT_EQ(pdf.header("etag"), "\"" + j["decision"]["pdf_sha256"].get<std::string>() + "\"");
  auto staff_view = call("GET", path("quotes", id), support).json();
  EXPECT_EQ(staff_view["decision"]["ip"], "127.0.0.1");
  auto events = this->events("quote.accepted");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["company_id"], company);
  EXPECT_EQ(events[0]["data"]["external_id"], "Q-1");
  EXPECT_EQ(events[0]["data"]["signer_name"], "Bob Member");
  EXPECT_EQ(events[0]["data"]["pdf_sha256"], j["decision"]["pdf_sha256"]);
  EXPECT_EQ(events[0]["data"]["by"]["email"], "bob@a.example");
  // The accepted document stays the one accepted: the ERP's PDF for it is refused.
  auto erp_pdf = server.request("PUT", "/api/v1/integration/quotes/Q-1/pdf", "%PDF-1.4\n%%EOF\n",
                                {"Content-Type: application/pdf", "Authorization: Bearer " + key});
  EXPECT_EQ(erp_pdf.status, 409) << erp_pdf.body;
  // Once.
  EXPECT_EQ(accept(bob, id).status, 409);
  EXPECT_EQ(call("POST", path("quotes", id) + "/decline", bob, {{"reason", "no"}}).status, 409);
  EXPECT_EQ(this->events("quote.accepted").size(), 1u);
}

TEST_F(DocumentQuoteTest, OnlyAnOpenQuoteWithASignatureCanBeAccepted) {
  auto expired = quote("Q-OLD", "sent", -1);
  auto draft = quote("Q-DRAFT", "draft");
  auto declined = quote("Q-NO", "declined");
  auto open = quote("Q-OPEN");
  auto theirs = quote("Q-B", "sent", 10, "B");
  auto r = accept(bob, expired);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["error"]["message"], "This quote has expired: request a new one");
  EXPECT_EQ(accept(bob, draft).status, 404);  // a draft is the vendor's
  EXPECT_EQ(accept(bob, declined).status, 409);
  EXPECT_EQ(accept(bob, theirs).status, 404);
  r = accept(bob, open, {{"name", "  "}, {"terms_accepted", true}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "name");
  r = accept(bob, open, {{"name", "Bob"}, {"terms_accepted", false}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "terms_accepted");
  r = accept(bob, open, {{"name", "Bob"}});
  EXPECT_EQ(r.json()["error"]["field"], "terms_accepted");
  // Reading quotes is not deciding on them.
  setBob({{"role", "read_only"}});
  EXPECT_EQ(accept(bob, open).status, 403);
  EXPECT_EQ(call("GET", path("quotes", open), bob).json()["may_decide"], false);
  EXPECT_EQ(accept(support, open).status, 403);  // the vendor's support staff read
  // Nor does the vendor's administrator sign for the customer.
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
  EXPECT_EQ(accept(admin, open).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/quote-requests", admin, {{"company_id", company}, {"text", "x"}})
                .status,
            403);
  EXPECT_EQ(call("GET", path("quotes", open), ada).json()["status"], "sent");
  EXPECT_TRUE(events("quote.accepted").empty());
}

TEST_F(DocumentQuoteTest, AQuoteTheErpRewroteBeforeItsAcceptancePrintsAnew) {
  auto id = quote("Q-1");
  auto first = call("GET", path("quotes", id) + "/pdf", bob).header("etag");
  upsert("quotes", {{"external_id", "Q-1"},
                    {"company_external_id", "A"},
                    {"number", "Q-1"},
                    {"currency", "SEK"},
                    {"status", "sent"},
                    {"valid_until", day(10)},
                    {"lines", {{{"description", "Pump"}, {"unit_price", "1500.00"}}}}});
  auto second = call("GET", path("quotes", id) + "/pdf", bob).header("etag");
  EXPECT_NE(first, second);
  auto r = accept(bob, id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ("\"" + r.json()["decision"]["pdf_sha256"].get<std::string>() + "\"", second);
}

TEST_F(DocumentQuoteTest, AcceptingNeedsAFreshSecondFactor) {
  auto id = quote("Q-1");
  server.clock().advance(6 * 60);
  auto r = accept(bob, id);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorCode(), "step_up_required");
  EXPECT_EQ(call("GET", path("quotes", id), bob).json()["status"], "sent");
  ASSERT_EQ(
      call("POST", "/api/v1/auth/step-up", bob, {{"code", server.totpCode(bob_secret)}}).status,
      200);
  EXPECT_EQ(accept(bob, id).status, 200);
}

TEST_F(DocumentQuoteTest, DecliningNeedsAReasonThatTheErpHears) {
  auto id = quote("Q-1");
  auto r = call("POST", path("quotes", id) + "/decline", bob, {{"reason", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "reason");
  r = call("POST", path("quotes", id) + "/decline", bob, {{"reason", "Too expensive for now."}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "declined");
  EXPECT_EQ(r.json()["decision"]["reason"], "Too expensive for now.");
  auto events = this->events("quote.declined");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["reason"], "Too expensive for now.");
}

TEST_F(DocumentQuoteTest, ACustomerRequestsANewQuote) {
  auto r = call("POST", "/api/v1/quote-requests", bob,
                {{"company_id", company}, {"text", "Two more purifiers for Malmö, in March."}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["status"], "requested");
  EXPECT_EQ(r.json()["company_name"], "Company A");
  auto events = this->events("quote.requested");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["text"], "Two more purifiers for Malmö, in March.");
  EXPECT_EQ(events[0]["company_external_id"], "A");
  struct Bad {
    json body;
    std::string field;
    long status;
  };
  for (const auto& b : std::vector<Bad>{
           {{{"company_id", company}, {"text", ""}}, "text", 400},
           {{{"text", "x"}}, "company_id", 400},
           {{{"company_id", company}, {"text", "x"}, {"lines", {{{"product_id", 999}}}}},
            "lines[0].product_id",
            400},
           {{{"company_id", company},
             {"text", "x"},
             {"lines", {{{"product_id", 1}, {"quantity", "0"}}}}},
            "lines[0].quantity",
            400},
           {{{"company_id", other_company}, {"text", "x"}}, "", 404},
       }) {
    SCOPED_TRACE(b.body.dump());
    r = call("POST", "/api/v1/quote-requests", bob, b.body);
    EXPECT_EQ(r.status, b.status) << r.body;
    if (!b.field.empty()) {
      EXPECT_EQ(r.json()["error"]["field"], b.field);
    }
  }
  setBob({{"role", "read_only"}});
  EXPECT_EQ(
      call("POST", "/api/v1/quote-requests", bob, {{"company_id", company}, {"text", "x"}}).status,
      403);
  EXPECT_EQ(this->events("quote.requested").size(), 1u);
}

TEST_F(DocumentQuoteTest, ThePagesAcceptAQuoteAfterTheStepUpPrompt) {
  auto id = quote("Q-1");
  auto b = signIn("bob@a.example", bob_secret);
  auto page = b.get("/quotes/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "action=\"/quotes/" + std::to_string(id) + "/accept\""));
  // Without the terms: the page again, saying so.
  auto r = b.submit("/quotes/" + std::to_string(id) + "/accept", {{"name", "Bob Member"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Accept the terms to accept the quote"));
  server.clock().advance(6 * 60);
  r = b.submit("/quotes/" + std::to_string(id) + "/accept",
               {{"name", "Bob Member"}, {"terms", "1"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(has(r.body, "Confirm it is you"));
  r = b.submit(
      "/quotes/" + std::to_string(id) + "/accept",
      {{"name", "Bob Member"}, {"terms", "1"}, {"step_up_code", server.totpCode(bob_secret)}});
  EXPECT_EQ(r.status, 303) << r.body;
  page = b.get("/quotes/" + std::to_string(id));
  EXPECT_TRUE(has(page.body, "Bob Member accepted this quote on"));
  EXPECT_TRUE(has(page.body, "You accepted quote Q-1."));
  EXPECT_FALSE(has(page.body, "/accept\""));
  // A request for a new one.
  page = b.get("/quotes");
  EXPECT_TRUE(has(page.body, "href=\"/quote-requests/new\""));
  r = b.submit("/quote-requests/new", {{"company_id", std::to_string(company)}, {"text", ""}});
  EXPECT_EQ(r.status, 400);
  r = b.submit("/quote-requests/new",
               {{"company_id", std::to_string(company)}, {"text", "Filters for next year."}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(events("quote.requested").size(), 1u);
}

}  // namespace
}  // namespace portico::testing
