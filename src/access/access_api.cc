#include "access/access_api.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <tuple>

#include "access/member_events.h"
#include "core/money.h"
#include "core/random.h"
#include "core/text.h"
#include "http/error_response.h"
#include "identity/identity_api.h"
#include "identity/identity_repository.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

void appendCompany(std::string& out, const CompanyAccess& a) {
  out += R"({"id":)";
  out += std::to_string(a.company.id.value);
  out += R"(,"name":")";
  core::appendJsonEscaped(out, a.company.name);
  out += R"(","role":")";
  core::appendJsonEscaped(out, a.role);
  out += R"(","permissions":[)";
  bool first = true;
  for (auto p : a.permissions.list()) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += permissionName(p);
    out += '"';
  }
  out += R"(],"sites":)";
  if (a.all_sites) {
    out += R"("all")";
  } else {
    out += '[';
    for (std::size_t i = 0; i < a.sites.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(a.sites[i]);
    }
    out += ']';
  }
  out += '}';
}

// ?limit= (1..200, default 50) and the opaque ?cursor= of the previous page.
core::Result<std::pair<std::size_t, std::size_t>> paging(const Request& r) {
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("errors.access.bad_query"));
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
  if (auto l = http::findParam(*q, "limit")) {
    try {
      std::size_t used = 0;
      int v = std::stoi(*l, &used);
      if (used != l->size() || v < 1 || v > kMaxLimit) throw std::out_of_range("limit");
      limit = static_cast<std::size_t>(v);
    } catch (...) {
      return core::fail(core::Error::invalid("errors.access.bad_limit", "limit")
                            .with("max", std::to_string(kMaxLimit)));
    }
  }
  if (auto c = http::findParam(*q, "cursor")) {
    try {
      std::size_t used = 0;
      auto v = std::stoll(*c, &used);
      if (used != c->size() || v < 0) throw std::out_of_range("cursor");
      offset = static_cast<std::size_t>(v);
    } catch (...) {
      return core::fail(core::Error::invalid("errors.access.bad_cursor", "cursor"));
    }
  }
  return std::make_pair(limit, offset);
}

}  // namespace

void registerAccessApi(identity::GuardedRoutes& routes, Policy& policy, audit::AuditLog& audit) {
  routes.api("GET", "/api/v1/me", Access::SignedIn, [&policy](Request&, Context& c) {
    std::string out = R"({"user":)";
    out += identity::userJson(c.principal->user);
    out += R"(,"companies":[)";
    bool first = true;
    for (const auto& a : policy.memberships(*c.principal)) {
      if (!first) out += ',';
      first = false;
      appendCompany(out, a);
    }
    out += "]}";
    return Response::json(200, std::move(out));
  });

  routes.api("GET", "/api/v1/companies", Access::SignedIn, [&policy](Request& r, Context& c) {
    auto page = paging(r);
    if (!page) return http::jsonError(page.error());
    auto [limit, offset] = *page;
    bool more = false;
    auto items = policy.companies(*c.principal, offset, limit, &more);
    std::string out = R"({"items":[)";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      appendCompany(out, items[i]);
    }
    out += R"(],"next_cursor":)";
    out += more ? "\"" + std::to_string(offset + limit) + "\"" : "null";
    out += '}';
    return Response::json(200, std::move(out));
  });

  routes.api("GET", "/api/v1/companies/{id}", Access::SignedIn,
             [&policy, &audit](Request& r, Context& c) {
               std::int64_t id = r.idParam("id");
               auto a = id > 0 ? policy.company(*c.principal, core::CompanyId{id}) : std::nullopt;
               if (!a)
                 return http::jsonError(core::Error::notFound("errors.access.no_such_company"));
               recordAgentAccess(audit, r, c, *a);
               std::string out;
               appendCompany(out, *a);
               return Response::json(200, std::move(out));
             });
}

