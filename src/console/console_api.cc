#include "console/console_api.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "http/error_response.h"
#include "identity/guard.h"

namespace portico::console {
namespace {

using access::StaffCapability;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 200;
constexpr std::size_t kMaxSearch = 200;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

struct Listing {
  std::string search;
  std::size_t offset = 0;
  std::size_t limit = kDefaultLimit;
};

// ?q= (search), ?limit= (1..200) and the opaque ?cursor= of the previous page.
core::Result<Listing> listing(const Request& r) {
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("errors.console.bad_query"));
  Listing l;
  if (auto s = http::findParam(*q, "q")) {
    if (s->size() > kMaxSearch) {
      return core::fail(core::Error::invalid("errors.console.search_too_long", "q")
                            .with("max", std::to_string(kMaxSearch)));
    }
    l.search = *s;
  }
  auto number = [](const std::string& text, long long lo, long long hi) -> long long {
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    return (!text.empty() && end && *end == '\0' && v >= lo && v <= hi) ? v : -1;
  };
  if (auto v = http::findParam(*q, "limit")) {
    auto n = number(*v, 1, kMaxLimit);
    if (n < 0) {
      return core::fail(core::Error::invalid("errors.console.bad_limit", "limit")
                            .with("max", std::to_string(kMaxLimit)));
    }
    l.limit = static_cast<std::size_t>(n);
  }
  if (auto v = http::findParam(*q, "cursor")) {
    auto n = number(*v, 0, 1'000'000'000);
    if (n < 0) return core::fail(core::Error::invalid("errors.console.bad_cursor", "cursor"));
    l.offset = static_cast<std::size_t>(n);
  }
  return l;
}

template <typename T, typename F>
Response page(std::vector<T> rows, const Listing& l, F to_json) {
  bool more = rows.size() > l.limit;
  if (more) rows.pop_back();
  json items = json::array();
  for (const auto& row : rows) items.push_back(to_json(row));
  return Response::json(
      200, json{{"items", items},
                {"next_cursor", more ? json(std::to_string(l.offset + l.limit)) : json()}}
               .dump());
}

json departmentJson(const Department& d) {
  return {{"id", d.id}, {"name", d.name}, {"customers", d.customers}};
}
json agentJson(const Agent& a) {
  return {{"id", a.id}, {"name", a.name}, {"users", a.users}, {"customers", a.customers}};
}
json personnelJson(const PersonnelRecord& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"title", p.title},
          {"phone", p.phone},
          {"login", p.user_id ? json{{"user_id", *p.user_id}, {"email", p.user_email}} : json()}};
}
json loginJson(const Login& l) {
  return {{"id", l.id.value},
          {"email", l.email},
          {"first_name", l.first_name},
          {"last_name", l.last_name},
          {"status", l.status},
          {"last_login_at", l.last_login_at ? json(*l.last_login_at) : json()},
          {"companies", l.companies}};
}
json roleJson(const OrgRole& r) {
  return {{"key", r.key}, {"name", r.name}, {"permissions", r.permissions}};
}
json licencesJson(const Licences& l) {
  return {{"limit", l.limit ? json(*l.limit) : json()}, {"in_use", l.in_use}};
}
json invitationJson(const access::Invitation& inv) {
  json companies = json::array();
  for (const auto& c : inv.companies) {
    companies.push_back(
        {{"company_id", c.company_id.value}, {"company_name", c.company_name}, {"role", c.role}});
  }
  return {{"id", inv.id},
          {"email", inv.email},
          {"first_name", inv.first_name},
          {"last_name", inv.last_name},
          {"status", inv.accepted_at ? "accepted" : "pending"},
          {"created_at", inv.created_at},
          {"expires_at", inv.expires_at},
          {"companies", companies},
          {"agent", inv.agent_id ? json{{"id", *inv.agent_id}, {"name", inv.agent_name}} : json()}};
}

template <typename T, typename F>
Response answer(const core::Result<T>& r, int status, F to_json) {
  if (!r) return http::jsonError(r.error());
  return Response::json(status, to_json(*r).dump());
}

core::Result<json> body(const Request& r) { return identity::parseJsonObject(r.body); }

}  // namespace

json customerJson(const access::Company& c) {
  return {{"id", c.id.value},
          {"name", c.name},
          {"external_id", c.external_id ? json(*c.external_id) : json()},
          {"org_number", c.org_number},
          {"managed", c.managed},
          {"department_id", c.department_id ? json(*c.department_id) : json()},
          {"agent", c.agent_id ? json{{"id", *c.agent_id},
                                      {"until", c.agent_until ? json(*c.agent_until) : json()}}
                               : json()}};
}

