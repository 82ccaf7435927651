// HTTP limits, timeouts and headers against the real server, over raw sockets where needed.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "support/raw_socket.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

app::AppConfig shortTimeouts() {
  app::AppConfig c;
  c.server.header_timeout = std::chrono::milliseconds(500);
  c.server.idle_timeout = std::chrono::milliseconds(1000);
  c.server.max_connections_per_address = 2000;  // the idle-connection test opens 1000 from one
  return c;
}

TEST(HttpLimitsTest, SecurityHeadersOnEveryResponse) {
  TestServer server;
  for (const char* path : {"/healthz", "/login", "/api/v1/nothing", "/nothing"}) {
    auto r = server.get(path);
    EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos)
        << path;
    EXPECT_EQ(r.header("content-security-policy").find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(r.header("x-frame-options"), "DENY") << path;
    EXPECT_FALSE(r.header("referrer-policy").empty()) << path;
    EXPECT_FALSE(r.header("x-request-id").empty()) << path;
    EXPECT_FALSE(r.header("date").empty()) << path;
    EXPECT_TRUE(r.header("strict-transport-security").empty()) << path;  // plain HTTP
  }
  auto html404 = server.get("/nothing");
  EXPECT_EQ(html404.status, 404);
  EXPECT_NE(html404.header("content-type").find("text/html"), std::string::npos);
  auto icon = server.get("/static/favicon.svg");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.header("content-type"), "image/svg+xml");
  EXPECT_NE(server.get("/login").body.find("rel=\"icon\" href=\"/static/favicon.svg\""),
            std::string::npos);
  auto css = server.get("/static/portico.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_NE(css.header("cache-control").find("max-age"), std::string::npos);
  EXPECT_EQ(
      server.request("GET", "/static/portico.css", "", {"If-None-Match: " + css.header("etag")})
          .status,
      304);
}

TEST(HttpLimitsTest, HstsAndSecureCookiesWhenServedOverTls) {
  app::AppConfig c;
  c.public_url = "https://portal.example";
  TestServer server(c);
  auto r = server.get("/login");
  EXPECT_NE(r.header("strict-transport-security").find("max-age=31536000"), std::string::npos);
  auto cookie = r.header("set-cookie");
  EXPECT_TRUE(cookie.starts_with("__Host-portico_csrf=")) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
}

TEST(HttpLimitsTest, OversizedBodyIs413) {
  TestServer server;
  std::string big(2 * 1024 * 1024, 'x');
  auto r = server.request("POST", "/api/v1/auth/login", big, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.errorCode(), "payload_too_large") << r.body << r.header("content-length");
}

TEST(HttpLimitsTest, OversizedHeadersAre431) {
  TestServer server;
  auto reply = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                           std::string(9 * 1024, 'a') + "\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 431")) << reply.substr(0, 80);
}

