#include "identity/guard.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "core/random.h"
#include "core/text.h"
#include "http/error_response.h"
#include "storage/db.h"
#include "web/views.h"

namespace portico::identity {

std::string CookieSettings::cookie(const std::string& name, const std::string& value,
                                   int max_age) const {
  std::string c = name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
  if (max_age < 0) {
    c += "; Max-Age=0";
  } else if (max_age > 0) {
    c += "; Max-Age=" + std::to_string(max_age);
  }
  if (secure) c += "; Secure";
  return c;
}

std::string bearerToken(const http::Request& request) {
  auto auth = request.header("authorization");
  if (auth.size() > 7 && strncasecmp(auth.data(), "Bearer ", 7) == 0) {
    return std::string(core::trim(auth.substr(7)));
  }
  return "";
}

Origin originOf(const http::Request& r) {
  return Origin{r.remote_ip, std::string(r.header("user-agent")), r.request_id};
}

namespace {

// The keys of one open object: a short list while it is small (records have a handful), a set
// once it grows (so that 1 MiB of keys is not O(n²)).
class KeySet {
 public:
  // False if `key` was there already.
  bool insert(const std::string& key) {
    if (!many_.empty()) return many_.insert(key).second;
    for (const auto& k : few_) {
      if (k == key) return false;
    }
    few_.push_back(key);
    if (few_.size() > kFew) {
      many_.insert(few_.begin(), few_.end());
      few_.clear();
    }
    return true;
  }

 private:
  static constexpr std::size_t kFew = 16;
  std::vector<std::string> few_;
  std::set<std::string> many_;
};

}  // namespace

core::Result<nlohmann::json> parseJsonObject(std::string_view body) {
  bool duplicate = false;
  std::vector<KeySet> keys;  // of each open object
  auto cb = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == E::key && !keys.empty()) {
      if (!keys.back().insert(parsed.get_ref<const std::string&>())) duplicate = true;
    }
    (void)depth;
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(body, cb, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return core::fail(core::Error::invalid("errors.identity.bad_json"));
  }
  if (duplicate) {
    return core::fail(core::Error::invalid("errors.identity.duplicate_field"));
  }
  if (!j.is_object()) {
    return core::fail(core::Error::invalid("errors.identity.body_not_object"));
  }
  return j;
}

core::Result<std::string> stringField(const nlohmann::json& body, const std::string& key,
                                      std::size_t max_bytes) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return core::fail(
        core::Error::invalid("errors.identity.field_not_string", key).with("field", key));
  }
  auto s = it->get<std::string>();
  if (s.size() > max_bytes) {
    return core::fail(
        core::Error::invalid("errors.identity.field_too_long", key).with("field", key));
  }
  if (!core::isCleanUtf8(s)) {
    return core::fail(
        core::Error::invalid("errors.identity.field_bad_characters", key).with("field", key));
  }
  return s;
}

namespace {

// A lost connection to the database server answers 503 (the next request opens a new one), not
// the 500 of an unexpected failure.
http::Response orUnavailable(const http::Request& r, const std::function<http::Response()>& run) {
  try {
    return run();
  } catch (const storage::UnavailableError& e) {
    spdlog::warn(R"({{"rid":"{}","event":"database_unavailable","what":{}}})", r.request_id,
                 nlohmann::json(e.what()).dump());
    return http::errorResponse(r, core::Error::unavailable("errors.storage.database_unavailable"));
  }
}

}  // namespace

GuardedRoutes::GuardedRoutes(http::Router& router, IdentityService& identity,
                             CookieSettings cookies)
    : router_(router), identity_(identity), cookies_(cookies) {}

void GuardedRoutes::api(const std::string& method, const std::string& pattern, Access access,
                        GuardedHandler handler, http::Execution execution, std::size_t body_limit) {
  declared_.push_back({method, pattern, access});
  router_.add({method, pattern,
               [this, access, handler = std::move(handler)](http::Request& r) {
                 return orUnavailable(r, [&] { return serveApi(r, access, handler); });
               },
               execution, body_limit});
}

