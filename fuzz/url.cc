// Fuzzes src/http/url.h: percent-decoding (paths and forms), percent-encoding, query strings and
// application/x-www-form-urlencoded bodies, and the post-sign-in redirect check. Each call is
// checked against the contract in url.h; a violation abort()s.

#include "http/url.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"

namespace {

using portico::http::Params;

void check(bool ok) {
  if (!ok) std::abort();
}

bool isUnreservedOrEscape(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '%';
}

void checkDecode(std::string_view in, bool plus_as_space) {
  auto out = portico::http::percentDecode(in, plus_as_space);
  if (!out) return;
  check(out->size() <= in.size());
  check(portico::core::isCleanUtf8(*out, /*allow_newlines=*/true));
  if (!plus_as_space) {
    check(in.find('%') != std::string_view::npos || *out == in);
  }
  // Encoding then decoding gives the decoded text back, and the encoding is plain ASCII.
  std::string encoded = portico::http::percentEncode(*out);
  for (char c : encoded) check(isUnreservedOrEscape(c));
  auto again = portico::http::percentDecode(encoded, plus_as_space);
  check(again && *again == *out);
}

void checkForm(std::string_view in) {
  auto params = portico::http::parseFormEncoded(in);
  if (!params) return;
  std::string reencoded;
  for (std::size_t i = 0; i < params->size(); ++i) {
    const auto& [name, value] = (*params)[i];
    check(!name.empty());
    check(portico::http::findParam(*params, name) == value);  // names are unique
    check(portico::core::isCleanUtf8(name, true) && portico::core::isCleanUtf8(value, true));
    if (i > 0) reencoded += '&';
    reencoded += portico::http::percentEncode(name) + "=" + portico::http::percentEncode(value);
  }
  auto again = portico::http::parseFormEncoded(reencoded);
  check(again && *again == *params);
}

void checkRedirect(std::string_view in) {
  if (!portico::http::isSafeRedirectPath(in)) return;
  check(!in.empty() && in.front() == '/' && in.size() <= 2000);
  check(in.find("//") == std::string_view::npos);
  check(in.find('\\') == std::string_view::npos);
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    check(u >= 0x20 && u != 0x7F);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  checkDecode(in, false);
  checkDecode(in, true);
  checkForm(in);
  checkRedirect(in);
  // The sign-in page reads ?next= from the query, then checks it.
  if (auto query = portico::http::parseFormEncoded(in)) {
    if (auto next = portico::http::findParam(*query, "next")) {
      checkRedirect(*next);
    }
  }
  return 0;
}
