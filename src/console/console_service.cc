#include "console/console_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::console {
namespace {

using access::Company;
using access::Policy;
using access::StaffRole;
using core::Error;
using core::fail;
using nlohmann::json;

Error noCustomer() { return Error::notFound("errors.console.no_such_customer"); }

core::Result<std::string> name(const json& body, const char* key, std::size_t max,
                               const std::string& fallback, bool required = true) {
  auto it = body.find(key);
  if (it == body.end()) {
    if (required && fallback.empty()) {
      return fail(Error::invalid("errors.console.field_required", key).with("field", key));
    }
    return fallback;
  }
  if (!it->is_string()) {
    return fail(Error::invalid("errors.console.field_not_text", key).with("field", key));
  }
  std::string v(core::trim(it->get<std::string>()));
  if ((required && v.empty()) || v.size() > max || !core::isCleanUtf8(v)) {
    auto e = required ? Error::invalid("errors.console.field_required_at_most", key)
                      : Error::invalid("errors.console.field_at_most", key);
    return fail(std::move(e).with("field", key).with("max", std::to_string(max)));
  }
  return v;
}

core::Result<std::string> plainName(const std::string& text, std::size_t max) {
  std::string v(core::trim(text));
  if (v.empty() || v.size() > max || !core::isCleanUtf8(v)) {
    return fail(
        Error::invalid("errors.console.name_required", "name").with("max", std::to_string(max)));
  }
  return v;
}

}  // namespace

void ConsoleService::record(const audit::Actor& actor, const StaffRole& staff,
                            const std::string& event, std::optional<core::CompanyId> company,
                            const json& detail, std::optional<core::UserId> subject) {
  audit_.record(actor, {event, subject, staff.org_id, company, detail.dump()});
}

std::vector<Company> ConsoleService::customers(const StaffRole& staff, const std::string& search,
                                               std::size_t offset, std::size_t limit) {
  std::optional<std::vector<std::int64_t>> departments;
  if (staff.role == "department_admin") departments = staff.departments;
  return repo_.customers(staff.org_id, std::string(core::trim(search)), departments, offset, limit);
}

core::Result<Company> ConsoleService::customer(const StaffRole& staff, core::CompanyId id) {
  auto c = access_.findCompany(id);
  if (!c || !Policy::staffReaches(staff, *c)) return fail(noCustomer());
  return *c;
}

core::Result<Company> ConsoleService::saveCustomer(const StaffRole& staff,
                                                   std::optional<core::CompanyId> id,
                                                   const json& body, const audit::Actor& actor) {
  Company c;
  if (id) {
    auto existing = customer(staff, *id);
    if (!existing) return fail(existing.error());
    c = *existing;
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "name" && key != "external_id" && key != "org_number" && key != "managed" &&
        key != "department_id") {
      return fail(Error::invalid("errors.console.unknown_field", key).with("field", key));
    }
  }
  auto n = name(body, "name", 200, c.name);
  if (!n) return fail(n.error());
  c.name = *n;
  auto org_number = name(body, "org_number", 40, c.org_number, false);
  if (!org_number) return fail(org_number.error());
  c.org_number = *org_number;
  if (auto it = body.find("external_id"); it != body.end()) {
    if (it->is_null()) {
      c.external_id.reset();
    } else {
      auto ext = name(body, "external_id", 100, "");
      if (!ext) return fail(ext.error());
      c.external_id = *ext;
    }
  }
  if (auto it = body.find("managed"); it != body.end()) {
    if (!it->is_boolean())
      return fail(Error::invalid("errors.console.managed_not_boolean", "managed"));
    if (id && it->get<bool>() != c.managed && staff.role != "admin") {
      // Turning a customer independent (or back) decides who administers its users.
      return fail(Error::forbidden("errors.console.managed_by_admin_only"));
    }
    c.managed = it->get<bool>();
  }
  if (auto it = body.find("department_id"); it != body.end()) {
    if (it->is_null()) {
      c.department_id.reset();
    } else if (!it->is_number_integer() ||
               !repo_.departmentOf(staff.org_id, it->get<std::int64_t>())) {
      return fail(Error::invalid("errors.console.bad_department", "department_id"));
    } else {
      c.department_id = it->get<std::int64_t>();
    }
  }
  c.org_id = staff.org_id;
  if (!Policy::staffReaches(staff, c)) {
    return fail(Error::invalid("errors.console.choose_own_department", "department_id"));
  }
  storage::Transaction tx(repo_.conn());
  if (c.external_id && repo_.externalIdTaken(staff.org_id, *c.external_id, c.id.value)) {
    return fail(
        Error::conflict("errors.console.external_id_taken").with("external_id", *c.external_id));
  }
  auto now = clock_.now();
  if (id) {
    repo_.updateCustomer(c, now);
  } else {
    c.id = core::CompanyId{repo_.insertCustomer(staff.org_id, c, now)};
  }
  record(actor, staff, id ? "customer.updated" : "customer.created", c.id,
         {{"name", c.name},
          {"managed", c.managed},
          {"department_id", c.department_id ? json(*c.department_id) : json()}});
  tx.commit();
  return c;
}

