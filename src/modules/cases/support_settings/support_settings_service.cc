#include "modules/cases/support_settings/support_settings_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::cases {
namespace {

using core::Error;
using core::fail;

core::Status check(const SupportSettings& s, std::int64_t now) {
  const auto& c = s.calendar;
  if (!core::isTimeZone(c.time_zone)) {
    return fail(Error::invalid("errors.support_settings.bad_time_zone", "time_zone"));
  }
  if ((c.work_days & 0x7F) == 0 || (c.work_days & ~0x7Fu) != 0) {
    return fail(Error::invalid("errors.support_settings.no_work_day", "work_days"));
  }
  if (c.day_start < 0 || c.day_end > 24 * 60 || c.day_start >= c.day_end) {
    return fail(Error::invalid("errors.support_settings.bad_hours", "day_end"));
  }
  if (s.holidays.size() > kMaxHolidays) {
    return fail(Error::invalid("errors.support_settings.too_many_holidays", "holidays")
                    .with("max", std::to_string(kMaxHolidays)));
  }
  for (std::size_t i = 1; i < s.holidays.size(); ++i) {
    if (s.holidays[i].day == s.holidays[i - 1].day) {
      return fail(Error::invalid("errors.support_settings.holiday_twice", "holidays")
                      .with("date", core::dateText(s.holidays[i].day)));
    }
  }
  for (const auto& h : s.holidays) {
    if (h.name.size() > 100 || !core::isCleanUtf8(h.name)) {
      return fail(Error::invalid("errors.support_settings.bad_holiday_name", "holidays"));
    }
  }
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    for (const auto* m : {&s.targets[i].first_response_minutes, &s.targets[i].resolution_minutes}) {
      if (*m && (**m < 1 || **m > kMaxTargetMinutes)) {
        return fail(Error::invalid("errors.support_settings.bad_target", "targets")
                        .with("priority", std::string(kPriorities[i]))
                        .with("max", std::to_string(kMaxTargetMinutes)));
      }
      // The clock finds due times up to core::kCalendarHorizonDays ahead: a target this
      // calendar's working time does not reach by then would never fall due.
      if (*m && !core::addWorkingSeconds(c, now, **m * 60)) {
        return fail(Error::invalid("errors.support_settings.target_beyond_calendar", "targets")
                        .with("priority", std::string(kPriorities[i])));
      }
    }
  }
  if (!s.support_email.empty() &&
      (s.support_email.size() > 254 || !core::looksLikeEmail(s.support_email))) {
    return fail(Error::invalid("errors.support_settings.bad_email", "support_email"));
  }
  return {};
}

core::Result<std::string> categoryName(const std::string& in) {
  auto name = std::string(core::trim(in));
  if (name.empty() || name.size() > kMaxCategoryName || !core::isCleanUtf8(name)) {
    return fail(Error::invalid("errors.case_categories.bad_name", "name")
                    .with("max", std::to_string(kMaxCategoryName)));
  }
  return name;
}

}  // namespace

SupportSettings SupportSettingsService::get(const access::StaffRole& staff) {
  return repo_.load(staff.org_id);
}

core::Result<SupportSettings> SupportSettingsService::save(const access::StaffRole& staff,
                                                           SupportSettings in,
                                                           const audit::Actor& actor) {
  std::sort(in.holidays.begin(), in.holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  in.calendar.holidays.clear();
  for (const auto& h : in.holidays) in.calendar.holidays.push_back(h.day);
  if (auto ok = check(in, clock_.now()); !ok) return fail(ok.error());
  nlohmann::json detail = {{"time_zone", in.calendar.time_zone}, {"holidays", in.holidays.size()}};
  storage::Transaction tx(repo_.conn());
  repo_.save(staff.org_id, in, clock_.now());
  audit_.record(
      actor, {"support_settings.updated", std::nullopt, staff.org_id, std::nullopt, detail.dump()});
  tx.commit();
  return in;
}

std::vector<Category> SupportSettingsService::categories(const access::StaffRole& staff) {
  return repo_.categories(staff.org_id);
}

core::Result<Category> SupportSettingsService::category(const access::StaffRole& staff,
                                                        std::int64_t id) {
  auto k = repo_.category(staff.org_id, id);
  if (!k) return fail(Error::notFound("errors.case_categories.no_such_category"));
  return *k;
}

core::Result<Category> SupportSettingsService::addCategory(const access::StaffRole& staff,
                                                           const std::string& in,
                                                           const audit::Actor& actor) {
  auto name = categoryName(in);
  if (!name) return fail(name.error());
  storage::Transaction tx(repo_.conn());
  if (repo_.categoryNamed(staff.org_id, *name)) {
    return fail(Error::conflict("errors.case_categories.name_taken").with("name", *name));
  }
  if (repo_.categories(staff.org_id).size() >= kMaxCategories) {
    return fail(Error::conflict("errors.case_categories.too_many")
                    .with("max", std::to_string(kMaxCategories)));
  }
  auto id = repo_.insertCategory(staff.org_id, *name, clock_.now());
  audit_.record(actor, {"case_category.created", std::nullopt, staff.org_id, std::nullopt,
                        nlohmann::json{{"name", *name}}.dump()});
  tx.commit();
  return Category{id, *name, 0};
}

core::Result<Category> SupportSettingsService::renameCategory(const access::StaffRole& staff,
                                                              std::int64_t id,
                                                              const std::string& in,
                                                              const audit::Actor& actor) {
  auto name = categoryName(in);
  if (!name) return fail(name.error());
  storage::Transaction tx(repo_.conn());
  auto k = repo_.category(staff.org_id, id);
  if (!k) return fail(Error::notFound("errors.case_categories.no_such_category"));
  if (k->name == *name) return *k;
  if (repo_.categoryNamed(staff.org_id, *name)) {
    return fail(Error::conflict("errors.case_categories.name_taken").with("name", *name));
  }
  repo_.renameCategory(staff.org_id, id, *name);
  audit_.record(actor, {"case_category.renamed", std::nullopt, staff.org_id, std::nullopt,
                        nlohmann::json{{"from", k->name}, {"to", *name}}.dump()});
  tx.commit();
  k->name = *name;
  return *k;
}

core::Status SupportSettingsService::removeCategory(const access::StaffRole& staff, std::int64_t id,
                                                    const audit::Actor& actor) {
  storage::Transaction tx(repo_.conn());
  auto k = repo_.category(staff.org_id, id);
  if (!k) return fail(Error::notFound("errors.case_categories.no_such_category"));
  repo_.removeCategory(staff.org_id, id);
  audit_.record(actor, {"case_category.removed", std::nullopt, staff.org_id, std::nullopt,
                        nlohmann::json{{"name", k->name}, {"cases", k->cases}}.dump()});
  tx.commit();
  return {};
}

}  // namespace portico::cases
