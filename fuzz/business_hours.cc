// Fuzzes the readers of the support calendar (src/core/business_hours.h): parseDate,
// parseClockTime and isTimeZone, which read what administrators type into the support settings.
// Each call is checked against its contract; a violation abort()s: a date it accepts reads back
// the same once formatted with dateText(), a clock time is 00:00 to 24:00 and reads back the same,
// and a time zone it accepts gives a calendar that finds working time.

#include "core/business_hours.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portico::core;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto day = parseDate(in)) {
    auto again = parseDate(dateText(*day));
    check(again && *again == *day);
  }
  if (auto m = parseClockTime(in)) {
    check(*m >= 0 && *m <= 24 * 60);
    auto again = parseClockTime(clockTimeText(*m));
    check(again && *again == *m);
  }
  if (size <= 64 && isTimeZone(in)) {
    BusinessCalendar c;
    c.time_zone = std::string(in);
    // One working hour on weekdays is found within a week, whatever the zone's rules.
    auto due = addWorkingSeconds(c, 1'780'000'000, 3600);
    check(due && *due > 1'780'000'000 && *due < 1'780'000'000 + 8 * 86400);
    check(workingSecondsBetween(c, 1'780'000'000, *due) == 3600);
  }
  return 0;
}
