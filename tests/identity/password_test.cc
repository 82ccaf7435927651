#include "identity/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.h"
#include "core/text.h"

namespace portico::identity {
namespace {

TEST(PasswordTest, DefaultHashIsArgon2idInteractive) {
  core::initCrypto();
  PasswordHasher hasher;
  auto h = hasher.hash("violet harbor sunrise");
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << h;
  EXPECT_TRUE(hasher.verify(h, "violet harbor sunrise"));
  EXPECT_FALSE(hasher.verify(h, "violet harbor sunris"));  // never truncated
  EXPECT_FALSE(hasher.needsRehash(h));
}

TEST(PasswordTest, WeakerHashesAreRehashed) {
  core::initCrypto();
  PasswordHasher light(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
  PasswordHasher normal;
  auto weak = light.hash("violet harbor sunrise");
  EXPECT_TRUE(normal.verify(weak, "violet harbor sunrise"));
  EXPECT_TRUE(normal.needsRehash(weak));
}

TEST(PasswordTest, PolicyLengthAndCharacters) {
  PasswordPolicy policy;
  EXPECT_FALSE(policy.check("short77", {}));     // 7 code points
  EXPECT_TRUE(policy.check("zebra quilt", {}));  // 8+ lower-case, fine
  EXPECT_TRUE(policy.check("åäöåäöåä", {}));     // 8 code points, 16 bytes
  EXPECT_TRUE(policy.check(std::string(128, 'x') + " 🙂 spaced", {}));
  EXPECT_FALSE(policy.check(std::string(1025, 'x'), {}));
  EXPECT_FALSE(policy.check(std::string("abc\0defghij", 11), {}));
}

// The first `n` code points of well-formed UTF-8 `s`.
std::string firstCodePoints(const std::string& s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == n) break;
  }
  return s.substr(0, i);
}

// Cheap Argon2id parameters: these tests are about what is hashed, not the cost.
PasswordHasher lightHasher() {
  core::initCrypto();
  return PasswordHasher(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
}

TEST(PasswordTest, ComposedAndDecomposedAccentsAreTheSamePassword) {
  auto hasher = lightHasher();
  const std::string composed = "caf\u00e9 au lait";     // é as U+00E9
  const std::string decomposed = "cafe\u0301 au lait";  // e + U+0301 COMBINING ACUTE ACCENT
  ASSERT_NE(composed, decomposed);
  EXPECT_EQ(normalizePassword(composed).value(), normalizePassword(decomposed).value());
  EXPECT_TRUE(hasher.verify(hasher.hash(composed), decomposed));
  EXPECT_TRUE(hasher.verify(hasher.hash(decomposed), composed));
  EXPECT_FALSE(hasher.verify(hasher.hash(composed), "cafe au lait"));
}

TEST(PasswordTest, FullwidthLettersNormaliseToAscii) {
  auto hasher = lightHasher();
  // "Ｖｉｏｌｅｔ　Ｈａｒｂｏｒ": fullwidth letters and an ideographic space.
  const std::string fullwidth =
      "\uFF36\uFF49\uFF4F\uFF4C\uFF45\uFF54\u3000\uFF28\uFF41\uFF52\uFF42\uFF4F\uFF52";
  EXPECT_EQ(normalizePassword(fullwidth).value(), "Violet Harbor");
  EXPECT_TRUE(hasher.verify(hasher.hash("Violet Harbor"), fullwidth));
  EXPECT_TRUE(hasher.verify(hasher.hash(fullwidth), "Violet Harbor"));
  // The block-list sees the normalised form: "ｐａｓｓｗｏｒｄ" is "password".
  PasswordPolicy policy;
  EXPECT_FALSE(policy.check("\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44", {}));
}

TEST(PasswordTest, MinimumLengthCountsCodePointsAfterNormalisation) {
  PasswordPolicy policy;
  const std::string eight = "\u65E5\u672C\u8A9E\u306E\u6697\u53F7\u3067\u3059";  // 日本語の暗号です
  ASSERT_EQ(eight.size(), 24u);
  EXPECT_TRUE(policy.check(eight, {}));
  const std::string seven = firstCodePoints(eight, 7);
  ASSERT_EQ(seven.size(), 21u);  // far more than 8 bytes
  auto r = policy.check(seven, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "password");
  // Decomposed accents count once: 7 × (e + U+0301) is 14 code points typed, 7 once normalised.
  std::string accents;
  for (int i = 0; i < 7; ++i) accents += "e\u0301";
  EXPECT_FALSE(policy.check(accents, {}));
  EXPECT_TRUE(policy.check(accents + "e\u0301", {}));
}

TEST(PasswordTest, LongPassphrasesWithSpacesAndEmojiAreKeptWhole) {
  auto hasher = lightHasher();
  PasswordPolicy policy;
  std::string words;
  while (core::codePointCount(words) < 200) words += "quiet \U0001F40E river \U0001F33F stone ";
  for (std::size_t n : {64u, 128u}) {
    auto pw = firstCodePoints(words, n - 1) + "\U0001F642";  // ends with an emoji
    ASSERT_EQ(core::codePointCount(pw), n);
    EXPECT_TRUE(policy.check(pw, {})) << n;
    auto stored = hasher.hash(pw);
    EXPECT_TRUE(hasher.verify(stored, pw)) << n;
    EXPECT_FALSE(hasher.verify(stored, firstCodePoints(pw, n - 1))) << n;  // never truncated
    EXPECT_FALSE(hasher.verify(stored, pw + " ")) << n;
  }
}

TEST(PasswordTest, InvalidUtf8IsRefusedNeverHashed) {
  auto hasher = lightHasher();
  PasswordPolicy policy;
  auto stored = hasher.hash("violet harbor sunrise");
  const std::vector<std::string> invalid = {
      "\xFF\xFE violet harbor",         // bytes that never occur in UTF-8
      "violet \xC0\xAF harbor",         // an overlong '/'
      "violet \xED\xA0\x80 harbor",     // a UTF-16 surrogate
      "violet harbor sunrise\xE2\x82",  // cut inside a character
  };
  for (const auto& bad : invalid) {
    auto n = normalizePassword(bad);
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(n.error().field, "password");
    auto r = policy.check(bad, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_FALSE(hasher.verify(stored, bad));
    EXPECT_THROW(hasher.hash(bad), std::invalid_argument);
  }
}

TEST(PasswordTest, TheByteCapAppliesToWhatWasTyped) {
  PasswordPolicy policy;
  std::string accents;
  for (int i = 0; i < 512; ++i) accents += "\u00e9";  // 1024 bytes
  EXPECT_TRUE(policy.check(accents, {}));
  EXPECT_FALSE(policy.check(accents + "x", {}));
  EXPECT_FALSE(normalizePassword(accents + "x"));
}

TEST(PasswordTest, BlockListHoldsThousandsOfCommonPasswords) {
  PasswordPolicy policy;
  EXPECT_GE(policy.blockListSize(), 3000u);
  for (const char* pw : {"password", "12345678", "iloveyou", "qwertyuiop", "Password1!",
                         "baseball1", "sunshine99", "portico2025"}) {
    EXPECT_FALSE(policy.check(pw, {"portico"})) << pw;
  }
}

TEST(PasswordTest, ContextWordsAreRefused) {
  PasswordPolicy policy;
  auto r = policy.check("anna.lindqvist-2026", {"anna.lindqvist"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "password");
}

}  // namespace
}  // namespace portico::identity
