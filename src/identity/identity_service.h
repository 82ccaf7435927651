#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "identity/identity_repository.h"
#include "identity/mail_history_repository.h"
#include "identity/notifications.h"
#include "identity/password.h"
#include "identity/secret_box.h"
#include "identity/step_up.h"
#include "identity/throttle.h"
#include "jobs/queue.h"
#include "notify/mailer.h"
#include "notify/sms.h"
#include "web/views.h"

namespace portico::identity {

// Time limits and counters of sign-in; defaults follow SECURITY.md §(b).
struct IdentityLimits {
  int session_idle_s = 30 * 60;
  int step_up_s = 5 * 60;  // a second factor lets a session do what needs a step-up this long
  int session_absolute_s = 12 * 60 * 60;
  int pending_mfa_s = 10 * 60;     // a password-only session must finish 2FA within this
  int max_sessions_per_user = 10;  // the oldest is ended beyond it
  int reset_token_s = 60 * 60;
  int signup_link_s = 7 * 24 * 60 * 60;
  int sms_code_s = 5 * 60;
  int account_failures_to_lock = 10;  // within lock_window_s
  int lock_window_s = 15 * 60;        // and the lock lasts until the window has passed
  // From this many consecutive failures within lock_window_s, the next attempt is not evaluated
  // until first_delay_s has fully passed since the last failure (exact time, not whole seconds),
  // doubling with each further failure (1, 2, 4, 8, 16 s before the lock at 10), at most
  // max_delay_s.
  int account_failures_to_delay = 5;
  int first_delay_s = 1;
  int max_delay_s = 60;
  int ip_failures = 30;  // within ip_window_s
  int ip_window_s = 5 * 60;
  int sms_per_user = 3;  // within 15 minutes
  int sms_per_phone_per_hour = 10;
  int resets_per_ip = 10;       // within 15 minutes
  int recent_auth_s = 15 * 60;  // factor changes need a sign-in at most this old
  ActionLimits actions;         // mail-sending and heavy actions (the Throttle's)
};

enum class MfaStep { Verify, Enroll, None };
std::string_view mfaStepName(MfaStep step);

struct LoginResult {
  std::string token;  // the session token (bearer, or the cookie's value)
  MfaStep mfa = MfaStep::Verify;
  Principal principal;
};

struct TotpEnrolment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
};

// Where a request comes from: for throttling and the audit log.
struct Origin {
  std::string ip;
  std::string user_agent;
  std::string request_id;
};

// The outcome of a confirmed enrolment: the new recovery codes, and for a web session that just
// completed 2FA its rotated cookie value ("" otherwise).
struct Enrolled {
  std::vector<std::string> recovery_codes;
  std::string token;
};

struct SignupInfo {
  std::string email;
  std::string organization;
};

// Grants what a signup link promises once someone registers through it or takes it with an
// existing login (a company administrator's membership); implemented by the access layer. Runs
// inside the signup's transaction.
class SignupGrants {
 public:
  virtual ~SignupGrants() = default;
  virtual void grant(const SignupLink& link, core::UserId user) = 0;
};

// The use cases of identity: sign-in with a second factor, sessions, password reset, admin
// signup links, profile. Every outcome is audited. Thread-safe; blocking (password hashing):
// call from worker threads.
// The kinds of the jobs this service queues; their payloads are sealed with the secret box.
inline constexpr std::string_view kMailJob = "mail";  // {to, template, subject, text, html}
inline constexpr std::string_view kSmsJob = "sms";    // {to, text}
inline constexpr std::string_view kPasswordResetJob = "password_reset";  // {email, ip, request_id}

class IdentityService : public StepUp {
 public:
  IdentityService(IdentityRepository& repo, Throttle& throttle, audit::AuditLog& audit,
                  const core::Clock& clock, const PasswordHasher& hasher, const SecretBox& secrets,
                  jobs::Queue& jobs, MailHistoryRepository& mail_history, const web::Views& views,
                  std::string public_url, IdentityLimits limits = {});

