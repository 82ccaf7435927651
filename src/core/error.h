#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::core {

// What went wrong, independent of any transport. Only http/error_response.cc maps a code to a
// status; services never name HTTP.
enum class ErrorCode {
  InvalidInput,
  NotFound,
  Conflict,
  Unauthenticated,
  Forbidden,
  StepUpRequired,  // allowed, once a second factor is entered again (identity/step_up.h)
  RateLimited,
  Unavailable,
  PayloadTooLarge,
  UnsupportedMediaType,  // the body is not of a type the call reads
  Unprocessable,         // well-formed, but contradicts what was sent before (a reused key)
  Internal,
};

// The arguments of a message, by name: {"max", "1024"} fills "{max}" in its translations.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// A message a person reads, as a key of i18n/*.json with its arguments: what a page says after a
// change ("notices.access.removed" with the person's and the company's names).
struct Message {
  std::string key;
  MessageArgs args;
};

// An error says what went wrong as a message key of i18n/*.json ("errors.password.too_long")
// with its arguments; the edge (a page, the JSON API) translates it into the reader's language.
// Services never build sentences.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string key;        // the message key
  std::string field;      // the input field at fault, if any
  int retry_after_s = 0;  // for RateLimited
  MessageArgs args;       // the message's arguments

  // Adds argument `name` (fluent: Error::invalid("errors.x", "f").with("max", "100")).
  Error&& with(std::string name, std::string value) && {
    args.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
  Error& with(std::string name, std::string value) & {
    args.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  static Error invalid(std::string key, std::string field = {}) {
    return {ErrorCode::InvalidInput, std::move(key), std::move(field), 0, {}};
  }
  static Error notFound(std::string key = "errors.not_found") {
    return {ErrorCode::NotFound, std::move(key), {}, 0, {}};
  }
  static Error conflict(std::string key) {
    return {ErrorCode::Conflict, std::move(key), {}, 0, {}};
  }
  static Error unauthenticated(std::string key = "errors.sign_in_first") {
    return {ErrorCode::Unauthenticated, std::move(key), {}, 0, {}};
  }
  static Error forbidden(std::string key = "errors.not_allowed") {
    return {ErrorCode::Forbidden, std::move(key), {}, 0, {}};
  }
  // The message may say "{seconds}" (the wait) or "{minutes}" (rounded up).
  static Error rateLimited(int retry_after_s, std::string key = "errors.too_many_attempts") {
    return {ErrorCode::RateLimited,
            std::move(key),
            {},
            retry_after_s,
            {{"seconds", std::to_string(retry_after_s > 0 ? retry_after_s : 1)},
             {"minutes", std::to_string(retry_after_s > 0 ? (retry_after_s + 59) / 60 : 1)}}};
  }
  static Error unavailable(std::string key) {
    return {ErrorCode::Unavailable, std::move(key), {}, 0, {}};
  }
  static Error payloadTooLarge(std::string key = "errors.payload_too_large") {
    return {ErrorCode::PayloadTooLarge, std::move(key), {}, 0, {}};
  }
  static Error unsupportedMediaType(std::string key) {
    return {ErrorCode::UnsupportedMediaType, std::move(key), {}, 0, {}};
  }
  static Error unprocessable(std::string key) {
    return {ErrorCode::Unprocessable, std::move(key), {}, 0, {}};
  }
  static Error internal(std::string key = "errors.internal") {
    return {ErrorCode::Internal, std::move(key), {}, 0, {}};
  }
};

// The stable machine-readable name of a code, as used in {"error":{"code":…}}.
std::string_view errorCodeName(ErrorCode code);

}  // namespace portico::core
