#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "access/staff_routes.h"
#include "modules/cases/support_settings/support_settings_service.h"
#include "web/views.h"

namespace portico::cases {

// The organization's support settings (StaffCapability::SupportSettings: administrators):
//   GET /api/v1/staff/support-settings
//   PUT /api/v1/staff/support-settings {time_zone, work_days, day_start, day_end, holidays?,
//                                       targets?, support_email?}  (every field replaced)
// and the categories of cases, with the same right:
//   GET /api/v1/staff/case-categories          {items: [{id, name, cases}]}
//   POST /api/v1/staff/case-categories {name}  201
//   PATCH /api/v1/staff/case-categories/{id} {name}
//   DELETE /api/v1/staff/case-categories/{id}  204 (its cases keep no category)
void registerSupportSettingsRoutes(access::StaffRoutes& routes, SupportSettingsService& settings);

// The settings from a JSON object of those fields (the API's and the pages' one reading):
// InvalidInput naming the field at fault. The service checks the rest (SupportSettingsService).
core::Result<SupportSettings> readSupportSettings(const nlohmann::json& body);

// The same as pages of the staff console: GET and POST /staff/support-settings, and
// /staff/case-categories (GET, POST a new one, POST /{id} to rename, POST /{id}/delete after a
// confirmation). Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerSupportSettingsPages(access::StaffRoutes& routes,
                                                   access::Policy& policy,
                                                   SupportSettingsService& settings,
                                                   const web::Views& views);

}  // namespace portico::cases
