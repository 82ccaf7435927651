#include "app/app.h"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "access/access_api.h"
#include "access/access_pages.h"
#include "access/access_repository.h"
#include "access/audit_api.h"
#include "access/invitation_api.h"
#include "access/invitation_repository.h"
#include "access/invitation_service.h"
#include "access/invite_pages.h"
#include "access/policy.h"
#include "access/staff_routes.h"
#include "app/demo_documents.h"
#include "app/demo_store.h"
#include "app/openapi.h"
#include "audit/audit_log.h"
#include "console/console_api.h"
#include "console/console_pages.h"
#include "console/deliveries_pages.h"
#include "console/webhook_pages.h"
#include "core/business_hours.h"
#include "core/random.h"
#include "directory/directory_api.h"
#include "directory/directory_integration.h"
#include "directory/directory_pages.h"
#include "events/events_api.h"
#include "events/events_repository.h"
#include "identity/deliveries.h"
#include "identity/identity_api.h"
#include "identity/identity_pages.h"
#include "identity/identity_repository.h"
#include "identity/password.h"
#include "identity/secret_box.h"
#include "identity/totp.h"
#include "integration/idempotency.h"
#include "integration/integration_api.h"
#include "modules/cases/case_integration.h"
#include "modules/cases/case_pages.h"
#include "modules/cases/case_routes.h"
#include "modules/cases/case_templates/template_routes.h"
#include "modules/cases/support_settings/service_level.h"
#include "modules/cases/support_settings/support_settings_routes.h"
#include "modules/devices/device_integration.h"
#include "modules/devices/device_pages.h"
#include "modules/devices/device_routes.h"
#include "modules/documents/document_integration.h"
#include "modules/documents/document_pages.h"
#include "modules/documents/document_routes.h"
#include "modules/documents/document_settings/document_settings_routes.h"
#include "modules/documents/payments/payment_routes.h"
#include "modules/documents/payments/stripe.h"
#include "modules/documents/store/store_integration.h"
#include "modules/documents/store/store_pages.h"
#include "modules/documents/store/store_routes.h"
#include "modules/emails/email_routes.h"
#include "modules/service_jobs/service_job_integration.h"
#include "modules/service_jobs/service_job_pages.h"
#include "modules/service_jobs/service_job_routes.h"
#include "notify/http_client.h"
#include "notify/mailer.h"
#include "notify/sms.h"
#include "notify/webhook_client.h"
#include "storage/migrator.h"
#include "storage/postgres/pg_db.h"
#include "web/static_assets.h"
#include "web/views.h"

