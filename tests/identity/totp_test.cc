#include "identity/totp.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace portico::identity {
namespace {

const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

struct Vector {
  std::int64_t t;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};

// RFC 6238 Appendix B.
const Vector kVectors[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000, "65353130", "77737706", "47863826"},
};

TEST(TotpTest, Rfc6238Vectors) {
  for (const auto& v : kVectors) {
    EXPECT_EQ(Totp::code(kSeed20, v.t, 8, TotpAlgorithm::Sha1), v.sha1) << v.t;
    EXPECT_EQ(Totp::code(kSeed32, v.t, 8, TotpAlgorithm::Sha256), v.sha256) << v.t;
    EXPECT_EQ(Totp::code(kSeed64, v.t, 8, TotpAlgorithm::Sha512), v.sha512) << v.t;
  }
}

TEST(TotpTest, Rfc4226HotpVectorsAsTimeSteps) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Totp::code(kSeed20, counter * 30LL), expected[counter]) << counter;
  }
}

TEST(TotpTest, AcceptsOneStepEitherWayAndNoMore) {
  const std::int64_t now = 1'700'000'000;
  auto secret = kSeed20;
  EXPECT_EQ(Totp::verify(secret, Totp::code(secret, now), now), Totp::stepOf(now));
  EXPECT_EQ(Totp::verify(secret, Totp::code(secret, now - 30), now), Totp::stepOf(now) - 1);
  EXPECT_EQ(Totp::verify(secret, Totp::code(secret, now + 30), now), Totp::stepOf(now) + 1);
  EXPECT_FALSE(Totp::verify(secret, Totp::code(secret, now - 60), now));
  EXPECT_FALSE(Totp::verify(secret, Totp::code(secret, now + 60), now));
}

TEST(TotpTest, MalformedCodesAreRefused) {
  EXPECT_FALSE(Totp::verify(kSeed20, "", 59));
  EXPECT_FALSE(Totp::verify(kSeed20, "12345", 59));
  EXPECT_FALSE(Totp::verify(kSeed20, "28708a", 59));
  EXPECT_FALSE(Totp::verify(kSeed20, "2870821", 59));
}

TEST(TotpTest, Base32AndOtpauthUri) {
  EXPECT_EQ(Totp::base32(kSeed20), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Totp::base32("f"), "MY");
  core::initCrypto();
  auto secret = Totp::generateSecret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_EQ(Totp::base32(secret).size(), 32u);
  auto uri = Totp::otpauthUri("Portico", "anna@acme.example", kSeed20);
  EXPECT_EQ(uri,
            "otpauth://totp/Portico:anna%40acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Portico&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace portico::identity