core::Result<Company> ConsoleService::allocate(const StaffRole& staff, core::CompanyId id,
                                               std::optional<std::int64_t> agent,
                                               std::optional<std::int64_t> until,
                                               const audit::Actor& actor) {
  auto c = customer(staff, id);
  if (!c) return fail(c.error());
  std::string agent_name;
  if (agent) {
    auto a = repo_.agent(staff.org_id, *agent);
    if (!a) return fail(Error::invalid("errors.console.bad_agent", "agent_id"));
    agent_name = a->name;
    if (until && *until <= clock_.now()) {
      return fail(Error::invalid("errors.console.until_not_future", "until"));
    }
  }
  storage::Transaction tx(repo_.conn());
  repo_.setAgent(id, agent, agent ? until : std::nullopt, clock_.now());
  record(actor, staff, agent ? "agent.allocated" : "agent.unallocated", id,
         {{"agent", agent ? json(*agent) : json(c->agent_id ? json(*c->agent_id) : json())},
          {"name", agent_name},
          {"until", until && agent ? json(*until) : json()}});
  tx.commit();
  c->agent_id = agent;
  c->agent_until = agent ? until : std::nullopt;
  return *c;
}

std::vector<Department> ConsoleService::departments(const StaffRole& staff) {
  return repo_.departments(staff.org_id);
}

core::Result<Department> ConsoleService::createDepartment(const StaffRole& staff,
                                                          const std::string& text,
                                                          const audit::Actor& actor) {
  auto n = plainName(text, 100);
  if (!n) return fail(n.error());
  storage::Transaction tx(repo_.conn());
  auto id = repo_.insertDepartment(staff.org_id, *n);
  if (!id) return fail(Error::conflict("errors.console.department_exists").with("name", *n));
  record(actor, staff, "department.created", std::nullopt, {{"id", *id}, {"name", *n}});
  tx.commit();
  return Department{*id, *n, 0};
}

std::vector<DepartmentAdmin> ConsoleService::departmentAdmins(const StaffRole& staff) {
  return repo_.departmentAdmins(staff.org_id);
}

core::Status ConsoleService::setDepartments(const identity::Principal& p, const StaffRole& staff,
                                            core::UserId user,
                                            const std::vector<std::int64_t>& chosen,
                                            const audit::Actor& actor) {
  // A department named twice is administered once.
  std::vector<std::int64_t> departments = chosen;
  std::sort(departments.begin(), departments.end());
  departments.erase(std::unique(departments.begin(), departments.end()), departments.end());
  auto role = repo_.staffRole(staff.org_id, user);
  if (!role) return fail(Error::notFound("errors.console.no_such_staff_member"));
  if (*role != "department_admin") {
    return fail(Error::invalid("errors.console.not_department_admin", "user_id"));
  }
  for (auto d : departments) {
    if (!repo_.departmentOf(staff.org_id, d)) {
      return fail(Error::invalid("errors.console.bad_departments", "departments"));
    }
  }
  if (auto s = identity_.requireStepUp(p, staff.org_id); !s) return s;
  storage::Transaction tx(repo_.conn());
  repo_.setStaffDepartments(staff.org_id, user, departments);
  record(actor, staff, "staff.departments_changed", std::nullopt, {{"departments", departments}},
         user);
  tx.commit();
  return {};
}

