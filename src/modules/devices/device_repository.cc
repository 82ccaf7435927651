#include "modules/devices/device_repository.h"

#include <nlohmann/json.hpp>

#include "storage/list_sql.h"

namespace portico::devices {
namespace {

using storage::ListSql;
using storage::Query;

// A device's columns, with its properties (PROPERTIES: "v.properties") or without them ("'{}'":
// a list shows none).
#define DEVICE_COLUMNS_WITH(PROPERTIES)                                                    \
  "v.id, v.org_id, v.company_id, co.name, v.site_id, COALESCE(s.name, ''), v.external_id," \
  " v.name, v.serial, v.model, v.status, " PROPERTIES                                      \
  ", v.last_service, v.next_service, v.code, v.code_rotated_at, v.created_at, v.updated_at"
#define DEVICE_COLUMNS DEVICE_COLUMNS_WITH("v.properties")
#define LISTED_COLUMNS DEVICE_COLUMNS_WITH("'{}'")
#define DEVICE_FROM                                           \
  " FROM devices v JOIN companies co ON co.id = v.company_id" \
  " LEFT JOIN sites s ON s.id = v.site_id"

constexpr std::string_view kFind = "SELECT " DEVICE_COLUMNS DEVICE_FROM " WHERE v.id = ?";
constexpr std::string_view kFindCode =
    "SELECT " DEVICE_COLUMNS DEVICE_FROM " WHERE v.code = ? ORDER BY v.id LIMIT 8";
constexpr std::string_view kFindExternal =
    "SELECT " DEVICE_COLUMNS DEVICE_FROM " WHERE v.org_id = ? AND v.external_id = ?";
constexpr std::string_view kFindSerial =
    "SELECT " DEVICE_COLUMNS DEVICE_FROM " WHERE v.org_id = ? AND v.serial = ?";
constexpr std::string_view kInsert =
    "INSERT INTO devices (org_id, company_id, site_id, external_id, name, serial, model, status,"
    " properties, last_service, next_service, code, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdate =
    "UPDATE devices SET site_id = ?, external_id = ?, name = ?, serial = ?, model = ?, status = ?,"
    " properties = ?, last_service = ?, next_service = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kSetName = "UPDATE devices SET name = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kSetSite = "UPDATE devices SET site_id = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kSetCode =
    "UPDATE devices SET code = ?, code_rotated_at = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kSiteOfCompany = "SELECT 1 FROM sites WHERE id = ? AND company_id = ?";
constexpr std::string_view kSiteExternal =
    "SELECT id FROM sites WHERE company_id = ? AND external_id = ?";
constexpr std::string_view kOrganizationName = "SELECT name FROM organizations WHERE id = ?";
constexpr std::string_view kSitesOf =
    "SELECT id, name FROM sites WHERE company_id = ? ORDER BY name, id";

std::string propertiesText(const Device& d) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : d.properties) j[k] = v;
  return j.dump();
}

Device readDevice(Query& q) {
  Device d;
  d.id = core::DeviceId{q.getInt(0)};
  d.org_id = core::OrgId{q.getInt(1)};
  d.company_id = core::CompanyId{q.getInt(2)};
  d.company_name = q.getText(3);
  d.site_id = q.getOptInt(4);
  d.site_name = q.getText(5);
  d.external_id = q.getOptText(6);
  d.name = q.getText(7);
  d.serial = q.getText(8);
  d.model = q.getText(9);
  d.status = parseStatus(q.getText(10)).value_or(Status::Ok);
  if (auto text = q.getText(11); text != "{}") {
    // Written by propertiesText only; a row that does not parse keeps no properties.
    auto j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (v.is_string()) d.properties.emplace_back(k, v.get<std::string>());
      }
    }
  }
  d.last_service = q.getOptText(12);
  d.next_service = q.getOptText(13);
  d.code = q.getText(14);
  d.code_rotated_at = q.getOptInt(15);
  d.created_at = q.getInt(16);
  d.updated_at = q.getInt(17);
  return d;
}

std::optional<Device> one(Query& q) {
  if (!q.next()) return std::nullopt;
  return readDevice(q);
}

}  // namespace

std::optional<Device> DeviceRepository::find(core::DeviceId id) {
  Query q(conn(), kFind);
  q.bind(id.value);
  return one(q);
}

std::vector<Device> DeviceRepository::findByCode(const std::string& code) {
  Query q(conn(), kFindCode);
  q.bind(code);
  std::vector<Device> out;
  while (q.next()) out.push_back(readDevice(q));
  return out;
}

