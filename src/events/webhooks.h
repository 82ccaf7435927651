#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "events/event_log.h"
#include "events/events_repository.h"
#include "identity/identity_service.h"
#include "identity/secret_box.h"
#include "jobs/runner.h"
#include "notify/webhook_client.h"

namespace portico::events {

// Standard Webhooks signing: "v1," + base64(HMAC-SHA256(key, "msg_id.timestamp.body")), keyed
// with the bytes of a "whsec_<base64>" secret. nullopt if the secret is not one.
std::optional<std::string> signature(const std::string& whsec, const std::string& message_id,
                                     std::int64_t timestamp_s, const std::string& body);
// A new secret: "whsec_" and the base64 of 24 random bytes.
std::string newSecret();

struct NewEndpoint {
  std::string url;
  std::vector<std::string> events;
};

// An endpoint with its secret in the clear: only the answer that creates or rotates it.
struct EndpointWithSecret {
  Endpoint endpoint;
  std::string secret;
};

// An organization's webhook endpoints and their deliveries: the API and the console page alike.
// Another organization's endpoint or delivery is NotFound. Deliveries run as jobs (kWebhookJob)
// on the runner's workers through deliver(). Thread-safe.
class WebhookService {
 public:
  static constexpr std::size_t kMaxEndpoints = 20;
  static constexpr std::int64_t kPreviousSecretMs = 24LL * 3600 * 1000;

  WebhookService(EventsRepository& repo, jobs::Queue& jobs, const identity::SecretBox& secrets,
                 identity::IdentityService& identity, const notify::WebhookClient& client,
                 audit::AuditLog& audit, const core::Clock& clock, bool allow_private)
      : repo_(repo),
        jobs_(jobs),
        audit_(audit),
        secrets_(secrets),
        identity_(identity),
        client_(client),
        clock_(clock),
        allow_private_(allow_private) {}

  // InvalidInput naming "url" (notify::checkWebhookUrl) or "events" (none, or an unknown type);
  // Conflict past kMaxEndpoints. Changes are audited with `actor` (webhook.*).
  core::Result<EndpointWithSecret> create(core::OrgId org, const NewEndpoint& e,
                                          const audit::Actor& actor);
  std::vector<Endpoint> list(core::OrgId org);
  core::Result<Endpoint> find(core::OrgId org, std::int64_t id);
  core::Status remove(core::OrgId org, std::int64_t id, const audit::Actor& actor);
  // A new secret; the old one keeps signing beside it for kPreviousSecretMs.
  core::Result<EndpointWithSecret> rotate(core::OrgId org, std::int64_t id,
                                          const audit::Actor& actor);
  // The endpoint's deliveries, newest first, with ids below `before` (0: from the newest).
  core::Result<std::vector<Delivery>> deliveries(core::OrgId org, std::int64_t endpoint,
                                                 std::int64_t before, int limit);
  // Sends the delivery's message again (the same webhook-id), as a new job. Conflict if the
  // endpoint is disabled.
  core::Result<Delivery> replay(core::OrgId org, std::int64_t endpoint, std::int64_t delivery,
                                const audit::Actor& actor);

  // The job handler: one attempt of one delivery. 2xx: delivered. 410: the endpoint is disabled,
  // the organization's staff administrators are mailed, the job fails. A refused address fails
  // at once. Anything else is retried (after Retry-After, if the receiver gave one).
  jobs::Outcome deliver(const jobs::Job& job);
  // Registers deliver() for kWebhookJob, and the event feed's pruning as a periodic task.
  void registerWith(jobs::Runner& runner, EventLog& log);

 private:
  core::Result<Endpoint> owned(core::OrgId org, std::int64_t id);

  EventsRepository& repo_;
  jobs::Queue& jobs_;
  audit::AuditLog& audit_;
  const identity::SecretBox& secrets_;
  identity::IdentityService& identity_;
  const notify::WebhookClient& client_;
  const core::Clock& clock_;
  bool allow_private_;
};

}  // namespace portico::events
