#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/documents/document_settings/document_settings.h"
#include "modules/documents/payments/payment_service.h"
#include "web/views.h"

namespace portico::documents {

// Paying invoices:
//   POST /api/v1/invoices/{id}/payments: 201 {payment_id, checkout_url, provider, status,
//        amount} (PaymentService::start; 409 with an open payment already; step-up applies)
//   POST /invoices/{id}/pay (page): the same, then to the checkout
//   GET  /payments/{id} (page): a payment, with the bank-transfer instructions of a manual one
//   GET  /pay/demo/{token}, POST … (action=pay|cancel): the demo provider's test checkout
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerPaymentRoutes(identity::GuardedRoutes& routes, access::Policy& policy,
                                            PaymentService& payments, DocumentService& documents,
                                            DocumentSettingsService& settings,
                                            const web::Views& views);

}  // namespace portico::documents
