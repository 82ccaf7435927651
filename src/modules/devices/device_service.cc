#include "modules/devices/device_service.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::devices {
namespace {

using access::Basis;
using access::Permission;
using core::Error;
using core::fail;

Error noSuchDevice() { return Error::notFound("errors.devices.no_such_device"); }

Error conflictAt(std::string key, std::string field) {
  auto e = Error::conflict(std::move(key));
  e.field = std::move(field);
  return e;
}

nlohmann::json siteJson(const Device& d) {
  return d.site_id ? nlohmann::json(*d.site_id) : nlohmann::json(nullptr);
}

}  // namespace

std::optional<access::CompanyAccess> DeviceService::seeing(const identity::Principal& p,
                                                           const Device& d) {
  return policy_.recordAccess(p, Permission::ServicesView, d.company_id, d.site_id, std::nullopt,
                              access::OwnRecords::None);
}

Seen DeviceService::seen(const identity::Principal& p, const access::CompanyAccess& a, Device d) {
  Seen s;
  s.staff = a.basis == Basis::Staff;
  s.may_manage = a.can(Permission::DevicesManage) && a.basis != Basis::Agent;
  s.may_open_case = a.can(Permission::SupportOpen) && a.basis != Basis::Agent;
  if (s.staff) {
    auto staff = policy_.staff(p);
    s.may_rotate = staff && access::Policy::staffMay(*staff, access::StaffCapability::Customers) &&
                   access::Policy::staffReaches(*staff, a.company);
  }
  s.may_unplace = s.may_manage && (s.staff || a.all_sites);
  if (s.may_manage) {
    for (auto& site : repo_.sitesOf(d.company_id)) {
      if (a.all_sites || a.seesSite(site.first)) s.sites.push_back(std::move(site));
    }
  }
  s.device = std::move(d);
  return s;
}

core::Result<Scope> DeviceService::scope(const identity::Principal& p, const Filter& filter) {
  auto scope =
      policy_.recordScope(p, Permission::ServicesView, filter.company, access::OwnRecords::None);
  if (!scope) return fail(Error::notFound("errors.devices.no_such_company"));
  return std::move(*scope);
}

core::Result<Page> DeviceService::list(const identity::Principal& p, const Filter& filter) {
  if (!core::isCleanUtf8(filter.query)) {
    return fail(Error::invalid("errors.devices.bad_query", "q"));
  }
  if (core::codePointCount(filter.query) > kMaxQuery) {
    return fail(Error::invalid("errors.devices.query_too_long", "q")
                    .with("max", std::to_string(kMaxQuery)));
  }
  auto s = scope(p, filter);
  if (!s) return fail(s.error());
  Page page;
  page.items = repo_.list(*s, filter);
  if (static_cast<int>(page.items.size()) > filter.limit) {
    page.items.pop_back();
    page.next = Cursor{page.items.back().name, page.items.back().id.value};
  }
  return page;
}

core::Result<Seen> DeviceService::find(const identity::Principal& p, core::DeviceId id) {
  auto d = repo_.find(id);
  if (!d) return fail(noSuchDevice());
  auto a = seeing(p, *d);
  if (!a) return fail(noSuchDevice());
  return seen(p, *a, std::move(*d));
}

core::Result<Seen> DeviceService::findByCode(const identity::Principal& p, std::string_view code) {
  auto normal = normalizeCode(code);
  if (!normal) return fail(noSuchDevice());
  for (auto& d : repo_.findByCode(*normal)) {
    if (auto a = seeing(p, d)) return seen(p, *a, std::move(d));
  }
  return fail(noSuchDevice());
}

