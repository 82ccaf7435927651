#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/documents/payments/payment.h"
#include "notify/http_client.h"

namespace portico::documents {

// How the portal reaches the organization's Stripe account.
struct StripeConfig {
  std::string api_url = "https://api.stripe.com";
  std::string secret_key;      // "sk_live_…" or "sk_test_…"
  std::string webhook_secret;  // the endpoint's signing secret, "whsec_…"
};

// The Stripe-Signature header's check: "t=<unix time>,v1=<hex>[,v1=…][,v0=…]", where a v1 is
// the hex HMAC-SHA256, keyed with `secret`, of "<t>.<body>". Good when one v1 matches (in
// constant time) and t is within `tolerance_s` of `now` either way. InvalidInput otherwise.
core::Status verifyStripeSignature(std::string_view header, std::string_view body,
                                   std::string_view secret, std::int64_t now,
                                   std::int64_t tolerance_s = 300);

// What the portal reads of a Stripe event: its id and type, and the Checkout Session it is about.
struct StripeEvent {
  std::string id;              // "evt_…"
  std::string type;            // "checkout.session.completed", …
  std::string session_id;      // data.object.id when data.object is a checkout.session, else ""
  std::string status;          // the session's: open, complete, expired
  std::string payment_status;  // the session's: paid, unpaid, no_payment_required
};
// nullopt when `body` is not a Stripe event (not JSON, no id or type).
std::optional<StripeEvent> parseStripeEvent(std::string_view body);

// What a Checkout Session's status and payment_status say of its payment.
CheckoutState sessionState(std::string_view status, std::string_view payment_status);
// What an event says: paid (completed and paid, or a delayed payment that succeeded), expired,
// failed (a delayed payment that failed); Open for anything else (nothing changes).
CheckoutState eventState(const StripeEvent& event);

// Stripe Checkout over its HTTPS API: a Checkout Session per payment, created with the payment's
// idempotency key (a retried create makes no second session); the checkout.session.* webhooks,
// verified by their Stripe-Signature, say when it is paid; poll() retrieves a session for the
// reconcile round. Thread-safe.
class StripeProvider final : public PaymentProvider {
 public:
  static constexpr std::string_view kApiVersion = "2024-06-20";
  StripeProvider(StripeConfig config, const notify::HttpClient& http)
      : config_(std::move(config)), http_(http) {}
  std::string_view name() const override { return "stripe"; }
  core::Result<Checkout> start(const CheckoutRequest& request) override;
  core::Result<CheckoutState> poll(const Payment& payment, std::int64_t now) override;
  core::Result<ProviderEvent> webhook(std::string_view signature, std::string_view body,
                                      std::int64_t now) const override;
  std::string_view signatureHeader() const override { return "stripe-signature"; }
  // POST /v1/checkout/sessions/{id}/expire; a session that is no longer open is done.
  core::Status close(const std::string& provider_ref) override;

 private:
  // Sends a call to the API (twice when the first gets no answer, a 409 or a 429; the
  // idempotency key makes that safe). The answer's JSON, or Unavailable.
  core::Result<std::string> call(notify::HttpCall call) const;

  StripeConfig config_;
  const notify::HttpClient& http_;
};

}  // namespace portico::documents
