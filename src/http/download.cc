#include "http/download.h"

#include <cstdio>

namespace portico::http {
namespace {

// RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" /
// "`" / "|" / "~".
bool attrChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '&':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string attachmentDisposition(std::string_view filename) {
  std::string fallback;
  std::string extended;
  for (char ch : filename) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
    fallback += plain ? ch : '_';
    if (attrChar(c)) {
      extended += ch;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      extended += hex;
    }
  }
  if (fallback.empty()) fallback = "file";
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" +
         (extended.empty() ? std::string("file") : extended);
}

Response download(std::string data, std::string_view content_type, std::string_view filename,
                  std::string_view etag) {
  Response res{200, {}, std::move(data), {}, {}};
  res.setHeader("Content-Type", std::string(content_type));
  res.setHeader("Content-Disposition", attachmentDisposition(filename));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  if (!etag.empty()) res.setHeader("ETag", "\"" + std::string(etag) + "\"");
  return res;
}

}  // namespace portico::http
