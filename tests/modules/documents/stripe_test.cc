// The Stripe adapter's own reading (payments/stripe.h): the Stripe-Signature check, the events it
// reads, and what a session's state and an event say of a payment.
#include "modules/documents/payments/stripe.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace portico::documents {
namespace {

const std::string kSecret = "whsec_unit_test_secret";
const std::string kBody = R"({"id":"evt_1","type":"checkout.session.completed"})";
constexpr std::int64_t kNow = 1'800'000'000;

// The v1 signature, computed with OpenSSL (not the code under test).
std::string v1(const std::string& body, std::int64_t t, const std::string& secret = kSecret) {
  std::string payload = std::to_string(t) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &n);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

bool verified(const std::string& header, const std::string& body = kBody) {
  return static_cast<bool>(verifyStripeSignature(header, body, kSecret, kNow));
}

TEST(StripeSignature, OneMatchingV1WithinTheToleranceIsGood) {
  auto t = std::to_string(kNow);
  EXPECT_TRUE(verified("t=" + t + ",v1=" + v1(kBody, kNow)));
  // Order, spaces, a v0 and a second v1 (a rolled secret) do not matter.
  EXPECT_TRUE(
      verified("v0=00,v1=" + std::string(64, 'a') + ", t=" + t + ", v1=" + v1(kBody, kNow)));
  EXPECT_TRUE(verified("t=" + std::to_string(kNow - 300) + ",v1=" + v1(kBody, kNow - 300)));
  EXPECT_TRUE(verified("t=" + std::to_string(kNow + 300) + ",v1=" + v1(kBody, kNow + 300)));
}

TEST(StripeSignature, AnythingElseIsRefused) {
  auto t = std::to_string(kNow);
  auto good = v1(kBody, kNow);
  EXPECT_FALSE(verified(""));
  EXPECT_FALSE(verified("t=" + t));                               // no v1
  EXPECT_FALSE(verified("v1=" + good));                           // no t
  EXPECT_FALSE(verified("t=" + t + ",v0=" + good));               // only the old scheme
  EXPECT_FALSE(verified("t=" + t + ",v1=" + good, kBody + " "));  // another body
  EXPECT_FALSE(verified("t=" + t + ",v1=" + v1(kBody, kNow, "whsec_other")));  // another secret
  EXPECT_FALSE(verified("t=" + std::to_string(kNow - 301) + ",v1=" + v1(kBody, kNow - 301)));
  EXPECT_FALSE(verified("t=" + std::to_string(kNow + 301) + ",v1=" + v1(kBody, kNow + 301)));
  EXPECT_FALSE(verified("t=" + t + ",t=" + t + ",v1=" + good));  // t twice
  EXPECT_FALSE(verified("t=-1,v1=" + good));
  EXPECT_FALSE(verified("t=99999999999999999999,v1=" + good));
  EXPECT_FALSE(verified("t=" + t + ",v1=" + good.substr(0, 63)));  // cut short
  EXPECT_FALSE(verified("t=" + t + ";v1=" + good));
  EXPECT_FALSE(static_cast<bool>(
      verifyStripeSignature("t=" + t + ",v1=" + good, kBody, "", kNow)));  // no secret set
}

TEST(StripeEvents, TheSessionAnEventIsAboutIsRead) {
  auto e = parseStripeEvent(
      R"({"id":"evt_9","object":"event","type":"checkout.session.completed","data":{"object":
         {"id":"cs_1","object":"checkout.session","status":"complete","payment_status":"paid"}}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, "evt_9");
  EXPECT_EQ(e->session_id, "cs_1");
  EXPECT_EQ(eventState(*e), CheckoutState::Paid);
  // Not a session: about nothing of ours.
  e = parseStripeEvent(
      R"({"id":"evt_8","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent"}}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->session_id, "");
  EXPECT_EQ(eventState(*e), CheckoutState::Open);
  EXPECT_FALSE(parseStripeEvent("not json"));
  EXPECT_FALSE(parseStripeEvent(R"({"type":"checkout.session.completed"})"));
  EXPECT_FALSE(parseStripeEvent(R"({"id":7,"type":"x"})"));
  EXPECT_FALSE(parseStripeEvent("[]"));
}

TEST(StripeEvents, WhatEachEventAndSessionStateSays) {
  StripeEvent e{"evt", "checkout.session.completed", "cs_1", "complete", "unpaid"};
  EXPECT_EQ(eventState(e), CheckoutState::Open);  // a delayed payment on its way
  e.payment_status = "no_payment_required";
  EXPECT_EQ(eventState(e), CheckoutState::Paid);
  e.type = "checkout.session.async_payment_succeeded";
  EXPECT_EQ(eventState(e), CheckoutState::Paid);
  e.type = "checkout.session.async_payment_failed";
  EXPECT_EQ(eventState(e), CheckoutState::Failed);
  e.type = "checkout.session.expired";
  EXPECT_EQ(eventState(e), CheckoutState::Expired);
  e.type = "customer.created";
  EXPECT_EQ(eventState(e), CheckoutState::Open);
  EXPECT_EQ(sessionState("open", "unpaid"), CheckoutState::Open);
  EXPECT_EQ(sessionState("complete", "paid"), CheckoutState::Paid);
  EXPECT_EQ(sessionState("complete", "unpaid"), CheckoutState::Open);
  EXPECT_EQ(sessionState("expired", "unpaid"), CheckoutState::Expired);
}

}  // namespace
}  // namespace portico::documents
