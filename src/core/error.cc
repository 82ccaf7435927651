#include "core/error.h"

namespace portico::core {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return "invalid_input";
    case ErrorCode::NotFound:
      return "not_found";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::Unauthenticated:
      return "unauthenticated";
    case ErrorCode::Forbidden:
      return "forbidden";
    case ErrorCode::StepUpRequired:
      return "step_up_required";
    case ErrorCode::RateLimited:
      return "rate_limited";
    case ErrorCode::Unavailable:
      return "unavailable";
    case ErrorCode::PayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::UnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::Unprocessable:
      return "unprocessable";
    case ErrorCode::Internal:
      return "internal";
  }
  return "internal";
}

}  // namespace portico::core
