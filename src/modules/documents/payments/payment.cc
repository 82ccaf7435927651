#include "modules/documents/payments/payment.h"

#include "core/random.h"

namespace portico::documents {

core::Result<ProviderEvent> PaymentProvider::webhook(std::string_view, std::string_view,
                                                     std::int64_t) const {
  return core::fail(core::Error::notFound("errors.payments.no_webhook"));
}

core::Result<Checkout> ManualProvider::start(const CheckoutRequest& request) {
  return Checkout{"manual-" + std::to_string(request.payment_id),
                  "/payments/" + std::to_string(request.payment_id)};
}

core::Result<Checkout> DemoProvider::start(const CheckoutRequest&) {
  auto token = core::randomToken(24);
  return Checkout{token, "/pay/demo/" + token};
}

core::Result<CheckoutState> DemoProvider::poll(const Payment& payment, std::int64_t now) {
  return now - payment.created_at >= kLifetimeS ? CheckoutState::Expired : CheckoutState::Open;
}

}  // namespace portico::documents
