#include "notify/webhook_url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace portico::notify {
namespace {

bool inNet(std::uint32_t a, std::uint32_t net, int bits) {
  std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

std::uint32_t v4At(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

core::Error bad(const char* key, const std::string& field) {
  return core::Error::invalid(std::string("errors.webhooks.") + key, field);
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// A part of a parsed URL, or "" if it has none.
std::string part(CURLU* u, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(u, which, &value, 0) != CURLUE_OK || !value) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

std::string_view authority(std::string_view after_scheme) {
  return after_scheme.substr(0, after_scheme.find_first_of("/?#"));
}

bool isPublicIpv4(std::uint32_t a) {
  struct Net {
    std::uint32_t net;
    int bits;
  };
  static constexpr Net kRefused[] = {
      {ip(0, 0, 0, 0), 8},        // "this network", unspecified
      {ip(10, 0, 0, 0), 8},       // private
      {ip(100, 64, 0, 0), 10},    // CGNAT
      {ip(127, 0, 0, 0), 8},      // loopback
      {ip(169, 254, 0, 0), 16},   // link-local
      {ip(172, 16, 0, 0), 12},    // private
      {ip(192, 0, 0, 0), 24},     // IETF protocol assignments
      {ip(192, 0, 2, 0), 24},     // documentation
      {ip(192, 88, 99, 0), 24},   // 6to4 relay anycast
      {ip(192, 168, 0, 0), 16},   // private
      {ip(198, 18, 0, 0), 15},    // benchmarking
      {ip(198, 51, 100, 0), 24},  // documentation
      {ip(203, 0, 113, 0), 24},   // documentation
      {ip(224, 0, 0, 0), 4},      // multicast
      {ip(240, 0, 0, 0), 4},      // reserved, broadcast
  };
  for (const auto& n : kRefused) {
    if (inNet(a, n.net, n.bits)) return false;
  }
  return true;
}

bool isPublicIpv6(const unsigned char b[16]) {
  static const unsigned char kZero[16] = {};
  // ::/96 holds the unspecified address, loopback and the IPv4-compatible forms.
  if (std::memcmp(b, kZero, 12) == 0) {
    std::uint32_t v4 = v4At(b + 12);
    if (v4 <= 1) return false;
    return isPublicIpv4(v4);
  }
  // ::ffff:0:0/96, IPv4-mapped.
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) return isPublicIpv4(v4At(b + 12));
  // ::ffff:0:0:0/96, IPv4-translated.
  static const unsigned char kTranslated[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
  if (std::memcmp(b, kTranslated, 12) == 0) return isPublicIpv4(v4At(b + 12));
  // 64:ff9b::/96 (NAT64) and 64:ff9b:1::/48 (local NAT64).
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) return isPublicIpv4(v4At(b + 12));
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1)
    return false;
  if (b[0] == 0x20 && b[1] == 0x02) return isPublicIpv4(v4At(b + 2));  // 6to4
  if ((b[0] & 0xfe) == 0xfc) return false;                             // ULA fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;             // link-local fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;             // site-local fec0::/10
  if (b[0] == 0xff) return false;                                      // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // docs
  if (b[0] == 0x01 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 &&
      b[7] == 0)
    return false;  // discard-only 100::/64
  return true;
}

bool isPublicAddress(const sockaddr* address) {
  if (!address) return false;
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    return isPublicIpv4(ntohl(in.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    return isPublicIpv6(in6.sin6_addr.s6_addr);
  }
  return false;
}

bool isPublicAddressText(std::string_view numeric) {
  std::string text(numeric);
  if (text.find('\0') != std::string::npos) return false;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return isPublicIpv4(ntohl(v4.s_addr));
  in6_addr v6{};
  auto percent = text.find('%');  // a zone id makes it link-local in practice; check the rest
  if (percent != std::string::npos) text.resize(percent);
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return isPublicIpv6(v6.s6_addr);
  return false;
}

core::Status checkWebhookUrl(std::string_view url, bool allow_private, const std::string& field) {
  if (url.empty()) return core::fail(bad("url_missing", field));
  if (url.size() > 2000) return core::fail(bad("url_too_long", field));
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return core::fail(bad("url_invalid", field));
  }
  std::string written;  // the scheme as written: curl would guess one for "example.com/x"
  for (char c : url.substr(0, 8)) {
    written += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (!written.starts_with("http://") && !written.starts_with("https://")) {
    return core::fail(bad("url_scheme", field));
  }
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return core::fail(bad("url_invalid", field));
  std::string text(url);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return core::fail(bad("url_invalid", field));
  }
  auto scheme = part(u.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") return core::fail(bad("url_scheme", field));
  if (!part(u.get(), CURLUPART_USER).empty() || !part(u.get(), CURLUPART_PASSWORD).empty() ||
      !part(u.get(), CURLUPART_OPTIONS).empty() ||
      authority(url.substr(scheme.size() + 3)).find('@') != std::string_view::npos) {
    return core::fail(bad("url_userinfo", field));
  }
  if (!part(u.get(), CURLUPART_FRAGMENT).empty() || url.find('#') != std::string_view::npos) {
    return core::fail(bad("url_fragment", field));
  }
  auto host = part(u.get(), CURLUPART_HOST);
  if (host.empty()) return core::fail(bad("url_host", field));
  if (allow_private) return {};
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  std::string lower_host;
  for (char c : bare) lower_host += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  while (!lower_host.empty() && lower_host.back() == '.') lower_host.pop_back();
  if (lower_host == "localhost" || lower_host.ends_with(".localhost")) {
    return core::fail(bad("url_private", field));
  }
  in_addr v4{};
  in6_addr v6{};
  std::string no_zone = bare.substr(0, bare.find('%'));
  bool literal =
      inet_pton(AF_INET, bare.c_str(), &v4) == 1 || inet_pton(AF_INET6, no_zone.c_str(), &v6) == 1;
  if (literal && !isPublicAddressText(bare)) return core::fail(bad("url_private", field));
  return {};
}

}  // namespace portico::notify
