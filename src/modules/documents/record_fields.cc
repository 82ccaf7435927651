#include "modules/documents/record_fields.h"

#include <nlohmann/json.hpp>

#include "core/business_hours.h"
#include "core/money.h"
#include "directory/directory_fields.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using nlohmann::json;

// The decimal at `key` of `j` as read by `parse` (a string, or where `integers` an integer),
// nullopt if absent or null.
template <typename Parse>
core::Result<std::optional<std::int64_t>> decimal(const json& j, const char* key, bool integers,
                                                  const char* message, Parse parse) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::int64_t>{};
  const auto& v = j[key];
  std::optional<std::int64_t> out;
  if (v.is_string()) {
    out = parse(v.get<std::string>());
  } else if (integers && v.is_number_integer()) {
    out = parse(std::to_string(v.get<std::int64_t>()));
  }
  if (!out) return fail(Error::invalid(message, key).with("field", key));
  return std::optional<std::int64_t>{out};
}

}  // namespace

core::Error underField(core::Error e, const std::string& prefix) {
  e.field = prefix + (e.field.empty() ? "" : "." + e.field);
  return e;
}

core::Result<std::optional<std::int64_t>> amountField(const json& j, const char* key,
                                                      const std::string& currency) {
  return decimal(j, key, false, "errors.documents.bad_amount",
                 [&](const std::string& t) { return core::parseAmount(t, currency); });
}

core::Result<std::optional<std::int64_t>> quantityField(const json& j, const char* key) {
  return decimal(j, key, true, "errors.documents.bad_quantity", core::parseQuantity);
}

core::Result<std::optional<std::int64_t>> rateField(const json& j, const char* key) {
  return decimal(j, key, true, "errors.documents.bad_vat_rate", core::parseRate);
}

core::Result<std::optional<std::string>> dateField(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::string>{};
  if (!j[key].is_string() || !core::parseDate(j[key].get<std::string>())) {
    return fail(Error::invalid("errors.documents.bad_date", key).with("field", key));
  }
  return std::optional<std::string>{j[key].get<std::string>()};
}

core::Result<std::optional<std::string>> optionalTextField(const json& j, const char* key,
                                                           std::size_t max, bool multiline) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<std::string>{};
  auto v = directory::textField(j, key, false, max, "", multiline);
  if (!v) return fail(v.error());
  return std::optional<std::string>{std::move(*v)};
}

}  // namespace portico::documents
