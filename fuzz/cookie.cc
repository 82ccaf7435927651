// Fuzzes the Cookie header as the guard reads it (src/identity/guard.cc): http::parseCookies and
// Request::cookie() for the session and CSRF cookies, plain and __Host- prefixed. Checks the
// contract in src/http/url.h; a violation abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "http/message.h"
#include "http/url.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);

  auto cookies = portico::http::parseCookies(header);
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const auto& [name, value] = cookies[i];
    check(!name.empty() && !isSpace(name.front()) && !isSpace(name.back()));
    check(name.find(';') == std::string::npos && name.find('=') == std::string::npos);
    check(value.find(';') == std::string::npos);
    check(name.size() + value.size() <= header.size());
    for (std::size_t j = 0; j < i; ++j) check(cookies[j].first != name);  // first one wins
  }

  portico::http::Request request;
  request.headers.emplace_back("cookie", std::string(header));
  for (const char* name :
       {"portico_session", "portico_csrf", "__Host-portico_session", "__Host-portico_csrf"}) {
    auto value = request.cookie(name);
    auto found = portico::http::findParam(cookies, name);
    check(value == (found ? *found : std::string()));
  }
  return 0;
}
