#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "modules/service_jobs/service_job_service.h"

namespace portico::service_jobs {

// A job as the API answers it: {id, company_id, company_name, site_id, site_name, site_address,
// external_id, number, title, status, window_start, window_end, personnel: {id, name} or null,
// case_id, revision, updated_at}; with `detail` also description, device_ids, notes,
// minutes_spent, parts: [{description, quantity}], signed_by, signed_at and created_at.
nlohmann::ordered_json jobToJson(const Job& j, bool detail);
// {items, next_cursor}.
std::string pageToJson(const Page& page);

}  // namespace portico::service_jobs
