#pragma once

#include <memory>

#include "access/access_pages.h"
#include "access/policy.h"
#include "directory/directory_repository.h"
#include "directory/directory_service.h"
#include "identity/guard.h"
#include "web/views.h"

namespace portico::directory {

// A company's sites and contacts in the web UI, on the same rules as the API:
// /companies/{id}/sites (anyone who sees the company: the sites they see; company.profile:
// create, edit, delete) and /companies/{id}/contacts (contacts.manage: list, create, edit,
// delete, link to a member by e-mail, unlink).
// The returned object holds the handlers' state: keep it for as long as the routes serve.
std::shared_ptr<void> registerDirectoryPages(identity::GuardedRoutes& routes,
                                             access::Policy& policy, DirectoryService& directory,
                                             audit::AuditLog& audit, const web::Views& views);

// The names of a company's sites, for the access pages (which sit below this layer).
// `repo` must outlive the returned function.
access::SiteNames siteNamesFrom(DirectoryRepository& repo);

}  // namespace portico::directory
