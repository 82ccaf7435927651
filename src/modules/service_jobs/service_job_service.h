#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/policy.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/user.h"
#include "modules/service_jobs/service_job.h"
#include "modules/service_jobs/service_job_repository.h"

namespace portico::service_jobs {

// A job as the caller may see it.
struct Seen {
  Job job;
  bool staff = false;  // seen as the vendor's staff
};

struct Upserted {
  Job job;
  bool created = false;
};

// The service visits at companies' sites, as their people and the vendor's staff see them, and
// as the ERP writes them.
//
// Who sees a job (anything else is NotFound): those who hold services.view in its company and see
// its site (a job at no site, its site deleted: those who see every site); a membership that sees
// only its own records sees none (a visit is the company's). Agents read. Staff who read their
// customers' records see the organization's (a department administrator: their departments').
// Thread-safe.
class ServiceJobService {
 public:
  ServiceJobService(ServiceJobRepository& repo, access::Policy& policy, const core::Clock& clock)
      : repo_(repo), policy_(policy), clock_(clock) {}

  // The jobs the caller may see under `filter`, newest visit first. NotFound if filter.company is
  // not one where the caller sees jobs; InvalidInput naming q when it is longer than kMaxQuery.
  core::Result<Page> list(const identity::Principal& p, const Filter& filter);
  core::Result<Seen> find(const identity::Principal& p, core::ServiceJobId id);

  // Inserts or updates the job the organization's ERP knows as u.external_id, in `company`.
  // InvalidInput naming the field for an unknown site, personnel e-mail, case number or device,
  // or a window that ends before it starts; Conflict naming number for another job's number, and
  // company_external_id for a job of another company. A new job is scheduled unless the ERP says
  // otherwise. REQUIRES: a transaction is open on this thread's connection (the integration
  // framework's).
  core::Result<Upserted> upsert(const access::Company& company, const Upsert& u);

 private:
  std::optional<access::CompanyAccess> seeing(const identity::Principal& p, const Job& j);
  core::Result<Scope> scope(const identity::Principal& p, const Filter& filter);

  ServiceJobRepository& repo_;
  access::Policy& policy_;
  const core::Clock& clock_;
};

}  // namespace portico::service_jobs
