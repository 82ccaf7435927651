// Fuzzes the TOTP secret and code handling of src/identity/totp.h and secret_box.h, abort()ing
// on a violated property:
//  - Totp::base32 of a secret is unpadded RFC 4648 base32 that liboath decodes back to it;
//  - Totp::otpauthUri parses back (label, secret, issuer, fixed parameters) with http/url.h;
//  - Totp::verify with a fuzzed code accepts only 6 digits valid within one step of `now`, and
//    accepts the current code;
//  - SecretBox::open (how stored secrets are decoded) rejects fuzzed text, and opens what was
//    sealed with its key (a fuzzed nonce instead of a random one, so runs are deterministic).

#include "identity/totp.h"

#include <fuzzer/FuzzedDataProvider.h>
#include <liboath/oath.h>
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "http/url.h"
#include "identity/secret_box.h"

namespace {

using portico::identity::SecretBox;
using portico::identity::Totp;

constexpr std::string_view kIssuer = "Portico";  // as identity_service.cc

void check(bool ok) {
  if (!ok) std::abort();
}

bool isDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void checkBase32(const std::string& secret) {
  std::string b32 = Totp::base32(secret);
  check(b32.size() == (secret.size() * 8 + 4) / 5);
  for (char c : b32) check((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'));
  char* decoded = nullptr;
  std::size_t len = 0;
  check(oath_base32_decode(b32.data(), b32.size(), &decoded, &len) == OATH_OK);
  check(std::string_view(decoded, len) == secret);
  std::free(decoded);
}

void checkOtpauth(const std::string& account, const std::string& secret) {
  std::string uri = Totp::otpauthUri(kIssuer, account, secret);
  constexpr std::string_view kPrefix = "otpauth://totp/";
  check(uri.starts_with(kPrefix));
  auto q = uri.find('?');
  check(q != std::string::npos);
  auto label = portico::http::percentDecode(uri.substr(kPrefix.size(), q - kPrefix.size()), false);
  if (portico::core::isCleanUtf8(account, /*allow_newlines=*/true)) {
    check(label && *label == std::string(kIssuer) + ":" + account);
  }
  auto params = portico::http::parseFormEncoded(std::string_view(uri).substr(q + 1));
  check(params.has_value());
  check(portico::http::findParam(*params, "secret") == Totp::base32(secret));
  check(portico::http::findParam(*params, "issuer") == std::string(kIssuer));
  check(portico::http::findParam(*params, "algorithm") == std::string("SHA1"));
  check(portico::http::findParam(*params, "digits") == std::string("6"));
  check(portico::http::findParam(*params, "period") == std::string("30"));
}

// A step verify() returned for `code` at `now` is within one step and has that code.
void checkAccepted(const std::string& secret, const std::string& code, std::int64_t now,
                   std::int64_t step) {
  check(code.size() == Totp::kDigits && isDigits(code));
  check(step >= Totp::stepOf(now) - 1 && step <= Totp::stepOf(now) + 1);
  check(Totp::code(secret, step * Totp::kStepSeconds) == code);
}

void checkVerify(const std::string& secret, const std::string& code, std::int64_t now) {
  if (auto step = Totp::verify(secret, code, now)) {
    checkAccepted(secret, code, now, *step);
  }
  std::string current = Totp::code(secret, now);
  check(current.size() == Totp::kDigits && isDigits(current));
  auto step = Totp::verify(secret, current, now);
  check(step.has_value());
  checkAccepted(secret, current, now, *step);
}

void checkOpen(const std::string& sealed_text, std::string nonce, const std::string& plain) {
  static const std::string key(crypto_secretbox_KEYBYTES, '\x5a');
  static const SecretBox box(key);
  // Fuzzed text: a forgery would need the key, so nothing opens.
  check(!box.open(sealed_text).has_value());

  // nonce ‖ ciphertext, as SecretBox::seal makes it, with a nonce taken from the input.
  nonce.resize(crypto_secretbox_NONCEBYTES, '\0');
  std::string raw = nonce + std::string(crypto_secretbox_MACBYTES + plain.size(), '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(raw.data()) + nonce.size(),
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        reinterpret_cast<const unsigned char*>(nonce.data()),
                        reinterpret_cast<const unsigned char*>(key.data()));
  std::string sealed = portico::core::base64UrlEncode(raw);
  check(box.open(sealed) == plain);
  // The sealed text without its last character is refused.
  check(!box.open(sealed.substr(0, sealed.size() - 1)).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = sodium_init() >= 0 && oath_init() == OATH_OK;
  check(initialised);

  FuzzedDataProvider in(data, size);
  std::string secret = in.ConsumeRandomLengthString(64);
  auto now = in.ConsumeIntegralInRange<std::int64_t>(0, std::int64_t{1} << 40);
  std::string code = in.ConsumeRandomLengthString(16);
  std::string account = in.ConsumeRandomLengthString(320);
  std::string nonce = in.ConsumeBytesAsString(crypto_secretbox_NONCEBYTES);
  std::string sealed_text = in.ConsumeRemainingBytesAsString();

  checkBase32(secret);
  checkOtpauth(account, secret);
  checkVerify(secret, code, now);
  checkOpen(sealed_text, nonce, secret);
  return 0;
}
