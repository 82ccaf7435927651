#include "access/access_pages.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "http/error_response.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

class Pages {
 public:
  Pages(Policy& policy, MembershipService& members, InvitationService& invitations,
        const web::Views& views)
      : policy_(policy), members_(members), invitations_(invitations), views_(views) {}

  Response render(const Context& c, const std::string& name, json data, int status = 200) const {
    data["csrf"] = c.csrf;
    if (!data.contains("title")) data["title"] = views_.translate(c.lang, name + ".title");
    data["signed_in"] = true;
    data["user_name"] = c.principal->user.first_name + " " + c.principal->user.last_name;
    return Response::html(status, views_.page(name, c.lang, data));
  }

  std::string roleName(const Context& c, const std::string& role) const {
    return views_.translate(c.lang, "role." + role);
  }

  Response home(Context& c) const {
    json companies = json::array();
    for (const auto& a : policy_.companies(*c.principal)) {
      companies.push_back({{"id", a.company.id.value},
                           {"name", a.company.name},
                           {"role", roleName(c, a.role)},
                           {"manages_users", a.can(Permission::UsersManage)}});
    }
    return render(c, "home",
                  {{"first_name", c.principal->user.first_name},
                   {"companies", companies},
                   {"has_companies", !companies.empty()}});
  }

  Response company(Context& c, std::int64_t id, const std::string& error, int status) const {
    auto a = id ? policy_.company(*c.principal, core::CompanyId{id}) : std::nullopt;
    if (!a) return notFound(c);
    json perms = json::array();
    for (auto p : a->permissions.list()) perms.push_back(std::string(permissionName(p)));
    json data = {{"title", a->company.name},
                 {"company_id", a->company.id.value},
                 {"company_name", a->company.name},
                 {"role", roleName(c, a->role)},
                 {"permissions", perms},
                 {"all_sites", a->all_sites}};
    if (!error.empty()) data["error"] = error;
    if (a->can(Permission::UsersManage)) {
      json list = json::array();
      for (const auto& m : members_.members(*a)) {
        list.push_back({{"id", m.user_id.value},
                        {"name", m.first_name + " " + m.last_name},
                        {"email", m.email},
                        {"role", roleName(c, m.role)},
                        {"two_factor", m.has_second_factor},
                        {"invited_by", m.invited_by.value_or("")},
                        {"self", m.user_id == c.principal->user.id}});
      }
      json pending = json::array();
      for (const auto& inv : invitations_.pendingIn(*a)) {
        for (const auto& ic : inv.companies) {
          if (ic.company_id == a->company.id) {
            pending.push_back(
                {{"id", inv.id}, {"email", inv.email}, {"role", roleName(c, ic.role)}});
          }
        }
      }
      json roles = json::array();
      for (const auto& preset : rolePresets()) {
        if (preset.permissions.subsetOf(a->permissions)) {
          roles.push_back(
              {{"id", std::string(preset.id)}, {"name", roleName(c, std::string(preset.id))}});
        }
      }
      data["manages_users"] = true;
      data["members"] = list;
      data["has_pending"] = !pending.empty();
      data["pending"] = pending;
      data["roles"] = roles;
    }
    return render(c, "company", data, status);
  }

  Response notFound(const Context& c) const {
    return render(c, "error",
                  {{"heading", views_.translate(c.lang, "error.not_found")},
                   {"message", views_.translate(c.lang, "company.not_found")}},
                  404);
  }

  Policy& policy_;
  MembershipService& members_;
  InvitationService& invitations_;
  const web::Views& views_;
};

}  // namespace

std::shared_ptr<void> registerAccessPages(identity::GuardedRoutes& routes, Policy& policy,
                                          MembershipService& members,
                                          InvitationService& invitations, const web::Views& views) {
  auto owner = std::make_shared<Pages>(policy, members, invitations, views);
  Pages& pages = *owner;

  routes.page("GET", "/", Access::SignedIn,
              [&pages](Request&, Context& c) { return pages.home(c); });

  routes.page("GET", "/companies/{id}", Access::SignedIn, [&pages](Request& r, Context& c) {
    return pages.company(c, r.idParam("id"), "", 200);
  });

  routes.page("POST", "/companies/{id}/users/{user_id}/remove", Access::SignedIn,
              [&pages, &policy, &members](Request& r, Context& c) {
                auto id = r.idParam("id");
                auto a = id ? policy.company(*c.principal, core::CompanyId{id}) : std::nullopt;
                if (!a) return pages.notFound(c);
                if (!a->can(Permission::UsersManage)) {
                  return pages.company(c, id, "You need the permission 'users.manage' here", 403);
                }
                auto s = members.remove(*a, core::UserId{r.idParam("user_id")},
                                        {c.principal->user.id, c.origin.ip, c.origin.request_id});
                if (!s)
                  return pages.company(c, id, s.error().message, http::statusFor(s.error().code));
                return Response::redirect("/companies/" + std::to_string(id));
              });

  routes.page(
      "POST", "/companies/{id}/invitations", Access::SignedIn,
      [&pages, &invitations](Request& r, Context& c) {
        auto id = r.idParam("id");
        auto field = [&c](const char* name) { return http::findParam(c.form, name).value_or(""); };
        NewInvitation n;
        n.email = field("email");
        n.first_name = field("first_name");
        n.last_name = field("last_name");
        n.language = field("language");
        InvitedCompany ic;
        ic.company_id = core::CompanyId{id};
        ic.role = field("role");
        n.companies.push_back(ic);
        auto inv = invitations.invite(*c.principal, std::move(n), c.origin);
        if (!inv) {
          if (inv.error().code == core::ErrorCode::NotFound) return pages.notFound(c);
          return pages.company(c, id, inv.error().message, http::statusFor(inv.error().code));
        }
        return Response::redirect("/companies/" + std::to_string(id));
      });

  routes.page("POST", "/companies/{id}/invitations/{invitation_id}/revoke", Access::SignedIn,
              [&pages, &invitations](Request& r, Context& c) {
                auto id = r.idParam("id");
                auto s = invitations.revoke(*c.principal, r.idParam("invitation_id"), c.origin);
                if (!s)
                  return pages.company(c, id, s.error().message, http::statusFor(s.error().code));
                return Response::redirect("/companies/" + std::to_string(id));
              });
  return owner;
}

}  // namespace portico::access
