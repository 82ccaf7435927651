#include "storage/postgres/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <optional>
#include <string>
#include <unordered_map>

namespace portico::storage {
namespace {

// The key of the database's one write lock (pg_advisory_xact_lock): "portico" in ASCII.
constexpr std::string_view kBegin = "BEGIN; SELECT pg_advisory_xact_lock(28554821711159395)";

// "?" placeholders as "$1", "$2", … (and SQLite's numbered "?7" as "$7"), outside string
// literals, quoted names and comments. `count`: the number of parameters.
std::string numberPlaceholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      auto end = sql.find(c, i + 1);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?') {
      std::size_t digits = i + 1;
      while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
      out += '$';
      if (digits > i + 1) {
        auto number = sql.substr(i + 1, digits - i - 1);
        out.append(number);
        count = std::max(count, std::stoi(std::string(number)));
        i = digits - 1;
      } else {
        out += std::to_string(++count);
      }
    } else {
      out += c;
    }
  }
  return out;
}

bool isConstraint(const char* sqlstate) {
  return sqlstate && sqlstate[0] == '2' && sqlstate[1] == '3';
}

}  // namespace

// One libpq connection, used by one thread.
class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) : url_(url) { open(); }
  ~PgConnection() override { close(); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  void open() {
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
      close();
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      throw UnavailableError("cannot connect to the database server: " + why);
    }
    ++generation_;
    // Waiting for the write lock as long as SQLite waits for its busy database; times in UTC.
    run("SET lock_timeout = '5s'; SET TIME ZONE 'UTC'; SET client_min_messages = warning");
  }
  void close() {
    if (conn_) {
      PQfinish(conn_);
      conn_ = nullptr;
    }
  }
  // After a lost connection: a new one (and every statement prepared again on first use).
  void reopenIfLost() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
    close();
    ++dbCounters().reconnects;
    open();
  }

  Statement& prepare(std::string_view sql) override;
  void exec(std::string_view sql) override { run(std::string(sql)); }
  std::int64_t lastInsertId() override {
    PGresult* r = check(PQexec(conn_, "SELECT lastval()"), "lastval");
    std::int64_t id = std::stoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return id;
  }
  std::int64_t changes() override { return changes_; }
  Dialect dialect() const override { return Dialect::Postgres; }
  void begin() override {
    try {
      run(std::string(kBegin));
    } catch (const DbError&) {
      // Not left in an aborted transaction when the write lock is not had in time.
      if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }
  void commit() override { run("COMMIT"); }
  void rollback() override { run("ROLLBACK"); }

  // Takes `result`: throws for a failed one (ConstraintError, UnavailableError when the
  // connection is gone, DbError), else returns it and remembers the rows it changed.
  PGresult* check(PGresult* result, std::string_view what) {
    auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      const char* n = PQcmdTuples(result);
      changes_ = (n && *n) ? std::stoll(n) : 0;
      return result;
    }
    std::string msg =
        std::string(what) + ": " + (result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    ++dbCounters().errors;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    bool constraint = isConstraint(state);
    PQclear(result);
    if (PQstatus(conn_) != CONNECTION_OK) throw UnavailableError(msg);
    if (constraint) throw ConstraintError(msg);
    throw DbError(msg);
  }

  PGconn* raw() { return conn_; }
  std::uint64_t generation() const { return generation_; }
  std::string nextName() { return "p" + std::to_string(++names_); }

 private:
  void run(const std::string& sql) {
    // Several statements: the simple protocol, whose last result tells.
    PGresult* r = PQexec(conn_, sql.c_str());
    PQclear(check(r, "exec"));
  }
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::string url_;
  PGconn* conn_ = nullptr;
  std::uint64_t generation_ = 0;
  std::uint64_t names_ = 0;
  std::int64_t changes_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> cache_;

  friend class PgStatement;
};

