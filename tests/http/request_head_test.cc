#include "http/request_head.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/client_address.h"

namespace portico::http {
namespace {

using Outcome = HeadScan::Outcome;

TEST(RequestHeadTest, FindsTheEndOfAHead) {
  std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  auto scan = scanRequestHead(head + "next", 8192);
  EXPECT_EQ(scan.outcome, Outcome::Complete);
  EXPECT_EQ(scan.size, head.size());
  EXPECT_EQ(scanRequestHead("\r\n\r\n" + head, 8192).size, head.size() + 4);  // empty lines first
  EXPECT_EQ(scanRequestHead("GET / HTTP/1.1\r\nHost: x\r\n", 8192).outcome, Outcome::NeedMore);
  EXPECT_EQ(scanRequestHead("GET / HTTP/1.1\r\nHost: x\r", 8192).outcome, Outcome::NeedMore);
  EXPECT_EQ(scanRequestHead("", 8192).outcome, Outcome::NeedMore);
}

TEST(RequestHeadTest, RefusesBareLineFeedsAndObsFold) {
  for (const char* bad :
       {"GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/1.1\r\nHost: x\n\r\n",
        "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", "GET / HTTP/1.1\r\nA: b\r\n\tc\r\n",
        "GET / HTTP/1.1\r\n Host: x\r\n\r\n", "\n"}) {
    EXPECT_EQ(scanRequestHead(bad, 8192).outcome, Outcome::Malformed) << bad;
  }
}

TEST(RequestHeadTest, AHeadBeyondTheLimitIsTooLarge) {
  std::string head = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n";
  EXPECT_EQ(scanRequestHead(head, head.size()).outcome, Outcome::Complete);
  EXPECT_EQ(scanRequestHead(head, head.size() - 1).outcome, Outcome::TooLarge);
  EXPECT_EQ(scanRequestHead(std::string(64, 'a'), 64).outcome, Outcome::TooLarge);
}

TEST(RequestHeadTest, RequestTargetOfTheFirstLine) {
  EXPECT_EQ(requestTarget("GET /api/v1/me?x=1 HTTP/1.1\nHost"), "/api/v1/me?x=1");
  EXPECT_EQ(requestTarget("\r\nPOST /login HTTP/1.1\r\n"), "/login");
  EXPECT_EQ(requestTarget("garbage"), "");
}

TEST(RequestHeadTest, OnlyASingleChunkedOrASingleLengthFrames) {
  using V = std::vector<std::string_view>;
  EXPECT_TRUE(framingFault(V{}, V{}).empty());
  EXPECT_TRUE(framingFault(V{"chunked"}, V{}).empty());
  EXPECT_TRUE(framingFault(V{" Chunked "}, V{}).empty());
  EXPECT_TRUE(framingFault(V{}, V{"12"}).empty());
  for (auto te : {"identity", "xchunked", "chunked, identity", "gzip, chunked", ""}) {
    EXPECT_FALSE(framingFault(V{te}, V{}).empty()) << te;
  }
  EXPECT_FALSE(framingFault(V{"chunked", "chunked"}, V{}).empty());
  EXPECT_FALSE(framingFault(V{}, V{"5", "5"}).empty());
  EXPECT_FALSE(framingFault(V{}, V{"5, 5"}).empty());
  EXPECT_FALSE(framingFault(V{"chunked"}, V{"5"}).empty());
}

TEST(ClientAddressTest, ParsesNetworksAndMatchesThem) {
  auto net = Cidr::parse("10.0.0.0/8");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(*Cidr::parse("10.200.3.4")));
  EXPECT_FALSE(net->contains(*Cidr::parse("11.0.0.1")));
  EXPECT_TRUE(net->contains(*Cidr::parse("::ffff:10.1.2.3")));  // IPv4-mapped
  EXPECT_FALSE(net->contains(*Cidr::parse("::1")));
  auto v6 = Cidr::parse("2001:db8::/33");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*Cidr::parse("2001:db8:7fff::1")));
  EXPECT_FALSE(v6->contains(*Cidr::parse("2001:db8:8000::1")));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains(*Cidr::parse("192.0.2.1")));
  for (auto bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "10.0.0", "::1/129", "host",
                   "10.0.0.0/-1", "1.2.3.4 /8"}) {
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
  }
  EXPECT_THROW(TrustedProxies({"10.0.0.0/8", "nonsense"}), std::invalid_argument);
}

TEST(ClientAddressTest, TheRightmostUntrustedForwardedAddressIsTheClient) {
  TrustedProxies none;
  std::vector<std::string_view> xff = {"198.51.100.7"};
  EXPECT_EQ(none.clientOf("127.0.0.1", xff), "127.0.0.1");  // no proxies trusted: ignored

  TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(proxies.clientOf("192.0.2.5", xff), "192.0.2.5");  // not from a proxy: ignored
  EXPECT_EQ(proxies.clientOf("127.0.0.1", xff), "198.51.100.7");
  std::vector<std::string_view> chain = {"203.0.113.1, 198.51.100.7", "10.1.1.1"};
  EXPECT_EQ(proxies.clientOf("127.0.0.1", chain), "198.51.100.7");  // the spoofable left is not
  std::vector<std::string_view> all_trusted = {"10.0.0.2, 10.0.0.3"};
  EXPECT_EQ(proxies.clientOf("127.0.0.1", all_trusted), "10.0.0.2");
  std::vector<std::string_view> junk = {"198.51.100.7, junk, 10.0.0.3"};
  EXPECT_EQ(proxies.clientOf("127.0.0.1", junk), "10.0.0.3");
  std::vector<std::string_view> empty;
  EXPECT_EQ(proxies.clientOf("127.0.0.1", empty), "127.0.0.1");
  std::vector<std::string_view> v6 = {"2001:DB8::0:1"};
  EXPECT_EQ(proxies.clientOf("::ffff:127.0.0.1", v6), "2001:db8::1");
}

}  // namespace
}  // namespace portico::http
