#include "http/client_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

#include "core/text.h"

namespace portico::http {

namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// An address without a prefix; IPv4-mapped IPv6 becomes IPv4.
std::optional<Cidr> parseAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);  // inet_pton needs a terminated string
  Cidr out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.v4 = true;
    out.prefix = 32;
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) != 1) return std::nullopt;
  if (std::memcmp(out.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
    std::memset(out.bytes.data() + 4, 0, 12);
    out.v4 = true;
    out.prefix = 32;
    return out;
  }
  out.prefix = 128;
  return out;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  text = core::trim(text);
  auto slash = text.find('/');
  auto network = parseAddress(text.substr(0, slash));
  if (!network) return std::nullopt;
  if (slash == std::string_view::npos) return network;
  auto bits = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  int max = network->v4 ? 32 : 128;
  if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
      prefix > max) {
    return std::nullopt;
  }
  network->prefix = prefix;
  return network;
}

bool Cidr::contains(const Cidr& address) const {
  if (v4 != address.v4) return false;
  int full = prefix / 8;
  if (std::memcmp(bytes.data(), address.bytes.data(), static_cast<std::size_t>(full)) != 0) {
    return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (bytes[static_cast<std::size_t>(full)] & mask) ==
         (address.bytes[static_cast<std::size_t>(full)] & mask);
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& networks) {
  for (const auto& n : networks) {
    auto cidr = Cidr::parse(n);
    if (!cidr) {
      throw std::invalid_argument("--trusted-proxy: '" + n +
                                  "' is not an address or network (like 10.0.0.0/8)");
    }
    networks_.push_back(*cidr);
  }
}

bool TrustedProxies::contains(std::string_view address) const {
  if (networks_.empty()) return false;  // the usual case, on every accepted connection
  auto a = parseAddress(core::trim(address));
  if (!a) return false;
  for (const auto& n : networks_) {
    if (n.contains(*a)) return true;
  }
  return false;
}

std::string TrustedProxies::clientOf(std::string_view peer,
                                     std::span<const std::string_view> forwarded_for) const {
  std::string client = canonicalAddress(peer);
  if (client.empty()) client = std::string(peer);
  if (networks_.empty() || !contains(peer)) return client;
  // Right to left: the last field first, and in each field the last entry first.
  for (auto field = forwarded_for.rbegin(); field != forwarded_for.rend(); ++field) {
    std::string_view list = *field;
    while (!list.empty()) {
      auto comma = list.rfind(',');
      std::string_view entry =
          core::trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
      if (entry.empty()) continue;
      std::string address = canonicalAddress(entry);
      if (address.empty()) return client;  // not an address: stop at the last trusted hop
      client = address;
      if (!contains(address)) return client;
    }
  }
  return client;
}

std::string canonicalAddress(std::string_view text) {
  auto a = parseAddress(core::trim(text));
  if (!a) return {};
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(a->v4 ? AF_INET : AF_INET6, a->bytes.data(), buf, sizeof buf) == nullptr) {
    return {};
  }
  return buf;
}

}  // namespace portico::http
