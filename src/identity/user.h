#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace portico::identity {

enum class UserStatus { Invited, Active, Disabled };

struct User {
  core::UserId id;
  std::string email;  // lower-case
  std::optional<std::string> password_hash;
  std::string first_name;
  std::string last_name;
  std::string language = "en";
  UserStatus status = UserStatus::Active;
  std::optional<std::string> totp_secret;          // encrypted
  std::optional<std::string> totp_pending_secret;  // encrypted
  std::optional<std::int64_t> totp_last_step;
  std::optional<std::string> sms_phone;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_login_at;

  bool hasSecondFactor() const { return totp_secret.has_value() || sms_phone.has_value(); }
};

struct NewUser {
  std::string email;
  std::string password_hash;
  std::string first_name;
  std::string last_name;
  std::string language = "en";
};

enum class SessionKind { Web, Api };

struct Session {
  core::SessionId id;
  core::UserId user_id;
  SessionKind kind = SessionKind::Api;
  bool mfa_done = false;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::string ip;
  std::string user_agent;
  std::string notice;           // a message for the next page (JSON: key and args), or empty
  std::int64_t step_up_at = 0;  // when its last second factor was entered (sign-in, step-up)
};

// The signed-in caller of a request: a session and its user.
struct Principal {
  Session session;
  User user;
  // The access counter read with the session (see migrations/0004): equal values mean nothing
  // the authorization policy reads has changed.
  std::int64_t access_version = 0;
  bool mfaDone() const { return session.mfa_done; }
};

std::string_view languageOrDefault(std::string_view language);
bool isSupportedLanguage(std::string_view language);

}  // namespace portico::identity
