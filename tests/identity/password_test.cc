#include "identity/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/random.h"

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
