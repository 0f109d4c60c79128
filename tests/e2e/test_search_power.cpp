// End-to-end: the query language, date expressions, ranking and sorting, output for
// pipelines and the listing subcommands, against a dated fixture archive the test builds.
#include "dated_archive.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace newsidx::e2e;

namespace {

int count_of(const DatedArchive& archive, const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> full = {"--db", archive.db, "search"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--count");
  RunResult result = run_newsidx(full, dir.path());
  INFO(result.err);
  REQUIRE((result.status == 0 || result.status == 1));
  return std::stoi(result.out);
}

bool between(const std::string& date, const std::string& from, const std::string& to) {
  return !date.empty() && date >= from && date <= to;
}

} // namespace

TEST_CASE("query language forms count what they should", "[e2e][query-language]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  int n = static_cast<int>(a.articles.size());
  auto topic = [](const char* t) { return [t](const FixtureArticle& x) { return x.topic == t; }; };
  CHECK(count_of(a, dir, {"harbour"}) == a.count(topic("harbour")));
  CHECK(count_of(a, dir, {"harbour OR drought"}) == a.count(topic("harbour")) + a.count(topic("drought")));
  CHECK(count_of(a, dir, {"officials -harbour"}) == n - a.count(topic("harbour")));
  CHECK(count_of(a, dir, {"officials NOT (harbour OR drought)"}) ==
        n - a.count(topic("harbour")) - a.count(topic("drought")));
  CHECK(count_of(a, dir, {"harb*"}) == a.count(topic("harbour")));
  CHECK(count_of(a, dir, {"\"regional council meeting\""}) == n);
  CHECK(count_of(a, dir, {"NEAR(officials residents, 30)"}) == n);
  CHECK(count_of(a, dir, {"NEAR(officials interviews, 3)"}) == 0);
  CHECK(count_of(a, dir, {"title:vaccine"}) == a.count(topic("vaccine")));
  CHECK(count_of(a, dir, {"officials source:\"gotham gazette\""}) ==
        a.count([](const FixtureArticle& x) { return x.source == "Gotham Gazette"; }));
  CHECK(count_of(a, dir, {"officials -source:gotham"}) ==
        a.count([](const FixtureArticle& x) { return x.source != "Gotham Gazette"; }));
  CHECK(count_of(a, dir, {"author:kent"}) ==
        a.count([](const FixtureArticle& x) { return x.author == "Clark Kent"; }));
  CHECK(count_of(a, dir, {"dateline:berlin"}) ==
        a.count([](const FixtureArticle& x) { return x.dateline == "BERLIN"; }));
  CHECK(count_of(a, dir, {"lang:en"}) == n);
  CHECK(count_of(a, dir, {"officials date:2024-02"}) ==
        a.count([](const FixtureArticle& x) { return x.date.rfind("2024-02", 0) == 0 || x.date == "2024"; }));
  CHECK(count_of(a, dir, {"officials date:2023..2023"}) ==
        a.count([](const FixtureArticle& x) { return x.date.rfind("2023", 0) == 0; }));
  CHECK(count_of(a, dir, {"officials date:..2023"}) ==
        a.count([](const FixtureArticle& x) { return x.date.rfind("2023", 0) == 0; }));
  CHECK(count_of(a, dir, {"officials date:2025.."}) ==
        a.count([](const FixtureArticle& x) { return !x.date.empty() && x.date >= "2025"; }));
}

TEST_CASE("dates round as a person means them and coarse dates overlap", "[e2e][dates]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  // --until 2024-02 includes 29 Feb; month- and year-precision articles overlap their range.
  int expected = a.count([](const FixtureArticle& x) {
    return between(x.date, "2024-02-01", "2024-02-29") || x.date == "2024";
  });
  CHECK(count_of(a, dir, {"officials", "--since", "2024-02", "--until", "2024-02"}) == expected);
  // 2024-03 (month only) overlaps 10-20 March; the year-only 2023 article does not.
  int march = a.count([](const FixtureArticle& x) {
    return between(x.date, "2024-03-10", "2024-03-20") || x.date == "2024-03";
  });
  CHECK(count_of(a, dir, {"officials", "--since", "2024-03-10", "--until", "2024-03-20"}) == march);
  int undated = a.count([](const FixtureArticle& x) { return x.date.empty(); });
  CHECK(count_of(a, dir, {"officials", "--since", "2024-03-10", "--until", "2024-03-20", "--include-undated"}) ==
        march + undated);
  // Relative forms.
  CHECK(count_of(a, dir, {"officials", "--since", "today"}) == 1);
  CHECK(count_of(a, dir, {"officials", "--since", "yesterday"}) == 2);
  CHECK(count_of(a, dir, {"officials", "--since", "7d"}) == 2);
  CHECK(count_of(a, dir, {"officials", "--since", "2w"}) == 3);
  CHECK(count_of(a, dir, {"officials", "--since", "2m"}) == 4);
  CHECK(count_of(a, dir, {"officials", "--until", "yesterday", "--since", "yesterday"}) == 1);
  // Month and year precision are shown as such in text output.
  RunResult text = run_newsidx({"--db", a.db, "search", "officials", "date:2024-07", "--limit", "100"}, dir.path());
  CHECK(text.out.find("2024-07 (month only)") != std::string::npos);
}

TEST_CASE("sorting and paging", "[e2e][ranking]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  auto rows = parse_jsonl(run_newsidx({"--db", a.db, "search", "officials", "--sort", "date", "--limit", "-1",
                                       "--format", "jsonl", "--fields", "id,date"}, dir.path()).out);
  REQUIRE(rows.size() == a.articles.size());
  std::string previous;
  for (const auto& row : rows) {
    if (row.at("date").is_null()) continue;  // undated sort last
    std::string date = row.at("date").get<std::string>();
    CHECK(date.substr(0, 4) >= previous.substr(0, std::min<std::size_t>(4, previous.size())));
    previous = date;
    CHECK(row.size() == 2);
  }
  CHECK(rows.back().at("date").is_null());
  auto newest = parse_jsonl(run_newsidx({"--db", a.db, "search", "officials", "--sort", "-date", "--limit", "1",
                                         "--format", "jsonl"}, dir.path()).out);
  CHECK(newest.at(0).at("date") == days_ago(0));
  auto page2 = parse_jsonl(run_newsidx({"--db", a.db, "search", "officials", "--sort", "date", "--limit", "5",
                                        "--offset", "5", "--format", "jsonl", "--fields", "id"}, dir.path()).out);
  REQUIRE(page2.size() == 5);
  CHECK(page2.at(0).at("id") == rows.at(5).at("id"));
  // Recency boost: among equally relevant articles the newest comes first.
  auto recent = parse_jsonl(run_newsidx({"--db", a.db, "search", "officials", "--recent", "30", "--limit", "1",
                                         "--format", "jsonl"}, dir.path()).out);
  CHECK(recent.at(0).at("date") == days_ago(0));
  CHECK(run_newsidx({"--db", a.db, "search", "x", "--recent", "-3"}, dir.path()).status == 2);
}

