#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

struct sockaddr;

namespace portico::notify {

// Whether an address may receive a webhook: false for loopback, private (RFC 1918, ULA
// fc00::/7), link-local (169.254/16, fe80::/10), unspecified, "this network" (0/8), CGNAT
// (100.64/10), multicast, broadcast and reserved ranges, IETF protocol assignments, benchmarking
// (198.18/15), documentation ranges, and IPv6 forms that embed one of those (IPv4-mapped
// ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16).
bool isPublicIpv4(std::uint32_t host_order);
bool isPublicIpv6(const unsigned char bytes[16]);
// The same for a socket address (AF_INET or AF_INET6; any other family is not public).
bool isPublicAddress(const sockaddr* address);
// The same for a numeric address ("10.0.0.1", "::1"); false for anything that is not one.
bool isPublicAddressText(std::string_view numeric);

// The authority of a URL's text after "scheme://": up to the first '/', '?' or '#'.
std::string_view authority(std::string_view after_scheme);

// Checks a webhook URL as given, before anything resolves it: http or https only, at most 2,000
// bytes, a host, no user name or password, no fragment, no literal address that is not public
// (unless `allow_private`) and no "localhost". InvalidInput naming `field` with a message key of
// errors.webhooks.* otherwise. The address connected to is checked again after DNS resolution
// (WebhookClient).
core::Status checkWebhookUrl(std::string_view url, bool allow_private,
                             const std::string& field = "url");

}  // namespace portico::notify
