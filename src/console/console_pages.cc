#include "console/console_pages.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "access/audit_api.h"
#include "access/audit_text.h"
#include "core/text.h"
#include "http/error_response.h"

namespace portico::console {
namespace {

using access::formField;
using access::queryField;
using access::StaffCapability;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr std::size_t kPageSize = 50;
constexpr int kAuditPageSize = 100;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

// A number written in decimal digits only; nullopt otherwise.
std::optional<std::int64_t> digits(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// A select's value as the services take it: "" is null, digits a number, anything else stays
// text (which the service refuses with a clear message).
json idValue(const std::string& text) {
  if (text.empty()) return json();
  if (auto v = digits(text)) return *v;
  return text;
}

// The console's sections: the capability each needs, its address and its i18n keys.
struct Section {
  StaffCapability capability;
  const char* href;
  const char* key;  // console.section.<key> and console.section.<key>_help
};
constexpr Section kSections[] = {
    {StaffCapability::Customers, "/staff/customers", "customers"},
    {StaffCapability::Departments, "/staff/departments", "departments"},
    {StaffCapability::Agents, "/staff/agents", "agents"},
    {StaffCapability::Personnel, "/staff/personnel", "personnel"},
    {StaffCapability::Licences, "/staff/licences", "licences"},
    {StaffCapability::Users, "/staff/users", "users"},
    {StaffCapability::Roles, "/staff/roles", "roles"},
    {StaffCapability::Users, "/staff/invitations", "invitations"},
    {StaffCapability::Audit, "/staff/audit", "audit"},
    {StaffCapability::Deliveries, "/staff/deliveries", "deliveries"},
    {StaffCapability::Integration, "/staff/webhooks", "webhooks"},
    {StaffCapability::SupportSettings, "/staff/support-settings", "support_settings"},
    {StaffCapability::SupportSettings, "/staff/case-categories", "case_categories"},
    {StaffCapability::DocumentSettings, "/staff/document-settings", "document_settings"},
    {StaffCapability::Security, "/staff/security", "security"},
};

// The checked boxes of a group, each named `prefix` + an id ("permission.invoices.view"): the
// ids, in the order posted. A form never repeats a name (http::parseFormEncoded refuses that).
std::vector<std::string> checkedValues(const Context& c, std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& [key, value] : c.form) {
    if (key.size() > prefix.size() && key.starts_with(prefix)) {
      out.push_back(key.substr(prefix.size()));
    }
  }
  return out;
}

// The permissions named in `names` (unknown names are left out).
access::PermissionSet permissionSetOf(const std::vector<std::string>& names) {
  access::PermissionSet set;
  for (const auto& n : names) {
    if (auto p = access::permissionFromName(n)) set.add(*p);
  }
  return set;
}

// A staff member's name as the console shows it: the full name, else the e-mail.
std::string personName(const std::string& first, const std::string& last,
                       const std::string& email) {
  std::string full(core::trim(first + " " + last));
  return full.empty() ? email : full;
}

// The ?q= search and the ?cursor= offset of a console list.
struct Listing {
  std::string search;
  std::size_t offset = 0;
};
Listing listing(const Request& r) {
  Listing l;
  l.search = std::string(core::trim(queryField(r, "q")));
  if (l.search.size() > 200) l.search.resize(200);
  if (auto v = digits(queryField(r, "cursor")); v && *v < 1'000'000'000) {
    l.offset = static_cast<std::size_t>(*v);
  }
  return l;
}

// Previous/next links of a list at `path` (with the search kept).
json pager(const std::string& path, const Listing& l, bool more) {
  auto link = [&](std::size_t offset) {
    return path + "?q=" + http::percentEncode(l.search) + "&cursor=" + std::to_string(offset);
  };
  json p = {{"paged", more || l.offset > 0}, {"prev", json()}, {"next", json()}};
  if (l.offset > 0) p["prev"] = link(l.offset > kPageSize ? l.offset - kPageSize : 0);
  if (more) p["next"] = link(l.offset + kPageSize);
  return p;
}

class Pages {
 public:
  Pages(access::StaffRoutes& routes, ConsoleService& console,
        access::InvitationService& invitations, audit::AuditLog& audit,
        identity::IdentityRepository& users, identity::Throttle& throttle, const web::Views& views)
      : routes_(routes),
        console_(console),
        invitations_(invitations),
        audit_(audit),
        users_(users),
        throttle_(throttle),
        pages_(views, routes.policy()) {}

  void registerAll();

 private:
  std::string t(const Context& c, std::string_view key) const { return pages_.translate(c, key); }

  // The names of the roles the staff member's organization defined, by key.
  access::RoleNames roleNames(const StaffRole& s) const {
    access::RoleNames out;
    for (auto& role : console_.roles(s)) out.emplace(role.key, role.name);
    return out;
  }

  Response render(const Context& c, const std::string& name, json data, int status = 200,
                  const std::string& error = "") const {
    if (!data.contains("title")) data["title"] = t(c, "console." + name + ".title");
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "console_" + name, std::move(data), status);
  }

