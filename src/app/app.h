#pragma once

#include <memory>
#include <string>

#include "access/company_routes.h"
#include "access/staff_routes.h"
#include "core/clock.h"
#include "events/event_log.h"
#include "events/webhooks.h"
#include "http/server.h"
#include "identity/guard.h"
#include "identity/identity_service.h"
#include "jobs/runner.h"
#include "storage/db.h"

namespace portico::app {

struct AppConfig {
  std::string db_path = "portico.db";
  std::string key_file;  // default: <db_path>.key
  std::string public_url = "http://127.0.0.1:8080";
  std::string mail_outbox;  // a folder: mail as .eml files
  std::string smtp_url;     // or SMTP through libcurl
  std::string mail_from = "portal@portico.local";
  std::string sms_outbox;       // a folder: texts as .json files
  std::string sms_gateway_url;  // or an HTTP gateway
  http::ServerConfig server;
  identity::IdentityLimits limits;
  bool light_password_hashing = false;  // tests only: Argon2id at its minimum cost
  int job_workers = 2;                  // threads that deliver queued jobs while serving (0: none)
  int keep_emails_months = 13;          // the e-mail history is deleted after this
  bool allow_private_webhooks = false;  // webhooks may reach loopback and private addresses
  // HOST:PORT of GET /metrics (Prometheus text), never on the public port; empty: no metrics.
  std::string metrics_listen;
  // How customers pay invoices: "manual" (bank transfer; paid when the ERP says so), "demo" (a
  // local test checkout; `portico demo` and the tests) or "stripe" (Stripe Checkout).
  std::string payments = "manual";
  std::string stripe_api_url = "https://api.stripe.com";
  std::string stripe_secret_key;      // "sk_…"
  std::string stripe_webhook_secret;  // the webhook endpoint's signing secret, "whsec_…"
};

// The message of an error in English, for the command line.
std::string englishMessage(const core::Error& error);

// Parses "HOST:PORT" into the server config. InvalidInput if malformed.
core::Status parseListen(const std::string& listen, http::ServerConfig& server);

// The composition root: owns every component, wires services to storage and routes to services.
// The only place that knows every module.
class App {
 public:
  // Opens the database and applies migrations. Throws std::runtime_error (with a clear message)
  // if the database cannot be opened or the configuration is unusable.
  App(AppConfig config, const core::Clock& clock);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  void start();
  unsigned short port() const;
  // The port of /metrics (after start(); 0 without --metrics-listen).
  unsigned short metricsPort() const;
  void stop();
  void runUntilSignal();

  // Fills a fresh database with an organization and users whose 2FA is set up, for `portico
  // demo`. Returns what to print: how to sign in.
  std::string seedDemo();

  // A new integration API key for the organization named `org` (shown once; stored hashed).
  core::Result<std::string> createApiKey(const std::string& org, const std::string& name);

  storage::Db& db();
  identity::IdentityService& identity();
  // The job queue, and its runner (whose workers start with start()).
  jobs::Queue& jobs();
  jobs::Runner& jobRunner();
  // The organizations' events (the integration feed) and webhook endpoints.
  events::EventLog& events();
  events::WebhookService& webhooks();
  const identity::GuardedRoutes& routes() const;
  // Every route the server answers.
  const http::Router& router() const;
  // The routes about one company's records, with the permission each needs.
  const access::CompanyRoutes& companyRoutes() const;
  const access::StaffRoutes& staffRoutes() const;
  const AppConfig& config() const;
  // The OpenAPI 3.1 document of the JSON API, as served at /api/v1/openapi.json.
  const std::string& openApiJson() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portico::app
