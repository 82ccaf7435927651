#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/url.h"

namespace portico::http {

// An HTTP request as handlers see it; Beast stays inside server.cc.
struct Request {
  std::string method;     // "GET", "POST", …
  std::string path;       // percent-decoded path, without the query
  std::string raw_query;  // as received, after '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_ip;  // the client's (for a trusted proxy's request, the one it forwards for)
  std::string request_id;
  std::string language;  // the reader's language once a handler knows it ("sv"), else empty
  std::unordered_map<std::string, std::string> path_params;  // from "{name}" route segments
  std::string_view route;  // the matched route's pattern (valid while the router lives), or ""

  // The first header of that (lower-case) name, or "".
  std::string_view header(std::string_view lower_name) const;
  // The value of path parameter `name` (REQUIRES: the route declares it).
  const std::string& param(const std::string& name) const { return path_params.at(name); }
  // Path parameter `name` as a positive id; 0 if it is not one ("abc", "-1", "1x", overflow).
  std::int64_t idParam(const std::string& name) const;
  // Parsed query; nullopt if malformed or a name repeats.
  std::optional<Params> query() const { return parseFormEncoded(raw_query); }
  // The value of cookie `name`, or "".
  std::string cookie(std::string_view name) const;
  bool isApi() const { return path.starts_with("/api/"); }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A JSON error answer (jsonError) keeps its Error, so that the server can write its message in
  // the reader's language (ServerConfig::error_text) just before sending it.
  std::optional<core::Error> error;
  // A JSON answer that says what happened ({"message": …}, jsonMessage) keeps its message the same
  // way, to be written in the reader's language.
  std::optional<core::Message> message;

  static Response json(int status, std::string body);
  static Response html(int status, std::string body);
  static Response text(int status, std::string body);
  // 303 See Other to a same-site path.
  static Response redirect(std::string location);
  static Response noContent() { return Response{204, {}, {}, {}, {}}; }

  void setHeader(std::string name, std::string value);
  // The value of header `name` (case-insensitive), or "".
  std::string_view header(std::string_view name) const;
};

}  // namespace portico::http
