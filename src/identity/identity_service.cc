#include "identity/identity_service.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/qr.h"
#include "core/random.h"
#include "core/text.h"
#include "identity/totp.h"

namespace portico::identity {
namespace {

using core::Error;
using core::fail;

constexpr std::string_view kIssuer = "Portico";
constexpr int kRecoveryCodes = 10;
constexpr std::size_t kMaxName = 100;     // bytes of a first or last name
constexpr std::size_t kMaxOrgName = 200;  // bytes of an organization's name

std::string normalizeRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string formatRecoveryCode(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(raw[i]);
  }
  return out;
}

std::string detail(std::initializer_list<std::pair<const char*, std::string>> kv) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : kv) j[k] = v;
  return j.dump();
}

// A person's first and last name: present, at most 100 bytes, clean UTF-8.
core::Status checkNames(const std::string& first, const std::string& last) {
  if (first.empty() || first.size() > kMaxName || !core::isCleanUtf8(first)) {
    return fail(Error::invalid("errors.identity.first_name_required", "first_name")
                    .with("max", std::to_string(kMaxName)));
  }
  if (last.empty() || last.size() > kMaxName || !core::isCleanUtf8(last)) {
    return fail(Error::invalid("errors.identity.last_name_required", "last_name")
                    .with("max", std::to_string(kMaxName)));
  }
  return {};
}

Error badCode() { return Error::invalid("errors.identity.bad_code", "code"); }

}  // namespace

std::string_view mfaStepName(MfaStep step) {
  switch (step) {
    case MfaStep::Verify:
      return "verify";
    case MfaStep::Enroll:
      return "enroll";
    case MfaStep::None:
      return "none";
  }
  return "verify";
}

IdentityService::IdentityService(IdentityRepository& repo, Throttle& throttle,
                                 audit::AuditLog& audit, const core::Clock& clock,
                                 const PasswordHasher& hasher, const SecretBox& secrets,
                                 jobs::Queue& jobs, MailHistoryRepository& mail_history,
                                 const web::Views& views, std::string public_url,
                                 IdentityLimits limits)
    : repo_(repo),
      throttle_(throttle),
      audit_(audit),
      clock_(clock),
      hasher_(hasher),
      secrets_(secrets),
      jobs_(jobs),
      mail_history_(mail_history),
      views_(views),
      public_url_(std::move(public_url)),
      limits_(limits) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

audit::Actor IdentityService::actor(const Origin& o, std::optional<core::UserId> user) const {
  return audit::Actor{user, o.ip, o.request_id};
}

GuessLimit IdentityService::guessLimit() const {
  return {limits_.account_failures_to_lock, limits_.lock_window_s,
          limits_.account_failures_to_delay, limits_.first_delay_s, limits_.max_delay_s};
}

core::Result<LoginResult> IdentityService::login(const std::string& email_in,
                                                 const std::string& password, SessionKind kind,
                                                 const Origin& origin) {
  std::string email = core::asciiLower(core::trim(email_in));
  if (email.empty() || password.empty() || email.size() > 254 ||
      password.size() > PasswordPolicy::kMaxBytes) {
    return fail(Error::invalid("errors.identity.credentials_required",
                               email.empty() ? "email" : "password"));
  }
  auto normal = normalizePassword(password);  // what is hashed: NFKC
  if (!normal) return fail(normal.error());
  auto now = clock_.now();
  // The account bucket is the e-mail's, with or without a login: unknown e-mails are counted,
  // delayed and locked exactly like known ones.
  std::string account_bucket = "login-account:" + email;
  std::string ip_bucket = "login-ip:" + origin.ip;
  if (auto wait = throttle_.full(ip_bucket, {limits_.ip_failures, limits_.ip_window_s})) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  if (auto wait = throttle_.takeGuess(account_bucket, guessLimit())) {  // now counted as failed
    if (wait->locked) {
      audit_.record(actor(origin, std::nullopt),
                    {"login.refused_locked", std::nullopt, std::nullopt, std::nullopt,
                     detail({{"email", email}})});
    }
    return fail(Error::rateLimited(wait->seconds()));
  }
  auto user = repo_.findUserByEmail(email);
  bool ok = false;
  // A password that normalisation changes may match a hash stored before passwords were
  // normalised: checked as given too (and rehashed below), for known and unknown e-mails alike.
  bool changed_by_nfkc = *normal != password;
  bool as_given = false;
  if (user && user->password_hash) {
    ok = hasher_.verify(*user->password_hash, *normal);
    if (!ok && changed_by_nfkc)
      ok = as_given = hasher_.verifyAsGiven(*user->password_hash, password);
  } else {
    hasher_.verifyDummy(*normal);  // as slow as a real check: no enumeration by timing
    if (changed_by_nfkc) hasher_.verifyDummy(*normal);
  }
  if (ok && user->status == UserStatus::Disabled) {
    ok = false;
  }
  if (!ok) {
    throttle_.hit(ip_bucket);
    audit_.record(actor(origin, std::nullopt),
                  {"login.failed", user ? std::optional(user->id) : std::nullopt, std::nullopt,
                   std::nullopt, detail({{"email", email}})});
    if (throttle_.count(account_bucket, limits_.lock_window_s) ==
        limits_.account_failures_to_lock) {
      audit_.record(actor(origin, std::nullopt),
                    {"login.locked", user ? std::optional(user->id) : std::nullopt, std::nullopt,
                     std::nullopt, detail({{"email", email}})});
    }
    return fail(Error::unauthenticated("errors.identity.wrong_credentials"));
  }
  storage::Transaction tx(repo_.conn());
  throttle_.clear(account_bucket);
  if (as_given || hasher_.needsRehash(*user->password_hash)) {
    repo_.setPassword(user->id, hasher_.hash(*normal), now);
  }
  MfaStep step = MfaStep::Verify;
  if (!user->hasSecondFactor()) {
    step = repo_.mfaRequired(user->id) ? MfaStep::Enroll : MfaStep::None;
  }
  auto session = openSession(*user, kind, step == MfaStep::None, origin);
  if (step == MfaStep::None) {
    repo_.setLastLogin(user->id, now);
  }
  audit_.record(actor(origin, user->id),
                {step == MfaStep::None ? "login.succeeded" : "login.password_ok", std::nullopt,
                 std::nullopt, std::nullopt, detail({{"mfa", std::string(mfaStepName(step))}})});
  tx.commit();
  throttle_.pruneNowAndThen();
  return LoginResult{session.token, step, session.principal};
}

