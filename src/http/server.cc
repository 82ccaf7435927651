#include "http/server.h"

// clang-format off
#include <utility>  // before Asio, with GCC 12 and C++20
// clang-format on

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/random.h"
#include "core/text.h"
#include "http/client_address.h"
#include "http/request_head.h"

namespace portico::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The Date header, formatted once per second per thread.
const std::string& httpDate() {
  thread_local std::time_t last = 0;
  thread_local std::string value;
  std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    value = buf;
  }
  return value;
}

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string nextRequestId() {
  static const std::string prefix = core::hexEncode(core::randomBytes(4));
  static std::atomic<std::uint64_t> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

// TLS 1.2 suites of Mozilla's "intermediate" profile (ECDHE only: no DH parameters to manage).
// TLS 1.3 keeps OpenSSL's default suites, all of them AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// The reason of the newest OpenSSL error, and an empty error queue.
std::string takeOpenSslError() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason ? reason : "unknown error";
}

void requireReadable(const std::string& what, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read " + what + " " + file + ": " + std::strerror(errno));
  }
}

// The TLS server context of `config`, or null without TLS. Throws std::runtime_error.
std::unique_ptr<ssl::context> makeTlsContext(const ServerConfig& config) {
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    throw std::runtime_error("--tls-cert and --tls-key go together: give both or neither");
  }
  if (config.tls_cert_file.empty()) {
    return nullptr;
  }
  const std::string& cert_file = config.tls_cert_file;
  const std::string& key_file = config.tls_key_file;
  requireReadable("TLS certificate", cert_file);
  requireReadable("TLS key", key_file);
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                               SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    throw std::runtime_error("TLS: cipher list rejected: " + takeOpenSslError());
  }
  // An encrypted key fails to load instead of prompting on the terminal.
  SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    throw std::runtime_error("TLS certificate " + cert_file +
                             " holds no usable PEM certificate: " + takeOpenSslError());
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(key_file.c_str(), "r"), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(
                bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr)
          : nullptr,
      EVP_PKEY_free);
  if (!key) {
    throw std::runtime_error(
        "TLS key " + key_file +
        " holds no usable (unencrypted) PEM private key: " + takeOpenSslError());
  }
  X509* cert = SSL_CTX_get0_certificate(ctx);
  if (!cert || X509_check_private_key(cert, key.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    throw std::runtime_error("TLS key " + key_file + " does not match the certificate " +
                             cert_file);
  }
  return context;
}

}  // namespace

struct Server::Impl {
  Impl(ServerConfig c, const Router& r)
      : config(std::move(c)),
        router(r),
        tls(makeTlsContext(config)),
        trusted_proxies(config.trusted_proxies) {
    config.served_over_tls = config.served_over_tls || tls != nullptr;
  }

  class Session;
  template <class Stream>
  class Connection;

  ServerConfig config;
  const Router& router;
  std::unique_ptr<ssl::context> tls;  // null: plain HTTP
  const TrustedProxies trusted_proxies;
  // What connections and jobs touch, even while they are destroyed: declared before `contexts`
  // and `workers`, so that it outlives the handlers (and the connections they hold) that
  // destroying a context or the worker pool destroys.
  std::atomic<std::size_t> connections{0};
  // Open connections per client address (the peer, or for a trusted proxy's connection the
  // client its latest request was forwarded for).
  std::mutex address_mutex;
  std::unordered_map<std::string, std::size_t> per_address;
  std::shared_ptr<spdlog::logger> access_log;
  std::mutex live_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> live;
  std::atomic<std::size_t> queued_jobs{0};
  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<asio::thread_pool> workers;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::size_t next_context = 0;
  unsigned short bound_port = 0;

