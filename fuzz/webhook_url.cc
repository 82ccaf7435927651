// Fuzzes src/notify/webhook_url.h: the check of a webhook URL as given (before DNS) and the
// address checks that run on every address connected to. Each call is checked against the
// contract in webhook_url.h; a violation abort()s.

#include "notify/webhook_url.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

void checkUrl(std::string_view in) {
  auto strict = portico::notify::checkWebhookUrl(in, false, "url");
  auto relaxed = portico::notify::checkWebhookUrl(in, true, "url");
  // What passes without private addresses passes with them; a refusal names the field.
  check(!strict || relaxed);
  if (!strict) check(strict.error().field == "url" && strict.error().key.starts_with("errors."));
  if (!relaxed) return;
  // An accepted URL is http or https, of printable ASCII, with no userinfo and no fragment.
  auto l = lower(in);
  check(l.starts_with("http://") || l.starts_with("https://"));
  check(in.size() <= 2000);
  for (char c : in)
    check(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f);
  check(in.find('#') == std::string_view::npos);
  check(portico::notify::authority(in.substr(in.find("//") + 2)).find('@') ==
        std::string_view::npos);
}

// Four or sixteen bytes as an address: the text and socket forms agree, and IPv4-mapped IPv6
// agrees with IPv4.
void checkAddress(const uint8_t* data, size_t size) {
  if (size >= 4) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    std::memcpy(&v4.sin_addr, data, 4);
    bool pub = portico::notify::isPublicAddress(reinterpret_cast<sockaddr*>(&v4));
    char text[INET_ADDRSTRLEN];
    check(inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text) != nullptr);
    check(portico::notify::isPublicAddressText(text) == pub);
    sockaddr_in6 mapped{};
    mapped.sin6_family = AF_INET6;
    mapped.sin6_addr.s6_addr[10] = 0xff;
    mapped.sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&mapped.sin6_addr.s6_addr[12], data, 4);
    check(portico::notify::isPublicAddress(reinterpret_cast<sockaddr*>(&mapped)) == pub);
    if (data[0] == 127 || data[0] == 10 || (data[0] == 192 && data[1] == 168)) check(!pub);
  }
  if (size >= 16) {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    std::memcpy(&v6.sin6_addr, data, 16);
    bool pub = portico::notify::isPublicAddress(reinterpret_cast<sockaddr*>(&v6));
    char text[INET6_ADDRSTRLEN];
    check(inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text) != nullptr);
    check(portico::notify::isPublicAddressText(text) == pub);
    if ((data[0] & 0xfe) == 0xfc || data[0] == 0xff) check(!pub);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  checkUrl(in);
  checkAddress(data, size);
  portico::notify::isPublicAddressText(in);
  return 0;
}
