#include "events/event_log.h"

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "core/random.h"
#include "core/text.h"

namespace portico::events {

const std::vector<std::string_view>& eventTypes() {
  static const std::vector<std::string_view> kTypes = {"case.created",
                                                       "case.commented",
                                                       "case.status_changed",
                                                       "order.placed",
                                                       "quote.accepted",
                                                       "quote.declined",
                                                       "quote.requested",
                                                       "invoice.payment_started",
                                                       "invoice.paid",
                                                       "service.upgrade_requested",
                                                       "service.cancel_requested",
                                                       "service.credentials_reset",
                                                       "domain.change_requested",
                                                       "affiliate.withdrawal_requested",
                                                       "device.updated",
                                                       "job.status_changed",
                                                       "user.invited",
                                                       "user.joined",
                                                       "user.removed",
                                                       "user.rights_changed"};
  return kTypes;
}

bool isEventType(std::string_view type) {
  const auto& t = eventTypes();
  return std::find(t.begin(), t.end(), type) != t.end();
}

jobs::RetryPolicy webhookRetryPolicy() {
  constexpr std::int64_t s = 1000, min = 60 * s, h = 60 * min;
  return jobs::RetryPolicy::scheduled(
      {5 * s, 5 * min, 30 * min, 2 * h, 5 * h, 10 * h, 14 * h, 20 * h, 24 * h});
}

std::string rfc3339(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf);
  auto frac = std::to_string(1000 + ms % 1000).substr(1);
  return out + "." + frac + "Z";
}

std::string EventLog::record(const NewEvent& e) {
  if (!isEventType(e.type)) throw std::logic_error("not an event type: " + e.type);
  Event row;
  row.id = "evt_" + core::randomToken(16);
  row.org_id = e.org;
  row.type = e.type;
  if (e.company) {
    row.company_id = e.company->value;
    row.company_external_id = repo_.companyExternalId(e.org, *e.company);
  }
  std::string subject = R"({"type":")";
  core::appendJsonEscaped(subject, e.subject_type);
  subject += R"(","id":)" + std::to_string(e.subject_id) + "}";
  row.subject = std::move(subject);
  row.data = e.data.empty() ? "{}" : e.data;
  row.created_at_ms = clock_.nowMs();
  row.seq = repo_.insertEvent(row);
  auto policy = webhookRetryPolicy();
  for (const auto& endpoint : repo_.endpoints(e.org, /*enabled_only=*/true)) {
    if (std::find(endpoint.events.begin(), endpoint.events.end(), e.type) ==
        endpoint.events.end()) {
      continue;
    }
    auto delivery = repo_.insertDelivery(endpoint.id, row.seq, "msg_" + core::randomToken(16),
                                         row.created_at_ms);
    jobs_.enqueue(std::string(kWebhookJob), std::to_string(delivery), policy);
  }
  return row.id;
}

EventPage EventLog::after(core::OrgId org, std::int64_t after, int limit) {
  EventPage page;
  page.items = repo_.eventsAfter(org, after, std::clamp(limit, 1, kMaxLimit));
  page.next_after = page.items.empty() ? after : page.items.back().seq;
  return page;
}

std::int64_t EventLog::prune() { return repo_.pruneEvents(clock_.nowMs() - kKeepMs); }

std::string EventLog::itemJson(const Event& e) {
  std::string out = R"({"seq":)" + std::to_string(e.seq) + R"(,"id":")";
  core::appendJsonEscaped(out, e.id);
  out += R"(","type":")";
  core::appendJsonEscaped(out, e.type);
  out += R"(","time":")" + rfc3339(e.created_at_ms) + R"(","company_id":)";
  out += e.company_id ? std::to_string(*e.company_id) : "null";
  out += R"(,"company_external_id":)";
  if (e.company_external_id) {
    out += '"';
    core::appendJsonEscaped(out, *e.company_external_id);
    out += '"';
  } else {
    out += "null";
  }
  out += R"(,"subject":)" + e.subject + R"(,"data":)" + e.data + "}";
  return out;
}

std::string EventLog::webhookBody(const Event& e) {
  std::string out = R"({"type":")";
  core::appendJsonEscaped(out, e.type);
  out += R"(","timestamp":")" + rfc3339(e.created_at_ms) + R"(","data":)" + itemJson(e) + "}";
  return out;
}

}  // namespace portico::events