std::optional<Device> DeviceRepository::findByExternalId(core::OrgId org,
                                                         const std::string& external_id) {
  Query q(conn(), kFindExternal);
  q.bind(org.value, external_id);
  return one(q);
}

std::optional<Device> DeviceRepository::findBySerial(core::OrgId org, const std::string& serial) {
  Query q(conn(), kFindSerial);
  q.bind(org.value, serial);
  return one(q);
}

core::DeviceId DeviceRepository::insert(const Device& d) {
  Query(conn(), kInsert)
      .bind(d.org_id.value, d.company_id.value, d.site_id, d.external_id, d.name, d.serial, d.model,
            statusName(d.status), propertiesText(d), d.last_service, d.next_service, d.code,
            d.created_at, d.updated_at)
      .run();
  return core::DeviceId{conn().lastInsertId()};
}

void DeviceRepository::update(const Device& d) {
  Query(conn(), kUpdate)
      .bind(d.site_id, d.external_id, d.name, d.serial, d.model, statusName(d.status),
            propertiesText(d), d.last_service, d.next_service, d.updated_at, d.id.value)
      .run();
}

void DeviceRepository::rename(const Device& d, bool name, bool site) {
  if (name) Query(conn(), kSetName).bind(d.name, d.updated_at, d.id.value).run();
  if (site) Query(conn(), kSetSite).bind(d.site_id, d.updated_at, d.id.value).run();
}

void DeviceRepository::setCode(core::DeviceId id, const std::string& code, std::int64_t at) {
  Query(conn(), kSetCode).bind(code, at, at, id.value).run();
}

std::vector<Device> DeviceRepository::list(const Scope& scope, const Filter& f) {
  ListSql s(conn().dialect());
  if (scope.org) {
    s.sql(" WHERE v.org_id = ?").arg(scope.org->value);
    if (scope.departments) {
      s.sql(" AND v.company_id IN (SELECT id FROM companies WHERE");
      s.in(" department_id", *scope.departments).sql(")");
    }
  } else {
    s.customerScope("v.company_id", "v.site_id", scope.companies, scope.sites, {}, {},
                    [](ListSql&) {});  // OwnRecords::None: the own lists are empty
  }
  if (f.company) s.sql(" AND v.company_id = ?").arg(f.company->value);
  if (f.site_id) s.sql(" AND v.site_id = ?").arg(*f.site_id);
  if (f.status) s.sql(" AND v.status = ?").arg(std::string(statusName(*f.status)));
  if (!f.query.empty()) {
    auto pattern = storage::likeContaining(f.query);
    s.sql(
         " AND (lower(v.name) LIKE lower(?) ESCAPE '\\' OR lower(v.serial) LIKE lower(?)"
         " ESCAPE '\\' OR lower(v.model) LIKE lower(?) ESCAPE '\\' OR lower(v.code) LIKE"
         " lower(?) ESCAPE '\\')")
        .arg(pattern)
        .arg(pattern)
        .arg(pattern)
        .arg(pattern);
  }
  if (f.after) {
    s.sql(" AND (v.name > ? OR (v.name = ? AND v.id > ?))")
        .arg(f.after->name)
        .arg(f.after->name)
        .arg(f.after->id);
  }
  s.sql(" ORDER BY v.name, v.id LIMIT ?").arg(static_cast<std::int64_t>(f.limit) + 1);
  Query q(conn(), "SELECT " LISTED_COLUMNS DEVICE_FROM + s.text());
  s.bindTo(q);
  std::vector<Device> out;
  while (q.next()) out.push_back(readDevice(q));
  return out;
}

bool DeviceRepository::siteOfCompany(std::int64_t site, core::CompanyId company) {
  Query q(conn(), kSiteOfCompany);
  q.bind(site, company.value);
  return q.next();
}

std::optional<std::int64_t> DeviceRepository::siteByExternalId(core::CompanyId company,
                                                               const std::string& external_id) {
  Query q(conn(), kSiteExternal);
  q.bind(company.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::string DeviceRepository::organizationName(core::OrgId org) {
  Query q(conn(), kOrganizationName);
  q.bind(org.value);
  return q.next() ? q.getText(0) : std::string();
}

std::vector<std::pair<std::int64_t, std::string>> DeviceRepository::sitesOf(
    core::CompanyId company) {
  Query q(conn(), kSitesOf);
  q.bind(company.value);
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (q.next()) out.emplace_back(q.getInt(0), q.getText(1));
  return out;
}

}  // namespace portico::devices