std::vector<Agent> ConsoleService::agents(const StaffRole& staff) {
  return repo_.agents(staff.org_id);
}

core::Result<Agent> ConsoleService::createAgent(const StaffRole& staff, const std::string& text,
                                                const audit::Actor& actor) {
  auto n = plainName(text, 200);
  if (!n) return fail(n.error());
  storage::Transaction tx(repo_.conn());
  auto id = repo_.insertAgent(staff.org_id, *n, clock_.now());
  if (!id) return fail(Error::conflict("errors.console.agent_exists").with("name", *n));
  record(actor, staff, "agent.created", std::nullopt, {{"id", *id}, {"name", *n}});
  tx.commit();
  return Agent{*id, *n, {}, {}};
}

core::Result<std::string> ConsoleService::agentToInvite(const StaffRole& staff, std::int64_t agent,
                                                        const std::string& email) {
  auto a = repo_.agent(staff.org_id, agent);
  if (!a) return fail(Error::notFound("errors.console.no_such_agent"));
  if (repo_.userByEmail(core::asciiLower(core::trim(email)))) {
    return fail(Error::conflict("errors.console.email_has_login"));
  }
  return a->name;
}

core::Result<Agent> ConsoleService::addAgentUser(const identity::Principal& p,
                                                 const StaffRole& staff, std::int64_t agent,
                                                 const std::string& email,
                                                 const audit::Actor& actor) {
  if (!repo_.agent(staff.org_id, agent))
    return fail(Error::notFound("errors.console.no_such_agent"));
  auto user = repo_.userByEmail(core::asciiLower(core::trim(email)));
  if (!user) {
    return fail(Error::invalid("errors.console.no_login_to_add", "email"));
  }
  if (repo_.staffRole(staff.org_id, *user)) {
    return fail(Error::invalid("errors.console.staff_not_agent", "email"));
  }
  if (auto s = identity_.requireStepUp(p, staff.org_id); !s) return fail(s.error());
  storage::Transaction tx(repo_.conn());
  invitations_.joinAgent(agent, *user);
  record(actor, staff, "agent.user_added", std::nullopt, {{"agent", agent}}, *user);
  tx.commit();
  return *repo_.agent(staff.org_id, agent);
}

core::Status ConsoleService::removeAgentUser(const identity::Principal& p, const StaffRole& staff,
                                             std::int64_t agent, core::UserId user,
                                             const audit::Actor& actor) {
  if (!repo_.agent(staff.org_id, agent))
    return fail(Error::notFound("errors.console.no_such_agent"));
  if (auto s = identity_.requireStepUp(p, staff.org_id); !s) return s;
  storage::Transaction tx(repo_.conn());
  if (!invitations_.leaveAgent(agent, user)) {
    return fail(Error::notFound("errors.console.not_agent_login"));
  }
  record(actor, staff, "agent.user_removed", std::nullopt, {{"agent", agent}}, user);
  tx.commit();
  return {};
}

std::vector<PersonnelRecord> ConsoleService::personnel(const StaffRole& staff) {
  return repo_.personnel(staff.org_id);
}

