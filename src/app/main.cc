// The portico command line: serve, migrate, init, demo.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "app/app.h"
#include "core/clock.h"
#include "core/text.h"
#include "storage/migrator.h"
#include "storage/postgres/pg_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace {

using portico::app::App;
using portico::app::AppConfig;

// A secret kept in a file of its own (not on the command line, where `ps` shows it): its first
// line, without surrounding whitespace.
std::string readSecretFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw CLI::ValidationError(path, "cannot be read");
  auto secret = std::string(portico::core::trim(line));
  if (secret.empty()) throw CLI::ValidationError(path, "is empty");
  return secret;
}

void addServeFlags(CLI::App* cmd, AppConfig& c, std::string& listen) {
  cmd->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--db", c.db_path,
                  "SQLite database file, or a postgresql://USER:PASSWORD@HOST:PORT/DB URL")
      ->capture_default_str();
  cmd->add_option("--key-file", c.key_file,
                  "File with the key that encrypts 2FA secrets (default: DB.key)");
  cmd->add_option("--public-url", c.public_url, "Absolute URL of the portal, for links in mail")
      ->capture_default_str();
  cmd->add_option("--mail-outbox", c.mail_outbox, "Write mail as .eml files to this folder");
  cmd->add_option("--smtp-url", c.smtp_url, "Send mail over SMTP, e.g. smtp://mail.example:25");
  cmd->add_option("--mail-from", c.mail_from, "Sender address of mail")->capture_default_str();
  cmd->add_option("--sms-outbox", c.sms_outbox, "Write texts as .json files to this folder");
  cmd->add_option("--sms-gateway-url", c.sms_gateway_url,
                  "POST texts as JSON to this HTTP gateway");
  cmd->add_option("--tls-cert", c.server.tls_cert_file,
                  "Serve HTTPS: PEM certificate (chain) file; needs --tls-key");
  cmd->add_option("--tls-key", c.server.tls_key_file,
                  "PEM private key of --tls-cert (unencrypted)");
  cmd->add_option("--trusted-proxy", c.server.trusted_proxies,
                  "Address or network (CIDR) of a reverse proxy whose X-Forwarded-For names the "
                  "client; repeatable")
      ->take_all();
  cmd->add_option("--max-connections-per-address", c.server.max_connections_per_address,
                  "Open connections one client address may hold")
      ->capture_default_str();
  cmd->add_option("--keep-emails-months", c.keep_emails_months,
                  "Months the e-mail history keeps a mail")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  cmd->add_option("--job-workers", c.job_workers,
                  "Threads that deliver queued mail and text messages (0: another process does)")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd->add_option("--metrics-listen", c.metrics_listen,
                  "HOST:PORT of GET /metrics (Prometheus text); never on the public port");
  cmd->add_flag("--allow-private-webhooks", c.allow_private_webhooks,
                "Let webhooks reach loopback, private and link-local addresses (an ERP on the "
                "same network)");
  cmd->add_option("--step-up-seconds", c.limits.step_up_s,
                  "How long a second factor lets a session pay, accept quotes and change rights "
                  "before it is asked again")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  cmd->add_option("--payments", c.payments,
                  "How invoices are paid: manual (bank transfer, paid when the ERP says so), demo "
                  "(a local test checkout) or stripe (Stripe Checkout)")
      ->check(CLI::IsMember({"manual", "demo", "stripe"}))
      ->capture_default_str();
  cmd->add_option("--stripe-api-url", c.stripe_api_url, "Stripe's API (--payments stripe)")
      ->capture_default_str();
  cmd->add_option_function<std::string>(
      "--stripe-secret-key-file",
      [&c](const std::string& path) { c.stripe_secret_key = readSecretFile(path); },
      "File with the Stripe account's secret key, sk_… (--payments stripe)");
  cmd->add_option_function<std::string>(
      "--stripe-webhook-secret-file",
      [&c](const std::string& path) { c.stripe_webhook_secret = readSecretFile(path); },
      "File with the signing secret, whsec_…, of the Stripe webhook endpoint that sends "
      "checkout.session.* events to /api/v1/payments/stripe/webhook (--payments stripe)");
  cmd->add_flag(
      "--no-access-log", [&c](std::int64_t) { c.server.access_log = false; },
      "Do not log each request");
  cmd->set_config("--config", "", "Read flags from a TOML/INI file");
}