  // Checks e-mail and password. Unauthenticated (one message for every wrong combination),
  // RateLimited when the account or the address has failed too often or the account's delay
  // has not passed (unknown e-mails are counted and delayed the same way), InvalidInput when the
  // password is not UTF-8.
  core::Result<LoginResult> login(const std::string& email, const std::string& password,
                                  SessionKind kind, const Origin& origin);
  // The principal of a session token, if the session is alive (idle and absolute limits; a
  // session still waiting for 2FA expires sooner) and of `kind`: a web session answers only
  // through its cookie, an API session only as a bearer token, so that neither value works in
  // the other's place. Disabled users have no principal.
  std::optional<Principal> authenticate(const std::string& token, SessionKind kind);
  // Keeps `notice` with the session for the next page to say once (nullopt: it has been said).
  void setNotice(const Session& session, const std::optional<core::Message>& notice);
  // The notice kept with a session, if any (a value that does not parse is none).
  static std::optional<core::Message> noticeOf(const Session& session);

  // Starts TOTP enrolment with a fresh secret. Forbidden if the session has not completed 2FA
  // and the user already has a factor (a password alone never adds a factor).
  core::Result<TotpEnrolment> enrollTotp(const Principal& p, const Origin& origin);
  // Confirms enrolment with a code of the pending secret: the factor is on, the session signed
  // in, and a new set of recovery codes is returned (the old set is void).
  core::Result<Enrolled> confirmTotp(const Principal& p, const std::string& code,
                                     const Origin& origin);
  // Sends a code to `phone` to enrol it.
  core::Status enrollSms(const Principal& p, const std::string& phone, const Origin& origin);
  core::Result<Enrolled> confirmSms(const Principal& p, const std::string& code,
                                    const Origin& origin);
  // Sends a login code to the user's enrolled phone.
  core::Status sendSmsCode(const Principal& p, const Origin& origin);
  // Completes sign-in with a TOTP or SMS code, or a recovery code. On success returns the new
  // session token (rotated for web sessions; API tokens stay the same).
  core::Result<std::string> verifyMfa(const Principal& p, const std::string& code,
                                      const std::string& recovery_code, const Origin& origin);
  // A second factor entered again in a signed-in session (TOTP, SMS or a recovery code), checked
  // and throttled as at sign-in: the session may then do what needs a step-up for
  // stepUpWindow() seconds. Returns until when. Audited (mfa.step_up).
  core::Result<std::int64_t> stepUp(const Principal& p, const std::string& code,
                                    const std::string& recovery_code, const Origin& origin);
  // Paying, accepting a quote, revealing a credential and changing someone's rights in `org`'s
  // companies need a second factor entered in the session within stepUpWindow() (at sign-in or
  // by stepUp), unless the organization turned step-up off: StepUpRequired otherwise.
  core::Status requireStepUp(const Principal& p, core::OrgId org) override;
  // How long a second factor counts for a step-up: IdentityLimits::step_up_s (5 minutes).
  std::int64_t stepUpWindow() const { return limits_.step_up_s; }
  // Whether `org` asks for step-ups (on by default), and turning it on or off (the console
  // audits it).
  bool stepUpRequired(core::OrgId org);
  void setStepUpRequired(core::OrgId org, bool on);
  // A new set of recovery codes (REQUIRES: 2FA done).
  core::Result<std::vector<std::string>> regenerateRecoveryCodes(const Principal& p,
                                                                 const Origin& origin);

  void logout(const Principal& p, const Origin& origin);
  std::vector<Session> sessions(const Principal& p);
  // NotFound if `id` is not one of the caller's sessions.
  core::Status endSession(const Principal& p, core::SessionId id, const Origin& origin);

