#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace portico::identity {

// Encrypts small secrets at rest (TOTP seeds) with XSalsa20-Poly1305 (libsodium secretbox).
// The key lives in a file beside the database, never in it. Thread-safe.
class SecretBox {
 public:
  // Reads the 32-byte key from `key_file`, creating it (mode 0600) with a random key if missing.
  // Throws std::runtime_error if the file cannot be read or written or has the wrong size.
  static SecretBox fromKeyFile(const std::string& key_file);
  explicit SecretBox(std::string key);

  // base64url(nonce ‖ ciphertext)
  std::string seal(std::string_view plaintext) const;
  // nullopt if `sealed` was not made with this key or was altered.
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  std::string key_;
};

}  // namespace portico::identity
