#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portico::core {

// An organization's working time: the days of the week and the hours of a working day in its
// time zone, and its holidays. Service levels count only this time.
struct BusinessCalendar {
  std::string time_zone = "UTC";  // an IANA name (isTimeZone)
  unsigned work_days = 0x1F;      // bit 0 Monday … bit 6 Sunday: Monday to Friday
  int day_start = 8 * 60;  // minutes after local midnight, 0 ≤ day_start < day_end ≤ 1440
  int day_end = 17 * 60;
  std::vector<std::int32_t> holidays;  // local dates (days since 1970-01-01), sorted, no repeats
};

// True if `name` is a time zone of the system's database ("Europe/Stockholm", "UTC").
bool isTimeZone(std::string_view name);
// True if the calendar has working time at all: a valid zone, a working day, start before end.
bool isValidCalendar(const BusinessCalendar& c);

// A calendar date "YYYY-MM-DD" as days since 1970-01-01; nullopt unless it is exactly that form
// and a real date.
std::optional<std::int32_t> parseDate(std::string_view text);
std::string dateText(std::int32_t days);
// The UTC date of a moment (seconds since 1970), "YYYY-MM-DD": what "today" is for due dates,
// validity and price lists.
std::string utcDateText(std::int64_t seconds);
// "HH:MM" (00:00 … 24:00) as minutes after midnight; nullopt otherwise.
std::optional<int> parseClockTime(std::string_view text);
std::string clockTimeText(int minutes);

// How far ahead (in days) working time is looked for: a calendar without working time within it
// has none.
inline constexpr int kCalendarHorizonDays = 1100;

// The moment when `seconds` of working time have passed after `from` (Unix seconds): `from`
// itself for 0 or less. nullopt if the calendar is not valid or has too little working time
// within kCalendarHorizonDays.
std::optional<std::int64_t> addWorkingSeconds(const BusinessCalendar& c, std::int64_t from,
                                              std::int64_t seconds);
// The working time between two moments, in seconds: 0 if `to` is not after `from`.
std::int64_t workingSecondsBetween(const BusinessCalendar& c, std::int64_t from, std::int64_t to);

}  // namespace portico::core