namespace {

json memberJson(const Member& m) {
  json perms = json::array();
  for (auto p : m.permissions.list()) perms.push_back(std::string(permissionName(p)));
  return {{"id", m.user_id.value},
          {"email", m.email},
          {"first_name", m.first_name},
          {"last_name", m.last_name},
          {"role", m.role},
          {"permissions", perms},
          {"sites", m.all_sites ? json("all") : json(m.sites)},
          {"visibility", m.own_records_only ? "own" : "company"},
          {"last_login_at", m.last_login_at ? json(*m.last_login_at) : json(nullptr)},
          {"two_factor", m.has_second_factor},
          {"invited_by", m.invited_by ? json(*m.invited_by) : json(nullptr)}};
}

// Parses {role} | {permissions:[…]} and/or {sites:"all"|[ids]} and/or {visibility}.
core::Result<RightsChange> parseRights(const std::string& body_text) {
  auto body = identity::parseJsonObject(body_text);
  if (!body) return core::fail(body.error());
  RightsChange change;
  for (const auto& [key, value] : body->items()) {
    if (key == "role") {
      if (!value.is_string())
        return core::fail(core::Error::invalid("errors.access.role_not_text", "role"));
      change.role = value.get<std::string>();
    } else if (key == "permissions") {
      if (!value.is_array()) {
        return core::fail(
            core::Error::invalid("errors.access.permissions_not_list", "permissions"));
      }
      PermissionSet set;
      for (const auto& v : value) {
        auto p = v.is_string() ? permissionFromName(v.get<std::string>()) : std::nullopt;
        if (!p) {
          return core::fail(
              core::Error::invalid("errors.access.unknown_permission", "permissions")
                  .with("permission", v.is_string() ? v.get<std::string>() : v.dump()));
        }
        set.add(*p);
      }
      change.permissions = set;
    } else if (key == "sites") {
      if (value == "all") {
        change.all_sites = true;
      } else if (value.is_array()) {
        change.all_sites = false;
        for (const auto& v : value) {
          if (!v.is_number_integer()) {
            return core::fail(core::Error::invalid("errors.access.sites_all_or_list", "sites"));
          }
          change.sites.push_back(v.get<std::int64_t>());
        }
      } else {
        return core::fail(core::Error::invalid("errors.access.sites_all_or_list", "sites"));
      }
    } else if (key == "visibility") {
      if (value != "company" && value != "own") {
        return core::fail(core::Error::invalid("errors.access.bad_visibility", "visibility"));
      }
      change.own_records_only = value == "own";
    } else {
      return core::fail(
          core::Error::invalid("errors.access.unknown_field", key).with("field", key));
    }
  }
  return change;
}

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

}  // namespace

void registerMembersApi(CompanyRoutes& routes, MembershipService& members) {
  routes.api("GET", "/api/v1/companies/{id}/users", Permission::UsersManage,
             [&members](Request&, Context&, const CompanyAccess& a) {
               json items = json::array();
               for (const auto& m : members.members(a)) items.push_back(memberJson(m));
               return Response::json(200, json{{"items", items}}.dump());
             });

  // The agent allocated to the company: its name, read-only scope, logins and end.
  routes.api(
      "GET", "/api/v1/companies/{id}/agent", Permission::UsersManage,
      [&members](Request&, Context&, const CompanyAccess& a) {
        auto agent = members.agent(a);
        if (!agent) return Response::json(200, R"({"agent":null})");
        json perms = json::array();
        for (auto p : agent->permissions.list()) {
          perms.push_back(std::string(permissionName(p)));
        }
        json out = {
            {"name", agent->name},     {"until", agent->until ? json(*agent->until) : json()},
            {"active", agent->active}, {"permissions", perms},
            {"sites", "all"},          {"logins", agent->logins}};
        return Response::json(200, json{{"agent", out}}.dump());
      });

  routes.api("PATCH", "/api/v1/companies/{id}/users/{user_id}", Permission::UsersManage,
             [&members](Request& r, Context& c, const CompanyAccess& a) {
               core::UserId user{r.idParam("user_id")};
               if (!user)
                 return http::jsonError(core::Error::notFound("errors.access.no_such_member"));
               auto change = parseRights(r.body);
               if (!change) return http::jsonError(change.error());
               auto s = members.changeRights(*c.principal, a, user, *change, actorOf(c));
               if (!s) return http::jsonError(s.error());
               for (const auto& m : members.members(a)) {
                 if (m.user_id == user) return Response::json(200, memberJson(m).dump());
               }
               return http::jsonError(core::Error::notFound("errors.access.no_such_member"));
             });

  routes.api("DELETE", "/api/v1/companies/{id}/users/{user_id}", Permission::UsersManage,
             [&members](Request& r, Context& c, const CompanyAccess& a) {
               core::UserId user{r.idParam("user_id")};
               if (!user)
                 return http::jsonError(core::Error::notFound("errors.access.no_such_member"));
               auto s = members.remove(*c.principal, a, user, actorOf(c));
               if (!s) return http::jsonError(s.error());
               return Response::noContent();
             });
}

std::string_view basisName(Basis b) {
  switch (b) {
    case Basis::Membership:
      return "membership";
    case Basis::Agent:
      return "agent";
    case Basis::Staff:
      return "staff";
  }
  return "";
}

