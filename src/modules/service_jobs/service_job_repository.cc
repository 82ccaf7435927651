#include "modules/service_jobs/service_job_repository.h"

#include <nlohmann/json.hpp>

#include "storage/list_sql.h"

namespace portico::service_jobs {
namespace {

using storage::ListSql;
using storage::Query;

#define JOB_COLUMNS_WITH(PARTS)                                                          \
  "j.id, j.org_id, j.company_id, co.name, j.site_id, COALESCE(s.name, ''),"              \
  " COALESCE(s.address, ''), j.external_id, j.number, j.title, j.description, j.status," \
  " j.window_start, j.window_end, j.personnel_id, COALESCE(p.name, ''), j.case_id,"      \
  " j.notes, j.minutes_spent, " PARTS                                                    \
  ", j.signed_by, j.signed_at, j.revision, j.created_at,"                                \
  " j.updated_at"
#define JOB_COLUMNS JOB_COLUMNS_WITH("j.parts")
#define LISTED_COLUMNS JOB_COLUMNS_WITH("'[]'")
#define JOB_FROM                                                   \
  " FROM service_jobs j JOIN companies co ON co.id = j.company_id" \
  " LEFT JOIN sites s ON s.id = j.site_id LEFT JOIN personnel p ON p.id = j.personnel_id"

constexpr std::string_view kFind = "SELECT " JOB_COLUMNS JOB_FROM " WHERE j.id = ?";
constexpr std::string_view kFindExternal =
    "SELECT " JOB_COLUMNS JOB_FROM " WHERE j.org_id = ? AND j.external_id = ?";
constexpr std::string_view kFindNumber =
    "SELECT " JOB_COLUMNS JOB_FROM " WHERE j.org_id = ? AND j.number = ?";
constexpr std::string_view kDevices =
    "SELECT device_id FROM service_job_devices WHERE job_id = ? ORDER BY device_id";
constexpr std::string_view kInsert =
    "INSERT INTO service_jobs (org_id, company_id, site_id, external_id, number, title,"
    " description, status, window_start, window_end, personnel_id, case_id, notes,"
    " minutes_spent, parts, signed_by, signed_at, revision, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
constexpr std::string_view kUpdate =
    "UPDATE service_jobs SET site_id = ?, external_id = ?, number = ?, title = ?,"
    " description = ?, status = ?, window_start = ?, window_end = ?, personnel_id = ?,"
    " case_id = ?, notes = ?, minutes_spent = ?, parts = ?, signed_by = ?, signed_at = ?,"
    " revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?";
constexpr std::string_view kClearDevices = "DELETE FROM service_job_devices WHERE job_id = ?";
constexpr std::string_view kAddDevice =
    "INSERT INTO service_job_devices (company_id, job_id, device_id) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING";
constexpr std::string_view kSiteExternal =
    "SELECT id FROM sites WHERE company_id = ? AND external_id = ?";
constexpr std::string_view kPersonnelByEmail =
    "SELECT p.id FROM personnel p JOIN users u ON u.id = p.user_id"
    " WHERE p.org_id = ? AND u.email = ?";
constexpr std::string_view kCaseByNumber =
    "SELECT id FROM cases WHERE company_id = ? AND number = ?";
constexpr std::string_view kDeviceExternal =
    "SELECT id FROM devices WHERE company_id = ? AND external_id = ?";

std::string partsText(const std::vector<Part>& parts) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& p : parts)
    j.push_back({{"description", p.description}, {"quantity", p.quantity}});
  return j.dump();
}

Job readJob(Query& q) {
  Job j;
  j.id = core::ServiceJobId{q.getInt(0)};
  j.org_id = core::OrgId{q.getInt(1)};
  j.company_id = core::CompanyId{q.getInt(2)};
  j.company_name = q.getText(3);
  j.site_id = q.getOptInt(4);
  j.site_name = q.getText(5);
  j.site_address = q.getText(6);
  j.external_id = q.getText(7);
  j.number = q.getText(8);
  j.title = q.getText(9);
  j.description = q.getText(10);
  j.status = parseStatus(q.getText(11)).value_or(Status::Scheduled);
  j.window_start = q.getInt(12);
  j.window_end = q.getInt(13);
  j.personnel_id = q.getOptInt(14);
  j.personnel_name = q.getText(15);
  j.case_id = q.getOptInt(16);
  j.notes = q.getText(17);
  j.minutes_spent = q.getInt(18);
  if (auto text = q.getText(19); text != "[]") {
    // Written by partsText only.
    auto parts = nlohmann::json::parse(text, nullptr, false);
    if (parts.is_array()) {
      for (const auto& p : parts) {
        if (p.is_object()) {
          j.parts.push_back({p.value("description", ""), p.value("quantity", "")});
        }
      }
    }
  }
  j.signed_by = q.getOptText(20);
  j.signed_at = q.getOptInt(21);
  j.revision = q.getInt(22);
  j.created_at = q.getInt(23);
  j.updated_at = q.getInt(24);
  return j;
}

}  // namespace

