#include "access/access_pages.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "access/audit_api.h"
#include "access/audit_text.h"
#include "core/text.h"
#include "http/error_response.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr std::size_t kHomePageSize = 50;
constexpr int kAuditPageSize = 100;

std::string formatUtc(std::int64_t t, const char* format) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// A non-negative number written in decimal digits only; nullopt otherwise.
std::optional<std::int64_t> digits(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

std::string companyPath(const CompanyAccess& a) {
  return "/companies/" + std::to_string(a.company.id.value);
}

}  // namespace

std::string dateText(std::int64_t t) { return formatUtc(t, "%Y-%m-%d"); }
std::string timeText(std::int64_t t) { return formatUtc(t, "%Y-%m-%d %H:%M UTC"); }

std::optional<std::int64_t> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text.substr(0, 4));
  auto m = digits(text.substr(5, 2));
  auto d = digits(text.substr(8, 2));
  if (!y || !m || !d || *y < 1970 || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  std::tm tm{};
  tm.tm_year = static_cast<int>(*y) - 1900;
  tm.tm_mon = static_cast<int>(*m) - 1;
  tm.tm_mday = static_cast<int>(*d);
  auto t = timegm(&tm);
  if (tm.tm_mday != static_cast<int>(*d)) return std::nullopt;  // 31 April rolled over
  return static_cast<std::int64_t>(t);
}

std::string formField(const Context& c, std::string_view name) {
  return http::findParam(c.form, name).value_or("");
}

core::Error numberOutOfRange(const char* field, std::int64_t max) {
  return core::Error::invalid("errors.access.number_out_of_range", field)
      .with("field", field)
      .with("min", "1")
      .with("max", std::to_string(max));
}

core::Result<std::optional<std::int64_t>> queryNumber(const http::Request& r, const char* name,
                                                      std::int64_t max) {
  auto v = queryField(r, name);
  if (v.empty()) return std::optional<std::int64_t>();
  auto n = core::positiveNumber(v, max);
  if (!n) return core::fail(numberOutOfRange(name, max));
  return n;
}

std::string queryField(const Request& r, std::string_view name) {
  auto q = r.query();
  if (!q) return {};
  return http::findParam(*q, name).value_or("");
}

RoleNames roleNames(AccessRepository& repo, core::OrgId org) {
  RoleNames out;
  for (auto& [key, name, permissions] : repo.orgRoles(org)) out.emplace(key, name);
  return out;
}

std::string roleLabel(const PageRenderer& pages, const Context& c, const std::string& role,
                      const RoleNames& org_roles) {
  if (role.starts_with("staff:")) {
    return pages.translate(c, "role.staff") + " (" + role.substr(6) + ")";
  }
  auto label = pages.translate(c, "role." + role);
  if (label != "role." + role) return label;
  auto it = org_roles.find(role);  // a role the organization defined: its name
  return it != org_roles.end() ? it->second : role;
}

Response PageRenderer::render(const Context& c, const std::string& name, json data,
                              int status) const {
  data["csrf"] = c.csrf;
  if (!data.contains("title")) data["title"] = views_.translate(c.lang, name + ".title");
  data["signed_in"] = true;
  data["user_name"] = c.principal->user.first_name + " " + c.principal->user.last_name;
  if (c.notice) data["page_notice"] = views_.message(c.lang, c.notice->key, c.notice->args);
  auto staff = policy_.staff(*c.principal);
  if (staff && Policy::staffMay(*staff, kConsoleStart)) data["staff_console"] = true;
  // Support, for those who see cases: staff who read their customers' records, and members or
  // agents who hold support.view somewhere.
  // Documents (My pages), for those who see agreements and orders, quotes or invoices.
  bool records = staff && Policy::staffSeesRecords(*staff);
  // The store, for members and agents who hold store.view somewhere (staff name a company).
  // Devices and service visits, for those who see them: services.view, in a membership that sees
  // the company's records (not only their own).
  bool support = records, documents = records, store = false, devices = records;
  for (const auto& a : records ? std::vector<CompanyAccess>{} : policy_.memberships(*c.principal)) {
    support = support || a.can(Permission::SupportView);
    documents = documents || a.can(Permission::OrdersView) || a.can(Permission::QuotesView) ||
                a.can(Permission::InvoicesView);
    store = store || a.can(Permission::StoreView);
    devices = devices || (a.can(Permission::ServicesView) && !a.own_records_only);
  }
  if (support) data["support_menu"] = true;
  if (documents) data["documents_menu"] = true;
  if (store) data["store_menu"] = true;
  if (devices) data["devices_menu"] = true;
  return Response::html(status, views_.page(name, c.lang, data));
}