IdentityService::NewSession IdentityService::openSession(const User& user, SessionKind kind,
                                                         bool mfa_done, const Origin& origin) {
  auto now = clock_.now();
  Session s;
  s.user_id = user.id;
  s.kind = kind;
  s.mfa_done = mfa_done;
  s.csrf_token = core::randomToken(32);
  s.created_at = now;
  s.last_seen_at = now;
  s.ip = origin.ip;
  s.user_agent = origin.user_agent.substr(0, 300);
  std::string token = core::randomToken(32);
  s.id = repo_.insertSession(s, core::sha256Hex(token));
  repo_.trimSessions(user.id, limits_.max_sessions_per_user);
  return NewSession{token, Principal{s, user}};
}

void IdentityService::setNotice(const Session& session,
                                const std::optional<core::Message>& notice) {
  std::optional<std::string> stored;
  if (notice) {
    nlohmann::json args = nlohmann::json::object();
    for (const auto& [name, value] : notice->args) args[name] = value;
    stored = nlohmann::json{{"key", notice->key}, {"args", args}}.dump();
  }
  repo_.setSessionNotice(session.id, session.user_id, stored);
}

std::optional<core::Message> IdentityService::noticeOf(const Session& session) {
  if (session.notice.empty()) return std::nullopt;
  auto j = nlohmann::json::parse(session.notice, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("key") || !j["key"].is_string()) return std::nullopt;
  core::Message m{j["key"].get<std::string>(), {}};
  if (auto args = j.find("args"); args != j.end() && args->is_object()) {
    for (const auto& [name, value] : args->items()) {
      if (value.is_string()) m.args.emplace_back(name, value.get<std::string>());
    }
  }
  return m;
}

std::optional<Principal> IdentityService::authenticate(const std::string& token, SessionKind kind) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto p = repo_.findPrincipal(core::sha256Hex(token));
  // A cookie value sent as a bearer token (or a token as a cookie) is no session: the other
  // kind's protections (CSRF on every form; no ambient credential for the API) stay in force.
  if (!p || p->session.kind != kind) return std::nullopt;
  auto now = clock_.now();
  const auto& s = p->session;
  bool expired = p->user.status == UserStatus::Disabled ||
                 now - s.last_seen_at > limits_.session_idle_s ||
                 now - s.created_at > limits_.session_absolute_s ||
                 (!s.mfa_done && now - s.created_at > limits_.pending_mfa_s);
  if (expired) {
    repo_.deleteSession(s.id);
    return std::nullopt;
  }
  if (now - s.last_seen_at >= 60) {  // write at most once a minute per session
    repo_.touchSession(s.id, now);
    p->session.last_seen_at = now;
  }
  return p;
}

core::Status IdentityService::mayChangeFactors(const Principal& p) const {
  if (!p.mfaDone()) {
    // During the first sign-in a user without a factor sets one up; a password alone never
    // adds a factor to an account that has one.
    if (p.user.hasSecondFactor()) {
      return fail(Error::forbidden("errors.identity.existing_factor_first"));
    }
    return {};
  }
  if (clock_.now() - p.session.created_at > limits_.recent_auth_s) {
    return fail(Error::forbidden("errors.identity.sign_in_again")
                    .with("minutes", std::to_string((limits_.recent_auth_s + 59) / 60)));
  }
  return {};
}

core::Result<TotpEnrolment> IdentityService::enrollTotp(const Principal& p, const Origin& origin) {
  if (auto ok = mayChangeFactors(p); !ok) return fail(ok.error());
  std::string secret = Totp::generateSecret();
  repo_.setTotpPending(p.user.id, secrets_.seal(secret));
  audit_.record(actor(origin, p.user.id), {"mfa.totp.enrolment_started", {}, {}, {}, "{}"});
  auto uri = Totp::otpauthUri(kIssuer, p.user.email, secret);
  return TotpEnrolment{Totp::base32(secret), uri, core::qrSvg(uri, "QR code")};
}

std::string IdentityService::finishMfa(const Principal& p) {
  std::optional<std::string> new_hash;
  std::string token;
  if (p.session.kind == SessionKind::Web) {
    token = core::randomToken(32);  // a new cookie value once the second factor is done
    new_hash = core::sha256Hex(token);
  }
  repo_.completeMfa(p.session.id, new_hash, clock_.now());
  return token;
}

