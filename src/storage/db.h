#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace portico::storage {

// An unexpected database failure (I/O error, corruption, a bug in SQL). The request's last-resort
// handler answers 500; nothing partial is committed because every use case runs in a Transaction.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A UNIQUE, CHECK or FOREIGN KEY constraint refused a write. Repositories turn it into Conflict.
class ConstraintError : public DbError {
 public:
  using DbError::DbError;
};

// The database could not be reached (a lost connection to a database server). The request
// answers 503; the next one opens a new connection.
class UnavailableError : public DbError {
 public:
  using DbError::DbError;
};

// What went wrong with the databases of this process, for /metrics.
struct DbCounters {
  std::atomic<std::uint64_t> errors{0};      // statements that failed (constraints included)
  std::atomic<std::uint64_t> reconnects{0};  // connections opened again after one was lost
};
DbCounters& dbCounters();

// Which SQL a database speaks, where the two differ (see the migrations' "-- dialect:" blocks).
enum class Dialect { Sqlite, Postgres };

// A prepared statement. Parameters are 1-based, columns 0-based.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bindNull(int index) = 0;
  virtual void bindInt(int index, std::int64_t value) = 0;
  virtual void bindText(int index, std::string_view value) = 0;
  // Bytes for a BLOB (BYTEA) column, any of them NUL.
  virtual void bindBlob(int index, std::string_view value) = 0;
  // Advances; true while a row is available. Throws ConstraintError or DbError.
  virtual bool step() = 0;
  virtual bool isNull(int column) = 0;
  virtual std::int64_t getInt(int column) = 0;
  virtual std::string getText(int column) = 0;
  // The bytes of a BLOB (BYTEA) column.
  virtual std::string getBlob(int column) = 0;
  // Clears bindings and rewinds, ready for the next use.
  virtual void reset() = 0;
};

// One connection, used by one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  // The prepared statement for `sql`, cached for the life of the connection. Placeholders are `?`.
  virtual Statement& prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (migrations, pragmas).
  virtual void exec(std::string_view sql) = 0;
  virtual std::int64_t lastInsertId() = 0;
  virtual std::int64_t changes() = 0;
  virtual Dialect dialect() const = 0;
  virtual void begin() = 0;  // a write transaction
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// The database. Thread-safe: each thread gets its own connection.
class Db {
 public:
  virtual ~Db() = default;
  // This thread's connection, opened on first use. Valid while the Db lives.
  virtual Connection& connection() = 0;
  virtual Dialect dialect() const = 0;
};

// Opens the database at `location`: a postgresql:// (or postgres://) URL, else a SQLite file.
// Throws DbError with a clear message when it cannot be opened or reached.
std::unique_ptr<Db> openDb(const std::string& location);

// Bytes bound as a BLOB (BYTEA) rather than as text: q.bind(Blob{data}).
struct Blob {
  std::string_view bytes;
};

// A bound, running use of a prepared statement; resets it when destroyed.
//   Query q(conn, kFindUser); q.bind(email); if (q.next()) { id = q.getInt(0); }
class Query {
 public:
  Query(Connection& conn, std::string_view sql) : stmt_(conn.prepare(sql)) {}
  ~Query() { stmt_.reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  template <typename... Args>
  Query& bind(const Args&... args) {
    (bindOne(args), ...);
    return *this;
  }
  bool next() { return stmt_.step(); }
  // Runs a statement that returns no rows.
  void run() {
    while (stmt_.step()) {
    }
  }
  bool isNull(int c) { return stmt_.isNull(c); }
  std::int64_t getInt(int c) { return stmt_.getInt(c); }
  std::string getText(int c) { return stmt_.getText(c); }
  std::string getBlob(int c) { return stmt_.getBlob(c); }
  std::optional<std::int64_t> getOptInt(int c) {
    return stmt_.isNull(c) ? std::nullopt : std::optional<std::int64_t>(stmt_.getInt(c));
  }
  std::optional<std::string> getOptText(int c) {
    return stmt_.isNull(c) ? std::nullopt : std::optional<std::string>(stmt_.getText(c));
  }

 private:
  void bindOne(std::nullptr_t) { stmt_.bindNull(++index_); }
  void bindOne(std::int64_t v) { stmt_.bindInt(++index_, v); }
  void bindOne(int v) { stmt_.bindInt(++index_, v); }
  void bindOne(bool v) { stmt_.bindInt(++index_, v ? 1 : 0); }
  void bindOne(std::string_view v) { stmt_.bindText(++index_, v); }
  void bindOne(const std::string& v) { stmt_.bindText(++index_, v); }
  void bindOne(const char* v) { stmt_.bindText(++index_, v); }
  void bindOne(Blob v) { stmt_.bindBlob(++index_, v.bytes); }
  template <typename T>
  void bindOne(const std::optional<T>& v) {
    if (v) {
      bindOne(*v);
    } else {
      stmt_.bindNull(++index_);
    }
  }

  Statement& stmt_;
  int index_ = 0;
};

// A write transaction for one use case: commits on commit(), rolls back otherwise.
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) { conn_.begin(); }
  ~Transaction() {
    if (!done_) {
      try {
        conn_.rollback();
      } catch (...) {  // nothing more can be done in a destructor
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    conn_.commit();
    done_ = true;
  }
  // Commits what was written so far and begins the next transaction at once (a long import
  // commits in batches; see Savepoint). After a throw the transaction is no longer open.
  void commitAndContinue() {
    conn_.commit();
    done_ = true;
    conn_.begin();
    done_ = false;
  }

 private:
  Connection& conn_;
  bool done_ = false;
};

// A savepoint inside an open Transaction: release() keeps what was written since it was set,
// otherwise (destroyed first, or rollback()) it is undone and the transaction goes on as before —
// one bad line of an import undoes only that line.
//   Savepoint sp(conn); if (write(...)) sp.release();
// REQUIRES: a transaction is open on `conn`; savepoints nest like scopes.
class Savepoint {
 public:
  explicit Savepoint(Connection& conn) : conn_(conn) { step(kSet); }
  ~Savepoint() {
    if (!done_) {
      try {
        rollback();
      } catch (...) {  // the transaction's own rollback undoes it all
      }
    }
  }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release() {
    done_ = true;
    step(kRelease);
  }
  void rollback() {
    done_ = true;
    step(kRollbackTo);
    step(kRelease);
  }

 private:
  static constexpr std::string_view kSet = "SAVEPOINT portico_line";
  static constexpr std::string_view kRelease = "RELEASE portico_line";
  static constexpr std::string_view kRollbackTo = "ROLLBACK TO portico_line";
  // Prepared once per connection, like every statement: no parsing per line.
  void step(std::string_view sql) {
    Query q(conn_, sql);
    q.run();
  }

  Connection& conn_;
  bool done_ = false;
};

}  // namespace portico::storage