  Response start(Context& c, const StaffRole& s) const {
    json sections = json::array();
    for (const auto& section : kSections) {
      if (!access::Policy::staffMay(s, section.capability)) continue;
      sections.push_back({{"href", section.href},
                          {"label", t(c, std::string("console.section.") + section.key)},
                          {"help", t(c, std::string("console.section.") + section.key + "_help")}});
    }
    return render(c, "start", {{"sections", sections}, {"role", s.role}});
  }

  // Customers.

  // The department choices: a department administrator's own departments, else every
  // department and "none".
  json departmentOptions(const Context& c, const StaffRole& s, const std::string& chosen,
                         std::map<std::int64_t, std::string>* names = nullptr) const {
    json options = json::array();
    bool own_only = s.role == "department_admin";
    if (!own_only) {
      options.push_back({{"id", ""},
                         {"name", t(c, "console.customers.no_department")},
                         {"selected", chosen.empty()}});
    }
    for (const auto& d : console_.departments(s)) {
      if (names) (*names)[d.id] = d.name;
      if (own_only &&
          std::find(s.departments.begin(), s.departments.end(), d.id) == s.departments.end()) {
        continue;
      }
      options.push_back({{"id", std::to_string(d.id)},
                         {"name", d.name},
                         {"selected", std::to_string(d.id) == chosen}});
    }
    return options;
  }

  static json customerForm(const Context& c) {
    return {{"name", formField(c, "name")},
            {"external_id", formField(c, "external_id")},
            {"org_number", formField(c, "org_number")},
            {"department_id", formField(c, "department_id")},
            {"managed", formField(c, "managed")}};
  }
  static json customerFormOf(const access::Company& co) {
    return {{"name", co.name},
            {"external_id", co.external_id.value_or("")},
            {"org_number", co.org_number},
            {"department_id", co.department_id ? std::to_string(*co.department_id) : ""},
            {"managed", co.managed ? "managed" : "independent"}};
  }
  static json customerBody(const json& form, bool update) {
    json body = {{"name", form["name"]}, {"org_number", form["org_number"]}};
    auto ext = std::string(core::trim(form["external_id"].get<std::string>()));
    if (!ext.empty()) {
      body["external_id"] = ext;
    } else if (update) {
      body["external_id"] = nullptr;
    }
    auto managed = form["managed"].get<std::string>();
    body["managed"] = managed == "independent" ? json(false)
                      : managed == "managed"   ? json(true)
                                               : json(managed);
    body["department_id"] = idValue(form["department_id"].get<std::string>());
    return body;
  }
  // The form's extra values for the templates: the managed choice as flags.
  static json withFlags(json form) {
    form["is_independent"] = form["managed"] == "independent";
    return form;
  }

  Response customers(Request& r, Context& c, const StaffRole& s, const std::string& error = "",
                     int status = 200, json form = json::object()) const {
    auto l = listing(r);
    auto rows = console_.customers(s, l.search, l.offset, kPageSize + 1);
    bool more = rows.size() > kPageSize;
    if (more) rows.pop_back();
    if (form.empty()) {
      form = {{"name", ""},
              {"external_id", ""},
              {"org_number", ""},
              {"department_id", ""},
              {"managed", "managed"}};
    }
    std::map<std::int64_t, std::string> departments;
    auto options = departmentOptions(c, s, form["department_id"].get<std::string>(), &departments);
    std::map<std::int64_t, std::string> agents;
    for (const auto& a : console_.agents(s)) agents[a.id] = a.name;
    json list = json::array();
    for (const auto& co : rows) {
      list.push_back(
          {{"id", co.id.value},
           {"name", co.name},
           {"external_id", co.external_id.value_or("")},
           {"org_number", co.org_number},
           {"department", co.department_id && departments.count(*co.department_id)
                              ? departments[*co.department_id]
                              : ""},
           {"managed",
            t(c, co.managed ? "console.customers.managed" : "console.customers.independent")},
           {"agent", co.agent_id && agents.count(*co.agent_id) ? agents[*co.agent_id] : ""}});
    }
    return render(c, "customers",
                  {{"q", l.search},
                   {"customers", list},
                   {"has_customers", !list.empty()},
                   {"searched", !l.search.empty()},
                   {"pager", pager("/staff/customers", l, more)},
                   {"form", withFlags(form)},
                   {"departments", options}},
                  status, error);
  }

  // One customer's page; `form` and `agent_form` hold posted values after an error.
  Response customer(Request& r, Context& c, const StaffRole& s, const std::string& error = "",
                    int status = 200, json form = json::object(),
                    json agent_form = json::object()) const {
    auto co = console_.customer(s, core::CompanyId{r.idParam("id")});
    if (!co) return pages_.error(c, co.error());
    if (form.empty()) form = customerFormOf(*co);
    json data = {{"title", co->name},
                 {"customer_id", co->id.value},
                 {"customer_name", co->name},
                 {"form", withFlags(form)},
                 {"departments", departmentOptions(c, s, form["department_id"].get<std::string>())},
                 {"saved", queryField(r, "saved") == "1"},
                 {"may_open_case", access::Policy::staffMay(s, StaffCapability::Support)}};
    if (access::Policy::staffMay(s, StaffCapability::Agents)) {
      std::string chosen = agent_form.value(
          "agent_id", co->agent_id ? std::to_string(*co->agent_id) : std::string());
      json options = json::array();
      std::string current;
      for (const auto& a : console_.agents(s)) {
        if (co->agent_id && a.id == *co->agent_id) current = a.name;
        options.push_back({{"id", std::to_string(a.id)},
                           {"name", a.name},
                           {"selected", std::to_string(a.id) == chosen}});
      }
      data["agents"] = {
          {"options", options},
          {"has_agents", !options.empty()},
          {"current", co->agent_id ? json(current) : json()},
          {"current_until", co->agent_until ? json(access::dateText(*co->agent_until)) : json()},
          {"until", agent_form.value("until", co->agent_until ? access::dateText(*co->agent_until)
                                                              : std::string())}};
    }
    return render(c, "customer", data, status, error);
  }

