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

// A way to pay invoices. The provider's own event (a webhook, the demo page's button) is the
// source of truth that a payment is made; PaymentService::complete records it once.
class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string_view name() const = 0;
  // Opens a checkout. Unavailable when the provider cannot be reached (nothing was charged).
  virtual core::Result<Checkout> start(const CheckoutRequest& request) = 0;
};

// Bank transfer: the invoice's page shows the organization's payment details and the payment
// reference; the payment is paid when the ERP says the invoice is (its upsert).
class ManualProvider final : public PaymentProvider {
 public:
  std::string_view name() const override { return "manual"; }
  core::Result<Checkout> start(const CheckoutRequest& request) override;
};

// A local checkout page, clearly marked as a test, where the payer presses "Pay" or "Cancel"
// (portico demo, the tests): GET /pay/demo/{token}.
class DemoProvider final : public PaymentProvider {
 public:
  std::string_view name() const override { return "demo"; }
  core::Result<Checkout> start(const CheckoutRequest& request) override;
};

}  // namespace portico::documents
