#pragma once

#include <string>
#include <string_view>

namespace portico::core {

// What went wrong, independent of any transport. Only http/error_response.cc maps a code to a
// status; services never name HTTP.
enum class ErrorCode {
  InvalidInput,
  NotFound,
  Conflict,
  Unauthenticated,
  Forbidden,
  RateLimited,
  Unavailable,
  PayloadTooLarge,
  Internal,
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string field;      // the input field at fault, if any
  int retry_after_s = 0;  // for RateLimited

  static Error invalid(std::string message, std::string field = {}) {
    return {ErrorCode::InvalidInput, std::move(message), std::move(field), 0};
  }
  static Error notFound(std::string message = "Not found") {
    return {ErrorCode::NotFound, std::move(message), {}, 0};
  }
  static Error conflict(std::string message) {
    return {ErrorCode::Conflict, std::move(message), {}, 0};
  }
  static Error unauthenticated(std::string message = "Sign in first") {
    return {ErrorCode::Unauthenticated, std::move(message), {}, 0};
  }
  static Error forbidden(std::string message = "Not allowed") {
    return {ErrorCode::Forbidden, std::move(message), {}, 0};
  }
  static Error rateLimited(int retry_after_s,
                           std::string message = "Too many attempts; try again later") {
    return {ErrorCode::RateLimited, std::move(message), {}, retry_after_s};
  }
  static Error unavailable(std::string message) {
    return {ErrorCode::Unavailable, std::move(message), {}, 0};
  }
  static Error internal(std::string message = "Internal error") {
    return {ErrorCode::Internal, std::move(message), {}, 0};
  }
};

// The stable machine-readable name of a code, as used in {"error":{"code":…}}.
std::string_view errorCodeName(ErrorCode code);

}  // namespace portico::core