// CLI11 2.1 reads a --config file only for the top-level app: apply a subcommand's here, after
// parsing. A flag given on the command line wins over the file; an unknown key is an error.
void applyConfigFile(CLI::App* cmd) {
  auto* config = cmd->get_option_no_throw("--config");
  if (config == nullptr || config->count() == 0) return;
  CLI::ConfigTOML format;
  for (const auto& item : format.from_file(config->as<std::string>())) {
    if (item.name == "++" || item.name == "--") continue;  // [section] markers
    auto* target = item.parents.empty() ? cmd->get_option_no_throw("--" + item.name) : nullptr;
    if (target == nullptr || target == config) throw CLI::ConfigError::Extras(item.fullname());
    if (target->count() > 0) continue;
    if (target->get_expected_min() == 0) {
      target->add_result(target->get_flag_value(item.name, format.to_flag(item)));
    } else {
      target->add_result(item.inputs);
    }
    target->run_callback();
  }
}

// migrate's database: --db, else the `db` key of a serve --config file (the same file the
// portal reads, so one setting names the database). serve checks the file's other keys.
std::string migrateDb(const std::string& db, const std::string& config_file) {
  if (!db.empty()) return db;
  if (config_file.empty()) throw CLI::RequiredError("--db");
  for (const auto& item : CLI::ConfigTOML().from_file(config_file)) {
    if (item.parents.empty() && item.name == "db" && item.inputs.size() == 1) {
      return item.inputs.front();
    }
  }
  throw CLI::RequiredError("--db (or a db key in " + config_file + ")");
}

bool tlsFlagsOk(const AppConfig& c) {
  return c.server.tls_cert_file.empty() == c.server.tls_key_file.empty();
}

// With built-in TLS and no --public-url, links point at https://LISTEN.
void defaultPublicUrl(AppConfig& c, const std::string& listen) {
  if (!c.server.tls_cert_file.empty() && c.public_url == AppConfig{}.public_url) {
    c.public_url = "https://" + listen;
  }
}

int serve(AppConfig config, const std::string& listen, const std::string& banner_extra) {
  if (auto ok = portico::app::parseListen(listen, config.server); !ok) {
    std::cerr << "portico: " << portico::app::englishMessage(ok.error()) << "\n";
    return 2;
  }
  if (!tlsFlagsOk(config)) {
    std::cerr << "portico: --tls-cert and --tls-key go together: give both or neither\n";
    return 2;
  }
  bool tls = !config.server.tls_cert_file.empty();
  portico::core::SystemClock clock;
  App app(config, clock);
  if (!banner_extra.empty()) std::cout << banner_extra;
  app.start();
  std::cout << "Portico is serving on " << (tls ? "https://" : "http://") << listen
            << "  (public URL " << config.public_url << ")\n";
  std::cout << "Mail: "
            << (config.smtp_url.empty()
                    ? "outbox " + (config.mail_outbox.empty() ? std::string("outbox/mail")
                                                              : config.mail_outbox)
                    : config.smtp_url)
            << "   SMS: "
            << (config.sms_gateway_url.empty()
                    ? "outbox " + (config.sms_outbox.empty() ? std::string("outbox/sms")
                                                             : config.sms_outbox)
                    : config.sms_gateway_url)
            << "\nStop with Ctrl+C.\n"
            << std::flush;
  app.runUntilSignal();
  return 0;
}

