#include "identity/identity_api.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "http/error_response.h"
#include "identity/notifications.h"

namespace portico::identity {
namespace {

using http::Execution;
using http::Request;
using http::Response;
using nlohmann::json;

Response ok(int status, const json& body) { return Response::json(status, body.dump()); }
Response err(const core::Error& e) { return http::jsonError(e); }

// Parses the body and reads the named string fields; the first problem is the answer.
struct Fields {
  std::optional<Response> error;
  std::map<std::string, std::string> values;
  const std::string& operator[](const std::string& k) const { return values.at(k); }
};

Fields readFields(const Request& r,
                  std::initializer_list<std::pair<const char*, std::size_t>> names) {
  Fields f;
  auto body = parseJsonObject(r.body.empty() ? "{}" : r.body);
  if (!body) {
    f.error = err(body.error());
    return f;
  }
  for (const auto& [name, max] : names) {
    auto v = stringField(*body, name, max);
    if (!v) {
      f.error = err(v.error());
      return f;
    }
    f.values[name] = std::move(*v);
  }
  return f;
}

json sessionJson(const Session& s, core::SessionId current) {
  return {{"id", s.id.value},
          {"kind", s.kind == SessionKind::Web ? "web" : "api"},
          {"created_at", s.created_at},
          {"last_seen_at", s.last_seen_at},
          {"ip", s.ip},
          {"user_agent", s.user_agent},
          {"current", s.id == current}};
}

json notificationsJson(const std::vector<NotificationSetting>& settings) {
  json list = json::array();
  for (const auto& s : settings) list.push_back({{"kind", s.kind}, {"enabled", s.enabled}});
  return {{"notifications", list}};
}

// {"kind": bool, ...}: every key a kind of the catalog, every value a boolean.
core::Result<std::map<std::string, bool>> readNotificationChanges(const Request& r) {
  auto body = parseJsonObject(r.body.empty() ? "{}" : r.body);
  if (!body) return core::fail(body.error());
  std::map<std::string, bool> changes;
  for (const auto& [kind, value] : body->items()) {
    if (!isNotificationKind(kind)) {
      return core::fail(core::Error::invalid("errors.identity.notification_kind_unknown", kind)
                            .with("kind", kind));
    }
    if (!value.is_boolean()) {
      return core::fail(core::Error::invalid("errors.identity.notification_not_boolean", kind)
                            .with("kind", kind));
    }
    changes[kind] = value.get<bool>();
  }
  return changes;
}

}  // namespace

std::string userJson(const User& u) {
  std::string out;
  out.reserve(192);
  out += R"({"id":)";
  out += std::to_string(u.id.value);
  out += R"(,"email":")";
  core::appendJsonEscaped(out, u.email);
  out += R"(","first_name":")";
  core::appendJsonEscaped(out, u.first_name);
  out += R"(","last_name":")";
  core::appendJsonEscaped(out, u.last_name);
  out += R"(","language":")";
  core::appendJsonEscaped(out, u.language);
  out += R"("})";
  return out;
}

