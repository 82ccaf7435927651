#include "support/test_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

#include "core/random.h"
#include "core/text.h"
#include "identity/totp.h"
#include "storage/postgres/pg_db.h"

namespace portico::testing {
namespace {

// With PORTICO_API_SAMPLES set to a folder, every call to /api is kept there (one NDJSON file a
// process, made when its first server starts) for tests/api/conformance.mjs, which checks each
// answer against the OpenAPI document. Null without it.
std::ofstream* apiSamples() {
  static std::ofstream* out = []() -> std::ofstream* {
    const char* dir = std::getenv("PORTICO_API_SAMPLES");
    if (dir == nullptr || *dir == '\0') return nullptr;
    return new std::ofstream(std::string(dir) + "/samples-" + std::to_string(getpid()) + ".ndjson",
                             std::ios::app);
  }();
  return out;
}

void recordApiSample(const std::string& method, const std::string& path,
                     const std::vector<std::string>& headers, const std::string& body,
                     const HttpResult& result) {
  auto* out = apiSamples();
  if (out == nullptr || !path.starts_with("/api/")) return;
  constexpr std::size_t kLargest = 1 << 20;  // larger bodies: only the status is checked
  auto content_type = [](const std::string& value) {
    return core::asciiLower(value.substr(0, value.find(';')));
  };
  std::string request_type;
  for (const auto& h : headers) {
    if (core::asciiLower(h.substr(0, 13)) == "content-type:") {
      request_type = content_type(h.substr(13));
    }
  }
  nlohmann::json line = {{"method", method},
                         {"path", path},
                         {"status", result.status},
                         {"content_type", content_type(result.header("content-type"))},
                         {"request_content_type", core::trim(request_type)}};
  if (result.body.size() <= kLargest) line["body"] = result.body;
  if (body.size() <= kLargest) line["request_body"] = body;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  *out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  out->flush();
}

std::int64_t realNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> filesIn(const std::string& dir, const std::string& ext) {
  std::vector<std::filesystem::path> paths;
  if (std::filesystem::exists(dir)) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ext) paths.push_back(e.path());
    }
  }
  // Outbox names start with the time in seconds and a zero-padded sequence number: their order
  // is the order of sending (file times are too coarse to tell messages of one tick apart).
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

}  // namespace

std::string testPostgresUrl() {
  if (const char* url = std::getenv("PORTICO_TEST_POSTGRES"); url != nullptr && *url != '\0') {
    return url;
  }
  if (const char* dir = std::getenv("PORTICO_TEST_POSTGRES_CLUSTER"); dir != nullptr && *dir) {
    std::ifstream in(std::string(dir) + "/url");
    std::string url;
    std::getline(in, url);
    if (url.empty()) ADD_FAILURE() << "no PostgreSQL cluster in " << dir << " (no url file)";
    return url;
  }
  return "";
}

std::string base32Decode(const std::string& in) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = (c >= 'A' && c <= 'Z') ? c - 'A' : (c >= '2' && c <= '7') ? c - '2' + 26 : -1;
    if (v < 0) continue;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

