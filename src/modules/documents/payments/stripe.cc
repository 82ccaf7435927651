#include "modules/documents/payments/stripe.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/text.h"
#include "http/url.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using nlohmann::json;

Error badSignature() { return Error::invalid("errors.payments.bad_signature", "stripe-signature"); }
Error unreachable() { return Error::unavailable("errors.payments.provider_unavailable"); }

bool isDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A Stripe id ("cs_test_a1B2…") is safe in a URL path as it is.
bool isStripeId(std::string_view s) {
  return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += http::percentEncode(k) + "=" + http::percentEncode(v);
  }
  return out;
}

// Stripe's own words about a refused call, for the operator's log (never a key: Stripe does not
// repeat it).
std::string stripeMessage(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "no message";
  return text(j["error"], "message").substr(0, 300);
}

}  // namespace

core::Status verifyStripeSignature(std::string_view header, std::string_view body,
                                   std::string_view secret, std::int64_t now,
                                   std::int64_t tolerance_s) {
  if (secret.empty() || header.empty() || header.size() > 4096) return fail(badSignature());
  std::string_view timestamp;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) return fail(badSignature());
    auto key = core::trim(item.substr(0, eq));
    auto value = core::trim(item.substr(eq + 1));
    if (key == "t") {
      if (!timestamp.empty()) return fail(badSignature());
      timestamp = value;
    } else if (key == "v1") {
      signatures.push_back(value);
    }  // v0 and schemes to come are not ours to check
  }
  if (!isDigits(timestamp) || timestamp.size() > 12 || signatures.empty()) {
    return fail(badSignature());
  }
  auto t = std::stoll(std::string(timestamp));
  if (t < now - tolerance_s || t > now + tolerance_s) return fail(badSignature());
  std::string payload;
  payload.reserve(timestamp.size() + 1 + body.size());
  payload.append(timestamp).append(".").append(body);
  auto expected = core::hexEncode(core::hmacSha256(secret, payload));
  bool matched = false;
  for (auto s : signatures) matched |= core::constantTimeEquals(expected, s);
  if (!matched) return fail(badSignature());
  return {};
}

std::optional<StripeEvent> parseStripeEvent(std::string_view body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  StripeEvent e;
  e.id = text(j, "id");
  e.type = text(j, "type");
  if (e.id.empty() || e.type.empty()) return std::nullopt;
  auto data = j.find("data");
  if (data == j.end() || !data->is_object()) return e;
  auto object = data->find("object");
  if (object == data->end() || !object->is_object()) return e;
  if (text(*object, "object") != "checkout.session") return e;
  e.session_id = text(*object, "id");
  e.status = text(*object, "status");
  e.payment_status = text(*object, "payment_status");
  return e;
}

CheckoutState sessionState(std::string_view status, std::string_view payment_status) {
  if (status == "complete" && (payment_status == "paid" || payment_status == "no_payment_required"))
    return CheckoutState::Paid;
  if (status == "expired") return CheckoutState::Expired;
  return CheckoutState::Open;  // open, or complete with a delayed payment on its way
}

CheckoutState eventState(const StripeEvent& e) {
  if (e.session_id.empty()) return CheckoutState::Open;
  if (e.type == "checkout.session.completed") return sessionState(e.status, e.payment_status);
  if (e.type == "checkout.session.async_payment_succeeded") return CheckoutState::Paid;
  if (e.type == "checkout.session.async_payment_failed") return CheckoutState::Failed;
  if (e.type == "checkout.session.expired") return CheckoutState::Expired;
  return CheckoutState::Open;
}

