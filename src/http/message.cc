#include "http/message.h"

#include <strings.h>

namespace portico::http {

std::string_view Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) {
      return v;
    }
  }
  return {};
}

std::int64_t Request::idParam(const std::string& name) const {
  const auto& raw = param(name);
  if (raw.empty() || raw.size() > 18) return 0;
  std::int64_t v = 0;
  for (char c : raw) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Request::cookie(std::string_view name) const {
  auto v = findParam(parseCookies(header("cookie")), name);
  return v ? *v : std::string();
}

Response Response::json(int status, std::string body) {
  Response r{
      status, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(body), {}, {}};
  return r;
}

Response Response::html(int status, std::string body) {
  return Response{status, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body), {}, {}};
}

Response Response::text(int status, std::string body) {
  return Response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body), {}, {}};
}

Response Response::redirect(std::string location) {
  return Response{303, {{"Location", std::move(location)}}, {}, {}, {}};
}

void Response::setHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0 && strcasecmp(k.c_str(), "set-cookie") != 0) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) {
      return v;
    }
  }
  return {};
}

}  // namespace portico::http
