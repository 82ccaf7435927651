#include "http/error_response.h"

#include <string>

#include "core/text.h"

namespace portico::http {

int statusFor(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::InvalidInput:
      return 400;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::Unauthenticated:
      return 401;
    case ErrorCode::Forbidden:
    case ErrorCode::StepUpRequired:
      return 403;
    case ErrorCode::RateLimited:
      return 429;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::PayloadTooLarge:
      return 413;
    case ErrorCode::UnsupportedMediaType:
      return 415;
    case ErrorCode::Unprocessable:
      return 422;
    case ErrorCode::Internal:
      return 500;
  }
  return 500;
}

std::string jsonErrorBody(const core::Error& error, std::string_view message) {
  std::string body = R"({"error":{"code":")";
  body += core::errorCodeName(error.code);
  body += R"(","message":")";
  core::appendJsonEscaped(body, message);
  body += '"';
  if (!error.field.empty()) {
    body += R"(,"field":")";
    core::appendJsonEscaped(body, error.field);
    body += '"';
  }
  body += "}}";
  return body;
}

Response jsonError(const core::Error& error) {
  auto r = Response::json(statusFor(error.code), jsonErrorBody(error, error.key));
  r.error = error;
  if (error.code == core::ErrorCode::RateLimited) {
    r.setHeader("Retry-After", std::to_string(error.retry_after_s > 0 ? error.retry_after_s : 1));
  }
  if (error.code == core::ErrorCode::Unauthenticated) {
    r.setHeader("WWW-Authenticate", "Bearer");
  }
  return r;
}

Response jsonMessage(int status, const core::Message& message) {
  std::string body = R"({"message":")";
  core::appendJsonEscaped(body, message.key);
  body += "\"}";
  auto r = Response::json(status, std::move(body));
  r.message = message;
  return r;
}

Response errorResponse(const Request& request, const core::Error& error) {
  if (request.isApi()) {
    return jsonError(error);
  }
  std::string body = "<!doctype html><html lang=\"en\"><title>Error</title><h1>Error</h1><p>";
  for (char c : error.key) {
    switch (c) {
      case '<':
        body += "&lt;";
        break;
      case '>':
        body += "&gt;";
        break;
      case '&':
        body += "&amp;";
        break;
      case '"':
        body += "&quot;";
        break;
      default:
        body.push_back(c);
    }
  }
  body += "</p><p><a href=\"/\">Portico</a></p>";
  auto r = Response::html(statusFor(error.code), std::move(body));
  r.error = error;
  if (error.code == core::ErrorCode::RateLimited) {
    r.setHeader("Retry-After", std::to_string(error.retry_after_s > 0 ? error.retry_after_s : 1));
  }
  return r;
}

}  // namespace portico::http
