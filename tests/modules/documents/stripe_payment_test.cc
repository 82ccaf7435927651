// Paying invoices through Stripe Checkout, against a fake Stripe on loopback that speaks its
// documented API: the session the portal makes (one, however often the create is retried), the
// signed webhook that is the source of truth (once, however often it comes; refused unsigned,
// wrongly signed or out of its 5 minutes), delayed payments, expired checkouts, Stripe away, and
// the reconcile round for a webhook that never came.
#include "modules/documents/document_fixture.h"
#include "support/fake_stripe.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

app::AppConfig withStripe(const FakeStripe& stripe) {
  app::AppConfig c;
  c.payments = "stripe";
  c.stripe_api_url = stripe.apiUrl();
  c.stripe_secret_key = FakeStripe::kSecretKey;
  c.stripe_webhook_secret = FakeStripe::kWebhookSecret;
  return c;
}

// The fake comes first: the portal's configuration names its port.
struct WithFakeStripe {
  FakeStripe stripe;
};

class StripePaymentTest : public WithFakeStripe, public DocumentTest {
 protected:
  StripePaymentTest() : DocumentTest(withStripe(stripe)) {}

  HttpResult pay(std::int64_t invoice_id) {
    return call("POST", path("invoices", invoice_id) + "/payments", bob);
  }
  // Bob pays: the checkout session it opened at Stripe.
  std::string opened(std::int64_t invoice_id) {
    auto r = pay(invoice_id);
    EXPECT_EQ(r.status, 201) << r.body;
    auto sessions = stripe.sessions();
    EXPECT_FALSE(sessions.empty());
    return sessions.empty() ? "" : sessions.back().id;
  }
  HttpResult webhook(const std::string& body, const std::string& signature) {
    std::vector<std::string> h = {"Content-Type: application/json; charset=utf-8"};
    if (!signature.empty()) h.push_back("Stripe-Signature: " + signature);
    return server.request("POST", "/api/v1/payments/stripe/webhook", body, h);
  }
  // Stripe sends the event of `type` about the session, signed now.
  HttpResult send(const std::string& event_id, const std::string& type, const std::string& id) {
    auto body = stripe.event(event_id, type, id);
    return webhook(body, FakeStripe::signature(body, server.clock().now()));
  }
  std::string status(std::int64_t invoice_id) {
    return call("GET", path("invoices", invoice_id), bob).json()["status"].get<std::string>();
  }
  void stepUp() {
    auto r = call("POST", "/api/v1/auth/step-up", bob, {{"code", server.totpCode(bob_secret)}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
};

TEST_F(StripePaymentTest, ACheckoutSessionIsPaidByItsSignedWebhookOnce) {
  auto id = invoice("S-1", {{"due_date", day(-3)}});
  auto r = pay(id);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["provider"], "stripe");
  EXPECT_EQ(j["status"], "open");
  auto sessions = stripe.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  const auto& s = sessions[0];
  EXPECT_EQ(j["checkout_url"], s.url);  // the payer goes to Stripe's page
  // The session as Stripe documents it: the outstanding amount in minor units, the currency in
  // lower case, the payment as reference, back to the invoice's page.
  EXPECT_EQ(s.form.at("mode"), "payment");
  EXPECT_EQ(s.form.at("line_items[0][price_data][currency]"), "sek");
  EXPECT_EQ(s.form.at("line_items[0][price_data][unit_amount]"), "124988");
  EXPECT_EQ(s.form.at("line_items[0][quantity]"), "1");
  EXPECT_EQ(s.form.at("line_items[0][price_data][product_data][name]"), "Invoice F-S-1");
  auto payment_id = std::to_string(j["payment_id"].get<std::int64_t>());
  EXPECT_EQ(s.form.at("client_reference_id"), payment_id);
  EXPECT_EQ(s.form.at("metadata[payment_id]"), payment_id);
  EXPECT_EQ(s.form.at("customer_email"), "bob@a.example");
  EXPECT_TRUE(s.form.at("success_url").ends_with("/invoices/" + std::to_string(id)));
  EXPECT_FALSE(s.idempotency_key.empty());
  auto calls = stripe.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].header("stripe-version"), "2024-06-20");
  EXPECT_EQ(events("invoice.payment_started").size(), 1u);
  EXPECT_EQ(pay(id).status, 409);  // one open payment at a time

