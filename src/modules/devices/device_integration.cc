#include "modules/devices/device_integration.h"

#include <nlohmann/json.hpp>

#include "access/access_api.h"
#include "core/business_hours.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "modules/devices/device_json.h"

namespace portico::devices {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;

// A service date at `key`: absent (kept), null (cleared) or "YYYY-MM-DD".
core::Result<std::optional<std::optional<std::string>>> dateField(const json& record,
                                                                  const char* key) {
  using Out = std::optional<std::optional<std::string>>;
  if (!record.contains(key)) return Out{};
  const auto& v = record[key];
  if (v.is_null()) return Out{std::optional<std::string>{}};
  if (!v.is_string() || !core::parseDate(v.get<std::string>())) {
    return fail(Error::invalid("errors.devices.bad_date", key).with("field", key));
  }
  return Out{v.get<std::string>()};
}

core::Result<std::vector<std::pair<std::string, std::string>>> readProperties(const json& j) {
  if (!j.is_object()) {
    return fail(
        Error::invalid("errors.integration.not_object", "properties").with("field", "properties"));
  }
  if (j.size() > kMaxProperties) {
    return fail(Error::invalid("errors.integration.too_many", "properties")
                    .with("max", std::to_string(kMaxProperties)));
  }
  std::vector<std::pair<std::string, std::string>> out;
  // nlohmann::json keeps an object's keys sorted: the properties are shown in that order.
  for (const auto& [key, value] : j.items()) {
    auto field = "properties." + key;
    auto k = std::string(core::trim(key));
    if (k.empty() || !core::isCleanUtf8(k) || core::codePointCount(k) > kMaxPropertyKey) {
      return fail(Error::invalid("errors.devices.bad_property_key", field)
                      .with("max", std::to_string(kMaxPropertyKey)));
    }
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number() || value.is_boolean()) {
      text = value.dump();
    } else {
      return fail(Error::invalid("errors.devices.bad_property_value", field)
                      .with("max", std::to_string(kMaxPropertyValue)));
    }
    if (!core::isCleanUtf8(text, true) || core::codePointCount(text) > kMaxPropertyValue) {
      return fail(Error::invalid("errors.devices.bad_property_value", field)
                      .with("max", std::to_string(kMaxPropertyValue)));
    }
    out.emplace_back(std::move(k), std::move(text));
  }
  return out;
}

std::string auditDetail(const Device& d) {
  return json{{"external_id", d.external_id.value_or("")}, {"serial", d.serial}, {"name", d.name}}
      .dump();
}

}  // namespace

core::Result<Upsert> readDevice(const json& record) {
  Upsert u;
  for (auto [key, target, max] :
       {std::tuple{"external_id", &u.external_id, kMaxExternalId},
        std::tuple{"company_external_id", &u.company_external_id, kMaxExternalId},
        std::tuple{"name", &u.name, kMaxName}, std::tuple{"serial", &u.serial, kMaxSerial}}) {
    auto v = directory::textField(record, key, true, max);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  if (record.contains("model")) {
    auto v = directory::textField(record, "model", false, kMaxModel);
    if (!v) return fail(v.error());
    u.model = std::move(*v);
  }
  if (record.contains("status") && !record["status"].is_null()) {
    const auto& s = record["status"];
    if (s.is_string()) u.status = parseStatus(s.get<std::string>());
    if (!u.status) return fail(Error::invalid("errors.devices.bad_status", "status"));
  }
  if (record.contains("site_external_id")) {
    auto v = directory::textField(record, "site_external_id", false, kMaxExternalId);
    if (!v) return fail(v.error());
    u.site_external_id = std::move(*v);
  }
  if (record.contains("properties") && !record["properties"].is_null()) {
    auto p = readProperties(record["properties"]);
    if (!p) return fail(p.error());
    u.properties = std::move(*p);
  }
  for (auto [key, target] :
       {std::pair{"last_service", &u.last_service}, std::pair{"next_service", &u.next_service}}) {
    auto v = dateField(record, key);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  return u;
}

void registerDeviceKind(integration::Kinds& kinds, DeviceService& service,
                        access::AccessRepository& companies, audit::AuditLog& audit) {
  kinds.add(std::make_unique<integration::KindOf<Upsert>>(
      "devices", readDevice,
      [&service, &companies, &audit](const Caller& caller, const Upsert& u,
                                     std::string* answer) -> core::Result<integration::Upserted> {
        auto company = access::recordCompany(companies, caller.org, u.company_external_id);
        if (!company) return fail(company.error());
        auto done = service.upsert(*company, u);
        if (!done) return fail(done.error());
        const auto& d = done->device;
        audit.record(caller.actor, {done->created ? "device.created" : "device.updated",
                                    std::nullopt, caller.org, company->id, auditDetail(d)});
        if (answer) {
          auto j = deviceToJson(d, true);
          j["company_external_id"] = u.company_external_id;
          *answer = j.dump();
        }
        return integration::Upserted{d.id.value, done->created};
      }));
}

}  // namespace portico::devices