// The document needs the routes, and they need an App: one on a scratch database, deleted after.
int printOpenApi(const std::string& out) {
  namespace fs = std::filesystem;
  std::string scratch = (fs::temp_directory_path() / "portico-openapi-XXXXXX").string();
  if (mkdtemp(scratch.data()) == nullptr) {
    std::cerr << "portico openapi: cannot make a scratch folder in " << fs::temp_directory_path()
              << "\n";
    return 1;
  }
  std::string document;
  try {
    AppConfig config;
    config.db_path = scratch + "/scratch.db";
    config.mail_outbox = scratch + "/mail";
    config.sms_outbox = scratch + "/sms";
    config.job_workers = 0;
    portico::core::SystemClock clock;
    document = nlohmann::json::parse(App(config, clock).openApiJson()).dump(2);
  } catch (...) {
    fs::remove_all(scratch);
    throw;
  }
  fs::remove_all(scratch);
  document += "\n";
  if (out.empty()) {
    std::cout << document;
    return 0;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << document;
  if (!file.flush()) {
    std::cerr << "portico openapi: cannot write " << out << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Portico: a self-hosted customer portal server"};
  cli.require_subcommand(1);

  AppConfig serve_config;
  std::string serve_listen = "127.0.0.1:8080";
  auto* serve_cmd = cli.add_subcommand("serve", "Serve the portal (applies migrations first)");
  addServeFlags(serve_cmd, serve_config, serve_listen);

  std::string migrate_db;
  std::string migrate_config;
  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations");
  migrate_cmd->add_option("--db", migrate_db,
                          "SQLite database file, or a postgresql://USER:PASSWORD@HOST:PORT/DB URL");
  migrate_cmd
      ->add_option("--config", migrate_config,
                   "Take --db from this `serve --config` file (its other keys are serve's)")
      ->check(CLI::ExistingFile);

  AppConfig init_config;
  std::string init_org;
  std::string init_email;
  auto* init_cmd =
      cli.add_subcommand("init", "Create an organization and its first staff administrator");
  init_cmd
      ->add_option("--db", init_config.db_path,
                   "SQLite database file, or a postgresql://USER:PASSWORD@HOST:PORT/DB URL")
      ->required();
  init_cmd->add_option("--org", init_org, "Organization name")->required();
  init_cmd->add_option("--admin-email", init_email, "The administrator's e-mail")->required();
  init_cmd->add_option("--public-url", init_config.public_url, "Absolute URL of the portal")
      ->capture_default_str();
  init_cmd->add_option("--key-file", init_config.key_file, "Key file (default: DB.key)");

  AppConfig key_config;
  std::string key_org;
  std::string key_name;
  auto* key_cmd = cli.add_subcommand("api-key", "Manage integration API keys");
  key_cmd->require_subcommand(1);
  auto* key_create =
      key_cmd->add_subcommand("create", "Create a key; it is printed once, on the last line");
  key_create
      ->add_option("--db", key_config.db_path,
                   "SQLite database file, or a postgresql://USER:PASSWORD@HOST:PORT/DB URL")
      ->required();
  key_create->add_option("--org", key_org, "Organization name")->required();
  key_create->add_option("--name", key_name, "A label for the key, like \"ERP\"")->required();
  key_create->add_option("--key-file", key_config.key_file, "Key file (default: DB.key)");

  AppConfig jobs_config;
  std::string jobs_state = "all";
  std::int64_t retry_id = 0;
  auto* jobs_cmd = cli.add_subcommand(
      "jobs", "List the queue of deliveries (mail, text messages): waiting and failed ones");
  jobs_cmd
      ->add_option("--db", jobs_config.db_path,
                   "SQLite database file, or a postgresql://USER:PASSWORD@HOST:PORT/DB URL")
      ->required();
  jobs_cmd->add_option("--key-file", jobs_config.key_file, "Key file (default: DB.key)");
  jobs_cmd->add_option("--state", jobs_state, "queued, failed, done or all")
      ->check(CLI::IsMember({"queued", "failed", "done", "all"}))
      ->capture_default_str();
  auto* jobs_retry = jobs_cmd->add_subcommand("retry", "Make a failed job due again now");
  jobs_retry->add_option("ID", retry_id, "The job's id")->required();

  AppConfig demo_config;
  demo_config.db_path = "var/demo.db";
  demo_config.mail_outbox = "var/outbox/mail";
  demo_config.sms_outbox = "var/outbox/sms";
  demo_config.payments = "demo";
  std::string demo_listen = "127.0.0.1:8080";
  auto* demo_cmd =
      cli.add_subcommand("demo", "Create a fresh database full of demo data, then serve");
  addServeFlags(demo_cmd, demo_config, demo_listen);

  std::string backup_db;
  std::string backup_to;
  auto* backup_cmd = cli.add_subcommand(
      "backup",
      "Copy a SQLite database consistently while the portal serves (PostgreSQL: pg_dump)");
  backup_cmd->add_option("--db", backup_db, "SQLite database file")->required();
  backup_cmd->add_option("--to", backup_to, "The new file to write")->required();

  std::string openapi_out;
  auto* openapi_cmd = cli.add_subcommand(
      "openapi", "Print the OpenAPI 3.1 document of the JSON API (as /api/v1/openapi.json serves)");
  openapi_cmd->add_option("--out", openapi_out, "Write it to this file instead");

  CLI11_PARSE(cli, argc, argv);
  try {
    applyConfigFile(serve_cmd);
    applyConfigFile(demo_cmd);
    if (*migrate_cmd) migrate_db = migrateDb(migrate_db, migrate_config);
  } catch (const CLI::Error& e) {
    return cli.exit(e);
  }
  spdlog::set_pattern("%v");

  try {
    if (*serve_cmd) {
      defaultPublicUrl(serve_config, serve_listen);
      return serve(serve_config, serve_listen, "");
    }
    if (*migrate_cmd) {
      auto db = portico::storage::openDb(migrate_db);
      auto applied = portico::storage::migrate(*db, portico::storage::builtinMigrations());
      for (const auto& name : applied) std::cout << "applied " << name << "\n";
      std::cout << "schema version " << portico::storage::schemaVersion(*db) << "\n";
      return 0;
    }
    if (*init_cmd) {
      portico::core::SystemClock clock;
      App app(init_config, clock);
      auto link = app.identity().initOrganization(init_org, init_email);
      if (!link) {
        std::cerr << "portico init: " << portico::app::englishMessage(link.error()) << "\n";
        return 1;
      }
      std::cout << "Organization \"" << init_org << "\" created. The administrator registers at:\n"
                << *link << "\n";
      return 0;
    }
    if (*key_create) {
      portico::core::SystemClock clock;
      App app(key_config, clock);
      auto key = app.createApiKey(key_org, key_name);
      if (!key) {
        std::cerr << "portico api-key create: " << portico::app::englishMessage(key.error())
                  << "\n";
        return 1;
      }
      std::cout << "API key \"" << key_name << "\" for " << key_org
                << " (shown only now; send it as 'Authorization: Bearer KEY'):\n"
                << *key << "\n";
      return 0;
    }
    if (*jobs_cmd) {
      portico::core::SystemClock clock;
      jobs_config.job_workers = 0;
      App app(jobs_config, clock);
      auto& queue = app.jobs();
      if (*jobs_retry) {
        auto job = queue.find(retry_id);
        if (!job || !queue.retry(retry_id, app.jobRunner().policyOf(job->kind))) {
          std::cerr << "portico jobs retry: no failed or waiting job " << retry_id
                    << " (a running or delivered job is not retried)\n";
          return 1;
        }
        std::cout << "Job " << retry_id << " (" << job->kind
                  << ") is due again; a running portal delivers it.\n";
        return 0;
      }
      auto c = queue.counts();
      std::cout << "queued " << c.queued << ", running " << c.running << ", failed " << c.failed
                << ", done " << c.done << "\n";
      std::vector<std::string> states;
      if (jobs_state == "all") {
        states = {"queued", "failed"};
      } else {
        states = {jobs_state};
      }
      for (const auto& state : states) {
        for (const auto& j : queue.list(state, 100)) {
          std::cout << j.id << "  " << j.state << "  " << j.kind << "  attempts " << j.attempts
                    << "  created " << portico::access::timeText(j.created_at_ms / 1000);
          if (j.state == "queued") {
            std::cout << "  due " << portico::access::timeText(j.run_at_ms / 1000);
          }
          if (!j.last_error.empty()) std::cout << "  last error: " << j.last_error;
          std::cout << "\n";
        }
      }
      return 0;
    }
    if (*openapi_cmd) return printOpenApi(openapi_out);
    if (*backup_cmd) {
      if (portico::storage::isPostgresUrl(backup_db)) {
        std::cerr << "portico backup: for PostgreSQL use pg_dump (see the README)\n";
        return 2;
      }
      if (!std::filesystem::exists(backup_db)) {
        std::cerr << "portico backup: no database " << backup_db << "\n";
        return 1;
      }
      portico::storage::SqliteDb(backup_db).backupTo(backup_to);
      std::cout
          << "Copied " << backup_db << " to " << backup_to << ". Keep the key file (" << backup_db
          << ".key or --key-file) with it: without it, 2FA and webhook secrets cannot be read.\n";
      return 0;
    }
    if (*demo_cmd) {
      if (!tlsFlagsOk(demo_config)) {  // before the demo database is replaced
        std::cerr << "portico: --tls-cert and --tls-key go together: give both or neither\n";
        return 2;
      }
      defaultPublicUrl(demo_config, demo_listen);
      // A SQLite demo starts from a fresh file; a PostgreSQL one wants an empty database (the
      // demo's organization must not exist yet), which `make demo-pg` creates.
      if (!portico::storage::isPostgresUrl(demo_config.db_path)) {
        auto parent = std::filesystem::path(demo_config.db_path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        for (const char* suffix : {"", "-wal", "-shm", ".key"}) {
          std::filesystem::remove(demo_config.db_path + suffix);
        }
      }
      std::string banner;
      {
        portico::core::SystemClock clock;
        App app(demo_config, clock);
        banner = app.seedDemo();
      }
      banner = "\nSign in at " + demo_config.public_url + "/login\n" + banner + "\n";
      return serve(demo_config, demo_listen, banner);
    }
  } catch (const std::exception& e) {
    std::cerr << "portico: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
