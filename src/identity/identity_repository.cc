#include "identity/identity_repository.h"

namespace portico::identity {
namespace {

using storage::Query;

constexpr std::string_view kFindUserByEmail =
    "SELECT id, email, password_hash, first_name, last_name, language, status, totp_secret,"
    " totp_pending_secret, totp_last_step, sms_phone, created_at, last_login_at"
    " FROM users WHERE email = ?";
constexpr std::string_view kFindUser =
    "SELECT id, email, password_hash, first_name, last_name, language, status, totp_secret,"
    " totp_pending_secret, totp_last_step, sms_phone, created_at, last_login_at"
    " FROM users WHERE id = ?";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (email, password_hash, first_name, last_name, language, status,"
    " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?";
constexpr std::string_view kSetProfile =
    "UPDATE users SET first_name = ?, last_name = ?, language = ? WHERE id = ?";
constexpr std::string_view kSetLastLogin = "UPDATE users SET last_login_at = ? WHERE id = ?";
constexpr std::string_view kSetTotpPending =
    "UPDATE users SET totp_pending_secret = ? WHERE id = ?";
constexpr std::string_view kConfirmTotp =
    "UPDATE users SET totp_secret = ?, totp_pending_secret = NULL, totp_last_step = ? WHERE id = ?";
constexpr std::string_view kAdvanceStep =
    "UPDATE users SET totp_last_step = ? WHERE id = ?"
    " AND (totp_last_step IS NULL OR totp_last_step < ?)";
constexpr std::string_view kSetSmsPhone = "UPDATE users SET sms_phone = ? WHERE id = ?";
constexpr std::string_view kSetStatus = "UPDATE users SET status = ? WHERE id = ?";
constexpr std::string_view kMfaOptional =
    "SELECT COUNT(*), COALESCE(SUM(o.require_mfa), 0) FROM staff_members s"
    " JOIN organizations o ON o.id = s.org_id WHERE s.user_id = ?";

constexpr std::string_view kDeleteRecovery = "DELETE FROM recovery_codes WHERE user_id = ?";
constexpr std::string_view kInsertRecovery =
    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)";
constexpr std::string_view kUseRecovery =
    "UPDATE recovery_codes SET used_at = ? WHERE id = (SELECT id FROM recovery_codes"
    " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1)";
constexpr std::string_view kCountRecovery =
    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL";

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (user_id, token_hash, kind, mfa_done, csrf_token, created_at,"
    " last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindPrincipal =
    "SELECT s.id, s.user_id, s.kind, s.mfa_done, s.csrf_token, s.created_at, s.last_seen_at,"
    " s.ip, s.user_agent, u.email, u.first_name, u.last_name, u.language, u.status,"
    " u.totp_secret IS NOT NULL, u.sms_phone, u.created_at,"
    " (SELECT value FROM access_version WHERE id = 1), s.notice, s.step_up_at"
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";
constexpr std::string_view kSetSessionNotice =
    "UPDATE sessions SET notice = ? WHERE id = ? AND user_id = ?";
constexpr std::string_view kTouchSession = "UPDATE sessions SET last_seen_at = ? WHERE id = ?";
constexpr std::string_view kCompleteMfa =
    "UPDATE sessions SET mfa_done = 1, token_hash = COALESCE(?, token_hash), step_up_at = ?"
    " WHERE id = ?";
constexpr std::string_view kStepUp = "UPDATE sessions SET step_up_at = ? WHERE id = ?";
constexpr std::string_view kOrgStepUp = "SELECT step_up FROM organizations WHERE id = ?";
constexpr std::string_view kSetOrgStepUp = "UPDATE organizations SET step_up = ? WHERE id = ?";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id = ?";
constexpr std::string_view kDeleteUserSession = "DELETE FROM sessions WHERE id = ? AND user_id = ?";
constexpr std::string_view kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ?";
constexpr std::string_view kListSessions =
    "SELECT id, user_id, kind, mfa_done, csrf_token, created_at, last_seen_at, ip, user_agent"
    " FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, id DESC";
constexpr std::string_view kTrimSessions =
    "DELETE FROM sessions WHERE user_id = ? AND id NOT IN (SELECT id FROM sessions"
    " WHERE user_id = ? ORDER BY id DESC LIMIT ?)";

constexpr std::string_view kListNotificationPrefs =
    "SELECT kind, enabled FROM notification_preferences WHERE user_id = ?";
constexpr std::string_view kFindNotificationPref =
    "SELECT enabled FROM notification_preferences WHERE user_id = ? AND kind = ?";
constexpr std::string_view kSetNotificationPref =
    "INSERT INTO notification_preferences (user_id, kind, enabled) VALUES (?, ?, ?)"
    " ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled";

constexpr std::string_view kInsertOrg =
    "INSERT INTO organizations (name, require_mfa, created_at) VALUES (?, 1, ?)";
constexpr std::string_view kFindOrg = "SELECT id FROM organizations WHERE name = ?";
constexpr std::string_view kAddStaff =
    "INSERT INTO staff_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role";

constexpr std::string_view kInsertSignup =
    "INSERT INTO signup_links (org_id, email, token_hash, purpose, company_id, created_at,"
    " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindSignup =
    "SELECT id, org_id, email, purpose, company_id, expires_at, used_at FROM signup_links"
    " WHERE token_hash = ?";
constexpr std::string_view kUseSignup =
    "UPDATE signup_links SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL";

constexpr std::string_view kExpireSignups =
    "UPDATE signup_links SET expires_at = ? WHERE company_id = ? AND email = ? AND used_at IS NULL"
    " AND expires_at > ?";

constexpr std::string_view kInsertReset =
    "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)";
constexpr std::string_view kFindReset =
    "SELECT id, user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL"
    " AND expires_at > ?";
constexpr std::string_view kUseReset =
    "UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL";

constexpr std::string_view kInsertSms =
    "INSERT INTO sms_challenges (user_id, session_id, purpose, phone, code_hash, created_at,"
    " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindSms =
    "SELECT id, phone, code_hash, expires_at FROM sms_challenges WHERE session_id = ?"
    " AND purpose = ? AND used_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1";
constexpr std::string_view kUseSms =
    "UPDATE sms_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL";

std::string_view statusName(UserStatus s) {
  switch (s) {
    case UserStatus::Invited:
      return "invited";
    case UserStatus::Disabled:
      return "disabled";
    case UserStatus::Active:
      return "active";
  }
  return "active";
}

UserStatus statusFrom(const std::string& s) {
  if (s == "invited") return UserStatus::Invited;
  if (s == "disabled") return UserStatus::Disabled;
  return UserStatus::Active;
}

User readUser(Query& q) {
  User u;
  u.id = core::UserId{q.getInt(0)};
  u.email = q.getText(1);
  u.password_hash = q.getOptText(2);
  u.first_name = q.getText(3);
  u.last_name = q.getText(4);
  u.language = q.getText(5);
  u.status = statusFrom(q.getText(6));
  u.totp_secret = q.getOptText(7);
  u.totp_pending_secret = q.getOptText(8);
  u.totp_last_step = q.getOptInt(9);
  u.sms_phone = q.getOptText(10);
  u.created_at = q.getInt(11);
  u.last_login_at = q.getOptInt(12);
  return u;
}

Session readSession(Query& q) {
  Session s;
  s.id = core::SessionId{q.getInt(0)};
  s.user_id = core::UserId{q.getInt(1)};
  s.kind = q.getText(2) == "web" ? SessionKind::Web : SessionKind::Api;
  s.mfa_done = q.getInt(3) != 0;
  s.csrf_token = q.getText(4);
  s.created_at = q.getInt(5);
  s.last_seen_at = q.getInt(6);
  s.ip = q.getText(7);
  s.user_agent = q.getText(8);
  return s;
}

}  // namespace

std::optional<User> IdentityRepository::findUserByEmail(const std::string& email) {
  Query q(conn(), kFindUserByEmail);
  q.bind(email);
  if (!q.next()) return std::nullopt;
  return readUser(q);
}

std::optional<User> IdentityRepository::findUser(core::UserId id) {
  Query q(conn(), kFindUser);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  return readUser(q);
}

core::Result<core::UserId> IdentityRepository::insertUser(const NewUser& u, std::int64_t now) {
  try {
    Query(conn(), kInsertUser)
        .bind(u.email, u.password_hash, u.first_name, u.last_name, u.language, now, now)
        .run();
  } catch (const storage::ConstraintError&) {
    return core::fail(core::Error::conflict("errors.identity.email_taken"));
  }
  return core::UserId{conn().lastInsertId()};
}

void IdentityRepository::setPassword(core::UserId id, const std::string& hash, std::int64_t now) {
  Query(conn(), kSetPassword).bind(hash, now, id.value).run();
}

void IdentityRepository::setProfile(core::UserId id, const std::string& first,
                                    const std::string& last, const std::string& language) {
  Query(conn(), kSetProfile).bind(first, last, language, id.value).run();
}

void IdentityRepository::setLastLogin(core::UserId id, std::int64_t now) {
  Query(conn(), kSetLastLogin).bind(now, id.value).run();
}

void IdentityRepository::setTotpPending(core::UserId id, const std::optional<std::string>& enc) {
  Query(conn(), kSetTotpPending).bind(enc, id.value).run();
}

void IdentityRepository::confirmTotp(core::UserId id, const std::string& enc, std::int64_t step) {
  Query(conn(), kConfirmTotp).bind(enc, step, id.value).run();
}

bool IdentityRepository::advanceTotpStep(core::UserId id, std::int64_t step) {
  Query(conn(), kAdvanceStep).bind(step, id.value, step).run();
  return conn().changes() == 1;
}

void IdentityRepository::setSmsPhone(core::UserId id, const std::optional<std::string>& phone) {
  Query(conn(), kSetSmsPhone).bind(phone, id.value).run();
}

void IdentityRepository::setStatus(core::UserId id, UserStatus status) {
  Query(conn(), kSetStatus).bind(statusName(status), id.value).run();
}

bool IdentityRepository::mfaRequired(core::UserId id) {
  Query q(conn(), kMfaOptional);
  q.bind(id.value);
  q.next();
  auto orgs = q.getInt(0);
  auto requiring = q.getInt(1);
  return orgs == 0 || requiring > 0;
}

void IdentityRepository::replaceRecoveryCodes(core::UserId id,
                                              const std::vector<std::string>& hashes) {
  Query(conn(), kDeleteRecovery).bind(id.value).run();
  for (const auto& h : hashes) {
    Query(conn(), kInsertRecovery).bind(id.value, h).run();
  }
}

bool IdentityRepository::useRecoveryCode(core::UserId id, const std::string& hash,
                                         std::int64_t now) {
  Query(conn(), kUseRecovery).bind(now, id.value, hash).run();
  return conn().changes() == 1;
}

int IdentityRepository::unusedRecoveryCodes(core::UserId id) {
  Query q(conn(), kCountRecovery);
  q.bind(id.value);
  q.next();
  return static_cast<int>(q.getInt(0));
}

core::SessionId IdentityRepository::insertSession(const Session& s, const std::string& token_hash) {
  Query(conn(), kInsertSession)
      .bind(s.user_id.value, token_hash, s.kind == SessionKind::Web ? "web" : "api", s.mfa_done,
            s.csrf_token, s.created_at, s.last_seen_at, s.ip, s.user_agent)
      .run();
  return core::SessionId{conn().lastInsertId()};
}

std::optional<Principal> IdentityRepository::findPrincipal(const std::string& token_hash) {
  Query q(conn(), kFindPrincipal);
  q.bind(token_hash);
  if (!q.next()) return std::nullopt;
  Principal p;
  p.session = readSession(q);
  p.user.id = p.session.user_id;
  p.user.email = q.getText(9);
  p.user.first_name = q.getText(10);
  p.user.last_name = q.getText(11);
  p.user.language = q.getText(12);
  p.user.status = statusFrom(q.getText(13));
  if (q.getInt(14) != 0) {
    p.user.totp_secret = std::string();  // present; the secret itself is not loaded here
  }
  p.user.sms_phone = q.getOptText(15);
  p.user.created_at = q.getInt(16);
  p.access_version = q.getInt(17);
  p.session.notice = q.getOptText(18).value_or("");
  p.session.step_up_at = q.getInt(19);
  return p;
}

void IdentityRepository::setSessionNotice(core::SessionId id, core::UserId user,
                                          const std::optional<std::string>& notice) {
  Query(conn(), kSetSessionNotice).bind(notice, id.value, user.value).run();
}

void IdentityRepository::touchSession(core::SessionId id, std::int64_t now) {
  Query(conn(), kTouchSession).bind(now, id.value).run();
}

void IdentityRepository::completeMfa(core::SessionId id,
                                     const std::optional<std::string>& new_token_hash,
                                     std::int64_t now) {
  Query(conn(), kCompleteMfa).bind(new_token_hash, now, id.value).run();
}

void IdentityRepository::stepUp(core::SessionId id, std::int64_t now) {
  Query(conn(), kStepUp).bind(now, id.value).run();
}

bool IdentityRepository::orgStepUp(core::OrgId org) {
  Query q(conn(), kOrgStepUp);
  q.bind(org.value);
  return !q.next() || q.getInt(0) != 0;
}

void IdentityRepository::setOrgStepUp(core::OrgId org, bool on) {
  Query(conn(), kSetOrgStepUp).bind(on, org.value).run();
}

void IdentityRepository::deleteSession(core::SessionId id) {
  Query(conn(), kDeleteSession).bind(id.value).run();
}

bool IdentityRepository::deleteUserSession(core::UserId user, core::SessionId id) {
  Query(conn(), kDeleteUserSession).bind(id.value, user.value).run();
  return conn().changes() == 1;
}

void IdentityRepository::deleteUserSessions(core::UserId user) {
  Query(conn(), kDeleteUserSessions).bind(user.value).run();
}

std::vector<Session> IdentityRepository::listSessions(core::UserId user) {
  Query q(conn(), kListSessions);
  q.bind(user.value);
  std::vector<Session> out;
  while (q.next()) out.push_back(readSession(q));
  return out;
}

void IdentityRepository::trimSessions(core::UserId user, int keep) {
  Query(conn(), kTrimSessions).bind(user.value, user.value, keep).run();
}

std::map<std::string, bool> IdentityRepository::notificationPreferences(core::UserId user) {
  Query q(conn(), kListNotificationPrefs);
  q.bind(user.value);
  std::map<std::string, bool> out;
  while (q.next()) out[q.getText(0)] = q.getInt(1) != 0;
  return out;
}

std::optional<bool> IdentityRepository::notificationPreference(core::UserId user,
                                                               const std::string& kind) {
  Query q(conn(), kFindNotificationPref);
  q.bind(user.value, kind);
  if (!q.next()) return std::nullopt;
  return q.getInt(0) != 0;
}

void IdentityRepository::setNotificationPreference(core::UserId user, const std::string& kind,
                                                   bool enabled) {
  Query(conn(), kSetNotificationPref).bind(user.value, kind, enabled).run();
}

core::Result<core::OrgId> IdentityRepository::insertOrganization(const std::string& name,
                                                                 std::int64_t now) {
  try {
    Query(conn(), kInsertOrg).bind(name, now).run();
  } catch (const storage::ConstraintError&) {
    return core::fail(core::Error::conflict("errors.identity.organization_exists"));
  }
  return core::OrgId{conn().lastInsertId()};
}

std::optional<core::OrgId> IdentityRepository::findOrganization(const std::string& name) {
  Query q(conn(), kFindOrg);
  q.bind(name);
  if (!q.next()) return std::nullopt;
  return core::OrgId{q.getInt(0)};
}

void IdentityRepository::addStaff(core::OrgId org, core::UserId user, const std::string& role,
                                  std::int64_t now) {
  Query(conn(), kAddStaff).bind(org.value, user.value, role, now).run();
}

void IdentityRepository::insertSignupLink(const SignupLink& l, const std::string& token_hash,
                                          std::int64_t now) {
  Query(conn(), kInsertSignup)
      .bind(l.org_id.value, l.email, token_hash, l.purpose, l.company_id, now, l.expires_at)
      .run();
}

std::optional<SignupLink> IdentityRepository::findSignupLink(const std::string& token_hash) {
  Query q(conn(), kFindSignup);
  q.bind(token_hash);
  if (!q.next()) return std::nullopt;
  return SignupLink{q.getInt(0),   core::OrgId{q.getInt(1)}, q.getText(2),
                    q.getText(3),  q.getOptInt(4),           q.getInt(5),
                    q.getOptInt(6)};
}

bool IdentityRepository::useSignupLink(std::int64_t id, core::UserId user, std::int64_t now) {
  Query(conn(), kUseSignup).bind(now, user.value, id).run();
  return conn().changes() == 1;
}

void IdentityRepository::expireSignupLinks(core::CompanyId company, const std::string& email,
                                           std::int64_t now) {
  Query(conn(), kExpireSignups).bind(now, company.value, email, now).run();
}

void IdentityRepository::insertPasswordReset(core::UserId user, const std::string& token_hash,
                                             std::int64_t now, std::int64_t expires_at) {
  Query(conn(), kInsertReset).bind(user.value, token_hash, now, expires_at).run();
}

std::optional<core::UserId> IdentityRepository::usePasswordReset(const std::string& token_hash,
                                                                 std::int64_t now) {
  std::int64_t id = 0;
  std::int64_t user = 0;
  {
    Query q(conn(), kFindReset);
    q.bind(token_hash, now);
    if (!q.next()) return std::nullopt;
    id = q.getInt(0);
    user = q.getInt(1);
  }
  Query(conn(), kUseReset).bind(now, id).run();
  if (conn().changes() != 1) return std::nullopt;
  return core::UserId{user};
}

void IdentityRepository::insertSmsChallenge(core::UserId user, core::SessionId session,
                                            const std::string& purpose, const std::string& phone,
                                            const std::string& code_hash, std::int64_t now,
                                            std::int64_t expires_at) {
  Query(conn(), kInsertSms)
      .bind(user.value, session.value, purpose, phone, code_hash, now, expires_at)
      .run();
}

std::optional<SmsChallenge> IdentityRepository::findSmsChallenge(core::SessionId session,
                                                                 const std::string& purpose,
                                                                 std::int64_t now) {
  Query q(conn(), kFindSms);
  q.bind(session.value, purpose, now);
  if (!q.next()) return std::nullopt;
  return SmsChallenge{q.getInt(0), q.getText(1), q.getText(2), q.getInt(3)};
}

bool IdentityRepository::useSmsChallenge(std::int64_t id, std::int64_t now) {
  Query(conn(), kUseSms).bind(now, id).run();
  return conn().changes() == 1;
}

}  // namespace portico::identity
