#include "app/openapi.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "access/permissions.h"
#include "access/policy.h"
#include "core/embedded.h"

namespace portico::app::api {
std::span<const core::EmbeddedFile> embeddedFiles();
}

namespace portico::app {
namespace {

using nlohmann::json;
using Key = std::pair<std::string, std::string>;  // METHOD, pattern

constexpr const char* kBase = "openapi.json";
constexpr const char* kMethods[] = {"get", "put", "post", "delete", "patch"};

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

json componentRef(const std::string& to) { return {{"$ref", "#/components/" + to}}; }

// Adds fragment `name` to `doc`; nothing may be described twice.
void merge(json& doc, const std::string& name, const json& fragment) {
  auto twice = [&](const std::string& what) {
    throw std::logic_error("api/" + name + ": " + what + " is described twice");
  };
  for (const auto& [key, value] : fragment.items()) {
    if (key == "tags") {
      for (const auto& tag : value) {
        for (const auto& t : doc["tags"]) {
          if (t["name"] == tag["name"]) twice("tag " + tag["name"].get<std::string>());
        }
        doc["tags"].push_back(tag);
      }
    } else if (key == "paths" || key == "webhooks") {
      for (const auto& [path, item] : value.items()) {
        for (const auto& [field, v] : item.items()) {
          if (doc[key][path].contains(field)) twice(field + " " + path);
          doc[key][path][field] = v;
        }
      }
    } else if (key == "components") {
      for (const auto& [section, entries] : value.items()) {
        for (const auto& [entry, v] : entries.items()) {
          if (doc["components"][section].contains(entry)) twice(section + "/" + entry);
          doc["components"][section][entry] = v;
        }
      }
    } else {
      throw std::logic_error("api/" + name +
                             ": a fragment holds only tags, paths, webhooks and components, "
                             "not " +
                             key);
    }
  }
}

bool hasParameter(const json& operation, const std::string& reference) {
  if (!operation.contains("parameters")) return false;
  return std::any_of(operation["parameters"].begin(), operation["parameters"].end(),
                     [&](const json& p) { return p.value("$ref", "") == reference; });
}

bool readsQuery(const json& path_item, const json& operation) {
  auto query = [](const json& params) {
    return std::any_of(params.begin(), params.end(), [](const json& p) {
      auto to = p.value("$ref", "");
      return p.value("in", "") == "query" || to == "#/components/parameters/Limit" ||
             to == "#/components/parameters/Cursor" ||
             to == "#/components/parameters/CompanyFilter";
    });
  };
  return (operation.contains("parameters") && query(operation["parameters"])) ||
         (path_item.contains("parameters") && query(path_item["parameters"]));
}

void addResponse(json& operation, const std::string& status, const std::string& response) {
  auto& responses = operation["responses"];
  if (!responses.contains(status)) responses[status] = componentRef("responses/" + response);
}

}  // namespace

json openApiDocument(const identity::GuardedRoutes& routes,
                     const access::CompanyRoutes& company_routes,
                     const access::StaffRoutes& staff_routes) {
  auto files = api::embeddedFiles();
  auto base = core::findEmbedded(files, kBase);
  if (!base) throw std::logic_error("api/openapi.json is missing");
  json doc = json::parse(*base);
  std::vector<std::pair<std::string, std::string_view>> fragments;
  for (const auto& f : files) {
    if (f.name != kBase) fragments.emplace_back(std::string(f.name), f.data);
  }
  std::sort(fragments.begin(), fragments.end());
  for (const auto& [name, data] : fragments) merge(doc, name, json::parse(data));

  std::map<Key, identity::Access> access;
  for (const auto& d : routes.declared()) access[{d.method, d.pattern}] = d.access;
  std::map<Key, std::optional<access::Permission>> permission;
  for (const auto& d : company_routes.declared()) permission[{d.method, d.pattern}] = d.permission;
  std::map<Key, access::StaffCapability> capability;
  for (const auto& d : staff_routes.declared()) capability[{d.method, d.pattern}] = d.capability;

  for (auto& [pattern, item] : doc["paths"].items()) {
    for (const char* method : kMethods) {
      if (!item.contains(method)) continue;
      Key key{upper(method), pattern};
      auto found = access.find(key);
      if (found == access.end()) continue;  // not a route: the OpenAPI test says so
      auto& op = item[method];
      using identity::Access;
      switch (found->second) {
        case Access::Public:
          op["security"] = json::array();
          break;
        case Access::PendingMfa:
        case Access::SignedIn:
          op["security"] = json::array({{{"session", json::array()}}});
          break;
        case Access::ApiKey:
          op["security"] = json::array({{{"apiKey", json::array()}}});
          break;
      }
      if (found->second != Access::Public) addResponse(op, "401", "Unauthenticated");
      // A session still waiting for its second factor is refused everything else.
      if (found->second == Access::SignedIn) addResponse(op, "403", "Forbidden");
      bool company = permission.count(key) > 0;
      if (company) {
        if (auto p = permission[key]) op["x-permission"] = std::string(access::permissionName(*p));
      }
      if (auto c = capability.find(key); c != capability.end()) {
        op["x-staff-capability"] = std::string(access::capabilityName(c->second));
      }
      if (company || pattern.find('{') != std::string::npos) addResponse(op, "404", "NotFound");
      if (op.contains("requestBody") || readsQuery(item, op)) addResponse(op, "400", "BadRequest");
      // Every integration write keeps its first answer by Idempotency-Key (GuardedRoutes).
      bool write = key.first == "POST" || key.first == "PUT" || key.first == "PATCH";
      if (found->second == Access::ApiKey && write) {
        if (!hasParameter(op, "#/components/parameters/IdempotencyKey")) {
          op["parameters"].push_back(componentRef("parameters/IdempotencyKey"));
        }
        addResponse(op, "400", "BadRequest");  // a malformed key
        addResponse(op, "409", "Conflict");
        addResponse(op, "422", "Unprocessable");
      }
    }
  }
  return doc;
}

}  // namespace portico::app
