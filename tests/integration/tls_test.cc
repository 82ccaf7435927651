// The built-in TLS listener: HTTPS with a throw-away self-signed certificate made at test time,
// TLS 1.2/1.3 only, no plain HTTP on the TLS port, HSTS, the same limits and timeouts, and clear
// start-up errors for unusable certificate and key files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "core/random.h"
#include "support/raw_socket.h"
#include "support/test_server.h"

namespace portico::testing {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// A new P-256 key pair.
Key newKey() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx.get(), NID_X9_62_prime256v1) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &key) != 1) {
    throw std::runtime_error("key generation failed");
  }
  return Key(key, EVP_PKEY_free);
}

void writeKey(const std::string& file, EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(file.c_str(), "w"), BIO_free);
  ASSERT_TRUE(bio);
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
}

// A self-signed certificate of `key` for 127.0.0.1 and localhost, valid for an hour.
void writeCert(const std::string& file, EVP_PKEY* key) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  ASSERT_TRUE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = "localhost";
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3{};
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  std::string san = "IP:127.0.0.1,DNS:localhost";
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, san.data());
  ASSERT_NE(ext, nullptr);
  X509_add_ext(cert.get(), ext, -1);
  X509_EXTENSION_free(ext);
  ASSERT_GT(X509_sign(cert.get(), key, EVP_sha256()), 0);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(file.c_str(), "w"), BIO_free);
  ASSERT_TRUE(bio);
  ASSERT_EQ(PEM_write_bio_X509(bio.get(), cert.get()), 1);
}

