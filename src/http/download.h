#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace portico::http {

// The Content-Disposition value that offers `filename` for saving, never for showing (RFC 6266):
//   attachment; filename="<fallback>"; filename*=UTF-8''<percent-encoded name>
// The fallback is the name with every byte outside printable ASCII, and '"', '\' and '%',
// replaced by '_'; the extended value percent-encodes everything but RFC 8187's attr-chars, so
// neither can end the header's parameter or add one.
std::string attachmentDisposition(std::string_view filename);

// A file for the browser to save: its bytes, `content_type` (REQUIRES: a type that is safe to
// serve, as sniffContentType decides; never HTML or SVG), Content-Disposition as above,
// X-Content-Type-Options: nosniff, a Content-Security-Policy that runs nothing even if the file
// were shown (sandbox), and `etag` (quoted here) when given.
Response download(std::string data, std::string_view content_type, std::string_view filename,
                  std::string_view etag = {});

}  // namespace portico::http
