// A thin RAII layer over the SQLite C API used by the store and the query module:
// a connection, prepared statements with typed bind/column helpers, and errors
// turned into StoreError with the failing statement's context.
#pragma once

#include "newsidx/errors.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace newsidx::sqlite {

[[noreturn]] void throw_error(sqlite3* db, std::string_view context);

class Statement {
public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  // Wraps a statement owned by a Connection's cache: reset, not finalized, when done.
  static Statement borrowed(sqlite3* db, sqlite3_stmt* stmt);
  Statement(Statement&& other) noexcept { *this = std::move(other); }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::string_view bytes);
  // Like bind() and bind_blob(), without a copy: the bytes must stay valid and unchanged
  // until the statement has run (is stepped to its end, reset or bound again).
  Statement& bind_static(int index, std::string_view value);
  Statement& bind_blob_static(int index, std::string_view bytes);

  // Steps once; true when a row is available.
  bool step();
  // Steps until done (for statements that return no rows).
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::optional<std::string> column_optional_text(int column) const;
  bool is_blob(int column) const;
  // The column's bytes (a BLOB as stored, TEXT as UTF-8), valid until the next step/reset.
  std::string_view column_bytes(int column) const;

  sqlite3_stmt* raw() const { return m_stmt; }

private:
  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_stmt = nullptr;
  bool m_borrowed = false;
};

class Connection {
public:
  Connection() = default;
  // flags: SQLITE_OPEN_* flags. Throws StoreError on failure.
  Connection(const std::string& path, int flags);
  Connection(Connection&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_cache(std::move(other.m_cache)) {}
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) const { return Statement(m_db, sql); }
  // A statement prepared once per connection and reused (for hot paths); it is reset
  // when the returned handle goes away. `sql` must outlive the connection (a literal).
  Statement cached(const char* sql);
  std::int64_t query_int(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
  int changes() const { return sqlite3_changes(m_db); }
  sqlite3* raw() const { return m_db; }

private:
  void finalize_cache();
  sqlite3* m_db = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> m_cache;
};

// Begins IMMEDIATE on construction; rolls back in the destructor unless commit() ran.
class Transaction {
public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

private:
  Connection& m_connection;
  bool m_done = false;
};

// Holds one read transaction for its lifetime, so that the statements run inside see one
// snapshot of the archive (an ingest may commit in between) and SQLite takes its read
// locks once instead of once per statement. Does nothing inside an open transaction.
class ReadSnapshot {
public:
  explicit ReadSnapshot(Connection& connection);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

private:
  Connection& m_connection;
  bool m_began = false;
};

} // namespace newsidx::sqlite
