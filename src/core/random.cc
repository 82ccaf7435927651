#include "core/random.h"

#include <sodium.h>

#include <stdexcept>

#include "core/text.h"

namespace portico::core {

void initCrypto() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

std::string randomBytes(std::size_t bytes) {
  std::string out(bytes, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string randomToken(std::size_t bytes) { return base64UrlEncode(randomBytes(bytes)); }

std::string randomDigits(int digits) {
  std::string out;
  out.reserve(static_cast<std::size_t>(digits));
  for (int i = 0; i < digits; ++i) {
    out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  }
  return out;
}

std::string randomCode(std::size_t length, std::string_view alphabet) {
  std::string out;
  out.reserve(length);
  auto n = static_cast<std::uint32_t>(alphabet.size());
  for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[randombytes_uniform(n)]);
  return out;
}

}  // namespace portico::core
