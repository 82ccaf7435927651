#include "modules/service_jobs/service_job_service.h"

#include <algorithm>

#include "core/text.h"

namespace portico::service_jobs {
namespace {

using access::Basis;
using access::Permission;
using core::Error;
using core::fail;

Error noSuchJob() { return Error::notFound("errors.service_jobs.no_such_job"); }

Error conflictAt(std::string key, std::string field) {
  auto e = Error::conflict(std::move(key));
  e.field = std::move(field);
  return e;
}

// The number of "T-1042" or "1042".
std::optional<std::int64_t> caseNumber(std::string_view text) {
  if (text.starts_with("T-") || text.starts_with("t-")) text.remove_prefix(2);
  return core::positiveNumber(text, INT64_MAX);
}

}  // namespace

std::optional<access::CompanyAccess> ServiceJobService::seeing(const identity::Principal& p,
                                                               const Job& j) {
  return policy_.recordAccess(p, Permission::ServicesView, j.company_id, j.site_id, std::nullopt,
                              access::OwnRecords::None);
}

core::Result<Scope> ServiceJobService::scope(const identity::Principal& p, const Filter& filter) {
  auto scope =
      policy_.recordScope(p, Permission::ServicesView, filter.company, access::OwnRecords::None);
  if (!scope) return fail(Error::notFound("errors.service_jobs.no_such_company"));
  return std::move(*scope);
}

core::Result<Page> ServiceJobService::list(const identity::Principal& p, const Filter& filter) {
  if (!core::isCleanUtf8(filter.query)) {
    return fail(Error::invalid("errors.service_jobs.bad_query", "q"));
  }
  if (core::codePointCount(filter.query) > kMaxQuery) {
    return fail(Error::invalid("errors.service_jobs.query_too_long", "q")
                    .with("max", std::to_string(kMaxQuery)));
  }
  auto s = scope(p, filter);
  if (!s) return fail(s.error());
  Page page;
  page.items = repo_.list(*s, filter);
  if (static_cast<int>(page.items.size()) > filter.limit) {
    page.items.pop_back();
    page.next = Cursor{page.items.back().window_start, page.items.back().id.value};
  }
  return page;
}

core::Result<Seen> ServiceJobService::find(const identity::Principal& p, core::ServiceJobId id) {
  auto j = repo_.find(id);
  if (!j) return fail(noSuchJob());
  auto a = seeing(p, *j);
  if (!a) return fail(noSuchJob());
  return Seen{std::move(*j), a->basis == Basis::Staff};
}

core::Result<Upserted> ServiceJobService::upsert(const access::Company& company, const Upsert& u) {
  if (u.window_end < u.window_start) {
    return fail(Error::invalid("errors.service_jobs.window_backwards", "window_end"));
  }
  auto existing = repo_.findByExternalId(company.org_id, u.external_id);
  if (existing && existing->company_id != company.id) {
    return fail(conflictAt("errors.integration.company_fixed", "company_external_id"));
  }
  if (auto same = repo_.findByNumber(company.org_id, u.number);
      same && (!existing || same->id != existing->id)) {
    return fail(conflictAt("errors.service_jobs.number_taken", "number"));
  }
  Job j = existing ? *existing : Job{};
  j.org_id = company.org_id;
  j.company_id = company.id;
  j.external_id = u.external_id;
  j.number = u.number;
  j.title = u.title;
  j.description = u.description;
  j.window_start = u.window_start;
  j.window_end = u.window_end;
  auto site = repo_.siteByExternalId(company.id, u.site_external_id);
  if (!site) {
    return fail(Error::invalid("errors.integration.unknown_site", "site_external_id")
                    .with("external_id", u.site_external_id));
  }
  j.site_id = site;
  if (u.status) j.status = *u.status;
  j.personnel_id.reset();
  if (u.personnel_email && !u.personnel_email->empty()) {
    j.personnel_id = repo_.personnelByEmail(company.org_id, *u.personnel_email);
    if (!j.personnel_id) {
      return fail(Error::invalid("errors.service_jobs.unknown_personnel", "personnel_email"));
    }
  }
  j.case_id.reset();
  if (u.case_number && !u.case_number->empty()) {
    auto number = caseNumber(*u.case_number);
    if (number) j.case_id = repo_.caseByNumber(company.id, *number);
    if (!j.case_id) return fail(Error::invalid("errors.service_jobs.unknown_case", "case_number"));
  }
  j.device_ids.clear();
  for (std::size_t i = 0; i < u.device_external_ids.size(); ++i) {
    auto device = repo_.deviceByExternalId(company.id, u.device_external_ids[i]);
    if (!device) {
      return fail(Error::invalid("errors.service_jobs.unknown_device",
                                 "device_external_ids[" + std::to_string(i) + "]"));
    }
    j.device_ids.push_back(*device);
  }
  std::sort(j.device_ids.begin(), j.device_ids.end());
  j.device_ids.erase(std::unique(j.device_ids.begin(), j.device_ids.end()), j.device_ids.end());
  if (u.notes) j.notes = *u.notes;
  if (u.minutes_spent) j.minutes_spent = *u.minutes_spent;
  if (u.parts) j.parts = *u.parts;
  // Nothing new (a nightly re-sync): the job, and the revision a technician's app holds, stay.
  if (existing && sameVisit(*existing, j)) return Upserted{std::move(*existing), false};
  auto now = clock_.now();
  j.updated_at = now;
  try {
    if (existing) {
      // In the framework's transaction: nobody changed the row since it was read here.
      if (!repo_.update(j)) return fail(conflictAt("errors.service_jobs.changed", "external_id"));
    } else {
      j.created_at = now;
      j.id = repo_.insert(j);
    }
    repo_.setDevices(j);
  } catch (const storage::ConstraintError&) {
    return fail(conflictAt("errors.service_jobs.number_taken", "number"));
  }
  auto written = repo_.find(j.id);
  if (!written) return fail(noSuchJob());
  return Upserted{std::move(*written), !existing};
}

}  // namespace portico::service_jobs
