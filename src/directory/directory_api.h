#pragma once

#include "access/company_routes.h"
#include "directory/directory_service.h"

namespace portico::directory {

// A company's sites and contacts:
// GET /api/v1/companies/{id}/sites (anyone who sees the company; only the sites they see),
// POST …/sites, PATCH and DELETE …/sites/{site_id} (company.profile);
// GET and POST …/contacts, GET, PATCH and DELETE …/contacts/{contact_id}, PUT and DELETE
// …/contacts/{contact_id}/login (contacts.manage).
void registerDirectoryApi(access::CompanyRoutes& routes, DirectoryService& directory);

nlohmann::json siteToJson(const Site& site);
nlohmann::json contactToJson(const Contact& contact);

}  // namespace portico::directory
