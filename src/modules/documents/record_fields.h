#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "core/result.h"

namespace portico::documents {

// The fields of the ERP's records, as every integration kind of this module reads them. Each
// answers nullopt for a field absent or null, and InvalidInput naming the field for one that is
// not what it must be.

// A decimal string of `currency` ("1234.50"; never a JSON number, which could be a float), in
// minor units.
core::Result<std::optional<std::int64_t>> amountField(const nlohmann::json& j, const char* key,
                                                      const std::string& currency);
// A quantity ("1.5" or an integer), in thousandths.
core::Result<std::optional<std::int64_t>> quantityField(const nlohmann::json& j, const char* key);
// A percentage ("25", "12.5" or an integer), in basis points.
core::Result<std::optional<std::int64_t>> rateField(const nlohmann::json& j, const char* key);
// A date, "YYYY-MM-DD".
core::Result<std::optional<std::string>> dateField(const nlohmann::json& j, const char* key);
// A text of at most `max` characters (directory::textField).
core::Result<std::optional<std::string>> optionalTextField(const nlohmann::json& j, const char* key,
                                                           std::size_t max, bool multiline = false);

// The fault `e` of an item, named under the field that holds it: "lines[2]" and "unit_price"
// make "lines[2].unit_price".
core::Error underField(core::Error e, const std::string& prefix);

}  // namespace portico::documents