  // Always succeeds the same way, registered or not: it queues a job (kPasswordResetJob) and
  // answers, so that neither its answer nor its time tells whether the e-mail has a login. The
  // job (deliverPasswordReset) mails a link when it has.
  core::Status requestPasswordReset(const std::string& email, const Origin& origin);
  // The job of a reset request: when `email` has an active login and has not had three links in
  // the hour, a new link is made, audited and mailed (queued), all in one transaction.
  void deliverPasswordReset(const std::string& email, const Origin& origin);
  // The payload of a reset job, unsealed: its e-mail and the origin of the request.
  std::optional<std::pair<std::string, Origin>> openPasswordResetJob(
      const std::string& payload) const;
  // Sets the password and ends every session of the user (2FA stays as it was).
  core::Status confirmPasswordReset(const std::string& token, const std::string& password,
                                    const Origin& origin);
  core::Status changePassword(const Principal& p, const std::string& current,
                              const std::string& password, const Origin& origin);
  core::Status updateProfile(const Principal& p, const std::string& first, const std::string& last,
                             const std::string& language, const Origin& origin);

  // Every kind of the catalog (notifications.h), in its order, with whether `user` gets it.
  std::vector<NotificationSetting> notificationSettings(core::UserId user);
  // Turns the given kinds on or off; kinds not given stay as they were. InvalidInput naming the
  // kind if one is not in the catalog, and then nothing changes. Only the kinds whose setting
  // changes are stored, and audited as "notifications.updated".
  core::Status setNotifications(const Principal& p, const std::map<std::string, bool>& changes,
                                const Origin& origin);
  // Whether `user` gets e-mails of `kind`: false for a kind not in the catalog, an unknown or
  // disabled login, or a kind the user has turned off.
  bool wantsNotification(core::UserId user, std::string_view kind);
  // Mails templates/mail/<template_name>.{text,html}.mustache (subject "mail.<name>.subject",
  // whose "{name}"s the string `vars` fill) to the user's e-mail, in the user's language, if
  // wantsNotification(user, kind). `vars` fill the template; first_name, public_url and
  // account_link (where the user turns notifications off) are added. Returns whether a mail was
  // queued. Call it inside the transaction of the change it reports, so that both commit or neither
  // does. REQUIRES: the template exists. `scope` places the mail in the e-mail history (the company
  // it is about).
  bool notify(core::UserId user, std::string_view kind, const std::string& template_name,
              nlohmann::json vars, const MailScope& scope = {});

  // Disables a login: its status becomes 'disabled' and every session of it ends at once, so its
  // next request answers 401; it can no longer sign in (login answers as for a wrong password)
  // and is mailed no password reset link and no notification. Audited as "user.disabled" with
  // `by` as the actor. NotFound if there is no such login; disabling a disabled login changes
  // nothing. Who may do this is the caller's decision.
  core::Status disableLogin(core::UserId target, const audit::Actor& by);
  // Makes a disabled login active again (it signs in as before; its sessions stay ended). Audited
  // as "user.enabled". NotFound if there is no such login; a login that is not disabled is left
  // as it is.
  core::Status enableLogin(core::UserId target, const audit::Actor& by);

  // Creates an organization with its first staff administrator's signup link (portico init).
  // Returns the absolute signup URL.
  core::Result<std::string> initOrganization(const std::string& org_name,
                                             const std::string& admin_email);
  // Checks names, language and the password rules and hashes the password: a login ready to be
  // inserted with insertLogin(). Slow (Argon2id): call it before opening a transaction, on a
  // worker thread.
  core::Result<NewUser> prepareLogin(const std::string& email, const std::string& first,
                                     const std::string& last, const std::string& password,
                                     const std::string& language) const;
  // Inserts a prepared login, in the caller's transaction. Conflict if the e-mail has a login.
  core::Result<core::UserId> insertLogin(const NewUser& user);
  // Sends one of the mail templates to an address (which may not have a login yet), in the
  // caller's transaction; `scope` places it in the e-mail history.
  void mailTo(const std::string& email, const std::string& language,
              const std::string& template_name, const nlohmann::json& data,
              const MailScope& scope = {});

