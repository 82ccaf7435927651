#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portico::http {

// An IPv4 or IPv6 network ("10.0.0.0/8", "2001:db8::/32"); a bare address is a /32 or /128.
// IPv4-mapped IPv6 addresses ("::ffff:10.1.2.3") count as their IPv4 address.
struct Cidr {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
  int prefix = 0;  // bits

  // Empty for anything but a network in the forms above (no host bits check: "10.1.2.3/8" is
  // 10.0.0.0/8).
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const Cidr& address) const;
};

// The reverse proxies whose X-Forwarded-For is believed (`--trusted-proxy`). Immutable once built;
// safe to share between threads.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Throws std::invalid_argument naming the first entry that is not a network.
  explicit TrustedProxies(const std::vector<std::string>& networks);

  bool empty() const { return networks_.empty(); }
  bool contains(std::string_view address) const;

  // The client's address of a request from `peer`: `peer` itself unless it is a trusted proxy;
  // then the rightmost address of the X-Forwarded-For fields (`forwarded_for`, each a comma
  // list, in the order received) that is not itself a trusted proxy. An entry that is no address
  // stops the walk: the last trusted hop before it is answered. Addresses are answered in their
  // canonical text form.
  std::string clientOf(std::string_view peer,
                       std::span<const std::string_view> forwarded_for) const;

 private:
  std::vector<Cidr> networks_;
};

// The canonical text of an IP address (IPv4-mapped IPv6 as IPv4), or empty if it is none.
std::string canonicalAddress(std::string_view text);

}  // namespace portico::http
