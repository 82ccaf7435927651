#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "modules/service_jobs/service_job.h"
#include "storage/db.h"

namespace portico::service_jobs {

// Which jobs a list may show: the policy's decision (no own records: a visit is the company's).
using Scope = access::RecordScope;

// The service_jobs tables. Named SQL only; no permission logic. Thread-safe: each thread uses its
// own connection.
class ServiceJobRepository {
 public:
  explicit ServiceJobRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // With its devices.
  std::optional<Job> find(core::ServiceJobId id);
  std::optional<Job> findByExternalId(core::OrgId org, const std::string& external_id);
  std::optional<Job> findByNumber(core::OrgId org, const std::string& number);
  // Throws storage::ConstraintError when the external id or number is taken.
  core::ServiceJobId insert(const Job& j);
  // Writes everything but the id, organization, company and creation time, and the revision one
  // more than j.revision, if the job's revision is still j.revision: false if it is not.
  bool update(const Job& j);
  // Sets the job's devices to j.device_ids.
  void setDevices(const Job& j);
  // The scope's jobs under `filter`, newest visit first from its cursor, at most filter.limit + 1.
  // Without their devices and parts.
  std::vector<Job> list(const Scope& scope, const Filter& filter);

  std::optional<std::int64_t> siteByExternalId(core::CompanyId company,
                                               const std::string& external_id);
  // The organization's personnel record linked to the login of e-mail `email` (lower case).
  std::optional<std::int64_t> personnelByEmail(core::OrgId org, const std::string& email);
  // `company`'s case numbered `number`.
  std::optional<std::int64_t> caseByNumber(core::CompanyId company, std::int64_t number);
  // `company`'s device that the ERP knows as `external_id`.
  std::optional<std::int64_t> deviceByExternalId(core::CompanyId company,
                                                 const std::string& external_id);

 private:
  storage::Db& db_;
};

}  // namespace portico::service_jobs
