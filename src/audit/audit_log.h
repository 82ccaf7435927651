#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "storage/db.h"

namespace portico::audit {

// Who did it, from where: carried from the request into every audited use case.
struct Actor {
  std::optional<core::UserId> user;
  std::string ip;
  std::string request_id;
};

struct Entry {
  std::string event;                    // "login.succeeded", "mfa.totp.enrolled", …
  std::optional<core::UserId> subject;  // the user the event is about, if not the actor
  std::optional<core::OrgId> org;
  std::optional<core::CompanyId> company;
  std::string detail_json = "{}";  // extra facts; never a secret
};

struct Record {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string event;
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::int64_t> subject_user_id;
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> company_id;
  std::string ip;
  std::string request_id;
  std::string detail_json;
};

// The audit log of security events. Writes join the caller's transaction when one is open, so an
// event is recorded exactly when its change commits. Thread-safe.
class AuditLog {
 public:
  AuditLog(storage::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  void record(const Actor& actor, const Entry& entry);
  // Newest first, events about or by `user`, at most `limit`.
  std::vector<Record> forUser(core::UserId user, int limit);
  // A company's events, newest first, older than `before_id` (0: from the newest), filtered by
  // event prefix (may be empty) and time range [since, until). At most `limit`. Sign-in and 2FA
  // events ("login.", "mfa.") by or about its current members are the company's too.
  std::vector<Record> forCompany(core::CompanyId company, const std::string& event_prefix,
                                 std::int64_t since, std::int64_t until, std::int64_t before_id,
                                 int limit);
  // An organization's events (its own, those of its companies, and the sign-in and 2FA events by
  // or about its staff, its companies' members and its agents' users), newest first, with the
  // optional filters of forCompany plus one company and one actor.
  std::vector<Record> forOrg(core::OrgId org, std::optional<core::CompanyId> company,
                             std::optional<core::UserId> actor, const std::string& event_prefix,
                             std::int64_t since, std::int64_t until, std::int64_t before_id,
                             int limit);
  // Newest first; `event_prefix` filters ("login." matches all login events).
  std::vector<Record> search(const std::string& event_prefix, int limit);

 private:
  storage::Db& db_;
  const core::Clock& clock_;
};

}  // namespace portico::audit
