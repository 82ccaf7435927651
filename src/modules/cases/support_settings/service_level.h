#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/business_hours.h"
#include "modules/cases/case.h"

namespace portico::cases {

// What the organization promises for a priority, in working minutes: the first public reply of
// staff and the resolution. nullopt: no promise.
struct Targets {
  std::optional<std::int64_t> first_response_minutes;
  std::optional<std::int64_t> resolution_minutes;
};
inline constexpr std::int64_t kMaxTargetMinutes = 60 * 24 * 365;

struct Holiday {
  std::int32_t day = 0;  // days since 1970-01-01 (core::parseDate)
  std::string name;
};

// An organization's support settings: its working calendar, its targets per priority (indexed by
// priorityRank: low, normal, high, urgent), and the address new cases are announced to.
struct SupportSettings {
  core::BusinessCalendar calendar;  // holidays filled from `holidays`
  std::vector<Holiday> holidays;    // by date
  std::array<Targets, 4> targets;
  std::string support_email;
  const Targets& targetsFor(std::string_view priority) const {
    return targets[static_cast<std::size_t>(priorityRank(priority))];
  }
};
inline constexpr std::size_t kMaxHolidays = 200;

// True while the clock runs (new, open); it stands while the case waits and stops once it is
// resolved or closed.
bool clockRuns(Status s);

// Moves a case's clock (Case::clock) to `now`, when the case goes from `from` to its current
// status and priority (from == c.status for a change of priority or a reply), counting the
// working time since it last started. `responded`: staff's first public reply is now. Marks a
// target whose due time has passed as breached at that time; computes the due times of the
// targets still pending while the clock runs (nullopt while it stands or without a target), and
// keeps those of targets met or breached. A target lowered below the time already worked is
// breached now.
void advanceClock(Case& c, const SupportSettings& s, Status from, bool responded, std::int64_t now);

// The targets as they stand at `now`, for a case whose priority has the targets `t`.
TargetView firstResponseView(const Case& c, const Targets& t, std::int64_t now);
TargetView resolutionView(const Case& c, const Targets& t, std::int64_t now);
// Both, for the staff side of a case.
ServiceLevel serviceLevel(const Case& c, const SupportSettings& s, std::int64_t now);

}  // namespace portico::cases
