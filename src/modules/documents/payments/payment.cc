#include "modules/documents/payments/payment.h"

#include "core/random.h"

namespace portico::documents {

core::Result<Checkout> ManualProvider::start(const CheckoutRequest& request) {
  return Checkout{"manual-" + std::to_string(request.payment_id),
                  "/payments/" + std::to_string(request.payment_id)};
}

core::Result<Checkout> DemoProvider::start(const CheckoutRequest&) {
  auto token = core::randomToken(24);
  return Checkout{token, "/pay/demo/" + token};
}

}  // namespace portico::documents
