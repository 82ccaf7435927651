#include "modules/cases/support_settings/service_level.h"

#include <algorithm>

namespace portico::cases {
namespace {

bool stopped(Status s) { return s == Status::Resolved || s == Status::Closed; }

// A pending target's due time that has passed becomes its breach.
void markBreach(const std::optional<std::int64_t>& due, std::optional<std::int64_t>& breached,
                std::int64_t now) {
  if (due && *due <= now && !breached) breached = *due;
}

// The due time of a pending target with `minutes` while the clock runs from `now`, having
// counted `elapsed` already; a target already passed is breached now.
std::optional<std::int64_t> dueFrom(const SupportSettings& s,
                                    const std::optional<std::int64_t>& minutes,
                                    std::int64_t elapsed, std::int64_t now,
                                    std::optional<std::int64_t>& breached) {
  if (!minutes) return std::nullopt;
  auto left = *minutes * 60 - elapsed;
  if (left <= 0) {
    breached = now;
    return now;
  }
  return core::addWorkingSeconds(s.calendar, now, left);
}

}  // namespace

bool clockRuns(Status s) { return s == Status::New || s == Status::Open; }

void advanceClock(Case& c, const SupportSettings& s, Status from, bool responded,
                  std::int64_t now) {
  auto& k = c.clock;
  if (k.since) k.elapsed += core::workingSecondsBetween(s.calendar, *k.since, now);
  bool response_pending = !k.first_response_at && !stopped(from);
  if (response_pending) markBreach(k.first_response_due, k.first_response_breached, now);
  if (!stopped(from)) markBreach(k.resolution_due, k.resolution_breached, now);
  if (responded && !k.first_response_at) k.first_response_at = now;

  bool runs = clockRuns(c.status);
  k.since = runs ? std::optional<std::int64_t>(now) : std::nullopt;
  const auto& t = s.targetsFor(c.priority);
  // The first response is pending until staff reply (or the case is resolved without one).
  if (!k.first_response_at && !stopped(c.status)) {
    if (k.first_response_breached) {
      k.first_response_due = k.first_response_breached;
    } else {
      k.first_response_due =
          runs ? dueFrom(s, t.first_response_minutes, k.elapsed, now, k.first_response_breached)
               : std::nullopt;
    }
  }
  if (!stopped(c.status)) {
    if (k.resolution_breached) {
      k.resolution_due = k.resolution_breached;
    } else {
      k.resolution_due =
          runs ? dueFrom(s, t.resolution_minutes, k.elapsed, now, k.resolution_breached)
               : std::nullopt;
    }
  }
  k.next_due.reset();
  if (runs) {
    if (!k.first_response_at && k.first_response_due) k.next_due = k.first_response_due;
    if (k.resolution_due) {
      k.next_due = k.next_due ? std::min(*k.next_due, *k.resolution_due) : *k.resolution_due;
    }
  }
}

std::string_view targetStateName(TargetState s) {
  switch (s) {
    case TargetState::Pending:
      return "pending";
    case TargetState::Paused:
      return "paused";
    case TargetState::Met:
      return "met";
    case TargetState::Breached:
      return "breached";
    case TargetState::None:
      break;
  }
  return "none";
}

namespace {

// When a resolved or closed case stopped: its resolution, or its closing (a case closed straight
// from open has no resolution); nullopt while it runs or waits.
std::optional<std::int64_t> endOf(const Case& c) {
  if (!stopped(c.status)) return std::nullopt;
  return c.resolved_at ? c.resolved_at : c.closed_at;
}

TargetView view(bool done, std::optional<std::int64_t> done_at, std::optional<std::int64_t> due,
                std::optional<std::int64_t> breached, bool runs, bool target, std::int64_t now) {
  TargetView v;
  v.due_at = due;
  v.done_at = done_at;
  if (!breached && !done && runs && due && *due <= now) breached = due;
  v.breached_at = breached;
  if (breached) {
    v.state = TargetState::Breached;
  } else if (done) {
    // Done in time: also when it was done while the clock stood (no due time then).
    v.state = due || target ? TargetState::Met : TargetState::None;
  } else if (due) {
    v.state = TargetState::Pending;
  } else {
    v.state = !runs && target ? TargetState::Paused : TargetState::None;
  }
  return v;
}

}  // namespace

TargetView firstResponseView(const Case& c, const Targets& t, std::int64_t now) {
  const auto& k = c.clock;
  bool done = k.first_response_at.has_value() || stopped(c.status);
  // Without a reply, a case resolved or closed is done with its first response then.
  auto done_at = k.first_response_at ? k.first_response_at : endOf(c);
  return view(done, done_at, k.first_response_due, k.first_response_breached, clockRuns(c.status),
              t.first_response_minutes.has_value(), now);
}

TargetView resolutionView(const Case& c, const Targets& t, std::int64_t now) {
  const auto& k = c.clock;
  bool done = stopped(c.status);
  return view(done, endOf(c), k.resolution_due, k.resolution_breached, clockRuns(c.status),
              t.resolution_minutes.has_value(), now);
}

ServiceLevel serviceLevel(const Case& c, const SupportSettings& s, std::int64_t now) {
  const auto& t = s.targetsFor(c.priority);
  return {firstResponseView(c, t, now), resolutionView(c, t, now)};
}

}  // namespace portico::cases
