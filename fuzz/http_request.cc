// Fuzzes HTTP/1.1 request parsing as the server does it: the head checked by scanRequestHead,
// handed to Beast's request_parser with the server's header and body limits
// (http::ServerConfig), its framing checked by framingFault, the body read as in Beast's own
// test/fuzz/http_request.cpp; then what Server::Impl::Connection::onRead (src/http/server.cc) does
// with the message: the path/query split, percent-decoding and path checks, lower-cased header
// names, routing, and the query, cookie, id and Accept-Language readers handlers use.

// clang-format off
#include <utility>  // before Asio, as in src/http/server.cc
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "http/error_response.h"
#include "http/message.h"
#include "http/request_head.h"
#include "http/router.h"
#include "http/server.h"
#include "http/url.h"
#include "web/views.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using portico::http::Request;
using portico::http::Response;
using portico::http::Router;

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

// A router shaped like the real one: literal segments, parameters, and both under one prefix.
const Router& router() {
  static const Router r = [] {
    Router out;
    auto ok = [](Request&) { return Response::noContent(); };
    for (const char* pattern :
         {"/", "/login", "/mfa", "/account", "/companies/{id}", "/companies/{id}/users",
          "/api/v1/me", "/api/v1/companies", "/api/v1/companies/{id}",
          "/api/v1/companies/{id}/users", "/api/v1/companies/{id}/users/{user}",
          "/api/v1/auth/login", "/static/{file}"}) {
      out.add({"GET", pattern, ok, portico::http::Execution::Inline});
    }
    out.add({"POST", "/login", ok, portico::http::Execution::Worker});
    out.add({"POST", "/api/v1/auth/login", ok, portico::http::Execution::Worker});
    out.add(
        {"DELETE", "/api/v1/companies/{id}/users/{user}", ok, portico::http::Execution::Inline});
    return out;
  }();
  return r;
}

// What onRead does with a message that parsed.
void handle(bhttp::request<bhttp::string_body>& msg) {
  Request request;
  (void)msg.keep_alive();
  request.method = std::string(msg.method_string());
  auto target = sv(msg.target());
  auto q = target.find('?');
  auto decoded = portico::http::percentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    request.raw_query = std::string(target.substr(q + 1));
  }
  for (const auto& field : msg) {
    request.headers.emplace_back(portico::core::asciiLower(sv(field.name_string())),
                                 std::string(field.value()));
  }
  request.body = std::move(msg.body());

  if (!decoded || decoded->empty() || decoded->front() != '/' ||
      decoded->find("/../") != std::string::npos || decoded->ends_with("/..")) {
    request.path = target.starts_with("/api/") ? "/api/" : "/";
    (void)portico::http::errorResponse(request,
                                       portico::core::Error::invalid("errors.http.malformed_path"));
    return;
  }
  request.path = std::move(*decoded);
  if (!portico::core::isCleanUtf8(request.path, /*allow_newlines=*/true)) {
    std::abort();  // percentDecode promised clean UTF-8
  }

  auto match = router().match(request.method, request.path, request.path_params);
  if (match.outcome == Router::Outcome::Found) {
    for (const auto& [name, value] : request.path_params) {
      if (value.empty() || value.find('/') != std::string::npos) {
        std::abort();  // a parameter is exactly one non-empty segment
      }
      if (request.idParam(name) < 0) {
        std::abort();
      }
    }
  } else if (match.outcome == Router::Outcome::MethodNotAllowed && match.allow.empty()) {
    std::abort();
  }

  // The readers handlers and the guard use on every request.
  if (auto query = request.query()) {
    (void)portico::http::findParam(*query, "next");
  }
  (void)request.cookie("portico_session");
  (void)request.cookie("__Host-portico_csrf");
  auto lang = portico::web::negotiateLanguage(request.header("accept-language"));
  if (lang != "en" && lang != "sv" && lang != "de") {
    std::abort();
  }
  (void)request.isApi();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const portico::http::ServerConfig config;

  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto scan = portico::http::scanRequestHead(input, config.header_limit);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
  parser.body_limit(config.body_limit);
  beast::error_code ec;
  bool framed = false;
  if (scan.outcome == portico::http::HeadScan::Outcome::Complete) {
    if (scan.size > input.size() || scan.size > config.header_limit + 2) std::abort();
    std::size_t used = parser.put(boost::asio::buffer(input.data(), scan.size), ec);
    if (used > scan.size) std::abort();
    if (!ec && parser.is_header_done()) {
      std::vector<std::string_view> te;
      std::vector<std::string_view> cl;
      for (const auto& field : parser.get()) {
        if (field.name() == bhttp::field::transfer_encoding) te.push_back(sv(field.value()));
        if (field.name() == bhttp::field::content_length) cl.push_back(sv(field.value()));
      }
      framed = portico::http::framingFault(te, cl).empty();
      if (framed && !parser.is_done()) {
        beast::flat_buffer buffer;
        boost::asio::io_context ioc;
        auto rest = input.substr(used);
        beast::test::stream stream{ioc, beast::string_view(rest.data(), rest.size())};
        stream.close_remote();
        bhttp::read(stream, buffer, parser, ec);
      }
    }
  }

  if (!framed || ec) {
    // The error branch of onRead: only the raw target, for choosing JSON or HTML.
    Request request;
    auto target =
        parser.got_some() ? sv(parser.get().target()) : portico::http::requestTarget(input);
    request.path = std::string(target.substr(0, target.find('?')));
    (void)portico::http::errorResponse(request,
                                       portico::core::Error::invalid("errors.http.malformed"));
    return 0;
  }
  auto msg = parser.release();
  handle(msg);
  return 0;
}
