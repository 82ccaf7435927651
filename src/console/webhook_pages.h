#pragma once

#include <memory>

#include "access/staff_routes.h"
#include "events/webhooks.h"
#include "web/views.h"

namespace portico::console {

// The staff console's webhook pages (staff administrators: StaffCapability::Integration):
// /staff/webhooks lists the organization's endpoints with their status and adds one (its secret
// shown once, on the answer of the form); /staff/webhooks/{id} shows an endpoint's deliveries
// (status, answer code, attempts, time) with a Replay button each, and deletes the endpoint
// after the confirmation step. Work without JavaScript. Returns the pages' state, which must
// outlive the routes.
std::shared_ptr<void> registerWebhookPages(access::StaffRoutes& routes,
                                           events::WebhookService& webhooks,
                                           const web::Views& views);

}  // namespace portico::console