namespace portico::app {

std::string englishMessage(const core::Error& error) {
  static const web::Views views;
  return views.message("en", error);
}

core::Status parseListen(const std::string& listen, http::ServerConfig& server) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return core::fail(core::Error::invalid("errors.app.listen_format", "listen"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return core::fail(core::Error::invalid("errors.app.listen_port", "listen"));
  }
  server.host = host;
  server.port = static_cast<unsigned short>(port);
  return {};
}

namespace {

// The key that encrypts secrets at rest: --key-file, else beside a SQLite file. Every node on one
// PostgreSQL database must use the same key, so there it must be named.
std::string keyFileOf(const AppConfig& config) {
  if (!config.key_file.empty()) return config.key_file;
  if (storage::isPostgresUrl(config.db_path)) {
    throw std::runtime_error(
        "--key-file is required with a PostgreSQL database (every node needs the same key)");
  }
  return config.db_path + ".key";
}

// The database of `config`, once the configuration is known to be usable with it.
std::unique_ptr<storage::Db> openDatabase(const AppConfig& config) {
  keyFileOf(config);
  return storage::openDb(config.db_path);
}

}  // namespace

struct App::Impl {
  Impl(AppConfig c, const core::Clock& clk)
      : config(std::move(c)),
        clock(clk),
        db_owner(openDatabase(config)),
        db(*db_owner),
        job_queue(db, clock),
        job_runner(job_queue),
        secrets(identity::SecretBox::fromKeyFile(keyFileOf(config))),
        hasher(config.light_password_hashing
                   ? std::make_unique<identity::PasswordHasher>(crypto_pwhash_OPSLIMIT_MIN,
                                                                crypto_pwhash_MEMLIMIT_MIN)
                   : std::make_unique<identity::PasswordHasher>()),
        audit(db, clock),
        events_repo(db),
        event_log(events_repo, job_queue, clock),
        repo(db),
        mail_history(db),
        throttle_repo(db),
        throttle(throttle_repo, clock, config.limits.actions),
        access_repo(db),
        policy(access_repo, clock),
        api_keys(access_repo, audit, clock),
        signup_grants(access_repo, audit, clock),
        members(access_repo, audit, clock),
        invitation_repo(db),
        directory_repo(db),
        directory(directory_repo, audit, clock),
        console_repo(db),
        email_service(policy, mail_history),
        case_repo(db),
        support_settings_repo(db),
        support_settings_service(support_settings_repo, audit, clock),
        file_store(db),
        case_notifier(case_repo, policy),
        case_service(case_repo, support_settings_repo, file_store, policy, event_log, case_notifier,
                     clock),
        template_repo(db),
        template_service(template_repo, case_repo, case_service, policy, audit, clock),
        document_repo(db),
        document_settings_repo(db),
        document_settings(document_settings_repo, file_store, audit, clock),
        document_pdf(views),
        document_service(document_repo, policy, audit, file_store, document_settings, document_pdf,
                         event_log, clock),
        payment_repo(db),
        store_repo(db),
        store_service(store_repo, document_repo, policy, audit, event_log, clock),
        device_repo(db),
        device_service(device_repo, policy, audit, event_log, clock),
        service_job_repo(db),
        service_job_service(service_job_repo, policy, clock),
        idempotency_repo(db),
        idempotency(idempotency_repo, clock, secrets) {
    storage::migrate(db, storage::builtinMigrations());
    if (!config.smtp_url.empty()) {
      mailer = std::make_unique<notify::SmtpMailer>(config.smtp_url, config.mail_from);
    } else {
      mailer = std::make_unique<notify::OutboxMailer>(
          config.mail_outbox.empty() ? "outbox/mail" : config.mail_outbox, config.mail_from);
    }
    if (!config.sms_gateway_url.empty()) {
      sms = std::make_unique<notify::HttpSmsGateway>(config.sms_gateway_url);
    } else {
      sms = std::make_unique<notify::OutboxSms>(config.sms_outbox.empty() ? "outbox/sms"
                                                                          : config.sms_outbox);
    }
    identity_service = std::make_unique<identity::IdentityService>(
        repo, throttle, audit, clock, *hasher, secrets, job_queue, mail_history, views,
        config.public_url, config.limits);
    identity::registerDeliveries(job_runner, *identity_service, secrets, *mailer, *sms, views,
                                 mail_history, clock);
    // The e-mail history is kept for --keep-emails-months (a month taken as 1/12 of 365.25 days).
    job_runner.housekeeping("emails", [this] {
      auto keep_s = static_cast<std::int64_t>(config.keep_emails_months) * 2629800;
      mail_history.pruneBefore(clock.now() - keep_s);
    });
    // A resolved case closes by itself after 14 days.
    job_runner.housekeeping("cases", [this] { case_service.closeResolved(); });
    webhook_client = std::make_unique<notify::WebhookClient>(config.allow_private_webhooks);
    webhooks = std::make_unique<events::WebhookService>(events_repo, job_queue, secrets,
                                                        *identity_service, *webhook_client, audit,
                                                        clock, config.allow_private_webhooks);
    webhooks->registerWith(job_runner, event_log);
    // TLS here (--tls-cert) or at a proxy in front (an https:// public URL): HSTS, Secure cookies.
    bool tls = config.public_url.starts_with("https://") || !config.server.tls_cert_file.empty();
    config.server.served_over_tls = tls;
    // Every error answer is written in its reader's language: the one a handler found (the
    // user's), else the one the request asks for.
    auto reader = [](const http::Request& r) {
      return r.language.empty() ? web::negotiateLanguage(r.header("accept-language")) : r.language;
    };
    config.server.error_text = [this, reader](const http::Request& r, const core::Error& e) {
      return views.message(reader(r), e);
    };
    config.server.html_error = [this, reader](const http::Request& r, const core::Error& e) {
      auto lang = reader(r);
      const char* heading = e.code == core::ErrorCode::NotFound    ? "error.not_found"
                            : e.code == core::ErrorCode::Forbidden ? "error.forbidden"
                                                                   : "error.generic";
      nlohmann::json data = {{"heading", views.translate(lang, heading)},
                             {"message", views.message(lang, e)},
                             {"title", views.translate(lang, "error.title")}};
      return http::Response::html(http::statusFor(e.code), views.page("error", lang, data));
    };
    if (!config.metrics_listen.empty()) {
      http::ServerConfig metrics_config;
      if (!parseListen(config.metrics_listen, metrics_config)) {
        throw std::runtime_error("--metrics-listen must be HOST:PORT, like 127.0.0.1:9090");
      }
      metrics_config.io_threads = 1;
      metrics_config.worker_threads = 1;
      metrics_config.access_log = false;
      config.server.metrics = &http_metrics;
      metrics_router.add({"GET", "/metrics", [this](http::Request&) { return metricsText(); }});
      metrics_server = std::make_unique<http::Server>(metrics_config, metrics_router);
    }
    guarded = std::make_unique<identity::GuardedRoutes>(router, *identity_service,
                                                        identity::CookieSettings{tls});
    wireRoutes();
    server = std::make_unique<http::Server>(config.server, router);
  }

