#include "modules/cases/support_settings_repository.h"

namespace portico::cases {
namespace {

using storage::Query;

constexpr std::string_view kSettings =
    "SELECT time_zone, work_days, day_start, day_end, support_email FROM support_settings"
    " WHERE org_id = ?";
constexpr std::string_view kHolidays =
    "SELECT day, name FROM support_holidays WHERE org_id = ? ORDER BY day";
constexpr std::string_view kTargets =
    "SELECT priority, first_response_minutes, resolution_minutes FROM support_targets"
    " WHERE org_id = ?";
constexpr std::string_view kSaveSettings =
    "INSERT INTO support_settings (org_id, time_zone, work_days, day_start, day_end,"
    " support_email, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id) DO UPDATE SET time_zone = excluded.time_zone,"
    " work_days = excluded.work_days, day_start = excluded.day_start,"
    " day_end = excluded.day_end, support_email = excluded.support_email,"
    " updated_at = excluded.updated_at";
constexpr std::string_view kClearHolidays = "DELETE FROM support_holidays WHERE org_id = ?";
constexpr std::string_view kInsertHoliday =
    "INSERT INTO support_holidays (org_id, day, name) VALUES (?, ?, ?)";
constexpr std::string_view kClearTargets = "DELETE FROM support_targets WHERE org_id = ?";
constexpr std::string_view kInsertTarget =
    "INSERT INTO support_targets (org_id, priority, first_response_minutes, resolution_minutes)"
    " VALUES (?, ?, ?, ?)";

}  // namespace

SupportSettings SupportSettingsRepository::load(core::OrgId org) {
  SupportSettings s;
  {
    Query q(conn(), kSettings);
    q.bind(org.value);
    if (q.next()) {
      s.calendar.time_zone = q.getText(0);
      s.calendar.work_days = static_cast<unsigned>(q.getInt(1));
      s.calendar.day_start = static_cast<int>(q.getInt(2));
      s.calendar.day_end = static_cast<int>(q.getInt(3));
      s.support_email = q.getText(4);
    }
  }
  {
    Query q(conn(), kHolidays);
    q.bind(org.value);
    while (q.next()) {
      auto day = core::parseDate(q.getText(0));
      if (!day) continue;
      s.holidays.push_back({*day, q.getText(1)});
      s.calendar.holidays.push_back(*day);
    }
  }
  Query q(conn(), kTargets);
  q.bind(org.value);
  while (q.next()) {
    auto& t = s.targets[static_cast<std::size_t>(priorityRank(q.getText(0)))];
    t.first_response_minutes = q.getOptInt(1);
    t.resolution_minutes = q.getOptInt(2);
  }
  return s;
}

void SupportSettingsRepository::save(core::OrgId org, const SupportSettings& s, std::int64_t now) {
  const auto& c = s.calendar;
  Query(conn(), kSaveSettings)
      .bind(org.value, c.time_zone, static_cast<std::int64_t>(c.work_days), c.day_start, c.day_end,
            s.support_email, now)
      .run();
  Query(conn(), kClearHolidays).bind(org.value).run();
  for (const auto& h : s.holidays) {
    Query(conn(), kInsertHoliday).bind(org.value, core::dateText(h.day), h.name).run();
  }
  Query(conn(), kClearTargets).bind(org.value).run();
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    if (!t.first_response_minutes && !t.resolution_minutes) continue;
    Query(conn(), kInsertTarget)
        .bind(org.value, std::string(kPriorities[i]), t.first_response_minutes,
              t.resolution_minutes)
        .run();
  }
}

}  // namespace portico::cases
