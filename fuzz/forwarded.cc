// Fuzzes src/http/client_address.h: networks of --trusted-proxy and the client address taken from
// X-Forwarded-For. The input is a network, a newline, a peer, a newline, then X-Forwarded-For
// fields one per line. Checked: the client is always a canonical address (or the peer as given),
// and a network contains the addresses it was parsed from.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/client_address.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::string_view nextLine(std::string_view& in) {
  auto nl = in.find('\n');
  auto line = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using portico::http::canonicalAddress;
  using portico::http::Cidr;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string network(nextLine(in));
  std::string_view peer = nextLine(in);
  std::vector<std::string_view> forwarded;
  while (!in.empty()) forwarded.push_back(nextLine(in));

  auto cidr = Cidr::parse(network);
  if (cidr) {
    check(cidr->prefix >= 0 && cidr->prefix <= (cidr->v4 ? 32 : 128));
    check(cidr->contains(*cidr));
  }
  std::vector<std::string> networks;
  if (cidr) networks.push_back(network);
  portico::http::TrustedProxies proxies(networks);
  std::string client = proxies.clientOf(peer, forwarded);
  std::string canonical_peer = canonicalAddress(peer);
  if (canonical_peer.empty()) {
    check(client == peer);  // an unusable peer is never trusted
  } else {
    check(canonicalAddress(client) == client);
    if (!proxies.contains(peer)) check(client == canonical_peer);
  }
  return 0;
}
