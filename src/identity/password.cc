#include "identity/password.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>
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

}  // namespace

PasswordHasher::PasswordHasher()
    : PasswordHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) {}

PasswordHasher::PasswordHasher(unsigned long long opslimit, std::size_t memlimit)
    : opslimit_(opslimit), memlimit_(memlimit) {
  dummy_hash_ = hash("portico dummy password for timing");
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& stored, std::string_view password) const {
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
  auto fail = [](std::string msg) {
    return core::fail(core::Error::invalid(std::move(msg), "password"));
  };
  if (password.size() > kMaxBytes) {
    return fail("The password is too long (at most 1024 bytes)");
  }
  if (!core::isCleanUtf8(password)) {
    return fail("The password contains characters that are not allowed");
  }
  if (core::codePointCount(password) < kMinCodePoints) {
    return fail("The password must have at least 8 characters (15 or more is better)");
  }
  if (isBlocked(password)) {
    return fail("This password is too common; choose another");
  }
  std::string lower = core::asciiLower(password);
  for (const auto& word : context_words) {
    std::string w = core::asciiLower(word);
    if (w.size() >= 4 && lower.find(w) != std::string::npos) {
      return fail("The password must not contain your e-mail, name or the product's name");
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
