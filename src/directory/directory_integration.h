#pragma once

#include "access/access_repository.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "directory/directory_repository.h"
#include "integration/kind.h"

namespace portico::directory {

// The directory's kinds of the integration API (integration::Kind), each record named by its
// external_id in the API key's organization and its company by company_external_id (unknown:
// 400 naming it; a record stays with the company it was created in: 409 naming it):
//   "sites"    {external_id, company_external_id, name, address?}
//   "contacts" {external_id, company_external_id, first_name, last_name, job_title?, email?,
//               phone?, site_external_id? (a site of the same company; absent or null: a
//               contact of the company)}
// An upsert replaces every field it names (an optional one absent becomes empty); a contact's
// link to a login stays as it is. Each upsert is audited (site.created / site.updated,
// contact.created / contact.updated).
void registerDirectoryKinds(integration::Kinds& kinds, DirectoryRepository& repo,
                            access::AccessRepository& companies, audit::AuditLog& audit,
                            const core::Clock& clock);

}  // namespace portico::directory
