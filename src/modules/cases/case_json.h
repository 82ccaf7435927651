#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "modules/cases/case_service.h"
#include "modules/cases/case_templates/case_template.h"
#include "modules/cases/support_settings/service_level.h"

namespace portico::cases {

// The API's shapes of cases, and nowhere else. Times are RFC 3339 in UTC.

// A case in a list: {id, number, company_id, company_name, site_id, device_id, external_id,
// subject, status, priority, category, requester, assignee, follows_case_id, created_at,
// updated_at, resolved_at, closed_at}.
// With {rating} (null until the requester rates it) and, for the staff side,
// {service_level: {first_response, resolution}}, each {state, due_at, done_at, breached_at}.
nlohmann::json caseToJson(const Case& c);
// The same without service_level: what the ERP's events carry.
nlohmann::json caseFields(const Case& c);
// A case with {description, participants, comments, attachments, changes, may_answer}; the
// comments and attachments hold the internal ones only when `seen` is the staff side.
nlohmann::json seenToJson(const Seen& seen);
// {items, next_cursor, counts: {status: number}}.
nlohmann::json pageToJson(const CasePage& page);
nlohmann::json commentToJson(const Comment& m);
// {id, name, size, content_type, sha256, comment_id, internal, by_staff, uploaded_by, created_at,
// url}: url is the API's download of it.
nlohmann::json attachmentToJson(const Attachment& a);
// A comment's answer: the comment with {case_id, attachments} and, when the case was closed,
// {opened_case}.
nlohmann::json commentedToJson(const Commented& c);

// A template of the support inbox: {id, kind, name, subject, body, priority, category, shared,
// owner, created_at, updated_at}.
nlohmann::json templateToJson(const CaseTemplate& t);

// {time_zone, work_days: [1 Monday … 7 Sunday], day_start, day_end ("HH:MM"),
// holidays: [{date, name}], targets: {priority: {first_response_minutes, resolution_minutes}},
// support_email}.
nlohmann::json supportSettingsToJson(const SupportSettings& s);

// The data of the events for the ERP: never an internal note.
std::string caseEventData(const Case& c);
// A public comment with its attachments (their names, sizes, types and hashes).
std::string commentEventData(const Case& c, const Comment& m,
                             const std::vector<Attachment>& attachments);
std::string statusEventData(const Case& c, Status from);

}  // namespace portico::cases
