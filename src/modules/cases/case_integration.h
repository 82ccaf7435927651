#pragma once

#include "access/access_repository.h"
#include "audit/audit_log.h"
#include "integration/kind.h"
#include "modules/cases/case_service.h"

namespace portico::cases {

// The integration kind "cases" (integration::Kind): the ERP upserts a case by its external_id in
// the API key's organization, in the company named by company_external_id, with its comments:
//   {external_id, company_external_id, subject, description?, status?, priority?, category?,
//    site_external_id?, requester_email?, assignee_email?,
//    comments?: [{external_id, body, author_name?, by_staff?, internal?, created_at?}]}
// A field left out keeps an existing case's value; null (or "") clears category, site, requester
// and assignee. Comments are added, or rewritten when one of the same external_id is there. What
// the service does with it is CaseService::upsert. Each upsert is audited (case.created /
// case.updated); the answer is the case as written.
void registerCaseKind(integration::Kinds& kinds, CaseService& service,
                      access::AccessRepository& companies, audit::AuditLog& audit);

}  // namespace portico::cases
