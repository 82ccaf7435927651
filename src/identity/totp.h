#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::identity {

enum class TotpAlgorithm { Sha1, Sha256, Sha512 };

// RFC 6238 time-based one-time passwords (liboath). Time is a parameter, so tests pin dates.
class Totp {
 public:
  static constexpr int kDigits = 6;
  static constexpr int kStepSeconds = 30;
  static constexpr int kSecretBytes = 20;  // 160 bits, as RFC 4226 recommends

  // A fresh random secret (raw bytes).
  static std::string generateSecret();
  // The code for raw `secret` at Unix time `t`.
  static std::string code(std::string_view secret, std::int64_t t, int digits = kDigits,
                          TotpAlgorithm algorithm = TotpAlgorithm::Sha1);
  // The time step of `t`.
  static std::int64_t stepOf(std::int64_t t) { return t / kStepSeconds; }
  // The matching time step if `code` is valid at `now` within one step either way, else nullopt.
  // The caller refuses a step not greater than the last one accepted (no second use).
  static std::optional<std::int64_t> verify(std::string_view secret, std::string_view code,
                                            std::int64_t now);
  // RFC 4648 base32 without padding (what authenticator apps take).
  static std::string base32(std::string_view bytes);
  // otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
  static std::string otpauthUri(std::string_view issuer, std::string_view account,
                                std::string_view secret);
};

}  // namespace portico::identity