TEST_CASE("output for pipelines", "[e2e][output]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  RunResult nul = run_newsidx({"--db", a.db, "search", "harbour", "-0", "--limit", "-1"}, dir.path());
  CHECK(static_cast<int>(std::count(nul.out.begin(), nul.out.end(), '\0')) ==
        a.count([](const FixtureArticle& x) { return x.topic == "harbour"; }));
  CHECK(nul.out.find('\n') == std::string::npos);
  RunResult tsv = run_newsidx({"--db", a.db, "search", "harbour", "--format", "tsv", "--fields", "date,source"}, dir.path());
  CHECK(tsv.out.rfind("date\tsource\n", 0) == 0);
  RunResult bad = run_newsidx({"--db", a.db, "search", "harbour", "--fields", "date,colour"}, dir.path());
  CHECK(bad.status == 2);
  CHECK(bad.err.find("colour") != std::string::npos);
  RunResult json_count = run_newsidx({"--db", a.db, "search", "harbour", "--count", "--format", "json"}, dir.path());
  CHECK(nlohmann::json::parse(json_count.out).at("count") ==
        a.count([](const FixtureArticle& x) { return x.topic == "harbour"; }));
}

TEST_CASE("timeline by month counts what the fixture holds", "[e2e][timeline]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  auto rows = parse_jsonl(run_newsidx({"--db", a.db, "timeline", "officials", "--by", "month", "--since", "2024-01",
                                       "--until", "2024-12", "--format", "jsonl"}, dir.path()).out);
  REQUIRE(rows.size() == 12);
  for (const auto& row : rows) {
    std::string month = row.at("period");
    int expected = a.count([&](const FixtureArticle& x) { return x.date.rfind(month, 0) == 0; });
    INFO(month);
    CHECK(row.at("count") == expected);
  }
  RunResult text = run_newsidx({"--db", a.db, "timeline", "--by", "year"}, dir.path());
  CHECK(text.status == 0);
  CHECK(text.out.find("2024") != std::string::npos);
  CHECK(text.out.find("\xE2\x96\x88") != std::string::npos);
  CHECK(text.out.find("undated") != std::string::npos);
  for (const char* by : {"day", "week"}) {
    CHECK(run_newsidx({"--db", a.db, "timeline", "officials", "--by", by, "--since", "2024-01", "--until", "2024-02"},
                      dir.path()).status == 0);
  }
  CHECK(run_newsidx({"--db", a.db, "timeline", "zyzzyva"}, dir.path()).status == 1);
  CHECK(run_newsidx({"--db", a.db, "timeline", "--by", "fortnight"}, dir.path()).status == 2);
}

