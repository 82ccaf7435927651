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
