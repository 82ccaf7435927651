#include "access/invitation_api.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "http/error_response.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

json invitationJson(const Invitation& inv) {
  json companies = json::array();
  for (const auto& c : inv.companies) {
    json perms = json::array();
    for (auto p : c.permissions.list()) perms.push_back(std::string(permissionName(p)));
    companies.push_back({{"company_id", c.company_id.value},
                         {"company_name", c.company_name},
                         {"role", c.role},
                         {"permissions", perms},
                         {"sites", c.sites.empty() ? json("all") : json(c.sites)}});
  }
  return {{"id", inv.id},
          {"email", inv.email},
          {"first_name", inv.first_name},
          {"last_name", inv.last_name},
          {"language", inv.language},
          {"created_at", inv.created_at},
          {"expires_at", inv.expires_at},
          {"companies", companies},
          {"agent", inv.agent_id ? json(inv.agent_name) : json()}};
}

core::Result<NewInvitation> parseInvitation(const std::string& text) {
  auto body = identity::parseJsonObject(text);
  if (!body) return core::fail(body.error());
  NewInvitation n;
  for (auto [key, target] :
       {std::pair{"email", &n.email}, std::pair{"first_name", &n.first_name},
        std::pair{"last_name", &n.last_name}, std::pair{"language", &n.language}}) {
    auto v = identity::stringField(*body, key, 254);
    if (!v) return core::fail(v.error());
    *target = *v;
  }
  auto list = body->find("companies");
  if (list == body->end() || !list->is_array()) {
    return core::fail(core::Error::invalid("errors.access.companies_not_list", "companies"));
  }
  for (const auto& item : *list) {
    if (!item.is_object() || !item.contains("company_id") ||
        !item["company_id"].is_number_integer()) {
      return core::fail(core::Error::invalid("errors.access.company_id_required", "companies"));
    }
    InvitedCompany c;
    c.company_id = core::CompanyId{item["company_id"].get<std::int64_t>()};
    bool has_role = item.contains("role");
    bool has_perms = item.contains("permissions");
    if (has_role == has_perms) {
      return core::fail(core::Error::invalid("errors.access.role_or_permissions", "companies"));
    }
    if (has_role) {
      if (!item["role"].is_string() || item["role"] == "custom") {
        return core::fail(core::Error::invalid("errors.access.role_not_id", "role"));
      }
      c.role = item["role"].get<std::string>();
    } else {
      c.role = "custom";
      const auto& perms = item["permissions"];
      if (perms == "all") {
        c.permissions = allButUserManagement();
      } else if (perms.is_array()) {
        for (const auto& v : perms) {
          auto p = v.is_string() ? permissionFromName(v.get<std::string>()) : std::nullopt;
          if (!p)
            return core::fail(
                core::Error::invalid("errors.access.unknown_permission", "permissions")
                    .with("permission", v.is_string() ? v.get<std::string>() : v.dump()));
          c.permissions.add(*p);
        }
      } else {
        return core::fail(
            core::Error::invalid("errors.access.permissions_list_or_all", "permissions"));
      }
    }
    if (item.contains("sites")) {
      if (!item["sites"].is_array()) {
        return core::fail(core::Error::invalid("errors.access.sites_not_list", "sites"));
      }
      for (const auto& s : item["sites"]) {
        if (!s.is_number_integer()) {
          return core::fail(core::Error::invalid("errors.access.sites_not_list", "sites"));
        }
        c.sites.push_back(s.get<std::int64_t>());
      }
    }
    n.companies.push_back(std::move(c));
  }
  return n;
}

// The accept page speaks the invitation's language to a visitor who is not signed in (a login's
// own language decides for a signed-in one).
void inInvitationsLanguage(Context& c, const Invitation& inv) {
  if (!c.principal && identity::isSupportedLanguage(inv.language)) c.lang = inv.language;
}

}  // namespace

