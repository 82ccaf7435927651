#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/random.h"
#include "http/server.h"
#include "notify/mailer.h"
#include "notify/sms.h"

namespace portico::notify {
namespace {

std::string tempDir() {
  core::initCrypto();
  auto d = std::filesystem::temp_directory_path() / ("portico-notify-" + core::randomToken(6));
  std::filesystem::create_directories(d);
  return d.string();
}

MailMessage sample() {
  return {"anna@acme.example", "Återställ lösenord",
          "Hej Anna,\nöppna länken:\nhttps://portal.example/x?token=abc", "<p>Hej Anna</p>", ""};
}

TEST(MailTest, EmlHasTextAndHtmlParts) {
  auto eml = buildEml(sample(), "portal@portico.local", "Mon, 23 Nov 2026 10:00:00 +0000",
                      "1@portico.local");
  EXPECT_NE(eml.find("From: portal@portico.local\r\n"), std::string::npos);
  EXPECT_NE(eml.find("To: anna@acme.example\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(eml.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: multipart/alternative;\r\n boundary="), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(eml.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(eml.find("token=3Dabc"), std::string::npos);  // quoted-printable '='
  for (std::size_t pos = 0, next; (next = eml.find("\r\n", pos)) != std::string::npos;
       pos = next + 2) {
    EXPECT_LE(next - pos, 78u) << "line too long at " << pos;
  }
}

TEST(MailTest, AMailOfAThreadRepliesToItsRoot) {
  auto m = sample();
  auto plain =
      buildEml(m, "portal@portico.local", "Mon, 23 Nov 2026 10:00:00 +0000", "1@portico.local");
  EXPECT_EQ(plain.find("In-Reply-To:"), std::string::npos);
  m.thread = "case-42";
  auto eml =
      buildEml(m, "portal@portico.local", "Mon, 23 Nov 2026 10:00:00 +0000", "2@portico.local");
  EXPECT_NE(eml.find("Message-ID: <2@portico.local>\r\n"), std::string::npos);
  EXPECT_NE(eml.find("In-Reply-To: <case-42@portico.local>\r\n"), std::string::npos);
  EXPECT_NE(eml.find("References: <case-42@portico.local>\r\n"), std::string::npos);
  // A thread that could add a header is refused.
  OutboxMailer mailer(tempDir(), "portal@portico.local");
  m.thread = "x>\r\nBcc: evil@example.com";
  EXPECT_FALSE(mailer.send(m));
}

TEST(MailTest, HeaderInjectionIsRefused) {
  OutboxMailer mailer(tempDir(), "portal@portico.local");
  auto m = sample();
  m.subject = "Hello\r\nBcc: evil@example.com";
  auto sent = mailer.send(m);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, core::ErrorCode::InvalidInput);
  EXPECT_EQ(sent.error().key, "errors.notify.bad_mail");
  m = sample();
  m.to = "anna@acme.example\r\nBcc: evil@example.com";
  EXPECT_FALSE(mailer.send(m));
}

TEST(MailTest, OutboxWritesOneEmlPerMessage) {
  auto dir = tempDir();
  OutboxMailer mailer(dir, "portal@portico.local");
  ASSERT_TRUE(mailer.send(sample()));
  ASSERT_TRUE(mailer.send(sample()));
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    n += e.path().extension() == ".eml";
  EXPECT_EQ(n, 2);
}

// A minimal SMTP server that accepts one message.
class FakeSmtp {
 public:
  FakeSmtp() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 1);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmtp() {
    thread_.join();
    ::close(fd_);
  }
  unsigned short port() const { return port_; }
  std::string transcript;

 private:
  void serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    auto say = [c](const std::string& s) { ::send(c, s.data(), s.size(), MSG_NOSIGNAL); };
    say("220 fake ESMTP\r\n");
    std::string buf;
    bool data = false;
    char tmp[4096];
    while (true) {
      auto n = ::recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) break;
      buf.append(tmp, static_cast<std::size_t>(n));
      transcript.append(tmp, static_cast<std::size_t>(n));
      std::size_t eol;
      while (!data && (eol = buf.find("\r\n")) != std::string::npos) {
        std::string line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        if (line.starts_with("EHLO") || line.starts_with("HELO"))
          say("250 fake\r\n");
        else if (line.starts_with("DATA")) {
          say("354 go on\r\n");
          data = true;
        } else if (line.starts_with("QUIT")) {
          say("221 bye\r\n");
          ::close(c);
          return;
        } else
          say("250 ok\r\n");
      }
      if (data && buf.find("\r\n.\r\n") != std::string::npos) {
        buf.erase(0, buf.find("\r\n.\r\n") + 5);
        data = false;
        say("250 queued\r\n");
      }
    }
    ::close(c);
  }
  int fd_ = -1;
  unsigned short port_ = 0;
  std::thread thread_;
};

