#include "http/url.h"

#include <gtest/gtest.h>

namespace portico::http {
namespace {

TEST(UrlTest, PercentDecodeOnceAndRejectBadInput) {
  EXPECT_EQ(percentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("%252e", false), "%2e");  // decoded once only
  EXPECT_FALSE(percentDecode("%zz", false));
  EXPECT_FALSE(percentDecode("%2", false));
  EXPECT_FALSE(percentDecode("%00", false));     // NUL
  EXPECT_FALSE(percentDecode("%c0%af", false));  // overlong
}

TEST(UrlTest, FormParsingRejectsRepeatedNames) {
  auto p = parseFormEncoded("email=a%40b.c&password=x+y");
  ASSERT_TRUE(p);
  EXPECT_EQ(findParam(*p, "email"), "a@b.c");
  EXPECT_EQ(findParam(*p, "password"), "x y");
  EXPECT_FALSE(parseFormEncoded("id=1&id=2"));
  EXPECT_FALSE(parseFormEncoded("a=%"));
}

TEST(UrlTest, CookiesFirstValueWins) {
  auto c = parseCookies("a=1; b=\"2\"; a=3; bad; =x");
  EXPECT_EQ(findParam(c, "a"), "1");
  EXPECT_EQ(findParam(c, "b"), "2");
  EXPECT_EQ(c.size(), 2u);
}

TEST(UrlTest, SafeRedirectOnlySameOriginPaths) {
  EXPECT_TRUE(isSafeRedirectPath("/account"));
  EXPECT_FALSE(isSafeRedirectPath("//evil.com"));
  EXPECT_FALSE(isSafeRedirectPath("/\\evil.com"));
  EXPECT_FALSE(isSafeRedirectPath("javascript:alert(1)"));
  EXPECT_FALSE(isSafeRedirectPath("https://evil.com"));
  EXPECT_FALSE(isSafeRedirectPath(""));
}

TEST(UrlTest, PercentEncodeKeepsUnreserved) {
  EXPECT_EQ(percentEncode("a b/ä~"), "a%20b%2F%C3%A4~");
}

}  // namespace
}  // namespace portico::http
