// Fuzzes JSON request bodies as the API reads them (src/identity/guard.h): parseJsonObject, then
// the typed readers handlers apply to it: stringField with the limits of identity_api.cc, the
// boolean map of PUT /api/v1/me/notifications and the integer lists of the access API. Checks
// their contracts; a violation abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/text.h"
#include "identity/guard.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto parsed = portico::identity::parseJsonObject(body.empty() ? "{}" : body);
  if (!parsed) {
    check(parsed.error().code == portico::core::ErrorCode::InvalidInput);
    return 0;
  }
  const nlohmann::json& json = *parsed;
  check(json.is_object());

  // String fields, with the limits identity_api.cc uses.
  for (const auto& [key, max] :
       std::initializer_list<std::pair<const char*, std::size_t>>{{"email", 254},
                                                                  {"password", 4096},
                                                                  {"code", 16},
                                                                  {"recovery_code", 64},
                                                                  {"phone", 32},
                                                                  {"token", 200},
                                                                  {"first_name", 400},
                                                                  {"last_name", 400},
                                                                  {"language", 8}}) {
    auto value = portico::identity::stringField(json, key, max);
    if (value) {
      check(value->size() <= max && portico::core::isCleanUtf8(*value));
      check(!json.contains(key) || json[key].is_null() || json[key] == *value);
    } else {
      check(value.error().field == key);
    }
  }

  // {"kind": bool, ...} as readNotificationChanges reads it.
  for (const auto& [kind, value] : json.items()) {
    if (value.is_boolean()) (void)value.get<bool>();
  }

  // Integer lists ("sites": [1, 2]) and integers ("company_id") as the access API reads them.
  for (const char* key : {"sites", "company_id", "managed"}) {
    auto it = json.find(key);
    if (it == json.end()) continue;
    if (it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_number_integer()) (void)v.get<std::int64_t>();
      }
    } else if (it->is_number_integer()) {
      (void)it->get<std::int64_t>();
    } else if (it->is_boolean()) {
      (void)it->get<bool>();
    }
  }

  // What was accepted is accepted again after a round trip, unchanged (no key given twice).
  auto again = portico::identity::parseJsonObject(json.dump());
  check(again && *again == json);
  return 0;
}
