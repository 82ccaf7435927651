#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace portico::cases {

// The JSON object of a request, refusing fields the call does not know (InvalidInput naming it).
core::Result<nlohmann::json> objectBody(const http::Request& r,
                                        std::initializer_list<const char*> known);
// An optional id field: absent or null is none; else a positive integer (InvalidInput otherwise).
core::Result<std::optional<std::int64_t>> idField(const nlohmann::json& body, const char* key);
// An optional string field naming one of a fixed set of values (checked by the caller): absent
// or null is ""; not a string is InvalidInput with `error_key`.
core::Result<std::string> enumField(const nlohmann::json& body, const char* key,
                                    const char* error_key);
// An optional boolean field: absent or null is `fallback`; not a boolean is InvalidInput with
// `error_key`.
core::Result<bool> boolField(const nlohmann::json& body, const char* key, bool fallback,
                             const char* error_key);

}  // namespace portico::cases
