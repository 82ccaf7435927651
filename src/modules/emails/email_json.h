#pragma once

#include <nlohmann/json.hpp>

#include "modules/emails/email_service.h"

namespace portico::emails {

// The API's shape of a mail: {id, company_id, company_name, to, kind, subject, status, time,
// sent_at, attempts, last_error} and, with `bodies`, {text, html}. Times are RFC 3339 in UTC.
nlohmann::json emailToJson(const Email& email, bool bodies);
nlohmann::json pageToJson(const EmailPage& page);

}  // namespace portico::emails
