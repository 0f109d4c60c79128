// Unit tests for the background WAL checkpointer of bulk loads (src/wal_checkpointer.cpp).
#include "wal_checkpointer.hpp"

#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <string>

using namespace newsidx;

namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO(sql << ": " << (error ? error : ""));
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

std::int64_t query_int(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  std::int64_t value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  return value;
}

} // namespace

TEST_CASE("the WAL is copied beside the writer and starts over, losing nothing", "[store][wal]") {
  TempArchive tmp;
  const std::string path = tmp.db().string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "PRAGMA synchronous = NORMAL");
  exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
  const std::filesystem::path wal = path + "-wal";
  std::uintmax_t largest_wal = 0;
  {
    // A background pass from 40 pages of WAL, the writer's own from 120.
    WalCheckpointer checkpointer(db, path, 40, 120);
    for (int batch = 0; batch < 60; ++batch) {
      exec(db, "BEGIN IMMEDIATE");
      for (int row = 0; row < 20; ++row)
        exec(db, "INSERT INTO t(payload) VALUES (randomblob(1000))");
      exec(db, "COMMIT");
      checkpointer.after_commit();
      largest_wal = std::max(largest_wal, std::filesystem::file_size(wal));
    }
    checkpointer.stop();
    checkpointer.stop(); // twice is harmless
  }
  // 60 batches of about 3 pages each would make a WAL of some 180 pages without
  // checkpoints; it started over instead (a page is 4 KiB here, plus its frame header).
  CHECK(largest_wal < 140 * 4200);
  CHECK(query_int(db, "SELECT count(*) FROM t") == 1200);
  sqlite3_stmt* check = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(check) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(check, 0))) == "ok");
  sqlite3_finalize(check);
  sqlite3_close(db);
  // Everything is in the database file too once the WAL is gone.
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(query_int(db, "SELECT count(*) FROM t") == 1200);
  sqlite3_close(db);
}

TEST_CASE("a pass asked for copies a WAL shorter than the threshold", "[store][wal]") {
  TempArchive tmp;
  const std::string path = tmp.db().string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  const auto database_size = [&] { return std::filesystem::file_size(path); };
  const std::uintmax_t empty = database_size();
  {
    WalCheckpointer checkpointer(db, path, 100'000, 200'000); // never on its own
    exec(db, "BEGIN IMMEDIATE");
    for (int row = 0; row < 50; ++row)
      exec(db, "INSERT INTO t(payload) VALUES (randomblob(1000))");
    exec(db, "COMMIT");
    checkpointer.after_commit();
    CHECK(database_size() == empty); // the rows are in the WAL only
    checkpointer.start_pass();
    checkpointer.start_pass(); // asked for again while it may be under way: one more pass
    checkpointer.stop();       // waits for them
  }
  CHECK(database_size() > empty + 40'000); // copied into the database file
  CHECK(query_int(db, "SELECT count(*) FROM t") == 50);
  sqlite3_close(db);
}
