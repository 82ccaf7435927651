#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "modules/devices/device_service.h"

namespace portico::devices {

// A device as the API answers it: {id, company_id, company_name, site_id, site_name,
// external_id, name, serial, model, status, last_service, next_service, code, updated_at}; with
// `detail` also its properties ({key: value}, by key), created_at and code_rotated_at.
nlohmann::ordered_json deviceToJson(const Device& d, bool detail);
// …with what the caller may do: may_manage, may_rotate, may_open_case, and (may_manage) the sites
// it may be moved to: [{id, name}].
nlohmann::ordered_json seenToJson(const Seen& s);
// {items, next_cursor}, written directly (a list is answered at every request).
std::string pageToJson(const Page& page);

}  // namespace portico::devices