bool confirmed(const Context& c) { return formField(c, "confirmed") == "1"; }

Response PageRenderer::confirm(const Context& c, const Confirmation& what) const {
  json fields = json::array();
  for (const auto& [name, value] : what.fields) {
    if (name != "csrf" && name != "confirmed") fields.push_back({{"name", name}, {"value", value}});
  }
  auto heading = text(c, what.heading);
  return render(c, "confirm",
                {{"title", heading},
                 {"heading", heading},
                 {"question", text(c, what.question)},
                 {"button", text(c, what.button)},
                 {"action", what.action},
                 {"back", what.back},
                 {"fields", fields}});
}

std::string PageRenderer::permissionLabel(const Context& c, Permission p) const {
  return views_.translate(c.lang, "permission." + std::string(permissionName(p)));
}

json PageRenderer::permissionList(const Context& c, const PermissionSet& set) const {
  json out = json::array();
  for (auto p : set.list()) {
    out.push_back({{"id", std::string(permissionName(p))}, {"label", permissionLabel(c, p)}});
  }
  return out;
}

Response PageRenderer::error(const Context& c, const core::Error& e) const {
  if (e.code == core::ErrorCode::StepUpRequired) return stepUp(c);
  const char* heading = e.code == core::ErrorCode::NotFound    ? "error.not_found"
                        : e.code == core::ErrorCode::Forbidden ? "error.forbidden"
                                                               : "error.generic";
  auto r = render(c, "error",
                  {{"title", views_.translate(c.lang, "error.title")},
                   {"heading", views_.translate(c.lang, heading)},
                   {"message", views_.message(c.lang, e)}},
                  http::statusFor(e.code));
  if (e.code == core::ErrorCode::RateLimited) {
    r.setHeader("Retry-After", std::to_string(e.retry_after_s > 0 ? e.retry_after_s : 1));
  }
  return r;
}

Response PageRenderer::stepUp(const Context& c) const {
  json fields = json::array();
  for (const auto& [name, value] : c.form) {
    if (name != "csrf") fields.push_back({{"name", name}, {"value", value}});
  }
  json data = {{"title", views_.translate(c.lang, "step_up.title")},
               {"action", c.path},
               {"fields", fields},
               {"sms", c.principal && c.principal->user.sms_phone.has_value()},
               {"sms_sent", c.step_up_sms_sent}};
  if (c.step_up_error) data["error"] = views_.message(c.lang, *c.step_up_error);
  return render(c, "step_up", std::move(data), 403);
}

Response PageRenderer::notFound(const Context& c) const {
  return error(c, core::Error::notFound("company.not_found"));
}

void CompanyPages::page(const std::string& method, const std::string& pattern,
                        std::optional<Permission> permission, CompanyHandler handler) {
  routes_.page(method, pattern, Access::SignedIn,
               [this, permission, handler = std::move(handler)](Request& r, Context& c) {
                 auto id = r.idParam("id");
                 auto a = id ? policy_.company(*c.principal, core::CompanyId{id}) : std::nullopt;
                 if (!a) return pages_.notFound(c);
                 if (permission && !a->can(*permission)) {
                   recordAgentAccess(audit_, r, c, *a, false);
                   return pages_.error(
                       c, core::Error::forbidden("errors.access.page_needs_permission")
                              .with("permission", pages_.permissionLabel(c, *permission)));
                 }
                 recordAgentAccess(audit_, r, c, *a);
                 return handler(r, c, *a);
               });
}

json companyMenu(const PageRenderer& pages, const Context& c, const CompanyAccess& a) {
  auto base = companyPath(a);
  json menu = json::array();
  auto add = [&](const std::string& href, const char* key) {
    menu.push_back({{"href", href}, {"label", pages.translate(c, key)}});
  };
  add(base, "company.menu.overview");
  add(base + "/sites", "company.menu.sites");
  if (a.can(Permission::ContactsManage)) add(base + "/contacts", "company.menu.contacts");
  if (a.can(Permission::EmailsView)) add(base + "/emails", "company.menu.emails");
  if (a.can(Permission::UsersManage)) {
    add(base + "#members", "company.menu.users");
    add(base + "/audit", "company.menu.audit");
    add(base + "/explain", "company.menu.explain");
  }
  return menu;
}

