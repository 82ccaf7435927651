#include "modules/service_jobs/service_job.h"

#include "core/text.h"

namespace portico::service_jobs {

std::string_view statusName(Status s) {
  switch (s) {
    case Status::Scheduled:
      return "scheduled";
    case Status::EnRoute:
      return "en_route";
    case Status::OnSite:
      return "on_site";
    case Status::Done:
      return "done";
    case Status::Cancelled:
      break;
  }
  return "cancelled";
}

std::optional<Status> parseStatus(std::string_view name) {
  for (auto s : kStatuses) {
    if (statusName(s) == name) return s;
  }
  return std::nullopt;
}

bool mayMove(Status from, Status to) {
  if (from == Status::Done || from == Status::Cancelled) return false;
  if (to == Status::Cancelled) return true;
  return static_cast<int>(to) == static_cast<int>(from) + 1;
}

bool sameVisit(const Job& a, const Job& b) {
  auto parts = [](const Job& j) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : j.parts) out.emplace_back(p.description, p.quantity);
    return out;
  };
  return a.site_id == b.site_id && a.external_id == b.external_id && a.number == b.number &&
         a.title == b.title && a.description == b.description && a.status == b.status &&
         a.window_start == b.window_start && a.window_end == b.window_end &&
         a.personnel_id == b.personnel_id && a.case_id == b.case_id &&
         a.device_ids == b.device_ids && a.notes == b.notes && a.minutes_spent == b.minutes_spent &&
         parts(a) == parts(b) && a.signed_by == b.signed_by && a.signed_at == b.signed_at;
}

std::string cursorText(const Cursor& c) {
  return std::to_string(c.window_start) + "." + std::to_string(c.id);
}

std::optional<Cursor> parseCursor(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto start_text = text.substr(0, dot);
  // Times before 1970 are no visits'; "0" is the only number with a leading zero.
  auto start = start_text == "0" ? std::optional<std::int64_t>(0)
                                 : core::positiveNumber(start_text, INT64_MAX);
  auto id = core::positiveNumber(text.substr(dot + 1), INT64_MAX);
  if (!start || !id) return std::nullopt;
  return Cursor{*start, *id};
}

}  // namespace portico::service_jobs