  void accept();
  Response dispatch(Request& request, const Route& route);
  // Counts a connection on `address`; false (and nothing counted) if it has its maximum.
  bool admit(const std::string& address) {
    std::lock_guard lock(address_mutex);
    auto& n = per_address[address];
    if (n >= config.max_connections_per_address) {
      if (n == 0) per_address.erase(address);
      return false;
    }
    ++n;
    return true;
  }
  void release(const std::string& address) {
    if (address.empty()) return;
    std::lock_guard lock(address_mutex);
    auto it = per_address.find(address);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
  // The body limit for the request whose head is `head`: its route's, if larger than the
  // server's (Route::body_limit).
  std::size_t bodyLimitFor(std::string_view head) const {
    while (head.starts_with("\r\n")) head.remove_prefix(2);
    auto method = head.substr(0, head.find(' '));
    auto target = requestTarget(head);
    auto path = percentDecode(target.substr(0, target.find('?')), false);
    if (!path) return config.body_limit;
    std::unordered_map<std::string, std::string> params;
    auto match = router.match(method, *path, params);
    if (match.outcome != Router::Outcome::Found) return config.body_limit;
    return std::max(config.body_limit, match.route->body_limit);
  }
  Response fail(const Request& request, const core::Error& error) {
    return errorResponse(request, error);
  }
  // An error answer written out in the reader's language: a JSON error's message, or the HTML
  // error page in place of the plain one.
  void renderError(const Request& request, Response& response) const {
    if (!response.error) {  // a message ({"message": …}): the same translation as an error's
      if (config.error_text) {
        core::Error as_text{
            core::ErrorCode::Internal, response.message->key, {}, 0, response.message->args};
        std::string body = R"({"message":")";
        core::appendJsonEscaped(body, config.error_text(request, as_text));
        body += "\"}";
        response.body = std::move(body);
      }
      return;
    }
    const core::Error& error = *response.error;
    if (response.header("content-type").starts_with("application/json")) {
      if (config.error_text) {
        response.body = jsonErrorBody(error, config.error_text(request, error));
      }
    } else if (config.html_error) {
      Response page = config.html_error(request, error);
      response.body = std::move(page.body);
      response.setHeader("Content-Type", std::string(page.header("content-type")));
    }
  }
};

// What shutdown needs of a connection, whatever its stream.
class Server::Impl::Session {
 public:
  virtual ~Session() = default;
  // Called on shutdown: an idle connection closes now, a busy one after its response.
  virtual void drain() = 0;
};