core::Result<Seen> DeviceService::update(const identity::Principal& p, core::DeviceId id,
                                         const Change& change, const audit::Actor& actor) {
  auto found = find(p, id);
  if (!found) return found;
  if (!found->may_manage) return fail(Error::forbidden("errors.devices.may_not_manage"));
  auto a = policy_.company(p, found->device.company_id);
  if (!a) return fail(noSuchDevice());
  Device d = found->device;
  nlohmann::json changed = nlohmann::json::object();
  if (change.name) {
    auto name = std::string(core::trim(*change.name));
    if (name.empty()) return fail(Error::invalid("errors.devices.name_required", "name"));
    if (!core::isCleanUtf8(name) || core::codePointCount(name) > kMaxName) {
      return fail(
          Error::invalid("errors.devices.bad_name", "name").with("max", std::to_string(kMaxName)));
    }
    if (name != d.name) {
      changed["name"] = {{"from", d.name}, {"to", name}};
      d.name = std::move(name);
    }
  }
  if (change.site_id) {
    // 0: at none of the company's sites, which only those who see every site may choose.
    std::optional<std::int64_t> site;
    if (*change.site_id != 0) site = *change.site_id;
    bool allowed = site ? repo_.siteOfCompany(*site, d.company_id) &&
                              (a->basis == Basis::Staff || a->all_sites || a->seesSite(*site))
                        : a->basis == Basis::Staff || a->all_sites;
    if (!allowed) return fail(Error::invalid("errors.devices.bad_site", "site_id"));
    if (site != d.site_id) {
      Device moved = d;
      moved.site_id = site;
      changed["site_id"] = {{"from", siteJson(d)}, {"to", siteJson(moved)}};
      d.site_id = site;
    }
  }
  if (!change.name && !change.site_id) {
    return fail(Error::invalid("errors.devices.nothing_to_change"));
  }
  if (changed.empty()) return found;
  d.updated_at = clock_.now();
  {
    storage::Transaction tx(repo_.conn());
    repo_.rename(d, changed.contains("name"), changed.contains("site_id"));
    nlohmann::json data = {
        {"id", d.id.value},
        {"external_id", d.external_id ? nlohmann::json(*d.external_id) : nlohmann::json(nullptr)},
        {"serial", d.serial},
        {"name", d.name},
        {"site_id", siteJson(d)},
        {"changes", changed},
        {"by", {{"id", p.user.id.value}, {"email", p.user.email}}}};
    events_.record({d.org_id, "device.updated", d.company_id, "device", d.id.value, data.dump()});
    nlohmann::json detail = {{"device_id", d.id.value}, {"serial", d.serial}};
    if (changed.contains("name")) detail["name"] = d.name;
    if (changed.contains("site_id")) detail["site_id"] = siteJson(d);
    audit_.record(actor, {"device.changed", std::nullopt, d.org_id, d.company_id, detail.dump()});
    tx.commit();
  }
  return find(p, id);
}

core::Result<Seen> DeviceService::rotateCode(const identity::Principal& p, core::DeviceId id,
                                             const audit::Actor& actor) {
  auto found = find(p, id);
  if (!found) return found;
  if (!found->may_rotate) return fail(Error::forbidden("errors.devices.may_not_rotate"));
  auto now = clock_.now();
  {
    storage::Transaction tx(repo_.conn());
    std::string code = newCode();
    // 2^48 codes: a collision is all but impossible, and then the next draw is another code.
    while (!repo_.findByCode(code).empty()) code = newCode();
    repo_.setCode(id, code, now);
    audit_.record(
        actor, {"device.code_rotated", std::nullopt, found->device.org_id, found->device.company_id,
                nlohmann::json{{"device_id", id.value}, {"serial", found->device.serial}}.dump()});
    tx.commit();
  }
  return find(p, id);
}

core::Result<access::CompanyAccess> DeviceService::labelling(const identity::Principal& p,
                                                             core::CompanyId company) {
  auto a = policy_.company(p, company);
  if (!a || !a->can(Permission::ServicesView) ||
      (a->own_records_only && a->basis != Basis::Staff)) {
    return fail(Error::notFound("errors.devices.no_such_company"));
  }
  if (!a->can(Permission::DevicesManage) || a->basis == Basis::Agent) {
    return fail(Error::forbidden("errors.devices.may_not_manage"));
  }
  return std::move(*a);
}

std::optional<std::string> DeviceService::mayPrintLabels(const identity::Principal& p,
                                                         core::CompanyId company) {
  auto a = labelling(p, company);
  if (!a) return std::nullopt;
  return a->company.name;
}