http::Response GuardedRoutes::serveApi(http::Request& r, Access access,
                                       const GuardedHandler& handler) {
  Context ctx;
  ctx.origin = originOf(r);
  std::string bearer = bearerToken(r);
  if (access == Access::ApiKey) {
    if (!bearer.empty() && api_keys_) {
      ctx.integration_org = api_keys_->verify(bearer, ctx.origin);
    }
    if (!ctx.integration_org) {
      return http::jsonError(core::Error::unauthenticated("errors.identity.api_key_required"));
    }
    ctx.lang = web::negotiateLanguage(r.header("accept-language"));
    r.language = ctx.lang;
    if (idempotency_ && (r.method == "POST" || r.method == "PUT" || r.method == "PATCH")) {
      return idempotent(r, ctx, handler);
    }
    return handler(r, ctx);
  }
  if (!bearer.empty()) {
    ctx.principal = identity_.authenticate(bearer, SessionKind::Api);
  }
  if (access != Access::Public && !ctx.principal) {
    return http::jsonError(core::Error::unauthenticated("errors.identity.session_token_required"));
  }
  if (access == Access::SignedIn && !ctx.principal->mfaDone()) {
    return http::jsonError(core::Error::forbidden("errors.identity.mfa_first"));
  }
  ctx.lang = ctx.principal ? std::string(languageOrDefault(ctx.principal->user.language))
                           : web::negotiateLanguage(r.header("accept-language"));
  r.language = ctx.lang;  // errors are written out in it (http::ServerConfig)
  return handler(r, ctx);
}

http::Response GuardedRoutes::idempotent(http::Request& r, Context& ctx,
                                         const GuardedHandler& handler) {
  auto given = r.header("idempotency-key");
  if (given.empty()) return handler(r, ctx);
  std::string key(given);
  bool printable =
      std::all_of(key.begin(), key.end(), [](char ch) { return ch >= ' ' && ch < 127; });
  if (key.size() > kMaxIdempotencyKey || !printable) {
    return http::jsonError(
        core::Error::invalid("errors.identity.idempotency_key_invalid", "Idempotency-Key")
            .with("max", std::to_string(kMaxIdempotencyKey)));
  }
  using Outcome = IdempotencyStore::Claim::Outcome;
  auto claim =
      idempotency_->claim(*ctx.integration_org, key, r.method, r.path, core::sha256Hex(r.body));
  switch (claim.outcome) {
    case Outcome::Replay:
      claim.answer.setHeader("Idempotent-Replayed", "true");
      return std::move(claim.answer);
    case Outcome::Mismatch:
      return http::jsonError(core::Error::unprocessable("errors.identity.idempotency_key_reused"));
    case Outcome::InFlight:
      return http::jsonError(core::Error::conflict("errors.identity.idempotency_key_in_flight"));
    case Outcome::Run:
      break;
  }
  http::Response answer;
  try {
    answer = handler(r, ctx);
  } catch (...) {
    idempotency_->abandon(*ctx.integration_org, key);
    throw;
  }
  if (answer.status >= 500) {
    idempotency_->abandon(*ctx.integration_org, key);
  } else {
    idempotency_->finish(*ctx.integration_org, key, answer);
  }
  return answer;
}

void GuardedRoutes::page(const std::string& method, const std::string& pattern, Access access,
                         GuardedHandler handler, http::Execution execution,
                         std::size_t body_limit) {
  declared_.push_back({method, pattern, access});
  router_.add({method, pattern,
               [this, access, handler = std::move(handler)](http::Request& r) {
                 return orUnavailable(r, [&] { return servePage(r, access, handler); });
               },
               execution, body_limit});
}

