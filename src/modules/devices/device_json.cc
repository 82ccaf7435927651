#include "modules/devices/device_json.h"

#include "core/json_writer.h"
#include "core/text.h"

namespace portico::devices {
namespace {

using json = nlohmann::ordered_json;

template <typename T>
json orNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

void writeDevice(core::JsonWriter& w, const Device& d) {
  w.beginObject()
      .field("id", d.id.value)
      .field("company_id", d.company_id.value)
      .field("company_name", d.company_name)
      .field("site_id", d.site_id)
      .field("site_name", d.site_name)
      .field("external_id", d.external_id)
      .field("name", d.name)
      .field("serial", d.serial)
      .field("model", d.model)
      .field("status", statusName(d.status))
      .field("last_service", d.last_service)
      .field("next_service", d.next_service)
      .field("code", d.code)
      .field("updated_at", core::rfc3339(d.updated_at))
      .endObject();
}

}  // namespace

json deviceToJson(const Device& d, bool detail) {
  json j = {{"id", d.id.value},
            {"company_id", d.company_id.value},
            {"company_name", d.company_name},
            {"site_id", orNull(d.site_id)},
            {"site_name", d.site_name},
            {"external_id", orNull(d.external_id)},
            {"name", d.name},
            {"serial", d.serial},
            {"model", d.model},
            {"status", statusName(d.status)},
            {"last_service", orNull(d.last_service)},
            {"next_service", orNull(d.next_service)},
            {"code", d.code},
            {"updated_at", core::rfc3339(d.updated_at)}};
  if (detail) {
    json properties = json::object();
    for (const auto& [k, v] : d.properties) properties[k] = v;
    j["properties"] = std::move(properties);
    j["created_at"] = core::rfc3339(d.created_at);
    j["code_rotated_at"] = d.code_rotated_at ? json(core::rfc3339(*d.code_rotated_at)) : json();
  }
  return j;
}

json seenToJson(const Seen& s) {
  auto j = deviceToJson(s.device, true);
  j["may_manage"] = s.may_manage;
  j["may_rotate"] = s.may_rotate;
  j["may_open_case"] = s.may_open_case;
  if (s.may_manage) {
    json sites = json::array();
    for (const auto& [id, name] : s.sites) sites.push_back({{"id", id}, {"name", name}});
    j["sites"] = std::move(sites);
  }
  return j;
}

std::string pageToJson(const Page& page) {
  std::string out;
  out.reserve(256 + page.items.size() * 400);
  core::JsonWriter w(out);
  w.beginObject().key("items").beginArray();
  for (const auto& d : page.items) writeDevice(w, d);
  w.endArray()
      .field("next_cursor", page.next ? std::optional(cursorText(*page.next)) : std::nullopt)
      .endObject();
  return out;
}

}  // namespace portico::devices
