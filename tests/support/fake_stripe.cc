#include "support/fake_stripe.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "http/url.h"

namespace portico::testing {
namespace {

using nlohmann::json;

WebhookReceiver::Answer error(int status, const std::string& type, const std::string& message) {
  return {status,
          {"Content-Type: application/json"},
          json{{"error", {{"type", type}, {"message", message}}}}.dump()};
}

json sessionJson(const FakeStripe::Session& s) {
  return {{"id", s.id},
          {"object", "checkout.session"},
          {"url", s.status == "open" ? json(s.url) : json(nullptr)},
          {"status", s.status},
          {"payment_status", s.payment_status},
          {"mode", "payment"},
          {"client_reference_id", s.form.count("client_reference_id")
                                      ? json(s.form.at("client_reference_id"))
                                      : json(nullptr)},
          {"currency", s.form.count("line_items[0][price_data][currency]")
                           ? json(s.form.at("line_items[0][price_data][currency]"))
                           : json(nullptr)},
          {"metadata",
           {{"payment_id",
             s.form.count("metadata[payment_id]") ? s.form.at("metadata[payment_id]") : ""}}}};
}

}  // namespace

FakeStripe::FakeStripe() {
  server_.respondWith([this](const WebhookReceiver::Request& r) { return handle(r); });
}

std::vector<FakeStripe::Session> FakeStripe::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_;
}

void FakeStripe::setState(const std::string& id, const std::string& status,
                          const std::string& payment_status) {
  std::lock_guard lock(mutex_);
  for (auto& s : sessions_) {
    if (s.id == id) {
      s.status = status;
      s.payment_status = payment_status;
    }
  }
}

void FakeStripe::beforeCreate(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  before_create_ = std::move(hook);
}

void FakeStripe::failNext(int n, int status) {
  std::lock_guard lock(mutex_);
  fail_next_ = n;
  fail_status_ = status;
}

std::string FakeStripe::event(const std::string& event_id, const std::string& type,
                              const std::string& session_id) const {
  std::lock_guard lock(mutex_);
  json object = {{"id", session_id}, {"object", "checkout.session"}};
  for (const auto& s : sessions_) {
    if (s.id == session_id) object = sessionJson(s);
  }
  return json{{"id", event_id},
              {"object", "event"},
              {"api_version", "2024-06-20"},
              {"type", type},
              {"data", {{"object", object}}}}
      .dump();
}

std::string FakeStripe::signature(const std::string& body, std::int64_t t,
                                  const std::string& secret) {
  std::string payload = std::to_string(t) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return "t=" + std::to_string(t) + ",v1=" + hex;
}

WebhookReceiver::Answer FakeStripe::handle(const WebhookReceiver::Request& r) {
  std::function<void()> hook;
  {
    std::lock_guard lock(mutex_);
    if (r.method == "POST" && r.path == "/v1/checkout/sessions") hook = before_create_;
  }
  if (hook) hook();  // outside the lock: it may call the portal, which may call here
  std::lock_guard lock(mutex_);
  auto key = r.header("idempotency-key");
  if (auto saved = saved_failures_.find(key); !key.empty() && saved != saved_failures_.end()) {
    return saved->second;
  }
  if (fail_next_ > 0) {
    --fail_next_;
    auto answer = error(fail_status_, "api_error", "Something went wrong on Stripe's end.");
    if (fail_status_ >= 500 && !key.empty()) saved_failures_[key] = answer;
    return answer;
  }
  if (r.header("authorization") != std::string("Bearer ") + kSecretKey) {
    return error(401, "invalid_request_error", "Invalid API Key provided.");
  }
  const std::string prefix = "/v1/checkout/sessions";
  if (r.method == "GET" && r.path.starts_with(prefix + "/")) {
    auto id = r.path.substr(prefix.size() + 1);
    for (const auto& s : sessions_) {
      if (s.id == id) return {200, {"Content-Type: application/json"}, sessionJson(s).dump()};
    }
    return error(404, "invalid_request_error", "No such checkout.session: '" + id + "'");
  }
  const std::string expire = "/expire";
  if (r.method == "POST" && r.path.starts_with(prefix + "/") && r.path.ends_with(expire)) {
    auto id = r.path.substr(prefix.size() + 1, r.path.size() - prefix.size() - 1 - expire.size());
    for (auto& s : sessions_) {
      if (s.id != id) continue;
      if (s.status != "open") {
        return error(400, "invalid_request_error",
                     "Only Checkout Sessions with a status in [\"open\"] can be expired.");
      }
      s.status = "expired";
      return {200, {"Content-Type: application/json"}, sessionJson(s).dump()};
    }
    return error(404, "invalid_request_error", "No such checkout.session: '" + id + "'");
  }
  if (r.method != "POST" || r.path != prefix) {
    return error(404, "invalid_request_error", "Unrecognized request URL.");
  }
  if (!r.header("content-type").starts_with("application/x-www-form-urlencoded")) {
    return error(400, "invalid_request_error", "Form-encoded parameters expected.");
  }
  auto params = http::parseFormEncoded(r.body);
  if (!params) return error(400, "invalid_request_error", "Malformed parameters.");
  std::map<std::string, std::string> form(params->begin(), params->end());
  for (const auto& s : sessions_) {
    if (key.empty() || s.idempotency_key != key) continue;
    if (s.form != form) {
      return error(400, "idempotency_error",
                   "Keys for idempotent requests can only be used with the same parameters they "
                   "were first used with.");
    }
    return {200,
            {"Content-Type: application/json", "Idempotent-Replayed: true"},
            sessionJson(s).dump()};
  }
  for (const char* required :
       {"mode", "success_url", "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]", "line_items[0][quantity]"}) {
    if (!form.count(required)) {
      return error(400, "invalid_request_error",
                   std::string("Missing required param: ") + required + ".");
    }
  }
  Session s;
  s.id = "cs_test_" + std::to_string(sessions_.size() + 1) + "a1B2c3D4";
  s.url = "https://checkout.stripe.test/c/pay/" + s.id;
  s.form = std::move(form);
  s.idempotency_key = key;
  sessions_.push_back(s);
  return {200, {"Content-Type: application/json"}, sessionJson(s).dump()};
}

}  // namespace portico::testing
