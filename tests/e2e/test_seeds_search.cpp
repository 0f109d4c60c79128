// End-to-end: ingest the five seed articles and search them the way the README does.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace newsidx::e2e;

namespace {

// Ingests the seeds into DIR/archive.db and returns the --db argument.
std::string ingest_seeds(const TempDir& dir) {
  std::string db = (dir / "archive.db").string();
  RunResult result = run_newsidx({"--db", db, "ingest", seeds_dir()}, dir.path());
  INFO(result.err);
  REQUIRE(result.status == 0);
  REQUIRE(result.err.find("5 added") != std::string::npos);
  return db;
}

std::set<std::string> seed_numbers(const std::vector<nlohmann::json>& rows) {
  std::set<std::string> numbers;
  for (const auto& row : rows) {
    std::string path = row.at("path").get<std::string>();
    numbers.insert(path.substr(path.rfind('/') + 1, 3));
  }
  return numbers;
}

} // namespace

TEST_CASE("Victory Day finds exactly seeds 001 002 and 003", "[e2e][search]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult result = run_newsidx({"search", "Victory Day", "--format", "jsonl", "--db", db}, dir.path());
  INFO(result.err);
  REQUIRE(result.status == 0);
  auto rows = parse_jsonl(result.out);
  CHECK(seed_numbers(rows) == std::set<std::string>{"001", "002", "003"});
  for (const auto& row : rows) {
    for (const char* key : {"id", "path", "title", "date", "source", "authors", "score", "snippet"}) {
      CHECK(row.contains(key));
    }
    CHECK(row.at("authors").is_array());
    CHECK(row.at("snippet").get<std::string>().find("**") != std::string::npos);
  }
  // Ranked: scores never increase down the list.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i - 1].at("score").get<double>() >= rows[i].at("score").get<double>());
  }
}

TEST_CASE("the db option works before and after the command", "[e2e][cli]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult before = run_newsidx({"--db", db, "search", "Kremlin", "--format", "jsonl"}, dir.path());
  RunResult after = run_newsidx({"search", "Kremlin", "--format", "jsonl", "--db=" + db}, dir.path());
  REQUIRE(before.status == 0);
  CHECK(before.out == after.out);
}

TEST_CASE("the default archive is under XDG_DATA_HOME or NEWSIDX_DB", "[e2e][cli]") {
  TempDir dir;
  RunResult ingest = run_newsidx({"ingest", seeds_dir()}, dir.path(),
                                 "XDG_DATA_HOME=" + shell_quote((dir / "xdg").string()));
  REQUIRE(ingest.status == 0);
  CHECK(std::filesystem::exists(dir / "xdg/newsidx/archive.db"));
  RunResult via_env = run_newsidx({"search", "Kremlin", "--count"}, dir.path(),
                                  "NEWSIDX_DB=" + shell_quote((dir / "xdg/newsidx/archive.db").string()));
  CHECK(via_env.status == 0);
}

TEST_CASE("since leaves out older and undated articles", "[e2e][search][dates]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult all = run_newsidx({"--db", db, "search", "Putin", "--format", "jsonl", "--limit", "100"}, dir.path());
  REQUIRE(all.status == 0);
  auto every = parse_jsonl(all.out);
  REQUIRE(every.size() >= 3);
  RunResult since = run_newsidx({"--db", db, "search", "Putin", "--since", "2025-01-01", "--format", "jsonl"}, dir.path());
  auto rows = parse_jsonl(since.out);
  for (const auto& row : rows) {
    REQUIRE_FALSE(row.at("date").is_null());
    CHECK(row.at("date").get<std::string>() >= "2025");
  }
  CHECK(rows.size() < every.size());
  // Seed 001 is dated 2025-05-08 in its text.
  CHECK(seed_numbers(rows).count("001") == 1);
  // --until 2025-05 includes the whole of May.
  RunResult until = run_newsidx({"--db", db, "search", "Putin", "--since", "2025-05", "--until", "2025-05", "--format", "jsonl"}, dir.path());
  CHECK(seed_numbers(parse_jsonl(until.out)).count("001") == 1);
  RunResult before = run_newsidx({"--db", db, "search", "Putin", "--until", "2025-05-07", "--format", "jsonl"}, dir.path());
  CHECK(before.status == 1);
  CHECK(parse_jsonl(before.out).empty());
}

