#include "modules/cases/case_fields.h"

#include <set>

#include "identity/guard.h"

namespace portico::cases {

using core::Error;
using core::fail;
using nlohmann::json;

core::Result<json> objectBody(const http::Request& r, std::initializer_list<const char*> known) {
  auto body = identity::parseJsonObject(r.body);
  if (!body) return fail(body.error());
  std::set<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : body->items()) {
    if (!names.count(key)) {
      return fail(Error::invalid("errors.cases.unknown_field", key).with("field", key));
    }
  }
  return body;
}

core::Result<std::optional<std::int64_t>> idField(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer() || it->get<std::int64_t>() < 1) {
    return fail(Error::invalid("errors.cases.bad_id", key).with("field", key));
  }
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

core::Result<std::string> enumField(const json& body, const char* key, const char* error_key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return fail(Error::invalid(error_key, key));
  return it->get<std::string>();
}

core::Result<bool> boolField(const json& body, const char* key, bool fallback,
                             const char* error_key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) return fail(Error::invalid(error_key, key));
  return it->get<bool>();
}

}  // namespace portico::cases