// One connection over PlainStream or TlsStream. Both share every step; TLS adds a handshake
// (with its own timeout) before the first read and a close_notify at the end.
template <class Stream>
class Server::Impl::Connection : public Session,
                                 public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `tls`: the ssl::context for a TlsStream, nothing for a PlainStream.
  // `peer`: the canonical remote address; `counted`: the address admit() counted it on (empty
  // for a trusted proxy's connection until its first request names a client).
  template <class... Tls>
  Connection(Impl& server, tcp::socket socket, std::string peer, std::string counted, Tls&... tls)
      : server_(server),
        stream_(std::move(socket), tls...),
        peer_ip_(std::move(peer)),
        counted_ip_(std::move(counted)) {}
  ~Connection() override {
    server_.release(counted_ip_);
    server_.connections--;
    std::lock_guard lock(server_.live_mutex);
    server_.live.erase(this);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start() {
    {
      std::lock_guard lock(server_.live_mutex);
      server_.live.emplace(this, this->weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->handshake();
      } else {
        self->read();
      }
    });
  }

  void drain() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->reading_) {
        beast::error_code ec;
        self->tcpStream().socket().shutdown(tcp::socket::shutdown_both, ec);
        self->tcpStream().socket().close(ec);
      }
    });
  }

 private:
  beast::tcp_stream& tcpStream() { return beast::get_lowest_layer(stream_); }

  // TLS only: the handshake must finish within tls_handshake_timeout, or the connection closes.
  void handshake() {
    tcpStream().expires_after(server_.config.tls_handshake_timeout);
    reading_ = true;
    stream_.async_handshake(ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              self->reading_ = false;
                              if (ec) {
                                self->close();
                                return;
                              }
                              self->read();
                            });
  }

  void read() {
    if (server_.draining) {
      close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.config.header_limit));
    body_limit_ = server_.config.body_limit;
    parser_->body_limit(body_limit_);
    tcpStream().expires_after(first_ ? server_.config.header_timeout : server_.config.idle_timeout);
    first_ = false;
    readHead();
  }

  // Reads until the buffer holds a whole request head, checks its bytes (scanRequestHead) and
  // hands it to the parser, then reads the body, if any, under the same deadline.
  void readHead() {
    std::string_view buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    HeadScan scan = scanRequestHead(buffered, server_.config.header_limit);
    switch (scan.outcome) {
      case HeadScan::Outcome::NeedMore:
        reading_ = true;
        stream_.async_read_some(
            buffer_.prepare(kReadSize),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
              self->reading_ = false;
              self->buffer_.commit(n);
              if (ec) {
                // Bytes of an unfinished head are no request: a close or timeout ends quietly.
                self->onRead(self->buffer_.size() == 0 || ec == beast::error::timeout ||
                                     ec == asio::error::operation_aborted
                                 ? ec
                                 : beast::error_code(bhttp::error::partial_message));
                return;
              }
              self->readHead();
            });
        return;
      case HeadScan::Outcome::TooLarge:
        onRead(bhttp::error::header_limit);
        return;
      case HeadScan::Outcome::Malformed:
        onRead(bhttp::error::bad_line_ending);
        return;
      case HeadScan::Outcome::Complete:
        break;
    }
    if (server_.router.largestBodyLimit() > server_.config.body_limit) {
      // Beast refuses a Content-Length above the limit as soon as the head is complete.
      body_limit_ = server_.bodyLimitFor(buffered.substr(0, scan.size));
      parser_->body_limit(body_limit_);
    }
    beast::error_code ec;
    std::size_t used = parser_->put(asio::buffer(buffer_.data().data(), scan.size), ec);
    buffer_.consume(used);
    if (!ec && !parser_->is_header_done()) ec = bhttp::error::partial_message;
    if (ec) {
      onRead(ec);
      return;
    }
    if (!framingOk()) {
      onRead(bhttp::error::bad_transfer_encoding);
      return;
    }
    if (parser_->is_done()) {
      onRead({});
      return;
    }
    if (buffer_.size() == 0 &&
        beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      // The client waits for a go-ahead before it sends the body (curl does for bodies over
      // 1 MiB, for up to a second): give it at once. Refused bodies never get here.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](beast::error_code write_ec, std::size_t) {
                          if (write_ec) {
                            self->close();
                            return;
                          }
                          self->readBody();
                        });
      return;
    }
    readBody();
  }

  void readBody() {
    reading_ = true;
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code read_ec, std::size_t) {
                        self->reading_ = false;
                        self->onRead(read_ec);
                      });
  }

  // framingFault() over the parsed head, without allocating on every request: a second value
  // of either field is already a fault, so two of each are enough to decide.
  bool framingOk() {
    std::array<std::string_view, 2> te;
    std::array<std::string_view, 2> cl;
    std::size_t n_te = 0;
    std::size_t n_cl = 0;
    for (const auto& field : parser_->get()) {
      if (field.name() == bhttp::field::transfer_encoding && n_te < te.size()) {
        te[n_te++] = sv(field.value());
      } else if (field.name() == bhttp::field::content_length && n_cl < cl.size()) {
        cl[n_cl++] = sv(field.value());
      }
    }
    return framingFault(std::span(te.data(), n_te), std::span(cl.data(), n_cl)).empty();
  }

  // The client address of `request` (trusted proxies: from X-Forwarded-For), counted against
  // the per-address cap when it changes. False if that address already has its maximum.
  bool attributeClient(Request& request) {
    if (server_.trusted_proxies.empty() || !server_.trusted_proxies.contains(peer_ip_)) {
      request.remote_ip = peer_ip_;
      return true;
    }
    std::vector<std::string_view> forwarded;
    for (const auto& [name, value] : request.headers) {
      if (name == "x-forwarded-for") forwarded.emplace_back(value);
    }
    request.remote_ip = server_.trusted_proxies.clientOf(peer_ip_, forwarded);
    if (request.remote_ip == counted_ip_) return true;
    if (!server_.admit(request.remote_ip)) return false;
    server_.release(counted_ip_);
    counted_ip_ = request.remote_ip;
    return true;
  }

  void onRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::bad_descriptor || ec == asio::error::eof) {
      close();
      return;
    }
    if constexpr (kTls) {
      // The peer vanished without close_notify, or TLS failed: nothing can be answered.
      if (ec == ssl::error::stream_truncated || ec.category() == asio::error::get_ssl_category()) {
        close();
        return;
      }
    }
    started_ = std::chrono::steady_clock::now();
    Request request;
    request.remote_ip = peer_ip_;
    request.request_id = nextRequestId();
    if (ec) {
      // The request could not be parsed, or its framing is ambiguous: answer and close the
      // connection, so that no byte after it is read as another request.
      request.method = "GET";
      request.path = "/";
      core::Error error = core::Error::invalid("errors.http.malformed");
      int status = 400;
      if (ec == bhttp::error::header_limit) {
        error.key = "errors.http.headers_too_large";
        status = 431;
      } else if (ec == bhttp::error::body_limit) {
        error = core::Error::payloadTooLarge("errors.http.body_too_large")
                    .with("max", std::to_string(body_limit_));
        status = 413;
      }
      std::string_view target =
          parser_ && parser_->got_some()
              ? sv(parser_->get().target())
              : requestTarget({static_cast<const char*>(buffer_.data().data()), buffer_.size()});
      request.path = std::string(target.substr(0, target.find('?')));
      Response response = server_.fail(request, error);
      response.status = status;
      keep_alive_ = false;
      write(request, std::move(response));
      return;
    }

    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive() && !server_.draining;
    request.method = std::string(msg.method_string());
    auto target = sv(msg.target());
    auto q = target.find('?');
    auto decoded = percentDecode(target.substr(0, q), false);
    if (q != std::string_view::npos) {
      request.raw_query = std::string(target.substr(q + 1));
    }
    request.headers.reserve(16);
    for (const auto& field : msg) {
      request.headers.emplace_back(core::asciiLower(sv(field.name_string())),
                                   std::string(field.value()));
    }
    request.body = std::move(msg.body());

    if (!attributeClient(request)) {
      keep_alive_ = false;
      write(request,
            server_.fail(request, core::Error::rateLimited(1, "errors.http.too_many_connections")));
      return;
    }

    if (!decoded || decoded->empty() || decoded->front() != '/' ||
        decoded->find("/../") != std::string::npos || decoded->ends_with("/..")) {
      request.path = target.starts_with("/api/") ? "/api/" : "/";
      write(request, server_.fail(request, core::Error::invalid("errors.http.malformed_path")));
      return;
    }
    request.path = std::move(*decoded);

    auto match = server_.router.match(request.method, request.path, request.path_params);
    if (match.outcome == Router::Outcome::NotFound) {
      write(request, server_.fail(request, core::Error::notFound("errors.http.no_such_page")));
      return;
    }
    if (match.outcome == Router::Outcome::MethodNotAllowed) {
      auto response = server_.fail(request, core::Error::invalid("errors.http.method_not_allowed"));
      response.status = 405;
      response.setHeader("Allow", match.allow);
      write(request, std::move(response));
      return;
    }
    const Route& route = *match.route;
    request.route = route.pattern;
    if (route.execution == Execution::Inline) {
      Response response = server_.dispatch(request, route);
      write(request, std::move(response));
      return;
    }
    if (server_.queued_jobs.load() >= server_.config.max_queued_jobs) {
      auto response = server_.fail(request, core::Error::unavailable("errors.http.busy"));
      response.setHeader("Retry-After", "1");
      write(request, std::move(response));
      return;
    }
    server_.queued_jobs++;
    auto shared_request = std::make_shared<Request>(std::move(request));
    asio::post(*server_.workers, [self = this->shared_from_this(), shared_request, &route] {
      Response response = self->server_.dispatch(*shared_request, route);
      self->server_.queued_jobs--;
      asio::post(self->stream_.get_executor(),
                 [self, shared_request, response = std::move(response)]() mutable {
                   self->write(*shared_request, std::move(response));
                 });
    });
  }

  void write(const Request& request, Response response) {
    if (response.error || response.message) server_.renderError(request, response);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    bool has_cache_control = false;
    for (auto& [name, value] : response.headers) {
      if (name.size() == 13 && strncasecmp(name.c_str(), "cache-control", 13) == 0) {
        has_cache_control = true;
      }
      res->insert(name, value);
    }
    if (!has_cache_control) {
      res->set(bhttp::field::cache_control, "no-store");
    }
    res->set(bhttp::field::date, httpDate());
    res->set(bhttp::field::server, "portico");
    res->set("X-Request-Id", request.request_id);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");
    if (res->find("Content-Security-Policy") == res->end()) {  // a download sets a stricter one
      res->set("Content-Security-Policy", beast::string_view(kCsp.data(), kCsp.size()));
    }
    res->set("Cross-Origin-Opener-Policy", "same-origin");
    if (server_.config.served_over_tls) {
      res->set(bhttp::field::strict_transport_security, "max-age=31536000; includeSubDomains");
    }
    keep_alive_ = keep_alive_ && !server_.draining;
    res->keep_alive(keep_alive_);
    std::size_t length = response.body.size();
    if (request.method == "HEAD") {
      res->content_length(length);
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    logAccess(request, response.status, length);
    tcpStream().expires_after(server_.config.idle_timeout);
    bhttp::async_write(stream_, *res,
                       [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                         if (ec) {
                           self->close();
                           return;
                         }
                         if (!self->keep_alive_ || self->server_.draining) {
                           self->lingerClose();
                           return;
                         }
                         self->read();
                       });
  }

  void logAccess(const Request& request, int status, std::size_t bytes) {
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started_);
    if (server_.config.metrics) {
      server_.config.metrics->observe(request.method, request.route, status, took);
    }
    if (!server_.access_log) {
      return;
    }
    auto us = took.count();
    std::string path;
    core::appendJsonEscaped(path, request.path);  // never the query: it may hold a token
    std::string method;
    core::appendJsonEscaped(method, request.method);
    server_.access_log->info(
        R"({{"rid":"{}","ip":"{}","peer":"{}","method":"{}","path":"{}","status":{},"bytes":{},"us":{}}})",
        request.request_id, request.remote_ip, peer_ip_, method, path, status, bytes, us);
  }

  void close() {
    beast::error_code ec;
    tcpStream().socket().shutdown(tcp::socket::shutdown_send, ec);
    tcpStream().socket().close(ec);
  }

  // Half-closes, then reads and discards what the client still sends (up to a second), so that
  // closing with unread data does not reset the connection and destroy the response in flight.
  // Over TLS: sends close_notify and waits (up to a second) for the client's.
  void lingerClose() {
    if constexpr (kTls) {
      tcpStream().expires_after(std::chrono::seconds(1));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      beast::error_code ec;
      tcpStream().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) {
        close();
        return;
      }
      tcpStream().expires_after(std::chrono::seconds(1));
      discard();
    }
  }

  void discard() {
    stream_.async_read_some(asio::buffer(discard_buffer_),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                self->close();
                              } else {
                                self->discard();
                              }
                            });
  }

  Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::size_t body_limit_ = 0;  // of the request being read (its route's, if larger)
  static constexpr std::size_t kReadSize = 16 * 1024;
  std::string peer_ip_;
  std::string counted_ip_;
  bool first_ = true;
  bool keep_alive_ = true;
  bool reading_ = false;
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> discard_buffer_{};
};

