#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace portico::core {

// A file compiled into the binary (migrations, templates, translations, assets); see
// cmake/embed.cmake.
struct EmbeddedFile {
  std::string_view name;  // path relative to its folder, "0001_identity.sql"
  std::string_view data;
};

inline std::optional<std::string_view> findEmbedded(std::span<const EmbeddedFile> files,
                                                    std::string_view name) {
  for (const auto& f : files) {
    if (f.name == name) {
      return f.data;
    }
  }
  return std::nullopt;
}

}  // namespace portico::core
