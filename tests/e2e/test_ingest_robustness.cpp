// End-to-end: ingest never loses work. SIGKILL at random points, searches while an ingest
// writes, a second ingest at the same time, odd file names, --files-from, --prune, moves.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace newsidx::e2e;
namespace fs = std::filesystem;

namespace {

// Writes `count` distinct small articles under dir/corpus and returns that directory.
fs::path generate_corpus(const TempDir& dir, int count, unsigned seed = 7) {
  static const char* words[] = {"port", "harbour", "minister", "election", "ceasefire", "talks",
                                "market", "shares", "river", "flood", "summit", "budget",
                                "court", "ruling", "strike", "union", "oil", "grain", "rail",
                                "bridge", "school", "vaccine", "storm", "border"};
  static const char* months[] = {"January", "February", "March", "April", "May", "June",
                                 "July", "August", "September", "October", "November", "December"};
  std::mt19937 random(seed);
  fs::path root = dir / "corpus";
  for (int i = 0; i < count; ++i) {
    std::string text = "Report " + std::to_string(i) + " on " + words[random() % 24] + "\n\n";
    text += std::string(months[random() % 12]) + " " + std::to_string(1 + random() % 28) + ", " +
            std::to_string(2000 + random() % 25) + "\n\n";
    for (int p = 0; p < 3; ++p) {
      for (int w = 0; w < 40; ++w) {
        text += words[random() % 24];
        text += w % 12 == 11 ? ". " : " ";
      }
      text += "Item " + std::to_string(i) + " paragraph " + std::to_string(p) + ".\n\n";
    }
    dir.write("corpus/" + std::to_string(i / 500) + "/article-" + std::to_string(i) + ".txt", text);
  }
  return root;
}

// Starts `newsidx ARGS...` in the background with stdout/stderr discarded.
pid_t spawn_newsidx(const std::vector<std::string>& args) {
  std::vector<std::string> all = {binary_path()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool running(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == 0;
}

nlohmann::json check_archive(const std::string& db, const fs::path& dir) {
  RunResult check = run_newsidx({"--db", db, "check", "--format", "json"}, dir);
  INFO(check.err);
  REQUIRE(!check.out.empty());
  return nlohmann::json::parse(check.out);
}

} // namespace

TEST_CASE("SIGKILL at random points never corrupts and a re-run completes the work", "[e2e][ingest][crash]") {
  TempDir dir;
  fs::path corpus = generate_corpus(dir, 3000);
  std::string db = (dir / "a.db").string();
  // The first run is killed a few milliseconds after its write-ahead log passes 256 KiB (a
  // few batches in, many to go), so one kill always lands mid-run however fast or loaded the
  // machine is. Later runs, resuming with less to do, are killed at a random 0-30% of the
  // time a whole ingest takes here (measured first, into a scratch archive), or finish.
  auto started = std::chrono::steady_clock::now();
  REQUIRE(run_newsidx({"--db", (dir / "scratch.db").string(), "ingest", corpus.string(),
                       "--batch-size", "50", "--quiet"},
                      dir.path())
              .status == 0);
  const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  std::mt19937 random(42);
  std::uniform_real_distribution<double> share(0.0, 0.3);
  int killed_mid_run = 0;
  for (int run = 0; run < 5; ++run) {
    pid_t pid = spawn_newsidx({"--db", db, "ingest", corpus.string(), "--batch-size", "50", "--quiet"});
    if (run == 0) {
      const fs::path wal = db + "-wal";
      for (int wait = 0; wait < 20000 && running(pid); ++wait) {
        std::error_code ec;
        if (fs::exists(wal, ec) && fs::file_size(wal, ec) >= 256 * 1024 && !ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 20));
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(
          static_cast<std::int64_t>(share(random) * static_cast<double>(whole.count()))));
    }
    if (running(pid)) {
      ::kill(pid, SIGKILL);
      ++killed_mid_run;
    }
    wait_for(pid);
    if (!fs::exists(db)) continue;  // killed before the archive was created
    auto report = check_archive(db, dir.path());
    CHECK(report.at("integrity") == "ok");
    CHECK(report.at("fts") == "ok");
    CHECK(report.at("orphan_articles") == 0);
  }
  CHECK(killed_mid_run > 0);
  RunResult finish = run_newsidx({"--db", db, "ingest", corpus.string(), "--quiet"}, dir.path());
  INFO(finish.err);
  CHECK(finish.status == 0);
  auto stats = nlohmann::json::parse(run_newsidx({"--db", db, "stats", "--format", "json"}, dir.path()).out);
  CHECK(stats.at("articles") == 3000);
  CHECK(stats.at("files") == 3000);
  auto report = check_archive(db, dir.path());
  CHECK(report.at("ok") == true);
  // And every article is findable by its own number.
  RunResult one = run_newsidx({"--db", db, "search", "\"Item 2999 paragraph 0\"", "--count"}, dir.path());
  CHECK(one.out == "1\n");
}

TEST_CASE("Ctrl-C stops after the current batch and keeps it", "[e2e][ingest][crash]") {
  TempDir dir;
  fs::path corpus = generate_corpus(dir, 3000);
  std::string db = (dir / "a.db").string();
  pid_t pid = spawn_newsidx({"--db", db, "ingest", corpus.string(), "--batch-size", "20", "--jobs", "1"});
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  bool was_running = running(pid);
  ::kill(pid, SIGINT);
  int status = wait_for(pid);
  if (was_running) CHECK((status == 130 || status == 0));
  auto report = check_archive(db, dir.path());
  CHECK(report.at("ok") == true);
}

TEST_CASE("searches run while an ingest writes", "[e2e][ingest][concurrency]") {
  TempDir dir;
  fs::path corpus = generate_corpus(dir, 3000);
  std::string db = (dir / "a.db").string();
  // A first small ingest so the archive exists.
  REQUIRE(run_newsidx({"--db", db, "ingest", (corpus / "0").string(), "--quiet"}, dir.path()).status == 0);
  pid_t pid = spawn_newsidx({"--db", db, "ingest", corpus.string(), "--batch-size", "50", "--quiet"});
  int searches = 0;
  while (running(pid) || searches < 3) {
    RunResult search = run_newsidx({"--db", db, "search", "harbour", "--count"}, dir.path());
    INFO(search.err);
    CHECK(search.status == 0);
    CHECK(search.err.empty());
    ++searches;
    if (searches > 500) break;
  }
  CHECK(wait_for(pid) == 0);
  CHECK(searches >= 3);
}

TEST_CASE("a second ingest at the same time says so or waits", "[e2e][ingest][concurrency]") {
  TempDir dir;
  fs::path corpus = generate_corpus(dir, 3000);
  dir.write("extra/one.txt", "A Lone Article\n\nMarch 3, 2021\n\nNothing but a lone article about grain.\n");
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", (corpus / "0").string(), "--quiet"}, dir.path()).status == 0);
  pid_t pid = spawn_newsidx({"--db", db, "ingest", corpus.string(), "--batch-size", "20", "--jobs", "1", "--quiet"});
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  REQUIRE(running(pid));
  RunResult second = run_newsidx({"--db", db, "ingest", (dir / "extra").string()}, dir.path());
  CHECK(second.status == 2);
  CHECK(second.err.find("another newsidx is writing") != std::string::npos);
  RunResult waiting = run_newsidx({"--db", db, "ingest", (dir / "extra").string(), "--wait"}, dir.path());
  CHECK(waiting.status == 0);
  CHECK(wait_for(pid) == 0);
  auto stats = nlohmann::json::parse(run_newsidx({"--db", db, "stats", "--format", "json"}, dir.path()).out);
  CHECK(stats.at("articles") == 3001);
}

TEST_CASE("odd names and symlink loops are reported and skipped", "[e2e][ingest][bad-input]") {
  TempDir dir;
  dir.write("in/good.txt", "Good Headline\n\nMarch 3, 2021\n\nA fine article about the grain harbour.\n");
  dir.write(std::string("in/bad-\xff\xfe-name.txt"), "Bad Name\n\nAn article whose name is not UTF-8.\n");
  dir.write("in/line\nbreak.txt", "Line Break\n\nAn article whose name has a line break.\n");
  fs::create_directories(dir / "in/sub");
  fs::create_directory_symlink(dir / "in", dir / "in/sub/loop");
  fs::create_symlink("self.txt", dir / "in/self.txt");
  std::string db = (dir / "a.db").string();
  RunResult result = run_newsidx({"--db", db, "ingest", (dir / "in").string()}, dir.path());
  INFO(result.err);
  CHECK(result.status == 3);
  CHECK(result.err.find("\\xff\\xfe") != std::string::npos);
  CHECK(result.err.find("not valid UTF-8") != std::string::npos);
  CHECK(result.err.find("line break") != std::string::npos);
  CHECK(result.err.find("symlink loop") != std::string::npos);
  CHECK(result.err.find("1 added") != std::string::npos);
  // Every warning is one line.
  for (std::size_t start = 0, end; start < result.err.size(); start = end + 1) {
    end = result.err.find('\n', start);
    if (end == std::string::npos) end = result.err.size();
    CHECK(result.err.compare(start, 9, "newsidx: ") == 0);
  }
}

TEST_CASE("files-from reads paths from stdin, NUL or newline separated", "[e2e][ingest]") {
  TempDir dir;
  fs::path a = dir.write("a.txt", "First Story\n\nMarch 3, 2021\n\nThe grain harbour reopened.\n");
  fs::path b = dir.write("b c.txt", "Second Story\n\nMarch 4, 2021\n\nThe river bridge reopened.\n");
  std::string db = (dir / "a.db").string();
  RunResult nul = run_newsidx({"--db", db, "ingest", "--files-from", "-", "-0"}, dir.path(), "",
                              a.string() + std::string(1, '\0') + b.string() + std::string(1, '\0'));
  INFO(nul.err);
  CHECK(nul.status == 0);
  CHECK(nul.err.find("2 added") != std::string::npos);
  dir.write("list.txt", a.string() + "\n" + b.string() + "\n");
  RunResult lines = run_newsidx({"--db", db, "ingest", "--files-from", (dir / "list.txt").string()}, dir.path());
  CHECK(lines.err.find("2 unchanged") != std::string::npos);
}

TEST_CASE("moved files keep their article and prune forgets deleted ones", "[e2e][ingest]") {
  TempDir dir;
  fs::path corpus = generate_corpus(dir, 20);
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", corpus.string()}, dir.path()).status == 0);
  RunResult before = run_newsidx({"--db", db, "search", "\"Item 3 paragraph 0\"", "--format", "jsonl"}, dir.path());
  auto id = parse_jsonl(before.out).at(0).at("id");
  fs::rename(corpus / "0/article-3.txt", corpus / "0/renamed.txt");
  fs::remove(corpus / "0/article-4.txt");
  RunResult again = run_newsidx({"--db", db, "ingest", corpus.string(), "--prune"}, dir.path());
  INFO(again.err);
  CHECK(again.err.find("1 moved") != std::string::npos);
  CHECK(again.err.find("1 pruned") != std::string::npos);
  RunResult after = run_newsidx({"--db", db, "search", "\"Item 3 paragraph 0\"", "--format", "jsonl"}, dir.path());
  auto row = parse_jsonl(after.out).at(0);
  CHECK(row.at("id") == id);
  CHECK(row.at("path").get<std::string>().find("renamed.txt") != std::string::npos);
  CHECK(run_newsidx({"--db", db, "search", "\"Item 4 paragraph 0\""}, dir.path()).status == 1);
  CHECK(check_archive(db, dir.path()).at("ok") == true);
}

TEST_CASE("a changed file updates its article in place", "[e2e][ingest]") {
  TempDir dir;
  fs::path file = dir.write("story.txt", "Harbour Story\n\nMarch 3, 2021\n\nThe grain harbour reopened on Monday.\n");
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", file.string()}, dir.path()).status == 0);
  auto id = parse_jsonl(run_newsidx({"--db", db, "search", "harbour", "--format", "jsonl"}, dir.path()).out).at(0).at("id");
  dir.write("story.txt", "Harbour Story\n\nMarch 3, 2021\n\nThe grain harbour reopened on Tuesday after repairs.\n");
  RunResult again = run_newsidx({"--db", db, "ingest", file.string()}, dir.path());
  CHECK(again.err.find("1 updated") != std::string::npos);
  auto rows = parse_jsonl(run_newsidx({"--db", db, "search", "repairs", "--format", "jsonl"}, dir.path()).out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("id") == id);
  CHECK(run_newsidx({"--db", db, "search", "Monday"}, dir.path()).status == 1);
}

TEST_CASE("a sidecar PATH.json is read for files found in a directory and for named files",
          "[e2e][ingest]") {
  TempDir dir;
  const std::string text =
      "Harbour Story\n\nMarch 3, 2021\n\nThe grain harbour reopened on Monday.\n";
  fs::path with = dir.write("corpus/with.txt", text + "Ships came back.\n");
  dir.write("corpus/with.txt.json", R"({"date": "2019-04-05", "authors": "Ann Lee"})");
  fs::path without = dir.write("corpus/without.txt", text + "Trains came back.\n");
  fs::path named = dir.write("named.txt", text + "Buses came back.\n");
  dir.write("named.txt.json", R"({"date": "2018-01-02"})");
  std::string db = (dir / "a.db").string();
  RunResult ingest =
      run_newsidx({"--db", db, "ingest", (dir / "corpus").string(), named.string()}, dir.path());
  INFO(ingest.err);
  REQUIRE(ingest.status == 0);
  CHECK(ingest.err.find("3 added") != std::string::npos);
  auto show = [&](const fs::path& path) {
    RunResult r = run_newsidx({"--db", db, "show", path.string(), "--format", "json"}, dir.path());
    INFO(r.err);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out);
  };
  nlohmann::json a = show(with);
  CHECK(a.at("date") == "2019-04-05");
  CHECK(a.at("date_origin") == "sidecar");
  CHECK(a.at("authors").dump().find("Ann Lee") != std::string::npos);
  nlohmann::json b = show(without);
  CHECK(b.at("date") == "2021-03-03");
  CHECK(b.at("date_origin") != "sidecar");
  nlohmann::json c = show(named);
  CHECK(c.at("date") == "2018-01-02");
  CHECK(c.at("date_origin") == "sidecar");
}