Response Server::Impl::dispatch(Request& request, const Route& route) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"rid":"{}","event":"unhandled_exception","what":"{}"}})", request.request_id,
                  e.what());
  } catch (...) {
    spdlog::error(R"({{"rid":"{}","event":"unhandled_exception"}})", request.request_id);
  }
  return fail(request,
              core::Error::internal("errors.internal").with("request_id", request.request_id));
}

void Server::Impl::accept() {
  auto& ctx = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(ctx, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
        return;
      }
    } else if (connections.load() >= config.max_connections || draining) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      beast::error_code ep_ec;
      auto ep = socket.remote_endpoint(ep_ec);
      std::string peer = ep_ec ? std::string() : canonicalAddress(ep.address().to_string());
      // A trusted proxy's connections are counted on the clients its requests name.
      std::string counted = trusted_proxies.contains(peer) ? std::string() : peer;
      if (!counted.empty() && !admit(counted)) {
        beast::error_code ignored;
        socket.close(ignored);
      } else if (tls) {
        connections++;
        std::make_shared<Connection<TlsStream>>(*this, std::move(socket), std::move(peer),
                                                std::move(counted), *tls)
            ->start();
      } else {
        connections++;
        std::make_shared<Connection<PlainStream>>(*this, std::move(socket), std::move(peer),
                                                  std::move(counted))
            ->start();
      }
    }
    if (!draining && acceptor->is_open()) {
      accept();
    }
  });
}

