#include "identity/secret_box.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/random.h"

namespace portico::identity {
namespace {

TEST(SecretBoxTest, SealsAndOpensAndDetectsTampering) {
  core::initCrypto();
  auto dir = std::filesystem::temp_directory_path() / ("portico-sb-" + core::randomToken(6));
  std::filesystem::create_directories(dir);
  auto key_file = (dir / "k.key").string();
  auto box = SecretBox::fromKeyFile(key_file);
  auto sealed = box.seal("totp seed bytes");
  EXPECT_EQ(sealed.find("totp"), std::string::npos);
  EXPECT_EQ(box.open(sealed), "totp seed bytes");
  auto again = SecretBox::fromKeyFile(key_file);  // the same key is read back
  EXPECT_EQ(again.open(sealed), "totp seed bytes");
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.open(tampered));
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace portico::identity
