#pragma once

#include <nlohmann/json_fwd.hpp>

#include "access/access_repository.h"
#include "access/company_routes.h"
#include "access/membership_service.h"
#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "identity/guard.h"
#include "identity/identity_service.h"
#include "integration/kind.h"

namespace portico::access {

// The caller's companies: GET /api/v1/me (with companies), GET /api/v1/companies[/{id}].
void registerAccessApi(identity::GuardedRoutes& routes, Policy& policy, audit::AuditLog& audit);

// A company's members, for those with users.manage there:
// GET /api/v1/companies/{id}/users, PATCH and DELETE /api/v1/companies/{id}/users/{user_id}.
void registerMembersApi(CompanyRoutes& routes, MembershipService& members);

// Why a user may or may not do something in a company, for those with users.manage there:
// GET /api/v1/companies/{id}/explain?user_id=&permission=&site_id= (a site that is not the
// company's, or not one the caller sees: 404).
void registerExplainApi(CompanyRoutes& routes, Policy& policy);
nlohmann::json explanationJson(const Explanation& e, core::UserId subject, core::CompanyId company,
                               std::optional<Permission> permission);

// The companies of the integration API (integration::Kind "companies"): {external_id, name,
// org_number?, managed?}, upserted by external_id in the API key's organization, answered as
// {id, external_id, name, org_number, managed}; audited as company.created / company.updated.
// The company that an integration record names by `external_id` in the API key's organization
// `org`: InvalidInput naming company_external_id (with the external id) when it has none. Every
// kind of record that belongs to a company finds its company so.
core::Result<Company> recordCompany(AccessRepository& repo, core::OrgId org,
                                    const std::string& external_id);
void registerCompanyKind(integration::Kinds& kinds, AccessRepository& repo, audit::AuditLog& audit,
                         const core::Clock& clock);

// The company administrator's signup link, asked for by the organization's ERP (API key):
// POST /api/v1/integration/companies/{external_id}/admin-signup.
void registerIntegrationApi(identity::GuardedRoutes& routes, AccessRepository& repo,
                            identity::IdentityService& identity);

// API keys: created by the command line (printed once), verified on every integration call,
// every use audited.
class ApiKeys final : public identity::ApiKeyVerifier {
 public:
  ApiKeys(AccessRepository& repo, audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo), audit_(audit), clock_(clock) {}
  // A new key for the organization named `org`; NotFound if there is none.
  core::Result<std::string> create(const std::string& org, const std::string& name,
                                   identity::IdentityRepository& identity_repo);
  std::optional<core::OrgId> verify(const std::string& key, const identity::Origin& o) override;

 private:
  AccessRepository& repo_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

// Gives the company administrator's membership promised by a company signup link.
class CompanySignupGrants final : public identity::SignupGrants {
 public:
  CompanySignupGrants(AccessRepository& repo, audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo), audit_(audit), clock_(clock) {}
  void grant(const identity::SignupLink& link, core::UserId user) override;
  // Records user.joined for the membership a signup gives, if set.
  void setEvents(events::EventLog* events) { events_ = events; }

 private:
  AccessRepository& repo_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  events::EventLog* events_ = nullptr;
};

}  // namespace portico::access
