#include "storage/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

namespace portico::storage {
namespace {

[[noreturn]] void throwFor(sqlite3* db, int rc, std::string_view what) {
  ++dbCounters().errors;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
    throw ConstraintError(msg);
  }
  throw DbError(msg);
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      throwFor(db, rc, "prepare");
    }
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bindNull(int i) override { check(sqlite3_bind_null(stmt_, i)); }
  void bindInt(int i, std::int64_t v) override { check(sqlite3_bind_int64(stmt_, i, v)); }
  void bindText(int i, std::string_view v) override {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void bindBlob(int i, std::string_view v) override {
    check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT));
  }
  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    throwFor(db_, rc, "step");
  }
  bool isNull(int c) override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t getInt(int c) override { return sqlite3_column_int64(stmt_, c); }
  std::string getText(int c) override {
    auto* p = sqlite3_column_text(stmt_, c);
    int n = sqlite3_column_bytes(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
  }
  std::string getBlob(int c) override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
    int n = sqlite3_column_bytes(stmt_, c);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) {
      throwFor(db_, rc, "bind");
    }
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

namespace {

// Before SQLite is first used: no memory statistics, which would take a global mutex on every
// allocation of every connection.
void configureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    configureSqlite();
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw DbError("cannot open database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
      exec(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
          " PRAGMA mmap_size=268435456; PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;");
    } catch (const DbError& e) {
      close();
      throw DbError("cannot use database " + path + ": " + e.what());
    }
  }
  ~SqliteConnection() override { close(); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  void close() {
    cache_.clear();
    if (db_) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }

  Statement& prepare(std::string_view sql) override {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      auto stmt = std::make_unique<SqliteStatement>(db_, sql);
      it = cache_.emplace(std::string(sql), std::move(stmt)).first;
    }
    return *it->second;
  }
  void exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
        throw ConstraintError(msg);
      }
      throw DbError("exec: " + msg);
    }
  }
  std::int64_t lastInsertId() override { return sqlite3_last_insert_rowid(db_); }
  std::int64_t changes() override { return sqlite3_changes64(db_); }
  Dialect dialect() const override { return Dialect::Sqlite; }
  sqlite3* raw() { return db_; }
  void begin() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, Hash, std::equal_to<>> cache_;
};

SqliteDb::SqliteDb(std::string path) : path_(std::move(path)) {
  // Open once now so that a bad path or a file that is not a database fails at start-up.
  auto& conn = connection();
  Query q(conn, "SELECT count(*) FROM sqlite_master");
  q.next();
}

SqliteDb::~SqliteDb() { connections_.closeAll(); }

Connection& SqliteDb::connection() {
  auto& c = connections_.get([this] { return std::make_shared<SqliteConnection>(path_); });
  return c;
}

void SqliteDb::backupTo(const std::string& to) {
  if (std::filesystem::exists(to)) throw DbError("backup: " + to + " exists already");
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(to.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    throw DbError("backup: cannot create " + to + ": " + why);
  }
  auto& source = static_cast<SqliteConnection&>(connection());
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source.raw(), "main");
  if (backup == nullptr) {
    std::string why = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    throw DbError("backup: " + why);
  }
  // A few pages at a time: writers of the serving portal wait at most one step, and a step that
  // finds the database busy is tried again.
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  std::string why = rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
  // The copy is a database of its own: in rollback-journal mode, so that it is one file.
  if (rc == SQLITE_DONE)
    sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  sqlite3_close(dest);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(to);
    throw DbError("backup: " + why);
  }
}

}  // namespace portico::storage