Server::Server(ServerConfig config, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(config), router)) {}

Server::~Server() { stop(std::chrono::milliseconds(1000)); }

void Server::start() {
  auto& c = impl_->config;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int io = c.io_threads > 0 ? c.io_threads : cores;
  int workers = c.worker_threads > 0 ? c.worker_threads : cores;
  if (c.access_log) {
    impl_->access_log = spdlog::get("access");
    if (!impl_->access_log) {
      if (!spdlog::thread_pool()) {
        spdlog::init_thread_pool(8192, 1);
      }
      impl_->access_log = std::make_shared<spdlog::async_logger>(
          "access", std::make_shared<spdlog::sinks::stdout_sink_mt>(), spdlog::thread_pool(),
          spdlog::async_overflow_policy::overrun_oldest);
      impl_->access_log->set_pattern("%v");
      spdlog::register_logger(impl_->access_log);
      spdlog::flush_every(std::chrono::seconds(1));
    }
  }
  for (int i = 0; i < io; ++i) {
    impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
    impl_->guards.push_back(asio::make_work_guard(*impl_->contexts.back()));
  }
  impl_->workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(workers));
  auto address = asio::ip::make_address(c.host);
  tcp::endpoint endpoint(address, c.port);
  impl_->acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts[0]);
  beast::error_code ec;
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port) + ": " +
                             ec.message());
  }
  impl_->bound_port = impl_->acceptor->local_endpoint().port();
  impl_->accept();
  for (auto& ctx : impl_->contexts) {
    impl_->threads.emplace_back([&ctx] { ctx->run(); });
  }
}