  // GET /metrics: the public server's requests, the job queue, the database's failures.
  http::Response metricsText() {
    std::string out = http_metrics.text(server->openConnections());
    out +=
        "# HELP portico_jobs Jobs in the delivery queue (mail, text messages, webhooks), by "
        "state.\n"
        "# TYPE portico_jobs gauge\n";
    try {
      auto c = job_queue.counts();
      for (auto [state, n] : {std::pair{"queued", c.queued}, std::pair{"running", c.running},
                              std::pair{"failed", c.failed}, std::pair{"done", c.done}}) {
        out += "portico_jobs{state=\"" + std::string(state) + "\"} " + std::to_string(n) + "\n";
      }
    } catch (const storage::DbError&) {  // the counters below say so
    }
    auto& db_counters = storage::dbCounters();
    out +=
        "# HELP portico_db_errors_total Database statements that failed.\n"
        "# TYPE portico_db_errors_total counter\n"
        "portico_db_errors_total " +
        std::to_string(db_counters.errors.load()) +
        "\n"
        "# HELP portico_db_reconnects_total Database connections opened again after one was lost.\n"
        "# TYPE portico_db_reconnects_total counter\n"
        "portico_db_reconnects_total " +
        std::to_string(db_counters.reconnects.load()) + "\n";
    auto r = http::Response::text(200, std::move(out));
    r.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
  }

  // The workers use the services below them: they end first.
  ~Impl() { job_runner.stop(); }