core::Result<std::string> StripeProvider::call(notify::HttpCall c) const {
  c.headers.emplace_back("Authorization", "Bearer " + config_.secret_key);
  c.headers.emplace_back("Stripe-Version", std::string(kApiVersion));
  notify::HttpAnswer answer;
  for (int attempt = 0; attempt < 2; ++attempt) {
    answer = http_.send(c);
    // Stripe keeps the first answer of an idempotency key, a 500 too: only what it did not
    // answer (no answer, a concurrent request with the key, the rate limit) is worth a retry.
    bool retry = answer.status == 0 || answer.status == 409 || answer.status == 429;
    if (!retry) break;
  }
  auto path = c.url.substr(config_.api_url.size());
  if (answer.status == 200) return std::move(answer.body);
  if (answer.status == 0) {
    spdlog::warn("stripe: {} {} got no answer: {}", c.method, path, answer.error);
  } else {
    spdlog::warn("stripe: {} {} answered {}: {}", c.method, path, answer.status,
                 stripeMessage(answer.body));
  }
  return fail(unreachable());
}

core::Result<Checkout> StripeProvider::start(const CheckoutRequest& r) {
  auto id = std::to_string(r.payment_id);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"mode", "payment"},
      {"client_reference_id", id},
      {"success_url", r.return_url},
      {"cancel_url", r.return_url},
      {"line_items[0][quantity]", "1"},
      {"line_items[0][price_data][currency]", core::asciiLower(r.amount.currency)},
      {"line_items[0][price_data][unit_amount]", std::to_string(r.amount.minor)},
      {"line_items[0][price_data][product_data][name]", r.description},
      {"metadata[payment_id]", id},
      {"metadata[reference]", r.reference},
      {"payment_intent_data[description]", r.description},
  };
  if (!r.payer_email.empty()) fields.emplace_back("customer_email", r.payer_email);
  notify::HttpCall c;
  c.method = "POST";
  c.url = config_.api_url + "/v1/checkout/sessions";
  c.content_type = "application/x-www-form-urlencoded";
  c.body = formEncode(fields);
  c.headers.emplace_back("Idempotency-Key", r.idempotency_key);
  auto answer = call(std::move(c));
  if (!answer) return fail(answer.error());
  auto j = json::parse(*answer, nullptr, false);
  Checkout out;
  if (j.is_object()) out = {text(j, "id"), text(j, "url")};
  if (!isStripeId(out.provider_ref) || !out.checkout_url.starts_with("https://")) {
    spdlog::warn("stripe: POST /v1/checkout/sessions answered no session id and https URL");
    return fail(unreachable());
  }
  return out;
}

core::Result<CheckoutState> StripeProvider::poll(const Payment& payment, std::int64_t) {
  if (!isStripeId(payment.provider_ref)) return CheckoutState::Failed;  // never opened
  notify::HttpCall c;
  c.url = config_.api_url + "/v1/checkout/sessions/" + payment.provider_ref;
  auto answer = call(std::move(c));
  if (!answer) return fail(answer.error());
  auto j = json::parse(*answer, nullptr, false);
  if (!j.is_object() || text(j, "id") != payment.provider_ref) return fail(unreachable());
  return sessionState(text(j, "status"), text(j, "payment_status"));
}

core::Status StripeProvider::close(const std::string& provider_ref) {
  if (!isStripeId(provider_ref)) return {};
  notify::HttpCall c;
  c.method = "POST";
  c.url = config_.api_url + "/v1/checkout/sessions/" + provider_ref + "/expire";
  c.content_type = "application/x-www-form-urlencoded";
  // expiring twice is harmless: no idempotency key
  auto answer = call(std::move(c));
  if (answer) return {};
  // Stripe refuses to expire a session that is complete or expired already: nothing to close.
  notify::HttpCall get;
  get.url = config_.api_url + "/v1/checkout/sessions/" + provider_ref;
  auto state = call(std::move(get));
  if (!state) return fail(state.error());
  auto j = json::parse(*state, nullptr, false);
  if (j.is_object() && text(j, "status") != "open") return {};
  return fail(unreachable());
}

core::Result<ProviderEvent> StripeProvider::webhook(std::string_view signature,
                                                    std::string_view body, std::int64_t now) const {
  if (auto ok = verifyStripeSignature(signature, body, config_.webhook_secret, now); !ok) {
    return fail(ok.error());
  }
  auto e = parseStripeEvent(body);
  if (!e) return fail(Error::invalid("errors.payments.bad_event"));
  return ProviderEvent{e->id, e->session_id, eventState(*e)};
}

}  // namespace portico::documents