void registerIdentityApi(GuardedRoutes& routes, IdentityService& identity) {
  routes.api(
      "POST", "/api/v1/auth/login", Access::Public,
      [&identity](Request& r, Context& c) {
        auto f = readFields(r, {{"email", 254}, {"password", 1024}});
        if (f.error) return *f.error;
        auto result = identity.login(f["email"], f["password"], SessionKind::Api, c.origin);
        if (!result) return err(result.error());
        return ok(200, {{"token", result->token}, {"mfa", mfaStepName(result->mfa)}});
      },
      Execution::Worker);

  routes.api(
      "POST", "/api/v1/auth/totp/enroll", Access::PendingMfa, [&identity](Request&, Context& c) {
        auto e = identity.enrollTotp(*c.principal, c.origin);
        if (!e) return err(e.error());
        return ok(
            200,
            {{"secret", e->secret_base32}, {"otpauth_uri", e->otpauth_uri}, {"qr_svg", e->qr_svg}});
      });

  routes.api("POST", "/api/v1/auth/totp/confirm", Access::PendingMfa,
             [&identity](Request& r, Context& c) {
               auto f = readFields(r, {{"code", 16}});
               if (f.error) return *f.error;
               auto e = identity.confirmTotp(*c.principal, f["code"], c.origin);
               if (!e) return err(e.error());
               return ok(200, {{"recovery_codes", e->recovery_codes}});
             });

  routes.api("POST", "/api/v1/auth/sms/enroll", Access::PendingMfa,
             [&identity](Request& r, Context& c) {
               auto f = readFields(r, {{"phone", 32}});
               if (f.error) return *f.error;
               auto s = identity.enrollSms(*c.principal, f["phone"], c.origin);
               if (!s) return err(s.error());
               return ok(202, {{"sent", true}});
             });

  routes.api("POST", "/api/v1/auth/sms/confirm", Access::PendingMfa,
             [&identity](Request& r, Context& c) {
               auto f = readFields(r, {{"code", 16}});
               if (f.error) return *f.error;
               auto e = identity.confirmSms(*c.principal, f["code"], c.origin);
               if (!e) return err(e.error());
               return ok(200, {{"recovery_codes", e->recovery_codes}});
             });

  routes.api("POST", "/api/v1/auth/sms/send", Access::PendingMfa,
             [&identity](Request&, Context& c) {
               auto s = identity.sendSmsCode(*c.principal, c.origin);
               if (!s) return err(s.error());
               return ok(202, {{"sent", true}});
             });

  routes.api("POST", "/api/v1/auth/mfa", Access::PendingMfa, [&identity](Request& r, Context& c) {
    auto f = readFields(r, {{"code", 16}, {"recovery_code", 64}});
    if (f.error) return *f.error;
    auto v = identity.verifyMfa(*c.principal, f["code"], f["recovery_code"], c.origin);
    if (!v) return err(v.error());
    return ok(200, {{"mfa", "done"}});
  });

  // A second factor again, for the actions that need a step-up (identity/step_up.h).
  routes.api("POST", "/api/v1/auth/step-up", Access::SignedIn, [&identity](Request& r, Context& c) {
    auto f = readFields(r, {{"code", 16}, {"recovery_code", 64}});
    if (f.error) return *f.error;
    auto until = identity.stepUp(*c.principal, f["code"], f["recovery_code"], c.origin);
    if (!until) return err(until.error());
    return ok(200, {{"step_up_until", core::rfc3339(*until)}});
  });

  routes.api("POST", "/api/v1/auth/recovery-codes", Access::SignedIn,
             [&identity](Request&, Context& c) {
               auto codes = identity.regenerateRecoveryCodes(*c.principal, c.origin);
               if (!codes) return err(codes.error());
               return ok(200, {{"recovery_codes", *codes}});
             });

  routes.api("POST", "/api/v1/auth/logout", Access::PendingMfa, [&identity](Request&, Context& c) {
    identity.logout(*c.principal, c.origin);
    return Response::noContent();
  });

  routes.api("POST", "/api/v1/auth/password-reset", Access::Public,
             [&identity](Request& r, Context& c) {
               auto f = readFields(r, {{"email", 254}});
               if (f.error) return *f.error;
               auto s = identity.requestPasswordReset(f["email"], c.origin);
               if (!s) return err(s.error());
               return http::jsonMessage(202, {"messages.identity.reset_link_sent", {}});
             });

  routes.api(
      "POST", "/api/v1/auth/password-reset/confirm", Access::Public,
      [&identity](Request& r, Context& c) {
        auto f = readFields(r, {{"token", 200}, {"password", 4096}});
        if (f.error) return *f.error;
        auto s = identity.confirmPasswordReset(f["token"], f["password"], c.origin);
        if (!s) return err(s.error());
        return http::jsonMessage(200, {"messages.identity.password_reset_done", {}});
      },
      Execution::Worker);

  routes.api(
      "POST", "/api/v1/signup", Access::Public,
      [&identity](Request& r, Context& c) {
        auto f = readFields(r, {{"token", 200},
                                {"first_name", 400},
                                {"last_name", 400},
                                {"password", 4096},
                                {"language", 8}});
        if (f.error) return *f.error;
        if (f["token"].empty())
          return err(core::Error::invalid("errors.identity.token_required", "token"));
        // A signed-in login calls with the token alone to take the link.
        auto bearer = bearerToken(r);
        if (f["password"].empty() && !bearer.empty()) {
          auto p = identity.authenticate(bearer, SessionKind::Api);
          if (!p) return err(core::Error::unauthenticated());
          if (!p->mfaDone()) return err(core::Error::forbidden("errors.identity.mfa_first"));
          auto s = identity.signupExisting(*p, f["token"], c.origin);
          if (!s) return err(s.error());
          return ok(200, {{"user", json::parse(userJson(p->user))}});
        }
        auto user = identity.signup(f["token"], f["first_name"], f["last_name"], f["password"],
                                    f["language"].empty() ? c.lang : f["language"], c.origin);
        if (!user) return err(user.error());
        return ok(201, {{"user", {{"id", user->value}}},
                        {"next", "Sign in, then set up two-factor authentication."}});
      },
      Execution::Worker);

  routes.api("PATCH", "/api/v1/me", Access::SignedIn, [&identity](Request& r, Context& c) {
    auto f = readFields(r, {{"first_name", 400}, {"last_name", 400}, {"language", 8}});
    if (f.error) return *f.error;
    const auto& u = c.principal->user;
    auto s = identity.updateProfile(*c.principal,
                                    f["first_name"].empty() ? u.first_name : f["first_name"],
                                    f["last_name"].empty() ? u.last_name : f["last_name"],
                                    f["language"].empty() ? u.language : f["language"], c.origin);
    if (!s) return err(s.error());
    auto fresh = identity.authenticate(bearerToken(r), SessionKind::Api);
    return Response::json(200,
                          R"({"user":)" + userJson((fresh ? *fresh : *c.principal).user) + "}");
  });

  routes.api(
      "POST", "/api/v1/me/password", Access::SignedIn,
      [&identity](Request& r, Context& c) {
        auto f = readFields(r, {{"current_password", 1024}, {"password", 4096}});
        if (f.error) return *f.error;
        auto s =
            identity.changePassword(*c.principal, f["current_password"], f["password"], c.origin);
        if (!s) return err(s.error());
        return http::jsonMessage(200, {"messages.identity.password_changed", {}});
      },
      Execution::Worker);

  routes.api(
      "GET", "/api/v1/me/notifications", Access::SignedIn, [&identity](Request&, Context& c) {
        return ok(200, notificationsJson(identity.notificationSettings(c.principal->user.id)));
      });

  routes.api(
      "PUT", "/api/v1/me/notifications", Access::SignedIn, [&identity](Request& r, Context& c) {
        auto changes = readNotificationChanges(r);
        if (!changes) return err(changes.error());
        auto s = identity.setNotifications(*c.principal, *changes, c.origin);
        if (!s) return err(s.error());
        return ok(200, notificationsJson(identity.notificationSettings(c.principal->user.id)));
      });

  routes.api("GET", "/api/v1/sessions", Access::SignedIn, [&identity](Request&, Context& c) {
    json list = json::array();
    for (const auto& s : identity.sessions(*c.principal)) {
      list.push_back(sessionJson(s, c.principal->session.id));
    }
    return ok(200, {{"items", list}});
  });

  routes.api("DELETE", "/api/v1/sessions/{id}", Access::SignedIn,
             [&identity](Request& r, Context& c) {
               std::int64_t id = r.idParam("id");
               if (id <= 0) return err(core::Error::notFound("errors.identity.no_such_session"));
               auto s = identity.endSession(*c.principal, core::SessionId{id}, c.origin);
               if (!s) return err(s.error());
               return Response::noContent();
             });
}

}  // namespace portico::identity
