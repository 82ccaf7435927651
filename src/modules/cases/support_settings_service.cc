#include "modules/cases/support_settings_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace portico::cases {
namespace {

using core::Error;
using core::fail;

core::Status check(const SupportSettings& s) {
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
    }
  }
  if (!s.support_email.empty() &&
      (s.support_email.size() > 254 || !core::looksLikeEmail(s.support_email))) {
    return fail(Error::invalid("errors.support_settings.bad_email", "support_email"));
  }
  return {};
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
  if (auto ok = check(in); !ok) return fail(ok.error());
  in.calendar.holidays.clear();
  for (const auto& h : in.holidays) in.calendar.holidays.push_back(h.day);
  nlohmann::json detail = {{"time_zone", in.calendar.time_zone}, {"holidays", in.holidays.size()}};
  storage::Transaction tx(repo_.conn());
  repo_.save(staff.org_id, in, clock_.now());
  audit_.record(
      actor, {"support_settings.updated", std::nullopt, staff.org_id, std::nullopt, detail.dump()});
  tx.commit();
  return in;
}

}  // namespace portico::cases
