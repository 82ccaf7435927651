#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.h"

namespace portico::service_jobs {

// Where a visit stands: scheduled → en_route → on_site → done, or cancelled before it is done.
enum class Status { Scheduled, EnRoute, OnSite, Done, Cancelled };
inline constexpr Status kStatuses[] = {Status::Scheduled, Status::EnRoute, Status::OnSite,
                                       Status::Done, Status::Cancelled};
std::string_view statusName(Status s);  // "scheduled", "en_route", "on_site", "done", "cancelled"
std::optional<Status> parseStatus(std::string_view name);
// True if a job may go from `from` to `to` in the portal (the ERP may set any status): each step
// forward, or cancelled from any status but done; never back, never out of done or cancelled.
bool mayMove(Status from, Status to);

// A part used on a visit.
struct Part {
  std::string description;
  std::string quantity;  // as written: "2", "1.5 m"
};

// A service visit at a company's site. Times are seconds since 1970.
struct Job {
  core::ServiceJobId id;
  core::OrgId org_id;
  core::CompanyId company_id;
  std::string company_name;
  std::optional<std::int64_t> site_id;
  std::string site_name;
  std::string site_address;  // where to go: the site's address
  std::string external_id;
  std::string number;
  std::string title;
  std::string description;
  Status status = Status::Scheduled;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::optional<std::int64_t> personnel_id;
  std::string personnel_name;
  std::optional<std::int64_t> case_id;
  std::vector<std::int64_t> device_ids;  // by id; read with the job, not with a list
  std::string notes;
  std::int64_t minutes_spent = 0;
  std::vector<Part> parts;
  std::optional<std::string> signed_by;
  std::optional<std::int64_t> signed_at;
  std::int64_t revision = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// True if `a` and `b` say the same of the visit (everything but ids' names, revision and times of
// writing): an upsert that changes nothing leaves the job, and its revision, as they are.
bool sameVisit(const Job& a, const Job& b);

// Where a page of a list starts: after the job of this window start and id (newest first).
struct Cursor {
  std::int64_t window_start = 0;
  std::int64_t id = 0;
};
// "<window_start>.<id>" in decimal, and back; nullopt for anything else.
std::string cursorText(const Cursor& c);
std::optional<Cursor> parseCursor(std::string_view text);

inline constexpr std::size_t kMaxQuery = 200;  // characters of ?q=
inline constexpr int kMaxLimit = 200;
inline constexpr int kPageSize = 50;

struct Filter {
  std::optional<core::CompanyId> company;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> device_id;
  std::optional<Status> status;
  std::string query;  // in the number or the title
  int limit = kPageSize;
  std::optional<Cursor> after;
};

struct Page {
  std::vector<Job> items;
  std::optional<Cursor> next;
};

// A job from the ERP (service_job_integration.h reads it): the whole visit each time, but for
// what the portal's people write on it (notes, time, parts, signature), kept unless sent.
struct Upsert {
  std::string external_id;
  std::string company_external_id;
  std::string number;
  std::string title;
  std::string description;
  std::string site_external_id;
  std::optional<Status> status;  // left out: kept (a new job: scheduled)
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::optional<std::string> personnel_email;  // the login linked to the personnel record
  std::optional<std::string> case_number;      // "T-1042" or "1042"
  std::vector<std::string> device_external_ids;
  std::optional<std::string> notes;
  std::optional<std::int64_t> minutes_spent;
  std::optional<std::vector<Part>> parts;
};

inline constexpr std::size_t kMaxTitle = 200;
inline constexpr std::size_t kMaxText = 20000;
inline constexpr std::size_t kMaxDevices = 100;
inline constexpr std::size_t kMaxParts = 200;

}  // namespace portico::service_jobs