json explanationJson(const Explanation& e, core::UserId subject, core::CompanyId company,
                     std::optional<Permission> permission) {
  json steps = json::array();
  for (const auto& s : e.steps) {
    json args = json::object();
    for (const auto& [name, value] : s.args) args[name] = value;
    steps.push_back({{"check", s.check},
                     {"passed", s.passed},
                     {"detail", s.detail},
                     {"reason", s.reason},
                     {"args", args}});
  }
  json out = {{"user_id", subject.value},
              {"company_id", company.value},
              {"permission", permission ? json(std::string(permissionName(*permission))) : json()},
              {"sees_company", e.sees_company},
              {"allowed", e.allowed},
              {"steps", steps},
              {"access", json()}};
  if (e.access) {
    json perms = json::array();
    for (auto p : e.access->permissions.list()) perms.push_back(std::string(permissionName(p)));
    out["access"] = {{"basis", basisName(e.access->basis)},
                     {"role", e.access->role},
                     {"permissions", perms},
                     {"sites", e.access->all_sites ? json("all") : json(e.access->sites)}};
  }
  return out;
}

core::Result<std::tuple<core::UserId, std::optional<Permission>, std::optional<std::int64_t>>>
explainQuery(const Request& r) {
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("errors.access.bad_query"));
  auto number = [](const std::string& text) -> std::int64_t {
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    return (end && *end == '\0' && !text.empty() && v > 0) ? v : 0;
  };
  auto user = http::findParam(*q, "user_id");
  std::int64_t user_id = user ? number(*user) : 0;
  if (!user_id)
    return core::fail(
        core::Error::invalid("errors.access.field_required", "user_id").with("field", "user_id"));
  std::optional<Permission> permission;
  if (auto p = http::findParam(*q, "permission"); p && !p->empty()) {
    permission = permissionFromName(*p);
    if (!permission) {
      return core::fail(core::Error::invalid("errors.access.unknown_permission", "permission")
                            .with("permission", *p));
    }
  }
  std::optional<std::int64_t> site;
  if (auto s = http::findParam(*q, "site_id"); s && !s->empty()) {
    site = number(*s);
    if (!*site) return core::fail(core::Error::invalid("errors.access.bad_site_id", "site_id"));
  }
  return std::tuple{core::UserId{user_id}, permission, site};
}

void registerExplainApi(CompanyRoutes& routes, Policy& policy) {
  routes.api("GET", "/api/v1/companies/{id}/explain", Permission::UsersManage,
             [&policy](Request& r, Context&, const CompanyAccess& a) {
               auto q = explainQuery(r);
               if (!q) return http::jsonError(q.error());
               auto [user, permission, site] = *q;
               auto e = policy.explainTo(a, user, permission, site);
               if (!e) return http::jsonError(e.error());
               return Response::json(200,
                                     explanationJson(*e, user, a.company.id, permission).dump());
             });
}

core::Result<Company> recordCompany(AccessRepository& repo, core::OrgId org,
                                    const std::string& external_id) {
  auto company = repo.findCompanyByExternalId(org, external_id);
  if (!company) {
    return core::fail(
        core::Error::invalid("errors.integration.unknown_company", "company_external_id")
            .with("external_id", external_id));
  }
  return std::move(*company);
}

void registerCompanyKind(integration::Kinds& kinds, AccessRepository& repo, audit::AuditLog& audit,
                         const core::Clock& clock) {
  kinds.add(std::make_unique<integration::KindOf<CompanyUpsert>>(
      "companies",
      [](const json& body) -> core::Result<CompanyUpsert> {
        CompanyUpsert u;
        for (auto [key, target, max] :
             {std::tuple{"external_id", &u.external_id, 200}, std::tuple{"name", &u.name, 300},
              std::tuple{"org_number", &u.org_number, 100}}) {
          auto v = identity::stringField(body, key, static_cast<std::size_t>(max));
          if (!v) return core::fail(v.error());
          *target = std::string(core::trim(*v));
        }
        if (u.external_id.empty()) {
          return core::fail(core::Error::invalid("errors.access.field_required", "external_id")
                                .with("field", "external_id"));
        }
        if (u.name.empty()) {
          return core::fail(
              core::Error::invalid("errors.access.field_required", "name").with("field", "name"));
        }
        if (auto managed = body.find("managed"); managed != body.end()) {
          if (!managed->is_boolean()) {
            return core::fail(core::Error::invalid("errors.access.managed_not_boolean", "managed"));
          }
          u.managed = managed->get<bool>();
        }
        if (auto currency = body.find("currency"); currency != body.end() && !currency->is_null()) {
          if (!currency->is_string() || !core::isCurrencyCode(currency->get<std::string>())) {
            return core::fail(core::Error::invalid("errors.access.bad_currency", "currency"));
          }
          u.currency = currency->get<std::string>();
        }
        return u;
      },
      [&repo, &audit, &clock](const integration::Caller& caller, const CompanyUpsert& u,
                              std::string* answer) -> core::Result<integration::Upserted> {
        auto [company, created] = repo.upsertCompany(caller.org, u, clock.now());
        std::string detail = R"({"external_id":")";
        core::appendJsonEscaped(detail, u.external_id);
        detail += "\"}";
        audit.record(caller.actor, {created ? "company.created" : "company.updated", std::nullopt,
                                    caller.org, company.id, std::move(detail)});
        if (answer) {
          json j = {{"id", company.id.value},
                    {"external_id", u.external_id},
                    {"name", company.name},
                    {"org_number", company.org_number},
                    {"managed", company.managed}};
          if (u.currency) j["currency"] = *u.currency;
          *answer = j.dump();
        }
        return integration::Upserted{company.id.value, created};
      }));
}

