#include "events/events_api.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "http/error_response.h"

namespace portico::events {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kDefaultEventLimit = 100;
constexpr int kDefaultDeliveryLimit = 50;
constexpr int kMaxDeliveryLimit = 200;

json timeOrNull(const std::optional<std::int64_t>& ms) {
  return ms ? json(rfc3339(*ms)) : json(nullptr);
}

// A whole non-negative number, or nullopt.
std::optional<std::int64_t> wholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(text);
}

// ?name= as a number within [min, max], `fallback` if absent.
core::Result<std::int64_t> numberParam(const http::Params& q, const char* name,
                                       std::int64_t fallback, std::int64_t min, std::int64_t max,
                                       const char* key) {
  auto v = http::findParam(q, name);
  if (!v) return fallback;
  auto n = wholeNumber(*v);
  if (!n || *n < min || *n > max) {
    auto e = core::Error::invalid(key, name);
    if (max < std::numeric_limits<std::int64_t>::max()) e.with("max", std::to_string(max));
    return core::fail(std::move(e));
  }
  return *n;
}

// An integration call's actor: the API key's caller, by address and request id.
audit::Actor actorOf(const Context& c) { return {std::nullopt, c.origin.ip, c.origin.request_id}; }

Response answer(int status, const json& body) { return Response::json(status, body.dump()); }

}  // namespace

json endpointJson(const Endpoint& e) {
  return {{"id", e.id},
          {"url", e.url},
          {"events", e.events},
          {"status", e.disabled_at_ms ? "disabled" : "enabled"},
          {"disabled_at", timeOrNull(e.disabled_at_ms)},
          {"disabled_reason", e.disabled_at_ms ? json(e.disabled_reason) : json(nullptr)},
          {"created_at", rfc3339(e.created_at_ms)}};
}

json deliveryJson(const Delivery& d) {
  return {{"id", d.id},
          {"webhook_id", d.message_id},
          {"event_id", d.event_id},
          {"event_type", d.event_type},
          {"status", d.status},
          {"attempts", d.attempts},
          {"response_code", d.response_code ? json(*d.response_code) : json(nullptr)},
          {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)},
          {"created_at", rfc3339(d.created_at_ms)},
          {"last_attempt_at", timeOrNull(d.last_attempt_at_ms)},
          {"delivered_at", timeOrNull(d.delivered_at_ms)}};
}

