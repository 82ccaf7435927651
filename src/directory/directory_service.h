#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "access/company.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "directory/directory_repository.h"

namespace portico::directory {

// A company's sites and contacts. The caller's CompanyAccess (checked by CompanyRoutes) is given;
// these add the finer rules: a site-scoped caller sees only its sites and their contacts and adds
// no site, every site named belongs to the company, a contact links only to a login that is a
// member of the company, and a contact linked to a login (which sets what it sees) is changed
// only by whoever may change that member's rights. Every change is audited. Thread-safe.
class DirectoryService {
 public:
  DirectoryService(DirectoryRepository& repo, audit::AuditLog& audit, const core::Clock& clock)
      : repo_(repo), audit_(audit), clock_(clock) {}

  std::vector<Site> sites(const access::CompanyAccess& caller);
  // Forbidden for a caller who sees only some sites (the new site would lie outside them).
  core::Result<Site> createSite(const access::CompanyAccess& caller, const nlohmann::json& body,
                                const audit::Actor& actor);
  // NotFound unless `id` is a site of the company that the caller sees.
  core::Result<Site> updateSite(const access::CompanyAccess& caller, std::int64_t id,
                                const nlohmann::json& body, const audit::Actor& actor);
  core::Status deleteSite(const access::CompanyAccess& caller, std::int64_t id,
                          const audit::Actor& actor);

  std::vector<Contact> contacts(const access::CompanyAccess& caller);
  core::Result<Contact> contact(const access::CompanyAccess& caller, std::int64_t id);
  // Creates, or (id > 0) updates, a contact from the fields of `body`: first_name, last_name,
  // job_title, email, phone, site_id (null or absent: a company contact).
  core::Result<Contact> saveContact(const access::CompanyAccess& caller, std::int64_t id,
                                    const nlohmann::json& body, const audit::Actor& actor);
  core::Status deleteContact(const access::CompanyAccess& caller, std::int64_t id,
                             const audit::Actor& actor);
  // Links the contact to the member with that e-mail, or unlinks it (empty e-mail). Forbidden
  // without users.manage, for the caller's own login, and (callers who are not staff) when the
  // login linked before or after holds a permission the caller does not.
  core::Result<Contact> link(const access::CompanyAccess& caller, std::int64_t id,
                             const std::string& email, const audit::Actor& actor);

 private:
  // Creates (id 0) or updates a site from the fields of `body`.
  core::Result<Site> saveSite(const access::CompanyAccess& caller, std::int64_t id,
                              const nlohmann::json& body, const audit::Actor& actor);
  // Forbidden unless `caller` may change the contacts that set the site scope of `user` (a
  // linked login, if any): users.manage, never for their own access, and never for a member who
  // holds a permission the caller does not (staff aside), as for changing their rights.
  core::Status mayChangeScope(const access::CompanyAccess& caller, std::optional<std::int64_t> user,
                              const audit::Actor& actor);
  void audit(const audit::Actor& actor, const access::CompanyAccess& caller,
             const std::string& event, const nlohmann::json& detail);

  DirectoryRepository& repo_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace portico::directory
