#include "core/business_hours.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace portico::core {
namespace {

std::int64_t at(const char* rfc3339) { return *parseRfc3339(rfc3339); }

BusinessCalendar utcWeekdays() { return BusinessCalendar{}; }  // Mon–Fri 08:00–17:00 UTC

TEST(BusinessHoursTest, WorkingTimeSkipsNightsAndWeekends) {
  auto c = utcWeekdays();
  // Friday 2026-12-04 16:30: half an hour that day, the rest on Monday morning.
  EXPECT_EQ(addWorkingSeconds(c, at("2026-12-04T16:30:00Z"), 3600), at("2026-12-07T08:30:00Z"));
  // Before opening the clock starts at 08:00; on a Saturday it starts on Monday.
  EXPECT_EQ(addWorkingSeconds(c, at("2026-12-01T05:00:00Z"), 60), at("2026-12-01T08:01:00Z"));
  EXPECT_EQ(addWorkingSeconds(c, at("2026-12-05T12:00:00Z"), 9 * 3600), at("2026-12-07T17:00:00Z"));
  EXPECT_EQ(addWorkingSeconds(c, at("2026-12-05T12:00:00Z"), 0), at("2026-12-05T12:00:00Z"));
  // Friday 16:00 to Monday 10:00: one hour and two.
  EXPECT_EQ(workingSecondsBetween(c, at("2026-12-04T16:00:00Z"), at("2026-12-07T10:00:00Z")),
            3 * 3600);
  EXPECT_EQ(workingSecondsBetween(c, at("2026-12-05T00:00:00Z"), at("2026-12-06T23:59:59Z")), 0);
  EXPECT_EQ(workingSecondsBetween(c, at("2026-12-07T10:00:00Z"), at("2026-12-07T09:00:00Z")), 0);
  // A full week holds five working days.
  EXPECT_EQ(workingSecondsBetween(c, at("2026-11-30T00:00:00Z"), at("2026-12-07T00:00:00Z")),
            5 * 9 * 3600);
}

TEST(BusinessHoursTest, HolidaysAreNotWorked) {
  auto c = utcWeekdays();
  c.holidays = {*parseDate("2026-12-24"), *parseDate("2026-12-25")};
  // Wednesday 23rd 16:00, two hours: one that day, then Thursday and Friday are holidays.
  EXPECT_EQ(addWorkingSeconds(c, at("2026-12-23T16:00:00Z"), 2 * 3600), at("2026-12-28T09:00:00Z"));
  EXPECT_EQ(workingSecondsBetween(c, at("2026-12-23T00:00:00Z"), at("2026-12-29T00:00:00Z")),
            2 * 9 * 3600);  // Wednesday and Monday
}

TEST(BusinessHoursTest, HoursAreLocalAcrossAClockChange) {
  BusinessCalendar c;
  c.time_zone = "Europe/Stockholm";
  // Summer time begins on Sunday 2026-03-29: 08:00 is 07:00Z on Friday, 06:00Z on Monday.
  EXPECT_EQ(addWorkingSeconds(c, at("2026-03-27T07:00:00Z"), 9 * 3600), at("2026-03-27T16:00:00Z"));
  EXPECT_EQ(addWorkingSeconds(c, at("2026-03-27T07:00:00Z"), 10 * 3600),
            at("2026-03-30T07:00:00Z"));
  // Round the clock every day: that Sunday has 23 hours.
  c.work_days = 0x7F;
  c.day_start = 0;
  c.day_end = 24 * 60;
  EXPECT_EQ(workingSecondsBetween(c, at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")),
            23 * 3600);
  EXPECT_EQ(addWorkingSeconds(c, at("2026-03-28T23:00:00Z"), 23 * 3600),
            at("2026-03-29T22:00:00Z"));
}

TEST(BusinessHoursTest, AddingAndMeasuringAgree) {
  BusinessCalendar c;
  c.time_zone = "America/New_York";
  c.work_days = 0x3F;  // Monday to Saturday
  c.day_start = 7 * 60 + 30;
  c.day_end = 19 * 60;
  c.holidays = {*parseDate("2026-11-26")};
  auto from = at("2026-11-20T13:17:00Z");
  for (std::int64_t s : {1, 59, 3600, 41400, 100000, 400000, 2000000}) {
    auto due = addWorkingSeconds(c, from, s);
    ASSERT_TRUE(due) << s;
    EXPECT_EQ(workingSecondsBetween(c, from, *due), s) << s;
    EXPECT_EQ(workingSecondsBetween(c, from, *due - 1), s - 1) << s;
  }
}

TEST(BusinessHoursTest, ACalendarWithoutWorkingTimeHasNoDueTime) {
  BusinessCalendar none;
  none.work_days = 0;
  EXPECT_FALSE(isValidCalendar(none));
  EXPECT_EQ(addWorkingSeconds(none, at("2026-12-01T00:00:00Z"), 60), std::nullopt);
  EXPECT_EQ(workingSecondsBetween(none, 0, at("2026-12-01T00:00:00Z")), 0);
  BusinessCalendar backwards;
  backwards.day_start = 17 * 60;
  backwards.day_end = 8 * 60;
  EXPECT_FALSE(isValidCalendar(backwards));
  BusinessCalendar nowhere;
  nowhere.time_zone = "Mars/Olympus_Mons";
  EXPECT_FALSE(isValidCalendar(nowhere));
  EXPECT_FALSE(isTimeZone("../../etc/passwd"));
  EXPECT_TRUE(isTimeZone("Europe/Berlin"));
  // More working time than the horizon holds.
  EXPECT_EQ(addWorkingSeconds(utcWeekdays(), 0, std::int64_t{kCalendarHorizonDays} * 86400),
            std::nullopt);
}

TEST(BusinessHoursTest, TheUtcDateOfAMomentChangesAtMidnightUtc) {
  EXPECT_EQ(utcDateText(0), "1970-01-01");
  EXPECT_EQ(utcDateText(86399), "1970-01-01");
  EXPECT_EQ(utcDateText(86400), "1970-01-02");
  EXPECT_EQ(utcDateText(-1), "1969-12-31");  // floored, not truncated towards zero
  EXPECT_EQ(utcDateText(1'796'428'799), "2026-12-04");
}

TEST(BusinessHoursTest, DatesAndClockTimesParseStrictly) {
  EXPECT_EQ(parseDate("1970-01-02"), 1);
  EXPECT_EQ(dateText(*parseDate("2024-02-29")), "2024-02-29");
  EXPECT_EQ(parseDate("2026-02-29"), std::nullopt);
  EXPECT_EQ(parseDate("2026-1-01"), std::nullopt);
  EXPECT_EQ(parseDate("2026-01-01T"), std::nullopt);
  EXPECT_EQ(parseDate("+026-01-01"), std::nullopt);
  EXPECT_EQ(parseClockTime("08:30"), 510);
  EXPECT_EQ(parseClockTime("24:00"), 1440);
  EXPECT_EQ(parseClockTime("24:01"), std::nullopt);
  EXPECT_EQ(parseClockTime("7:00"), std::nullopt);
  EXPECT_EQ(parseClockTime("07:60"), std::nullopt);
  EXPECT_EQ(clockTimeText(510), "08:30");
  EXPECT_EQ(clockTimeText(1440), "24:00");
}

}  // namespace
}  // namespace portico::core
