#include "modules/cases/case_json.h"

#include "core/text.h"

namespace portico::cases {
namespace {

using nlohmann::json;

json optInt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }
json optTime(const std::optional<std::int64_t>& v) { return v ? json(core::rfc3339(*v)) : json(); }

json personToJson(const std::optional<Person>& p) {
  if (!p) return json();
  return {{"id", p->id.value},
          {"first_name", p->first_name},
          {"last_name", p->last_name},
          {"email", p->email}};
}

json targetToJson(const TargetView& t) {
  return {{"state", targetStateName(t.state)},
          {"due_at", optTime(t.due_at)},
          {"done_at", optTime(t.done_at)},
          {"breached_at", optTime(t.breached_at)}};
}

}  // namespace

json caseToJson(const Case& c) {
  auto out = caseFields(c);
  if (c.service_level) {
    out["service_level"] = {{"first_response", targetToJson(c.service_level->first_response)},
                            {"resolution", targetToJson(c.service_level->resolution)}};
  }
  return out;
}

json caseFields(const Case& c) {
  return {{"id", c.id.value},
          {"number", caseNumberText(c.number)},
          {"company_id", c.company_id.value},
          {"company_name", c.company_name},
          {"site_id", optInt(c.site_id)},
          {"device_id", optInt(c.device_id)},
          {"external_id", c.external_id ? json(*c.external_id) : json()},
          {"subject", c.subject},
          {"status", statusName(c.status)},
          {"priority", c.priority},
          {"category",
           c.category_id ? json{{"id", *c.category_id}, {"name", c.category_name}} : json()},
          {"requester", personToJson(c.requester)},
          {"assignee", personToJson(c.assignee)},
          {"follows_case_id", c.follows_case_id ? json(c.follows_case_id->value) : json()},
          {"created_at", core::rfc3339(c.created_at)},
          {"updated_at", core::rfc3339(c.updated_at)},
          {"resolved_at", optTime(c.resolved_at)},
          {"closed_at", optTime(c.closed_at)},
          {"rating", c.rating ? json{{"stars", c.rating->stars},
                                     {"comment", c.rating->comment},
                                     {"rated_at", core::rfc3339(c.rating->rated_at)}}
                              : json()}};
}

json supportSettingsToJson(const SupportSettings& s) {
  json days = json::array();
  for (unsigned d = 0; d < 7; ++d) {
    if (s.calendar.work_days & (1u << d)) days.push_back(d + 1);
  }
  json holidays = json::array();
  for (const auto& h : s.holidays) {
    holidays.push_back({{"date", core::dateText(h.day)}, {"name", h.name}});
  }
  json targets = json::object();
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    targets[std::string(kPriorities[i])] = {
        {"first_response_minutes",
         t.first_response_minutes ? json(*t.first_response_minutes) : json()},
        {"resolution_minutes", t.resolution_minutes ? json(*t.resolution_minutes) : json()}};
  }
  return {{"time_zone", s.calendar.time_zone},
          {"work_days", days},
          {"day_start", core::clockTimeText(s.calendar.day_start)},
          {"day_end", core::clockTimeText(s.calendar.day_end)},
          {"holidays", holidays},
          {"targets", targets},
          {"support_email", s.support_email}};
}

json commentToJson(const Comment& m) {
  return {{"id", m.id},
          {"author", personToJson(m.author)},
          {"author_name", m.author_name},
          {"by_staff", m.by_staff},
          {"internal", m.internal},
          {"body", m.body},
          {"created_at", core::rfc3339(m.created_at)}};
}

json attachmentToJson(const Attachment& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"size", a.size},
          {"content_type", a.content_type},
          {"sha256", a.sha256},
          {"comment_id", optInt(a.comment_id)},
          {"internal", a.internal},
          {"by_staff", a.by_staff},
          {"uploaded_by", personToJson(a.uploader)},
          {"created_at", core::rfc3339(a.created_at)},
          {"url", "/api/v1/cases/" + std::to_string(a.case_id.value) + "/attachments/" +
                      std::to_string(a.id)}};
}