void registerConsoleApi(access::StaffRoutes& routes, ConsoleService& console,
                        access::InvitationService& invitations) {
  // Customers.
  routes.api("GET", "/api/v1/staff/customers", StaffCapability::Customers,
             [&console](Request& r, Context&, const StaffRole& s) {
               auto l = listing(r);
               if (!l) return http::jsonError(l.error());
               return page(console.customers(s, l->search, l->offset, l->limit + 1), *l,
                           customerJson);
             });
  routes.api("POST", "/api/v1/staff/customers", StaffCapability::Customers,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               return answer(console.saveCustomer(s, std::nullopt, *b, actorOf(c)), 201,
                             customerJson);
             });
  routes.api("GET", "/api/v1/staff/customers/{id}", StaffCapability::Customers,
             [&console](Request& r, Context&, const StaffRole& s) {
               return answer(console.customer(s, core::CompanyId{r.idParam("id")}), 200,
                             customerJson);
             });
  routes.api("PATCH", "/api/v1/staff/customers/{id}", StaffCapability::Customers,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               return answer(
                   console.saveCustomer(s, core::CompanyId{r.idParam("id")}, *b, actorOf(c)), 200,
                   customerJson);
             });
  routes.api(
      "PUT", "/api/v1/staff/customers/{id}/agent", StaffCapability::Agents,
      [&console](Request& r, Context& c, const StaffRole& s) {
        auto b = body(r);
        if (!b) return http::jsonError(b.error());
        auto agent = b->find("agent_id");
        if (agent == b->end() || !agent->is_number_integer()) {
          return http::jsonError(
              core::Error::invalid("errors.console.agent_id_required", "agent_id"));
        }
        std::optional<std::int64_t> until;
        if (auto u = b->find("until"); u != b->end() && !u->is_null()) {
          if (!u->is_number_integer()) {
            return http::jsonError(core::Error::invalid("errors.console.bad_until", "until"));
          }
          until = u->get<std::int64_t>();
        }
        return answer(console.allocate(s, core::CompanyId{r.idParam("id")},
                                       agent->get<std::int64_t>(), until, actorOf(c)),
                      200, customerJson);
      });
  routes.api("DELETE", "/api/v1/staff/customers/{id}/agent", StaffCapability::Agents,
             [&console](Request& r, Context& c, const StaffRole& s) {
               return answer(console.allocate(s, core::CompanyId{r.idParam("id")}, std::nullopt,
                                              std::nullopt, actorOf(c)),
                             200, customerJson);
             });

  // Departments.
  routes.api("GET", "/api/v1/staff/departments", StaffCapability::Departments,
             [&console](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& d : console.departments(s)) items.push_back(departmentJson(d));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/staff/departments", StaffCapability::Departments,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               auto n = identity::stringField(*b, "name", 200);
               if (!n) return http::jsonError(n.error());
               return answer(console.createDepartment(s, *n, actorOf(c)), 201, departmentJson);
             });
  routes.api("PUT", "/api/v1/staff/department-admins/{user_id}", StaffCapability::Departments,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               auto list = b->find("departments");
               std::vector<std::int64_t> ids;
               if (list == b->end() || !list->is_array()) {
                 return http::jsonError(
                     core::Error::invalid("errors.console.departments_not_list", "departments"));
               }
               for (const auto& v : *list) {
                 if (!v.is_number_integer()) {
                   return http::jsonError(
                       core::Error::invalid("errors.console.departments_not_list", "departments"));
                 }
                 ids.push_back(v.get<std::int64_t>());
               }
               auto st = console.setDepartments(*c.principal, s, core::UserId{r.idParam("user_id")},
                                                ids, actorOf(c));
               return st ? Response::noContent() : http::jsonError(st.error());
             });

  // Agents.
  routes.api("GET", "/api/v1/staff/agents", StaffCapability::Agents,
             [&console](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& a : console.agents(s)) items.push_back(agentJson(a));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/staff/agents", StaffCapability::Agents,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               auto n = identity::stringField(*b, "name", 300);
               if (!n) return http::jsonError(n.error());
               return answer(console.createAgent(s, *n, actorOf(c)), 201, agentJson);
             });
  routes.api(
      "POST", "/api/v1/staff/agents/{id}/users", StaffCapability::Agents,
      [&console, &invitations](Request& r, Context& c, const StaffRole& s) {
        auto b = body(r);
        if (!b) return http::jsonError(b.error());
        auto e = identity::stringField(*b, "email", 254);
        if (!e) return http::jsonError(e.error());
        if (!b->contains("first_name")) {
          return answer(console.addAgentUser(*c.principal, s, r.idParam("id"), *e, actorOf(c)), 200,
                        agentJson);
        }
        // Someone without a login: an invitation into the agent.
        auto agent = console.agentToInvite(s, r.idParam("id"), *e);
        if (!agent) return http::jsonError(agent.error());
        access::NewInvitation n;
        n.email = *e;
        for (auto [key, target] :
             {std::pair{"first_name", &n.first_name}, std::pair{"last_name", &n.last_name},
              std::pair{"language", &n.language}}) {
          auto v = identity::stringField(*b, key, 100);
          if (!v) return http::jsonError(v.error());
          if (!v->empty()) *target = *v;
        }
        auto inv = invitations.inviteToAgent(*c.principal, s, r.idParam("id"), *agent, n, c.origin);
        if (!inv) return http::jsonError(inv.error());
        return Response::json(201, json{{"invitation",
                                         {{"id", inv->id},
                                          {"email", inv->email},
                                          {"agent", *agent},
                                          {"expires_at", inv->expires_at}}}}
                                       .dump());
      });
  routes.api("DELETE", "/api/v1/staff/agents/{id}/users/{user_id}", StaffCapability::Agents,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto st = console.removeAgentUser(*c.principal, s, r.idParam("id"),
                                                 core::UserId{r.idParam("user_id")}, actorOf(c));
               return st ? Response::noContent() : http::jsonError(st.error());
             });

  // Personnel.
  routes.api("GET", "/api/v1/staff/personnel", StaffCapability::Personnel,
             [&console](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& p : console.personnel(s)) items.push_back(personnelJson(p));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/staff/personnel", StaffCapability::Personnel,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               return answer(console.createPersonnel(s, *b, actorOf(c)), 201, personnelJson);
             });
  routes.api("DELETE", "/api/v1/staff/personnel/{id}", StaffCapability::Personnel,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto st = console.deletePersonnel(s, r.idParam("id"), actorOf(c));
               return st ? Response::noContent() : http::jsonError(st.error());
             });

  // The organization's own role presets.
  routes.api("GET", "/api/v1/staff/roles", StaffCapability::Users,
             [&console](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& role : console.roles(s)) items.push_back(roleJson(role));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/staff/roles", StaffCapability::Roles,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               return answer(console.saveRole(*c.principal, s, true, *b, actorOf(c)), 201,
                             roleJson);
             });
  routes.api("PUT", "/api/v1/staff/roles/{key}", StaffCapability::Roles,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               (*b)["key"] = r.param("key");
               return answer(console.saveRole(*c.principal, s, false, *b, actorOf(c)), 200,
                             roleJson);
             });

  // Licences.
  routes.api("GET", "/api/v1/staff/licences", StaffCapability::Licences,
             [&console](Request&, Context&, const StaffRole& s) {
               return Response::json(200, licencesJson(console.licences(s)).dump());
             });
  routes.api(
      "PUT", "/api/v1/staff/licences", StaffCapability::Licences,
      [&console](Request& r, Context& c, const StaffRole& s) {
        auto b = body(r);
        if (!b) return http::jsonError(b.error());
        auto l = b->find("limit");
        std::optional<int> limit;
        if (l == b->end() || (!l->is_null() && !l->is_number_integer())) {
          return http::jsonError(core::Error::invalid("errors.console.limit_not_number", "limit"));
        }
        if (l->is_number_integer()) {
          auto v = l->get<std::int64_t>();
          limit = v < 0 || v > 1'000'000 ? -1 : static_cast<int>(v);
        }
        return answer(console.setLicenceLimit(s, limit, actorOf(c)), 200, licencesJson);
      });

  // Security: step-up before sensitive actions.
  routes.api("GET", "/api/v1/staff/security", StaffCapability::Security,
             [&console](Request&, Context&, const StaffRole& s) {
               return Response::json(200, json{{"step_up", console.stepUpRequired(s)}}.dump());
             });
  routes.api("PUT", "/api/v1/staff/security", StaffCapability::Security,
             [&console](Request& r, Context& c, const StaffRole& s) {
               auto b = body(r);
               if (!b) return http::jsonError(b.error());
               auto on = b->find("step_up");
               if (on == b->end() || !on->is_boolean()) {
                 return http::jsonError(
                     core::Error::invalid("errors.console.step_up_not_boolean", "step_up"));
               }
               auto set = console.setStepUpRequired(*c.principal, s, on->get<bool>(), actorOf(c));
               if (!set) return http::jsonError(set.error());
               return Response::json(200, json{{"step_up", console.stepUpRequired(s)}}.dump());
             });

  // Logins.
  routes.api("GET", "/api/v1/staff/users", StaffCapability::Users,
             [&console](Request& r, Context&, const StaffRole& s) {
               auto l = listing(r);
               if (!l) return http::jsonError(l.error());
               return page(console.logins(s, l->search, l->offset, l->limit + 1), *l, loginJson);
             });
  for (bool enable : {false, true}) {
    routes.api(
        "POST",
        enable ? "/api/v1/staff/users/{user_id}/enable" : "/api/v1/staff/users/{user_id}/disable",
        StaffCapability::Users, [&console, enable](Request& r, Context& c, const StaffRole& s) {
          return answer(
              console.setLoginEnabled(s, core::UserId{r.idParam("user_id")}, enable, actorOf(c)),
              200, loginJson);
        });
  }

  // The organization side's invitations: those staff made.
  routes.api("GET", "/api/v1/staff/invitations", StaffCapability::Users,
             [&invitations](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& i : invitations.staffInvitations(s)) {
                 items.push_back(invitationJson(i));
               }
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("DELETE", "/api/v1/staff/invitations/{id}", StaffCapability::Users,
             [&invitations](Request& r, Context& c, const StaffRole&) {
               auto st = invitations.deleteInvitation(*c.principal, r.idParam("id"), c.origin);
               return st ? Response::noContent() : http::jsonError(st.error());
             });
}

}  // namespace portico::console
