#include "identity/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "core/random.h"
#include "http/url.h"

namespace portico::identity {
namespace {

struct OathInit {
  OathInit() { oath_init(); }
};

void ensureOath() { static OathInit init; }

}  // namespace

std::string Totp::generateSecret() { return core::randomBytes(kSecretBytes); }

std::string Totp::code(std::string_view secret, std::int64_t t, int digits,
                       TotpAlgorithm algorithm) {
  ensureOath();
  int flags = algorithm == TotpAlgorithm::Sha256   ? OATH_TOTP_HMAC_SHA256
              : algorithm == TotpAlgorithm::Sha512 ? OATH_TOTP_HMAC_SHA512
                                                   : 0;
  char out[16] = {};
  int rc = oath_totp_generate2(secret.data(), secret.size(), static_cast<time_t>(t), kStepSeconds,
                               0, static_cast<unsigned>(digits), flags, out);
  if (rc != OATH_OK) {
    throw std::logic_error("TOTP generation failed");
  }
  return out;
}

std::optional<std::int64_t> Totp::verify(std::string_view secret, std::string_view given,
                                         std::int64_t now) {
  if (given.size() != kDigits) {
    return std::nullopt;
  }
  for (char c : given) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  std::optional<std::int64_t> matched;
  for (int delta = -1; delta <= 1; ++delta) {
    std::int64_t t = now + delta * kStepSeconds;
    std::string expected = code(secret, t);
    // Check every candidate, so the time taken does not tell which one matched.
    if (expected.size() == given.size() &&
        sodium_memcmp(expected.data(), given.data(), given.size()) == 0) {
      matched = stepOf(t);
    }
  }
  return matched;
}

std::string Totp::base32(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  }
  return out;
}

std::string Totp::otpauthUri(std::string_view issuer, std::string_view account,
                             std::string_view secret) {
  std::string label = http::percentEncode(issuer) + ":" + http::percentEncode(account);
  return "otpauth://totp/" + label + "?secret=" + base32(secret) +
         "&issuer=" + http::percentEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace portico::identity