TEST(MailTest, SmtpDeliversThroughCurl) {
  std::string transcript;
  {
    FakeSmtp smtp;
    SmtpMailer mailer("smtp://127.0.0.1:" + std::to_string(smtp.port()), "portal@portico.local");
    auto sent = mailer.send(sample());
    EXPECT_TRUE(sent) << (sent ? "" : sent.error().key);
    // leaving the scope joins the server thread
    smtp.transcript.swap(transcript);
  }
  EXPECT_NE(transcript.find("MAIL FROM:<portal@portico.local>"), std::string::npos);
  EXPECT_NE(transcript.find("RCPT TO:<anna@acme.example>"), std::string::npos);
  EXPECT_NE(transcript.find("Content-Type: text/html"), std::string::npos);
}

TEST(MailTest, SmtpFailureIsUnavailable) {
  SmtpMailer mailer("smtp://127.0.0.1:1", "portal@portico.local");
  auto sent = mailer.send(sample());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, core::ErrorCode::Unavailable);
  EXPECT_EQ(sent.error().key, "errors.notify.mail_failed");
  ASSERT_EQ(sent.error().args.size(), 1u);  // curl's reason
  EXPECT_EQ(sent.error().args[0].first, "reason");
  EXPECT_FALSE(sent.error().args[0].second.empty());
}

TEST(SmsTest, OutboxWritesJsonAndChecksNumbers) {
  auto dir = tempDir();
  OutboxSms sms(dir);
  auto refused = sms.send("0701234567", "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::InvalidInput);
  EXPECT_EQ(refused.error().key, "errors.notify.bad_phone");
  EXPECT_EQ(refused.error().field, "phone");
  ASSERT_TRUE(sms.send("+46701234567", "Your code: 123456"));
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream f(e.path());
    auto j = nlohmann::json::parse(f);
    EXPECT_EQ(j["to"], "+46701234567");
    EXPECT_EQ(j["text"], "Your code: 123456");
  }
}

TEST(SmsTest, HttpGatewayPostsJson) {
  http::Router router;
  std::string received;
  router.add({"POST", "/send", [&received](http::Request& r) {
                received = r.body;
                return http::Response::json(202, "{}");
              }});
  router.add({"POST", "/broken", [](http::Request&) { return http::Response::json(500, "{}"); }});
  http::ServerConfig config;
  config.port = 0;
  config.access_log = false;
  http::Server server(config, router);
  server.start();
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  HttpSmsGateway gateway(base + "/send");
  ASSERT_TRUE(gateway.send("+46701234567", "Your code: 654321"));
  auto j = nlohmann::json::parse(received);
  EXPECT_EQ(j["to"], "+46701234567");
  EXPECT_EQ(j["text"], "Your code: 654321");
  HttpSmsGateway broken(base + "/broken");
  auto refused = broken.send("+46701234567", "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::Unavailable);
  EXPECT_EQ(refused.error().key, "errors.notify.sms_refused");
  server.stop();
}

}  // namespace
}  // namespace portico::notify
