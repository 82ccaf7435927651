#pragma once

#include <memory>

#include "access/policy.h"
#include "access/staff_routes.h"
#include "modules/documents/document_settings/document_settings.h"
#include "web/views.h"

namespace portico::documents {

// The organization's document settings in the staff console (StaffCapability::DocumentSettings:
// administrators):
//   GET /api/v1/staff/document-settings, PUT … {legal_name?, address?, org_number?, vat_number?,
//       contact?, payment_details?}                        the texts, the logo as a flag
//   PUT /api/v1/staff/document-settings/logo (image/png), DELETE …/logo
//   GET /staff/document-settings, POST …                   the form
//   POST /staff/document-settings/logo (multipart: file), POST …/logo/delete (confirmed)
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerDocumentSettingsRoutes(access::StaffRoutes& routes,
                                                     access::Policy& policy,
                                                     DocumentSettingsService& settings,
                                                     const web::Views& views);

}  // namespace portico::documents
