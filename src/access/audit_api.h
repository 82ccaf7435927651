#pragma once

#include <string>
#include <vector>

#include "access/company_routes.h"
#include "access/staff_routes.h"
#include "audit/audit_log.h"
#include "identity/identity_repository.h"
#include "identity/throttle.h"

namespace portico::access {

// A company's audit log for its user managers (no portal we know offers this): who invited whom,
// role and permission changes, removals, sign-ins and 2FA changes of its members.
// GET /api/v1/companies/{id}/audit (?event=, ?since=, ?until=, ?limit=, ?cursor=) and
// GET /api/v1/companies/{id}/audit.csv (a heavy export: see companyAuditCsv).
void registerCompanyAuditApi(CompanyRoutes& routes, audit::AuditLog& audit,
                             identity::IdentityRepository& users, identity::Throttle& throttle);

// The organization's audit log for its staff (capability audit): GET /api/v1/staff/audit and
// /api/v1/staff/audit.csv, with the filters above plus ?company= (id) and ?actor= (e-mail).
void registerOrgAuditApi(StaffRoutes& routes, audit::AuditLog& audit,
                         identity::IdentityRepository& users, identity::Throttle& throttle);

// One audit record as people read it: the time in ISO 8601 (UTC) and the e-mails of the actor
// and the subject ("" if none).
struct AuditRow {
  audit::Record record;
  std::string at;
  std::string actor;
  std::string subject;
};
// The rows of `records`, looking each user up once.
std::vector<AuditRow> auditRows(const std::vector<audit::Record>& records,
                                identity::IdentityRepository& users);

// The CSV exports behind GET /api/v1/companies/{id}/audit.csv and /api/v1/staff/audit.csv, with
// the filters of the request's query (as above; without ?limit= up to 10,000 rows). The pages
// serve the same exports. InvalidInput for a malformed filter; RateLimited when `caller` has
// made the throttle's heavy exports an hour already (company and organization exports count
// together).
core::Result<http::Response> companyAuditCsv(const http::Request& request, core::UserId caller,
                                             const CompanyAccess& access, audit::AuditLog& audit,
                                             identity::IdentityRepository& users,
                                             identity::Throttle& throttle);
core::Result<http::Response> orgAuditCsv(const http::Request& request, core::UserId caller,
                                         const StaffRole& staff, audit::AuditLog& audit,
                                         identity::IdentityRepository& users,
                                         identity::Throttle& throttle);

// A CSV cell: quoted, quotes doubled, and a leading = + - @ neutralised so that spreadsheets do
// not run it as a formula.
std::string csvCell(const std::string& value);

}  // namespace portico::access
