#include "core/text.h"

#include <gtest/gtest.h>

#include <set>

#include "core/random.h"

namespace portico::core {
namespace {

TEST(TextTest, CleanUtf8RejectsOverlongNulAndSurrogates) {
  EXPECT_TRUE(isCleanUtf8("Grüße, 日本, 🙂"));
  EXPECT_FALSE(isCleanUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(isCleanUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(isCleanUtf8("\xed\xa0\x80"));  // UTF-16 surrogate
  EXPECT_FALSE(isCleanUtf8("\xff"));
  EXPECT_FALSE(isCleanUtf8("line\nbreak"));
  EXPECT_TRUE(isCleanUtf8("line\nbreak", true));
}

TEST(TextTest, CodePointsAreCountedNotBytes) {
  EXPECT_EQ(codePointCount("abc"), 3u);
  EXPECT_EQ(codePointCount("åäö"), 3u);
  EXPECT_EQ(codePointCount("🙂🙂"), 2u);
}

TEST(TextTest, JsonEscapingNeutralisesQuotesControlsAndMarkup) {
  std::string out;
  appendJsonEscaped(out, "a\"b\\c\n<script>\x01");
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u003cscript\\u003e\\u0001");
}

TEST(TextTest, TokensAreRandomAndLongEnough) {
  initCrypto();
  auto a = randomToken(32);
  auto b = randomToken(32);
  EXPECT_EQ(a.size(), 43u);  // 256 bits in base64url
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(TextTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

TEST(TextTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TextTest, EmailShape) {
  EXPECT_TRUE(looksLikeEmail("anna@acme.example"));
  EXPECT_FALSE(looksLikeEmail("anna"));
  EXPECT_FALSE(looksLikeEmail("a@b@c.d"));
  EXPECT_FALSE(looksLikeEmail("x\r\nBcc: evil@x.y"));
  EXPECT_FALSE(looksLikeEmail("anna@localhost"));
}

TEST(TextTest, ParsesRfc3339TimesStrictly) {
  EXPECT_EQ(parseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseRfc3339("2026-12-01T10:00:00Z"), 1796119200);
  EXPECT_EQ(parseRfc3339("2026-12-01T11:00:00+01:00"), 1796119200);
  EXPECT_EQ(parseRfc3339("2026-12-01T05:30:00-04:30"), 1796119200);
  EXPECT_EQ(parseRfc3339("2026-12-01t10:00:00.123456z"), 1796119200);
  EXPECT_EQ(parseRfc3339("2024-02-29T00:00:00Z"), 1709164800);
  // It agrees with rfc3339() both ways.
  EXPECT_EQ(rfc3339(*parseRfc3339("2031-07-15T23:59:59Z")), "2031-07-15T23:59:59Z");
  for (const char* bad :
       {"", "2026-12-01", "2026-12-01T10:00:00", "2026-12-01 10:00:00Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z",
        "2026-12-01T10:60:00Z", "2026-12-01T10:00:60Z", "2026-12-01T10:00:00.Z",
        "2026-12-01T10:00:00+0100", "2026-12-01T10:00:00+01", "2026-12-01T10:00:00Z ",
        "1969-12-31T23:59:59Z", "+2026-12-01T10:00:00Z", "2026-1-01T10:00:00Z",
        "1970-01-01T00:00:00+01:00"}) {
    EXPECT_FALSE(parseRfc3339(bad)) << bad;
  }
}

TEST(TextTest, Base64UrlDecodeReadsWhatEncodeWroteAndNothingElse) {
  for (std::string bytes : {std::string(), std::string("a"), std::string("Grüße"),
                            std::string("\0\xff\x10", 3), randomBytes(33)}) {
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(bytes)), bytes);
  }
  EXPECT_FALSE(base64UrlDecode("a+b/"));  // the standard alphabet, not the URL-safe one
  EXPECT_FALSE(base64UrlDecode("YQ=="));  // padding
  EXPECT_FALSE(base64UrlDecode("Y Q"));
  EXPECT_FALSE(base64UrlDecode("Y"));  // no whole byte
}

TEST(TextTest, RandomCodesUseOnlyTheirAlphabetAndDiffer) {
  constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::set<std::string> seen;
  std::set<char> used;
  for (int i = 0; i < 200; ++i) {
    auto code = randomCode(10, kAlphabet);
    ASSERT_EQ(code.size(), 10u);
    for (char c : code) {
      EXPECT_NE(kAlphabet.find(c), std::string_view::npos) << code;
      used.insert(c);
    }
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 200u);              // 200 codes of 49 bits each: no two alike
  EXPECT_EQ(used.size(), kAlphabet.size());  // each character turns up in 2,000 drawn
}

}  // namespace
}  // namespace portico::core
