#include "modules/cases/case_integration.h"

#include <nlohmann/json.hpp>

#include "access/access_api.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "modules/cases/case_json.h"

namespace portico::cases {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using integration::Upserted;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;
constexpr std::size_t kMaxSubject = 200;
constexpr std::size_t kMaxText = 20000;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxComments = 500;

// The text at `key`: nullopt if absent, "" if null, else the checked text (textField).
core::Result<std::optional<std::string>> optionalText(const json& record, const char* key,
                                                      std::size_t max, bool multiline = false) {
  if (!record.contains(key)) return std::optional<std::string>{};
  auto v = directory::textField(record, key, false, max, "", multiline);
  if (!v) return fail(v.error());
  return std::optional<std::string>{std::move(*v)};
}

// An e-mail address at `key` as optionalText reads it, lower case and checked.
core::Result<std::optional<std::string>> optionalEmail(const json& record, const char* key) {
  auto v = optionalText(record, key, 254);
  if (!v) return v;
  if (*v) {
    **v = core::asciiLower(**v);
    if (!(*v)->empty() && !core::looksLikeEmail(**v)) {
      return fail(Error::invalid("errors.directory.bad_email", key));
    }
  }
  return v;
}

core::Result<bool> flag(const json& record, const char* key, bool fallback) {
  if (!record.contains(key) || record[key].is_null()) return fallback;
  if (!record[key].is_boolean()) {
    return fail(Error::invalid("errors.integration.not_boolean", key).with("field", key));
  }
  return record[key].get<bool>();
}

// The fault of comment `i`, its field named as "comments[i].field".
Error inComment(Error e, std::size_t i) {
  e.field = "comments[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
  return e;
}

core::Result<CommentUpsert> readComment(const json& j) {
  if (!j.is_object()) return fail(Error::invalid("errors.integration.not_object", ""));
  CommentUpsert c;
  auto external = directory::textField(j, "external_id", true, kMaxExternalId);
  if (!external) return fail(external.error());
  c.external_id = std::move(*external);
  auto body = directory::textField(j, "body", true, kMaxText, "", true);
  if (!body) return fail(body.error());
  c.body = std::move(*body);
  auto author = directory::textField(j, "author_name", false, kMaxName);
  if (!author) return fail(author.error());
  c.author_name = std::move(*author);
  auto by_staff = flag(j, "by_staff", true);
  if (!by_staff) return fail(by_staff.error());
  c.by_staff = *by_staff;
  auto internal = flag(j, "internal", false);
  if (!internal) return fail(internal.error());
  c.internal = *internal;
  if (c.internal && !c.by_staff) {
    return fail(Error::invalid("errors.cases.notes_are_for_staff", "internal"));
  }
  if (j.contains("created_at") && !j["created_at"].is_null()) {
    std::optional<std::int64_t> at;
    if (j["created_at"].is_string()) at = core::parseRfc3339(j["created_at"].get<std::string>());
    if (!at) {
      return fail(
          Error::invalid("errors.integration.bad_time", "created_at").with("field", "created_at"));
    }
    c.created_at = at;
  }
  return c;
}

core::Result<CaseUpsert> readCase(const json& record) {
  CaseUpsert u;
  for (auto [key, target, max] :
       {std::tuple{"external_id", &u.external_id, kMaxExternalId},
        std::tuple{"company_external_id", &u.company_external_id, kMaxExternalId},
        std::tuple{"subject", &u.subject, kMaxSubject}}) {
    auto v = directory::textField(record, key, true, max);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  auto description = optionalText(record, "description", kMaxText, true);
  if (!description) return fail(description.error());
  u.description = std::move(*description);
  auto status = optionalText(record, "status", 40);
  if (!status) return fail(status.error());
  if (*status) {
    u.status = parseStatus(**status);
    if (!u.status) return fail(Error::invalid("errors.cases.bad_status", "status"));
  }
  auto priority = optionalText(record, "priority", 40);
  if (!priority) return fail(priority.error());
  if (*priority) {
    if (!isPriority(**priority))
      return fail(Error::invalid("errors.cases.bad_priority", "priority"));
    u.priority = std::move(*priority);
  }
  auto category = optionalText(record, "category", 100);
  if (!category) return fail(category.error());
  u.category = std::move(*category);
  auto site = optionalText(record, "site_external_id", kMaxExternalId);
  if (!site) return fail(site.error());
  u.site_external_id = std::move(*site);
  auto requester = optionalEmail(record, "requester_email");
  if (!requester) return fail(requester.error());
  u.requester_email = std::move(*requester);
  auto assignee = optionalEmail(record, "assignee_email");
  if (!assignee) return fail(assignee.error());
  u.assignee_email = std::move(*assignee);
  if (record.contains("comments") && !record["comments"].is_null()) {
    const auto& list = record["comments"];
    if (!list.is_array()) {
      return fail(
          Error::invalid("errors.integration.not_array", "comments").with("field", "comments"));
    }
    if (list.size() > kMaxComments) {
      return fail(Error::invalid("errors.integration.too_many", "comments")
                      .with("max", std::to_string(kMaxComments)));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto c = readComment(list[i]);
      if (!c) return fail(inComment(c.error(), i));
      for (const auto& seen : u.comments) {
        if (seen.external_id == c->external_id) {
          return fail(inComment(
              Error::invalid("errors.integration.duplicate_external_id", "external_id"), i));
        }
      }
      u.comments.push_back(std::move(*c));
    }
  }
  return u;
}

// {"external_id":…,"number":…,"subject":…}: what the audit log keeps of an upsert.
std::string auditDetail(const Case& c) {
  return json{{"external_id", c.external_id.value_or("")},
              {"number", caseNumberText(c.number)},
              {"subject", c.subject}}
      .dump();
}

}  // namespace

void registerCaseKind(integration::Kinds& kinds, CaseService& service,
                      access::AccessRepository& companies, audit::AuditLog& audit) {
  kinds.add(std::make_unique<integration::KindOf<CaseUpsert>>(
      "cases", readCase,
      [&service, &companies, &audit](const Caller& caller, const CaseUpsert& u,
                                     std::string* answer) -> core::Result<Upserted> {
        auto company = access::recordCompany(companies, caller.org, u.company_external_id);
        if (!company) return fail(company.error());
        auto done = service.upsert(*company, u);
        if (!done) return fail(done.error());
        const auto& c = done->item;
        audit.record(caller.actor, {done->created ? "case.created" : "case.updated", std::nullopt,
                                    caller.org, company->id, auditDetail(c)});
        if (answer) {
          auto j = caseToJson(c);
          j["company_external_id"] = u.company_external_id;
          j["description"] = c.description;
          j["comments_added"] = done->comments_added;
          *answer = j.dump();
        }
        return Upserted{c.id.value, done->created};
      }));
}

}  // namespace portico::cases