core::Result<AuditPageFilter> auditPageFilter(const Request& r) {
  AuditPageFilter f;
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("audit.bad_query"));
  f.event = std::string(core::trim(http::findParam(*q, "event").value_or("")));
  f.from = std::string(core::trim(http::findParam(*q, "from").value_or("")));
  f.to = std::string(core::trim(http::findParam(*q, "to").value_or("")));
  if (f.event.size() > 100) {
    return core::fail(core::Error::invalid("audit.bad_event", "event"));
  }
  if (!f.from.empty()) {
    auto t = parseDate(f.from);
    if (!t) return core::fail(core::Error::invalid("audit.bad_date", "from"));
    f.since = *t;
  }
  if (!f.to.empty()) {
    auto t = parseDate(f.to);
    if (!t) return core::fail(core::Error::invalid("audit.bad_date", "to"));
    f.until = *t + 86400;  // the whole day
  }
  if (auto cursor = http::findParam(*q, "cursor"); cursor && !cursor->empty()) {
    auto v = digits(*cursor);
    if (!v || *v == 0) {
      return core::fail(core::Error::invalid("audit.bad_query", "cursor"));
    }
    f.before_id = *v;
  }
  return f;
}

std::string auditExportQuery(const AuditPageFilter& f) {
  std::string q = "event=" + http::percentEncode(f.event);
  if (f.since > 0) q += "&since=" + std::to_string(f.since);
  if (f.until != INT64_MAX) q += "&until=" + std::to_string(f.until);
  return q;
}

namespace {

class Pages {
 public:
  Pages(identity::GuardedRoutes& routes, AccessPagesDeps deps, const web::Views& views)
      : deps_(std::move(deps)),
        pages_(views, deps_.policy),
        company_pages_(routes, deps_.policy, pages_, deps_.audit) {}

  void registerAll(identity::GuardedRoutes& routes);

 private:
  Response home(Request& r, Context& c) const {
    std::size_t offset = 0;
    if (auto v = digits(queryField(r, "cursor")); v && *v < 1'000'000'000) {
      offset = static_cast<std::size_t>(*v);
    }
    bool more = false;
    json companies = json::array();
    std::map<std::int64_t, RoleNames> org_roles;  // read once per organization on the page
    for (const auto& a : deps_.policy.companies(*c.principal, offset, kHomePageSize, &more)) {
      auto org = org_roles.find(a.company.org_id.value);
      if (org == org_roles.end()) {
        org = org_roles
                  .emplace(a.company.org_id.value, roleNames(deps_.access_repo, a.company.org_id))
                  .first;
      }
      companies.push_back({{"id", a.company.id.value},
                           {"name", a.company.name},
                           {"role", roleLabel(pages_, c, a.role, org->second)},
                           {"manages_users", a.can(Permission::UsersManage)}});
    }
    json data = {
        {"first_name", c.principal->user.first_name},
        {"companies", companies},
        {"has_companies", !companies.empty()},
        {"first_page", offset == 0},
        {"next_cursor", more ? json(std::to_string(offset + kHomePageSize)) : json()},
        {"prev_cursor",
         offset > 0 ? json(std::to_string(offset > kHomePageSize ? offset - kHomePageSize : 0))
                    : json()}};
    data["paged"] = more || offset > 0;
    return pages_.render(c, "home", data);
  }

  // The names of the sites `a` sees ("all" or a list); site ids without a name are shown as ids.
  std::string sitesText(const Context& c, bool all_sites, const std::vector<std::int64_t>& sites,
                        const std::map<std::int64_t, std::string>& names) const {
    if (all_sites) return pages_.translate(c, "company.sites_all");
    if (sites.empty()) return pages_.translate(c, "company.sites_none");
    std::string out;
    for (auto s : sites) {
      auto it = names.find(s);
      out += (out.empty() ? "" : ", ") + (it != names.end() ? it->second : "#" + std::to_string(s));
    }
    return out;
  }

  // A step of an explanation in the caller's language: its reason's text with the arguments put
  // in (roles and sites by name); the English detail if the reason has no translation.
  std::string stepText(const Context& c, const ExplainStep& s, const RoleNames& org_roles,
                       const std::map<std::int64_t, std::string>& site_names) const {
    auto key = "explain.reason." + s.reason;
    auto text = pages_.translate(c, key);
    if (s.reason.empty() || text == key) return s.detail;
    for (const auto& [name, value] : s.args) {
      std::string shown = value;
      if (name == "role") {
        shown = roleLabel(pages_, c, value, org_roles);
      } else if (name == "sites") {
        std::vector<std::int64_t> ids;  // "1, 2, 3"
        std::string_view rest = value;
        while (!rest.empty()) {
          auto comma = rest.find(',');
          if (auto id = digits(core::trim(rest.substr(0, comma)))) ids.push_back(*id);
          rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        shown = sitesText(c, false, ids, site_names);
      }
      auto placeholder = "{" + name + "}";
      for (auto at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + shown.size())) {
        text.replace(at, placeholder.size(), shown);
      }
    }
    return text;
  }

