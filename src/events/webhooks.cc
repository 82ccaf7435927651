#include "events/webhooks.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "core/text.h"
#include "notify/webhook_url.h"

namespace portico::events {
namespace {

using core::Error;
using core::fail;

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

Error noSuchEndpoint() { return Error::notFound("errors.webhooks.no_such_endpoint"); }

}  // namespace

std::optional<std::string> signature(const std::string& whsec, const std::string& message_id,
                                     std::int64_t timestamp_s, const std::string& body) {
  if (!whsec.starts_with("whsec_")) return std::nullopt;
  auto key = unbase64(std::string_view(whsec).substr(6));
  if (!key || key->empty()) return std::nullopt;
  std::string signed_content = message_id + "." + std::to_string(timestamp_s) + "." + body;
  auto mac = core::hmacSha256(*key, signed_content);
  sodium_memzero(key->data(), key->size());
  return "v1," + base64(mac);
}

std::string newSecret() { return "whsec_" + base64(core::randomBytes(24)); }

core::Result<EndpointWithSecret> WebhookService::create(core::OrgId org, const NewEndpoint& e,
                                                        const audit::Actor& actor) {
  if (auto ok = notify::checkWebhookUrl(e.url, allow_private_, "url"); !ok) return fail(ok.error());
  if (e.events.empty()) return fail(Error::invalid("errors.webhooks.events_missing", "events"));
  std::vector<std::string> types;
  for (const auto& t : e.events) {
    if (!isEventType(t)) {
      return fail(Error::invalid("errors.webhooks.unknown_event", "events").with("type", t));
    }
    if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
  }
  storage::Transaction tx(repo_.conn());
  if (repo_.endpoints(org, false).size() >= kMaxEndpoints) {
    return fail(
        Error::conflict("errors.webhooks.too_many").with("max", std::to_string(kMaxEndpoints)));
  }
  EndpointWithSecret out;
  out.secret = newSecret();
  out.endpoint.org_id = org;
  out.endpoint.url = e.url;
  out.endpoint.events = std::move(types);
  out.endpoint.secret = secrets_.seal(out.secret);
  out.endpoint.created_at_ms = clock_.nowMs();
  out.endpoint.id = repo_.insertEndpoint(out.endpoint);
  audit_.record(actor, {"webhook.created", std::nullopt, org, std::nullopt,
                        nlohmann::json{{"webhook", out.endpoint.id},
                                       {"url", out.endpoint.url},
                                       {"events", out.endpoint.events}}
                            .dump()});
  tx.commit();
  return out;
}

std::vector<Endpoint> WebhookService::list(core::OrgId org) { return repo_.endpoints(org, false); }

core::Result<Endpoint> WebhookService::owned(core::OrgId org, std::int64_t id) {
  auto e = id > 0 ? repo_.endpoint(id) : std::nullopt;
  if (!e || e->org_id != org) return fail(noSuchEndpoint());
  return *e;
}

core::Result<Endpoint> WebhookService::find(core::OrgId org, std::int64_t id) {
  return owned(org, id);
}

core::Status WebhookService::remove(core::OrgId org, std::int64_t id, const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto e = owned(org, id);
  if (!e || !repo_.deleteEndpoint(org, id)) return fail(noSuchEndpoint());
  audit_.record(actor, {"webhook.deleted", std::nullopt, org, std::nullopt,
                        nlohmann::json{{"webhook", id}, {"url", e->url}}.dump()});
  tx.commit();
  return {};
}

core::Result<EndpointWithSecret> WebhookService::rotate(core::OrgId org, std::int64_t id,
                                                        const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto e = owned(org, id);
  if (!e) return fail(e.error());
  EndpointWithSecret out;
  out.secret = newSecret();
  out.endpoint = *e;
  out.endpoint.previous_secret = e->secret;
  out.endpoint.previous_until_ms = clock_.nowMs() + kPreviousSecretMs;
  out.endpoint.secret = secrets_.seal(out.secret);
  repo_.rotateSecret(id, out.endpoint.secret, *out.endpoint.previous_secret,
                     *out.endpoint.previous_until_ms);
  audit_.record(actor, {"webhook.secret_rotated", std::nullopt, org, std::nullopt,
                        nlohmann::json{{"webhook", id}, {"url", e->url}}.dump()});
  tx.commit();
  return out;
}

core::Result<std::vector<Delivery>> WebhookService::deliveries(core::OrgId org,
                                                               std::int64_t endpoint,
                                                               std::int64_t before, int limit) {
  auto e = owned(org, endpoint);
  if (!e) return fail(e.error());
  return repo_.deliveries(endpoint, before, limit);
}

core::Result<Delivery> WebhookService::replay(core::OrgId org, std::int64_t endpoint,
                                              std::int64_t delivery, const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto e = owned(org, endpoint);
  if (!e) return fail(e.error());
  auto d = delivery > 0 ? repo_.delivery(delivery) : std::nullopt;
  if (!d || d->endpoint_id != endpoint) {
    return fail(Error::notFound("errors.webhooks.no_such_delivery"));
  }
  if (e->disabled_at_ms) return fail(Error::conflict("errors.webhooks.endpoint_disabled"));
  repo_.markPending(d->id);
  jobs_.enqueue(std::string(kWebhookJob), std::to_string(d->id), webhookRetryPolicy());
  audit_.record(
      actor, {"webhook.replayed", std::nullopt, org, std::nullopt,
              nlohmann::json{{"webhook", endpoint}, {"url", e->url}, {"delivery", d->id}}.dump()});
  tx.commit();
  d->status = "pending";
  return *d;
}

jobs::Outcome WebhookService::deliver(const jobs::Job& job) {
  std::int64_t id = 0;
  try {
    id = std::stoll(job.payload);
  } catch (...) {
    return jobs::Outcome::failed("the webhook job's payload is not a delivery id");
  }
  auto d = repo_.delivery(id);
  if (!d) return jobs::Outcome::failed("the delivery is gone (its endpoint or event was deleted)");
  auto endpoint = repo_.endpoint(d->endpoint_id);
  auto event = repo_.event(d->event_seq);
  if (!endpoint || !event) {
    return jobs::Outcome::failed("the delivery's endpoint or event is gone");
  }
  if (endpoint->disabled_at_ms) {
    std::string error = "the endpoint is disabled: " + endpoint->disabled_reason;
    repo_.recordAttempt(d->id, "failed", std::nullopt, error, clock_.nowMs());
    return jobs::Outcome::failed(error);
  }
  auto secret = secrets_.open(endpoint->secret);
  if (!secret) return jobs::Outcome::failed("the endpoint's secret cannot be opened with this key");
  auto timestamp = clock_.now();
  std::string body = EventLog::webhookBody(*event);
  auto signatures = signature(*secret, d->message_id, timestamp, body);
  if (!signatures) return jobs::Outcome::failed("the endpoint's secret is malformed");
  if (endpoint->previous_secret && endpoint->previous_until_ms &&
      *endpoint->previous_until_ms > clock_.nowMs()) {
    auto previous = secrets_.open(*endpoint->previous_secret);
    auto old = previous ? signature(*previous, d->message_id, timestamp, body) : std::nullopt;
    if (old) *signatures += " " + *old;
  }
  auto response = client_.post({endpoint->url,
                                {{"webhook-id", d->message_id},
                                 {"webhook-timestamp", std::to_string(timestamp)},
                                 {"webhook-signature", *signatures}},
                                body});
  auto now = clock_.nowMs();
  if (response.refused) {
    repo_.recordAttempt(d->id, "failed", std::nullopt, response.error, now);
    return jobs::Outcome::failed(response.error);
  }
  std::optional<std::int64_t> code;
  if (response.status > 0) code = response.status;
  if (response.status >= 200 && response.status < 300) {
    repo_.recordAttempt(d->id, "delivered", code, "", now);
    return jobs::Outcome::done();
  }
  if (response.status == 410) {
    std::string error = "the receiver answered 410 Gone: the endpoint is disabled";
    storage::Transaction tx(repo_.conn());
    repo_.recordAttempt(d->id, "failed", code, error, now);
    repo_.disableEndpoint(endpoint->id, "410 Gone", now);
    audit_.record(
        {std::nullopt, "", "job"},
        {"webhook.disabled", std::nullopt, endpoint->org_id, std::nullopt,
         nlohmann::json{{"webhook", endpoint->id}, {"url", endpoint->url}, {"reason", "410 Gone"}}
             .dump()});
    for (const auto& admin : repo_.staffAdministrators(endpoint->org_id)) {
      identity_.mailTo(admin.email, admin.language, "webhook_disabled",
                       {{"first_name", admin.first_name},
                        {"url", endpoint->url},
                        {"console_link", identity_.publicUrl() + "/staff/webhooks"}});
    }
    tx.commit();
    return jobs::Outcome::failed(error);
  }
  std::string error = response.status > 0
                          ? "the receiver answered " + std::to_string(response.status)
                          : response.error;
  std::optional<std::int64_t> wait;
  if (response.retry_after_s) wait = std::max<std::int64_t>(*response.retry_after_s, 1) * 1000;
  auto policy = webhookRetryPolicy();
  bool last = job.attempts > static_cast<int>(policy.schedule_ms.size()) ||
              (wait && now + *wait > job.give_up_at_ms);
  repo_.recordAttempt(d->id, last ? "failed" : "pending", code, error, now);
  return jobs::Outcome::retry(error, wait);
}

void WebhookService::registerWith(jobs::Runner& runner, EventLog& log) {
  runner.handle(
      std::string(kWebhookJob), [this](const jobs::Job& job) { return deliver(job); },
      webhookRetryPolicy());
  runner.housekeeping("events", [&log] { log.prune(); });
}

}  // namespace portico::events
