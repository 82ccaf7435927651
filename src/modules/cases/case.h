#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
// "First Last", or the e-mail address of someone without a name.
std::string displayName(const Person& p);

// A case's service-level clock (service_level.h): working seconds counted while the case is new
// or open, and the due and breach times of its targets.
struct CaseClock {
  std::int64_t elapsed = 0;           // working seconds counted before `since`
  std::optional<std::int64_t> since;  // when the clock last started; nullopt while it stands
  std::optional<std::int64_t> first_response_at;  // staff's first public reply
  std::optional<std::int64_t> first_response_due;
  std::optional<std::int64_t> first_response_breached;
  std::optional<std::int64_t> resolution_due;
  std::optional<std::int64_t> resolution_breached;
  std::optional<std::int64_t> next_due;  // the earliest due time of a target still pending
};

// How one target of a case stands at a moment.
enum class TargetState { None, Pending, Paused, Met, Breached };
struct TargetView {
  TargetState state = TargetState::None;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> done_at;      // the reply, or the resolution
  std::optional<std::int64_t> breached_at;  // when the due time passed
};
std::string_view targetStateName(TargetState s);  // none, pending, paused, met, breached

// How a case's targets stand at a moment (staff only).
struct ServiceLevel {
  TargetView first_response;
  TargetView resolution;
};

// The requester's rating of a resolved case: once, 1 to 5 with an optional comment.
struct Rating {
  int stars = 0;
  std::string comment;
  std::int64_t rated_at = 0;
};
inline constexpr std::size_t kMaxRatingComment = 2000;

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
  CaseClock clock;
  std::optional<Rating> rating;
  // Staff only, filled in by the service when it answers: how the targets stand now.
  std::optional<ServiceLevel> service_level;
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
  std::optional<std::string> external_id;  // the ERP's id, for a comment the ERP sent
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

// A file attached to a case, or to one of its comments (comment_id).
struct Attachment {
  std::int64_t id = 0;
  core::CaseId case_id;
  std::optional<std::int64_t> comment_id;
  std::int64_t file_id = 0;
  std::string name;          // safe to offer for saving: its extension agrees with the type
  std::string content_type;  // decided from the bytes, one of the allow-list
  std::int64_t size = 0;
  std::string sha256;
  std::optional<Person> uploader;
  bool by_staff = false;
  bool internal = false;  // attached to an internal note: staff only
  std::int64_t created_at = 0;
};

// A file as someone uploaded it: the name they gave and the bytes.
struct Upload {
  std::string filename;
  std::string data;
};

// An attachment with its bytes, to be downloaded.
struct Download {
  Attachment attachment;
  std::string data;
};

// A case with everything its page shows. Internal notes (and their attachments) are in
// `comments` and `attachments` only for staff.
struct CaseDetail {
  Case item;
  std::vector<Person> participants;
  std::vector<Comment> comments;
  std::vector<Change> changes;
  std::vector<Attachment> attachments;
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

// A comment as the ERP sends it with its case, named by its external_id within the case. Staff
// wrote it (in the ERP) unless `by_staff` is false.
struct CommentUpsert {
  std::string external_id;
  std::string body;
  std::string author_name;  // who wrote it, as the ERP names them
  bool by_staff = true;
  bool internal = false;
  std::optional<std::int64_t> created_at;  // absent: now
};

// A case as the ERP sends it (integration kind "cases"). A field left out (nullopt) keeps its
// value on an existing case; a clearable one given as null (an empty string here) clears it.
struct CaseUpsert {
  std::string external_id;
  std::string company_external_id;
  std::string subject;
  std::optional<std::string> description;       // new case: empty if absent
  std::optional<Status> status;                 // new case: new
  std::optional<std::string> priority;          // new case: normal
  std::optional<std::string> category;          // a category's name; "": none
  std::optional<std::string> site_external_id;  // "": the whole company
  std::optional<std::string> requester_email;   // a login of the company; "": nobody
  std::optional<std::string> assignee_email;    // one of the support staff; "": nobody
  std::vector<CommentUpsert> comments;          // added, or (same external_id) rewritten
};

// What an upsert did: the case as written, and whether it is new.
struct CaseUpserted {
  Case item;
  bool created = false;
  int comments_added = 0;
};

// The order of a list: newest first (the default), oldest first, recently updated first, the
// most urgent first (then newest), or (staff) the earliest due time of a pending service-level
// target first, cases without one last (then oldest).
enum class Sort { Newest, Oldest, Updated, Priority, Due };
inline constexpr Sort kSorts[] = {Sort::Newest, Sort::Oldest, Sort::Updated, Sort::Priority,
                                  Sort::Due};
std::string_view sortName(Sort s);  // newest, oldest, updated, priority, due
std::optional<Sort> parseSort(std::string_view name);
// low 0 … urgent 3: the key of Sort::Priority.
int priorityRank(std::string_view priority);

// Where a page of a list starts: after the case with this sort key and id (the key is the id
// itself for Newest and Oldest, updated_at for Updated, the priority's rank for Priority, the
// next due time for Due, kNoDue without one).
inline constexpr std::int64_t kNoDue = INT64_MAX;
struct CaseCursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};
// The cursor as the API hands it out: "<id>" for Newest and Oldest, "<key>.<id>" otherwise, in
// decimal digits without a sign or leading zeros; parseCursor accepts exactly that form.
std::string cursorText(Sort sort, const CaseCursor& c);
std::optional<CaseCursor> parseCursor(Sort sort, std::string_view text);
// The cursor after case `c` in `sort`.
CaseCursor cursorAfter(Sort sort, const Case& c);

// Text search: the words of a query, at most kMaxSearchWords, each matched as a prefix in the
// case's number, subject, description and public comments (and for staff its internal notes).
// Words are runs of letters and digits (any script); everything else separates them.
inline constexpr std::size_t kMaxSearchQuery = 200;  // bytes
inline constexpr std::size_t kMaxSearchWords = 8;
std::vector<std::string> searchWords(std::string_view query);

// The filters of a list of cases; empty ones do not filter.
struct CaseFilter {
  std::optional<core::CompanyId> company;
  std::optional<Status> status;
  std::string priority;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> device_id;
  std::optional<core::UserId> requester;
  bool mine = false;  // the caller opened or follows it (staff: assigned to the caller)
  // Staff only: assigned to this staff member; with a breached service-level target.
  std::optional<core::UserId> assignee;
  bool breached = false;
  std::string query;  // text search (searchWords); empty: none
  Sort sort = Sort::Newest;
  std::optional<CaseCursor> after;  // the cursor: the cases after this one in `sort`
  int limit = 50;
};

struct CasePage {
  std::vector<Case> items;
  std::optional<std::string> next_cursor;  // cursorText of the next page, if there is one
  // The number of cases per status under the same filters, the status filter aside.
  std::vector<std::pair<Status, std::int64_t>> counts;
};

}  // namespace portico::cases