  // The company page; `error` and `form` (the invitation form's values) after a failed POST.
  Response company(Context& c, const CompanyAccess& a, const std::string& error = "",
                   int status = 200, const json& form = json::object()) const {
    auto perms = pages_.permissionList(c, a.permissions);
    auto names = deps_.site_names(a.company.id);
    auto org_roles = roleNames(deps_.access_repo, a.company.org_id);
    json data = {{"title", a.company.name},
                 {"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"role", roleLabel(pages_, c, a.role, org_roles)},
                 {"permissions", perms},
                 {"all_sites", a.all_sites},
                 {"sites", sitesText(c, a.all_sites, a.sites, names)},
                 {"menu", companyMenu(pages_, c, a)}};
    if (auto staff = deps_.policy.staff(*c.principal);
        staff && Policy::staffMay(*staff, StaffCapability::Customers) &&
        Policy::staffReaches(*staff, a.company)) {
      data["console_link"] = "/staff/customers/" + std::to_string(a.company.id.value);
    }
    if (!error.empty()) data["error"] = error;
    if (a.can(Permission::UsersManage)) {
      if (auto agent = deps_.members.agent(a)) {
        auto agent_perms = pages_.permissionList(c, agent->permissions);
        data["agent"] = {{"name", agent->name},
                         {"active", agent->active},
                         {"has_end", agent->until.has_value()},
                         {"until", agent->until ? dateText(*agent->until) : std::string()},
                         {"permissions", agent_perms},
                         {"logins", agent->logins},
                         {"has_logins", !agent->logins.empty()}};
      }
      json list = json::array();
      for (const auto& m : deps_.members.members(a)) {
        list.push_back({{"id", m.user_id.value},
                        {"name", m.first_name + " " + m.last_name},
                        {"email", m.email},
                        {"role", roleLabel(pages_, c, m.role, org_roles)},
                        {"sites", sitesText(c, m.sees_all_sites, m.seen_sites, names)},
                        {"last_login", m.last_login_at ? dateText(*m.last_login_at)
                                                       : pages_.translate(c, "company.never")},
                        {"two_factor", m.has_second_factor},
                        {"invited_by", m.invited_by ? json(*m.invited_by) : json()},
                        {"disabled", m.disabled},
                        {"self", m.user_id == c.principal->user.id}});
      }
      json pending = json::array();
      for (const auto& inv : deps_.invitations.pendingIn(a)) {
        for (const auto& ic : inv.companies) {
          if (ic.company_id == a.company.id) {
            pending.push_back({{"id", inv.id},
                               {"email", inv.email},
                               {"role", roleLabel(pages_, c, ic.role, org_roles)},
                               {"expires", dateText(inv.expires_at)}});
          }
        }
      }
      auto roles = grantableRoles(c, a, form.value("role", std::string("member")));
      auto chosen_language = form.value("language", c.lang);
      json languages = json::array();
      for (auto [code, name] :
           {std::pair{"en", "English"}, std::pair{"sv", "Svenska"}, std::pair{"de", "Deutsch"}}) {
        languages.push_back(
            {{"code", code}, {"name", name}, {"selected", chosen_language == code}});
      }
      data["manages_users"] = true;
      data["members"] = list;
      data["has_pending"] = !pending.empty();
      data["pending"] = pending;
      data["roles"] = roles;
      data["languages"] = languages;
      data["form"] = form;
    }
    return pages_.render(c, "company", data, status);
  }

  // The roles the caller may give in `a`: the presets and the organization's roles whose
  // permissions the caller holds (staff: all), `chosen` selected.
  json grantableRoles(const Context& c, const CompanyAccess& a, const std::string& chosen) const {
    json roles = json::array();
    bool staff = a.basis == Basis::Staff;
    for (const auto& preset : rolePresets()) {
      if (staff || preset.permissions.subsetOf(a.permissions)) {
        roles.push_back({{"id", std::string(preset.id)},
                         {"name", roleLabel(pages_, c, std::string(preset.id))},
                         {"selected", preset.id == chosen}});
      }
    }
    for (const auto& [key, name, permissions] : deps_.access_repo.orgRoles(a.company.org_id)) {
      if (staff || permissions.subsetOf(a.permissions)) {
        roles.push_back({{"id", key}, {"name", name}, {"selected", key == chosen}});
      }
    }
    return roles;
  }

  std::optional<Member> findMember(const CompanyAccess& a, core::UserId user) const {
    for (auto& m : deps_.members.members(a)) {
      if (m.user_id == user) return std::move(m);
    }
    return std::nullopt;
  }

  // A member's rights as a form: role, chosen permissions, sites. `form` holds the values of a
  // refused POST (role, permissions, sites, site ids), shown again with `error`.
  Response member(Context& c, const CompanyAccess& a, const Member& m,
                  const std::string& error = "", int status = 200,
                  const json& form = json()) const {
    auto org_roles = roleNames(deps_.access_repo, a.company.org_id);
    auto names = deps_.site_names(a.company.id);
    bool posted = form.is_object();
    std::string role = posted ? form.value("role", std::string()) : m.role;
    std::set<std::string> chosen;
    if (posted) {
      for (const auto& p : form["permissions"]) chosen.insert(p.get<std::string>());
    } else {
      for (auto p : m.permissions.list()) chosen.insert(std::string(permissionName(p)));
    }
    bool all_sites = posted ? form.value("sites", std::string()) != "some" : m.all_sites;
    std::set<std::int64_t> sites;
    if (posted) {
      for (const auto& s : form["site_ids"]) sites.insert(s.get<std::int64_t>());
    } else {
      sites.insert(m.sites.begin(), m.sites.end());
    }
    bool own_records =
        posted ? form.value("visibility", std::string()) == "own" : m.own_records_only;
    bool staff = a.basis == Basis::Staff;
    json permissions = json::array();
    for (int i = 0; i < kPermissionCount; ++i) {
      auto p = static_cast<Permission>(i);
      if (!staff && !a.can(p)) continue;  // nobody grants what they do not hold
      auto id = std::string(permissionName(p));
      permissions.push_back(
          {{"id", id}, {"label", pages_.permissionLabel(c, p)}, {"checked", chosen.contains(id)}});
    }
    json site_options = json::array();
    for (const auto& [id, name] : names) {
      if (!a.seesSite(id)) continue;
      site_options.push_back({{"id", id}, {"name", name}, {"checked", sites.contains(id)}});
    }
    std::string name = m.first_name + " " + m.last_name;
    json data = {{"title", name + " · " + a.company.name},
                 {"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"user_id", m.user_id.value},
                 {"name", name},
                 {"email", m.email},
                 {"role", roleLabel(pages_, c, m.role, org_roles)},
                 {"roles", grantableRoles(c, a, role)},
                 {"custom", role == "custom"},
                 {"permissions", permissions},
                 {"all_sites", all_sites},
                 {"own_records", own_records},
                 {"site_options", site_options},
                 {"has_sites", !site_options.empty()},
                 {"self", m.user_id == c.principal->user.id},
                 {"outranked", !staff && !m.permissions.subsetOf(a.permissions)},
                 {"menu", companyMenu(pages_, c, a)}};
    if (data["outranked"].get<bool>()) {
      data["outranked_text"] = pages_.message(c, core::Error::forbidden("errors.access.outranked"));
    }
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "member", data, status);
  }

  // The rights that the member form posts: a role, or "custom" with the permissions ticked; all
  // sites, or the sites ticked. `form` receives the posted values to show them again.
  static core::Result<RightsChange> postedRights(const Context& c, json& form) {
    RightsChange change;
    auto role = formField(c, "role");
    form = {{"role", role},
            {"permissions", json::array()},
            {"sites", formField(c, "sites")},
            {"visibility", formField(c, "visibility")},
            {"site_ids", json::array()}};
    // One field per box ("permission.invoices.view", "site.12"): a form names a field once.
    for (const auto& [name, value] : c.form) {
      if (name.starts_with("permission.")) form["permissions"].push_back(name.substr(11));
      if (name.starts_with("site.")) {
        auto id = digits(std::string_view(name).substr(5));
        if (!id) return core::fail(core::Error::invalid("errors.access.sites_of_company", "sites"));
        form["site_ids"].push_back(*id);
        change.sites.push_back(*id);
      }
    }
    if (role == "custom") {
      PermissionSet set;
      for (const auto& p : form["permissions"]) {
        auto permission = permissionFromName(p.get<std::string>());
        if (!permission) {
          return core::fail(core::Error::invalid("errors.access.unknown_permission", "permissions")
                                .with("permission", p.get<std::string>()));
        }
        set.add(*permission);
      }
      if (set.empty()) {
        return core::fail(core::Error::invalid("errors.access.choose_permission", "permissions"));
      }
      change.permissions = set;
    } else {
      change.role = role;
    }
    // A form without the field (an older page) leaves the visibility as it is.
    if (auto v = formField(c, "visibility"); !v.empty()) {
      if (v != "company" && v != "own") {
        return core::fail(core::Error::invalid("errors.access.bad_visibility", "visibility"));
      }
      change.own_records_only = v == "own";
    }
    change.all_sites = formField(c, "sites") != "some";
    if (*change.all_sites) {
      change.sites.clear();
    } else if (change.sites.empty()) {
      return core::fail(core::Error::invalid("errors.access.choose_site", "sites"));
    }
    return change;
  }

  Response audit(Request& r, Context& c, const CompanyAccess& a) const {
    json data = {{"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"title", pages_.translate(c, "audit.title") + " · " + a.company.name}};
    auto f = auditPageFilter(r);
    if (!f) {
      data["error"] = pages_.message(c, f.error());
      data["filter"] = {{"from", queryField(r, "from")}, {"to", queryField(r, "to")}};
      data["event_choices"] = auditEventChoices(pages_, c, queryField(r, "event"), true);
      data["rows"] = json::array();
      return pages_.render(c, "company_audit", data, http::statusFor(f.error().code));
    }
    auto records = deps_.audit.forCompany(a.company.id, f->event, f->since, f->until, f->before_id,
                                          kAuditPageSize + 1);
    bool more = records.size() > static_cast<std::size_t>(kAuditPageSize);
    if (more) records.pop_back();
    auto query = auditExportQuery(*f);
    data["filter"] = {{"from", f->from}, {"to", f->to}};
    data["event_choices"] = auditEventChoices(pages_, c, f->event, true);
    data["rows"] = auditRowsJson(pages_, c, auditRows(records, deps_.users),
                                 roleNames(deps_.access_repo, a.company.org_id));
    data["has_rows"] = !records.empty();
    data["csv_link"] = companyPath(a) + "/audit.csv?" + query;
    if (more) {
      data["older_link"] = companyPath(a) + "/audit?event=" + http::percentEncode(f->event) +
                           "&from=" + http::percentEncode(f->from) +
                           "&to=" + http::percentEncode(f->to) +
                           "&cursor=" + std::to_string(records.back().id);
    }
    return pages_.render(c, "company_audit", data);
  }

  Response explain(Request& r, Context& c, const CompanyAccess& a) const {
    auto user_text = queryField(r, "user_id");
    auto permission_text = queryField(r, "permission");
    auto site_text = queryField(r, "site_id");
    auto members = deps_.members.members(a);
    auto names = deps_.site_names(a.company.id);
    json member_options = json::array();
    const Member* subject = nullptr;
    for (const auto& m : members) {
      bool chosen = std::to_string(m.user_id.value) == user_text;
      if (chosen) subject = &m;
      member_options.push_back({{"id", m.user_id.value},
                                {"label", m.first_name + " " + m.last_name + " <" + m.email + ">"},
                                {"selected", chosen}});
    }
    json permission_options = json::array();
    for (int i = 0; i < kPermissionCount; ++i) {
      auto p = static_cast<Permission>(i);
      auto name = std::string(permissionName(p));
      permission_options.push_back({{"name", name},
                                    {"label", pages_.permissionLabel(c, p)},
                                    {"selected", name == permission_text}});
    }
    json site_options = json::array();
    for (const auto& [id, name] : names) {
      if (!a.seesSite(id)) continue;
      site_options.push_back(
          {{"id", id}, {"name", name}, {"selected", std::to_string(id) == site_text}});
    }
    json data = {{"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"title", pages_.translate(c, "explain.title") + " · " + a.company.name},
                 {"members", member_options},
                 {"permissions", permission_options},
                 {"sites", site_options},
                 {"has_sites", !site_options.empty()}};
    if (user_text.empty()) return pages_.render(c, "explain", data);

    auto fail = [&](const char* key, int status = 400) {
      data["error"] = pages_.translate(c, key);
      return pages_.render(c, "explain", data, status);
    };
    if (!subject) return fail("explain.bad_member");
    std::optional<Permission> permission;
    if (!permission_text.empty()) {
      permission = permissionFromName(permission_text);
      if (!permission) return fail("explain.bad_permission");
    }
    std::optional<std::int64_t> site;
    if (!site_text.empty()) {
      auto v = digits(site_text);
      if (!v) return fail("explain.bad_site");
      site = *v;
    }
    auto explained = deps_.policy.explainTo(a, subject->user_id, permission, site);
    if (!explained) return fail("explain.bad_site", http::statusFor(explained.error().code));
    const auto& e = *explained;
    auto org_roles = roleNames(deps_.access_repo, a.company.org_id);
    json steps = json::array();
    for (const auto& s : e.steps) {
      steps.push_back({{"check", pages_.translate(c, "explain.check." + s.check)},
                       {"passed", s.passed},
                       {"detail", stepText(c, s, org_roles, names)}});
    }
    std::string question = subject->first_name + " " + subject->last_name;
    data["result"] = {
        {"subject", question},
        {"steps", steps},
        {"allowed", e.allowed},
        {"permission", permission ? json(pages_.permissionLabel(c, *permission)) : json()},
        {"site", site ? json(names[*site]) : json()},
        {"view_as", companyPath(a) + "/view-as/" + std::to_string(subject->user_id.value)}};
    return pages_.render(c, "explain", data);
  }

  Response viewAs(Request& r, Context& c, const CompanyAccess& a) const {
    auto user = r.idParam("user_id");
    std::optional<Member> subject;
    for (auto& m : deps_.members.members(a)) {
      if (m.user_id.value == user) subject = std::move(m);
    }
    if (!subject) {
      return pages_.error(c, core::Error::notFound("view_as.not_member"));
    }
    auto e = deps_.policy.explain(subject->user_id, a.company.id, std::nullopt, std::nullopt);
    std::string name = subject->first_name + " " + subject->last_name;
    json data = {{"company_id", a.company.id.value},
                 {"company_name", a.company.name},
                 {"title", pages_.translate(c, "view_as.title") + " · " + name},
                 {"subject_name", name},
                 {"subject_email", subject->email},
                 {"subject_id", subject->user_id.value},
                 {"read_only_preview", true}};
    if (e.access) {
      auto perms = pages_.permissionList(c, e.access->permissions);
      json menu = json::array();
      for (const auto& item : companyMenu(pages_, c, *e.access)) menu.push_back(item["label"]);
      data["access"] = {{"role", roleLabel(pages_, c, e.access->role,
                                           roleNames(deps_.access_repo, a.company.org_id))},
                        {"permissions", perms},
                        {"has_permissions", !perms.empty()},
                        {"sites", sitesText(c, e.access->all_sites, e.access->sites,
                                            deps_.site_names(a.company.id))},
                        {"menu", menu}};
    }
    return pages_.render(c, "view_as", data);
  }

  AccessPagesDeps deps_;
  PageRenderer pages_;
  CompanyPages company_pages_;
};

void Pages::registerAll(identity::GuardedRoutes& routes) {
  routes.page("GET", "/", Access::SignedIn, [this](Request& r, Context& c) { return home(r, c); });

  auto& cp = company_pages_;
  cp.page("GET", "/companies/{id}", CompanyRoutes::kAnyAccess,
          [this](Request&, Context& c, const CompanyAccess& a) { return company(c, a); });

  // A member's rights: the form, and saving it.
  cp.page("GET", "/companies/{id}/users/{user_id}", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) {
            auto m = findMember(a, core::UserId{r.idParam("user_id")});
            if (!m) return pages_.error(c, core::Error::notFound("errors.access.no_such_member"));
            return member(c, a, *m);
          });
  cp.page("POST", "/companies/{id}/users/{user_id}", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) {
            auto m = findMember(a, core::UserId{r.idParam("user_id")});
            if (!m) return pages_.error(c, core::Error::notFound("errors.access.no_such_member"));
            json form;
            auto change = postedRights(c, form);
            if (!change) {
              return member(c, a, *m, pages_.message(c, change.error()),
                            http::statusFor(change.error().code), form);
            }
            auto s = deps_.members.changeRights(
                *c.principal, a, m->user_id, *change,
                {c.principal->user.id, c.origin.ip, c.origin.request_id});
            if (!s && s.error().code == core::ErrorCode::StepUpRequired) return pages_.stepUp(c);
            if (!s) {
              return member(c, a, *m, pages_.message(c, s.error()), http::statusFor(s.error().code),
                            form);
            }
            c.next_notice = core::Message{
                "notices.access.changed",
                {{"name", m->first_name + " " + m->last_name}, {"company", a.company.name}}};
            return Response::redirect(companyPath(a) + "#members");
          });

  cp.page("POST", "/companies/{id}/users/{user_id}/remove", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) {
            auto m = findMember(a, core::UserId{r.idParam("user_id")});
            if (!m) return pages_.error(c, core::Error::notFound("errors.access.no_such_member"));
            core::MessageArgs args{{"name", m->first_name + " " + m->last_name},
                                   {"company", a.company.name}};
            if (auto s = deps_.members.mayRemove(a, m->user_id); !s) {
              return company(c, a, pages_.message(c, s.error()), http::statusFor(s.error().code));
            }
            if (!confirmed(c)) {
              return pages_.confirm(c, {{"confirm.remove_member.heading", {}},
                                        {"confirm.remove_member.question", args},
                                        {"confirm.remove_member.button", {}},
                                        r.path,
                                        companyPath(a) + "#members",
                                        {}});
            }
            auto s = deps_.members.remove(*c.principal, a, m->user_id,
                                          {c.principal->user.id, c.origin.ip, c.origin.request_id});
            if (!s && s.error().code == core::ErrorCode::StepUpRequired) return pages_.stepUp(c);
            if (!s)
              return company(c, a, pages_.message(c, s.error()), http::statusFor(s.error().code));
            c.next_notice = core::Message{"notices.access.removed", args};
            return Response::redirect(m->user_id == c.principal->user.id
                                          ? std::string("/")
                                          : companyPath(a) + "#members");
          });

  // Inviting and revoking check users.manage in the service (a staff invitation may name
  // several companies); the page only needs to see the company.
  cp.page("POST", "/companies/{id}/invitations", CompanyRoutes::kAnyAccess,
          [this](Request&, Context& c, const CompanyAccess& a) {
            NewInvitation n;
            n.email = formField(c, "email");
            n.first_name = formField(c, "first_name");
            n.last_name = formField(c, "last_name");
            n.language = formField(c, "language");
            InvitedCompany ic;
            ic.company_id = a.company.id;
            ic.role = formField(c, "role");
            json form = {{"email", n.email},
                         {"first_name", n.first_name},
                         {"last_name", n.last_name},
                         {"language", n.language},
                         {"role", ic.role}};
            n.companies.push_back(ic);
            auto email = n.email;
            auto inv = deps_.invitations.invite(*c.principal, std::move(n), c.origin);
            if (!inv && inv.error().code == core::ErrorCode::StepUpRequired) {
              return pages_.stepUp(c);
            }
            if (!inv) {
              return company(c, a, pages_.message(c, inv.error()),
                             http::statusFor(inv.error().code), form);
            }
            c.next_notice = core::Message{"notices.invitation.sent", {{"email", email}}};
            return Response::redirect(companyPath(a) + "#members");
          });

  cp.page("POST", "/companies/{id}/invitations/{invitation_id}/revoke", CompanyRoutes::kAnyAccess,
          [this](Request& r, Context& c, const CompanyAccess& a) {
            auto id = r.idParam("invitation_id");
            if (!a.can(Permission::UsersManage)) {  // nothing about an invitation is shown
              return pages_.error(c, core::Error::notFound("errors.access.no_such_invitation"));
            }
            std::optional<std::string> email;
            for (const auto& inv : deps_.invitations.pendingIn(a)) {
              if (inv.id == id) email = inv.email;
            }
            if (!email) {
              return pages_.error(c, core::Error::notFound("errors.access.no_such_invitation"));
            }
            if (!confirmed(c)) {
              return pages_.confirm(c, {{"confirm.revoke_invitation.heading", {}},
                                        {"confirm.revoke_invitation.question", {{"email", *email}}},
                                        {"confirm.revoke_invitation.button", {}},
                                        r.path,
                                        companyPath(a) + "#members",
                                        {}});
            }
            auto s = deps_.invitations.revoke(*c.principal, id, c.origin);
            if (!s)
              return company(c, a, pages_.message(c, s.error()), http::statusFor(s.error().code));
            c.next_notice = core::Message{"notices.invitation.revoked", {{"email", *email}}};
            return Response::redirect(companyPath(a) + "#members");
          });

  cp.page("GET", "/companies/{id}/audit", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) { return audit(r, c, a); });
  cp.page("GET", "/companies/{id}/audit.csv", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) {
            auto csv = companyAuditCsv(r, c.principal->user.id, a, deps_.audit, deps_.users,
                                       deps_.throttle);
            return csv ? std::move(*csv) : pages_.error(c, csv.error());
          });
  cp.page("GET", "/companies/{id}/explain", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) { return explain(r, c, a); });
  cp.page("GET", "/companies/{id}/view-as/{user_id}", Permission::UsersManage,
          [this](Request& r, Context& c, const CompanyAccess& a) { return viewAs(r, c, a); });
}

}  // namespace

std::shared_ptr<void> registerAccessPages(identity::GuardedRoutes& routes, AccessPagesDeps deps,
                                          const web::Views& views) {
  auto owner = std::make_shared<Pages>(routes, std::move(deps), views);
  owner->registerAll(routes);
  return owner;
}

}  // namespace portico::access
