#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/result.h"

namespace portico::directory {

// The trimmed string at `key` of a JSON object: required or optional, at most `max` characters
// (code points), clean UTF-8; a `multiline` one (an address) keeps its line breaks, as "\n".
// Absent or null: `fallback` (for a required one, a fault unless it is non-empty). Each fault is
// InvalidInput naming the field, with its own message: a missing value, a value too long (naming
// the limit), characters not allowed.
core::Result<std::string> textField(const nlohmann::json& body, const char* key, bool required,
                                    std::size_t max, const std::string& fallback = "",
                                    bool multiline = false);

}  // namespace portico::directory
