#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"

namespace portico::cases {

// A case's state. The customer sees a label for each (cases.status.<name>).
enum class Status { New, Open, WaitingCustomer, WaitingThirdParty, Resolved, Closed };
inline constexpr Status kStatuses[] = {
    Status::New,      Status::Open,  Status::WaitingCustomer, Status::WaitingThirdParty,
    Status::Resolved, Status::Closed};
std::string_view statusName(Status s);
std::optional<Status> parseStatus(std::string_view name);
// Waiting for the customer or a third party: a customer's comment opens the case again.
bool isWaiting(Status s);

inline constexpr std::string_view kPriorities[] = {"low", "normal", "high", "urgent"};
bool isPriority(std::string_view name);

// "T-1042": how people name a case.
std::string caseNumberText(std::int64_t number);

// A person as a case shows them.
struct Person {
  core::UserId id;
  std::string first_name;
  std::string last_name;
  std::string email;
};

struct Case {
  core::CaseId id;
  core::OrgId org_id;
  core::CompanyId company_id;
  std::string company_name;
  std::int64_t number = 0;
  std::optional<std::string> external_id;
  std::string subject;
  std::string description;
  Status status = Status::New;
  std::string priority = "normal";
  std::optional<std::int64_t> category_id;
  std::string category_name;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> device_id;
  std::optional<Person> requester;
  std::optional<Person> assignee;
  std::optional<core::CaseId> follows_case_id;  // the closed case this one continues
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::int64_t> closed_at;
};

// One message of a case's conversation.
struct Comment {
  std::int64_t id = 0;
  core::CaseId case_id;
  std::optional<Person> author;
  std::string author_name;  // the ERP's author, when the ERP wrote it
  bool by_staff = false;
  bool internal = false;  // a staff note: never shown to the customer
  std::string body;
  std::int64_t created_at = 0;
};

// One change of a case's status, priority or assignee.
struct Change {
  std::int64_t id = 0;
  std::optional<Person> actor;
  std::string field;  // status, priority, assignee
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::int64_t created_at = 0;
};

// A case with everything its page shows. Internal notes are in `comments` only for staff.
struct CaseDetail {
  Case item;
  std::vector<Person> participants;
  std::vector<Comment> comments;
  std::vector<Change> changes;
};

// What a customer opens.
struct NewCase {
  core::CompanyId company_id;
  std::string subject;
  std::string description;
  std::string priority = "normal";
  std::optional<std::int64_t> category_id;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> device_id;
};

// A change asked for with PATCH: each field only when given.
struct CaseUpdate {
  std::optional<Status> status;
  std::optional<std::string> priority;
  std::optional<std::optional<core::UserId>> assignee;  // a staff member, or nobody
};

// The filters of a list of cases; empty ones do not filter.
struct CaseFilter {
  std::optional<core::CompanyId> company;
  std::optional<Status> status;
  std::string priority;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> device_id;
  std::optional<core::UserId> requester;
  bool mine = false;           // the caller opened or follows it (staff: assigned to the caller)
  std::int64_t before_id = 0;  // the cursor: cases older than this one
  int limit = 50;
};

struct CasePage {
  std::vector<Case> items;
  std::optional<std::int64_t> next_before;
  // The number of cases per status under the same filters, the status filter aside.
  std::vector<std::pair<Status, std::int64_t>> counts;
};

}  // namespace portico::cases
