// End-to-end: bad input files and bad archives get a one-line message naming the file,
// a documented exit status, and nothing already stored is lost.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace newsidx::e2e;
namespace fs = std::filesystem;

namespace {

const std::string k_article =
  "A Headline About Ports\n\nBy Jane Doe\n\nMay 8, 2025\n\n"
  "The port of Rotterdam handled more containers than ever this spring, officials said.\n\n"
  "Shipping lines added routes to Asia and Africa as demand recovered.\n";

std::string read_all(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(needle) != std::string::npos) ++count;
  }
  return count;
}

} // namespace

TEST_CASE("broken input files are reported, counted and skipped", "[e2e][ingest][bad-input]") {
  TempDir dir;
  dir.write("in/good.txt", k_article);
  dir.write("in/binary.txt", std::string("PK\x03\x04\0\0binary\0data", 16));
  dir.write("in/empty.txt", "");
  dir.write("in/blank.txt", "  \n\t\n\n");
  dir.write("in/latin1.txt", "Caf\xE9 society\n\nA story about caf\xE9s in Paris and their patrons.\n");
  dir.write("in/huge.txt", std::string(3 * 1024 * 1024, 'a'));
  dir.write("in/notes.md", "not taken: wrong extension\n");
  fs::create_symlink(dir / "in/missing-target.txt", dir / "in/dangling.txt");
  std::string db = (dir / "a.db").string();

  RunResult result = run_newsidx({"--db", db, "ingest", (dir / "in").string(), "--max-size", "1M"}, dir.path());
  INFO(result.err);
  CHECK(result.status == 3);
  CHECK(count_lines_with(result.err, "binary.txt") == 1);
  CHECK(count_lines_with(result.err, "empty.txt") == 1);
  CHECK(count_lines_with(result.err, "blank.txt") == 1);
  CHECK(count_lines_with(result.err, "huge.txt") == 1);
  CHECK(count_lines_with(result.err, "dangling.txt") == 1);
  CHECK(result.err.find("notes.md") == std::string::npos);
  CHECK(result.err.find("2 added") != std::string::npos);
  CHECK(result.err.find("5 skipped") != std::string::npos);

  RunResult search = run_newsidx({"--db", db, "search", "Rotterdam", "--format", "jsonl"}, dir.path());
  CHECK(parse_jsonl(search.out).size() == 1);
}

TEST_CASE("a path that does not exist is reported and the rest goes on", "[e2e][ingest][bad-input]") {
  TempDir dir;
  dir.write("good.txt", k_article);
  std::string db = (dir / "a.db").string();
  RunResult result = run_newsidx({"--db", db, "ingest", (dir / "nope").string(), (dir / "good.txt").string()}, dir.path());
  CHECK(result.status == 3);
  CHECK(result.err.find("nope: failed: no such file or directory") != std::string::npos);
  CHECK(result.err.find("1 added") != std::string::npos);
}

TEST_CASE("unreadable files and directories are reported", "[e2e][ingest][bad-input]") {
  if (::geteuid() == 0) {
    // root reads everything; the permission check cannot be shown as root.
    SUCCEED("skipped: running as root");
    return;
  }
  TempDir dir;
  fs::path secret = dir.write("in/secret.txt", k_article);
  fs::permissions(secret, fs::perms::none);
  RunResult result = run_newsidx({"--db", (dir / "a.db").string(), "ingest", (dir / "in").string()}, dir.path());
  CHECK(result.status == 3);
  CHECK(result.err.find("secret.txt") != std::string::npos);
}

TEST_CASE("a file that is not an archive is never overwritten", "[e2e][archive][bad-input]") {
  TempDir dir;
  dir.write("good.txt", k_article);
  std::string garbage = "this is a text file, not a database\n";
  fs::path not_db = dir.write("notes.db", garbage);
  RunResult result = run_newsidx({"--db", not_db.string(), "ingest", (dir / "good.txt").string()}, dir.path());
  CHECK(result.status == 2);
  CHECK(result.err.find("not a newsidx archive") != std::string::npos);
  CHECK(read_all(not_db) == garbage);
  RunResult search = run_newsidx({"--db", not_db.string(), "search", "port"}, dir.path());
  CHECK(search.status == 2);
  CHECK(search.err.find("not a newsidx archive") != std::string::npos);
}