  // Departments, with who administers each, and a form per department administrator choosing
  // their departments. After an error, `name` keeps the new department's name, or `admin_form`
  // ({"user_id", "departments"}) what was chosen for one administrator.
  Response departments(Request& r, Context& c, const StaffRole& s, const std::string& error = "",
                       int status = 200, const std::string& name = "",
                       json admin_form = json::object()) const {
    auto all = console_.departments(s);
    std::map<std::int64_t, json> administered;  // department -> names of its administrators
    json admins = json::array();
    for (const auto& a : console_.departmentAdmins(s)) {
      auto who = personName(a.first_name, a.last_name, a.email);
      std::vector<std::string> chosen;
      if (admin_form.value("user_id", std::int64_t{0}) == a.id.value) {
        chosen = admin_form["departments"].get<std::vector<std::string>>();
      } else {
        for (auto d : a.departments) chosen.push_back(std::to_string(d));
      }
      json options = json::array();
      for (const auto& d : all) {
        auto id = std::to_string(d.id);
        options.push_back(
            {{"id", id},
             {"name", d.name},
             {"checked", std::find(chosen.begin(), chosen.end(), id) != chosen.end()}});
      }
      for (auto d : a.departments) administered[d].push_back(who);
      admins.push_back({{"id", a.id.value},
                        {"name", who},
                        {"email", a.email},
                        {"assigned", !a.departments.empty()},
                        {"departments", options}});
    }
    json list = json::array();
    for (const auto& d : all) {
      json who = administered.count(d.id) ? administered[d.id] : json::array();
      list.push_back({{"id", d.id},
                      {"name", d.name},
                      {"customers", d.customers},
                      {"admins", who},
                      {"has_admins", !who.empty()}});
    }
    return render(c, "departments",
                  {{"departments", list},
                   {"has_departments", !list.empty()},
                   {"name", name},
                   {"admins", admins},
                   {"has_admins", !admins.empty()},
                   {"saved", queryField(r, "saved") == "1"}},
                  status, error);
  }

  // Agents; after an error, `failed_agent` (0: the create form) keeps `value`.
  Response agents(Context& c, const StaffRole& s, const std::string& error = "", int status = 200,
                  std::int64_t failed_agent = -1, const std::string& value = "") const {
    std::map<std::int64_t, json> invited;  // pending invitations into each agent
    for (const auto& inv : invitations_.staffInvitations(s)) {
      if (!inv.agent_id || inv.accepted_at) continue;
      invited[*inv.agent_id].push_back(
          {{"email", inv.email}, {"expires", access::dateText(inv.expires_at)}});
    }
    json list = json::array();
    for (const auto& a : console_.agents(s)) {
      json pending = invited.count(a.id) ? invited[a.id] : json::array();
      list.push_back({{"id", a.id},
                      {"name", a.name},
                      {"users", a.users},
                      {"has_users", !a.users.empty()},
                      {"invited", pending},
                      {"has_invited", !pending.empty()},
                      {"customers", a.customers},
                      {"has_customers", !a.customers.empty()},
                      {"email", failed_agent == a.id ? value : ""}});
    }
    return render(
        c, "agents",
        {{"agents", list}, {"has_agents", !list.empty()}, {"name", failed_agent == 0 ? value : ""}},
        status, error);
  }

  // Personnel.
  Response personnel(Context& c, const StaffRole& s, const std::string& error = "",
                     int status = 200, json form = json::object()) const {
    json list = json::array();
    for (const auto& p : console_.personnel(s)) {
      list.push_back({{"id", p.id},
                      {"name", p.name},
                      {"title", p.title},
                      {"phone", p.phone},
                      {"login", p.user_id ? json(p.user_email) : json()}});
    }
    if (form.empty()) form = {{"name", ""}, {"title", ""}, {"phone", ""}, {"email", ""}};
    return render(c, "personnel",
                  {{"personnel", list}, {"has_personnel", !list.empty()}, {"form", form}}, status,
                  error);
  }

  // Licences.
  Response licences(Request& r, Context& c, const StaffRole& s, const std::string& error = "",
                    int status = 200, std::optional<std::string> value = std::nullopt) const {
    auto l = console_.licences(s);
    return render(c, "licences",
                  {{"limit", l.limit ? json(std::to_string(*l.limit)) : json()},
                   {"in_use", std::to_string(l.in_use)},
                   {"value", value ? *value : (l.limit ? std::to_string(*l.limit) : "")},
                   {"saved", queryField(r, "saved") == "1"}},
                  status, error);
  }

