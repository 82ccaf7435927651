#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace portico::identity {

// Argon2id password hashing (libsodium) of the NFKC form of a password (normalizePassword()), so
// that what the user types is the same password on every keyboard and system. Thread-safe. Each
// call costs `memlimit` bytes of RAM and tens of milliseconds of CPU: call it from worker threads,
// never an I/O thread.
class PasswordHasher {
 public:
  // libsodium's INTERACTIVE profile: 64 MiB, t=2, p=1 — above the OWASP floor (19 MiB, t=2).
  PasswordHasher();
  // Other cost parameters (tests use light ones to stay fast).
  PasswordHasher(unsigned long long opslimit, std::size_t memlimit);

  // REQUIRES: `password` is well-formed UTF-8 (check it with PasswordPolicy first); throws
  // std::invalid_argument otherwise.
  std::string hash(std::string_view password) const;
  // False for a wrong password, and for one that is not well-formed UTF-8.
  bool verify(const std::string& stored_hash, std::string_view password) const;
  // Verifies the bytes as given, not normalised: hashes stored before passwords were normalised
  // (rehash with hash() on success).
  bool verifyAsGiven(const std::string& stored_hash, std::string_view password) const;
  // True when `stored_hash` uses weaker parameters than this hasher's: rehash at next login.
  bool needsRehash(const std::string& stored_hash) const;
  // Spends the time of one verification on nothing, so that an unknown e-mail answers as slowly
  // as a known one.
  void verifyDummy(std::string_view password) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;
};

// The password rules of NIST SP 800-63B and SECURITY.md AUTH-02: at most 1024 bytes as given,
// well-formed UTF-8, and in NFKC form at least 8 code points, any characters but controls, no
// composition rules, not a common password, not the user's e-mail or the product name. Never
// truncates.
class PasswordPolicy {
 public:
  static constexpr std::size_t kMinCodePoints = 8;
  static constexpr std::size_t kBetterCodePoints = 15;  // what the message recommends
  static constexpr std::size_t kMaxBytes = 1024;

  // Fails with InvalidInput (field "password") and a message saying what is wrong. The length
  // and list checks apply to the NFKC form, the one that is hashed.
  [[nodiscard]] core::Status check(std::string_view password,
                                   const std::vector<std::string>& context_words) const;
  // True if the block-list holds `password` (case-insensitive).
  bool isBlocked(std::string_view password) const;
  // Number of entries of the block-list.
  std::size_t blockListSize() const;
};

// The NFKC form of a password (Unicode compatibility composition, as NIST SP 800-63B asks): a
// composed and a decomposed "é" become the same bytes, fullwidth letters become ASCII, a
// no-break space a space. Fails with InvalidInput (field "password") if `password` is longer
// than PasswordPolicy::kMaxBytes or is not well-formed UTF-8. Never truncates.
core::Result<std::string> normalizePassword(std::string_view password);

}  // namespace portico::identity
