#pragma once

#include <functional>

#include "core/error.h"
#include "http/message.h"

namespace portico::http {

// The HTTP status for an error code. The one place where error codes meet HTTP.
int statusFor(core::ErrorCode code);

// {"error":{"code":…,"message":…[,"field":…]}} with the fitting status (and Retry-After).
Response jsonError(const core::Error& error);

// Renders an error as an HTML page; the web layer installs a translated, styled one.
using HtmlErrorRenderer = std::function<Response(const Request&, const core::Error&)>;

// JSON under /api, otherwise HTML through `html` (a plain page if `html` is empty).
Response errorResponse(const Request& request, const core::Error& error,
                       const HtmlErrorRenderer& html = {});

}  // namespace portico::http
