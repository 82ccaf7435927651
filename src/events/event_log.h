#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "events/events_repository.h"
#include "jobs/queue.h"

namespace portico::events {

// The event types an ERP may read and subscribe to (PRODUCT.md's list, and device.updated: a
// customer renamed a device or moved it to another site). Later modules emit the ones that are
// not emitted yet.
const std::vector<std::string_view>& eventTypes();
bool isEventType(std::string_view type);

inline constexpr std::string_view kWebhookJob = "webhook";  // payload: the delivery's id

// Webhook retries: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (each ±20 %),
// then failed.
jobs::RetryPolicy webhookRetryPolicy();

// What a change reports.
struct NewEvent {
  core::OrgId org;
  std::string type;  // one of eventTypes()
  std::optional<core::CompanyId> company;
  std::string subject_type;  // "user"
  std::int64_t subject_id = 0;
  std::string data = "{}";  // a JSON object
};

// RFC 3339 in UTC with milliseconds: "2026-12-01T10:00:00.000Z".
std::string rfc3339(std::int64_t ms);

// A page of the event feed.
struct EventPage {
  std::vector<Event> items;
  std::int64_t next_after = 0;  // the last item's seq, or the `after` asked for if none
};

// The organization's events: written in the caller's transaction, with a delivery (and its job)
// for every enabled webhook endpoint of the organization that receives the type; read in seq
// order; kept 30 days. Thread-safe.
class EventLog {
 public:
  static constexpr std::int64_t kKeepMs = 30LL * 24 * 3600 * 1000;
  static constexpr int kMaxLimit = 500;

  EventLog(EventsRepository& repo, jobs::Queue& jobs, const core::Clock& clock)
      : repo_(repo), jobs_(jobs), clock_(clock) {}

  // Records the event inside the caller's open transaction: it commits, or vanishes, with the
  // change. Its id (evt_…). REQUIRES: isEventType(e.type).
  std::string record(const NewEvent& e);
  // Events of `org` after seq `after`, at most `limit` (1..kMaxLimit).
  EventPage after(core::OrgId org, std::int64_t after, int limit);
  // Deletes events older than kKeepMs. The number deleted.
  std::int64_t prune();

  // An event as the feed and webhooks show it: {seq, id, type, time, company_id,
  // company_external_id, subject, data}.
  static std::string itemJson(const Event& e);
  // The body of a webhook: {type, timestamp, data: itemJson}.
  static std::string webhookBody(const Event& e);

 private:
  EventsRepository& repo_;
  jobs::Queue& jobs_;
  const core::Clock& clock_;
};

}  // namespace portico::events