TEST_CASE("exit status 0 on a match 1 on none 2 on an error", "[e2e][cli]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  CHECK(run_newsidx({"--db", db, "search", "Kremlin"}, dir.path()).status == 0);
  RunResult none = run_newsidx({"--db", db, "search", "xylophone"}, dir.path());
  CHECK(none.status == 1);
  CHECK(none.out.empty());
  RunResult bad = run_newsidx({"--db", db, "search", "Kremlin", "--since", "May"}, dir.path());
  CHECK(bad.status == 2);
  CHECK(bad.err.rfind("newsidx: error: ", 0) == 0);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  RunResult missing = run_newsidx({"--db", (dir / "none.db").string(), "search", "Kremlin"}, dir.path());
  CHECK(missing.status == 2);
  CHECK(missing.err.find("none.db") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "none.db"));
}

TEST_CASE("no user query reaches SQLite as syntax", "[e2e][search][query]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  const char* queries[] = {"\"", "\"Victory", "C++", "AND", "OR", "NOT", "(", ")", "((Putin",
                           "Putin)", "-", "*", "Xi*", "NEAR(", "NEAR(Xi Putin, 3)", "title:",
                           "a:b", "Putin AND AND Xi", "OR Putin", "Putin OR", "\xF0\x9F\x98\x80",
                           "'", "Putin -Xi", "\"\"", "^Putin", "Putin:", "col:umn", "{x}", "x NEAR y",
                           "source:", "date:20x", "\\", "%", "_", "title:(Putin OR Xi)"};
  for (const char* query : queries) {
    INFO("query: " << query);
    RunResult result = run_newsidx({"--db", db, "search", query}, dir.path());
    CHECK(result.status >= 0);
    CHECK(result.status <= 2);
    if (result.status == 2) {
      CHECK(result.err.rfind("newsidx: error: ", 0) == 0);
      CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    }
    std::string lower = result.err;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    CHECK(lower.find("fts5") == std::string::npos);
    CHECK(lower.find("sqlite") == std::string::npos);
  }
  // Phrases are phrases: the words in another order do not match.
  CHECK(run_newsidx({"--db", db, "search", "\"Day Victory\""}, dir.path()).status == 1);
  CHECK(run_newsidx({"--db", db, "search", "\"Victory Day\""}, dir.path()).status == 0);
}

TEST_CASE("output formats parse", "[e2e][output]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult json = run_newsidx({"--db", db, "search", "Xi", "--format", "json"}, dir.path());
  REQUIRE(json.status == 0);
  auto array = nlohmann::json::parse(json.out);
  REQUIRE(array.is_array());
  CHECK(array.size() == 5);
  RunResult limited = run_newsidx({"--db", db, "search", "Xi", "--format", "jsonl", "--limit", "2"}, dir.path());
  CHECK(parse_jsonl(limited.out).size() == 2);
  RunResult tsv = run_newsidx({"--db", db, "search", "Xi", "--format", "tsv"}, dir.path());
  CHECK(tsv.out.rfind("id\tdate\tsource\ttitle\tpath\tscore\tsnippet\n", 0) == 0);
  CHECK(std::count(tsv.out.begin(), tsv.out.end(), '\n') == 6);
  RunResult csv = run_newsidx({"--db", db, "search", "Xi", "--format", "csv"}, dir.path());
  CHECK(csv.out.rfind("id,date,source,title,path,score,snippet\n", 0) == 0);
  RunResult count = run_newsidx({"--db", db, "search", "Xi", "--count"}, dir.path());
  CHECK(count.out == "5\n");
}

TEST_CASE("colour only when asked or on a terminal and never with NO_COLOR", "[e2e][output]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult piped = run_newsidx({"--db", db, "search", "Kremlin"}, dir.path());
  CHECK(piped.out.find('\x1b') == std::string::npos);
  CHECK(piped.out.find("**") != std::string::npos);  // matches are still marked
  RunResult forced = run_newsidx({"--db", db, "search", "Kremlin", "--color", "always"}, dir.path());
  CHECK(forced.out.find('\x1b') != std::string::npos);
  RunResult no_color = run_newsidx({"--db", db, "search", "Kremlin", "--color", "auto"}, dir.path(), "NO_COLOR=1");
  CHECK(no_color.out.find('\x1b') == std::string::npos);
}