// An OpenSSL client connection that offers exactly the protocol `version` (and, if given, only
// `ciphers` for TLS 1.2 and below). The client allows everything the server might: security
// level 0, so that a refusal is the server's.
class TlsClient {
 public:
  TlsClient(unsigned short port, int version, const char* ciphers = "ALL:@SECLEVEL=0")
      : ctx_(SSL_CTX_new(TLS_client_method()), SSL_CTX_free), ssl_(nullptr, SSL_free) {
    SSL_CTX_set_security_level(ctx_.get(), 0);
    SSL_CTX_set_min_proto_version(ctx_.get(), version);
    SSL_CTX_set_max_proto_version(ctx_.get(), version);
    SSL_CTX_set_cipher_list(ctx_.get(), ciphers);
    fd_ = connectTo(port);
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), fd_);
    handshake_ok_ = SSL_connect(ssl_.get()) == 1;
  }
  ~TlsClient() {
    ssl_.reset();
    if (fd_ >= 0) ::close(fd_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool handshakeOk() const { return handshake_ok_; }

  // Sends `raw`, then reads until the server closes (or 5 s pass).
  std::string exchange(const std::string& raw) {
    if (!raw.empty()) SSL_write(ssl_.get(), raw.data(), static_cast<int>(raw.size()));
    std::string out;
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl_.get(), buf, sizeof buf)) > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
  int fd_ = -1;
  bool handshake_ok_ = false;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("portico-tls-" + core::randomToken(8));
    std::filesystem::create_directories(dir_);
    auto key = newKey();
    writeKey(file("key.pem"), key.get());
    writeCert(file("cert.pem"), key.get());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  app::AppConfig tlsConfig() const {
    app::AppConfig c;
    c.server.tls_cert_file = file("cert.pem");
    c.server.tls_key_file = file("key.pem");
    return c;
  }

  // What App's constructor throws for `c` (with a database in the temp dir), or "".
  std::string startupError(app::AppConfig c) const {
    c.db_path = file("portico.db");
    c.mail_outbox = file("mail");
    c.sms_outbox = file("sms");
    c.light_password_hashing = true;
    core::FakeClock clock(0);
    try {
      app::App app(c, clock);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path dir_;
};

TEST_F(TlsTest, HealthzOverHttpsWithHstsAndSecurityHeaders) {
  TestServer server(tlsConfig());
  auto r = server.get("/healthz");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().value("status", ""), "ok");
  EXPECT_EQ(r.header("strict-transport-security"), "max-age=31536000; includeSubDomains");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  auto missing = server.get("/api/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_FALSE(missing.header("strict-transport-security").empty());
}

TEST_F(TlsTest, NoHstsOnThePlainServer) {
  TestServer server;
  auto r = server.get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.header("strict-transport-security").empty());
}

TEST_F(TlsTest, OnlyTls12And13Handshake) {
  TestServer server(tlsConfig());
  EXPECT_TRUE(TlsClient(server.port(), TLS1_3_VERSION).handshakeOk());
  EXPECT_TRUE(TlsClient(server.port(), TLS1_2_VERSION).handshakeOk());
  EXPECT_FALSE(TlsClient(server.port(), TLS1_1_VERSION).handshakeOk());
  EXPECT_FALSE(TlsClient(server.port(), TLS1_VERSION).handshakeOk());
  // TLS 1.2 without forward secrecy or with CBC suites is refused too.
  EXPECT_FALSE(
      TlsClient(server.port(), TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0").handshakeOk());
  EXPECT_FALSE(
      TlsClient(server.port(), TLS1_2_VERSION, "AES128-GCM-SHA256:@SECLEVEL=0").handshakeOk());
  // The server still answers after the refused handshakes.
  EXPECT_EQ(server.get("/healthz").status, 200);
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsNoHttpResponse) {
  TestServer server(tlsConfig());
  auto reply =
      exchange(server.port(), "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply.find("HTTP/"), std::string::npos) << reply.substr(0, 80);
}

TEST_F(TlsTest, KeepAliveAndLimitsWorkOverTls) {
  TestServer server(tlsConfig());
  TlsClient client(server.port(), TLS1_3_VERSION);
  ASSERT_TRUE(client.handshakeOk());
  auto reply = client.exchange(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::size_t count = 0;
  for (auto pos = reply.find("HTTP/1.1 200"); pos != std::string::npos;
       pos = reply.find("HTTP/1.1 200", pos + 1))
    ++count;
  EXPECT_EQ(count, 2u) << reply;

  TlsClient big(server.port(), TLS1_2_VERSION);
  ASSERT_TRUE(big.handshakeOk());
  reply = big.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9 * 1024, 'a') +
                       "\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 431")) << reply.substr(0, 80);
}

TEST_F(TlsTest, SilentClientsAreClosedAtTheHandshakeAndHeaderTimeouts) {
  auto c = tlsConfig();
  c.server.tls_handshake_timeout = std::chrono::milliseconds(300);
  c.server.header_timeout = std::chrono::milliseconds(500);
  TestServer server(c);

  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(exchange(server.port(), ""), "");  // connects, never starts the handshake
  EXPECT_LT(secondsSince(start), 3.0);

  TlsClient client(server.port(), TLS1_3_VERSION);  // handshakes, never sends a request
  ASSERT_TRUE(client.handshakeOk());
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.exchange(""), "");
  EXPECT_LT(secondsSince(start), 3.0);
}

TEST_F(TlsTest, StopClosesAPendingHandshakeAtOnce) {
  TestServer server(tlsConfig());  // the default handshake timeout: 10 s
  int fd = connectTo(server.port());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(server.get("/healthz").status, 200);
  auto start = std::chrono::steady_clock::now();
  server.app().stop();
  EXPECT_LT(secondsSince(start), 3.0);
  ::close(fd);
}

TEST_F(TlsTest, SignInAndTheApiWorkOverTls) {
  TestServer server(tlsConfig());
  auto token = server.signedInUser("tls-user@example.test");
  ASSERT_FALSE(token.empty());
  auto me = server.get("/api/v1/me", token);
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_FALSE(me.header("strict-transport-security").empty());
  // Web cookies are __Host- and Secure, as behind a TLS proxy.
  auto cookie = server.get("/login").header("set-cookie");
  EXPECT_TRUE(cookie.starts_with("__Host-")) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
}

TEST_F(TlsTest, UnusableCertificateOrKeyStopsTheStart) {
  auto other = newKey();
  writeKey(file("other-key.pem"), other.get());
  auto c = tlsConfig();
  c.server.tls_key_file = file("other-key.pem");
  EXPECT_NE(startupError(c).find("does not match the certificate"), std::string::npos)
      << startupError(c);

  c = tlsConfig();
  c.server.tls_key_file.clear();
  EXPECT_NE(startupError(c).find("give both or neither"), std::string::npos) << startupError(c);

  c = tlsConfig();
  c.server.tls_cert_file = file("no-such-cert.pem");
  EXPECT_NE(startupError(c).find("cannot read TLS certificate"), std::string::npos)
      << startupError(c);

  c = tlsConfig();
  c.server.tls_cert_file = file("key.pem");  // a key where the certificate belongs
  EXPECT_NE(startupError(c).find("no usable PEM certificate"), std::string::npos)
      << startupError(c);

  c = tlsConfig();
  c.server.tls_key_file = file("cert.pem");
  EXPECT_NE(startupError(c).find("no usable (unencrypted) PEM private key"), std::string::npos)
      << startupError(c);

  EXPECT_EQ(startupError(tlsConfig()), "");
}

}  // namespace
}  // namespace portico::testing