  // The payer pays on Stripe's page; Stripe's event says so.
  stripe.setState(s.id, "complete", "paid");
  auto hook = send("evt_1", "checkout.session.completed", s.id);
  EXPECT_EQ(hook.status, 200) << hook.body;
  auto paid = call("GET", path("invoices", id), bob).json();
  EXPECT_EQ(paid["status"], "paid");
  EXPECT_EQ(paid["outstanding"]["amount"], "0.00");
  auto events = this->events("invoice.paid");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["provider"], "stripe");
  EXPECT_EQ(events[0]["data"]["provider_ref"], s.id);
  EXPECT_EQ(events[0]["data"]["amount"], "1249.88");
  // Stripe sends events again (the same one, or another about the same session): nothing moves.
  EXPECT_EQ(send("evt_1", "checkout.session.completed", s.id).status, 200);
  EXPECT_EQ(send("evt_2", "checkout.session.completed", s.id).status, 200);
  EXPECT_EQ(this->events("invoice.paid").size(), 1u);
  EXPECT_EQ(call("GET", path("invoices", id), bob).json()["paid"]["amount"], "1249.88");
  EXPECT_EQ(pay(id).status, 409);  // nothing left to pay
}

TEST_F(StripePaymentTest, AWebhookNotSignedWithTheEndpointsSecretWithinFiveMinutesChangesNothing) {
  auto id = invoice("S-2");
  auto session = opened(id);
  stripe.setState(session, "complete", "paid");
  auto body = stripe.event("evt_forged", "checkout.session.completed", session);
  auto now = server.clock().now();
  auto other = stripe.event("evt_other", "checkout.session.expired", session);
  for (const auto& sig : {std::string(),                                           // unsigned
                          FakeStripe::signature(body, now, "whsec_someone_else"),  // another secret
                          FakeStripe::signature(body, now - 301),                  // too old
                          FakeStripe::signature(body, now + 301),   // from the future
                          FakeStripe::signature(other, now),        // another body's
                          std::string("t=") + std::to_string(now),  // no v1
                          std::string("v1=abc,t=x"), std::string("nonsense")}) {
    SCOPED_TRACE(sig);
    auto r = webhook(body, sig);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.errorCode(), "invalid_input");
  }
  // Signed, but not an event at all.
  EXPECT_EQ(webhook("[1,2]", FakeStripe::signature("[1,2]", now)).status, 400);
  EXPECT_EQ(status(id), "issued");
  EXPECT_TRUE(events("invoice.paid").empty());
  EXPECT_EQ(pay(id).status, 409);  // still open
  // Just within the tolerance, and with a second signature of a rolled secret beside it.
  auto late = FakeStripe::signature(body, now - 299);
  auto rolled = FakeStripe::signature(body, now - 299, "whsec_the_old_one");
  EXPECT_EQ(webhook(body, rolled + "," + late.substr(late.find("v1="))).status, 200);
  EXPECT_EQ(status(id), "paid");
}

TEST_F(StripePaymentTest, ARetriedCreateMakesOneSessionAndStripeAwayFailsOnlyThatPayment) {
  auto id = invoice("S-3");
  stripe.failNext(1, 429);  // the rate limit: tried again with the same key
  auto r = pay(id);
  ASSERT_EQ(r.status, 201) << r.body;
  auto calls = stripe.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].header("idempotency-key"), calls[1].header("idempotency-key"));
  EXPECT_EQ(stripe.sessions().size(), 1u);

  auto other = invoice("S-4");
  stripe.failNext(1, 500);  // kept by Stripe for the key: not tried again with it
  r = pay(other);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.errorCode(), "unavailable");
  EXPECT_EQ(stripe.calls().size(), 3u);
  EXPECT_EQ(stripe.sessions().size(), 1u);
  EXPECT_EQ(status(other), "issued");
  // Nothing was charged; the failed payment blocks no other: the next try opens a session, with
  // a key of its own.
  r = pay(other);
  ASSERT_EQ(r.status, 201) << r.body;
  auto sessions = stripe.sessions();
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_NE(sessions[0].idempotency_key, sessions[1].idempotency_key);
}