  // Users.
  Response users(Request& r, Context& c, const StaffRole& s, const std::string& error = "",
                 int status = 200) const {
    auto l = listing(r);
    if (r.method == "POST") l.search = formField(c, "q");
    auto rows = console_.logins(s, l.search, l.offset, kPageSize + 1);
    bool more = rows.size() > kPageSize;
    if (more) rows.pop_back();
    json list = json::array();
    for (const auto& u : rows) {
      list.push_back({{"id", u.id.value},
                      {"name", u.first_name + " " + u.last_name},
                      {"email", u.email},
                      {"status", t(c, "console.users.status_" + u.status)},
                      {"disabled", u.status == "disabled"},
                      {"self", u.id == c.principal->user.id},
                      {"last_login", u.last_login_at ? access::dateText(*u.last_login_at)
                                                     : t(c, "company.never")},
                      {"companies", std::to_string(u.companies)}});
    }
    return render(c, "users",
                  {{"q", l.search},
                   {"users", list},
                   {"has_users", !list.empty()},
                   {"searched", !l.search.empty()},
                   {"pager", pager("/staff/users", l, more)}},
                  status, error);
  }

  // Roles.

  // A role form as posted: key, name and the permissions checked.
  static json roleForm(const Context& c) {
    return {{"key", formField(c, "key")},
            {"name", formField(c, "name")},
            {"permissions", checkedValues(c, "permission.")}};
  }
  // Every permission by what it allows, as checkboxes; those of `form` checked.
  json permissionChoices(const Context& c, const json& form) const {
    auto chosen = form["permissions"].get<std::vector<std::string>>();
    json out = pages_.permissionList(c, access::PermissionSet::all());
    for (auto& p : out) {
      p["checked"] =
          std::find(chosen.begin(), chosen.end(), p["id"].get<std::string>()) != chosen.end();
    }
    return out;
  }
  // The page data of a role form: its values, the checkboxes, and the field at fault.
  json roleFormData(const Context& c, const json& form, const core::Error* failed) const {
    json invalid = json::object();
    if (failed && !failed->field.empty()) invalid[failed->field] = true;
    return {{"form", form}, {"permissions", permissionChoices(c, form)}, {"invalid", invalid}};
  }
  Response renderFailed(const Context& c, const std::string& name, json data,
                        const core::Error* failed) const {
    if (!failed) return render(c, name, std::move(data));
    return render(c, name, std::move(data), http::statusFor(failed->code),
                  pages_.message(c, *failed));
  }

  // The organization's roles and the form for a new one (`form` and `failed` after an error).
  Response roles(Request& r, Context& c, const StaffRole& s, const core::Error* failed = nullptr,
                 json form = json::object()) const {
    json list = json::array();
    for (const auto& role : console_.roles(s)) {
      list.push_back({{"key", role.key},
                      {"name", role.name},
                      {"allows", pages_.permissionList(c, permissionSetOf(role.permissions))}});
    }
    if (form.empty()) form = {{"key", ""}, {"name", ""}, {"permissions", json::array()}};
    json data = roleFormData(c, form, failed);
    data["roles"] = list;
    data["has_roles"] = !list.empty();
    data["saved"] = queryField(r, "saved") == "1";
    return renderFailed(c, "roles", std::move(data), failed);
  }

  // One role's form (`form` and `failed` after an error).
  Response role(Request& r, Context& c, const StaffRole& s, const core::Error* failed = nullptr,
                json form = json::object()) const {
    auto role = console_.role(s, r.param("key"));
    if (!role) return pages_.error(c, role.error());
    if (form.empty()) {
      form = {{"key", role->key}, {"name", role->name}, {"permissions", role->permissions}};
    }
    json data = roleFormData(c, form, failed);
    data["title"] = role->name;
    data["role_key"] = role->key;
    data["role_name"] = role->name;
    return renderFailed(c, "role", std::move(data), failed);
  }

  // Invitations.
  Response invitations(Request&, Context& c, const StaffRole& s, const std::string& error = "",
                       int status = 200) const {
    json list = json::array();
    auto role_names = roleNames(s);
    for (const auto& inv : invitations_.staffInvitations(s)) {
      json companies = json::array();
      for (const auto& ic : inv.companies) {
        companies.push_back({{"name", ic.company_name},
                             {"role", access::roleLabel(pages_, c, ic.role, role_names)}});
      }
      if (inv.agent_id) {  // an invitation into an agent
        companies.push_back({{"name", inv.agent_name}, {"role", t(c, "role.agent")}});
      }
      list.push_back({{"id", inv.id},
                      {"email", inv.email},
                      {"name", inv.first_name + " " + inv.last_name},
                      {"companies", companies},
                      {"accepted", inv.accepted_at.has_value()},
                      {"created", access::dateText(inv.created_at)},
                      {"expires", access::dateText(inv.expires_at)}});
    }
    return render(c, "invitations", {{"invitations", list}, {"has_invitations", !list.empty()}},
                  status, error);
  }