  // Mails `email` a link that makes whoever registers through it the administrator of
  // `company` (the ERP manager's path). Replaces an unused earlier link for the same company and
  // e-mail. Returns the link's id.
  core::Result<std::int64_t> sendCompanyAdminSignup(core::OrgId org, core::CompanyId company,
                                                    const std::string& company_name,
                                                    const std::string& email,
                                                    const std::string& requested_by,
                                                    const Origin& origin);
  void setSignupGrants(SignupGrants* grants) { grants_ = grants; }

  // What a signup link is for, or NotFound if it is unknown, used or expired.
  core::Result<SignupInfo> signupInfo(const std::string& token);
  // Registers the link's e-mail as a new login. Conflict if that e-mail has a login already.
  core::Result<core::UserId> signup(const std::string& token, const std::string& first,
                                    const std::string& last, const std::string& password,
                                    const std::string& language, const Origin& origin);
  // An existing login takes the link (its e-mail must be the link's).
  core::Status signupExisting(const Principal& p, const std::string& token, const Origin& origin);

  const IdentityLimits& limits() const { return limits_; }
  const std::string& publicUrl() const { return public_url_; }

  // True if the session completed 2FA too long ago to change second factors now: the person
  // must sign in again first.
  bool factorChangeNeedsSignIn(const Principal& p) const {
    return p.mfaDone() && !mayChangeFactors(p);
  }

 private:
  struct NewSession {
    std::string token;
    Principal principal;
  };
  NewSession openSession(const User& user, SessionKind kind, bool mfa_done, const Origin& origin);
  std::vector<std::string> issueRecoveryCodes(core::UserId user);
  // Whether the session may add or replace second factors now: during the first sign-in of a
  // user without one, or within recent_auth_s of a complete sign-in.
  core::Status mayChangeFactors(const Principal& p) const;
  // Marks the session signed in; returns its new token for web sessions, "" for API ones.
  std::string finishMfa(const Principal& p);
  // Checks a TOTP or SMS code, or a recovery code, of the signed-in user with the guessing
  // limits: the method that matched ("totp", "sms", "recovery_code"), or the refusal (audited).
  // Past the limits it opens `tx`, in which the caller records what the factor allows.
  core::Result<std::string> checkSecondFactor(const Principal& p, const std::string& code,
                                              const std::string& recovery_code,
                                              const Origin& origin,
                                              std::optional<storage::Transaction>& tx);
  // A sign-in completed with the second factor `method` ("totp", "sms", "recovery_code"), or by
  // enrolling it when the first sign-in set it up: finishMfa(), the last sign-in time and the
  // "login.succeeded" audit entry, in the caller's transaction. Returns finishMfa()'s token.
  std::string signedIn(const Principal& p, const std::string& method, bool enrolled,
                       const Origin& origin);
  // The delay and lock of the per-account guessing buckets (passwords and codes), from limits_.
  GuessLimit guessLimit() const;
  void notifyUser(const User& user, const std::string& kind);
  // The login to mail about `kind`, if wantsNotification().
  std::optional<User> notificationRecipient(core::UserId user, std::string_view kind);
  // Renders a mail template for the user and queues it (a job in the caller's transaction, if
  // one is open), and keeps it in the e-mail history under `scope` — there without the token of
  // a sign-in link (`link`), which only the recipient's own copy may hold. True.
  bool sendMail(const User& user, const std::string& template_name, const nlohmann::json& data,
                const MailScope& scope = {}, std::int64_t give_up_after_s = 2 * 24 * 3600);
  // Queues a text message; its text (a code) is sealed in the queue.
  void queueSms(const std::string& phone, const std::string& text);
  audit::Actor actor(const Origin& o, std::optional<core::UserId> user) const;
  core::Result<core::UserId> consumeSignupLink(const SignupLink& link, core::UserId user);

  IdentityRepository& repo_;
  Throttle& throttle_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  const PasswordHasher& hasher_;
  const SecretBox& secrets_;
  jobs::Queue& jobs_;
  MailHistoryRepository& mail_history_;
  const web::Views& views_;
  PasswordPolicy policy_;
  std::string public_url_;
  IdentityLimits limits_;
  SignupGrants* grants_ = nullptr;
};

}  // namespace portico::identity