TEST_F(StripePaymentTest, TheReconcileRoundSettlesCheckoutsWhoseWebhookNeverCame) {
  // The oldest: a session Stripe does not know (made with another account's key).
  auto unknown = invoice("R-0");
  opened(unknown);
  server.sql("UPDATE payments SET provider_ref = 'cs_test_gone' WHERE provider_ref = ?",
             {stripe.sessions().back().id});
  auto paid = invoice("R-1");
  auto expired = invoice("R-2");
  auto waiting = invoice("R-3");
  auto paid_session = opened(paid);
  auto expired_session = opened(expired);
  opened(waiting);
  stripe.setState(paid_session, "complete", "paid");
  stripe.setState(expired_session, "expired", "unpaid");
  auto asked = [&] {
    int n = 0;
    for (const auto& c : stripe.calls()) n += c.method == "GET";
    return n;
  };
  // Within its first ten minutes a checkout is left to its webhook.
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(asked(), 0);
  EXPECT_EQ(status(paid), "issued");

  server.clock().advance(11 * 60);
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(asked(), 4);  // the unknown one blocks none of the others
  EXPECT_EQ(status(paid), "paid");
  EXPECT_EQ(events("invoice.paid").size(), 1u);
  stepUp();
  EXPECT_EQ(pay(expired).status, 201);  // its checkout ended: it may be paid again
  EXPECT_EQ(pay(waiting).status, 409);  // still open at Stripe
  // The webhook that comes after all changes nothing.
  EXPECT_EQ(send("evt_late", "checkout.session.completed", paid_session).status, 200);
  EXPECT_EQ(events("invoice.paid").size(), 1u);
  // The next round asks again only about what is still open and was not asked just now.
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(asked(), 4);
  // Stripe away: the round stops after three unanswered questions and changes nothing.
  server.clock().advance(11 * 60);
  stripe.failNext(10, 500);
  server.app().jobRunner().runHousekeeping();
  EXPECT_EQ(asked(), 7);
  EXPECT_EQ(pay(waiting).status, 409);
  // Past any checkout's life, a payment Stripe cannot tell about is failed (its invoice may be
  // paid again).
  stripe.failNext(0);
  for (int i = 0; i < 5; ++i) {
    server.clock().advance(12 * 3600);
    server.app().jobRunner().runHousekeeping();
  }
  storage::Query q(server.app().db().connection(),
                   "SELECT status FROM payments WHERE provider_ref = 'cs_test_gone'");
  ASSERT_TRUE(q.next());
  EXPECT_EQ(q.getText(0), "failed");
}

TEST_F(StripePaymentTest, ADelayedPaymentIsPaidWhenItSucceedsAndAFailedOrExpiredOneMayBeRetried) {
  auto id = invoice("D-1");
  auto session = opened(id);
  // Completed with the money still on its way (a bank debit): still open.
  stripe.setState(session, "complete", "unpaid");
  EXPECT_EQ(send("evt_c1", "checkout.session.completed", session).status, 200);
  EXPECT_EQ(status(id), "issued");
  EXPECT_EQ(pay(id).status, 409);
  stripe.setState(session, "complete", "paid");
  EXPECT_EQ(send("evt_s1", "checkout.session.async_payment_succeeded", session).status, 200);
  EXPECT_EQ(status(id), "paid");

  auto failing = invoice("D-2");
  session = opened(failing);
  stripe.setState(session, "complete", "unpaid");
  EXPECT_EQ(send("evt_c2", "checkout.session.completed", session).status, 200);
  EXPECT_EQ(send("evt_f2", "checkout.session.async_payment_failed", session).status, 200);
  EXPECT_EQ(status(failing), "issued");
  EXPECT_EQ(pay(failing).status, 201);

  auto left = invoice("D-3");
  session = opened(left);
  stripe.setState(session, "expired", "unpaid");
  EXPECT_EQ(send("evt_e3", "checkout.session.expired", session).status, 200);
  EXPECT_EQ(pay(left).status, 201);
  EXPECT_EQ(events("invoice.paid").size(), 1u);
}

