#include "sqlite.hpp"

namespace newsidx::sqlite {

void throw_error(sqlite3* db, std::string_view context) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  std::string what = std::string(context) + ": " + message;
  int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw StoreBusyError(what);
  throw StoreError(what);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &m_stmt, nullptr) != SQLITE_OK) {
    throw_error(db, "preparing a statement");
  }
}

Statement Statement::borrowed(sqlite3* db, sqlite3_stmt* stmt) {
  Statement statement;
  statement.m_db = db;
  statement.m_stmt = stmt;
  statement.m_borrowed = true;
  return statement;
}

namespace {

void release(sqlite3_stmt* stmt, bool borrowed) {
  if (!stmt) return;
  if (borrowed) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  } else {
    sqlite3_finalize(stmt);
  }
}

} // namespace

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release(m_stmt, m_borrowed);
    m_db = std::exchange(other.m_db, nullptr);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_borrowed = std::exchange(other.m_borrowed, false);
  }
  return *this;
}

Statement::~Statement() { release(m_stmt, m_borrowed); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, std::string_view(*value));
  return bind_null(index);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view value) {
  sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob_static(int index, std::string_view bytes) {
  sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(m_stmt);
  throw_error(m_db, "running a statement");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::column_double(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(m_stmt, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

bool Statement::is_blob(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_BLOB;
}

std::string_view Statement::column_bytes(int column) const {
  const void* data = is_blob(column) ? sqlite3_column_blob(m_stmt, column)
                                     : static_cast<const void*>(sqlite3_column_text(m_stmt, column));
  if (!data) return {};
  return std::string_view(static_cast<const char*>(data),
                          static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

Connection::Connection(const std::string& path, int flags) {
  // A connection is only ever used by one thread at a time: no per-call mutex.
  int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw StoreError("cannot open archive " + path + ": " + message);
  }
  sqlite3_extended_result_codes(m_db, 1);
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    finalize_cache();
    sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_cache = std::move(other.m_cache);
    other.m_cache.clear();
  }
  return *this;
}

Connection::~Connection() {
  finalize_cache();
  sqlite3_close_v2(m_db);
}

void Connection::finalize_cache() {
  for (auto& [sql, stmt] : m_cache) sqlite3_finalize(stmt);
  m_cache.clear();
}

Statement Connection::cached(const char* sql) {
  auto it = m_cache.find(sql);
  if (it == m_cache.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      throw_error(m_db, "preparing a statement");
    }
    it = m_cache.emplace(sql, stmt).first;
  }
  sqlite3_reset(it->second);
  return Statement::borrowed(m_db, it->second);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    throw_error(m_db, "executing SQL");
  }
}

std::int64_t Connection::query_int(std::string_view sql) {
  Statement statement = prepare(sql);
  return statement.step() ? statement.column_int(0) : 0;
}

Transaction::Transaction(Connection& connection) : m_connection(connection) {
  m_connection.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!m_done) sqlite3_exec(m_connection.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  m_connection.exec("COMMIT");
  m_done = true;
}

ReadSnapshot::ReadSnapshot(Connection& connection) : m_connection(connection) {
  if (sqlite3_get_autocommit(connection.raw())) {
    connection.exec("BEGIN");
    m_began = true;
  }
}

ReadSnapshot::~ReadSnapshot() {
  // Only reads ran inside, so ending it cannot lose anything: COMMIT, or ROLLBACK if
  // a failed statement left it unfinished.
  if (m_began && sqlite3_exec(m_connection.raw(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    sqlite3_exec(m_connection.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace newsidx::sqlite
