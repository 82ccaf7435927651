// The OpenAPI document at /api/v1/openapi.json describes exactly the JSON API the server
// answers: every route is an operation, every operation a route, with the access rule, the
// permission and the path parameters of its declaration. (tests/api/conformance.mjs checks the
// answers against it; tests/api/lint.sh lints it.)
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "access/permissions.h"
#include "access/policy.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using identity::Access;
using nlohmann::json;

const char* const kMethods[] = {"get", "put", "post", "delete", "patch"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() {
    auto r = server.get("/api/v1/openapi.json");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type").substr(0, 16), "application/json");
    doc = r.json();
  }
  // Every operation: {METHOD, pattern} -> operation.
  std::map<std::pair<std::string, std::string>, json> operations() const {
    std::map<std::pair<std::string, std::string>, json> ops;
    for (const auto& [pattern, item] : doc["paths"].items()) {
      for (const char* m : kMethods) {
        if (item.contains(m)) {
          std::string method = m;
          std::transform(method.begin(), method.end(), method.begin(), ::toupper);
          ops[{method, pattern}] = item[m];
        }
      }
    }
    return ops;
  }
  // Follows a local "$ref" ("#/components/…"); other nodes as they are.
  const json& deref(const json& node) const {
    if (!node.is_object() || !node.contains("$ref")) return node;
    return doc.at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
  }

  TestServer server;
  json doc;
};

TEST_F(OpenApiTest, IsAnOpenApi31DocumentAnyoneMayRead) {
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_FALSE(doc["info"]["title"].get<std::string>().empty());
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("session"));
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("apiKey"));
  // The same document as `portico openapi` prints.
  EXPECT_EQ(json::parse(server.app().openApiJson()), doc);
}

TEST_F(OpenApiTest, EveryRouteOfTheJsonApiIsDocumented) {
  std::size_t routes = 0;
  for (const auto& route : server.app().router().routes()) {
    if (!route->pattern.starts_with("/api/")) continue;
    ++routes;
    EXPECT_TRUE(doc["paths"].contains(route->pattern) &&
                doc["paths"][route->pattern].contains(lower(route->method)))
        << route->method << " " << route->pattern << " is missing from the OpenAPI document";
  }
  EXPECT_GT(routes, 80u);
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& route : server.app().router().routes()) {
    routes.insert({route->method, route->pattern});
  }
  for (const auto& [key, op] : operations()) {
    EXPECT_TRUE(routes.count(key))
        << key.first << " " << key.second << " is documented but the server has no such route";
  }
}

TEST_F(OpenApiTest, EachOperationSaysWhoMayCallItAsItsRouteIsDeclared) {
  std::map<std::pair<std::string, std::string>, Access> access;
  for (const auto& d : server.app().routes().declared()) access[{d.method, d.pattern}] = d.access;
  std::map<std::pair<std::string, std::string>, std::string> permission;
  for (const auto& d : server.app().companyRoutes().declared()) {
    permission[{d.method, d.pattern}] =
        d.permission ? std::string(access::permissionName(*d.permission)) : "";
  }
  std::map<std::pair<std::string, std::string>, std::string> capability;
  for (const auto& d : server.app().staffRoutes().declared()) {
    capability[{d.method, d.pattern}] = std::string(access::capabilityName(d.capability));
  }
  for (const auto& [key, op] : operations()) {
    SCOPED_TRACE(key.first + " " + key.second);
    ASSERT_TRUE(access.count(key));
    json want;
    switch (access[key]) {
      case Access::Public:
        want = json::array();
        break;
      case Access::PendingMfa:
      case Access::SignedIn:
        want = json::array({{{"session", json::array()}}});
        break;
      case Access::ApiKey:
        want = json::array({{{"apiKey", json::array()}}});
        break;
    }
    EXPECT_EQ(op["security"], want);
    if (access[key] != Access::Public) {
      EXPECT_TRUE(op["responses"].contains("401"));
    }
    if (auto p = permission.find(key); p != permission.end() && !p->second.empty()) {
      EXPECT_EQ(op.value("x-permission", ""), p->second);
      EXPECT_TRUE(op["responses"].contains("403"));
    } else {
      EXPECT_FALSE(op.contains("x-permission"));
    }
    if (auto c = capability.find(key); c != capability.end()) {
      EXPECT_EQ(op.value("x-staff-capability", ""), c->second);
      EXPECT_TRUE(op["responses"].contains("403"));
    } else {
      EXPECT_FALSE(op.contains("x-staff-capability"));
    }
    if (access[key] == Access::ApiKey && key.first != "GET" && key.first != "DELETE") {
      EXPECT_TRUE(op["responses"].contains("422")) << "a reused Idempotency-Key";
    }
  }
}

TEST_F(OpenApiTest, EachOperationIsNamedTaggedAndAnswered) {
  std::set<std::string> ids;
  std::set<std::string> tags;
  for (const auto& t : doc["tags"]) tags.insert(t["name"].get<std::string>());
  const std::regex param(R"(\{([a-z_]+)\})");
  for (const auto& [key, op] : operations()) {
    SCOPED_TRACE(key.first + " " + key.second);
    auto id = op.value("operationId", "");
    EXPECT_FALSE(id.empty());
    EXPECT_TRUE(ids.insert(id).second) << "operationId " << id << " twice";
    EXPECT_FALSE(op.value("summary", "").empty());
    ASSERT_TRUE(op.contains("tags") && !op["tags"].empty());
    for (const auto& t : op["tags"]) EXPECT_TRUE(tags.count(t.get<std::string>())) << t;
    bool success = false;
    for (const auto& [status, response] : op["responses"].items()) {
      if (status.starts_with('2')) success = true;
      EXPECT_FALSE(deref(response).value("description", "").empty()) << status;
    }
    EXPECT_TRUE(success) << "no 2xx answer";
    // Each {name} of the path is a required path parameter.
    std::set<std::string> declared;
    const json& path_item = doc["paths"][key.second];
    for (const json* where : {&op, &path_item}) {
      if (!where->contains("parameters")) continue;
      for (const auto& p : (*where)["parameters"]) {
        const auto& real = deref(p);
        if (real.value("in", "") == "path") {
          EXPECT_TRUE(real.value("required", false)) << real["name"];
          declared.insert(real["name"].get<std::string>());
        }
      }
    }
    std::set<std::string> in_path;
    for (std::sregex_iterator it(key.second.begin(), key.second.end(), param), end; it != end;
         ++it) {
      in_path.insert((*it)[1]);
    }
    EXPECT_EQ(declared, in_path);
  }
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  std::size_t refs = 0;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("$ref") && node["$ref"].is_string()) {
        ++refs;
        auto ref = node["$ref"].get<std::string>();
        ASSERT_TRUE(ref.starts_with("#/")) << ref;
        EXPECT_TRUE(doc.contains(json::json_pointer(ref.substr(1))))
            << ref << " resolves to nothing";
      }
      for (const auto& [k, v] : node.items()) walk(v);
    } else if (node.is_array()) {
      for (const auto& v : node) walk(v);
    }
  };
  walk(doc);
  EXPECT_GT(refs, 100u);
}

}  // namespace
}  // namespace portico::testing