TEST_F(StripePaymentTest, EventsAboutNothingOfOursAreAnsweredAndChangeNothing) {
  auto id = invoice("N-1");
  opened(id);
  // Another system's session on the same Stripe account, and an event of another kind.
  EXPECT_EQ(send("evt_n1", "checkout.session.completed", "cs_test_not_ours").status, 200);
  auto body = json{{"id", "evt_n2"},
                   {"object", "event"},
                   {"type", "payment_intent.succeeded"},
                   {"data", {{"object", {{"id", "pi_1"}, {"object", "payment_intent"}}}}}}
                  .dump();
  EXPECT_EQ(webhook(body, FakeStripe::signature(body, server.clock().now())).status, 200);
  EXPECT_EQ(status(id), "issued");
  EXPECT_TRUE(events("invoice.paid").empty());
  // The webhook of a provider the portal does not use.
  EXPECT_EQ(server
                .request("POST", "/api/v1/payments/demo/webhook", body,
                         {"Content-Type: application/json"})
                .status,
            404);
}

TEST_F(StripePaymentTest, TheCheckoutNamesTheInvoiceInThePayersLanguage) {
  ASSERT_EQ(call("PATCH", "/api/v1/me", bob, {{"language", "sv"}}).status, 200);
  opened(invoice("L-1"));
  EXPECT_EQ(stripe.sessions().back().form.at("line_items[0][price_data][product_data][name]"),
            "Faktura F-L-1");
}

TEST_F(StripePaymentTest, AnInvoiceTheErpSettlesMeanwhileHasItsCheckoutClosedAtStripe) {
  auto voided = invoice("V-1");
  auto voided_session = opened(voided);
  auto by_bank = invoice("B-1");
  auto by_bank_session = opened(by_bank);
  auto finished = invoice("F-1");
  auto finished_session = opened(finished);
  stripe.setState(finished_session, "complete", "paid");  // paid, its webhook not yet in
  invoice("V-1", {{"status", "void"}});
  invoice("B-1", {{"status", "paid"}, {"paid", "1249.88"}});
  invoice("F-1", {{"status", "credited"}});
  stripe.failNext(2, 503);  // Stripe away at first: the job is retried
  server.app().jobRunner().runDue();
  server.clock().advance(60);  // past the first retry's wait
  server.app().jobRunner().runDue();
  auto state = [&](const std::string& id) {
    for (const auto& s : stripe.sessions()) {
      if (s.id == id) return s.status;
    }
    return std::string();
  };
  EXPECT_EQ(state(voided_session), "expired");
  EXPECT_EQ(state(by_bank_session), "expired");
  EXPECT_EQ(state(finished_session), "complete");  // nothing left to close
  // A late event about any of them changes nothing.
  for (const auto& s : {voided_session, by_bank_session, finished_session}) {
    EXPECT_EQ(send("evt_" + s, "checkout.session.completed", s).status, 200);
  }
  EXPECT_TRUE(events("invoice.paid").empty());
  EXPECT_EQ(status(voided), "void");
  EXPECT_EQ(status(by_bank), "paid");
  EXPECT_EQ(status(finished), "credited");
  // The money Stripe took for the credited one is not lost without a word: the audit says so.
  auto admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
  auto log = call("GET", "/api/v1/staff/audit?event=invoice.payment_refused", admin).json();
  ASSERT_EQ(log["items"].size(), 1u) << log.dump();
  EXPECT_NE(log["items"][0].dump().find("F-F-1"), std::string::npos) << log.dump();
}

TEST_F(StripePaymentTest, AnInvoiceSettledWhileItsCheckoutOpensIsNotPaidThroughIt) {
  auto id = invoice("W-1");
  stripe.beforeCreate([&] { invoice("W-1", {{"status", "void"}}); });
  auto r = pay(id);
  EXPECT_EQ(r.status, 409) << r.body;
  ASSERT_EQ(stripe.sessions().size(), 1u);
  server.app().jobRunner().runDue();
  EXPECT_EQ(stripe.sessions()[0].status, "expired");
}

TEST(StripeConfigTest, StripeWithoutItsSecretsOrOverHttpDoesNotStart) {
  app::AppConfig c;
  c.payments = "stripe";
  c.stripe_secret_key = FakeStripe::kSecretKey;  // the webhook's secret missing
  EXPECT_THROW(TestServer server(c), std::runtime_error);
  // Nor with an API in clear, where the secret key would travel.
  c.stripe_webhook_secret = FakeStripe::kWebhookSecret;
  c.stripe_api_url = "http://api.stripe.example";
  EXPECT_THROW(TestServer server(c), std::runtime_error);
}

}  // namespace
}  // namespace portico::testing