  // Audit.
  Response auditLog(Request& r, Context& c, const StaffRole& s) const {
    auto actor_text = std::string(core::trim(queryField(r, "actor")));
    auto company_text = std::string(core::trim(queryField(r, "company")));
    json data = {
        {"filter",
         {{"from", queryField(r, "from")},
          {"to", queryField(r, "to")},
          {"actor", actor_text},
          {"company", company_text}}},
        {"event_choices", access::auditEventChoices(pages_, c, queryField(r, "event"), false)},
        {"rows", json::array()}};
    auto f = access::auditPageFilter(r);
    if (!f)
      return render(c, "audit", data, http::statusFor(f.error().code),
                    pages_.message(c, f.error()));
    std::optional<core::CompanyId> company;
    if (!company_text.empty()) {
      auto v = digits(company_text);
      if (!v || *v == 0) return render(c, "audit", data, 400, t(c, "console.audit.bad_company"));
      company = core::CompanyId{*v};
    }
    std::optional<core::UserId> actor;
    bool nobody = false;
    if (!actor_text.empty()) {
      auto u = users_.findUserByEmail(core::asciiLower(actor_text));
      if (u) {
        actor = u->id;
      } else {
        nobody = true;  // no such login: no events
      }
    }
    std::vector<audit::Record> records;
    if (!nobody) {
      records = audit_.forOrg(s.org_id, company, actor, f->event, f->since, f->until, f->before_id,
                              kAuditPageSize + 1);
    }
    bool more = records.size() > static_cast<std::size_t>(kAuditPageSize);
    if (more) records.pop_back();
    std::string extra = "&company=" + http::percentEncode(company_text) +
                        "&actor=" + http::percentEncode(actor_text);
    data["event_choices"] = access::auditEventChoices(pages_, c, f->event, false);
    auto rows = access::auditRowsJson(pages_, c, access::auditRows(records, users_), roleNames(s));
    std::map<std::string, std::string> company_names;  // each company read once per page
    for (auto& row : rows) {
      if (!row["company_id"].is_string()) continue;
      auto id = row["company_id"].get<std::string>();
      auto known = company_names.find(id);
      if (known == company_names.end()) {
        auto found = console_.customer(s, core::CompanyId{std::stoll(id)});
        known = company_names.emplace(id, found ? found->name : "#" + id).first;
      }
      row["company_name"] = known->second;
    }
    data["rows"] = rows;
    data["has_rows"] = !records.empty();
    data["csv_link"] = "/staff/audit.csv?" + access::auditExportQuery(*f) + extra;
    if (more) {
      data["older_link"] = "/staff/audit?event=" + http::percentEncode(f->event) +
                           "&from=" + http::percentEncode(f->from) +
                           "&to=" + http::percentEncode(f->to) + extra +
                           "&cursor=" + std::to_string(records.back().id);
    }
    return render(c, "audit", data);
  }