std::string IdentityService::signedIn(const Principal& p, const std::string& method, bool enrolled,
                                      const Origin& origin) {
  std::string token = finishMfa(p);
  repo_.setLastLogin(p.user.id, clock_.now());
  audit_.record(
      actor(origin, p.user.id),
      {"login.succeeded",
       {},
       {},
       {},
       enrolled ? detail({{"mfa", method}, {"via", "enrolment"}}) : detail({{"mfa", method}})});
  return token;
}

std::vector<std::string> IdentityService::issueRecoveryCodes(core::UserId user) {
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    std::string raw = Totp::base32(core::randomBytes(10));  // 80 bits, 16 characters
    hashes.push_back(core::sha256Hex(raw));
    codes.push_back(formatRecoveryCode(raw));
  }
  repo_.replaceRecoveryCodes(user, hashes);
  return codes;
}

core::Result<Enrolled> IdentityService::confirmTotp(const Principal& p, const std::string& code,
                                                    const Origin& origin) {
  if (auto ok = mayChangeFactors(p); !ok) return fail(ok.error());
  auto now = clock_.now();
  std::string bucket = "mfa-account:" + std::to_string(p.user.id.value);
  auto user = repo_.findUser(p.user.id);
  if (!user || !user->totp_pending_secret) {
    return fail(Error::invalid("errors.identity.totp_not_started"));
  }
  auto secret = secrets_.open(*user->totp_pending_secret);
  if (!secret) {
    return fail(Error::internal("errors.identity.secret_unreadable"));
  }
  if (auto wait = throttle_.takeGuess(bucket, guessLimit())) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  auto step = Totp::verify(*secret, code, now);
  if (!step) {
    audit_.record(actor(origin, p.user.id),
                  {"mfa.totp.enrolment_failed", {}, {}, {}, detail({{"email", p.user.email}})});
    return fail(badCode());
  }
  storage::Transaction tx(repo_.conn());
  throttle_.clear(bucket);
  repo_.confirmTotp(p.user.id, *user->totp_pending_secret, *step);
  auto codes = issueRecoveryCodes(p.user.id);
  std::string token = p.mfaDone() ? std::string() : signedIn(p, "totp", true, origin);
  audit_.record(actor(origin, p.user.id), {"mfa.totp.enrolled", {}, {}, {}, "{}"});
  notifyUser(*user, "mfa_changed");
  tx.commit();
  return Enrolled{codes, token};
}

core::Status IdentityService::enrollSms(const Principal& p, const std::string& phone,
                                        const Origin& origin) {
  if (auto ok = mayChangeFactors(p); !ok) return fail(ok.error());
  if (!notify::isE164(phone)) {
    return fail(Error::invalid("errors.identity.phone_format", "phone"));
  }
  auto now = clock_.now();
  std::string user_bucket = "sms-user:" + std::to_string(p.user.id.value);
  std::string phone_bucket = "sms-phone:" + phone;
  if (auto wait = throttle_.full(user_bucket, {limits_.sms_per_user, 15 * 60})) {
    return fail(Error::rateLimited(wait->seconds(), "errors.identity.too_many_codes"));
  }
  if (auto wait = throttle_.full(phone_bucket, {limits_.sms_per_phone_per_hour, 3600})) {
    return fail(Error::rateLimited(wait->seconds(), "errors.identity.too_many_codes"));
  }
  std::string code = core::randomDigits(6);
  repo_.insertSmsChallenge(p.user.id, p.session.id, "enroll", phone, core::sha256Hex(code), now,
                           now + limits_.sms_code_s);
  throttle_.hit(user_bucket);
  throttle_.hit(phone_bucket);
  auto lang = std::string(languageOrDefault(p.user.language));
  queueSms(phone, views_.translate(lang, "sms.code") + " " + code);
  audit_.record(actor(origin, p.user.id), {"mfa.sms.enrolment_started", {}, {}, {}, "{}"});
  return {};
}

core::Result<Enrolled> IdentityService::confirmSms(const Principal& p, const std::string& code,
                                                   const Origin& origin) {
  if (auto ok = mayChangeFactors(p); !ok) return fail(ok.error());
  auto now = clock_.now();
  std::string bucket = "mfa-account:" + std::to_string(p.user.id.value);
  if (auto wait = throttle_.takeGuess(bucket, guessLimit())) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  auto challenge = repo_.findSmsChallenge(p.session.id, "enroll", now);
  if (!challenge || !core::constantTimeEquals(challenge->code_hash, core::sha256Hex(code))) {
    audit_.record(actor(origin, p.user.id),
                  {"mfa.sms.enrolment_failed", {}, {}, {}, detail({{"email", p.user.email}})});
    return fail(badCode());
  }
  storage::Transaction tx(repo_.conn());
  if (!repo_.useSmsChallenge(challenge->id, now)) {
    return fail(badCode());
  }
  throttle_.clear(bucket);
  repo_.setSmsPhone(p.user.id, challenge->phone);
  auto codes = issueRecoveryCodes(p.user.id);
  std::string token = p.mfaDone() ? std::string() : signedIn(p, "sms", true, origin);
  audit_.record(actor(origin, p.user.id), {"mfa.sms.enrolled", {}, {}, {}, "{}"});
  if (auto user = repo_.findUser(p.user.id)) notifyUser(*user, "mfa_changed");
  tx.commit();
  return Enrolled{codes, token};
}

