#include "events/events_repository.h"

#include <nlohmann/json.hpp>

namespace portico::events {
namespace {

using storage::Query;

constexpr std::string_view kInsertEvent =
    "INSERT INTO events (id, org_id, type, company_id, company_external_id, subject, data,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kCompanyExternalId =
    "SELECT external_id FROM companies WHERE id = ? AND org_id = ?";
constexpr std::string_view kEventsAfter =
    "SELECT seq, id, org_id, type, company_id, company_external_id, subject, data, created_at"
    " FROM events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?";
constexpr std::string_view kEventBySeq =
    "SELECT seq, id, org_id, type, company_id, company_external_id, subject, data, created_at"
    " FROM events WHERE seq = ?";
constexpr std::string_view kPruneEvents = "DELETE FROM events WHERE created_at < ?";

constexpr std::string_view kInsertEndpoint =
    "INSERT INTO webhook_endpoints (org_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, "
    "?)";
constexpr std::string_view kEndpointsOfOrg =
    "SELECT id, org_id, url, events, secret, previous_secret, previous_until, disabled_at,"
    " disabled_reason, created_at FROM webhook_endpoints WHERE org_id = ?"
    " AND (? = 0 OR disabled_at IS NULL) ORDER BY id";
constexpr std::string_view kEndpointById =
    "SELECT id, org_id, url, events, secret, previous_secret, previous_until, disabled_at,"
    " disabled_reason, created_at FROM webhook_endpoints WHERE id = ?";
constexpr std::string_view kDeleteEndpoint =
    "DELETE FROM webhook_endpoints WHERE id = ? AND org_id = ?";
constexpr std::string_view kRotateSecret =
    "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_until = ? WHERE id = ?";
constexpr std::string_view kDisableEndpoint =
    "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ?"
    " WHERE id = ? AND disabled_at IS NULL";

constexpr std::string_view kInsertDelivery =
    "INSERT INTO webhook_deliveries (org_id, endpoint_id, event_seq, message_id, created_at)"
    " SELECT org_id, id, ?, ?, ? FROM webhook_endpoints WHERE id = ?";
constexpr std::string_view kDeliveryById =
    "SELECT d.id, d.endpoint_id, d.event_seq, e.id, e.type, d.message_id, d.status, d.attempts,"
    " d.response_code, d.last_error, d.last_attempt_at, d.delivered_at, d.created_at"
    " FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.id = ?";
constexpr std::string_view kDeliveries =
    "SELECT d.id, d.endpoint_id, d.event_seq, e.id, e.type, d.message_id, d.status, d.attempts,"
    " d.response_code, d.last_error, d.last_attempt_at, d.delivered_at, d.created_at"
    " FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq"
    " WHERE d.endpoint_id = ? AND (? = 0 OR d.id < ?) ORDER BY d.id DESC LIMIT ?";
constexpr std::string_view kRecordAttempt =
    "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, response_code = ?,"
    " last_error = ?, last_attempt_at = ?,"
    " delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END WHERE id = ?";
constexpr std::string_view kMarkPending =
    "UPDATE webhook_deliveries SET status = 'pending' WHERE id = ?";

constexpr std::string_view kStaffAdministrators =
    "SELECT u.email, u.first_name, u.language FROM staff_members s JOIN users u ON u.id = s.user_id"
    " WHERE s.org_id = ? AND s.role = 'admin' AND u.status = 'active' ORDER BY u.id";

Event readEvent(Query& q) {
  Event e;
  e.seq = q.getInt(0);
  e.id = q.getText(1);
  e.org_id = core::OrgId{q.getInt(2)};
  e.type = q.getText(3);
  e.company_id = q.getOptInt(4);
  e.company_external_id = q.getOptText(5);
  e.subject = q.getText(6);
  e.data = q.getText(7);
  e.created_at_ms = q.getInt(8);
  return e;
}

Endpoint readEndpoint(Query& q) {
  Endpoint e;
  e.id = q.getInt(0);
  e.org_id = core::OrgId{q.getInt(1)};
  e.url = q.getText(2);
  auto list = nlohmann::json::parse(q.getText(3), nullptr, false);
  if (list.is_array()) {
    for (const auto& t : list) {
      if (t.is_string()) e.events.push_back(t.get<std::string>());
    }
  }
  e.secret = q.getText(4);
  e.previous_secret = q.getOptText(5);
  e.previous_until_ms = q.getOptInt(6);
  e.disabled_at_ms = q.getOptInt(7);
  e.disabled_reason = q.getOptText(8).value_or("");
  e.created_at_ms = q.getInt(9);
  return e;
}

Delivery readDelivery(Query& q) {
  Delivery d;
  d.id = q.getInt(0);
  d.endpoint_id = q.getInt(1);
  d.event_seq = q.getInt(2);
  d.event_id = q.getText(3);
  d.event_type = q.getText(4);
  d.message_id = q.getText(5);
  d.status = q.getText(6);
  d.attempts = static_cast<int>(q.getInt(7));
  d.response_code = q.getOptInt(8);
  d.last_error = q.getOptText(9).value_or("");
  d.last_attempt_at_ms = q.getOptInt(10);
  d.delivered_at_ms = q.getOptInt(11);
  d.created_at_ms = q.getInt(12);
  return d;
}

}  // namespace

std::int64_t EventsRepository::insertEvent(const Event& e) {
  Query(conn(), kInsertEvent)
      .bind(e.id, e.org_id.value, e.type, e.company_id, e.company_external_id, e.subject, e.data,
            e.created_at_ms)
      .run();
  return conn().lastInsertId();
}

std::optional<std::string> EventsRepository::companyExternalId(core::OrgId org,
                                                               core::CompanyId company) {
  Query q(conn(), kCompanyExternalId);
  q.bind(company.value, org.value);
  if (!q.next()) return std::nullopt;
  return q.getOptText(0);
}

std::vector<Event> EventsRepository::eventsAfter(core::OrgId org, std::int64_t after, int limit) {
  Query q(conn(), kEventsAfter);
  q.bind(org.value, after, limit);
  std::vector<Event> out;
  while (q.next()) out.push_back(readEvent(q));
  return out;
}

std::optional<Event> EventsRepository::event(std::int64_t seq) {
  Query q(conn(), kEventBySeq);
  q.bind(seq);
  if (!q.next()) return std::nullopt;
  return readEvent(q);
}

std::int64_t EventsRepository::pruneEvents(std::int64_t before_ms) {
  Query(conn(), kPruneEvents).bind(before_ms).run();
  return conn().changes();
}

std::int64_t EventsRepository::insertEndpoint(const Endpoint& e) {
  Query(conn(), kInsertEndpoint)
      .bind(e.org_id.value, e.url, nlohmann::json(e.events).dump(), e.secret, e.created_at_ms)
      .run();
  return conn().lastInsertId();
}

std::vector<Endpoint> EventsRepository::endpoints(core::OrgId org, bool enabled_only) {
  Query q(conn(), kEndpointsOfOrg);
  q.bind(org.value, enabled_only ? 1 : 0);
  std::vector<Endpoint> out;
  while (q.next()) out.push_back(readEndpoint(q));
  return out;
}

std::optional<Endpoint> EventsRepository::endpoint(std::int64_t id) {
  Query q(conn(), kEndpointById);
  q.bind(id);
  if (!q.next()) return std::nullopt;
  return readEndpoint(q);
}

bool EventsRepository::deleteEndpoint(core::OrgId org, std::int64_t id) {
  Query(conn(), kDeleteEndpoint).bind(id, org.value).run();
  return conn().changes() > 0;
}

void EventsRepository::rotateSecret(std::int64_t id, const std::string& secret,
                                    const std::string& previous, std::int64_t previous_until_ms) {
  Query(conn(), kRotateSecret).bind(secret, previous, previous_until_ms, id).run();
}

void EventsRepository::disableEndpoint(std::int64_t id, const std::string& reason,
                                       std::int64_t now_ms) {
  Query(conn(), kDisableEndpoint).bind(now_ms, reason, id).run();
}

std::int64_t EventsRepository::insertDelivery(std::int64_t endpoint, std::int64_t event_seq,
                                              const std::string& message_id, std::int64_t now_ms) {
  Query(conn(), kInsertDelivery).bind(event_seq, message_id, now_ms, endpoint).run();
  return conn().lastInsertId();
}

std::optional<Delivery> EventsRepository::delivery(std::int64_t id) {
  Query q(conn(), kDeliveryById);
  q.bind(id);
  if (!q.next()) return std::nullopt;
  return readDelivery(q);
}

std::vector<Delivery> EventsRepository::deliveries(std::int64_t endpoint, std::int64_t before,
                                                   int limit) {
  Query q(conn(), kDeliveries);
  q.bind(endpoint, before, before, limit);
  std::vector<Delivery> out;
  while (q.next()) out.push_back(readDelivery(q));
  return out;
}

void EventsRepository::recordAttempt(std::int64_t id, const std::string& status,
                                     std::optional<std::int64_t> response_code,
                                     const std::string& error, std::int64_t now_ms) {
  Query(conn(), kRecordAttempt)
      .bind(status, response_code, error.empty() ? std::nullopt : std::optional(error), now_ms,
            status, now_ms, id)
      .run();
}

void EventsRepository::markPending(std::int64_t id) { Query(conn(), kMarkPending).bind(id).run(); }

std::vector<Recipient> EventsRepository::staffAdministrators(core::OrgId org) {
  Query q(conn(), kStaffAdministrators);
  q.bind(org.value);
  std::vector<Recipient> out;
  while (q.next()) out.push_back({q.getText(0), q.getText(1), q.getText(2)});
  return out;
}

}  // namespace portico::events