TEST_CASE("a closed pipe ends quietly", "[e2e][output]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  // Enough output to fill the pipe: every article, many times over via jsonl bodies.
  RunResult result = run_shell("\"$NEWSIDX\" --db " + shell_quote(db) +
                                 " search Putin --limit 1000 --format jsonl | head -c 1 >/dev/null;"
                                 " echo \"status=${PIPESTATUS[0]}\"",
                               dir.path());
  CHECK(result.out.find("status=0") != std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("re-ingesting the same files changes nothing", "[e2e][ingest]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult again = run_newsidx({"--db", db, "ingest", seeds_dir()}, dir.path());
  CHECK(again.status == 0);
  CHECK(again.err.find("0 added, 0 updated, 5 unchanged") != std::string::npos);
  RunResult stats = run_newsidx({"--db", db, "stats", "--format", "json"}, dir.path());
  auto json = nlohmann::json::parse(stats.out);
  CHECK(json.at("articles") == 5);
  CHECK(json.at("undated") == 4);
  CHECK(json.at("first_date") == "2025-05-08");
}

TEST_CASE("show prints a stored article by id and by path", "[e2e][show]") {
  TempDir dir;
  std::string db = ingest_seeds(dir);
  RunResult search = run_newsidx({"--db", db, "search", "\"Full Pomp\"", "--format", "jsonl"}, dir.path());
  auto rows = parse_jsonl(search.out);
  REQUIRE(rows.size() == 1);
  std::string id = std::to_string(rows[0].at("id").get<long long>());
  RunResult show = run_newsidx({"--db", db, "show", id, "--format", "json"}, dir.path());
  REQUIRE(show.status == 0);
  auto article = nlohmann::json::parse(show.out);
  CHECK(article.at("title") == "Watch: Putin Courts Xi With Full Pomp");
  CHECK(article.at("source") == "Newsweek");
  RunResult by_path = run_newsidx({"--db", db, "show", rows[0].at("path").get<std::string>(), "--format", "json"}, dir.path());
  CHECK(nlohmann::json::parse(by_path.out).at("id") == article.at("id"));
  CHECK(run_newsidx({"--db", db, "show", "42"}, dir.path()).status == 1);
}

TEST_CASE("extract prints the seed fields as JSON", "[e2e][extract]") {
  TempDir dir;
  RunResult result = run_newsidx({"extract", "--format", "jsonl", seeds_dir() + "/001_8cd6eda204933755.txt",
                                  seeds_dir() + "/003_4acfc88bc3207a38.txt"}, dir.path());
  INFO(result.err);
  REQUIRE(result.status == 0);
  auto rows = parse_jsonl(result.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("title") == "Watch: Putin Courts Xi With Full Pomp");
  CHECK(rows[0].at("authors") == nlohmann::json::array({"Shane Croucher"}));
  CHECK(rows[0].at("date") == "2025-05-08");
  CHECK(rows[0].at("date_precision") == "day");
  CHECK(rows[1].at("title").is_null());
  CHECK_FALSE(rows[1].at("title_derived").get<std::string>().empty());
  CHECK(rows[1].at("date").is_null());
  CHECK(rows[1].at("dateline") == "MOSCOW");
  CHECK(rows[1].at("source") == "The Associated Press");
}

TEST_CASE("extract --explain gives every paragraph's score and marks the body's",
          "[e2e][extract]") {
  TempDir dir;
  const std::string seed = seeds_dir() + "/001_8cd6eda204933755.txt";
  RunResult plain = run_newsidx({"extract", "--format", "jsonl", seed}, dir.path());
  RunResult result = run_newsidx({"extract", "--explain", "--format", "jsonl", seed}, dir.path());
  INFO(result.err);
  REQUIRE(result.status == 0);
  auto rows = parse_jsonl(result.out);
  REQUIRE(rows.size() == 1);
  auto article = rows[0];
  const nlohmann::json paragraphs = article.at("paragraphs");
  article.erase("paragraphs");
  CHECK(article == parse_jsonl(plain.out).at(0)); // the same extraction, explained
  REQUIRE(paragraphs.size() > 5);
  std::string kept;
  int dropped = 0;
  for (const auto& p : paragraphs) {
    CHECK(p.at("features").size() == 9);
    CHECK(p.at("features").contains("title_case"));
    CHECK(p.at("score").is_number());
    CHECK(p.at("rule_score").is_number());
    CHECK(p.at("kind").is_string());
    CHECK(p.at("words").is_number_integer());
    if (p.at("in_body").get<bool>()) {
      kept += (kept.empty() ? "" : "\n\n") + p.at("text").get<std::string>();
    } else {
      ++dropped;
    }
  }
  CHECK(dropped > 0); // the page's navigation and appeals
  // The body is the kept paragraphs (the first may have lost its dateline).
  const std::string body = article.at("body").get<std::string>();
  CHECK(body.substr(body.size() - 200) == kept.substr(kept.size() - 200));
  RunResult text = run_newsidx({"extract", "--explain", seed}, dir.path());
  CHECK(text.out.find("paragraphs (+ kept in the body") != std::string::npos);
}