core::Result<PersonnelRecord> ConsoleService::createPersonnel(const StaffRole& staff,
                                                              const json& body,
                                                              const audit::Actor& actor) {
  PersonnelRecord p;
  auto n = name(body, "name", 200, "");
  if (!n) return fail(n.error());
  auto title = name(body, "title", 100, "", false);
  if (!title) return fail(title.error());
  auto phone = name(body, "phone", 40, "", false);
  if (!phone) return fail(phone.error());
  auto email = name(body, "email", 254, "", false);
  if (!email) return fail(email.error());
  p.name = *n;
  p.title = *title;
  p.phone = *phone;
  if (!email->empty()) {
    auto user = repo_.userByEmail(core::asciiLower(*email));
    if (!user || !repo_.staffRole(staff.org_id, *user)) {
      return fail(Error::invalid("errors.console.personnel_staff_only", "email"));
    }
    if (repo_.personnelLinked(staff.org_id, *user)) {
      return fail(Error::conflict("errors.console.login_linked_elsewhere"));
    }
    p.user_id = user->value;
    p.user_email = core::asciiLower(*email);
  }
  storage::Transaction tx(repo_.conn());
  p.id = repo_.insertPersonnel(staff.org_id, p, clock_.now());
  record(actor, staff, "personnel.created", std::nullopt, {{"id", p.id}, {"name", p.name}},
         p.user_id ? std::optional(core::UserId{*p.user_id}) : std::nullopt);
  tx.commit();
  return p;
}

core::Status ConsoleService::deletePersonnel(const StaffRole& staff, std::int64_t id,
                                             const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  if (!repo_.deletePersonnel(staff.org_id, id))
    return fail(Error::notFound("errors.console.no_such_record"));
  record(actor, staff, "personnel.deleted", std::nullopt, {{"id", id}});
  tx.commit();
  return {};
}

namespace {
OrgRole toRole(const std::string& key, const std::string& name,
               const access::PermissionSet& permissions) {
  OrgRole r{key, name, {}};
  for (auto p : permissions.list()) r.permissions.emplace_back(access::permissionName(p));
  return r;
}
}  // namespace

std::vector<OrgRole> ConsoleService::roles(const StaffRole& staff) {
  std::vector<OrgRole> out;
  for (const auto& [key, name, perms] : access_.orgRoles(staff.org_id)) {
    out.push_back(toRole(key, name, perms));
  }
  return out;
}

core::Result<OrgRole> ConsoleService::role(const StaffRole& staff, const std::string& key) {
  for (auto& r : roles(staff)) {
    if (r.key == key) return std::move(r);
  }
  return fail(Error::notFound("errors.console.no_such_role"));
}

