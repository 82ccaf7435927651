#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/money.h"
#include "core/result.h"

namespace portico::documents {

// A payment of an invoice: one checkout through a provider.
struct Payment {
  std::int64_t id = 0;
  core::OrgId org_id;
  core::CompanyId company_id;
  core::DocumentId document_id;
  std::string provider;  // "manual", "demo", "stripe"
  std::string status;    // "open", "paid", "failed", "cancelled"
  core::Money amount;
  std::string provider_ref;
  std::string checkout_url;
  std::optional<core::UserId> user;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> paid_at;
};

// What a provider needs to open a checkout.
struct CheckoutRequest {
  std::int64_t payment_id = 0;
  core::Money amount;
  std::string description;      // "Invoice F-1001"
  std::string reference;        // the invoice's payment reference
  std::string return_url;       // where the payer comes back to (the invoice's page)
  std::string idempotency_key;  // the same key for a retried request: one checkout
  std::string payer_email;
};

// An opened checkout: the provider's id of it and where the payer goes.
struct Checkout {
  std::string provider_ref;
  std::string checkout_url;
};

// What has become of an opened checkout, as its provider says when asked.
enum class CheckoutState { Open, Paid, Expired, Failed };

// A provider's event about a checkout, read from its webhook once the signature was verified.
struct ProviderEvent {
  std::string id;  // the provider's id of the event: processed once
  std::string
      provider_ref;  // the checkout's (Checkout::provider_ref); empty: about nothing of ours
  // Open: nothing that changes the payment (a checkout completed with its money still on the way).
  CheckoutState state = CheckoutState::Open;
};

// A way to pay invoices. The provider's own event (a webhook, the demo page's button) is the
// source of truth that a payment is made; PaymentService::complete records it once. Blocking
// calls: never on an I/O thread.
class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string_view name() const = 0;
  // Opens a checkout. Unavailable when the provider cannot be reached (nothing was charged).
  virtual core::Result<Checkout> start(const CheckoutRequest& request) = 0;
  // Asks what has become of an open payment's checkout (the reconcile round, for a webhook that
  // never came). Unavailable when the provider cannot tell now.
  virtual core::Result<CheckoutState> poll(const Payment& payment, std::int64_t now) = 0;
  // Reads the provider's webhook: its signature header and its body as received, at `now`.
  // InvalidInput when unsigned, wrongly signed, out of its time tolerance or malformed; NotFound
  // for a provider that sends none.
  virtual core::Result<ProviderEvent> webhook(std::string_view signature, std::string_view body,
                                              std::int64_t now) const;
  // Closes an open checkout so that it can no longer be paid (the invoice was settled another
  // way). Done when it is closed or finished already (paid too: its event then reaches
  // PaymentService::complete, which audits it); Unavailable to be tried again.
  virtual core::Status close(const std::string& /*provider_ref*/) { return {}; }
  // The (lower-case) name of the webhook's signature header.
  virtual std::string_view signatureHeader() const { return "x-no-webhook"; }
};

// Bank transfer: the invoice's page shows the organization's payment details and the payment
// reference; the payment is paid when the ERP says the invoice is (its upsert).
class ManualProvider final : public PaymentProvider {
 public:
  std::string_view name() const override { return "manual"; }
  core::Result<Checkout> start(const CheckoutRequest& request) override;
  // Open until the ERP says the invoice is paid.
  core::Result<CheckoutState> poll(const Payment&, std::int64_t) override {
    return CheckoutState::Open;
  }
};

// A local checkout page, clearly marked as a test, where the payer presses "Pay" or "Cancel"
// (portico demo, the tests): GET /pay/demo/{token}. A checkout left alone expires after a day.
class DemoProvider final : public PaymentProvider {
 public:
  static constexpr std::int64_t kLifetimeS = 24 * 3600;
  std::string_view name() const override { return "demo"; }
  core::Result<Checkout> start(const CheckoutRequest& request) override;
  core::Result<CheckoutState> poll(const Payment& payment, std::int64_t now) override;
};

}  // namespace portico::documents