void registerEventsApi(identity::GuardedRoutes& routes, EventLog& log, WebhookService& webhooks) {
  routes.api("GET", "/api/v1/integration/events", Access::ApiKey, [&log](Request& r, Context& c) {
    auto q = r.query();
    if (!q) return http::jsonError(core::Error::invalid("errors.events.bad_query"));
    auto after = numberParam(*q, "after", 0, 0, std::numeric_limits<std::int64_t>::max(),
                             "errors.events.bad_after");
    if (!after) return http::jsonError(after.error());
    auto limit = numberParam(*q, "limit", kDefaultEventLimit, 1, EventLog::kMaxLimit,
                             "errors.events.bad_limit");
    if (!limit) return http::jsonError(limit.error());
    auto page = log.after(*c.integration_org, *after, static_cast<int>(*limit));
    std::string out = R"({"items":[)";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      if (i) out += ',';
      out += EventLog::itemJson(page.items[i]);
    }
    out += R"(],"next_after":)" + std::to_string(page.next_after) + "}";
    return Response::json(200, std::move(out));
  });

  routes.api(
      "POST", "/api/v1/integration/webhooks", Access::ApiKey, [&webhooks](Request& r, Context& c) {
        auto body = identity::parseJsonObject(r.body);
        if (!body) return http::jsonError(body.error());
        auto url = identity::stringField(*body, "url", 2000);
        if (!url) return http::jsonError(url.error());
        NewEndpoint e{*url, {}};
        if (body->contains("events")) {
          const auto& list = (*body)["events"];
          bool ok = list.is_array();
          for (const auto& t : list) {
            ok = ok && t.is_string() && t.get_ref<const std::string&>().size() < 100;
          }
          if (!ok) {
            return http::jsonError(core::Error::invalid("errors.webhooks.events_list", "events"));
          }
          for (const auto& t : list) e.events.push_back(t.get<std::string>());
        }
        auto created = webhooks.create(*c.integration_org, e, actorOf(c));
        if (!created) return http::jsonError(created.error());
        auto out = endpointJson(created->endpoint);
        out["secret"] = created->secret;
        return answer(201, out);
      });

  routes.api("GET", "/api/v1/integration/webhooks", Access::ApiKey,
             [&webhooks](Request&, Context& c) {
               json items = json::array();
               for (const auto& e : webhooks.list(*c.integration_org)) {
                 items.push_back(endpointJson(e));
               }
               return answer(200, {{"items", items}, {"next_cursor", nullptr}});
             });

  routes.api("GET", "/api/v1/integration/webhooks/{id}", Access::ApiKey,
             [&webhooks](Request& r, Context& c) {
               auto e = webhooks.find(*c.integration_org, r.idParam("id"));
               if (!e) return http::jsonError(e.error());
               return answer(200, endpointJson(*e));
             });

  routes.api("DELETE", "/api/v1/integration/webhooks/{id}", Access::ApiKey,
             [&webhooks](Request& r, Context& c) {
               auto s = webhooks.remove(*c.integration_org, r.idParam("id"), actorOf(c));
               if (!s) return http::jsonError(s.error());
               return Response::noContent();
             });

  routes.api("POST", "/api/v1/integration/webhooks/{id}/rotate-secret", Access::ApiKey,
             [&webhooks](Request& r, Context& c) {
               auto rotated = webhooks.rotate(*c.integration_org, r.idParam("id"), actorOf(c));
               if (!rotated) return http::jsonError(rotated.error());
               auto out = endpointJson(rotated->endpoint);
               out["secret"] = rotated->secret;
               out["previous_secret_expires_at"] = timeOrNull(rotated->endpoint.previous_until_ms);
               return answer(200, out);
             });

  routes.api("GET", "/api/v1/integration/webhooks/{id}/deliveries", Access::ApiKey,
             [&webhooks](Request& r, Context& c) {
               auto q = r.query();
               if (!q) return http::jsonError(core::Error::invalid("errors.events.bad_query"));
               auto limit = numberParam(*q, "limit", kDefaultDeliveryLimit, 1, kMaxDeliveryLimit,
                                        "errors.events.bad_limit");
               if (!limit) return http::jsonError(limit.error());
               auto cursor =
                   numberParam(*q, "cursor", 0, 1, std::numeric_limits<std::int64_t>::max(),
                               "errors.events.bad_cursor");
               if (!cursor) return http::jsonError(cursor.error());
               auto n = static_cast<int>(*limit);
               auto list = webhooks.deliveries(*c.integration_org, r.idParam("id"), *cursor, n + 1);
               if (!list) return http::jsonError(list.error());
               bool more = static_cast<int>(list->size()) > n;
               if (more) list->pop_back();
               json items = json::array();
               for (const auto& d : *list) items.push_back(deliveryJson(d));
               json next = more ? json(std::to_string(list->back().id)) : json(nullptr);
               return answer(200, {{"items", items}, {"next_cursor", next}});
             });

  routes.api("POST", "/api/v1/integration/webhooks/{id}/deliveries/{delivery_id}/replay",
             Access::ApiKey, [&webhooks](Request& r, Context& c) {
               auto d = webhooks.replay(*c.integration_org, r.idParam("id"),
                                        r.idParam("delivery_id"), actorOf(c));
               if (!d) return http::jsonError(d.error());
               return answer(202, deliveryJson(*d));
             });
}

}  // namespace portico::events