TEST_CASE("sources, export, similar, show and stats", "[e2e][subcommands]") {
  TempDir dir;
  DatedArchive a = build_dated_archive(dir);
  auto sources = parse_jsonl(run_newsidx({"--db", a.db, "sources", "--format", "jsonl"}, dir.path()).out);
  REQUIRE(sources.size() == 3);
  int total = 0;
  for (const auto& row : sources) total += row.at("articles").get<int>();
  CHECK(total == static_cast<int>(a.articles.size()));

  auto everything = parse_jsonl(run_newsidx({"--db", a.db, "export"}, dir.path()).out);
  CHECK(everything.size() == a.articles.size());
  CHECK(everything.at(0).contains("body"));
  auto harbour = parse_jsonl(run_newsidx({"--db", a.db, "export", "harbour", "--fields", "id,title"}, dir.path()).out);
  CHECK(static_cast<int>(harbour.size()) == a.count([](const FixtureArticle& x) { return x.topic == "harbour"; }));
  RunResult csv = run_newsidx({"--db", a.db, "export", "--format", "csv", "--fields", "id,date,title"}, dir.path());
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == static_cast<long>(a.articles.size()) + 1);

  std::string id = std::to_string(harbour.at(0).at("id").get<long long>());
  RunResult similar = run_newsidx({"--db", a.db, "similar", id, "--format", "jsonl", "--limit", "5"}, dir.path());
  INFO(similar.err);
  CHECK(similar.status == 0);
  auto alike = parse_jsonl(similar.out);
  REQUIRE(!alike.empty());
  for (const auto& row : alike) CHECK(row.at("id") != harbour.at(0).at("id"));
  CHECK(alike.at(0).at("title").get<std::string>().find("harbour") != std::string::npos);
  CHECK(run_newsidx({"--db", a.db, "similar", "123"}, dir.path()).status == 2);

  auto stats = nlohmann::json::parse(run_newsidx({"--db", a.db, "stats", "--format", "json"}, dir.path()).out);
  for (const char* key : {"articles", "sources", "undated", "first_date", "last_date", "index_bytes"}) CHECK(stats.contains(key));
  CHECK(stats.at("undated") == a.count([](const FixtureArticle& x) { return x.date.empty(); }));
  CHECK(stats.at("first_date") == "2023");
  // A small archive's index: one segment per ingest batch, nothing merged yet.
  CHECK(stats.at("index_segments").get<int>() >= 1);
}

TEST_CASE("every command has help, and completion and man come from the same definitions", "[e2e][cli]") {
  TempDir dir;
  for (const char* command : {"ingest", "search", "extract", "show", "similar", "timeline", "sources",
                              "export", "stats", "check", "optimize", "completion", "man"}) {
    INFO(command);
    RunResult help = run_newsidx({command, "--help"}, dir.path());
    CHECK(help.status == 0);
    CHECK(help.out.find("usage: newsidx") == 0);
    RunResult via_help = run_newsidx({"help", command}, dir.path());
    CHECK(via_help.out == help.out);
  }
  RunResult bash = run_newsidx({"completion", "bash"}, dir.path());
  CHECK(bash.out.find("complete -o filenames -F _newsidx newsidx") != std::string::npos);
  CHECK(bash.out.find("--include-undated") != std::string::npos);
  RunResult check_syntax = run_shell("\"$NEWSIDX\" completion bash > c.bash && bash -n c.bash && echo fine", dir.path());
  CHECK(check_syntax.out == "fine\n");
  RunResult zsh = run_newsidx({"completion", "zsh"}, dir.path());
  CHECK(zsh.out.rfind("#compdef newsidx", 0) == 0);
  RunResult man = run_newsidx({"man"}, dir.path());
  CHECK(man.out.rfind(".TH NEWSIDX 1", 0) == 0);
  CHECK(man.out.find("\\-\\-since") != std::string::npos);
}
