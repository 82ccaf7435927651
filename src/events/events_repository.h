#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "storage/db.h"

namespace portico::events {

// An event as stored; subject and data are JSON texts.
struct Event {
  std::int64_t seq = 0;
  std::string id;  // evt_…
  core::OrgId org_id;
  std::string type;
  std::optional<std::int64_t> company_id;
  std::optional<std::string> company_external_id;
  std::string subject;
  std::string data;
  std::int64_t created_at_ms = 0;
};

struct Endpoint {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string url;
  std::vector<std::string> events;
  std::string secret;                          // sealed
  std::optional<std::string> previous_secret;  // sealed
  std::optional<std::int64_t> previous_until_ms;
  std::optional<std::int64_t> disabled_at_ms;
  std::string disabled_reason;
  std::int64_t created_at_ms = 0;
};

struct Delivery {
  std::int64_t id = 0;
  std::int64_t endpoint_id = 0;
  std::int64_t event_seq = 0;
  std::string event_id;
  std::string event_type;
  std::string message_id;  // msg_…
  std::string status;      // pending | delivered | failed
  int attempts = 0;
  std::optional<std::int64_t> response_code;
  std::string last_error;
  std::optional<std::int64_t> last_attempt_at_ms;
  std::optional<std::int64_t> delivered_at_ms;
  std::int64_t created_at_ms = 0;
};

// A staff administrator to tell about an endpoint disabled.
struct Recipient {
  std::string email;
  std::string first_name;
  std::string language;
};

// Storage of events, webhook endpoints and their deliveries. Joins the calling thread's open
// transaction.
class EventsRepository {
 public:
  explicit EventsRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // The new event's seq.
  std::int64_t insertEvent(const Event& e);
  // The ERP's id of a company of `org`, if it has one.
  std::optional<std::string> companyExternalId(core::OrgId org, core::CompanyId company);
  // Up to `limit` events of `org` after `after`, by seq.
  std::vector<Event> eventsAfter(core::OrgId org, std::int64_t after, int limit);
  std::optional<Event> event(std::int64_t seq);
  // Deletes events created before `before_ms` (their deliveries with them). The number deleted.
  std::int64_t pruneEvents(std::int64_t before_ms);

  std::int64_t insertEndpoint(const Endpoint& e);
  // The endpoints of `org` (all, or only enabled ones), by id.
  std::vector<Endpoint> endpoints(core::OrgId org, bool enabled_only);
  std::optional<Endpoint> endpoint(std::int64_t id);
  bool deleteEndpoint(core::OrgId org, std::int64_t id);
  void rotateSecret(std::int64_t id, const std::string& secret, const std::string& previous,
                    std::int64_t previous_until_ms);
  void disableEndpoint(std::int64_t id, const std::string& reason, std::int64_t now_ms);

  std::int64_t insertDelivery(std::int64_t endpoint, std::int64_t event_seq,
                              const std::string& message_id, std::int64_t now_ms);
  std::optional<Delivery> delivery(std::int64_t id);
  // Deliveries of an endpoint, newest first, with an id below `before` (0: from the newest).
  std::vector<Delivery> deliveries(std::int64_t endpoint, std::int64_t before, int limit);
  // Records an attempt: its status, answer code (if any) and error.
  void recordAttempt(std::int64_t id, const std::string& status,
                     std::optional<std::int64_t> response_code, const std::string& error,
                     std::int64_t now_ms);
  // Makes a delivery pending again (a replay).
  void markPending(std::int64_t id);

  // The active staff administrators of `org`.
  std::vector<Recipient> staffAdministrators(core::OrgId org);

 private:
  storage::Db& db_;
};

}  // namespace portico::events
