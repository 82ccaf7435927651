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
