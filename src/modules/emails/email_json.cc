#include "modules/emails/email_json.h"

#include "core/text.h"

namespace portico::emails {

using nlohmann::json;

json emailToJson(const Email& e, bool bodies) {
  const auto& m = e.mail;
  json j = {{"id", m.id},
            {"company_id", e.company_id ? json(e.company_id->value) : json()},
            {"company_name", e.company_id ? json(e.company_name) : json()},
            {"to", m.recipient},
            {"kind", m.kind},
            {"subject", m.subject},
            {"status", m.status},
            {"time", core::rfc3339(m.created_at)},
            {"sent_at", m.sent_at ? json(core::rfc3339(*m.sent_at)) : json()},
            {"attempts", m.attempts}};
  if (bodies) {
    j["text"] = m.text;
    j["html"] = m.html;
  }
  return j;
}

json pageToJson(const EmailPage& page) {
  json items = json::array();
  for (const auto& e : page.items) items.push_back(emailToJson(e, false));
  return {{"items", items},
          {"next_cursor", page.next_before ? json(std::to_string(*page.next_before)) : json()}};
}

}  // namespace portico::emails