core::Status IdentityService::sendSmsCode(const Principal& p, const Origin& origin) {
  auto user = repo_.findUser(p.user.id);
  if (!user || !user->sms_phone) {
    return fail(Error::invalid("errors.identity.no_sms_phone"));
  }
  auto now = clock_.now();
  std::string user_bucket = "sms-user:" + std::to_string(p.user.id.value);
  std::string phone_bucket = "sms-phone:" + *user->sms_phone;
  if (auto wait = throttle_.full(user_bucket, {limits_.sms_per_user, 15 * 60})) {
    return fail(Error::rateLimited(wait->seconds(), "errors.identity.too_many_codes"));
  }
  if (auto wait = throttle_.full(phone_bucket, {limits_.sms_per_phone_per_hour, 3600})) {
    return fail(Error::rateLimited(wait->seconds(), "errors.identity.too_many_codes"));
  }
  std::string code = core::randomDigits(6);
  repo_.insertSmsChallenge(p.user.id, p.session.id, "login", *user->sms_phone,
                           core::sha256Hex(code), now, now + limits_.sms_code_s);
  throttle_.hit(user_bucket);
  throttle_.hit(phone_bucket);
  queueSms(*user->sms_phone,
           views_.translate(languageOrDefault(user->language), "sms.code") + " " + code);
  audit_.record(actor(origin, p.user.id), {"mfa.sms.sent", {}, {}, {}, "{}"});
  return {};
}

core::Result<std::string> IdentityService::verifyMfa(const Principal& p, const std::string& code,
                                                     const std::string& recovery_code,
                                                     const Origin& origin) {
  if (p.mfaDone()) {
    return fail(Error::conflict("errors.identity.mfa_already_done"));
  }
  if (code.empty() == recovery_code.empty()) {
    return fail(Error::invalid("errors.identity.code_or_recovery", "code"));
  }
  std::optional<storage::Transaction> tx;
  auto method = checkSecondFactor(p, code, recovery_code, origin, tx);
  if (!method) return fail(method.error());
  std::string token = signedIn(p, *method, false, origin);
  tx->commit();
  return token;
}

core::Result<std::string> IdentityService::checkSecondFactor(
    const Principal& p, const std::string& code, const std::string& recovery_code,
    const Origin& origin, std::optional<storage::Transaction>& tx) {
  auto user = repo_.findUser(p.user.id);
  if (!user || !user->hasSecondFactor()) {
    return fail(Error::forbidden("errors.identity.mfa_not_set_up"));
  }
  auto now = clock_.now();
  std::string bucket = "mfa-account:" + std::to_string(p.user.id.value);
  std::string ip_bucket = "mfa-ip:" + origin.ip;
  if (auto wait = throttle_.full(ip_bucket, {limits_.ip_failures, limits_.ip_window_s})) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  // Counts the attempt before checking it, so parallel guesses cannot race past the limits; a
  // success clears the count.
  if (auto wait = throttle_.takeGuess(bucket, guessLimit())) {
    if (wait->locked) {
      audit_.record(actor(origin, p.user.id), {"mfa.refused_locked", {}, {}, {}, "{}"});
    }
    return fail(Error::rateLimited(wait->seconds()));
  }
  throttle_.hit(ip_bucket);

  tx.emplace(repo_.conn());
  std::string method;
  if (!recovery_code.empty()) {
    if (repo_.useRecoveryCode(p.user.id, core::sha256Hex(normalizeRecoveryCode(recovery_code)),
                              now)) {
      method = "recovery_code";
    }
  } else {
    if (user->totp_secret) {
      if (auto secret = secrets_.open(*user->totp_secret)) {
        if (auto step = Totp::verify(*secret, code, now)) {
          if (repo_.advanceTotpStep(p.user.id, *step)) {
            method = "totp";
          } else {
            audit_.record(actor(origin, p.user.id), {"mfa.totp.replay_refused", {}, {}, {}, "{}"});
          }
        }
      }
    }
    if (method.empty()) {
      if (auto c = repo_.findSmsChallenge(p.session.id, "login", now)) {
        if (core::constantTimeEquals(c->code_hash, core::sha256Hex(code)) &&
            repo_.useSmsChallenge(c->id, now)) {
          method = "sms";
        }
      }
    }
  }
  if (method.empty()) {
    tx->commit();  // keeps the replay audit entry
    audit_.record(actor(origin, p.user.id),
                  {"mfa.failed",
                   {},
                   {},
                   {},
                   detail({{"kind", recovery_code.empty() ? "code" : "recovery_code"},
                           {"email", p.user.email}})});
    return fail(recovery_code.empty()
                    ? badCode()
                    : Error::invalid("errors.identity.bad_recovery_code", "recovery_code"));
  }
  throttle_.clear(bucket);
  if (method == "recovery_code") notifyUser(*user, "recovery_code_used");
  return method;
}