http::Response GuardedRoutes::servePage(http::Request& r, Access access,
                                        const GuardedHandler& handler) {
  Context ctx;
  ctx.origin = originOf(r);
  auto token = r.cookie(cookies_.sessionCookieName());
  if (!token.empty()) {
    ctx.principal = identity_.authenticate(token, SessionKind::Web);
  }
  ctx.lang = ctx.principal ? std::string(languageOrDefault(ctx.principal->user.language))
                           : web::negotiateLanguage(r.header("accept-language"));
  r.language = ctx.lang;  // errors are written out in it (http::ServerConfig)
  // CSRF: the session's token when signed in, else a double-submit cookie.
  std::string expected;
  if (ctx.principal) {
    expected = ctx.principal->session.csrf_token;
  } else {
    expected = r.cookie(cookies_.csrfCookieName());
    if (expected.empty()) {
      expected = core::randomToken(32);
      ctx.set_csrf_cookie = cookies_.cookie(cookies_.csrfCookieName(), expected, 0);
    }
  }
  ctx.csrf = expected;
  if (r.method == "POST") {
    if (auto boundary = http::multipartBoundary(r.header("content-type"))) {
      auto parts = http::parseMultipart(r.body, *boundary, http::MultipartLimits{});
      if (!parts) return http::errorResponse(r, parts.error());
      for (auto& part : *parts) {
        if (!part.filename) {
          ctx.form.emplace_back(std::move(part.name), std::move(part.data));
        } else if (!part.filename->empty() || !part.data.empty()) {
          ctx.files.push_back(std::move(part));
        }
      }
    } else {
      auto form = http::parseFormEncoded(r.body);
      if (!form) {
        return http::errorResponse(r, core::Error::invalid("errors.identity.form_unreadable"));
      }
      ctx.form = std::move(*form);
    }
    auto given = http::findParam(ctx.form, "csrf");
    bool cross_site = r.header("sec-fetch-site") == "cross-site";
    if (cross_site || !given || ctx.set_csrf_cookie.size() > 0 ||
        !core::constantTimeEquals(*given, expected)) {
      auto resp = http::errorResponse(r, core::Error::forbidden("errors.identity.form_expired"));
      if (!ctx.set_csrf_cookie.empty())
        resp.headers.emplace_back("Set-Cookie", ctx.set_csrf_cookie);
      return resp;
    }
  }
  if (access != Access::Public && !ctx.principal) {
    std::string next = r.method == "GET" ? r.path : "/";
    return http::Response::redirect("/login?next=" + http::percentEncode(next));
  }
  if (access == Access::SignedIn && !ctx.principal->mfaDone()) {
    std::string step = ctx.principal->user.hasSecondFactor() ? "/mfa" : "/mfa/enroll";
    if (r.method == "GET" && r.path != "/") {
      step += "?next=" + http::percentEncode(r.path);  // carried through 2FA
    }
    return http::Response::redirect(step);
  }
  if (ctx.principal && r.method == "GET") {
    ctx.notice = IdentityService::noticeOf(ctx.principal->session);
  }
  ctx.path = r.path;
  // A form that carries a step-up code (the pages' prompt for an action that needs one): the
  // code is checked first, so that the action runs with the fresh second factor; a wrong code
  // leaves the action to ask again, saying why.
  if (r.method == "POST" && ctx.principal) {
    // "Text me a code": the code goes to the login's phone, and the action asks for it again.
    auto sms = std::find_if(ctx.form.begin(), ctx.form.end(),
                            [](const auto& f) { return f.first == "step_up_sms"; });
    if (sms != ctx.form.end()) {
      ctx.form.erase(sms);
      std::erase_if(ctx.form, [](const auto& f) { return f.first == "step_up_code"; });
      if (auto sent = identity_.sendSmsCode(*ctx.principal, ctx.origin)) {
        ctx.step_up_sms_sent = true;
      } else {
        ctx.step_up_error = sent.error();
      }
    }
    auto it = std::find_if(ctx.form.begin(), ctx.form.end(),
                           [](const auto& f) { return f.first == "step_up_code"; });
    if (it != ctx.form.end()) {
      auto code = std::string(core::trim(it->second));
      ctx.form.erase(it);
      auto until = identity_.stepUp(*ctx.principal, code, "", ctx.origin);
      if (until) {
        ctx.principal->session.step_up_at = *until - identity_.stepUpWindow();
      } else {
        ctx.step_up_error = until.error();
      }
    }
  }
  auto resp = handler(r, ctx);
  if (ctx.principal) {
    bool redirect = resp.status >= 300 && resp.status < 400;
    if (ctx.next_notice && redirect) {
      identity_.setNotice(ctx.principal->session, ctx.next_notice);
    } else if (ctx.notice && resp.header("content-type").starts_with("text/html")) {
      identity_.setNotice(ctx.principal->session, std::nullopt);  // said once
    }
  }
  if (!ctx.set_csrf_cookie.empty()) {
    resp.headers.emplace_back("Set-Cookie", ctx.set_csrf_cookie);
  }
  return resp;
}

}  // namespace portico::identity
