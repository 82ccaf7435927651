// Paying invoices: through the demo provider's test checkout (started, paid once however often
// its event comes, cancelled) and by bank transfer (paid when the ERP says so); one open payment
// an invoice, the refusals, the step-up, and invoice.payment_started and invoice.paid for the ERP.
#include "modules/documents/document_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

app::AppConfig withPayments(const std::string& provider) {
  app::AppConfig c;
  c.payments = provider;
  return c;
}

class DemoPaymentTest : public DocumentTest {
 protected:
  DemoPaymentTest() : DocumentTest(withPayments("demo")) {}
  HttpResult pay(const std::string& token, std::int64_t invoice_id) {
    return call("POST", path("invoices", invoice_id) + "/payments", token);
  }
  // The path of a checkout URL on the portal ("/pay/demo/…").
  std::string local(const std::string& url) {
    auto at = url.find("/pay/demo/");
    return at == std::string::npos ? url : url.substr(at);
  }
};

TEST_F(DemoPaymentTest, AnOverdueInvoiceIsPaidThroughTheTestCheckoutOnce) {
  auto id = invoice("OD-1", {{"due_date", day(-3)}});
  auto r = pay(bob, id);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["provider"], "demo");
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["amount"], (json{{"amount", "1249.88"}, {"currency", "SEK"}}));
  auto url = j["checkout_url"].get<std::string>();
  EXPECT_TRUE(url.starts_with("http://")) << url;
  EXPECT_EQ(pay(bob, id).status, 409);  // one open payment at a time
  auto started = events("invoice.payment_started");
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0]["data"]["amount"], "1249.88");

  auto b = signIn("bob@a.example", bob_secret);
  auto page = b.get(local(url));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("no money moves"), std::string::npos);
  auto done = b.submit(local(url), {{"action", "pay"}});
  EXPECT_EQ(done.status, 303) << done.body;
  auto paid = call("GET", path("invoices", id), bob).json();
  EXPECT_EQ(paid["status"], "paid");
  EXPECT_EQ(paid["outstanding"]["amount"], "0.00");
  EXPECT_EQ(paid["overdue"], false);
  ASSERT_EQ(paid["history"].size(), 1u);
  EXPECT_EQ(paid["history"][0]["by"], "Bob Member");
  // The provider's event again changes nothing.
  b.submit(local(url), {{"action", "pay"}});
  EXPECT_EQ(call("GET", path("invoices", id), bob).json()["paid"]["amount"], "1249.88");
  auto events = this->events("invoice.paid");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["status"], "paid");
  EXPECT_EQ(events[0]["data"]["external_id"], "OD-1");
  // Paid: nothing left to pay.
  EXPECT_EQ(pay(bob, id).status, 409);
  // The ERP's next sync, before it read invoice.paid, does not undo the payment.
  invoice("OD-1", {{"due_date", day(-3)}, {"status", "issued"}});
  auto synced = call("GET", path("invoices", id), bob).json();
  EXPECT_EQ(synced["status"], "paid");
  EXPECT_EQ(synced["outstanding"]["amount"], "0.00");
  EXPECT_EQ(pay(bob, id).status, 409);
}

TEST_F(DemoPaymentTest, AnInvoiceVoidedDuringItsCheckoutIsNotPaid) {
  auto id = invoice("VD-1");
  auto r = pay(bob, id);
  ASSERT_EQ(r.status, 201) << r.body;
  auto url = local(r.json()["checkout_url"].get<std::string>());
  invoice("VD-1", {{"status", "void"}});  // the open checkout is cancelled with it
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_EQ(b.submit(url, {{"action", "pay"}}).status, 409);
  auto j = call("GET", path("invoices", id), bob).json();
  EXPECT_EQ(j["status"], "void");
  EXPECT_EQ(j["outstanding"]["amount"], "0.00");  // nothing to pay on a void invoice
  EXPECT_TRUE(events("invoice.paid").empty());
}

TEST_F(DemoPaymentTest, TheVendorsStaffNeverPayForTheCustomer) {
  auto id = invoice("ST-1");
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
  EXPECT_EQ(pay(admin, id).status, 403);
  EXPECT_EQ(call("GET", path("invoices", id), admin).json()["status"], "issued");
}