core::Result<std::int64_t> IdentityService::stepUp(const Principal& p, const std::string& code,
                                                   const std::string& recovery_code,
                                                   const Origin& origin) {
  if (!p.mfaDone()) return fail(Error::forbidden("errors.identity.mfa_first"));
  if (code.empty() == recovery_code.empty()) {
    return fail(Error::invalid("errors.identity.code_or_recovery", "code"));
  }
  std::optional<storage::Transaction> tx;
  auto method = checkSecondFactor(p, code, recovery_code, origin, tx);
  if (!method) return fail(method.error());
  auto now = clock_.now();
  repo_.stepUp(p.session.id, now);
  audit_.record(actor(origin, p.user.id), {"mfa.step_up", {}, {}, {}, detail({{"mfa", *method}})});
  tx->commit();
  return now + stepUpWindow();
}

core::Status IdentityService::requireStepUp(const Principal& p, core::OrgId org) {
  if (!repo_.orgStepUp(org)) return {};
  if (clock_.now() - p.session.step_up_at <= stepUpWindow()) return {};
  return fail(
      Error{core::ErrorCode::StepUpRequired, "errors.identity.step_up_required", {}, 0, {}});
}

bool IdentityService::stepUpRequired(core::OrgId org) { return repo_.orgStepUp(org); }

void IdentityService::setStepUpRequired(core::OrgId org, bool on) { repo_.setOrgStepUp(org, on); }

core::Result<std::vector<std::string>> IdentityService::regenerateRecoveryCodes(
    const Principal& p, const Origin& origin) {
  if (!p.mfaDone()) return fail(Error::forbidden("errors.identity.mfa_first"));
  if (auto ok = mayChangeFactors(p); !ok) return fail(ok.error());
  storage::Transaction tx(repo_.conn());
  auto codes = issueRecoveryCodes(p.user.id);
  audit_.record(actor(origin, p.user.id), {"mfa.recovery_codes.regenerated", {}, {}, {}, "{}"});
  tx.commit();
  return codes;
}

void IdentityService::logout(const Principal& p, const Origin& origin) {
  repo_.deleteSession(p.session.id);
  audit_.record(actor(origin, p.user.id), {"logout", {}, {}, {}, "{}"});
}

std::vector<Session> IdentityService::sessions(const Principal& p) {
  return repo_.listSessions(p.user.id);
}

core::Status IdentityService::endSession(const Principal& p, core::SessionId id,
                                         const Origin& origin) {
  if (!repo_.deleteUserSession(p.user.id, id)) {
    return fail(Error::notFound("errors.identity.no_such_session"));
  }
  audit_.record(actor(origin, p.user.id),
                {"session.ended", {}, {}, {}, detail({{"session", std::to_string(id.value)}})});
  return {};
}

core::Status IdentityService::requestPasswordReset(const std::string& email_in,
                                                   const Origin& origin) {
  std::string email = core::asciiLower(core::trim(email_in));
  if (!core::looksLikeEmail(email)) {
    return fail(Error::invalid("errors.identity.bad_email", "email"));
  }
  std::string ip_bucket = "reset-ip:" + origin.ip;
  if (auto wait = throttle_.full(ip_bucket, {limits_.resets_per_ip, 15 * 60})) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  throttle_.hit(ip_bucket);
  // Whether the address has a login is looked at off the request, by a job: every address costs
  // the request the same two writes.
  jobs_.enqueue(std::string(kPasswordResetJob),
                secrets_.seal(nlohmann::json{{"email", email},
                                             {"ip", origin.ip},
                                             {"user_agent", origin.user_agent},
                                             {"request_id", origin.request_id}}
                                  .dump()));
  return {};
}

std::optional<std::pair<std::string, Origin>> IdentityService::openPasswordResetJob(
    const std::string& payload) const {
  auto plain = secrets_.open(payload);
  if (!plain) return std::nullopt;
  auto j = nlohmann::json::parse(*plain, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("email") || !j["email"].is_string()) return std::nullopt;
  return std::pair{j["email"].get<std::string>(),
                   Origin{j.value("ip", ""), j.value("user_agent", ""), j.value("request_id", "")}};
}

void IdentityService::deliverPasswordReset(const std::string& email, const Origin& origin) {
  auto now = clock_.now();
  auto user = repo_.findUserByEmail(email);
  // At most three mails an hour to one address.
  if (!user || user->status == UserStatus::Disabled || !throttle_.takeResetMail(email)) return;
  storage::Transaction tx(repo_.conn());
  std::string token = core::randomToken(32);
  repo_.insertPasswordReset(user->id, core::sha256Hex(token), now, now + limits_.reset_token_s);
  audit_.record(actor(origin, std::nullopt), {"password.reset_requested", user->id, {}, {}, "{}"});
  sendMail(*user, "password_reset", {{"link", public_url_ + "/password-reset?token=" + token}}, {},
           limits_.reset_token_s);  // a link is worth sending only while it is valid
  tx.commit();
}

core::Status IdentityService::confirmPasswordReset(const std::string& token,
                                                   const std::string& password,
                                                   const Origin& origin) {
  auto now = clock_.now();
  auto invalid = Error::invalid("errors.identity.bad_reset_link", "token");
  if (token.empty() || token.size() > 200) return fail(invalid);
  storage::Transaction tx(repo_.conn());
  auto user_id = repo_.usePasswordReset(core::sha256Hex(token), now);
  if (!user_id) return fail(invalid);
  auto user = repo_.findUser(*user_id);
  if (!user || user->status == UserStatus::Disabled) return fail(invalid);
  auto local = user->email.substr(0, user->email.find('@'));
  if (auto ok = policy_.check(password, {local, "portico"}); !ok) return ok;
  repo_.setPassword(user->id, hasher_.hash(password), now);
  repo_.deleteUserSessions(user->id);  // a reset signs out everywhere
  throttle_.clear("login-account:" + user->email);
  audit_.record(actor(origin, std::nullopt), {"password.reset", user->id, {}, {}, "{}"});
  notifyUser(*user, "password_changed");
  tx.commit();
  return {};
}