TestServer::TestServer(app::AppConfig c, bool light_hashing)
    : tls_cert_(c.server.tls_cert_file), clock_(realNow()) {
  core::initCrypto();
  apiSamples();  // this process's samples file, even if it calls no /api route
  dir_ =
      (std::filesystem::temp_directory_path() / ("portico-test-" + core::randomToken(8))).string();
  std::filesystem::create_directories(dir_);
  c.db_path = dir_ + "/portico.db";
  // On PostgreSQL (testPostgresUrl()): each server gets a database of its own, dropped after.
  if (auto pg = testPostgresUrl(); !pg.empty()) {
    pg_admin_url_ = pg;
    pg_database_ = "portico_test_" + core::asciiLower(core::randomToken(8));
    for (auto& ch : pg_database_) {
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    storage::PgDb admin(pg_admin_url_);
    admin.connection().exec("CREATE DATABASE " + pg_database_);
    c.db_path = pg_admin_url_.substr(0, pg_admin_url_.rfind('/') + 1) + pg_database_;
    c.key_file = dir_ + "/portico.key";
  }
  c.mail_outbox = dir_ + "/mail";
  c.sms_outbox = dir_ + "/sms";
  if (c.public_url == app::AppConfig{}.public_url) c.public_url = "http://portal.test";
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.server.access_log = false;
  c.light_password_hashing = light_hashing;
  // No workers: mails() and texts() deliver what is due on the test's thread, so that a test reads
  // its mail at once; a test of the workers starts them (app().jobRunner().start(n)).
  c.job_workers = 0;
  app_ = std::make_unique<app::App>(c, clock_);
  app_->start();
}

TestServer::~TestServer() {
  app_->stop();
  app_.reset();
  if (!pg_database_.empty()) {
    try {
      storage::PgDb admin(pg_admin_url_);
      admin.connection().exec("DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cannot drop the test database " << pg_database_ << ": " << e.what();
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

HttpResult TestServer::request(const std::string& method, const std::string& path,
                               const std::string& body, const std::vector<std::string>& headers) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  std::string url = (tls_cert_.empty() ? "http://" : "https://") + std::string("127.0.0.1:") +
                    std::to_string(port()) + path;
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (!tls_cert_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls_cert_.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty() || method == "POST" || method == "PATCH") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  auto write = +[](char* p, std::size_t s, std::size_t n, void* u) {
    static_cast<std::string*>(u)->append(p, s * n);
    return s * n;
  };
  auto header = +[](char* p, std::size_t s, std::size_t n, void* u) {
    std::string line(p, s * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = core::asciiLower(line.substr(0, colon));
      std::string value(core::trim(line.substr(colon + 1)));
      static_cast<std::multimap<std::string, std::string>*>(u)->emplace(name, value);
    }
    return s * n;
  };
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  CURLcode rc = curl_easy_perform(curl);
  EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc) << " " << method << " " << path;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) recordApiSample(method, path, headers, body, result);
  return result;
}

HttpResult TestServer::get(const std::string& path, const std::string& token) {
  std::vector<std::string> h;
  if (!token.empty()) h.push_back("Authorization: Bearer " + token);
  return request("GET", path, "", h);
}

HttpResult TestServer::post(const std::string& path, const nlohmann::json& body,
                            const std::string& token) {
  std::vector<std::string> h = {"Content-Type: application/json"};
  if (!token.empty()) h.push_back("Authorization: Bearer " + token);
  return request("POST", path, body.dump(), h);
}

std::string TestServer::initOrganization(const std::string& org, const std::string& email) {
  auto link = app_->identity().initOrganization(org, email);
  EXPECT_TRUE(link) << (link ? "" : link.error().key);
  return link ? *link : std::string();
}

std::string TestServer::tokenOf(const std::string& url) {
  auto pos = url.find("token=");
  return pos == std::string::npos ? std::string() : url.substr(pos + 6);
}

std::string TestServer::signedInUser(const std::string& email, std::string* secret_out,
                                     std::vector<std::string>* codes_out) {
  auto link = initOrganization("Org of " + email, email);
  auto r = post("/api/v1/signup", {{"token", tokenOf(link)},
                                   {"first_name", "Test"},
                                   {"last_name", "User"},
                                   {"password", kPassword}});
  EXPECT_EQ(r.status, 201) << r.body;
  r = post("/api/v1/auth/login", {{"email", email}, {"password", kPassword}});
  EXPECT_EQ(r.status, 200) << r.body;
  auto token = r.json().value("token", "");
  EXPECT_EQ(r.json().value("mfa", ""), "enroll");
  r = post("/api/v1/auth/totp/enroll", nlohmann::json::object(), token);
  EXPECT_EQ(r.status, 200) << r.body;
  auto secret = r.json().value("secret", "");
  r = post("/api/v1/auth/totp/confirm", {{"code", totpCode(secret)}}, token);
  EXPECT_EQ(r.status, 200) << r.body;
  if (secret_out) *secret_out = secret;
  if (codes_out) *codes_out = r.json()["recovery_codes"].get<std::vector<std::string>>();
  return token;
}

std::string TestServer::mailedToken(const std::string& path) const {
  auto all = mails();
  if (all.empty()) return {};
  std::string flat = std::regex_replace(all.back(), std::regex("=\r\n"), "");
  std::smatch m;
  if (!std::regex_search(flat, m, std::regex(path + "\\?token=3D([A-Za-z0-9_-]+)"))) return {};
  return m[1].str();
}

std::string TestServer::signInAndEnrol(const std::string& email, std::string* secret_out) {
  auto r = post("/api/v1/auth/login", {{"email", email}, {"password", kPassword}});
  EXPECT_EQ(r.status, 200) << r.body;
  auto token = r.json().value("token", "");
  r = post("/api/v1/auth/totp/enroll", nlohmann::json::object(), token);
  EXPECT_EQ(r.status, 200) << r.body;
  auto secret = r.json().value("secret", "");
  EXPECT_EQ(post("/api/v1/auth/totp/confirm", {{"code", totpCode(secret)}}, token).status, 200);
  if (secret_out) *secret_out = secret;
  return token;
}

std::pair<std::int64_t, std::string> TestServer::companyWithAdmin(const std::string& api_key,
                                                                  const std::string& ext,
                                                                  const std::string& email,
                                                                  std::string* secret_out) {
  auto c = post("/api/v1/integration/companies", {{"external_id", ext}, {"name", "Company " + ext}},
                api_key);
  EXPECT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(post("/api/v1/integration/companies/" + ext + "/admin-signup",
                 {{"email", email}, {"requested_by", "erp.manager"}}, api_key)
                .status,
            202);
  auto r = post("/api/v1/signup", {{"token", mailedToken("/signup")},
                                   {"first_name", "Ada"},
                                   {"last_name", "Admin"},
                                   {"password", kPassword}});
  EXPECT_EQ(r.status, 201) << r.body;
  return {c.json().value("id", std::int64_t{0}), signInAndEnrol(email, secret_out)};
}

void TestServer::stepUp(const std::string& token, const std::string& secret) {
  auto r = post("/api/v1/auth/step-up", {{"code", totpCode(secret)}}, token);
  EXPECT_EQ(r.status, 200) << r.body;
}

std::string TestServer::staffMember(const std::string& org, const std::string& email,
                                    const std::string& role, std::string* secret_out) {
  auto token = signedInUser(email, secret_out);  // staff admin of an organization of their own ...
  sql("UPDATE staff_members SET org_id = (SELECT id FROM organizations WHERE name = ?), role = ?"
      " WHERE user_id = (SELECT id FROM users WHERE email = ?)",
      {org, role, email});  // ... moved into `org` with `role`
  return token;
}

void TestServer::sql(const std::string& statement, const std::vector<std::string>& params) {
  storage::Query q(app_->db().connection(), statement);
  for (const auto& p : params) q.bind(p);
  q.run();
}

std::int64_t TestServer::scalar(const std::string& statement,
                                const std::vector<std::string>& params) {
  storage::Query q(app_->db().connection(), statement);
  for (const auto& p : params) q.bind(p);
  return q.next() ? q.getInt(0) : 0;
}

std::string TestServer::totpCode(const std::string& base32_secret, std::int64_t offset) const {
  return identity::Totp::code(base32Decode(base32_secret), clock_.now() + offset);
}

std::vector<std::string> TestServer::mails() const {
  app_->jobRunner().runDue();
  return filesIn(dir_ + "/mail", ".eml");
}
std::vector<std::string> TestServer::texts() const {
  app_->jobRunner().runDue();
  return filesIn(dir_ + "/sms", ".json");
}

}  // namespace portico::testing
