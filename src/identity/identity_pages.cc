#include "identity/identity_pages.h"

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "http/error_response.h"
#include "identity/notifications.h"
#include "web/user_agent.h"

namespace portico::identity {
namespace {

using http::Execution;
using http::Request;
using http::Response;
using nlohmann::json;

std::string formValue(const Context& c, const char* name) {
  auto v = http::findParam(c.form, name);
  return v ? *v : std::string();
}

// The page to carry on to after signing in: a same-site path, else "" (the start page).
std::string safeNext(std::string next) {
  return http::isSafeRedirectPath(next) && next != "/" ? next : std::string();
}

// "path?next=…" (or "path&next=…" when `path` has a query), or `path` without a next.
std::string withNext(const std::string& path, const std::string& next) {
  if (next.empty()) return path;
  return path + (path.find('?') == std::string::npos ? "?" : "&") +
         "next=" + http::percentEncode(next);
}

std::string queryValue(const Request& r, const char* name) {
  auto q = r.query();
  if (!q) return {};
  auto v = http::findParam(*q, name);
  return v ? *v : std::string();
}

std::string formatTime(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

class Pages {
 public:
  Pages(GuardedRoutes& routes, IdentityService& identity, const web::Views& views)
      : routes_(routes), identity_(identity), views_(views) {}

  // A whole page with the common values: language, CSRF token, the signed-in user.
  Response render(const Context& c, const std::string& name, json data, int status = 200) const {
    data["csrf"] = c.csrf;
    data["title"] = views_.translate(c.lang, name + ".title");
    if (c.principal && c.principal->mfaDone()) {
      data["signed_in"] = true;
      data["user_name"] = c.principal->user.first_name + " " + c.principal->user.last_name;
    }
    if (c.notice) data["page_notice"] = views_.message(c.lang, c.notice->key, c.notice->args);
    return Response::html(status, views_.page(name, c.lang, data));
  }

  Response withError(const Context& c, const std::string& name, json data,
                     const core::Error& e) const {
    data["error"] = views_.message(c.lang, e);
    auto r = render(c, name, std::move(data), http::statusFor(e.code));
    if (e.code == core::ErrorCode::RateLimited) {
      r.setHeader("Retry-After", std::to_string(std::max(1, e.retry_after_s)));
    }
    return r;
  }

  Response signedIn(const Context& c, const std::string& token, const std::string& next) const {
    auto r = Response::redirect(http::isSafeRedirectPath(next) ? next : "/");
    if (!token.empty()) {
      r.headers.emplace_back(
          "Set-Cookie", routes_.cookies().cookie(routes_.cookies().sessionCookieName(), token, 0));
    }
    (void)c;
    return r;
  }

  // "Chrome on Linux", in the reader's language.
  std::string deviceText(const Context& c, std::string_view user_agent) const {
    auto d = web::deviceOf(user_agent);
    if (d.browser.empty() && d.system.empty())
      return views_.translate(c.lang, "account.device_unknown");
    if (d.browser.empty() || d.system.empty())
      return std::string(d.browser.empty() ? d.system : d.browser);
    return views_.message(c.lang, "account.device_on",
                          {{"browser", std::string(d.browser)}, {"system", std::string(d.system)}});
  }

  Response recoveryCodes(const Context& c, const std::vector<std::string>& codes,
                         const std::string& token, const std::string& next = "") const {
    auto r = render(c, "recovery_codes", {{"codes", codes}, {"next", next.empty() ? "/" : next}});
    if (!token.empty()) {
      r.headers.emplace_back(
          "Set-Cookie", routes_.cookies().cookie(routes_.cookies().sessionCookieName(), token, 0));
    }
    return r;
  }

  void registerAll();

 private:
  GuardedRoutes& routes_;
  IdentityService& identity_;
  const web::Views& views_;
};

void Pages::registerAll() {
  auto& id = identity_;

  routes_.page("GET", "/login", Access::Public, [this](Request& r, Context& c) {
    if (c.principal && c.principal->mfaDone()) return Response::redirect("/");
    return render(c, "login",
                  {{"next", safeNext(queryValue(r, "next"))},
                   {"email", queryValue(r, "email")},
                   {"reauth", queryValue(r, "reauth") == "1"},
                   {"reset_done", queryValue(r, "reset") == "1"},
                   {"signed_up", queryValue(r, "signed_up") == "1"}});
  });

  routes_.page(
      "POST", "/login", Access::Public,
      [this, &id](Request&, Context& c) {
        auto email = formValue(c, "email");
        auto next = safeNext(formValue(c, "next"));
        auto result = id.login(email, formValue(c, "password"), SessionKind::Web, c.origin);
        if (!result)
          return withError(c, "login", {{"email", email}, {"next", next}}, result.error());
        // The page asked for comes along through the second factor.
        auto r = Response::redirect(result->mfa == MfaStep::None     ? (next.empty() ? "/" : next)
                                    : result->mfa == MfaStep::Enroll ? withNext("/mfa/enroll", next)
                                                                     : withNext("/mfa", next));
        r.headers.emplace_back(
            "Set-Cookie",
            routes_.cookies().cookie(routes_.cookies().sessionCookieName(), result->token, 0));
        return r;
      },
      Execution::Worker);

  routes_.page("POST", "/logout", Access::PendingMfa, [this, &id](Request&, Context& c) {
    id.logout(*c.principal, c.origin);
    auto r = Response::redirect("/login");
    r.headers.emplace_back("Set-Cookie",
                           routes_.cookies().cookie(routes_.cookies().sessionCookieName(), "", -1));
    return r;
  });

  routes_.page("GET", "/mfa", Access::PendingMfa, [this](Request& r, Context& c) {
    if (c.principal->mfaDone()) return Response::redirect("/");
    auto next = safeNext(queryValue(r, "next"));
    if (!c.principal->user.hasSecondFactor()) {
      return Response::redirect(withNext("/mfa/enroll", next));
    }
    return render(c, "mfa",
                  {{"has_sms", c.principal->user.sms_phone.has_value()},
                   {"sms_sent", queryValue(r, "sent") == "1"},
                   {"recovery", queryValue(r, "recovery") == "1"},
                   {"next", next},
                   {"recovery_link", withNext("/mfa?recovery=1", next)},
                   {"code_link", withNext("/mfa", next)}});
  });

  routes_.page("POST", "/mfa", Access::PendingMfa, [this, &id](Request&, Context& c) {
    if (c.principal->mfaDone()) return Response::redirect("/");
    auto code = std::string(core::trim(formValue(c, "code")));
    auto recovery = std::string(core::trim(formValue(c, "recovery_code")));
    auto next = safeNext(formValue(c, "next"));
    auto token = id.verifyMfa(*c.principal, code, recovery, c.origin);
    if (!token) {
      return withError(c, "mfa",
                       {{"has_sms", c.principal->user.sms_phone.has_value()},
                        {"recovery", !recovery.empty()},
                        {"next", next},
                        {"recovery_link", withNext("/mfa?recovery=1", next)},
                        {"code_link", withNext("/mfa", next)}},
                       token.error());
    }
    return signedIn(c, *token, next);
  });

  routes_.page("POST", "/mfa/sms", Access::PendingMfa, [this, &id](Request&, Context& c) {
    auto next = safeNext(formValue(c, "next"));
    auto sent = id.sendSmsCode(*c.principal, c.origin);
    if (!sent) {
      return withError(c, "mfa",
                       {{"has_sms", true},
                        {"next", next},
                        {"recovery_link", withNext("/mfa?recovery=1", next)},
                        {"code_link", withNext("/mfa", next)}},
                       sent.error());
    }
    return Response::redirect(withNext("/mfa?sent=1", next));
  });

  auto enrolPage = [this, &id](Context& c, json extra, const core::Error* error) {
    auto e = id.enrollTotp(*c.principal, c.origin);
    if (!e) {
      if (!c.principal->mfaDone()) return Response::redirect("/mfa");
      return withError(c, "error", {{"heading", views_.translate(c.lang, "error.generic")}},
                       e.error());
    }
    json data = {
        {"secret", e->secret_base32}, {"qr_svg", e->qr_svg}, {"otpauth_uri", e->otpauth_uri}};
    data.update(extra);
    if (error) return withError(c, "mfa_enroll", data, *error);
    return render(c, "mfa_enroll", data);
  };

  routes_.page("GET", "/mfa/enroll", Access::PendingMfa, [enrolPage](Request& r, Context& c) {
    return enrolPage(c, {{"next", safeNext(queryValue(r, "next"))}}, nullptr);
  });

  routes_.page("POST", "/mfa/enroll", Access::PendingMfa, [this, &id](Request&, Context& c) {
    auto next = safeNext(formValue(c, "next"));
    auto result =
        id.confirmTotp(*c.principal, std::string(core::trim(formValue(c, "code"))), c.origin);
    if (!result) {
      // Keep the key the user has just scanned: ask for the code again.
      return withError(c, "mfa_code_retry",
                       {{"next", next}, {"restart_link", withNext("/mfa/enroll", next)}},
                       result.error());
    }
    return recoveryCodes(c, result->recovery_codes, result->token, next);
  });

  routes_.page("POST", "/mfa/enroll/sms", Access::PendingMfa,
               [this, &id, enrolPage](Request&, Context& c) {
                 auto phone = std::string(core::trim(formValue(c, "phone")));
                 auto next = safeNext(formValue(c, "next"));
                 auto sent = id.enrollSms(*c.principal, phone, c.origin);
                 if (!sent) return enrolPage(c, {{"phone", phone}, {"next", next}}, &sent.error());
                 return render(c, "mfa_sms_confirm", {{"phone", phone}, {"next", next}});
               });

  routes_.page(
      "POST", "/mfa/enroll/sms/confirm", Access::PendingMfa, [this, &id](Request&, Context& c) {
        auto next = safeNext(formValue(c, "next"));
        auto result =
            id.confirmSms(*c.principal, std::string(core::trim(formValue(c, "code"))), c.origin);
        if (!result) return withError(c, "mfa_sms_confirm", {{"next", next}}, result.error());
        return recoveryCodes(c, result->recovery_codes, result->token, next);
      });

  routes_.page("GET", "/forgot", Access::Public,
               [this](Request&, Context& c) { return render(c, "forgot", json::object()); });

  routes_.page("POST", "/forgot", Access::Public, [this, &id](Request&, Context& c) {
    auto email = formValue(c, "email");
    auto s = id.requestPasswordReset(email, c.origin);
    if (!s) return withError(c, "forgot", {{"email", email}}, s.error());
    return render(c, "forgot", {{"sent", true}});
  });

  routes_.page("GET", "/password-reset", Access::Public, [this](Request& r, Context& c) {
    return render(c, "password_reset", {{"token", queryValue(r, "token")}});
  });

  routes_.page(
      "POST", "/password-reset", Access::Public,
      [this, &id](Request&, Context& c) {
        auto token = formValue(c, "token");
        auto s = id.confirmPasswordReset(token, formValue(c, "password"), c.origin);
        if (!s) return withError(c, "password_reset", {{"token", token}}, s.error());
        return Response::redirect("/login?reset=1");
      },
      Execution::Worker);

  routes_.page("GET", "/signup", Access::Public, [this, &id](Request& r, Context& c) {
    auto token = queryValue(r, "token");
    auto info = id.signupInfo(token);
    if (!info) return withError(c, "signup", {{"invalid", true}}, info.error());
    bool existing = c.principal && c.principal->mfaDone();
    return render(c, "signup", {{"token", token}, {"email", info->email}, {"existing", existing}});
  });

  routes_.page(
      "POST", "/signup", Access::Public,
      [this, &id](Request&, Context& c) {
        auto token = formValue(c, "token");
        if (c.principal && c.principal->mfaDone()) {
          auto s = id.signupExisting(*c.principal, token, c.origin);
          if (!s) return withError(c, "signup", {{"invalid", true}}, s.error());
          return Response::redirect("/");
        }
        auto first = formValue(c, "first_name");
        auto last = formValue(c, "last_name");
        auto user = id.signup(token, first, last, formValue(c, "password"), c.lang, c.origin);
        if (!user) {
          auto info = id.signupInfo(token);
          json data = {{"token", token}, {"first_name", first}, {"last_name", last}};
          if (info)
            data["email"] = info->email;
          else
            data["invalid"] = true;
          return withError(c, "signup", data, user.error());
        }
        return Response::redirect("/login?signed_up=1");
      },
      Execution::Worker);

  auto accountData = [this, &id](const Context& c) {
    const auto& p = *c.principal;
    json sessions = json::array();
    for (const auto& s : id.sessions(p)) {
      sessions.push_back({{"id", s.id.value},
                          {"ip", s.ip},
                          {"device", deviceText(c, s.user_agent)},
                          {"last_seen", formatTime(s.last_seen_at)},
                          {"current", s.id == p.session.id}});
    }
    json languages = json::array();
    for (auto l : web::kLanguages) {
      languages.push_back({{"code", std::string(l)},
                           {"name", views_.translate(std::string(l), "language.name")},
                           {"selected", p.user.language == l}});
    }
    json notifications = json::array();
    auto settings = id.notificationSettings(p.user.id);  // in catalog order
    auto kinds = notificationKinds();
    for (std::size_t i = 0; i < settings.size() && i < kinds.size(); ++i) {
      notifications.push_back({{"kind", settings[i].kind},
                               {"label", views_.translate(c.lang, kinds[i].label_key)},
                               {"enabled", settings[i].enabled}});
    }
    return json{{"email", p.user.email},
                {"first_name", p.user.first_name},
                {"last_name", p.user.last_name},
                {"languages", languages},
                {"totp", p.user.totp_secret.has_value()},
                {"sms_phone", p.user.sms_phone ? *p.user.sms_phone : ""},
                {"sessions", sessions},
                {"notifications", notifications}};
  };

  routes_.page("GET", "/account", Access::SignedIn, [this, accountData](Request& r, Context& c) {
    auto data = accountData(c);
    data["saved"] = queryValue(r, "saved") == "1";
    data["notifications_saved"] = queryValue(r, "saved") == "notifications";
    return render(c, "account", data);
  });

  routes_.page(
      "POST", "/account/profile", Access::SignedIn, [this, &id, accountData](Request&, Context& c) {
        auto s = id.updateProfile(*c.principal, formValue(c, "first_name"),
                                  formValue(c, "last_name"), formValue(c, "language"), c.origin);
        if (!s) return withError(c, "account", accountData(c), s.error());
        return Response::redirect("/account?saved=1");
      });

  // One checkbox "notify.<kind>" per kind (the form parser refuses a name given twice): the
  // kinds checked are on, every other kind is off.
  routes_.page("POST", "/account/notifications", Access::SignedIn,
               [this, &id, accountData](Request&, Context& c) {
                 constexpr std::string_view kPrefix = "notify.";
                 std::map<std::string, bool> changes;
                 for (const auto& k : notificationKinds()) changes[std::string(k.id)] = false;
                 for (const auto& [name, value] : c.form) {
                   if (!name.starts_with(kPrefix)) continue;
                   auto kind = name.substr(kPrefix.size());
                   if (!isNotificationKind(kind)) {
                     return withError(
                         c, "account", accountData(c),
                         core::Error::invalid("errors.identity.notification_form_unknown_kind"));
                   }
                   changes[kind] = true;
                 }
                 auto s = id.setNotifications(*c.principal, changes, c.origin);
                 if (!s) return withError(c, "account", accountData(c), s.error());
                 return Response::redirect("/account?saved=notifications#notifications");
               });

  routes_.page(
      "POST", "/account/password", Access::SignedIn,
      [this, &id, accountData](Request&, Context& c) {
        auto s = id.changePassword(*c.principal, formValue(c, "current_password"),
                                   formValue(c, "password"), c.origin);
        if (!s) return withError(c, "account", accountData(c), s.error());
        return Response::redirect("/account?saved=1");
      },
      Execution::Worker);

  routes_.page("POST", "/account/sessions/{id}/end", Access::SignedIn,
               [this, &id, accountData](Request& r, Context& c) {
                 std::int64_t sid = r.idParam("id");
                 auto s = id.endSession(*c.principal, core::SessionId{sid}, c.origin);
                 if (!s) return withError(c, "account", accountData(c), s.error());
                 return Response::redirect("/account?saved=1");
               });

  // Changing a factor needs a recent sign-in: otherwise the person confirms it is them (signs in
  // again, password and code) and comes back to `next`.
  auto confirmFirst = [this, &id](Context& c, const std::string& next) -> std::optional<Response> {
    if (!id.factorChangeNeedsSignIn(*c.principal)) return std::nullopt;
    return render(c, "reauth", {{"next", next}});
  };

  routes_.page("POST", "/account/recovery-codes", Access::SignedIn,
               [this, &id, confirmFirst, accountData](Request&, Context& c) {
                 if (auto confirm = confirmFirst(c, "/account#mfa")) return *confirm;
                 auto codes = id.regenerateRecoveryCodes(*c.principal, c.origin);
                 if (!codes) return withError(c, "account", accountData(c), codes.error());
                 return recoveryCodes(c, *codes, "", "/account");
               });

  routes_.page("GET", "/account/mfa/totp", Access::SignedIn,
               [enrolPage, confirmFirst](Request&, Context& c) {
                 if (auto confirm = confirmFirst(c, "/account/mfa/totp")) return *confirm;
                 return enrolPage(c, json::object(), nullptr);
               });

  // Signs the session out and asks for the sign-in again, which then carries on to `next`.
  routes_.page("POST", "/reauth", Access::SignedIn, [this, &id](Request&, Context& c) {
    auto next = safeNext(formValue(c, "next"));
    std::string email = c.principal->user.email;
    id.logout(*c.principal, c.origin);
    auto r =
        Response::redirect(withNext("/login?reauth=1&email=" + http::percentEncode(email), next));
    r.headers.emplace_back("Set-Cookie",
                           routes_.cookies().cookie(routes_.cookies().sessionCookieName(), "", -1));
    return r;
  });
}

}  // namespace

std::shared_ptr<void> registerIdentityPages(GuardedRoutes& routes, IdentityService& identity,
                                            const web::Views& views) {
  auto pages = std::make_shared<Pages>(routes, identity, views);
  pages->registerAll();
  return pages;
}

}  // namespace portico::identity