core::Status IdentityService::changePassword(const Principal& p, const std::string& current,
                                             const std::string& password, const Origin& origin) {
  if (auto ok = normalizePassword(current); !ok) {
    auto e = ok.error();
    e.field = "current_password";
    return fail(std::move(e));
  }
  // A wrong current password is a guess at the account's password: counted, delayed and locked
  // with the sign-in's guesses (a stolen session cannot try passwords faster than a sign-in).
  std::string bucket = "login-account:" + p.user.email;
  if (auto wait = throttle_.takeGuess(bucket, guessLimit())) {
    return fail(Error::rateLimited(wait->seconds()));
  }
  auto user = repo_.findUser(p.user.id);
  if (!user || !user->password_hash || !hasher_.verify(*user->password_hash, current)) {
    audit_.record(actor(origin, p.user.id), {"password.change_failed", {}, {}, {}, "{}"});
    return fail(Error::forbidden("errors.identity.wrong_current_password"));
  }
  auto local = user->email.substr(0, user->email.find('@'));
  if (auto ok = policy_.check(password, {local, "portico"}); !ok) return ok;
  storage::Transaction tx(repo_.conn());
  throttle_.clear(bucket);
  repo_.setPassword(user->id, hasher_.hash(password), clock_.now());
  audit_.record(actor(origin, p.user.id), {"password.changed", {}, {}, {}, "{}"});
  notifyUser(*user, "password_changed");
  tx.commit();
  return {};
}

core::Status IdentityService::updateProfile(const Principal& p, const std::string& first,
                                            const std::string& last, const std::string& language,
                                            const Origin& origin) {
  auto f = std::string(core::trim(first));
  auto l = std::string(core::trim(last));
  if (auto ok = checkNames(f, l); !ok) return fail(ok.error());
  if (!isSupportedLanguage(language)) {
    return fail(Error::invalid("errors.identity.bad_language", "language"));
  }
  repo_.setProfile(p.user.id, f, l, language);
  audit_.record(actor(origin, p.user.id), {"profile.updated", {}, {}, {}, "{}"});
  return {};
}

std::vector<NotificationSetting> IdentityService::notificationSettings(core::UserId user) {
  auto stored = repo_.notificationPreferences(user);
  std::vector<NotificationSetting> out;
  for (const auto& k : notificationKinds()) {
    auto it = stored.find(std::string(k.id));
    out.push_back({std::string(k.id), it == stored.end() || it->second});
  }
  return out;
}

core::Status IdentityService::setNotifications(const Principal& p,
                                               const std::map<std::string, bool>& changes,
                                               const Origin& origin) {
  for (const auto& [kind, enabled] : changes) {
    if (!isNotificationKind(kind)) {
      return fail(
          Error::invalid("errors.identity.notification_kind_unknown", kind).with("kind", kind));
    }
  }
  // Only what differs from the current setting is written (and audited): a form that saves every
  // box stores nothing for the kinds left as they were.
  nlohmann::json changed = nlohmann::json::object();
  storage::Transaction tx(repo_.conn());
  for (const auto& current : notificationSettings(p.user.id)) {
    auto it = changes.find(current.kind);
    if (it == changes.end() || it->second == current.enabled) continue;
    repo_.setNotificationPreference(p.user.id, current.kind, it->second);
    changed[current.kind] = it->second;
  }
  if (changed.empty()) return {};
  audit_.record(actor(origin, p.user.id), {"notifications.updated", {}, {}, {}, changed.dump()});
  tx.commit();
  return {};
}

std::optional<User> IdentityService::notificationRecipient(core::UserId user,
                                                           std::string_view kind) {
  if (!isNotificationKind(kind)) return std::nullopt;
  auto u = repo_.findUser(user);
  if (!u || u->status == UserStatus::Disabled) return std::nullopt;
  if (!repo_.notificationPreference(user, std::string(kind)).value_or(true)) return std::nullopt;
  return u;
}

bool IdentityService::wantsNotification(core::UserId user, std::string_view kind) {
  return notificationRecipient(user, kind).has_value();
}

bool IdentityService::notify(core::UserId user, std::string_view kind,
                             const std::string& template_name, nlohmann::json vars,
                             const MailScope& scope) {
  if (!isNotificationKind(kind)) {
    spdlog::error(R"({{"event":"notification_unknown_kind","kind":"{}"}})", kind);  // a bug
    return false;
  }
  auto recipient = notificationRecipient(user, kind);
  if (!recipient) return false;
  if (!vars.is_object()) vars = nlohmann::json::object();
  vars["account_link"] = public_url_ + "/account#notifications";
  return sendMail(*recipient, template_name, vars, scope);
}

