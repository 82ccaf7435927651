#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "identity/user.h"
#include "storage/db.h"

namespace portico::identity {

struct SignupLink {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string email;
  std::string purpose;  // "org_admin" | "company_admin"
  std::optional<std::int64_t> company_id;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};

struct SmsChallenge {
  std::int64_t id = 0;
  std::string phone;
  std::string code_hash;
  std::int64_t expires_at = 0;
};

// Storage of logins, sessions, second factors and one-time tokens (the throttle's counters are in
// ThrottleRepository). Plain data access: every rule lives in IdentityService. Uses the calling
// thread's connection, so calls join the caller's open transaction.
class IdentityRepository {
 public:
  explicit IdentityRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // Users
  std::optional<User> findUserByEmail(const std::string& lower_email);
  std::optional<User> findUser(core::UserId id);
  // Fails with Conflict if the e-mail is taken.
  core::Result<core::UserId> insertUser(const NewUser& user, std::int64_t now);
  void setPassword(core::UserId id, const std::string& hash, std::int64_t now);
  void setProfile(core::UserId id, const std::string& first, const std::string& last,
                  const std::string& language);
  void setLastLogin(core::UserId id, std::int64_t now);
  void setTotpPending(core::UserId id, const std::optional<std::string>& encrypted);
  void confirmTotp(core::UserId id, const std::string& encrypted, std::int64_t step);
  // Moves totp_last_step forward to `step`; false if it is not ahead (a replayed code).
  bool advanceTotpStep(core::UserId id, std::int64_t step);
  void setSmsPhone(core::UserId id, const std::optional<std::string>& phone);
  void setStatus(core::UserId id, UserStatus status);
  // True if the user is an organization's staff or (later) a company member only of
  // organizations that do not require 2FA. Users with no organization need 2FA.
  bool mfaRequired(core::UserId id);

  // Recovery codes
  void replaceRecoveryCodes(core::UserId id, const std::vector<std::string>& hashes);
  // Marks the unused code with that hash used; false if none.
  bool useRecoveryCode(core::UserId id, const std::string& hash, std::int64_t now);
  int unusedRecoveryCodes(core::UserId id);

  // Sessions
  core::SessionId insertSession(const Session& s, const std::string& token_hash);
  std::optional<Principal> findPrincipal(const std::string& token_hash);
  void touchSession(core::SessionId id, std::int64_t now);
  // Only while the session is still `user`'s (an id of an ended session may be reused).
  void setSessionNotice(core::SessionId id, core::UserId user,
                        const std::optional<std::string>& notice);
  // Marks the session's second factor done at `now` (its step-up time too), with a new token
  // hash for a web session.
  void completeMfa(core::SessionId id, const std::optional<std::string>& new_token_hash,
                   std::int64_t now);
  // A second factor entered again in the session (a step-up).
  void stepUp(core::SessionId id, std::int64_t now);
  // Whether the organization asks for a step-up before sensitive actions (on unless turned off).
  bool orgStepUp(core::OrgId org);
  void setOrgStepUp(core::OrgId org, bool on);
  void deleteSession(core::SessionId id);
  // Ends one session of the user; false if the user has no such session.
  bool deleteUserSession(core::UserId user, core::SessionId id);
  void deleteUserSessions(core::UserId user);
  std::vector<Session> listSessions(core::UserId user);
  // Deletes the oldest sessions of `user` beyond `keep`.
  void trimSessions(core::UserId user, int keep);

  // Notification preferences: only the kinds a user has set are stored (every kind is on by
  // default). The kinds the user has set, with their value.
  std::map<std::string, bool> notificationPreferences(core::UserId user);
  // The stored value for one kind, if the user has set it.
  std::optional<bool> notificationPreference(core::UserId user, const std::string& kind);
  void setNotificationPreference(core::UserId user, const std::string& kind, bool enabled);

  // Staff and organizations
  core::Result<core::OrgId> insertOrganization(const std::string& name, std::int64_t now);
  std::optional<core::OrgId> findOrganization(const std::string& name);
  void addStaff(core::OrgId org, core::UserId user, const std::string& role, std::int64_t now);

  // Signup links
  void insertSignupLink(const SignupLink& link, const std::string& token_hash, std::int64_t now);
  std::optional<SignupLink> findSignupLink(const std::string& token_hash);
  // Ends the unused links of that company and e-mail (a new one replaces them).
  void expireSignupLinks(core::CompanyId company, const std::string& email, std::int64_t now);
  // Marks it used by `user`; false if it was used already (a concurrent signup won).
  bool useSignupLink(std::int64_t id, core::UserId user, std::int64_t now);

  // Password resets
  void insertPasswordReset(core::UserId user, const std::string& token_hash, std::int64_t now,
                           std::int64_t expires_at);
  // The user of an unused, unexpired reset token, marking it used.
  std::optional<core::UserId> usePasswordReset(const std::string& token_hash, std::int64_t now);

  // SMS challenges
  void insertSmsChallenge(core::UserId user, core::SessionId session, const std::string& purpose,
                          const std::string& phone, const std::string& code_hash, std::int64_t now,
                          std::int64_t expires_at);
  // The newest unused, unexpired challenge of that session and purpose.
  std::optional<SmsChallenge> findSmsChallenge(core::SessionId session, const std::string& purpose,
                                               std::int64_t now);
  bool useSmsChallenge(std::int64_t id, std::int64_t now);

 private:
  storage::Db& db_;
};

}  // namespace portico::identity
