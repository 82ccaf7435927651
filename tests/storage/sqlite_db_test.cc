#include "storage/sqlite/sqlite_db.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/random.h"
#include "storage/migrator.h"

namespace portico::storage {
namespace {

std::string tempPath(const std::string& name) {
  core::initCrypto();
  auto dir = std::filesystem::temp_directory_path() / ("portico-db-" + core::randomToken(6));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

TEST(SqliteDbTest, MigrationsApplyOnceAndSetPragmas) {
  SqliteDb db(tempPath("m.db"));
  auto applied = migrate(db, builtinMigrations());
  EXPECT_FALSE(applied.empty());
  EXPECT_TRUE(migrate(db, builtinMigrations()).empty());
  EXPECT_GE(schemaVersion(db), 1);
  Query wal(db.connection(), "PRAGMA journal_mode");
  ASSERT_TRUE(wal.next());
  EXPECT_EQ(wal.getText(0), "wal");
  Query fk(db.connection(), "PRAGMA foreign_keys");
  ASSERT_TRUE(fk.next());
  EXPECT_EQ(fk.getInt(0), 1);
}

TEST(SqliteDbTest, TransactionRollsBackUnlessCommitted) {
  SqliteDb db(tempPath("t.db"));
  auto& c = db.connection();
  c.exec("CREATE TABLE t (v TEXT UNIQUE)");
  {
    Transaction tx(c);
    Query(c, "INSERT INTO t (v) VALUES (?)").bind("a").run();
  }
  {
    Transaction tx(c);
    Query(c, "INSERT INTO t (v) VALUES (?)").bind("b").run();
    tx.commit();
  }
  Query q(c, "SELECT group_concat(v) FROM t");
  q.next();
  EXPECT_EQ(q.getText(0), "b");
  EXPECT_THROW(Query(c, "INSERT INTO t (v) VALUES (?)").bind("b").run(), ConstraintError);
}

TEST(SqliteDbTest, ASavepointUndoesOnlyItsOwnWrites) {
  SqliteDb db(tempPath("s.db"));
  auto& c = db.connection();
  c.exec("CREATE TABLE t (v TEXT UNIQUE)");
  {
    Transaction tx(c);
    // Each line writes two rows; the third line's second row conflicts with the first line's.
    for (std::string v : {"a1", "b1", "a2", "c1"}) {
      Savepoint sp(c);
      try {
        Query(c, "INSERT INTO t (v) VALUES (?)").bind(v).run();
        Query(c, "INSERT INTO t (v) VALUES (?)").bind("k" + v.substr(0, 1)).run();
        sp.release();
      } catch (const ConstraintError&) {  // "a2" must not stay
      }
    }
    {
      Savepoint sp(c);
      Query(c, "INSERT INTO t (v) VALUES (?)").bind("d").run();
      sp.rollback();
    }
    tx.commitAndContinue();
    Query(c, "INSERT INTO t (v) VALUES (?)").bind("e").run();
  }  // not committed: "e" is gone, the batch before it stays
  Query q(c, "SELECT group_concat(v, ' ') FROM (SELECT v FROM t ORDER BY v)");
  q.next();
  EXPECT_EQ(q.getText(0), "a1 b1 c1 ka kb kc");
}

TEST(SqliteDbTest, EachThreadHasItsOwnConnection) {
  SqliteDb db(tempPath("c.db"));
  Connection* main_conn = &db.connection();
  Connection* other = nullptr;
  std::thread([&] { other = &db.connection(); }).join();
  EXPECT_NE(main_conn, other);
  EXPECT_EQ(main_conn, &db.connection());
}

TEST(SqliteDbTest, NotADatabaseFailsClearly) {
  auto path = tempPath("junk.db");
  std::ofstream(path) << "this is not a database, just some text that is long enough to matter";
  EXPECT_THROW(SqliteDb db(path), DbError);
}

}  // namespace
}  // namespace portico::storage
