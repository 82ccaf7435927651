#include "console/webhook_pages.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "events/events_api.h"
#include "http/error_response.h"

namespace portico::console {
namespace {

using access::StaffCapability;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr int kDeliveriesPerPage = 50;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

class WebhookPages {
 public:
  WebhookPages(access::StaffRoutes& routes, events::WebhookService& webhooks,
               const web::Views& views)
      : routes_(routes), webhooks_(webhooks), pages_(views, routes.policy()) {}

  void registerAll() {
    routes_.page("GET", "/staff/webhooks", StaffCapability::Integration,
                 [this](Request&, Context& c, const StaffRole& s) { return list(c, s); });
    routes_.page("POST", "/staff/webhooks", StaffCapability::Integration,
                 [this](Request&, Context& c, const StaffRole& s) { return create(c, s); });
    routes_.page("GET", "/staff/webhooks/{id}", StaffCapability::Integration,
                 [this](Request& r, Context& c, const StaffRole& s) { return show(r, c, s); });
    routes_.page("POST", "/staff/webhooks/{id}/delete", StaffCapability::Integration,
                 [this](Request& r, Context& c, const StaffRole& s) { return remove(r, c, s); });
    routes_.page("POST", "/staff/webhooks/{id}/deliveries/{delivery_id}/replay",
                 StaffCapability::Integration,
                 [this](Request& r, Context& c, const StaffRole& s) { return replay(r, c, s); });
  }

 private:
  std::string t(const Context& c, std::string_view key) const { return pages_.translate(c, key); }

  // The event types as checkboxes, those in `chosen` checked.
  static json eventChoices(const std::vector<std::string>& chosen) {
    json out = json::array();
    for (auto type : events::eventTypes()) {
      std::string name(type);
      bool checked = std::find(chosen.begin(), chosen.end(), name) != chosen.end();
      out.push_back({{"type", name}, {"checked", checked}});
    }
    return out;
  }

  json endpointView(const Context& c, const events::Endpoint& e) const {
    auto j = events::endpointJson(e);
    j["enabled"] = !e.disabled_at_ms;
    j["status_label"] =
        t(c, e.disabled_at_ms ? "console.webhooks.disabled" : "console.webhooks.enabled");
    j["events_text"] = "";
    std::string text;
    for (const auto& type : e.events) text += (text.empty() ? "" : ", ") + type;
    j["events_text"] = text;
    j["created"] = access::timeText(e.created_at_ms / 1000);
    j["disabled"] = e.disabled_at_ms ? json(access::timeText(*e.disabled_at_ms / 1000)) : json();
    return j;
  }

  // The list with the add form; after a create, `secret` shows the new endpoint's secret once.
  Response list(Context& c, const StaffRole& s, const std::string& error = "", int status = 200,
                const std::string& url = "", const std::vector<std::string>& chosen = {},
                const json& created = json()) {
    json items = json::array();
    for (const auto& e : webhooks_.list(s.org_id)) items.push_back(endpointView(c, e));
    json data = {{"title", t(c, "console.webhooks.title")}, {"endpoints", items},
                 {"has_endpoints", !items.empty()},         {"url", url},
                 {"events", eventChoices(chosen)},          {"created", created}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "console_webhooks", std::move(data), status);
  }

  Response create(Context& c, const StaffRole& s) {
    auto url = access::formField(c, "url");
    std::vector<std::string> chosen;
    for (const auto& [key, value] : c.form) {
      if (key.starts_with("event.")) chosen.push_back(key.substr(6));
    }
    auto made = webhooks_.create(s.org_id, {url, chosen}, actorOf(c));
    if (!made) {
      return list(c, s, pages_.message(c, made.error()), http::statusFor(made.error().code), url,
                  chosen);
    }
    json created = {{"url", made->endpoint.url},
                    {"secret", made->secret},
                    {"href", "/staff/webhooks/" + std::to_string(made->endpoint.id)}};
    return list(c, s, "", 201, "", {}, created);
  }

  Response show(Request& r, Context& c, const StaffRole& s) {
    auto id = r.idParam("id");
    auto e = webhooks_.find(s.org_id, id);
    if (!e) return pages_.error(c, e.error());
    std::int64_t before = 0;
    auto cursor = access::queryField(r, "cursor");
    if (!cursor.empty()) {
      if (cursor.size() > 18 || cursor.find_first_not_of("0123456789") != std::string::npos) {
        return pages_.error(c, core::Error::invalid("errors.events.bad_cursor", "cursor"));
      }
      before = std::stoll(cursor);
    }
    auto list = webhooks_.deliveries(s.org_id, id, before, kDeliveriesPerPage + 1);
    if (!list) return pages_.error(c, list.error());
    bool more = static_cast<int>(list->size()) > kDeliveriesPerPage;
    if (more) list->pop_back();
    json rows = json::array();
    for (const auto& d : *list) {
      auto j = events::deliveryJson(d);
      j["status_label"] = t(c, "console.webhooks.status_" + d.status);
      j["time"] = access::timeText((d.last_attempt_at_ms.value_or(d.created_at_ms)) / 1000);
      j["replay_action"] = "/staff/webhooks/" + std::to_string(id) + "/deliveries/" +
                           std::to_string(d.id) + "/replay";
      j["may_replay"] = !e->disabled_at_ms;
      rows.push_back(std::move(j));
    }
    json pager = {{"paged", more || before > 0}, {"prev", json()}, {"next", json()}};
    if (before > 0) pager["prev"] = "/staff/webhooks/" + std::to_string(id);
    if (more) {
      pager["next"] =
          "/staff/webhooks/" + std::to_string(id) + "?cursor=" + std::to_string(list->back().id);
    }
    json data = {{"title", t(c, "console.webhooks.endpoint_title")},
                 {"endpoint", endpointView(c, *e)},
                 {"deliveries", rows},
                 {"has_deliveries", !rows.empty()},
                 {"pager", pager}};
    return pages_.render(c, "console_webhook", std::move(data));
  }

  Response remove(Request& r, Context& c, const StaffRole& s) {
    auto id = r.idParam("id");
    auto e = webhooks_.find(s.org_id, id);
    if (!e) return pages_.error(c, e.error());
    core::MessageArgs args{{"url", e->url}};
    if (!access::confirmed(c)) {
      return pages_.confirm(c, {{"confirm.delete_webhook.heading", {}},
                                {"confirm.delete_webhook.question", args},
                                {"confirm.delete_webhook.button", {}},
                                r.path,
                                "/staff/webhooks/" + std::to_string(id),
                                {}});
    }
    auto done = webhooks_.remove(s.org_id, id, actorOf(c));
    if (!done) return pages_.error(c, done.error());
    c.next_notice = core::Message{"notices.webhook.deleted", args};
    return Response::redirect("/staff/webhooks");
  }

  Response replay(Request& r, Context& c, const StaffRole& s) {
    auto id = r.idParam("id");
    auto d = webhooks_.replay(s.org_id, id, r.idParam("delivery_id"), actorOf(c));
    if (!d) return pages_.error(c, d.error());
    c.next_notice = core::Message{"notices.webhook.replayed", {{"event", d->event_type}}};
    return Response::redirect("/staff/webhooks/" + std::to_string(id));
  }

  access::StaffRoutes& routes_;
  events::WebhookService& webhooks_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerWebhookPages(access::StaffRoutes& routes,
                                           events::WebhookService& webhooks,
                                           const web::Views& views) {
  auto owner = std::make_shared<WebhookPages>(routes, webhooks, views);
  owner->registerAll();
  return owner;
}

}  // namespace portico::console