core::Result<OrgRole> ConsoleService::saveRole(const identity::Principal& principal,
                                               const StaffRole& staff, bool create,
                                               const json& body, const audit::Actor& actor) {
  auto key = name(body, "key", 40, "");
  if (!key) return fail(key.error());
  bool valid_key = std::all_of(key->begin(), key->end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
  if (!valid_key || access::presetPermissions(*key) || *key == "custom" || *key == "agent") {
    return fail(Error::invalid("errors.console.bad_role_key", "key"));
  }
  auto label = name(body, "name", 100, "");
  if (!label) return fail(label.error());
  auto list = body.find("permissions");
  if (list == body.end() || !list->is_array()) {
    return fail(Error::invalid("errors.console.bad_permissions", "permissions"));
  }
  if (list->empty()) return fail(Error::invalid("errors.console.no_permissions", "permissions"));
  access::PermissionSet permissions;
  for (const auto& v : *list) {
    auto p = v.is_string() ? access::permissionFromName(v.get<std::string>()) : std::nullopt;
    if (!p) {
      return fail(Error::invalid("errors.console.unknown_permission", "permissions")
                      .with("permission", v.dump()));
    }
    permissions.add(*p);
  }
  // Changing a role changes the rights of everyone who holds it: a recent second factor first.
  if (!create) {
    if (auto s = identity_.requireStepUp(principal, staff.org_id); !s) return fail(s.error());
  }
  storage::Transaction tx(repo_.conn());
  if (create) {
    if (!access_.insertOrgRole(staff.org_id, *key, *label, permissions, clock_.now())) {
      return fail(Error::conflict("errors.console.role_exists").with("key", *key));
    }
  } else if (!access_.updateOrgRole(staff.org_id, *key, *label, permissions)) {
    return fail(Error::notFound("errors.console.no_such_role"));
  }
  record(actor, staff, create ? "role.created" : "role.changed", std::nullopt,
         {{"key", *key}, {"permissions", permissions.serialize()}});
  tx.commit();
  return toRole(*key, *label, permissions);
}

Licences ConsoleService::licences(const StaffRole& staff) {
  return Licences{invitations_.loginLimit(staff.org_id),
                  invitations_.seatsInUse(staff.org_id, clock_.now())};
}

bool ConsoleService::stepUpRequired(const StaffRole& staff) {
  return identity_.stepUpRequired(staff.org_id);
}

core::Status ConsoleService::setStepUpRequired(const identity::Principal& p, const StaffRole& staff,
                                               bool on, const audit::Actor& actor) {
  // Turning the protection off is itself protected.
  if (!on && identity_.stepUpRequired(staff.org_id)) {
    if (auto s = identity_.requireStepUp(p, staff.org_id); !s) return s;
  }
  storage::Transaction tx(repo_.conn());
  identity_.setStepUpRequired(staff.org_id, on);
  record(actor, staff, "organization.step_up", std::nullopt, {{"step_up", on}});
  tx.commit();
  return {};
}

core::Result<Licences> ConsoleService::setLicenceLimit(const StaffRole& staff,
                                                       std::optional<int> limit,
                                                       const audit::Actor& actor) {
  constexpr int kMaxLoginLimit = 1'000'000;
  if (limit && (*limit < 0 || *limit > kMaxLoginLimit)) {
    return fail(Error::invalid("errors.console.bad_licence_limit", "limit")
                    .with("max", std::to_string(kMaxLoginLimit)));
  }
  storage::Transaction tx(repo_.conn());
  repo_.setLoginLimit(staff.org_id, limit);
  record(actor, staff, "licences.changed", std::nullopt,
         {{"limit", limit ? json(*limit) : json()}});
  tx.commit();
  return licences(staff);
}

std::vector<Login> ConsoleService::logins(const StaffRole& staff, const std::string& search,
                                          std::size_t offset, std::size_t limit) {
  // A department administrator administers the logins of their departments' customers only.
  std::optional<std::vector<std::int64_t>> departments;
  if (staff.role == "department_admin") departments = staff.departments;
  return repo_.logins(staff.org_id, std::string(core::trim(search)), departments, offset, limit);
}

core::Result<Login> ConsoleService::setLoginEnabled(const StaffRole& staff, core::UserId user,
                                                    bool enabled, const audit::Actor& actor) {
  auto login = repo_.login(staff.org_id, user);
  if (!login) return fail(Error::notFound("errors.console.no_such_login"));
  if (actor.user && *actor.user == user) {
    return fail(Error::conflict("errors.console.cannot_disable_self"));
  }
  // Staff logins are the administrators' to disable; a customer's login is disabled only by staff
  // who administer every company of the organization it belongs to (managed ones: an
  // independent company's users are its own administrators').
  if (repo_.staffRole(staff.org_id, user) && staff.role != "admin") {
    return fail(Error::forbidden("errors.console.staff_login_by_admin_only"));
  }
  for (const auto& a : access_.membershipsOf(user)) {
    if (a.basis != access::Basis::Membership || a.company.org_id != staff.org_id) continue;
    if (!a.company.managed || !Policy::staffReaches(staff, a.company)) {
      return fail(Error::forbidden("errors.console.login_of_other_company")
                      .with("company", a.company.name));
    }
  }
  if (repo_.belongsElsewhere(staff.org_id, user)) {
    return fail(Error::conflict("errors.console.login_of_other_org"));
  }
  auto s = enabled ? identity_.enableLogin(user, actor) : identity_.disableLogin(user, actor);
  if (!s) return fail(s.error());
  return *repo_.login(staff.org_id, user);
}

}  // namespace portico::console
