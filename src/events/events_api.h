#pragma once

#include "events/event_log.h"
#include "events/webhooks.h"
#include "identity/guard.h"

namespace portico::events {

// The integration API's events and webhooks, for the organization of the caller's API key:
// GET /api/v1/integration/events?after=&limit=, and /api/v1/integration/webhooks (create, list,
// read, delete, rotate-secret, deliveries, replay).
void registerEventsApi(identity::GuardedRoutes& routes, EventLog& log, WebhookService& webhooks);

// An endpoint as the API shows it (no secret).
nlohmann::json endpointJson(const Endpoint& e);
nlohmann::json deliveryJson(const Delivery& d);

}  // namespace portico::events