void registerIntegrationApi(identity::GuardedRoutes& routes, AccessRepository& repo,
                            identity::IdentityService& identity) {
  routes.api(
      "POST", "/api/v1/integration/companies/{external_id}/admin-signup", Access::ApiKey,
      [&repo, &identity](Request& r, Context& c) {
        auto company = repo.findCompanyByExternalId(*c.integration_org, r.param("external_id"));
        if (!company)
          return http::jsonError(core::Error::notFound("errors.access.no_such_company"));
        auto body = identity::parseJsonObject(r.body);
        if (!body) return http::jsonError(body.error());
        auto email = identity::stringField(*body, "email", 254);
        if (!email) return http::jsonError(email.error());
        auto by = identity::stringField(*body, "requested_by", 200);
        if (!by) return http::jsonError(by.error());
        auto sent = identity.sendCompanyAdminSignup(*c.integration_org, company->id, company->name,
                                                    *email, *by, c.origin);
        if (!sent) return http::jsonError(sent.error());
        return Response::json(202, json{{"sent", true}, {"company_id", company->id.value}}.dump());
      });
}

core::Result<std::string> ApiKeys::create(const std::string& org, const std::string& name,
                                          identity::IdentityRepository& identity_repo) {
  auto org_id = identity_repo.findOrganization(org);
  if (!org_id)
    return core::fail(
        core::Error::notFound("errors.access.no_such_organization").with("name", org));
  auto label = std::string(core::trim(name));
  if (label.empty() || label.size() > 200 || !core::isCleanUtf8(label)) {
    return core::fail(
        core::Error::invalid("errors.access.key_name_required", "name").with("max", "200"));
  }
  std::string key = "pk_" + core::randomToken(32);
  storage::Transaction tx(repo_.conn());
  repo_.insertApiKey(*org_id, label, core::sha256Hex(key), clock_.now());
  audit_.record({std::nullopt, "", "cli"}, {"api_key.created", std::nullopt, *org_id, std::nullopt,
                                            json{{"name", label}}.dump()});
  tx.commit();
  return key;
}

std::optional<core::OrgId> ApiKeys::verify(const std::string& key, const identity::Origin& o) {
  if (!key.starts_with("pk_") || key.size() > 100) return std::nullopt;
  auto found = repo_.findApiKey(core::sha256Hex(key));
  if (!found) return std::nullopt;
  repo_.touchApiKey(found->id, clock_.now());
  audit_.record({std::nullopt, o.ip, o.request_id},
                {"api_key.used", std::nullopt, found->org_id, std::nullopt,
                 json{{"key", found->name}}.dump()});
  return found->org_id;
}

void CompanySignupGrants::grant(const identity::SignupLink& link, core::UserId user) {
  if (link.purpose != "company_admin" || !link.company_id) return;
  core::CompanyId company{*link.company_id};
  repo_.putMembership(company, user, "administrator", PermissionSet::all(), std::nullopt,
                      clock_.now());
  audit_.record({user, "", ""}, {"membership.granted", user, link.org_id, company,
                                 json{{"role", "administrator"}, {"via", "admin_signup"}}.dump()});
  recordMemberEvent(events_, "user.joined", link.org_id, company, "user", user.value, link.email,
                    EventRights{"administrator", PermissionSet::all(), true, {}},
                    json{{"via", "admin_signup"}}.dump());
}

}  // namespace portico::access