core::Status IdentityService::disableLogin(core::UserId target, const audit::Actor& by) {
  storage::Transaction tx(repo_.conn());
  auto user = repo_.findUser(target);
  if (!user) return fail(Error::notFound("errors.identity.no_such_login"));
  if (user->status == UserStatus::Disabled) return {};
  repo_.setStatus(target, UserStatus::Disabled);
  repo_.deleteUserSessions(target);  // its very next request is unauthenticated
  audit_.record(by, {"user.disabled", target, {}, {}, detail({{"email", user->email}})});
  tx.commit();
  return {};
}

core::Status IdentityService::enableLogin(core::UserId target, const audit::Actor& by) {
  storage::Transaction tx(repo_.conn());
  auto user = repo_.findUser(target);
  if (!user) return fail(Error::notFound("errors.identity.no_such_login"));
  if (user->status != UserStatus::Disabled) return {};
  repo_.setStatus(target, UserStatus::Active);
  audit_.record(by, {"user.enabled", target, {}, {}, detail({{"email", user->email}})});
  tx.commit();
  return {};
}

core::Result<std::string> IdentityService::initOrganization(const std::string& org_name,
                                                            const std::string& admin_email) {
  auto name = std::string(core::trim(org_name));
  auto email = core::asciiLower(core::trim(admin_email));
  if (name.empty() || name.size() > kMaxOrgName || !core::isCleanUtf8(name)) {
    return fail(Error::invalid("errors.identity.org_name_required", "org")
                    .with("max", std::to_string(kMaxOrgName)));
  }
  if (!core::looksLikeEmail(email)) {
    return fail(Error::invalid("errors.identity.bad_admin_email", "admin-email"));
  }
  auto now = clock_.now();
  storage::Transaction tx(repo_.conn());
  auto org = repo_.insertOrganization(name, now);
  if (!org) return fail(org.error());
  std::string token = core::randomToken(32);
  SignupLink link;
  link.org_id = *org;
  link.email = email;
  link.purpose = "org_admin";
  link.expires_at = now + limits_.signup_link_s;
  repo_.insertSignupLink(link, core::sha256Hex(token), now);
  audit_.record({std::nullopt, "", "cli"},
                {"organization.created", std::nullopt, *org, std::nullopt,
                 detail({{"name", name}, {"admin_email", email}})});
  tx.commit();
  return public_url_ + "/signup?token=" + token;
}

core::Result<std::int64_t> IdentityService::sendCompanyAdminSignup(
    core::OrgId org, core::CompanyId company, const std::string& company_name,
    const std::string& email_in, const std::string& requested_by, const Origin& origin) {
  auto email = core::asciiLower(core::trim(email_in));
  if (!core::looksLikeEmail(email)) {
    return fail(Error::invalid("errors.identity.email_field_invalid", "email"));
  }
  auto now = clock_.now();
  std::string token = core::randomToken(32);
  storage::Transaction tx(repo_.conn());
  repo_.expireSignupLinks(company, email, now);
  SignupLink link;
  link.org_id = org;
  link.email = email;
  link.purpose = "company_admin";
  link.company_id = company.value;
  link.expires_at = now + limits_.signup_link_s;
  repo_.insertSignupLink(link, core::sha256Hex(token), now);
  auto id = repo_.conn().lastInsertId();
  audit_.record(actor(origin, std::nullopt),
                {"signup.link_sent", std::nullopt, org, company,
                 detail({{"email", email}, {"requested_by", requested_by}})});
  auto existing = repo_.findUserByEmail(email);
  User recipient;
  recipient.email = email;
  recipient.language = existing ? existing->language : "en";
  recipient.first_name = existing ? existing->first_name : "";
  sendMail(recipient, "admin_signup",
           {{"link", public_url_ + "/signup?token=" + token}, {"company", company_name}},
           MailScope{org, {company}, {}});
  tx.commit();
  return id;
}

core::Result<SignupInfo> IdentityService::signupInfo(const std::string& token) {
  auto link = repo_.findSignupLink(core::sha256Hex(token));
  if (!link || link->used_at || link->expires_at <= clock_.now()) {
    return fail(Error::notFound("errors.identity.bad_signup_link"));
  }
  return SignupInfo{link->email, ""};
}

core::Result<core::UserId> IdentityService::consumeSignupLink(const SignupLink& link,
                                                              core::UserId user) {
  if (!repo_.useSignupLink(link.id, user, clock_.now())) {
    return fail(Error::notFound("errors.identity.bad_signup_link"));
  }
  if (link.purpose == "org_admin") {
    repo_.addStaff(link.org_id, user, "admin", clock_.now());
  } else if (grants_) {
    grants_->grant(link, user);
  }
  return user;
}

core::Result<core::UserId> IdentityService::signup(
    const std::string& token, const std::string& first, const std::string& last,
    const std::string& password, const std::string& language, const Origin& origin) {
  auto link = repo_.findSignupLink(core::sha256Hex(token));
  if (!link || link->used_at || link->expires_at <= clock_.now()) {
    return fail(Error::notFound("errors.identity.bad_signup_link"));
  }
  auto login = prepareLogin(link->email, first, last, password, language);
  if (!login) return fail(login.error());
  storage::Transaction tx(repo_.conn());
  auto user = insertLogin(*login);
  if (!user) return user;
  auto consumed = consumeSignupLink(*link, *user);
  if (!consumed) return consumed;
  audit_.record(actor(origin, *user), {"signup.completed", std::nullopt, link->org_id, std::nullopt,
                                       detail({{"purpose", link->purpose}})});
  tx.commit();
  return *user;
}