TEST(HttpLimitsTest, MalformedRequestsAre400AndClosed) {
  TestServer server;
  auto reply = exchange(
      server.port(),
      "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 80);
  reply = exchange(server.port(), "NOT A REQUEST\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 80);
  reply = exchange(server.port(), "GET /%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 80);
  reply = exchange(
      server.port(),
      "GET /static/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400") || reply.starts_with("HTTP/1.1 404"))
      << reply.substr(0, 80);
  EXPECT_EQ(reply.find("root:"), std::string::npos);
}

// How many responses `reply` holds.
std::size_t responses(const std::string& reply) {
  std::size_t count = 0;
  for (auto pos = reply.find("HTTP/1.1 "); pos != std::string::npos;
       pos = reply.find("HTTP/1.1 ", pos + 1)) {
    ++count;
  }
  return count;
}

// RFC 9112 §6.3: a Transfer-Encoding that does not end in chunked leaves the body's length to
// guesswork; the server must refuse it and close, or the bytes after it run as a second request.
TEST(HttpLimitsTest, TransferEncodingsOtherThanChunkedAre400AndClose) {
  TestServer server;
  for (const char* te : {"identity", "xchunked", "chunked, identity", "gzip, chunked", "chunked;x",
                         " CHUNKED , identity"}) {
    auto reply =
        exchange(server.port(), std::string("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                            "Transfer-Encoding: ") +
                                    te +
                                    "\r\n\r\n"
                                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << te << ": " << reply.substr(0, 80);
    EXPECT_EQ(responses(reply), 1u) << te << ": the smuggled request was answered";
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << te;
  }
  // Two Transfer-Encoding fields, each "chunked" on its own.
  auto reply = exchange(server.port(),
                        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                        "chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 80);
}

TEST(HttpLimitsTest, ChunkedBodiesStillWork) {
  TestServer server;
  std::string body = R"({"email":"nobody@acme.example","password":"wrong password"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  auto reply = exchange(server.port(),
                        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        "application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            std::string(size) + "\r\n" + body +
                            "\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: "
                            "close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply.substr(0, 200);
  EXPECT_EQ(responses(reply), 2u) << reply;
  EXPECT_NE(reply.find("HTTP/1.1 200"), std::string::npos);
}

TEST(HttpLimitsTest, RepeatedContentLengthIs400EvenWhenEqual) {
  TestServer server;
  for (const char* fields :
       {"Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length: 5, 5\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"}) {
    auto reply = exchange(server.port(),
                          std::string("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n") + fields +
                              "\r\nhello" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << fields << reply.substr(0, 80);
    EXPECT_EQ(responses(reply), 1u) << fields;
  }
}

TEST(HttpLimitsTest, ObsFoldAndBareLineFeedsAre400AndClose) {
  TestServer server;
  for (const char* raw : {
           "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
           "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n",
           "GET /healthz HTTP/1.1\r\n Host: x\r\n\r\n",
           "GET /healthz HTTP/1.1\nHost: x\n\n",
           "GET /healthz HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n",
       }) {
    auto reply =
        exchange(server.port(), std::string(raw) + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << raw << reply.substr(0, 80);
    EXPECT_EQ(responses(reply), 1u) << raw;
  }
  // An API path still gets the JSON error.
  auto reply = exchange(server.port(), "GET /api/v1/me HTTP/1.1\nHost: x\n\n");
  EXPECT_NE(reply.find("\"code\":\"invalid_input\""), std::string::npos) << reply;
}

TEST(HttpLimitsTest, OneAddressCannotTakeEveryConnection) {
  app::AppConfig c;
  c.server.max_connections_per_address = 3;
  TestServer server(c);
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(connectFrom(server.port(), "127.0.0.1"));
    ASSERT_GE(held.back(), 0);
  }
  int fourth = connectFrom(server.port(), "127.0.0.1");
  ASSERT_GE(fourth, 0);
  EXPECT_TRUE(closedByPeer(fourth)) << "a fourth connection from one address stays open";
  ::close(fourth);
  // Another address is served, and one of the three still works.
  int other = connectFrom(server.port(), "127.0.0.2");
  ASSERT_GE(other, 0);
  auto reply = exchangeOn(other, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 80);
  reply = exchangeOn(held[0], "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 80);
  held.erase(held.begin());  // exchangeOn closed it
  // Its closing makes room for another (once the server has seen it go).
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    int again = connectFrom(server.port(), "127.0.0.1");
    reply = exchangeOn(again, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    served = reply.starts_with("HTTP/1.1 200");
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
  for (int fd : held) ::close(fd);
}

// Behind a trusted proxy the cap counts the clients that X-Forwarded-For names, not the proxy.
TEST(HttpLimitsTest, ProxiedConnectionsAreCountedPerForwardedClient) {
  app::AppConfig c;
  c.server.max_connections_per_address = 2;
  c.server.trusted_proxies = {"127.0.0.1/32"};
  TestServer server(c);
  auto forwarded = [](const char* client) {
    return std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ") + client +
           "\r\n\r\n";
  };
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {  // the proxy's own address is not capped
    held.push_back(connectFrom(server.port(), "127.0.0.1"));
    ASSERT_GE(held.back(), 0);
  }
  char buf[4096];
  for (int i = 0; i < 2; ++i) {
    auto raw = forwarded("198.51.100.7");
    ::send(held[static_cast<std::size_t>(i)], raw.data(), raw.size(), MSG_NOSIGNAL);
    auto n = ::recv(held[static_cast<std::size_t>(i)], buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    EXPECT_TRUE(std::string(buf, static_cast<std::size_t>(n)).starts_with("HTTP/1.1 200"));
  }
  auto reply = exchangeOn(held[2], forwarded("198.51.100.7"));
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 429")) << reply.substr(0, 80);
  held.pop_back();  // exchangeOn closed it
  int fresh = connectFrom(server.port(), "127.0.0.1");
  std::string last = forwarded("198.51.100.8");
  last.insert(last.size() - 2, "Connection: close\r\n");
  reply = exchangeOn(fresh, last);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 80);
  for (int fd : held) ::close(fd);
}

// 30 failed sign-ins lock an address. Without --trusted-proxy, X-Forwarded-For is ignored (so a
// client cannot escape the lock by inventing addresses); behind a trusted proxy the lock falls on
// the forwarded client only, not on everyone behind the proxy.
TEST(HttpLimitsTest, AddressLockFallsOnTheForwardedClientOnlyBehindATrustedProxy) {
  auto failThirtyTimes = [](TestServer& server, const std::string& xff_prefix) {
    for (int i = 0; i < 30; ++i) {
      server.request("POST", "/api/v1/auth/login",
                     nlohmann::json{{"email", "nobody" + std::to_string(i) + "@acme.example"},
                                    {"password", "wrong password"}}
                         .dump(),
                     {"Content-Type: application/json", "X-Forwarded-For: " + xff_prefix + "7"});
    }
  };
  auto loginFrom = [](TestServer& server, const std::string& xff) {
    return server.request(
        "POST", "/api/v1/auth/login",
        nlohmann::json{{"email", "real@acme.example"}, {"password", TestServer::kPassword}}.dump(),
        {"Content-Type: application/json", "X-Forwarded-For: " + xff});
  };
  {
    TestServer direct;
    direct.signedInUser("real@acme.example");
    failThirtyTimes(direct, "198.51.100.");
    EXPECT_EQ(loginFrom(direct, "203.0.113.9").status, 429) << "X-Forwarded-For was believed";
  }
  app::AppConfig c;
  c.server.trusted_proxies = {"127.0.0.0/8", "::1"};
  TestServer proxied(c);
  std::string first = proxied.signedInUser("real@acme.example");
  failThirtyTimes(proxied, "spoofed, 198.51.100.");
  EXPECT_EQ(loginFrom(proxied, "198.51.100.7").status, 429);
  auto other = loginFrom(proxied, "203.0.113.9");
  EXPECT_EQ(other.status, 200) << other.body;
  // The new session carries the forwarded client's address.
  auto sessions = proxied.get("/api/v1/sessions", first);
  EXPECT_NE(sessions.body.find("203.0.113.9"), std::string::npos) << sessions.body;
}

TEST(HttpLimitsTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestServer server;
  auto reply = exchange(server.port(),
                        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::size_t count = 0;
  for (auto pos = reply.find("HTTP/1.1 200"); pos != std::string::npos;
       pos = reply.find("HTTP/1.1 200", pos + 1))
    ++count;
  EXPECT_EQ(count, 2u);
}

TEST(HttpLimitsTest, IdleAndSlowConnectionsDoNotStopServiceAndAreClosed) {
  TestServer server(shortTimeouts());
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    int fd = connectTo(server.port());
    ASSERT_GE(fd, 0);
    if (i % 2 == 0) ::send(fd, "GET /healthz HTTP/1.1\r\nHo", 25, MSG_NOSIGNAL);  // slowloris
    idle.push_back(fd);
  }
  auto r = server.get("/healthz");
  EXPECT_EQ(r.status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // The server has closed them at its header timeout: reads see EOF.
  int closed = 0;
  for (int fd : idle) {
    char c;
    timeval tv{0, 200000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::recv(fd, &c, 1, 0) <= 0) ++closed;
    ::close(fd);
  }
  EXPECT_EQ(closed, 1000);
  EXPECT_EQ(server.get("/healthz").status, 200);
}

TEST(HttpLimitsTest, GracefulStopFinishesInFlightRequests) {
  // Real Argon2id cost (64 MiB), so a login takes long enough to be in flight for sure.
  auto server = std::make_unique<TestServer>(app::AppConfig{}, /*light_hashing=*/false);
  server->signedInUser("drain@acme.example");
  HttpResult result;
  std::thread t([&] {
    result = server->post("/api/v1/auth/login",
                          {{"email", "drain@acme.example"}, {"password", TestServer::kPassword}});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server->app().stop();
  t.join();
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.header("connection"), "close");
}

}  // namespace
}  // namespace portico::testing

namespace portico::testing {
namespace {

// A client that sends "Expect: 100-continue" waits for the go-ahead before the body (curl does
// for bodies over 1 MiB): it gets it at once, then the answer.
TEST(HttpLimitsTest, ExpectContinueGetsTheGoAheadBeforeTheBody) {
  TestServer server;
  int fd = connectTo(server.port());
  ASSERT_GE(fd, 0);
  std::string head =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  std::string interim;
  char buf[256];
  while (interim.find("\r\n\r\n") == std::string::npos) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;  // the socket's receive timeout: no go-ahead
    interim.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n\r\n")) << interim;
  auto rest = exchangeOn(fd, "{}");
  EXPECT_NE((interim + rest).find("HTTP/1.1 400"), std::string::npos) << interim << rest;
}

}  // namespace
}  // namespace portico::testing