TEST_CASE("another program's SQLite database is never changed", "[e2e][archive][bad-input]") {
  TempDir dir;
  dir.write("good.txt", k_article);
  fs::path foreign = dir / "other.sqlite";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(foreign.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE customers(name TEXT); INSERT INTO customers VALUES ('x');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  std::string before = read_all(foreign);
  RunResult result = run_newsidx({"--db", foreign.string(), "ingest", (dir / "good.txt").string()}, dir.path());
  CHECK(result.status == 2);
  CHECK(result.err.find("another program") != std::string::npos);
  CHECK(read_all(foreign) == before);
}

TEST_CASE("an archive from a newer newsidx is refused", "[e2e][archive][bad-input]") {
  TempDir dir;
  dir.write("good.txt", k_article);
  std::string db_path = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db_path, "ingest", (dir / "good.txt").string()}, dir.path()).status == 0);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  RunResult result = run_newsidx({"--db", db_path, "search", "port"}, dir.path());
  CHECK(result.status == 2);
  CHECK(result.err.find("newer newsidx") != std::string::npos);
}

TEST_CASE("invalid UTF-8 is replaced with a warning naming the file", "[e2e][ingest][encoding]") {
  TempDir dir;
  // Mostly UTF-8 with one stray byte: not a legacy encoding, just damaged.
  dir.write("damaged.txt", "Ceasefire Talks Resume\n\nNegotiators met in Geneva on Tuesday \xE2\x80\x94 "
                           "and again \xFF on Wednesday \xE2\x80\x94 to discuss a ceasefire.\n");
  std::string db = (dir / "a.db").string();
  RunResult result = run_newsidx({"--db", db, "ingest", (dir / "damaged.txt").string()}, dir.path());
  INFO(result.err);
  CHECK(result.status == 0);
  CHECK(result.err.find("damaged.txt") != std::string::npos);
  RunResult search = run_newsidx({"--db", db, "search", "ceasefire", "--format", "jsonl"}, dir.path());
  CHECK(parse_jsonl(search.out).size() == 1);
}