unsigned short Server::port() const { return impl_->bound_port; }

std::size_t Server::openConnections() const { return impl_->connections.load(); }

void Server::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped.exchange(true) || impl_->contexts.empty()) {
    return;
  }
  impl_->draining = true;
  asio::post(*impl_->contexts[0], [this] {
    beast::error_code ec;
    impl_->acceptor->close(ec);
  });
  // Collect first, drain outside the lock: dropping the last reference to a connection runs its
  // destructor, which takes the same lock.
  std::vector<std::shared_ptr<Impl::Session>> live;
  {
    std::lock_guard lock(impl_->live_mutex);
    for (auto& [ptr, weak] : impl_->live) {
      if (auto conn = weak.lock()) {
        live.push_back(std::move(conn));
      }
    }
  }
  for (auto& conn : live) {
    conn->drain();
  }
  live.clear();
  // Wait for in-flight requests up to the grace period, then stop hard. The work guards stay
  // until then: a request on the worker pool has no pending I/O, and its response must still be
  // written.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& g : impl_->guards) {
    g.reset();
  }
  impl_->workers->join();
  for (auto& ctx : impl_->contexts) {
    ctx->stop();
  }
  for (auto& t : impl_->threads) {
    t.join();
  }
  if (impl_->access_log) {
    impl_->access_log->flush();
  }
}

void Server::runUntilSignal() {
  asio::io_context signals_ctx;
  asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_ctx.run();
  spdlog::info(R"({{"event":"shutdown","detail":"signal received, draining"}})");
  stop();
}

}  // namespace portico::http
