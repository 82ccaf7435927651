#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/clock.h"

namespace portico::testing {

struct HttpResult {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string errorCode() const {
    auto j = json();
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }
  // The error's message, in the language the server chose for the reader.
  std::string errorMessage() const {
    auto j = json();
    return j.is_object() && j.contains("error") ? j["error"].value("message", "") : "";
  }
};

// The PostgreSQL cluster the tests run on: the URL of its maintenance database, from
// PORTICO_TEST_POSTGRES (a URL) or PORTICO_TEST_POSTGRES_CLUSTER (a folder made by
// tests/support/pg_cluster.sh); "" to run on SQLite.
std::string testPostgresUrl();

// A real Portico server on an ephemeral loopback port, with a temporary SQLite database, mail
// and SMS outboxes in a temporary folder, and a FakeClock the test moves. With
// overrides.server.tls_cert_file (and _key_file) set, it serves HTTPS and request() uses https,
// verifying the server against that certificate.
class TestServer {
 public:
  explicit TestServer(app::AppConfig overrides = {}, bool light_hashing = true);
  ~TestServer();

  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& body = "", const std::vector<std::string>& headers = {});
  HttpResult get(const std::string& path, const std::string& token = "");
  HttpResult post(const std::string& path, const nlohmann::json& body,
                  const std::string& token = "");

  // `portico init`: an organization and its admin's signup URL.
  std::string initOrganization(const std::string& org, const std::string& email);
  // The token part of a URL "…?token=T".
  static std::string tokenOf(const std::string& url);

  // Signs up through a fresh org link, logs in and enrols TOTP. Returns the session token;
  // `secret_out` receives the raw TOTP secret, `codes_out` the recovery codes.
  std::string signedInUser(const std::string& email, std::string* secret_out = nullptr,
                           std::vector<std::string>* codes_out = nullptr);
  // The token of the link to `path` ("/signup", "/invitations/accept") in the newest mail.
  std::string mailedToken(const std::string& path) const;
  // Signs in a login that has no second factor yet and enrols TOTP; the signed-in token.
  // `secret_out` receives the raw TOTP secret (for signing in a browser too).
  std::string signInAndEnrol(const std::string& email, std::string* secret_out = nullptr);
  // Upserts company `ext` with `api_key`, mails its admin signup link to `email`, registers
  // through it and signs in: {company id, session token}. `secret_out` receives the admin's raw
  // TOTP secret.
  std::pair<std::int64_t, std::string> companyWithAdmin(const std::string& api_key,
                                                        const std::string& ext,
                                                        const std::string& email,
                                                        std::string* secret_out = nullptr);
  // A fresh second factor for session `token` (POST /api/v1/auth/step-up with the current code of
  // `secret`), for tests that move the clock past the step-up window before a protected change.
  void stepUp(const std::string& token, const std::string& secret);

  // A new login that is staff of the organization named `org` with `role` (admin,
  // department_admin, content_creator, support, personnel), signed in with 2FA: its token.
  // `secret_out` receives the raw TOTP secret (for signing in a browser too).
  std::string staffMember(const std::string& org, const std::string& email, const std::string& role,
                          std::string* secret_out = nullptr);
  // Runs one SQL statement with text parameters (test set-up only).
  void sql(const std::string& statement, const std::vector<std::string>& params = {});
  // The integer in the first column of the first row of a query (test checks only), or 0.
  std::int64_t scalar(const std::string& statement, const std::vector<std::string>& params = {});

  // Code for a base32 secret at the fake clock's time (+ offset seconds).
  std::string totpCode(const std::string& base32_secret, std::int64_t offset = 0) const;

  // Files in the mail / SMS outbox, oldest first, after the due jobs have been delivered.
  std::vector<std::string> mails() const;
  std::vector<std::string> texts() const;

  core::FakeClock& clock() { return clock_; }
  app::App& app() { return *app_; }
  unsigned short port() const { return app_->port(); }
  const std::string& dir() const { return dir_; }

  static constexpr const char* kPassword = "violet harbor sunrise";

 private:
  std::string dir_;
  std::string tls_cert_;      // empty: plain HTTP
  std::string pg_admin_url_;  // on PostgreSQL: the cluster's maintenance database
  std::string pg_database_;   // and this server's own database there
  core::FakeClock clock_;
  std::unique_ptr<app::App> app_;
};

// Decodes base32 (for secrets from the API).
std::string base32Decode(const std::string& in);

}  // namespace portico::testing
