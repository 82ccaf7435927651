#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "modules/cases/case.h"

namespace portico::cases {

// A canned reply, or a case template (what a new case starts from).
enum class TemplateKind { Reply, Case };
std::string_view templateKindName(TemplateKind k);  // reply, case
std::optional<TemplateKind> parseTemplateKind(std::string_view name);

// A template of the organization's support staff. A shared one is seen and used by all of them,
// a private one by its owner alone; customers never see any.
struct CaseTemplate {
  std::int64_t id = 0;
  core::OrgId org_id;
  TemplateKind kind = TemplateKind::Reply;
  std::string name;
  std::string subject;                      // a case template's subject
  std::string body;                         // the reply, or the case's description
  std::optional<std::string> priority;      // a case template's
  std::optional<std::int64_t> category_id;  // a case template's
  std::string category_name;
  bool shared = true;
  std::optional<Person> owner;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// What staff write into a template (all of it: an update replaces every field).
struct TemplateInput {
  TemplateKind kind = TemplateKind::Reply;
  std::string name;
  std::string subject;
  std::string body;
  std::optional<std::string> priority;
  std::optional<std::int64_t> category_id;
  bool shared = true;
};

// The variables a template's text may hold, filled for one case and the staff member using it:
// {case_number}, {subject}, {company}, {requester_first_name}, {requester_name}, {my_first_name},
// {my_name}. Anything else in braces stays as written. A variable without a value (a case with
// no requester) becomes empty.
std::string fillTemplate(std::string_view text, const Case& c, const std::optional<Person>& me);

}  // namespace portico::cases