  void wireRoutes() {
    // Alive: the process answers (a load balancer restarts it otherwise).
    router.add({"GET", "/healthz",
                [](http::Request&) { return http::Response::json(200, R"({"status":"ok"})"); }});
    // Ready: the database answers and every migration of this build is applied (a load balancer
    // sends it requests only then).
    router.add({"GET", "/readyz", [this](http::Request&) {
                  nlohmann::json body = {{"status", "ready"}};
                  int status = 200;
                  try {
                    int version = storage::schemaVersion(db);
                    body["schema_version"] = version;
                    if (version < storage::latestVersion(storage::builtinMigrations())) {
                      body = {{"status", "unavailable"},
                              {"reason", "migrations"},
                              {"schema_version", version}};
                      status = 503;
                    }
                  } catch (const storage::DbError&) {
                    body = {{"status", "unavailable"}, {"reason", "database"}};
                    status = 503;
                  }
                  auto r = http::Response::json(status, body.dump());
                  r.setHeader("Cache-Control", "no-store");
                  return r;
                }});
    web::registerStaticAssets(router);
    identity_service->setSignupGrants(&signup_grants);
    members.setNotifier(identity_service.get());
    members.setStepUp(identity_service.get());
    document_service.setStepUp(identity_service.get());
    document_settings.setStepUp(identity_service.get());
    document_service.setQuoteProducts(&store_service);
    std::unique_ptr<documents::PaymentProvider> provider;
    if (config.payments == "demo") {
      provider = std::make_unique<documents::DemoProvider>();
    } else if (config.payments == "manual") {
      provider = std::make_unique<documents::ManualProvider>();
    } else if (config.payments == "stripe") {
      if (config.stripe_secret_key.empty() || config.stripe_webhook_secret.empty()) {
        throw std::runtime_error(
            "--payments stripe needs the secret key (--stripe-secret-key-file) and the webhook's "
            "signing secret (--stripe-webhook-secret-file)");
      }
      const auto& api = config.stripe_api_url;  // the secret key goes there: never in clear
      bool loopback = api.starts_with("http://127.0.0.1:") || api.starts_with("http://localhost:");
      if (!api.starts_with("https://") && !loopback) {
        throw std::runtime_error("--stripe-api-url must be https:// (or a loopback test server)");
      }
      provider = std::make_unique<documents::StripeProvider>(
          documents::StripeConfig{config.stripe_api_url, config.stripe_secret_key,
                                  config.stripe_webhook_secret},
          http_client);
    } else {
      throw std::runtime_error("--payments must be manual, demo or stripe");
    }
    payments = std::make_unique<documents::PaymentService>(
        payment_repo, document_repo, document_service, policy, event_log, audit, job_queue,
        std::move(provider), config.public_url, views, clock);
    document_service.setOpenCheckouts(payments.get());
    job_runner.handle(
        documents::PaymentService::kCloseCheckoutJob,
        [this](const jobs::Job& job) { return payments->closeCheckout(job); },
        documents::PaymentService::closeCheckoutPolicy());
    payments->setStepUp(identity_service.get());
    // Open checkouts whose webhook never came are asked about; a day-old demo checkout expires.
    job_runner.housekeeping("payments", [this] { payments->reconcile(); });
    case_notifier.setIdentity(identity_service.get());
    members.setEvents(&event_log);
    signup_grants.setEvents(&event_log);
    guarded->setApiKeyVerifier(&api_keys);
    guarded->setIdempotencyStore(&idempotency);
    identity::registerIdentityApi(*guarded, *identity_service);
    access::registerAccessApi(*guarded, policy, audit);
    company_routes = std::make_unique<access::CompanyRoutes>(*guarded, policy, audit);
    access::registerMembersApi(*company_routes, members);
    access::registerCompanyAuditApi(*company_routes, audit, repo, throttle);
    access::registerExplainApi(*company_routes, policy);
    directory::registerDirectoryApi(*company_routes, directory);
    staff_routes = std::make_unique<access::StaffRoutes>(*guarded, policy);
    access::registerOrgAuditApi(*staff_routes, audit, repo, throttle);
    invitations = std::make_unique<access::InvitationService>(
        invitation_repo, access_repo, policy, *identity_service, throttle, audit, clock);
    invitations->setEvents(&event_log);
    access::registerInvitationApi(*guarded, *invitations, *identity_service);
    console = std::make_unique<console::ConsoleService>(console_repo, access_repo, invitation_repo,
                                                        *identity_service, audit, clock);
    console::registerConsoleApi(*staff_routes, *console, *invitations);
    access::registerInvitationPages(*guarded, *invitations, *identity_service, views);
    access::registerInvitePages(*guarded, policy, access_repo, *invitations, views);
    page_state.push_back(
        access::registerAccessPages(*guarded,
                                    {policy, members, *invitations, audit, repo, throttle,
                                     access_repo, directory::siteNamesFrom(directory_repo)},
                                    views));
    page_state.push_back(
        directory::registerDirectoryPages(*guarded, policy, directory, audit, views));
    page_state.push_back(console::registerConsolePages(*staff_routes, *console, *invitations, audit,
                                                       repo, throttle, views));
    page_state.push_back(console::registerDeliveryPages(*staff_routes, mail_history, job_queue,
                                                        job_runner, audit, views));
    access::registerIntegrationApi(*guarded, access_repo, *identity_service);
    access::registerCompanyKind(kinds, access_repo, audit, clock);
    directory::registerDirectoryKinds(kinds, directory_repo, access_repo, audit, clock);
    cases::registerCaseKind(kinds, case_service, access_repo, audit);
    documents::registerDocumentKinds(kinds, document_service, access_repo, audit);
    documents::registerStoreKinds(kinds, store_service, audit);
    devices::registerDeviceKind(kinds, device_service, access_repo, audit);
    service_jobs::registerServiceJobKind(kinds, service_job_service, access_repo, audit);
    integration::registerIntegrationRoutes(*guarded, kinds, db, views);
    page_state.push_back(console::registerWebhookPages(*staff_routes, *webhooks, views));
    events::registerEventsApi(*guarded, event_log, *webhooks);
    page_state.push_back(identity::registerIdentityPages(*guarded, *identity_service, views));
    page_state.push_back(
        emails::registerEmailRoutes(*guarded, policy, email_service, audit, views));
    cases::registerCaseRoutes(*guarded, case_service, template_service);
    cases::registerTemplateRoutes(*guarded, template_service);
    cases::registerSupportSettingsRoutes(*staff_routes, support_settings_service);
    page_state.push_back(cases::registerSupportSettingsPages(*staff_routes, policy,
                                                             support_settings_service, views));
    page_state.push_back(
        cases::registerCasePages(*guarded, policy, case_service, template_service, views));
    documents::registerDocumentRoutes(*guarded, document_service, throttle);
    devices::registerDeviceRoutes(*guarded, device_service, config.public_url);
    service_jobs::registerServiceJobRoutes(*guarded, service_job_service);
    page_state.push_back(
        service_jobs::registerServiceJobPages(*guarded, policy, service_job_service, views));
    page_state.push_back(
        devices::registerDevicePages(*guarded, policy, device_service, views, config.public_url));
    documents::registerStoreRoutes(*guarded, store_service, document_service);
    page_state.push_back(
        documents::registerStorePages(*guarded, policy, store_service, document_service, views));
    page_state.push_back(documents::registerPaymentRoutes(
        *guarded, policy, *payments, document_service, document_settings, views));
    page_state.push_back(
        documents::registerDocumentSettingsRoutes(*staff_routes, policy, document_settings, views));
    page_state.push_back(
        documents::registerDocumentPages(*guarded, policy, document_service, throttle, views));
    // Last: the document describes every route registered above (and itself).
    guarded->api("GET", "/api/v1/openapi.json", identity::Access::Public,
                 [this](http::Request&, identity::Context&) {
                   auto r = http::Response::json(200, openapi_json);
                   r.setHeader("Cache-Control", "no-cache");
                   return r;
                 });
    openapi_json = openApiDocument(*guarded, *company_routes, *staff_routes).dump();
  }

