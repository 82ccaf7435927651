#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "http/error_response.h"
#include "http/metrics.h"
#include "http/router.h"

namespace portico::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;            // 0: an ephemeral port (see Server::port())
  int io_threads = 0;                    // 0: one per core
  int worker_threads = 0;                // 0: one per core; runs Execution::Worker routes
  std::size_t max_queued_jobs = 256;     // worker jobs waiting; beyond it, 503 + Retry-After
  std::size_t header_limit = 8 * 1024;   // larger: 431
  std::size_t body_limit = 1024 * 1024;  // larger: 413
  std::chrono::milliseconds header_timeout{10'000};  // first request on a connection
  std::chrono::milliseconds idle_timeout{60'000};    // waiting for the next keep-alive request
  std::size_t max_connections = 10'000;  // beyond it, new connections are closed at once
  // Open connections per client address; beyond it, a new connection is closed at once (for a
  // trusted proxy's connection, its request answers 429 and the connection closes).
  std::size_t max_connections_per_address = 100;
  // Networks of reverse proxies whose X-Forwarded-For names the client (see TrustedProxies);
  // empty: the peer is the client and forwarded headers are ignored.
  std::vector<std::string> trusted_proxies;
  bool served_over_tls = false;  // adds HSTS (TLS here, or terminated at a proxy in front)
  // Both or neither: PEM files of the certificate (chain) and its private key. With them the
  // port speaks HTTPS only (TLS 1.2 and 1.3); without them, plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::chrono::milliseconds tls_handshake_timeout{10'000};  // from accept to a finished handshake
  bool access_log = true;
  HttpMetrics* metrics = nullptr;  // counts every answer, if set (outlives the server)
  HtmlErrorRenderer html_error;    // HTML error pages outside /api
  ErrorText error_text;            // the message of a JSON error, in the reader's language
};

// The HTTP/1.1 server: one io_context per I/O thread, an acceptor handing connections out in
// turn, keep-alive, limits and timeouts, security headers on every response, a request id and a
// structured access log. Handlers marked Execution::Worker run on a bounded worker pool.
// Thread-safe: start() once, then stop() from any thread.
class Server {
 public:
  // REQUIRES: `router` outlives the server and is not modified after start().
  // Loads the TLS certificate and key if configured: throws std::runtime_error with a clear
  // message if only one is given, a file cannot be read, or the key does not match; throws
  // std::invalid_argument for a trusted proxy that is not a network.
  Server(ServerConfig config, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Throws std::runtime_error if the address cannot be bound.
  void start();
  // The bound port (after start()).
  unsigned short port() const;
  // Stops accepting, lets in-flight requests finish (up to `grace`), closes idle connections
  // and joins the threads. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));
  // Blocks until SIGTERM or SIGINT, then stop()s.
  void runUntilSignal();
  // Connections currently open.
  std::size_t openConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portico::http
