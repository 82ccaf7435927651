#include "integration/idempotency.h"

#include <nlohmann/json.hpp>

namespace portico::integration {
namespace {

using nlohmann::json;
using Outcome = identity::IdempotencyStore::Claim::Outcome;

json argsJson(const core::MessageArgs& args) {
  json out = json::array();
  for (const auto& [name, value] : args) out.push_back({name, value});
  return out;
}

core::MessageArgs argsOf(const json& j) {
  core::MessageArgs out;
  for (const auto& pair : j) {
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  }
  return out;
}

}  // namespace

identity::IdempotencyStore::Claim Idempotency::claim(core::OrgId org, const std::string& key,
                                                     const std::string& method,
                                                     const std::string& path,
                                                     const std::string& body_sha256) {
  auto now = clock_.now();
  storage::Transaction tx(repo_.conn());
  auto last = pruned_at_.load();
  if (now - last >= kPruneEvery && pruned_at_.compare_exchange_strong(last, now)) {
    repo_.prune(now - kKeep);
  }
  Claim claim;
  auto found = repo_.find(org, key);
  if (found && found->created_at > now - kKeep) {
    if (found->method != method || found->path != path || found->body_sha256 != body_sha256) {
      claim.outcome = Outcome::Mismatch;
    } else if (found->status) {
      // An answer sealed under another key (the key file was replaced) is run again.
      if (auto opened = secrets_.open(found->answer)) {
        claim.outcome = Outcome::Replay;
        claim.answer = decode(*found->status, *opened);
      }
    } else if (found->created_at > now - kAbandoned) {
      claim.outcome = Outcome::InFlight;
    }
  }
  if (claim.outcome == Outcome::Run) {
    repo_.put(org, key, {method, path, body_sha256, std::nullopt, "", now});
  }
  tx.commit();
  return claim;
}

void Idempotency::finish(core::OrgId org, const std::string& key, const http::Response& answer) {
  storage::Transaction tx(repo_.conn());
  repo_.answer(org, key, answer.status, secrets_.seal(encode(answer)));
  tx.commit();
}

void Idempotency::abandon(core::OrgId org, const std::string& key) {
  storage::Transaction tx(repo_.conn());
  repo_.remove(org, key);
  tx.commit();
}

std::string Idempotency::encode(const http::Response& answer) {
  json headers = json::array();
  for (const auto& [name, value] : answer.headers) headers.push_back({name, value});
  json out = {{"headers", headers}, {"body", answer.body}};
  if (answer.error) {
    const auto& e = *answer.error;
    out["error"] = {{"code", static_cast<int>(e.code)},
                    {"key", e.key},
                    {"field", e.field},
                    {"retry_after_s", e.retry_after_s},
                    {"args", argsJson(e.args)}};
  }
  if (answer.message) {
    out["message"] = {{"key", answer.message->key}, {"args", argsJson(answer.message->args)}};
  }
  // Bodies are the server's own JSON or text: valid UTF-8; replace anything else rather than fail.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

http::Response Idempotency::decode(int status, const std::string& encoded) {
  http::Response r;
  r.status = status;
  auto j = json::parse(encoded, nullptr, false);
  if (!j.is_object()) return r;
  for (const auto& h : j.value("headers", json::array())) {
    r.headers.emplace_back(h.at(0).get<std::string>(), h.at(1).get<std::string>());
  }
  r.body = j.value("body", "");
  if (auto e = j.find("error"); e != j.end()) {
    core::Error error;
    error.code = static_cast<core::ErrorCode>(e->value("code", 0));
    error.key = e->value("key", "");
    error.field = e->value("field", "");
    error.retry_after_s = e->value("retry_after_s", 0);
    error.args = argsOf(e->value("args", json::array()));
    r.error = std::move(error);
  }
  if (auto m = j.find("message"); m != j.end()) {
    r.message = core::Message{m->value("key", ""), argsOf(m->value("args", json::array()))};
  }
  return r;
}

}  // namespace portico::integration