TEST_CASE("usage errors are one line with status 2", "[e2e][cli]") {
  TempDir dir;
  for (auto args : std::vector<std::vector<std::string>>{{"frobnicate"},
                                                        {"search"},
                                                        {"ingest"},
                                                        {"search", "x", "--limit", "many"},
                                                        {"search", "x", "--format", "xml"},
                                                        {"--bogus"}}) {
    RunResult result = run_newsidx(args, dir.path());
    INFO(args.front());
    CHECK(result.status == 2);
    CHECK(result.err.rfind("newsidx: error: ", 0) == 0);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  RunResult help = run_newsidx({"search", "--help"}, dir.path());
  CHECK(help.status == 0);
  CHECK(help.out.find("--since") != std::string::npos);
  RunResult version = run_newsidx({"--version"}, dir.path());
  CHECK(version.out.rfind("newsidx ", 0) == 0);
}

namespace {

// Runs newsidx as the unprivileged user "nobody", so permissions apply even when the
// tests run as root (as CI does). Returns false when setpriv is not available.
bool setpriv_available() { return std::system("command -v setpriv >/dev/null 2>&1") == 0; }

std::string as_nobody(const std::string& args) {
  return "setpriv --reuid=65534 --regid=65534 --clear-groups \"$NEWSIDX\" " + args;
}

} // namespace

TEST_CASE("unreadable files and directories are reported to an unprivileged user", "[e2e][ingest][bad-input]") {
  if (::geteuid() != 0 || !setpriv_available()) {
    SUCCEED("needs root and setpriv to switch to an unprivileged user");
    return;
  }
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  dir.write("in/good.txt", k_article);
  fs::path secret = dir.write("in/secret.txt", k_article + "secret\n");
  fs::path closed = dir.write("in/closed/inside.txt", k_article + "inside\n");
  fs::permissions(dir / "in", fs::perms::all);
  fs::permissions(dir / "in/good.txt", fs::perms::owner_read | fs::perms::others_read);
  fs::permissions(secret, fs::perms::none);
  fs::permissions(dir / "in/closed", fs::perms::none);
  fs::create_directories(dir / "db");
  fs::permissions(dir / "db", fs::perms::all);
  RunResult result = run_shell(as_nobody("--db db/a.db ingest in"), dir.path());
  INFO(result.err);
  CHECK(result.status == 3);
  CHECK(count_lines_with(result.err, "secret.txt") == 1);
  CHECK(count_lines_with(result.err, "closed") == 1);
  CHECK(result.err.find("Permission denied") != std::string::npos);
  CHECK(result.err.find("1 added") != std::string::npos);
}

TEST_CASE("a read-only archive is refused with a clear error and left as it was", "[e2e][archive][bad-input]") {
  if (::geteuid() != 0 || !setpriv_available()) {
    SUCCEED("needs root and setpriv to switch to an unprivileged user");
    return;
  }
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  dir.write("good.txt", k_article);
  dir.write("more.txt", "Another Headline\n\nMay 9, 2025\n\nA second story about the harbour authority.\n");
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", (dir / "good.txt").string()}, dir.path()).status == 0);
  fs::permissions(dir / "more.txt", fs::perms::all);
  std::string before = read_all(db);
  RunResult result = run_shell(as_nobody("--db a.db ingest more.txt"), dir.path());
  INFO(result.err);
  CHECK(result.status == 2);
  CHECK(result.err.rfind("newsidx: error: ", 0) == 0);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(result.err.find("a.db") != std::string::npos);
  CHECK(read_all(db) == before);
  // Searching a read-only archive still works.
  RunResult search = run_shell(as_nobody("--db a.db search Rotterdam --count"), dir.path());
  CHECK(search.out == "1\n");
}

TEST_CASE("a full disk stops the ingest with a clear error and keeps what was stored", "[e2e][archive][bad-input]") {
  TempDir dir;
  dir.write("first.txt", k_article);
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", (dir / "first.txt").string()}, dir.path()).status == 0);
  for (int i = 0; i < 300; ++i) {
    std::string text = "Bulk Story " + std::to_string(i) + "\n\nMay 9, 2025\n\n";
    for (int p = 0; p < 20; ++p) text += "Paragraph " + std::to_string(p) + " of bulk story " + std::to_string(i) + " talks about cargo, cranes and quays at length. ";
    dir.write("bulk/" + std::to_string(i) + ".txt", text + "\n");
  }
  // The file size limit stands in for a full disk: writes past it fail with EFBIG.
  RunResult full = run_shell("trap '' XFSZ; ulimit -f 400; \"$NEWSIDX\" --db a.db ingest bulk --batch-size 20", dir.path());
  INFO(full.err);
  CHECK(full.status == 2);
  CHECK(full.err.find("newsidx: error: ") != std::string::npos);
  CHECK(full.err.find("a.db") != std::string::npos);
  RunResult check = run_newsidx({"--db", db, "check", "--format", "json"}, dir.path());
  INFO(check.out);
  CHECK(nlohmann::json::parse(check.out).at("ok") == true);
  CHECK(run_newsidx({"--db", db, "search", "Rotterdam", "--count"}, dir.path()).out == "1\n");
  // With room again, the same ingest completes.
  RunResult again = run_newsidx({"--db", db, "ingest", (dir / "bulk").string()}, dir.path());
  CHECK(again.status == 0);
  CHECK(run_newsidx({"--db", db, "search", "bulk", "--count"}, dir.path()).out == "300\n");
}
