#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "access/access_pages.h"
#include "access/audit_api.h"
#include "identity/guard.h"

namespace portico::access {

// Audit records as people read them on the audit pages, in the reader's language: events by
// their label, details as a short list, and the event filter as groups of labelled choices. The
// CSV export and the JSON API keep the codes and the raw detail: they are for machines.

// The label of an audit event ("Access changed" for "membership.changed", from
// audit.event.<code>); the code itself if it has none (an event since removed).
std::string auditEventLabel(const PageRenderer& pages, const identity::Context& c,
                            const std::string& event);

// An audit record's detail (its JSON object) as people read it: "Old role: Member · New role:
// Administrator". Keys are labelled from audit.detail.<key> (a notification kind by its own
// label; an unknown key is shown as it is), names, e-mails and companies first, old values before
// new ones. Roles are shown by their label (an organization's own roles by their name, from
// `org_roles`), permissions by what they allow, yes/no and known values
// (audit.value.<key>.<value>) translated, times as dates, null as audit.value.none; empty texts
// but permissions are left out. "" for an empty detail; a detail that is not a JSON object is
// shown as it is.
std::string auditDetailText(const PageRenderer& pages, const identity::Context& c,
                            const std::string& detail_json, const RoleNames& org_roles = {});

// Audit rows as the audit templates show them: time, event label, actor, subject, company id,
// address and detail text.
nlohmann::json auditRowsJson(const PageRenderer& pages, const identity::Context& c,
                             const std::vector<AuditRow>& rows, const RoleNames& org_roles = {});

// The choices of the audit pages' event filter, for a <select name="event">: "all events", then
// groups [{"label", "options": [{"value", "label", "selected"}]}] whose values are event prefixes
// ("login.", "membership.") as the filter takes them. `company_log`: only the events a company's
// log holds. `chosen` is selected; a value that is none of the choices (an older link naming one
// event) is kept as a choice of its own, labelled like the event it names.
nlohmann::json auditEventChoices(const PageRenderer& pages, const identity::Context& c,
                                 const std::string& chosen, bool company_log);

}  // namespace portico::access