TEST_F(DemoPaymentTest, APartlyPaidInvoicePaysWhatIsLeftAndACancelledCheckoutMayBeRetried) {
  auto id = invoice("PP-1", {{"status", "partially_paid"}, {"paid", "1000.00"}});
  auto r = pay(bob, id);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["amount"]["amount"], "249.88");
  auto b = signIn("bob@a.example", bob_secret);
  auto url = local(r.json()["checkout_url"].get<std::string>());
  EXPECT_EQ(b.submit(url, {{"action", "cancel"}}).status, 303);
  EXPECT_EQ(call("GET", path("invoices", id), bob).json()["status"], "partially_paid");
  r = pay(bob, id);
  ASSERT_EQ(r.status, 201) << r.body;
  b.submit(local(r.json()["checkout_url"].get<std::string>()), {{"action", "pay"}});
  auto j = call("GET", path("invoices", id), bob).json();
  EXPECT_EQ(j["status"], "paid");
  EXPECT_EQ(j["paid"]["amount"], "1249.88");
}

TEST_F(DemoPaymentTest, OnlyThoseWhoMayPayAnUnpaidInvoicePay) {
  auto id = invoice("I-1");
  auto theirs = invoice("B-1", {{"company_external_id", "B"}});
  auto void_one = invoice("V-1", {{"status", "void"}});
  EXPECT_EQ(pay(bob, theirs).status, 404);
  EXPECT_EQ(pay(bob, void_one).status, 409);
  EXPECT_EQ(pay(support, id).status, 403);  // the vendor's support staff read invoices
  setBob({{"role", "read_only"}});
  EXPECT_EQ(pay(bob, id).status, 403);
  setBob({{"role", "user"}});
  server.clock().advance(6 * 60);
  auto r = pay(bob, id);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorCode(), "step_up_required");
  EXPECT_TRUE(events("invoice.payment_started").empty());
  // Someone else's checkout is not theirs to see.
  ASSERT_EQ(
      call("POST", "/api/v1/auth/step-up", bob, {{"code", server.totpCode(bob_secret)}}).status,
      200);
  r = pay(bob, id);
  ASSERT_EQ(r.status, 201);
  auto url = local(r.json()["checkout_url"].get<std::string>());
  std::string carl_secret;
  auto other = member("carl@a.example", &carl_secret);
  auto c = signIn("carl@a.example", carl_secret);
  EXPECT_EQ(c.get(url).status, 404);
  EXPECT_EQ(c.submit(url, {{"action", "pay"}}).status, 404);
  EXPECT_EQ(call("GET", path("invoices", id), bob).json()["status"], "issued");
}

class ManualPaymentTest : public DocumentTest {};

TEST_F(ManualPaymentTest, ABankTransferShowsThePaymentDetailsAndIsPaidWhenTheErpSaysSo) {
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
  ASSERT_EQ(call("PUT", "/api/v1/staff/document-settings", admin,
                 {{"legal_name", "Vendor Vatten AB"}, {"payment_details", "Bankgiro 5050-1055"}})
                .status,
            200);
  auto id = invoice("M-1", {{"payment_reference", "7350012345"}});
  auto r = call("POST", path("invoices", id) + "/payments", bob);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["provider"], "manual");
  auto url = r.json()["checkout_url"].get<std::string>();
  auto at = url.find("/payments/");
  ASSERT_NE(at, std::string::npos) << url;
  auto b = signIn("bob@a.example", bob_secret);
  auto page = b.get(url.substr(at));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Bankgiro 5050-1055"), std::string::npos);
  EXPECT_NE(page.body.find("7350012345"), std::string::npos);
  EXPECT_NE(page.body.find("1,249.88"), std::string::npos);
  // The ERP's word that it is paid closes the payment; there is nothing more to pay.
  invoice("M-1", {{"status", "paid"}, {"paid", "1249.88"}, {"payment_reference", "7350012345"}});
  page = b.get(url.substr(at));
  EXPECT_NE(page.body.find("Paid"), std::string::npos);
  EXPECT_EQ(page.body.find("Bankgiro 5050-1055"), std::string::npos);
  EXPECT_EQ(call("POST", path("invoices", id) + "/payments", bob).status, 409);
  EXPECT_TRUE(events("invoice.paid").empty());  // the ERP knows already
}

}  // namespace
}  // namespace portico::testing