  access::StaffRoutes& routes_;
  ConsoleService& console_;
  access::InvitationService& invitations_;
  audit::AuditLog& audit_;
  identity::IdentityRepository& users_;
  identity::Throttle& throttle_;
  access::PageRenderer pages_;
};

void Pages::registerAll() {
  auto& rt = routes_;
  auto& con = console_;

  rt.page("GET", "/staff", access::kConsoleStart,
          [this](Request&, Context& c, const StaffRole& s) { return start(c, s); });

  // Customers.
  rt.page("GET", "/staff/customers", StaffCapability::Customers,
          [this](Request& r, Context& c, const StaffRole& s) { return customers(r, c, s); });
  rt.page("POST", "/staff/customers", StaffCapability::Customers,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto form = customerForm(c);
            auto saved = con.saveCustomer(s, std::nullopt, customerBody(form, false), actorOf(c));
            if (!saved) {
              return customers(r, c, s, pages_.message(c, saved.error()),
                               http::statusFor(saved.error().code), form);
            }
            return Response::redirect("/staff/customers/" + std::to_string(saved->id.value) +
                                      "?saved=1");
          });
  rt.page("GET", "/staff/customers/{id}", StaffCapability::Customers,
          [this](Request& r, Context& c, const StaffRole& s) { return customer(r, c, s); });
  rt.page("POST", "/staff/customers/{id}", StaffCapability::Customers,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto form = customerForm(c);
            core::CompanyId id{r.idParam("id")};
            auto saved = con.saveCustomer(s, id, customerBody(form, true), actorOf(c));
            if (!saved) {
              if (saved.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, saved.error());
              }
              return customer(r, c, s, pages_.message(c, saved.error()),
                              http::statusFor(saved.error().code), form);
            }
            return Response::redirect("/staff/customers/" + std::to_string(id.value) + "?saved=1");
          });
  rt.page("POST", "/staff/customers/{id}/agent", StaffCapability::Agents,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            json agent_form = {{"agent_id", formField(c, "agent_id")},
                               {"until", std::string(core::trim(formField(c, "until")))}};
            core::CompanyId id{r.idParam("id")};
            auto agent = digits(agent_form["agent_id"].get<std::string>());
            std::optional<std::int64_t> until;
            std::string error;
            if (!agent) {
              error = t(c, "console.customer.choose_agent");
            } else if (auto u = agent_form["until"].get<std::string>(); !u.empty()) {
              if (auto day = access::parseDate(u)) {
                until = *day + 86399;  // the end of that day, UTC
              } else {
                error = t(c, "console.customer.bad_until");
              }
            }
            if (!error.empty()) return customer(r, c, s, error, 400, json::object(), agent_form);
            auto done = con.allocate(s, id, *agent, until, actorOf(c));
            if (!done) {
              if (done.error().code == core::ErrorCode::NotFound) {
                return pages_.error(c, done.error());
              }
              return customer(r, c, s, pages_.message(c, done.error()),
                              http::statusFor(done.error().code), json::object(), agent_form);
            }
            return Response::redirect("/staff/customers/" + std::to_string(id.value) + "?saved=1");
          });
  rt.page("POST", "/staff/customers/{id}/agent/remove", StaffCapability::Agents,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            core::CompanyId id{r.idParam("id")};
            auto company = con.customer(s, id);
            if (!company) return pages_.error(c, company.error());
            core::MessageArgs args{{"company", company->name}};
            if (!access::confirmed(c)) {
              return pages_.confirm(c, {{"confirm.end_agent.heading", {}},
                                        {"confirm.end_agent.question", args},
                                        {"confirm.end_agent.button", {}},
                                        r.path,
                                        "/staff/customers/" + std::to_string(id.value),
                                        {}});
            }
            auto done = con.allocate(s, id, std::nullopt, std::nullopt, actorOf(c));
            if (!done) return pages_.error(c, done.error());
            c.next_notice = core::Message{"notices.agent.ended", args};
            return Response::redirect("/staff/customers/" + std::to_string(id.value));
          });

  // Departments and their administrators.
  rt.page("GET", "/staff/departments", StaffCapability::Departments,
          [this](Request& r, Context& c, const StaffRole& s) { return departments(r, c, s); });
  rt.page("POST", "/staff/departments", StaffCapability::Departments,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto name = formField(c, "name");
            auto made = con.createDepartment(s, name, actorOf(c));
            if (!made) {
              return departments(r, c, s, pages_.message(c, made.error()),
                                 http::statusFor(made.error().code), name);
            }
            return Response::redirect("/staff/departments");
          });
  // The departments one department administrator administers: those checked, or none with
  // "clear" (the button that undoes it).
  rt.page("POST", "/staff/department-admins/{user_id}", StaffCapability::Departments,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            core::UserId user{r.idParam("user_id")};
            bool clear = formField(c, "clear") == "1";
            auto chosen = clear ? std::vector<std::string>() : checkedValues(c, "department.");
            std::vector<std::int64_t> ids;
            core::Status done;
            for (const auto& v : chosen) {
              auto id = digits(v);
              if (!id) {
                done = core::fail(
                    core::Error::invalid("errors.console.bad_departments", "departments"));
                break;
              }
              ids.push_back(*id);
            }
            if (done) done = con.setDepartments(*c.principal, s, user, ids, actorOf(c));
            if (!done) {
              if (done.error().code == core::ErrorCode::NotFound ||
                  done.error().code == core::ErrorCode::StepUpRequired) {
                return pages_.error(c, done.error());
              }
              return departments(r, c, s, pages_.message(c, done.error()),
                                 http::statusFor(done.error().code), "",
                                 {{"user_id", user.value}, {"departments", chosen}});
            }
            return Response::redirect("/staff/departments?saved=1");
          });

  // Agents.
  rt.page("GET", "/staff/agents", StaffCapability::Agents,
          [this](Request&, Context& c, const StaffRole& s) { return agents(c, s); });
  rt.page("POST", "/staff/agents", StaffCapability::Agents,
          [this, &con](Request&, Context& c, const StaffRole& s) {
            auto name = formField(c, "name");
            auto made = con.createAgent(s, name, actorOf(c));
            if (!made) {
              return agents(c, s, pages_.message(c, made.error()),
                            http::statusFor(made.error().code), 0, name);
            }
            return Response::redirect("/staff/agents");
          });
  rt.page("POST", "/staff/agents/{id}/users", StaffCapability::Agents,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto agent = r.idParam("id");
            auto email = formField(c, "email");
            auto added = con.addAgentUser(*c.principal, s, agent, email, actorOf(c));
            if (!added && added.error().code == core::ErrorCode::StepUpRequired) {
              return pages_.stepUp(c);
            }
            if (!added) {
              return agents(c, s, pages_.message(c, added.error()),
                            http::statusFor(added.error().code), agent, email);
            }
            return Response::redirect("/staff/agents");
          });
  rt.page("POST", "/staff/agents/{id}/invitations", StaffCapability::Agents,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto agent = r.idParam("id");
            auto email = formField(c, "email");
            auto name = con.agentToInvite(s, agent, email);
            core::Status sent;
            if (name) {
              access::NewInvitation n;
              n.email = email;
              n.first_name = formField(c, "first_name");
              n.last_name = formField(c, "last_name");
              n.language = c.lang;
              auto inv = invitations_.inviteToAgent(*c.principal, s, agent, *name, n, c.origin);
              if (!inv && inv.error().code == core::ErrorCode::StepUpRequired) {
                return pages_.stepUp(c);
              }
              if (!inv) sent = core::fail(inv.error());
            } else {
              sent = core::fail(name.error());
            }
            if (!sent) {
              return agents(c, s, pages_.message(c, sent.error()),
                            http::statusFor(sent.error().code), agent, email);
            }
            return Response::redirect("/staff/agents");
          });
  rt.page(
      "POST", "/staff/agents/{id}/users/remove", StaffCapability::Agents,
      [this, &con](Request& r, Context& c, const StaffRole& s) {
        auto email = core::asciiLower(core::trim(formField(c, "email")));
        auto user = users_.findUserByEmail(email);
        if (user && !access::confirmed(c)) {
          return pages_.confirm(c, {{"confirm.remove_agent_user.heading", {}},
                                    {"confirm.remove_agent_user.question", {{"email", email}}},
                                    {"confirm.remove_agent_user.button", {}},
                                    r.path,
                                    "/staff/agents",
                                    {{"email", email}}});
        }
        auto removed =
            user ? con.removeAgentUser(*c.principal, s, r.idParam("id"), user->id, actorOf(c))
                 : core::Status(core::fail(core::Error::notFound("console.agents.no_such_login")));
        if (!removed && removed.error().code == core::ErrorCode::StepUpRequired) {
          return pages_.stepUp(c);
        }
        if (!removed) {
          return agents(c, s, pages_.message(c, removed.error()),
                        http::statusFor(removed.error().code));
        }
        c.next_notice = core::Message{"notices.agent.user_removed", {{"email", email}}};
        return Response::redirect("/staff/agents");
      });

  // Personnel.
  rt.page("GET", "/staff/personnel", StaffCapability::Personnel,
          [this](Request&, Context& c, const StaffRole& s) { return personnel(c, s); });
  rt.page("POST", "/staff/personnel", StaffCapability::Personnel,
          [this, &con](Request&, Context& c, const StaffRole& s) {
            json form = {{"name", formField(c, "name")},
                         {"title", formField(c, "title")},
                         {"phone", formField(c, "phone")},
                         {"email", formField(c, "email")}};
            auto made = con.createPersonnel(s, form, actorOf(c));
            if (!made) {
              return personnel(c, s, pages_.message(c, made.error()),
                               http::statusFor(made.error().code), form);
            }
            return Response::redirect("/staff/personnel");
          });
  rt.page("POST", "/staff/personnel/{id}/delete", StaffCapability::Personnel,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto id = r.idParam("id");
            std::optional<std::string> name;
            for (const auto& p : con.personnel(s)) {
              if (p.id == id) name = p.name;
            }
            if (!name) {
              return pages_.error(c, core::Error::notFound("errors.console.no_such_record"));
            }
            if (!access::confirmed(c)) {
              return pages_.confirm(c, {{"confirm.delete_personnel.heading", {}},
                                        {"confirm.delete_personnel.question", {{"name", *name}}},
                                        {"confirm.delete_personnel.button", {}},
                                        r.path,
                                        "/staff/personnel",
                                        {}});
            }
            auto done = con.deletePersonnel(s, id, actorOf(c));
            if (!done) {
              return personnel(c, s, pages_.message(c, done.error()),
                               http::statusFor(done.error().code));
            }
            c.next_notice = core::Message{"notices.personnel.deleted", {{"name", *name}}};
            return Response::redirect("/staff/personnel");
          });

  // Licences.
  rt.page("GET", "/staff/security", StaffCapability::Security,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            return render(
                c, "security",
                {{"step_up", con.stepUpRequired(s)}, {"saved", queryField(r, "saved") == "1"}});
          });
  rt.page("POST", "/staff/security", StaffCapability::Security,
          [this, &con](Request&, Context& c, const StaffRole& s) {
            auto set = con.setStepUpRequired(*c.principal, s, formField(c, "step_up_on") == "1",
                                             actorOf(c));
            if (!set) return pages_.error(c, set.error());  // the step-up prompt
            return Response::redirect("/staff/security?saved=1");
          });
  rt.page("GET", "/staff/licences", StaffCapability::Licences,
          [this](Request& r, Context& c, const StaffRole& s) { return licences(r, c, s); });
  rt.page("POST", "/staff/licences", StaffCapability::Licences,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto value = std::string(core::trim(formField(c, "limit")));
            std::optional<int> limit;
            if (!value.empty()) {
              auto v = digits(value);
              if (!v || *v > 1'000'000) {
                return licences(r, c, s, t(c, "console.licences.bad_limit"), 400, value);
              }
              limit = static_cast<int>(*v);
            }
            auto done = con.setLicenceLimit(s, limit, actorOf(c));
            if (!done) {
              return licences(r, c, s, pages_.message(c, done.error()),
                              http::statusFor(done.error().code), value);
            }
            return Response::redirect("/staff/licences?saved=1");
          });

  // Users.
  rt.page("GET", "/staff/users", StaffCapability::Users,
          [this](Request& r, Context& c, const StaffRole& s) { return users(r, c, s); });
  for (bool enable : {false, true}) {
    rt.page(
        "POST", enable ? "/staff/users/{user_id}/enable" : "/staff/users/{user_id}/disable",
        StaffCapability::Users, [this, &con, enable](Request& r, Context& c, const StaffRole& s) {
          core::UserId id{r.idParam("user_id")};
          auto back = "/staff/users?q=" + http::percentEncode(formField(c, "q"));
          if (!enable && !access::confirmed(c)) {
            // Only a login the organization's staff may see is named.
            auto user = users_.findUser(id);
            auto found = user ? con.logins(s, user->email, 0, 100) : std::vector<Login>{};
            if (std::none_of(found.begin(), found.end(),
                             [&](const Login& l) { return l.id == id; })) {
              return pages_.error(c, core::Error::notFound("errors.console.no_such_login"));
            }
            return pages_.confirm(
                c, {{"confirm.disable_login.heading", {}},
                    {"confirm.disable_login.question",
                     {{"name", user->first_name + " " + user->last_name}, {"email", user->email}}},
                    {"confirm.disable_login.button", {}},
                    r.path,
                    back,
                    {{"q", formField(c, "q")}}});
          }
          auto done = con.setLoginEnabled(s, id, enable, actorOf(c));
          if (!done)
            return users(r, c, s, pages_.message(c, done.error()),
                         http::statusFor(done.error().code));
          c.next_notice = core::Message{enable ? "notices.login.enabled" : "notices.login.disabled",
                                        {{"name", done->first_name + " " + done->last_name}}};
          return Response::redirect(back);
        });
  }

  // The organization's own roles.
  rt.page("GET", "/staff/roles", StaffCapability::Roles,
          [this](Request& r, Context& c, const StaffRole& s) { return roles(r, c, s); });
  rt.page("POST", "/staff/roles", StaffCapability::Roles,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto form = roleForm(c);
            auto saved = con.saveRole(*c.principal, s, true, form, actorOf(c));
            if (!saved) return roles(r, c, s, &saved.error(), form);
            return Response::redirect("/staff/roles?saved=1");
          });
  rt.page("GET", "/staff/roles/{key}", StaffCapability::Roles,
          [this](Request& r, Context& c, const StaffRole& s) { return role(r, c, s); });
  rt.page("POST", "/staff/roles/{key}", StaffCapability::Roles,
          [this, &con](Request& r, Context& c, const StaffRole& s) {
            auto form = roleForm(c);
            form["key"] = r.param("key");  // the key names the role; it never changes
            auto saved = con.saveRole(*c.principal, s, false, form, actorOf(c));
            if (!saved) {
              if (saved.error().code == core::ErrorCode::NotFound ||
                  saved.error().code == core::ErrorCode::StepUpRequired) {
                return pages_.error(c, saved.error());
              }
              return role(r, c, s, &saved.error(), form);
            }
            return Response::redirect("/staff/roles?saved=1");
          });

  // The organization side's invitations.
  rt.page("GET", "/staff/invitations", StaffCapability::Users,
          [this](Request& r, Context& c, const StaffRole& s) { return invitations(r, c, s); });
  rt.page("POST", "/staff/invitations/{id}/delete", StaffCapability::Users,
          [this](Request& r, Context& c, const StaffRole& s) {
            auto id = r.idParam("id");
            std::optional<std::string> email;
            for (const auto& inv : invitations_.staffInvitations(s)) {
              if (inv.id == id) email = inv.email;
            }
            if (!email) {
              return pages_.error(c, core::Error::notFound("errors.access.no_such_invitation"));
            }
            if (!access::confirmed(c)) {
              return pages_.confirm(c, {{"confirm.delete_invitation.heading", {}},
                                        {"confirm.delete_invitation.question", {{"email", *email}}},
                                        {"confirm.delete_invitation.button", {}},
                                        r.path,
                                        "/staff/invitations",
                                        {}});
            }
            auto done = invitations_.deleteInvitation(*c.principal, id, c.origin);
            if (!done) {
              return invitations(r, c, s, pages_.message(c, done.error()),
                                 http::statusFor(done.error().code));
            }
            c.next_notice = core::Message{"notices.invitation.deleted", {{"email", *email}}};
            return Response::redirect("/staff/invitations");
          });

  // The audit log.
  rt.page("GET", "/staff/audit", StaffCapability::Audit,
          [this](Request& r, Context& c, const StaffRole& s) { return auditLog(r, c, s); });
  rt.page("GET", "/staff/audit.csv", StaffCapability::Audit,
          [this](Request& r, Context& c, const StaffRole& s) {
            auto csv = access::orgAuditCsv(r, c.principal->user.id, s, audit_, users_, throttle_);
            return csv ? std::move(*csv) : pages_.error(c, csv.error());
          });
}

}  // namespace

std::shared_ptr<void> registerConsolePages(access::StaffRoutes& routes, ConsoleService& console,
                                           access::InvitationService& invitations,
                                           audit::AuditLog& audit,
                                           identity::IdentityRepository& users,
                                           identity::Throttle& throttle, const web::Views& views) {
  auto owner = std::make_shared<Pages>(routes, console, invitations, audit, users, throttle, views);
  owner->registerAll();
  return owner;
}

}  // namespace portico::console