  AppConfig config;
  const core::Clock& clock;
  std::unique_ptr<storage::Db> db_owner;
  storage::Db& db;
  jobs::Queue job_queue;
  jobs::Runner job_runner;
  identity::SecretBox secrets;
  std::unique_ptr<identity::PasswordHasher> hasher;
  audit::AuditLog audit;
  events::EventsRepository events_repo;
  events::EventLog event_log;
  identity::IdentityRepository repo;
  identity::MailHistoryRepository mail_history;
  identity::ThrottleRepository throttle_repo;
  identity::Throttle throttle;
  access::AccessRepository access_repo;
  access::Policy policy;
  access::ApiKeys api_keys;
  access::CompanySignupGrants signup_grants;
  access::MembershipService members;
  std::unique_ptr<access::CompanyRoutes> company_routes;
  access::InvitationRepository invitation_repo;
  directory::DirectoryRepository directory_repo;
  directory::DirectoryService directory;
  std::unique_ptr<access::StaffRoutes> staff_routes;
  console::ConsoleRepository console_repo;
  std::unique_ptr<console::ConsoleService> console;
  std::unique_ptr<access::InvitationService> invitations;
  emails::EmailService email_service;
  cases::CaseRepository case_repo;
  cases::SupportSettingsRepository support_settings_repo;
  cases::SupportSettingsService support_settings_service;
  files::FileStore file_store;
  cases::CaseNotifier case_notifier;
  cases::CaseService case_service;
  cases::TemplateRepository template_repo;
  cases::TemplateService template_service;
  documents::DocumentRepository document_repo;
  documents::DocumentSettingsRepository document_settings_repo;
  documents::DocumentSettingsService document_settings;
  documents::DocumentPdf document_pdf;
  documents::DocumentService document_service;
  documents::PaymentRepository payment_repo;
  documents::StoreRepository store_repo;
  documents::StoreService store_service;
  devices::DeviceRepository device_repo;
  devices::DeviceService device_service;
  service_jobs::ServiceJobRepository service_job_repo;
  service_jobs::ServiceJobService service_job_service;
  notify::HttpClient http_client;  // the payment provider's API (outlives the provider)
  std::unique_ptr<documents::PaymentService> payments;
  integration::IdempotencyRepository idempotency_repo;
  integration::Idempotency idempotency;
  integration::Kinds kinds;
  web::Views views;
  std::unique_ptr<notify::Mailer> mailer;
  std::unique_ptr<notify::SmsSender> sms;
  std::unique_ptr<identity::IdentityService> identity_service;
  std::unique_ptr<notify::WebhookClient> webhook_client;
  std::unique_ptr<events::WebhookService> webhooks;
  http::Router router;
  std::unique_ptr<identity::GuardedRoutes> guarded;
  std::vector<std::shared_ptr<void>> page_state;  // state of the page handlers
  std::string openapi_json;                       // GET /api/v1/openapi.json
  http::HttpMetrics http_metrics;                 // before the servers that count into it
  http::Router metrics_router;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<http::Server> metrics_server;  // with --metrics-listen
};

App::App(AppConfig config, const core::Clock& clock) {
  core::initCrypto();
  impl_ = std::make_unique<Impl>(std::move(config), clock);
}

App::~App() = default;

// The devices of Acme Sverige AB at its two sites (one with a fault, one due for service) and of
// Acme Deutschland GmbH, so that the Devices pages and their QR codes have something to show.
void seedDemoDevices(devices::DeviceService& service, const access::Company& acme_se,
                     const access::Company& acme_de, storage::Db& db, std::int64_t now) {
  auto day = [now](int days) {
    return std::optional<std::string>(
        core::dateText(static_cast<std::int32_t>(now / 86400 + days)));
  };
  struct Demo {
    const access::Company* company;
    const char* external_id;
    const char* name;
    const char* serial;
    const char* model;
    devices::Status status;
    const char* site;
    std::vector<std::pair<std::string, std::string>> properties;
    int last, next;  // days from today
  };
  const Demo demo[] = {
      {&acme_se,
       "D-1",
       "Värmepump tak",
       "NW-HP-20931",
       "Northwind HP-12",
       devices::Status::Ok,
       "ACME-STH",
       {{"Capacity", "12 kW"}, {"Refrigerant", "R32"}},
       -120,
       60},
      {&acme_se,
       "D-2",
       "Kylaggregat serverrum",
       "NW-CH-88412",
       "Northwind CH-4",
       devices::Status::Fault,
       "ACME-STH",
       {{"Capacity", "4 kW"}, {"Refrigerant", "R290"}},
       -300,
       -5},
      {&acme_se,
       "D-3",
       "Ventilationsaggregat",
       "NW-AH-55120",
       "Northwind AH-900",
       devices::Status::Attention,
       "ACME-GBG",
       {{"Airflow", "900 l/s"}, {"Filter", "F7"}},
       -30,
       150},
      {&acme_se,
       "D-4",
       "Portautomatik lager",
       "NW-GA-10077",
       "Northwind GA-2",
       devices::Status::Offline,
       "ACME-GBG",
       {{"Power", "230 V"}},
       -400,
       10},
      {&acme_de,
       "D-5",
       "Wärmepumpe Halle 1",
       "NW-HP-31007",
       "Northwind HP-20",
       devices::Status::Ok,
       "",
       {{"Capacity", "20 kW"}, {"Refrigerant", "R32"}},
       -60,
       120},
  };
  storage::Transaction tx(db.connection());
  for (const auto& d : demo) {
    devices::Upsert u;
    u.external_id = d.external_id;
    u.company_external_id = d.company->external_id.value_or("");
    u.name = d.name;
    u.serial = d.serial;
    u.model = d.model;
    u.status = d.status;
    if (*d.site) u.site_external_id = d.site;
    u.properties = d.properties;
    u.last_service = day(d.last);
    u.next_service = day(d.next);
    if (auto done = service.upsert(*d.company, u); !done) {
      throw std::runtime_error("demo: " + englishMessage(done.error()));
    }
  }
  tx.commit();
}

// Service visits at Acme Sverige AB's sites: one done last month, the fault's repair tomorrow, the
// yearly service next month.
void seedDemoJobs(service_jobs::ServiceJobService& service, const access::Company& acme_se,
                  storage::Db& db, std::int64_t now) {
  auto day = (now / 86400) * 86400;
  struct Demo {
    const char* external_id;
    const char* number;
    const char* title;
    const char* site;
    int days;
    service_jobs::Status status;
    std::vector<std::string> devices;
    const char* notes;
  };
  const Demo demo[] = {
      {"J-1",
       "SV-2001",
       "Byte av filter",
       "ACME-GBG",
       -30,
       service_jobs::Status::Done,
       {"D-3"},
       "Filter F7 bytt, flödet kontrollerat."},
      {"J-2",
       "SV-2002",
       "Felsökning kylaggregat",
       "ACME-STH",
       1,
       service_jobs::Status::Scheduled,
       {"D-2"},
       ""},
      {"J-3",
       "SV-2003",
       "Årlig service värmepump",
       "ACME-STH",
       30,
       service_jobs::Status::Scheduled,
       {"D-1"},
       ""},
  };
  storage::Transaction tx(db.connection());
  for (const auto& d : demo) {
    service_jobs::Upsert u;
    u.external_id = d.external_id;
    u.company_external_id = acme_se.external_id.value_or("");
    u.number = d.number;
    u.title = d.title;
    u.site_external_id = d.site;
    u.window_start = day + d.days * 86400 + 8 * 3600;
    u.window_end = u.window_start + 3 * 3600;
    u.status = d.status;
    u.device_external_ids = d.devices;
    if (*d.notes) u.notes = d.notes;
    if (d.status == service_jobs::Status::Done) {
      u.minutes_spent = 75;
      u.parts = std::vector<service_jobs::Part>{{"Filter F7 592×592", "2"}};
    }
    if (auto done = service.upsert(acme_se, u); !done) {
      throw std::runtime_error("demo: " + englishMessage(done.error()));
    }
  }
  tx.commit();
}

// A few support cases with their conversation, so that the Support pages have something to show.
namespace {
void seedDemoCases(storage::Db& db, cases::CaseRepository& repo,
                   cases::SupportSettingsRepository& settings_repo,
                   identity::IdentityRepository& users, core::OrgId org, core::CompanyId acme_se,
                   core::CompanyId acme_de, std::int64_t now) {
  // Support in Stockholm on weekdays, 08:00 to 17:00, with the Swedish holidays of the season and
  // targets for the three higher priorities.
  cases::SupportSettings settings;
  settings.calendar.time_zone = "Europe/Stockholm";
  for (auto [date, name] :
       {std::pair{"2026-12-24", "Julafton"}, std::pair{"2026-12-25", "Juldagen"},
        std::pair{"2026-12-26", "Annandag jul"}, std::pair{"2026-12-31", "Nyårsafton"},
        std::pair{"2027-01-01", "Nyårsdagen"}, std::pair{"2027-01-06", "Trettondedag jul"}}) {
    settings.holidays.push_back({*core::parseDate(date), name});
    settings.calendar.holidays.push_back(settings.holidays.back().day);
  }
  settings.targets[static_cast<std::size_t>(cases::priorityRank("urgent"))] = {60, 8 * 60};
  settings.targets[static_cast<std::size_t>(cases::priorityRank("high"))] = {4 * 60, 3 * 8 * 60};
  settings.targets[static_cast<std::size_t>(cases::priorityRank("normal"))] = {8 * 60, 5 * 8 * 60};
  settings.support_email = "support@northwind.example";
  auto person = [&](const char* email) { return repo.person(users.findUserByEmail(email)->id); };
  auto stella = person("staff@northwind.example");
  struct DemoCase {
    core::CompanyId company;
    const char* company_name;
    const char* requester;
    const char* subject;
    const char* description;
    cases::Status status;
    const char* priority;
    const char* reply;  // the vendor's public reply, if any
    const char* note;   // the vendor's internal note, if any
  };
  const DemoCase demo[] = {
      {acme_se, "Acme Sverige AB", "anna@acme.example", "Kaffemaskinen i entrén läcker vatten",
       "Sedan i måndags står det en vattenpöl under maskinen varje morgon.", cases::Status::Open,
       "high", "Tack! En tekniker kommer på torsdag förmiddag.",
       "Same model as the recall in October: bring a new valve."},
      {acme_de, "Acme Deutschland GmbH", "max@acme.example", "Drucker druckt nur leere Seiten",
       "Der Drucker im 2. Stock zieht Papier ein, druckt aber nichts.",
       cases::Status::WaitingCustomer, "normal",
       "Bitte senden Sie uns die Seriennummer des Druckers.", nullptr},
      {acme_se, "Acme Sverige AB", "anna@acme.example", "Invoice address for 2027",
       "Please send next year's invoices to our new address in Malmö.", cases::Status::Resolved,
       "low", "Done: the ERP has the new address from January.", nullptr},
  };
  storage::Transaction tx(db.connection());
  settings_repo.save(org, settings, now);
  for (const auto& d : demo) {
    cases::Case c;
    c.org_id = org;
    c.company_id = d.company;
    c.company_name = d.company_name;
    c.subject = d.subject;
    c.description = d.description;
    c.status = d.status;
    c.priority = d.priority;
    c.requester = person(d.requester);
    c.assignee = stella;
    c.created_at = c.updated_at = now;
    if (d.status == cases::Status::Resolved) c.resolved_at = now;
    c.number = repo.nextNumber(org);
    c.id = repo.insert(c);
    cases::advanceClock(c, settings, cases::Status::New, d.reply != nullptr, now);
    repo.updateState(c);
    for (const char* body : {d.note, d.reply}) {
      if (!body) continue;
      cases::Comment m;
      m.case_id = c.id;
      m.author = stella;
      m.by_staff = true;
      m.internal = body == d.note;
      m.body = body;
      m.created_at = now;
      repo.insertComment(m, d.company);
    }
    repo.indexForSearch(c.id);
  }
  tx.commit();
}
}  // namespace

std::string App::seedDemo() {
  auto& i = *impl_;
  auto now = i.clock.now();
  auto link = i.identity_service->initOrganization("Northwind Service", "admin@northwind.example");
  if (!link) throw std::runtime_error("demo: " + englishMessage(link.error()));
  auto org = i.repo.findOrganization("Northwind Service");
  const std::string password = "correct horse battery staple";
  struct DemoUser {
    const char* email;
    const char* first;
    const char* last;
    const char* lang;
    bool totp;
  };
  const DemoUser users[] = {
      {"staff@northwind.example", "Stella", "Staff", "en", true},
      {"anna@acme.example", "Anna", "Lindqvist", "sv", true},
      {"max@acme.example", "Max", "Müller", "de", true},
      {"new@acme.example", "Nora", "New", "en", false},
      {"fiona@facility.example", "Fiona", "Berg", "sv", true},
      {"dana@northwind.example", "Dana", "Dahl", "sv", true},
  };
  std::string out = "Demo logins (password for all: \"" + password + "\"):\n";
  for (const auto& u : users) {
    auto id = i.repo.insertUser({u.email, i.hasher->hash(password), u.first, u.last, u.lang}, now);
    if (!id) throw std::runtime_error("demo: " + englishMessage(id.error()));
    if (std::string(u.email).starts_with("staff")) i.repo.addStaff(*org, *id, "admin", now);
    if (u.totp) {
      std::string secret = identity::Totp::generateSecret();
      i.repo.confirmTotp(*id, i.secrets.seal(secret), 0);
      out += "  " + std::string(u.email) + "  TOTP key " + identity::Totp::base32(secret) +
             "  (add it to an authenticator app, or: oathtool --totp -b " +
             identity::Totp::base32(secret) + ")\n";
    } else {
      out += "  " + std::string(u.email) + "  no 2FA yet: the first sign-in sets it up\n";
    }
  }
  auto company = [&](const char* ext, const char* name, const char* currency) {
    return i.access_repo.upsertCompany(*org, {ext, name, "", true, currency}, now).first.id;
  };
  auto acme_se = company("C-1001", "Acme Sverige AB", "SEK");
  auto acme_de = company("C-1002", "Acme Deutschland GmbH", "EUR");
  company("C-1003", "Globex Service Oy", "EUR");
  auto member = [&](const char* email, core::CompanyId c, const char* role) {
    auto u = i.repo.findUserByEmail(email);
    i.access_repo.putMembership(c, u->id, role, *access::presetPermissions(role), std::nullopt,
                                now);
  };
  member("anna@acme.example", acme_se, "administrator");
  member("anna@acme.example", acme_de, "user");
  member("max@acme.example", acme_de, "member");
  member("new@acme.example", acme_se, "support_user");
  // An agent (a facility manager) that reads Acme Sverige AB for a year.
  auto agent = i.console_repo.insertAgent(*org, "Facility Partners AB", now);
  if (!agent) throw std::runtime_error("demo: the agent exists already");
  i.invitation_repo.joinAgent(*agent, i.repo.findUserByEmail("fiona@facility.example")->id);
  i.console_repo.setAgent(acme_se, *agent, now + 365 * 86400, now);
  // A department of the organization, with Acme Sverige AB in it and Dana as its administrator;
  // and a role of the organization's own.
  auto nordics = i.console_repo.insertDepartment(*org, "Nordics");
  if (!nordics) throw std::runtime_error("demo: the department exists already");
  auto acme = *i.access_repo.findCompany(acme_se);
  acme.department_id = *nordics;
  i.console_repo.updateCustomer(acme, now);
  auto dana = i.repo.findUserByEmail("dana@northwind.example")->id;
  i.repo.addStaff(*org, dana, "department_admin", now);
  i.console_repo.setStaffDepartments(*org, dana, {*nordics});
  access::PermissionSet accounts;
  for (auto p : {access::Permission::InvoicesView, access::Permission::InvoicesPay,
                 access::Permission::QuotesView, access::Permission::OrdersView}) {
    accounts.add(p);
  }
  i.access_repo.insertOrgRole(*org, "accounts_payable", "Accounts payable", accounts, now);
  seedDemoCases(i.db, i.case_repo, i.support_settings_repo, i.repo, *org, acme_se, acme_de, now);
  seedDemoDocuments(i.document_repo, i.document_settings_repo, *org, acme_se, acme_de, now);
  // Where Acme Sverige AB has goods delivered (the store's direct delivery).
  i.directory_repo.insertSite(
      {0, acme_se, "ACME-STH", "Huvudkontor Stockholm", "Sveavägen 10\n111 57 Stockholm"});
  i.directory_repo.insertSite(
      {0, acme_se, "ACME-GBG", "Lager Göteborg", "Lindholmspiren 3\n417 56 Göteborg"});
  seedDemoStore(i.db.connection(), i.store_service, *org, now);
  seedDemoDevices(i.device_service, *i.access_repo.findCompany(acme_se),
                  *i.access_repo.findCompany(acme_de), i.db, now);
  seedDemoJobs(i.service_job_service, *i.access_repo.findCompany(acme_se), i.db, now);
  out +=
      "Companies: anna@acme.example is an administrator of Acme Sverige AB and a user of Acme "
      "Deutschland GmbH; fiona@facility.example works for the agent Facility Partners AB, which "
      "reads Acme Sverige AB; dana@northwind.example administers the department Nordics, which "
      "holds Acme Sverige AB.\n";
  out += "Administrator signup link for admin@northwind.example: " + *link + "\n";
  return out;
}

core::Result<std::string> App::createApiKey(const std::string& org, const std::string& name) {
  return impl_->api_keys.create(org, name, impl_->repo);
}

void App::start() {
  impl_->job_runner.start(impl_->config.job_workers);
  impl_->server->start();
  if (impl_->metrics_server) impl_->metrics_server->start();
}
unsigned short App::port() const { return impl_->server->port(); }
unsigned short App::metricsPort() const {
  return impl_->metrics_server ? impl_->metrics_server->port() : 0;
}
void App::stop() {
  if (impl_->metrics_server) impl_->metrics_server->stop();
  impl_->server->stop();
  impl_->job_runner.stop();
}
void App::runUntilSignal() {
  impl_->server->runUntilSignal();
  if (impl_->metrics_server) impl_->metrics_server->stop();
  impl_->job_runner.stop();
}
jobs::Queue& App::jobs() { return impl_->job_queue; }
jobs::Runner& App::jobRunner() { return impl_->job_runner; }
events::EventLog& App::events() { return impl_->event_log; }
events::WebhookService& App::webhooks() { return *impl_->webhooks; }
storage::Db& App::db() { return impl_->db; }
identity::IdentityService& App::identity() { return *impl_->identity_service; }
const identity::GuardedRoutes& App::routes() const { return *impl_->guarded; }
const http::Router& App::router() const { return impl_->router; }
const access::CompanyRoutes& App::companyRoutes() const { return *impl_->company_routes; }
const access::StaffRoutes& App::staffRoutes() const { return *impl_->staff_routes; }
const AppConfig& App::config() const { return impl_->config; }
const std::string& App::openApiJson() const { return impl_->openapi_json; }

}  // namespace portico::app
