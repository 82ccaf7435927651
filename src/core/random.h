#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace portico::core {

// Cryptographically secure randomness (libsodium). Thread-safe.
// REQUIRES: initCrypto() was called once at start-up.
void initCrypto();

// `bytes` random bytes, URL-safe base64 without padding (a 32-byte token has 256 bits).
std::string randomToken(std::size_t bytes = 32);

// Raw random bytes.
std::string randomBytes(std::size_t bytes);

// A uniformly random number of `digits` decimal digits, zero-padded ("042917").
std::string randomDigits(int digits);

// `length` characters, each uniformly random from `alphabet` (at most 256 distinct characters).
std::string randomCode(std::size_t length, std::string_view alphabet);

}  // namespace portico::core