void registerInvitationApi(identity::GuardedRoutes& routes, InvitationService& invitations,
                           identity::IdentityService& identity) {
  routes.api("POST", "/api/v1/invitations", Access::SignedIn,
             [&invitations](Request& r, Context& c) {
               auto n = parseInvitation(r.body);
               if (!n) return http::jsonError(n.error());
               auto inv = invitations.invite(*c.principal, std::move(*n), c.origin);
               if (!inv) return http::jsonError(inv.error());
               return Response::json(201, invitationJson(*inv).dump());
             });

  routes.api("GET", "/api/v1/invitations", Access::SignedIn, [&invitations](Request&, Context& c) {
    json items = json::array();
    for (const auto& inv : invitations.pending(*c.principal)) items.push_back(invitationJson(inv));
    return Response::json(200, json{{"items", items}}.dump());
  });

  routes.api("DELETE", "/api/v1/invitations/{id}", Access::SignedIn,
             [&invitations](Request& r, Context& c) {
               auto s = invitations.deleteInvitation(*c.principal, r.idParam("id"), c.origin);
               if (!s) return http::jsonError(s.error());
               return Response::noContent();
             });

  routes.api("POST", "/api/v1/invitations/{id}/resend", Access::SignedIn,
             [&invitations](Request& r, Context& c) {
               auto s = invitations.resend(*c.principal, r.idParam("id"), c.origin);
               if (!s) return http::jsonError(s.error());
               return Response::json(202, R"({"sent":true})");
             });

  routes.api(
      "POST", "/api/v1/invitations/accept", Access::Public,
      [&invitations, &identity](Request& r, Context& c) {
        auto body = identity::parseJsonObject(r.body);
        if (!body) return http::jsonError(body.error());
        std::map<std::string, std::string> f;
        for (auto [key, max] : {std::pair{"token", 200}, std::pair{"first_name", 400},
                                std::pair{"last_name", 400}, std::pair{"password", 4096}}) {
          auto v = identity::stringField(*body, key, static_cast<std::size_t>(max));
          if (!v) return http::jsonError(v.error());
          f[key] = *v;
        }
        if (f["token"].empty())
          return http::jsonError(
              core::Error::invalid("errors.access.field_required", "token").with("field", "token"));
        auto bearer = identity::bearerToken(r);
        if (f["password"].empty() && !bearer.empty()) {
          auto p = identity.authenticate(bearer, identity::SessionKind::Api);
          if (!p) return http::jsonError(core::Error::unauthenticated());
          if (!p->mfaDone()) {
            return http::jsonError(core::Error::forbidden("errors.access.complete_2fa_first"));
          }
          auto s = invitations.acceptExisting(*p, f["token"], c.origin);
          if (!s) return http::jsonError(s.error());
          return Response::json(200, R"({"accepted":true})");
        }
        auto user = invitations.accept(f["token"], f["first_name"], f["last_name"], f["password"],
                                       c.origin);
        if (!user) return http::jsonError(user.error());
        return Response::json(201, json{{"user", {{"id", user->value}}},
                                        {"next", "Sign in, then set up two-factor authentication."}}
                                       .dump());
      },
      http::Execution::Worker);
}

void registerInvitationPages(identity::GuardedRoutes& routes, InvitationService& invitations,
                             identity::IdentityService& identity, const web::Views& views) {
  auto render = [&views](const Context& c, json data, int status) {
    data["csrf"] = c.csrf;
    data["title"] = views.translate(c.lang, "invitation.title");
    if (c.principal && c.principal->mfaDone()) {
      data["signed_in"] = true;
      data["user_name"] = c.principal->user.first_name + " " + c.principal->user.last_name;
    }
    return Response::html(status, views.page("invitation_accept", c.lang, data));
  };
  auto describe = [](const Invitation& inv, json data) {
    std::string names = inv.agent_name;  // an invitation into an agent names it alone
    for (const auto& c : inv.companies) names += (names.empty() ? "" : ", ") + c.company_name;
    data["companies"] = names;
    data["email"] = inv.email;
    return data;
  };

  routes.page(
      "GET", "/invitations/accept", Access::Public,
      [&invitations, &views, render, describe](Request& r, Context& c) {
        auto q = r.query();
        auto token = q ? http::findParam(*q, "token").value_or("") : "";
        auto inv = invitations.byToken(token);
        if (!inv)
          return render(c, {{"invalid", true}, {"error", views.message(c.lang, inv.error())}}, 404);
        inInvitationsLanguage(c, *inv);
        bool existing = c.principal && c.principal->mfaDone();
        // "Sign in" comes back here.
        std::string sign_in =
            "/login?next=" + http::percentEncode("/invitations/accept?token=" + token);
        return render(c,
                      describe(*inv, {{"token", token},
                                      {"existing", existing},
                                      {"sign_in", sign_in},
                                      {"first_name", inv->first_name},
                                      {"last_name", inv->last_name}}),
                      200);
      });

  routes.page(
      "POST", "/invitations/accept", Access::Public,
      [&routes, &invitations, &identity, &views, render, describe](Request&, Context& c) {
        auto token = http::findParam(c.form, "token").value_or("");
        auto invited = invitations.byToken(token);
        if (invited) inInvitationsLanguage(c, *invited);
        if (c.principal && c.principal->mfaDone()) {
          auto s = invitations.acceptExisting(*c.principal, token, c.origin);
          if (!s)
            return render(c, {{"invalid", true}, {"error", views.message(c.lang, s.error())}},
                          http::statusFor(s.error().code));
          return Response::redirect("/");
        }
        auto first = http::findParam(c.form, "first_name").value_or("");
        auto last = http::findParam(c.form, "last_name").value_or("");
        auto password = http::findParam(c.form, "password").value_or("");
        auto user = invitations.accept(token, first, last, password, c.origin);
        if (!user) {
          auto inv = invitations.byToken(token);
          json data = {{"token", token},
                       {"first_name", first},
                       {"last_name", last},
                       {"error", views.message(c.lang, user.error())}};
          if (!inv) data["invalid"] = true;
          return render(c, inv ? describe(*inv, data) : data, http::statusFor(user.error().code));
        }
        // Signed in at once with the password just chosen: on to the second factor.
        auto signed_in =
            invited ? identity.login(invited->email, password, identity::SessionKind::Web, c.origin)
                    : core::Result<identity::LoginResult>(core::fail(core::Error::notFound()));
        if (!signed_in) return Response::redirect("/login?signed_up=1");
        auto r = Response::redirect(signed_in->mfa == identity::MfaStep::Enroll   ? "/mfa/enroll"
                                    : signed_in->mfa == identity::MfaStep::Verify ? "/mfa"
                                                                                  : "/");
        r.headers.emplace_back(
            "Set-Cookie",
            routes.cookies().cookie(routes.cookies().sessionCookieName(), signed_in->token, 0));
        return r;
      },
      http::Execution::Worker);
}

}  // namespace portico::access