// A statement prepared on the server on its first run (and after a reconnect). Parameters are
// sent as text with no declared type: the server infers each from where it stands. A blob is
// sent in binary format (its bytes as they are, which is bytea's binary form).
class PgStatement final : public Statement {
 public:
  PgStatement(PgConnection& conn, std::string_view sql) : conn_(conn) {
    sql_ = numberPlaceholders(sql, count_);
    values_.resize(static_cast<std::size_t>(count_));
    binary_.resize(static_cast<std::size_t>(count_), 0);
  }
  ~PgStatement() override { PQclear(result_); }
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  void bindNull(int i) override { at(i).reset(); }
  void bindInt(int i, std::int64_t v) override { at(i) = std::to_string(v); }
  void bindText(int i, std::string_view v) override { at(i) = std::string(v); }
  void bindBlob(int i, std::string_view v) override {
    at(i) = std::string(v);
    binary_[static_cast<std::size_t>(i - 1)] = 1;
  }
  bool step() override {
    if (!result_) {
      execute();
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < PQntuples(result_);
  }
  bool isNull(int c) override { return PQgetisnull(result_, row_, c) != 0; }
  std::int64_t getInt(int c) override {
    if (isNull(c)) return 0;
    const char* v = PQgetvalue(result_, row_, c);
    int n = PQgetlength(result_, row_, c);
    if (n == 1 && (*v == 't' || *v == 'f')) return *v == 't' ? 1 : 0;  // a boolean expression
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v, v + n, out);
    if (ec != std::errc()) {
      // numeric results (sums, averages): their integer part
      return static_cast<std::int64_t>(std::stod(std::string(v, static_cast<std::size_t>(n))));
    }
    return out;
  }
  std::string getText(int c) override {
    return std::string(PQgetvalue(result_, row_, c),
                       static_cast<std::size_t>(PQgetlength(result_, row_, c)));
  }
  // bytea comes back in its text form ("\\x" and hex digits).
  std::string getBlob(int c) override {
    if (isNull(c)) return {};
    std::size_t n = 0;
    unsigned char* bytes =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, c)), &n);
    if (bytes == nullptr) throw DbError("bytea: out of memory");
    std::string out(reinterpret_cast<const char*>(bytes), n);
    PQfreemem(bytes);
    return out;
  }
  void reset() override {
    PQclear(result_);
    result_ = nullptr;
    for (auto& v : values_) v.reset();
    std::fill(binary_.begin(), binary_.end(), 0);
  }

 private:
  std::optional<std::string>& at(int i) {
    if (i < 1 || i > count_)
      throw DbError("bind: no parameter " + std::to_string(i) + " in " + sql_);
    return values_[static_cast<std::size_t>(i - 1)];
  }
  void execute() {
    if (prepared_for_ != conn_.generation()) {
      name_ = conn_.nextName();
      PGresult* r = PQprepare(conn_.raw(), name_.c_str(), sql_.c_str(), count_, nullptr);
      PQclear(conn_.check(r, "prepare " + sql_.substr(0, 80)));
      prepared_for_ = conn_.generation();
    }
    std::vector<const char*> params;
    std::vector<int> lengths;
    params.reserve(values_.size());
    lengths.reserve(values_.size());
    for (const auto& v : values_) {
      params.push_back(v ? v->c_str() : nullptr);
      lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    bool any_binary = std::find(binary_.begin(), binary_.end(), 1) != binary_.end();
    PGresult* r = PQexecPrepared(conn_.raw(), name_.c_str(), count_, params.data(),
                                 any_binary ? lengths.data() : nullptr,
                                 any_binary ? binary_.data() : nullptr, 0);
    result_ = conn_.check(r, "step");
  }

  PgConnection& conn_;
  std::string sql_;
  std::string name_;
  int count_ = 0;
  std::uint64_t prepared_for_ = 0;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;  // per parameter: 1 if sent in binary format (a blob)
  PGresult* result_ = nullptr;
  int row_ = 0;
};

Statement& PgConnection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(std::string(sql), std::make_unique<PgStatement>(*this, sql)).first;
  }
  return *it->second;
}

bool isPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

PgDb::PgDb(std::string url) : url_(std::move(url)) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url_.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? error : "not a connection URL";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw DbError("bad database URL " + displayUrl() + ": " + why);
  }
  PQconninfoFree(options);
  try {
    connection();
  } catch (const DbError& e) {
    throw DbError("cannot use database " + displayUrl() + ": " + e.what());
  }
}

PgDb::~PgDb() { connections_.closeAll(); }

std::string PgDb::displayUrl() const {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme = url_.find("://");
  auto at = url_.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url_;
  auto colon = url_.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url_;
  return url_.substr(0, colon + 1) + "***" + url_.substr(at);
}

Connection& PgDb::connection() {
  auto& c = connections_.get([this] { return std::make_shared<PgConnection>(url_); });
  c.reopenIfLost();
  return c;
}

}  // namespace portico::storage
