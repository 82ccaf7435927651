#pragma once

#include "access/access_repository.h"
#include "audit/audit_log.h"
#include "integration/kind.h"
#include "modules/service_jobs/service_job_service.h"

namespace portico::service_jobs {

// The integration kind "jobs" (integration::Kind): the ERP upserts a service visit by its
// external_id in the API key's organization, in the company named by company_external_id:
//   {external_id, company_external_id, number, title, description?, site_external_id,
//    window_start, window_end (RFC 3339), status? (scheduled, en_route, on_site, done,
//    cancelled), personnel_email? (the login linked to the personnel record), case_number?
//    ("T-1042"), device_external_ids?: [...], notes?, minutes_spent?,
//    parts?: [{description, quantity}]}
// The visit is written whole each time but for notes, minutes_spent and parts, which the
// portal's people write too: kept when left out. What the service does with it is
// ServiceJobService::upsert; each upsert is audited (job.created / job.updated). The answer is
// the job as written.
void registerServiceJobKind(integration::Kinds& kinds, ServiceJobService& service,
                            access::AccessRepository& companies, audit::AuditLog& audit);

// The record's fields as the kind reads them (no I/O): InvalidInput naming the field at fault.
core::Result<Upsert> readJob(const nlohmann::json& record);

}  // namespace portico::service_jobs