core::Result<LabelSet> DeviceService::labels(const identity::Principal& p, const LabelRequest& r) {
  auto a = labelling(p, r.company);
  if (!a) return fail(a.error());
  bool every_site = a->basis == Basis::Staff || a->all_sites;
  if (r.site_id &&
      (!repo_.siteOfCompany(*r.site_id, r.company) || (!every_site && !a->seesSite(*r.site_id)))) {
    return fail(Error::invalid("errors.devices.bad_site", "site_id"));
  }
  Scope scope;
  if (every_site) {
    scope.companies.push_back(r.company.value);
  } else {
    scope.sites = a->sites;
  }
  Filter f;
  f.company = r.company;
  f.site_id = r.site_id;
  f.limit = static_cast<int>(kMaxLabels);
  LabelSet out;
  out.devices = repo_.list(scope, f);
  if (out.devices.size() > kMaxLabels) {
    return fail(Error::invalid("errors.devices.too_many_labels", "site_id")
                    .with("max", std::to_string(kMaxLabels)));
  }
  out.vendor = repo_.organizationName(a->company.org_id);
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> DeviceService::labelCompanies(
    const identity::Principal& p) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& a : policy_.memberships(p)) {
    if (a.can(Permission::ServicesView) && a.can(Permission::DevicesManage) &&
        a.basis == Basis::Membership && !a.own_records_only) {
      out.emplace_back(a.company.id.value, a.company.name);
    }
  }
  return out;
}

bool DeviceService::maySee(const identity::Principal& p) {
  auto staff = policy_.staff(p);
  if (staff && access::Policy::staffSeesRecords(*staff)) return true;
  for (const auto& a : policy_.memberships(p)) {
    if (a.can(Permission::ServicesView) && !a.own_records_only) return true;
  }
  return false;
}

std::vector<std::pair<std::int64_t, std::string>> DeviceService::companies(
    const identity::Principal& p) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& a : policy_.memberships(p)) {
    if (a.can(Permission::ServicesView) && !a.own_records_only) {
      out.emplace_back(a.company.id.value, a.company.name);
    }
  }
  return out;
}

core::Result<Upserted> DeviceService::upsert(const access::Company& company, const Upsert& u) {
  auto now = clock_.now();
  auto existing = repo_.findByExternalId(company.org_id, u.external_id);
  if (existing && existing->company_id != company.id) {
    return fail(conflictAt("errors.integration.company_fixed", "company_external_id"));
  }
  if (auto same = repo_.findBySerial(company.org_id, u.serial);
      same && (!existing || same->id != existing->id)) {
    return fail(conflictAt("errors.devices.serial_taken", "serial"));
  }
  Device d = existing ? *existing : Device{};
  d.org_id = company.org_id;
  d.company_id = company.id;
  d.company_name = company.name;
  d.external_id = u.external_id;
  d.name = u.name;
  d.serial = u.serial;
  if (u.model) d.model = *u.model;
  if (u.status) d.status = *u.status;
  if (u.properties) d.properties = *u.properties;
  if (u.last_service) d.last_service = *u.last_service;
  if (u.next_service) d.next_service = *u.next_service;
  if (u.site_external_id) {
    if (u.site_external_id->empty()) {
      d.site_id.reset();
    } else {
      auto site = repo_.siteByExternalId(company.id, *u.site_external_id);
      if (!site) {
        return fail(Error::invalid("errors.integration.unknown_site", "site_external_id")
                        .with("external_id", *u.site_external_id));
      }
      d.site_id = site;
    }
  }
  d.updated_at = now;
  try {
    if (existing) {
      repo_.update(d);
    } else {
      d.created_at = now;
      d.code = newCode();
      while (!repo_.findByCode(d.code).empty()) d.code = newCode();
      d.id = repo_.insert(d);
    }
    // As written, with its site's name.
    auto written = repo_.find(d.id);
    if (!written) return fail(noSuchDevice());
    return Upserted{std::move(*written), !existing};
  } catch (const storage::ConstraintError&) {
    // Another request wrote the same serial in the meantime.
    return fail(conflictAt("errors.devices.serial_taken", "serial"));
  }
}

}  // namespace portico::devices