json seenToJson(const Seen& seen) {
  const auto& d = seen.detail;
  auto j = caseToJson(d.item);
  j["description"] = d.item.description;
  json people = json::array();
  for (const auto& p : d.participants) people.push_back(personToJson(p));
  j["participants"] = people;
  json comments = json::array();
  for (const auto& m : d.comments) {
    if (m.internal && seen.side != Side::Staff) continue;  // never, even if asked wrongly
    comments.push_back(commentToJson(m));
  }
  j["comments"] = comments;
  json attachments = json::array();
  for (const auto& a : d.attachments) {
    if (a.internal && seen.side != Side::Staff) continue;
    attachments.push_back(attachmentToJson(a));
  }
  j["attachments"] = attachments;
  json changes = json::array();
  for (const auto& h : d.changes) {
    changes.push_back({{"field", h.field},
                       {"from", h.old_value ? json(*h.old_value) : json()},
                       {"to", h.new_value ? json(*h.new_value) : json()},
                       {"by", personToJson(h.actor)},
                       {"at", core::rfc3339(h.created_at)}});
  }
  j["changes"] = changes;
  j["may_answer"] = seen.may_answer;
  return j;
}

json pageToJson(const CasePage& page) {
  json items = json::array();
  for (const auto& c : page.items) items.push_back(caseToJson(c));
  json counts = json::object();
  for (const auto& [status, n] : page.counts) counts[std::string(statusName(status))] = n;
  return {{"items", items},
          {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json()},
          {"counts", counts}};
}

json commentedToJson(const Commented& c) {
  auto j = commentToJson(c.comment);
  j["case_id"] = c.case_id.value;
  json attachments = json::array();
  for (const auto& a : c.attachments) attachments.push_back(attachmentToJson(a));
  j["attachments"] = attachments;
  if (c.opened_number) {
    j["opened_case"] = {{"id", c.case_id.value}, {"number", caseNumberText(*c.opened_number)}};
  }
  return j;
}

json templateToJson(const CaseTemplate& t) {
  return {{"id", t.id},
          {"kind", templateKindName(t.kind)},
          {"name", t.name},
          {"subject", t.subject},
          {"body", t.body},
          {"priority", t.priority ? json(*t.priority) : json()},
          {"category",
           t.category_id ? json{{"id", *t.category_id}, {"name", t.category_name}} : json()},
          {"shared", t.shared},
          {"owner", personToJson(t.owner)},
          {"created_at", core::rfc3339(t.created_at)},
          {"updated_at", core::rfc3339(t.updated_at)}};
}

std::string caseEventData(const Case& c) {
  auto j = caseFields(c);
  j["description"] = c.description;
  return j.dump();
}

std::string commentEventData(const Case& c, const Comment& m,
                             const std::vector<Attachment>& attachments) {
  json files = json::array();
  for (const auto& a : attachments) {
    if (a.internal) continue;  // never: an internal note has no event either
    files.push_back({{"id", a.id},
                     {"name", a.name},
                     {"size", a.size},
                     {"content_type", a.content_type},
                     {"sha256", a.sha256}});
  }
  return json{{"case",
               {{"id", c.id.value},
                {"number", caseNumberText(c.number)},
                {"external_id", c.external_id ? json(*c.external_id) : json()}}},
              {"comment", commentToJson(m)},
              {"attachments", files}}
      .dump();
}

std::string statusEventData(const Case& c, Status from) {
  return json{{"case",
               {{"id", c.id.value},
                {"number", caseNumberText(c.number)},
                {"external_id", c.external_id ? json(*c.external_id) : json()}}},
              {"from", statusName(from)},
              {"to", statusName(c.status)}}
      .dump();
}

}  // namespace portico::cases
