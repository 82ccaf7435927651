#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "http/message.h"

namespace portico::http {

// The HTTP status for an error code. The one place where error codes meet HTTP.
int statusFor(core::ErrorCode code);

// {"error":{"code":…,"message":…[,"field":…]}} with the fitting status (and Retry-After). The
// message is the error's key until the server writes it in the reader's language
// (ServerConfig::error_text); the Response keeps the Error for that.
Response jsonError(const core::Error& error);
// {"message": "<text>"} with `status`, the text of `message` in the reader's language (written
// out by the server like an error's).
Response jsonMessage(int status, const core::Message& message);

// The JSON error body with `message` as the message.
std::string jsonErrorBody(const core::Error& error, std::string_view message);

// Renders an error as an HTML page in the reader's language (as ErrorText); the web layer
// installs a translated, styled one.
using HtmlErrorRenderer = std::function<Response(const Request&, const core::Error&)>;

// The text of an error's message for the reader of `request`: in request.language if a handler
// has set it, else in the one the request asks for. Installed by the web layer, which holds the
// translations.
using ErrorText = std::function<std::string(const Request&, const core::Error&)>;

// jsonError() under /api, otherwise an HTML error page: a plain one that keeps the Error, for
// the server to render in the reader's language (ServerConfig::html_error) before sending it.
Response errorResponse(const Request& request, const core::Error& error);

}  // namespace portico::http