std::optional<Job> ServiceJobRepository::find(core::ServiceJobId id) {
  std::optional<Job> out;
  {
    Query q(conn(), kFind);
    q.bind(id.value);
    if (!q.next()) return std::nullopt;
    out = readJob(q);
  }
  Query d(conn(), kDevices);
  d.bind(id.value);
  while (d.next()) out->device_ids.push_back(d.getInt(0));
  return out;
}

std::optional<Job> ServiceJobRepository::findByExternalId(core::OrgId org,
                                                          const std::string& external_id) {
  std::optional<std::int64_t> id;
  {
    Query q(conn(), kFindExternal);
    q.bind(org.value, external_id);
    if (q.next()) id = q.getInt(0);
  }
  return id ? find(core::ServiceJobId{*id}) : std::nullopt;
}

std::optional<Job> ServiceJobRepository::findByNumber(core::OrgId org, const std::string& number) {
  std::optional<std::int64_t> id;
  {
    Query q(conn(), kFindNumber);
    q.bind(org.value, number);
    if (q.next()) id = q.getInt(0);
  }
  return id ? find(core::ServiceJobId{*id}) : std::nullopt;
}

core::ServiceJobId ServiceJobRepository::insert(const Job& j) {
  Query(conn(), kInsert)
      .bind(j.org_id.value, j.company_id.value, j.site_id, j.external_id, j.number, j.title,
            j.description, statusName(j.status), j.window_start, j.window_end, j.personnel_id,
            j.case_id, j.notes, j.minutes_spent, partsText(j.parts), j.signed_by, j.signed_at,
            j.created_at, j.updated_at)
      .run();
  return core::ServiceJobId{conn().lastInsertId()};
}

bool ServiceJobRepository::update(const Job& j) {
  Query(conn(), kUpdate)
      .bind(j.site_id, j.external_id, j.number, j.title, j.description, statusName(j.status),
            j.window_start, j.window_end, j.personnel_id, j.case_id, j.notes, j.minutes_spent,
            partsText(j.parts), j.signed_by, j.signed_at, j.updated_at, j.id.value, j.revision)
      .run();
  return conn().changes() > 0;
}

void ServiceJobRepository::setDevices(const Job& j) {
  Query(conn(), kClearDevices).bind(j.id.value).run();
  for (auto device : j.device_ids) {
    Query(conn(), kAddDevice).bind(j.company_id.value, j.id.value, device).run();
  }
}

std::vector<Job> ServiceJobRepository::list(const Scope& scope, const Filter& f) {
  ListSql s(conn().dialect());
  if (scope.org) {
    s.sql(" WHERE j.org_id = ?").arg(scope.org->value);
    if (scope.departments) {
      s.sql(" AND j.company_id IN (SELECT id FROM companies WHERE");
      s.in(" department_id", *scope.departments).sql(")");
    }
  } else {
    s.customerScope("j.company_id", "j.site_id", scope.companies, scope.sites, {}, {},
                    [](ListSql&) {});
  }
  if (f.company) s.sql(" AND j.company_id = ?").arg(f.company->value);
  if (f.site_id) s.sql(" AND j.site_id = ?").arg(*f.site_id);
  if (f.status) s.sql(" AND j.status = ?").arg(std::string(statusName(*f.status)));
  if (f.device_id) {
    s.sql(" AND j.id IN (SELECT job_id FROM service_job_devices WHERE device_id = ?)")
        .arg(*f.device_id);
  }
  if (!f.query.empty()) {
    auto pattern = storage::likeContaining(f.query);
    s.sql(
         " AND (lower(j.number) LIKE lower(?) ESCAPE '\\' OR lower(j.title) LIKE lower(?)"
         " ESCAPE '\\')")
        .arg(pattern)
        .arg(pattern);
  }
  if (f.after) {
    s.sql(" AND (j.window_start < ? OR (j.window_start = ? AND j.id < ?))")
        .arg(f.after->window_start)
        .arg(f.after->window_start)
        .arg(f.after->id);
  }
  s.sql(" ORDER BY j.window_start DESC, j.id DESC LIMIT ?")
      .arg(static_cast<std::int64_t>(f.limit) + 1);
  Query q(conn(), "SELECT " LISTED_COLUMNS JOB_FROM + s.text());
  s.bindTo(q);
  std::vector<Job> out;
  while (q.next()) out.push_back(readJob(q));
  return out;
}

std::optional<std::int64_t> ServiceJobRepository::siteByExternalId(core::CompanyId company,
                                                                   const std::string& external_id) {
  Query q(conn(), kSiteExternal);
  q.bind(company.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::optional<std::int64_t> ServiceJobRepository::personnelByEmail(core::OrgId org,
                                                                   const std::string& email) {
  Query q(conn(), kPersonnelByEmail);
  q.bind(org.value, email);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::optional<std::int64_t> ServiceJobRepository::caseByNumber(core::CompanyId company,
                                                               std::int64_t number) {
  Query q(conn(), kCaseByNumber);
  q.bind(company.value, number);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::optional<std::int64_t> ServiceJobRepository::deviceByExternalId(
    core::CompanyId company, const std::string& external_id) {
  Query q(conn(), kDeviceExternal);
  q.bind(company.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

}  // namespace portico::service_jobs
