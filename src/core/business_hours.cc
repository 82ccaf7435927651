#include "core/business_hours.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>

namespace portico::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using sys_seconds = date::sys_time<seconds>;

const date::time_zone* zoneOf(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// A calendar with its zone found once per call.
struct Hours {
  const BusinessCalendar& c;
  const date::time_zone* zone;

  bool working(std::int32_t day) const {
    auto iso = date::weekday(date::sys_days(date::days(day))).iso_encoding();  // 1 Monday
    if (!(c.work_days & (1u << (iso - 1)))) return false;
    return !std::binary_search(c.holidays.begin(), c.holidays.end(), day);
  }
  std::int32_t localDay(std::int64_t t) const {
    auto local = zone->to_local(sys_seconds(seconds(t)));
    return static_cast<std::int32_t>(date::floor<date::days>(local).time_since_epoch().count());
  }
  // The working hours of local day `day`, in Unix seconds; a time a clock change skips counts
  // from the change.
  std::pair<std::int64_t, std::int64_t> interval(std::int32_t day) const {
    auto midnight = date::local_days(date::days(day));
    auto at = [&](int m) {
      auto local = date::local_seconds(midnight + minutes(m));
      return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
    };
    return {at(c.day_start), at(c.day_end)};
  }
};

}  // namespace

bool isTimeZone(std::string_view name) { return zoneOf(name) != nullptr; }

bool isValidCalendar(const BusinessCalendar& c) {
  return (c.work_days & 0x7F) != 0 && c.day_start >= 0 && c.day_start < c.day_end &&
         c.day_end <= 24 * 60 && isTimeZone(c.time_zone);
}

std::optional<std::int32_t> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!digits(text.substr(0, 4), y) || !digits(text.substr(5, 2), m) ||
      !digits(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(m)),
                           date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(date::sys_days(ymd).time_since_epoch().count());
}

std::string dateText(std::int32_t days) {
  return date::format("%F", date::sys_days(date::days(days)));
}

std::string utcDateText(std::int64_t seconds) {
  auto days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;  // floor, before 1970 too
  return dateText(static_cast<std::int32_t>(days));
}

std::optional<int> parseClockTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int h = 0, m = 0;
  if (!digits(text.substr(0, 2), h) || !digits(text.substr(3, 2), m)) return std::nullopt;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string clockTimeText(int minutes_of_day) {
  char out[6];
  int h = minutes_of_day / 60, m = minutes_of_day % 60;
  out[0] = static_cast<char>('0' + h / 10);
  out[1] = static_cast<char>('0' + h % 10);
  out[2] = ':';
  out[3] = static_cast<char>('0' + m / 10);
  out[4] = static_cast<char>('0' + m % 10);
  out[5] = '\0';
  return out;
}

std::optional<std::int64_t> addWorkingSeconds(const BusinessCalendar& c, std::int64_t from,
                                              std::int64_t amount) {
  if (!isValidCalendar(c)) return std::nullopt;
  if (amount <= 0) return from;
  Hours h{c, zoneOf(c.time_zone)};
  auto first = h.localDay(from);
  for (int i = 0; i < kCalendarHorizonDays; ++i) {
    auto day = first + i;
    if (!h.working(day)) continue;
    auto [a, b] = h.interval(day);
    if (b <= from) continue;
    auto start = std::max(a, from);
    if (b - start >= amount) return start + amount;
    amount -= b - start;
  }
  return std::nullopt;
}

std::int64_t workingSecondsBetween(const BusinessCalendar& c, std::int64_t from, std::int64_t to) {
  if (to <= from || !isValidCalendar(c)) return 0;
  Hours h{c, zoneOf(c.time_zone)};
  auto first = h.localDay(from);
  auto last = std::min(h.localDay(to), first + kCalendarHorizonDays);
  std::int64_t total = 0;
  for (auto day = first; day <= last; ++day) {
    if (!h.working(day)) continue;
    auto [a, b] = h.interval(day);
    auto lo = std::max(a, from), hi = std::min(b, to);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

}  // namespace portico::core
