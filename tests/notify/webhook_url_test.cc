// The webhook URL and address checks: what may receive a webhook, and what never may.
#include "notify/webhook_url.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "notify/webhook_client.h"

namespace portico::notify {
namespace {

TEST(WebhookAddressTest, PublicAddressesPass) {
  for (const char* a : {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1",
                        "172.15.255.255", "172.32.0.1", "192.169.0.1", "2606:4700::1111",
                        "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_TRUE(isPublicAddressText(a)) << a;
  }
}

TEST(WebhookAddressTest, LoopbackPrivateLinkLocalAndReservedAreRefused) {
  for (const char* a : {"127.0.0.1",
                        "127.255.255.254",
                        "10.0.0.1",
                        "10.255.255.255",
                        "172.16.0.1",
                        "172.31.255.255",
                        "192.168.0.1",
                        "169.254.169.254",
                        "100.64.0.1",
                        "100.127.255.255",
                        "0.0.0.0",
                        "0.1.2.3",
                        "224.0.0.1",
                        "239.255.255.255",
                        "255.255.255.255",
                        "240.0.0.1",
                        "192.0.0.8",
                        "198.18.0.1",
                        "::",
                        "::1",
                        "fc00::1",
                        "fd12:3456::1",
                        "fe80::1",
                        "febf::1",
                        "fec0::1",
                        "ff02::1",
                        "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1",
                        "::ffff:169.254.1.1",
                        "::127.0.0.1",
                        "::ffff:0:10.0.0.1",
                        "64:ff9b::7f00:1",
                        "64:ff9b:1::1",
                        "2002:7f00:1::1",
                        "2002:c0a8:101::1",
                        "2001:db8::1",
                        "fe80::1%eth0",
                        "not an address",
                        "",
                        "1.2.3",
                        "1.2.3.4.5"}) {
    EXPECT_FALSE(isPublicAddressText(a)) << a;
  }
}

TEST(WebhookAddressTest, SocketAddressesAreCheckedByFamily) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
  EXPECT_FALSE(isPublicAddress(reinterpret_cast<sockaddr*>(&v4)));
  inet_pton(AF_INET, "93.184.216.34", &v4.sin_addr);
  EXPECT_TRUE(isPublicAddress(reinterpret_cast<sockaddr*>(&v4)));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:192.168.1.1", &v6.sin6_addr);
  EXPECT_FALSE(isPublicAddress(reinterpret_cast<sockaddr*>(&v6)));
  inet_pton(AF_INET6, "2606:4700::1111", &v6.sin6_addr);
  EXPECT_TRUE(isPublicAddress(reinterpret_cast<sockaddr*>(&v6)));
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(isPublicAddress(&other));
  EXPECT_FALSE(isPublicAddress(nullptr));
}

TEST(WebhookUrlTest, HttpAndHttpsUrlsOfPublicHostsPass) {
  for (const char* u :
       {"https://erp.example/hooks", "http://erp.example:8080/a/b?c=d", "https://93.184.216.34/x",
        "https://[2606:4700::1111]/x", "HTTPS://ERP.EXAMPLE/", "https://erp.example/hooks?user=a@b.example"}) {
    EXPECT_TRUE(checkWebhookUrl(u, false)) << u;
  }
}

TEST(WebhookUrlTest, MalformedUrlsAreRefusedNamingTheField) {
  struct Case {
    const char* url;
    const char* key;
  };
  for (auto [url, key] : std::initializer_list<Case>{
           {"", "errors.webhooks.url_missing"},
           {"ftp://erp.example/", "errors.webhooks.url_scheme"},
           {"file:///etc/passwd", "errors.webhooks.url_scheme"},
           {"gopher://erp.example/", "errors.webhooks.url_scheme"},
           {"erp.example/hooks", "errors.webhooks.url_scheme"},
           {"//erp.example/hooks", "errors.webhooks.url_scheme"},
           {"https://user:pw@erp.example/", "errors.webhooks.url_userinfo"},
           {"https://user@erp.example/", "errors.webhooks.url_userinfo"},
           {"https://erp.example@evil.example/", "errors.webhooks.url_userinfo"},
           {"https://erp.example/#x", "errors.webhooks.url_fragment"},
           {"https://erp.example/a b", "errors.webhooks.url_invalid"},
           {"https://erp.example/\n", "errors.webhooks.url_invalid"},
           {"https://", "errors.webhooks.url_invalid"},
       }) {
    auto s = checkWebhookUrl(url, false, "url");
    ASSERT_FALSE(s) << url;
    EXPECT_EQ(s.error().key, key) << url;
    EXPECT_EQ(s.error().field, "url") << url;
  }
  EXPECT_FALSE(checkWebhookUrl(std::string(2001, 'a'), false));
}

TEST(WebhookUrlTest, PrivateHostsAreRefusedUnlessAllowed) {
  for (const char* u :
       {"http://127.0.0.1/", "http://localhost:8080/", "http://a.localhost/", "http://[::1]/",
        "http://10.0.0.5/", "http://192.168.1.1/", "http://169.254.169.254/", "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/", "http://0x7f000001/", "http://2130706433/", "http://127.1/",
        "http://0/"}) {
    auto s = checkWebhookUrl(u, false);
    ASSERT_FALSE(s) << u;
    EXPECT_EQ(s.error().key, "errors.webhooks.url_private") << u;
    EXPECT_TRUE(checkWebhookUrl(u, true)) << u;
  }
  // Userinfo and schemes stay refused even then.
  EXPECT_FALSE(checkWebhookUrl("http://u:p@127.0.0.1/", true));
  EXPECT_FALSE(checkWebhookUrl("ftp://127.0.0.1/", true));
}

TEST(RetryAfterTest, SecondsAndDates) {
  EXPECT_EQ(parseRetryAfter("120", 1000), 120);
  EXPECT_EQ(parseRetryAfter("0", 1000), 0);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0);
  EXPECT_FALSE(parseRetryAfter("", 0));
  EXPECT_FALSE(parseRetryAfter("-5", 0));
  EXPECT_FALSE(parseRetryAfter("soon", 0));
  EXPECT_FALSE(parseRetryAfter("99999999999999", 0));
}

}  // namespace
}  // namespace portico::notify