core::Status IdentityService::signupExisting(const Principal& p, const std::string& token,
                                             const Origin& origin) {
  auto link = repo_.findSignupLink(core::sha256Hex(token));
  if (!link || link->used_at || link->expires_at <= clock_.now()) {
    return fail(Error::notFound("errors.identity.bad_signup_link"));
  }
  if (link->email != p.user.email) {
    return fail(Error::forbidden("errors.identity.link_for_other_email"));
  }
  storage::Transaction tx(repo_.conn());
  auto consumed = consumeSignupLink(*link, p.user.id);
  if (!consumed) return fail(consumed.error());
  audit_.record(actor(origin, p.user.id), {"signup.linked", std::nullopt, link->org_id,
                                           std::nullopt, detail({{"purpose", link->purpose}})});
  tx.commit();
  return {};
}

core::Result<NewUser> IdentityService::prepareLogin(const std::string& email_in,
                                                    const std::string& first,
                                                    const std::string& last,
                                                    const std::string& password,
                                                    const std::string& language) const {
  auto email = core::asciiLower(core::trim(email_in));
  auto f = std::string(core::trim(first));
  auto l = std::string(core::trim(last));
  if (auto ok = checkNames(f, l); !ok) return fail(ok.error());
  auto local = email.substr(0, email.find('@'));
  if (auto ok = policy_.check(password, {local, "portico", f, l}); !ok) return fail(ok.error());
  return NewUser{email, hasher_.hash(password), f, l, std::string(languageOrDefault(language))};
}

core::Result<core::UserId> IdentityService::insertLogin(const NewUser& user) {
  auto id = repo_.insertUser(user, clock_.now());
  if (!id) {
    return fail(Error::conflict("errors.identity.login_exists_sign_in"));
  }
  return id;
}

void IdentityService::mailTo(const std::string& email, const std::string& language,
                             const std::string& name, const nlohmann::json& data,
                             const MailScope& scope) {
  User recipient;
  recipient.email = email;
  recipient.language = std::string(languageOrDefault(language));
  if (data.contains("first_name")) recipient.first_name = data["first_name"].get<std::string>();
  if (auto existing = repo_.findUserByEmail(recipient.email)) recipient.id = existing->id;
  sendMail(recipient, name, data, scope);
}

void IdentityService::notifyUser(const User& user, const std::string& kind) {
  sendMail(user, "security_notice",
           {{"kind_" + kind, true}, {"account_link", public_url_ + "/account"}});
}

bool IdentityService::sendMail(const User& user, const std::string& name,
                               const nlohmann::json& data, const MailScope& scope,
                               std::int64_t give_up_after_s) {
  auto lang = std::string(languageOrDefault(user.language));
  nlohmann::json d = data;
  d["first_name"] = user.first_name;
  d["public_url"] = public_url_;
  MailRecord record;
  if (user.id.value > 0) record.user = user.id;
  record.recipient = user.email;
  record.kind = name;
  // The subject may name the template's text variables ("[{number}] {subject}").
  core::MessageArgs subject_args;
  for (const auto& [key, value] : d.items()) {
    if (value.is_string()) subject_args.emplace_back(key, value.get<std::string>());
  }
  record.subject = views_.message(lang, "mail." + name + ".subject", subject_args);
  record.created_at = clock_.now();
  // The history's copy says where the link led, not the token that signs in through it: those
  // who may read a company's mail must not be able to use an invitation or a reset link.
  nlohmann::json kept = d;
  if (kept.contains("link") && kept["link"].is_string()) {
    auto link = kept["link"].get<std::string>();
    if (auto at = link.find("token="); at != std::string::npos) {
      kept["link"] = link.substr(0, at + 6) + "…";
    }
  }
  record.text = views_.render("mail/" + name + ".text", lang, kept);
  record.html = views_.render("mail/" + name + ".html", lang, kept);
  nlohmann::json mail = {{"to", user.email},
                         {"template", name},
                         {"subject", record.subject},
                         {"text", views_.render("mail/" + name + ".text", lang, d)},
                         {"html", views_.render("mail/" + name + ".html", lang, d)}};
  if (!scope.thread.empty()) mail["thread"] = scope.thread;
  // Sealed: a mail may carry a sign-in link, which the database otherwise keeps only hashed.
  jobs::RetryPolicy policy;
  policy.give_up_after_ms = give_up_after_s * 1000;
  record.job_id = jobs_.enqueue(std::string(kMailJob), secrets_.seal(mail.dump()), policy);
  mail_history_.insert(record, scope);
  return true;
}

void IdentityService::queueSms(const std::string& phone, const std::string& text) {
  jobs::RetryPolicy policy;  // a code is worth sending only while it is valid
  policy.give_up_after_ms = limits_.sms_code_s * 1000;
  jobs_.enqueue(std::string(kSmsJob),
                secrets_.seal(nlohmann::json{{"to", phone}, {"text", text}}.dump()), policy);
}

std::string_view languageOrDefault(std::string_view language) {
  return isSupportedLanguage(language) ? language : std::string_view("en");
}

bool isSupportedLanguage(std::string_view language) {
  return language == "en" || language == "sv" || language == "de";
}

}  // namespace portico::identity
