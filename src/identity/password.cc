#include "identity/password.h"

#include <sodium.h>
#include <uninorm.h>
#include <unistr.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include "core/embedded.h"
#include "core/text.h"

namespace portico::identity::blocklist {
std::span<const core::EmbeddedFile> embeddedFiles();
}

namespace portico::identity {
namespace {

const std::unordered_set<std::string>& blockList() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> out;
    for (const auto& file : blocklist::embeddedFiles()) {
      std::string_view data = file.data;
      while (!data.empty()) {
        auto nl = data.find('\n');
        auto line = core::trim(data.substr(0, nl));
        data = nl == std::string_view::npos ? std::string_view{} : data.substr(nl + 1);
        if (!line.empty() && !line.starts_with("#!comment:")) {
          out.insert(core::asciiLower(line));
        }
      }
    }
    return out;
  }();
  return list;
}

struct FreeBytes {
  void operator()(std::uint8_t* p) const { std::free(p); }
};

// The NFKC form of `s` (libunistring), or nullopt if `s` is not well-formed UTF-8.
std::optional<std::string> nfkc(std::string_view s) {
  if (s.empty()) return std::string();
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  if (u8_check(bytes, s.size()) != nullptr) return std::nullopt;
  std::size_t length = 0;
  std::unique_ptr<std::uint8_t, FreeBytes> out(
      u8_normalize(UNINORM_NFKC, bytes, s.size(), nullptr, &length));
  if (!out) throw std::bad_alloc();  // the input is well-formed: only memory can run out
  return std::string(reinterpret_cast<const char*>(out.get()), length);
}

}  // namespace

core::Result<std::string> normalizePassword(std::string_view password) {
  if (password.size() > PasswordPolicy::kMaxBytes) {
    return core::fail(core::Error::invalid("errors.identity.password.too_long", "password")
                          .with("max", std::to_string(PasswordPolicy::kMaxBytes)));
  }
  auto normal = nfkc(password);
  if (!normal) {
    return core::fail(core::Error::invalid("errors.identity.password.not_utf8", "password"));
  }
  return std::move(*normal);
}

PasswordHasher::PasswordHasher()
    : PasswordHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) {}

PasswordHasher::PasswordHasher(unsigned long long opslimit, std::size_t memlimit)
    : opslimit_(opslimit), memlimit_(memlimit) {
  dummy_hash_ = hash("portico dummy password for timing");
}

std::string PasswordHasher::hash(std::string_view password) const {
  auto normal = nfkc(password);
  if (!normal) throw std::invalid_argument("the password is not well-formed UTF-8");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, normal->data(), normal->size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& stored, std::string_view password) const {
  auto normal = nfkc(password);
  return normal && crypto_pwhash_str_verify(stored.c_str(), normal->data(), normal->size()) == 0;
}

bool PasswordHasher::verifyAsGiven(const std::string& stored, std::string_view password) const {
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needsRehash(const std::string& stored) const {
  return crypto_pwhash_str_needs_rehash(stored.c_str(), opslimit_, memlimit_) != 0;
}

void PasswordHasher::verifyDummy(std::string_view password) const {
  (void)verify(dummy_hash_, password);
}

core::Status PasswordPolicy::check(std::string_view password,
                                   const std::vector<std::string>& context_words) const {
  auto normal = normalizePassword(password);  // the bytes cap and UTF-8, on what was typed
  if (!normal) return core::fail(normal.error());
  if (!core::isCleanUtf8(*normal)) {
    return core::fail(core::Error::invalid("errors.identity.password.bad_characters", "password"));
  }
  if (core::codePointCount(*normal) < kMinCodePoints) {
    return core::fail(core::Error::invalid("errors.identity.password.too_short", "password")
                          .with("min", std::to_string(kMinCodePoints))
                          .with("better", std::to_string(kBetterCodePoints)));
  }
  if (isBlocked(*normal)) {
    return core::fail(core::Error::invalid("errors.identity.password.too_common", "password"));
  }
  std::string lower = core::asciiLower(*normal);
  for (const auto& word : context_words) {
    std::string w = core::asciiLower(nfkc(word).value_or(word));
    if (w.size() >= 4 && lower.find(w) != std::string::npos) {
      return core::fail(
          core::Error::invalid("errors.identity.password.contains_context", "password"));
    }
  }
  return {};
}

bool PasswordPolicy::isBlocked(std::string_view password) const {
  const auto& list = blockList();
  std::string lower = core::asciiLower(password);
  if (list.count(lower)) {
    return true;
  }
  // "password1!", "Summer2024": a listed word with digits or symbols tacked on is still common.
  auto end = lower.find_last_not_of("0123456789!@#$%^&*.?_-");
  if (end != std::string::npos && end + 1 < lower.size()) {
    auto stem = lower.substr(0, end + 1);
    if (stem.size() >= 4 && list.count(stem)) {
      return true;
    }
  }
  return false;
}

std::size_t PasswordPolicy::blockListSize() const { return blockList().size(); }

}  // namespace portico::identity
