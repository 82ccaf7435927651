#include "identity/secret_box.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/random.h"
#include "core/text.h"

namespace portico::identity {

SecretBox SecretBox::fromKeyFile(const std::string& key_file) {
  if (!std::filesystem::exists(key_file)) {
    std::string key = core::randomBytes(crypto_secretbox_KEYBYTES);
    std::string tmp = key_file + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << core::hexEncode(key);
      if (!f) {
        throw std::runtime_error("cannot write key file " + key_file);
      }
    }
    ::chmod(tmp.c_str(), 0600);
    std::filesystem::rename(tmp, key_file);
  }
  std::ifstream f(key_file, std::ios::binary);
  std::string hex((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  hex = std::string(core::trim(hex));
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  std::size_t len = 0;
  if (!f.good() && !f.eof()) {
    throw std::runtime_error("cannot read key file " + key_file);
  }
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.c_str(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != crypto_secretbox_KEYBYTES) {
    throw std::runtime_error("key file " + key_file + " does not hold a 32-byte hex key");
  }
  return SecretBox(std::move(key));
}

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return core::base64UrlEncode(out);
}

std::optional<std::string> SecretBox::open(std::string_view sealed) const {
  std::string raw(sealed.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace portico::identity
