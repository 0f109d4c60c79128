// fts_floor: the raw FTS5 ingest floor newsidx is measured against.
//
// Reads every *.txt file under DIR (recursively, in sorted path order) and inserts each
// file's bytes, as they are, into a plain FTS5 table
//     CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')
// in one transaction with one prepared statement, in WAL mode. No decoding, no
// extraction, no metadata: this is what SQLite's FTS5 alone costs on one core, the
// throughput a real indexer built on a single FTS5 writer can at best approach.
//
//     g++ -O2 -std=c++20 bench/fts_floor.cpp -lsqlite3 -o fts_floor
//     fts_floor [--hashsize BYTES] [--automerge N] [--crisismerge N] DIR DB
//
// --hashsize sets FTS5's in-memory hash ('hashsize' config, default 1 MiB): the pending
// terms are flushed to a new level-0 segment each time it fills, so a larger hash means
// fewer, larger segments and less merging. --automerge / --crisismerge are the documented
// FTS5 merge settings. Prints one JSON object on stdout: docs, bytes, files_seconds
// (walking + reading), insert_seconds, commit_seconds, total_seconds. Exit status 0 on
// success, 2 on a usage or SQLite error.

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check(sqlite3* db, int rc, std::string_view what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void exec(sqlite3* db, const std::string& sql)
{
  check(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), sql);
}

std::vector<fs::path> list_text_files(const fs::path& root)
{
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool read_file(const fs::path& path, std::string& out)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

struct Options
{
  fs::path dir;
  fs::path db;
  long hashsize = 0;    // 0: FTS5's default
  int automerge = -1;   // -1: FTS5's default
  int crisismerge = -1; // -1: FTS5's default
};

Options parse_args(int argc, char** argv)
{
  Options options;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> long {
      if (i + 1 >= argc) {
        throw std::invalid_argument(arg + " needs a value");
      }
      return std::strtol(argv[++i], nullptr, 10);
    };
    if (arg == "--hashsize") {
      options.hashsize = value();
    } else if (arg == "--automerge") {
      options.automerge = static_cast<int>(value());
    } else if (arg == "--crisismerge") {
      options.crisismerge = static_cast<int>(value());
    } else if (arg.starts_with("--")) {
      throw std::invalid_argument("unknown option " + arg);
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) {
    throw std::invalid_argument(
      "usage: fts_floor [--hashsize BYTES] [--automerge N] [--crisismerge N] DIR DB");
  }
  options.dir = positional[0];
  options.db = positional[1];
  return options;
}

void run(const Options& options)
{
  const auto start = Clock::now();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(options.db.string() + suffix);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(options.db.c_str(), &db) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + options.db.string());
  }
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')");
  if (options.hashsize > 0) {
    exec(db, "INSERT INTO t(t, rank) VALUES('hashsize', " + std::to_string(options.hashsize) + ")");
  }
  if (options.automerge >= 0) {
    exec(db,
         "INSERT INTO t(t, rank) VALUES('automerge', " + std::to_string(options.automerge) + ")");
  }
  if (options.crisismerge >= 0) {
    exec(db, "INSERT INTO t(t, rank) VALUES('crisismerge', " +
               std::to_string(options.crisismerge) + ")");
  }

  sqlite3_stmt* insert = nullptr;
  check(db, sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (?1)", -1, &insert, nullptr),
        "prepare");
  exec(db, "BEGIN");

  double files_seconds = 0;
  double insert_seconds = 0;
  long docs = 0;
  long long bytes = 0;
  auto phase = Clock::now();
  const auto files = list_text_files(options.dir);
  files_seconds += seconds_since(phase);
  std::string text;
  for (const auto& path : files) {
    phase = Clock::now();
    const bool ok = read_file(path, text);
    files_seconds += seconds_since(phase);
    if (!ok) {
      std::fprintf(stderr, "fts_floor: cannot read %s\n", path.c_str());
      continue;
    }
    phase = Clock::now();
    sqlite3_bind_text(insert, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    check(db, sqlite3_step(insert), "insert");
    sqlite3_reset(insert);
    insert_seconds += seconds_since(phase);
    ++docs;
    bytes += static_cast<long long>(text.size());
  }
  sqlite3_finalize(insert);
  phase = Clock::now();
  exec(db, "COMMIT");
  const double commit_seconds = seconds_since(phase);
  sqlite3_close(db);
  std::printf("{\"docs\": %ld, \"bytes\": %lld, \"files_seconds\": %.3f, \"insert_seconds\": %.3f, "
              "\"commit_seconds\": %.3f, \"total_seconds\": %.3f, \"sqlite\": \"%s\"}\n",
              docs, bytes, files_seconds, insert_seconds, commit_seconds, seconds_since(start),
              sqlite3_libversion());
}

} // namespace

int main(int argc, char** argv)
{
  try {
    run(parse_args(argc, argv));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fts_floor: error: %s\n", e.what());
    return 2;
  }
}
