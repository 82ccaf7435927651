#include "modules/cases/support_settings/support_settings_repository.h"

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
constexpr std::string_view kCategories =
    "SELECT k.id, k.name, (SELECT count(*) FROM cases c WHERE c.category_id = k.id)"
    " FROM case_categories k WHERE k.org_id = ? ORDER BY k.name, k.id";
constexpr std::string_view kCategory =
    "SELECT k.id, k.name, (SELECT count(*) FROM cases c WHERE c.category_id = k.id)"
    " FROM case_categories k WHERE k.org_id = ? AND k.id = ?";
constexpr std::string_view kCategoryNamed =
    "SELECT id FROM case_categories WHERE org_id = ? AND name = ?";
constexpr std::string_view kInsertCategory =
    "INSERT INTO case_categories (org_id, name, created_at) VALUES (?, ?, ?) RETURNING id";
constexpr std::string_view kRenameCategory =
    "UPDATE case_categories SET name = ? WHERE org_id = ? AND id = ?";
constexpr std::string_view kUncategorize =
    "UPDATE cases SET category_id = NULL WHERE org_id = ? AND category_id = ?";
constexpr std::string_view kRemoveCategory =
    "DELETE FROM case_categories WHERE org_id = ? AND id = ?";

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

std::vector<Category> SupportSettingsRepository::categories(core::OrgId org) {
  Query q(conn(), kCategories);
  q.bind(org.value);
  std::vector<Category> out;
  while (q.next()) out.push_back({q.getInt(0), q.getText(1), q.getInt(2)});
  return out;
}

std::optional<Category> SupportSettingsRepository::category(core::OrgId org, std::int64_t id) {
  Query q(conn(), kCategory);
  q.bind(org.value, id);
  if (!q.next()) return std::nullopt;
  return Category{q.getInt(0), q.getText(1), q.getInt(2)};
}

std::optional<std::int64_t> SupportSettingsRepository::categoryNamed(core::OrgId org,
                                                                     const std::string& name) {
  Query q(conn(), kCategoryNamed);
  q.bind(org.value, name);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::int64_t SupportSettingsRepository::insertCategory(core::OrgId org, const std::string& name,
                                                       std::int64_t now) {
  Query q(conn(), kInsertCategory);
  q.bind(org.value, name, now);
  q.next();
  return q.getInt(0);
}

void SupportSettingsRepository::renameCategory(core::OrgId org, std::int64_t id,
                                               const std::string& name) {
  Query(conn(), kRenameCategory).bind(name, org.value, id).run();
}

void SupportSettingsRepository::removeCategory(core::OrgId org, std::int64_t id) {
  Query(conn(), kUncategorize).bind(org.value, id).run();
  Query(conn(), kRemoveCategory).bind(org.value, id).run();
}

}  // namespace portico::cases
