// End-to-end: articles in several languages and encodings (tests/fixtures/multilingual)
// are decoded, stored as the same UTF-8 text whatever their encoding, and found by
// inflected, unaccented, prefix and phrase queries in their own language.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace newsidx::e2e;

namespace {

std::string fixtures() { return std::string(NEWSIDX_TEST_FIXTURES) + "/multilingual"; }

std::string ingest_fixtures(const TempDir& dir) {
  std::string db = (dir / "archive.db").string();
  RunResult result = run_newsidx({"--db", db, "ingest", fixtures()}, dir.path());
  INFO(result.err);
  REQUIRE(result.status == 0);
  REQUIRE(result.err.find("10 added") != std::string::npos);
  CHECK(result.err.find("warning") == std::string::npos);
  return db;
}

// The fixture names (without .txt) a search finds.
std::set<std::string> found(const std::string& db, const std::string& query,
                            const TempDir& dir) {
  RunResult result =
    run_newsidx({"--db", db, "search", query, "--format", "jsonl", "--limit", "100"}, dir.path());
  INFO(query << ": " << result.err);
  REQUIRE((result.status == 0 || result.status == 1));
  std::set<std::string> names;
  for (const auto& row : parse_jsonl(result.out)) {
    std::string path = row.at("path").get<std::string>();
    std::string name = path.substr(path.rfind('/') + 1);
    names.insert(name.substr(0, name.size() - 4));
  }
  return names;
}

nlohmann::json show(const std::string& db, const std::string& path, const TempDir& dir) {
  RunResult result = run_newsidx({"--db", db, "show", path, "--format", "json"}, dir.path());
  INFO(path << ": " << result.err);
  REQUIRE(result.status == 0);
  return nlohmann::json::parse(result.out);
}

} // namespace

TEST_CASE("each fixture's encoding and language are recorded", "[e2e][multilingual][encoding]") {
  TempDir dir;
  std::string db = ingest_fixtures(dir);
  struct Expected {
    const char* file;
    const char* encoding;
    const char* lang;
  };
  for (Expected e : {Expected{"ru-snow-windows1251.txt", "windows-1251", "ru"},
                     Expected{"zh-bookfair-gb18030.txt", "GB18030", "zh"},
                     Expected{"fr-sanctions-utf16.txt", "UTF-16LE", "fr"},
                     Expected{"zh-metro.txt", "UTF-8", "zh"}, Expected{"ja-festival.txt", "UTF-8", "ja"},
                     Expected{"ru-talks.txt", "UTF-8", "ru"}, Expected{"de-zurich.txt", "UTF-8", "de"}}) {
    auto article = show(db, fixtures() + "/" + e.file, dir);
    INFO(e.file);
    CHECK(article.at("encoding") == e.encoding);
    CHECK(article.at("lang") == e.lang);
  }
  // Stored as UTF-8: the windows-1251 headline reads as Russian.
  auto snow = show(db, fixtures() + "/ru-snow-windows1251.txt", dir);
  CHECK(snow.at("title") == "Москву накрыл первый снегопад");
}

TEST_CASE("words are found in any of their forms, in every language", "[e2e][multilingual][search]") {
  TempDir dir;
  std::string db = ingest_fixtures(dir);
  using Names = std::set<std::string>;
  // Russian: another case of the name; ё written as е; plural for singular.
  CHECK(found(db, "Путина", dir) == Names{"ru-talks", "ru-snow-windows1251"});
  CHECK(found(db, "гололед", dir) == Names{"ru-snow-windows1251"});
  CHECK(found(db, "снегопады", dir) == Names{"ru-snow-windows1251"});
  CHECK(found(db, "\"президентом Казахстана\"", dir) == Names{"ru-talks"});
  // German: without the umlaut, ss for ß, singular for plural.
  CHECK(found(db, "Zurich", dir) == Names{"de-zurich"});
  CHECK(found(db, "Strassenbahn", dir) == Names{"de-zurich"});
  // One query meets an English and a French article.
  CHECK(found(db, "sanctions", dir) == Names{"en-shipping", "fr-sanctions-utf16"});
  CHECK(found(db, "sanct*", dir) == Names{"en-shipping", "fr-sanctions-utf16"});
  CHECK(found(db, "economiques", dir) == Names{"fr-sanctions-utf16"});
  // Chinese and Japanese words inside unspaced sentences.
  CHECK(found(db, "地铁", dir) == Names{"zh-metro"});
  CHECK(found(db, "北京", dir) == Names{"zh-bookfair-gb18030"});
  CHECK(found(db, "图书", dir) == Names{"zh-bookfair-gb18030"});
  CHECK(found(db, "観光客", dir) == Names{"ja-festival"});
  CHECK(found(db, "京都", dir) == Names{"ja-festival"});
  // Korean and Polish (no stemmer): the word as written, without its diacritics too.
  CHECK(found(db, "시내버스", dir) == Names{"ko-bus"});
  CHECK(found(db, "zlobkach", dir) == Names{"pl-law"});
  // Nothing leaks between scripts.
  CHECK(found(db, "Putin", dir).empty());
}

TEST_CASE("snippets show the stored text and nothing else", "[e2e][multilingual][snippet]") {
  TempDir dir;
  std::string db = ingest_fixtures(dir);
  for (const char* query : {"Zurich", "Путин", "深圳", "京都", "Council"}) {
    RunResult result = run_newsidx({"--db", db, "search", query, "--format", "jsonl"}, dir.path());
    INFO(query);
    REQUIRE(result.status == 0);
    for (const auto& row : parse_jsonl(result.out)) {
      std::string snippet = row.at("snippet").get<std::string>();
      INFO(snippet);
      for (unsigned char c : snippet) CHECK((c >= 0x20 || c == '\n'));
      // The first word of the headline starts the snippet: nothing is hidden before it.
      std::string title = row.at("title").get<std::string>();
      std::string bare;
      for (char c : snippet) {
        if (c != '*') bare += c;
      }
      CHECK((bare.rfind(title.substr(0, 6), 0) == 0 || bare.rfind("…", 0) == 0 ||
             title.find(bare.substr(0, 6)) == std::string::npos));
    }
  }
  // The headline is matched and highlighted from its very first character.
  RunResult zurich = run_newsidx({"--db", db, "search", "title:Zurich", "--format", "jsonl"}, dir.path());
  REQUIRE(zurich.status == 0);
  auto rows = parse_jsonl(zurich.out);
  REQUIRE(rows.size() == 1);
}

TEST_CASE("re-encoded copies store the same text as the UTF-8 original",
          "[e2e][multilingual][encoding]") {
  struct Case {
    const char* original;
    std::vector<std::pair<std::string, std::string>> encodings;  // iconv name, recorded name
  };
  std::vector<Case> cases = {
    {"ru-talks.txt", {{"WINDOWS-1251", "windows-1251"}, {"KOI8-R", "KOI8-R"}, {"UTF-16", "UTF-16LE"}}},
    {"zh-metro.txt", {{"GB18030", "GB18030"}, {"UTF-16", "UTF-16LE"}}},
    {"ja-festival.txt", {{"SHIFT_JIS", "Shift_JIS"}, {"EUC-JP", "EUC-JP"}}},
    {"ko-bus.txt", {{"EUC-KR", "EUC-KR"}}},
    {"de-zurich.txt", {{"ISO-8859-1", "ISO-8859-1"}, {"UTF-16", "UTF-16LE"}}},
    {"pl-law.txt", {{"ISO-8859-2", "ISO-8859-2"}}},
  };
  for (const Case& c : cases) {
    TempDir dir;
    INFO(c.original);
    std::string script = "mkdir in && cp " + shell_quote(fixtures() + "/" + c.original) + " in/a.txt";
    for (const auto& [iconv_name, recorded] : c.encodings) {
      script += " && iconv -f UTF-8 -t " + iconv_name + " in/a.txt > in/" + iconv_name + ".txt";
    }
    REQUIRE(run_shell(script, dir.path()).status == 0);
    std::string db = (dir / "a.db").string();
    RunResult ingest = run_newsidx({"--db", db, "ingest", "in"}, dir.path());
    INFO(ingest.err);
    REQUIRE(ingest.status == 0);
    // The same decoded text is the same article: every copy is a duplicate of the original.
    CHECK(ingest.err.find("1 added, 0 updated, 0 unchanged, " +
                          std::to_string(c.encodings.size()) + " duplicates") != std::string::npos);
    auto original = show(db, (dir / "in/a.txt").string(), dir);
    for (const auto& [iconv_name, recorded] : c.encodings) {
      INFO(iconv_name);
      auto copy_ingest = TempDir();
      std::string single = (copy_ingest / "b.db").string();
      std::string path = (dir / ("in/" + iconv_name + ".txt")).string();
      REQUIRE(run_newsidx({"--db", single, "ingest", path}, dir.path()).status == 0);
      auto copy = show(single, path, dir);
      CHECK(copy.at("encoding") == recorded);
      CHECK(copy.at("body") == original.at("body"));
      CHECK(copy.at("title") == original.at("title"));
    }
  }
}

TEST_CASE("the full-text index stays consistent when an article's language changes",
          "[e2e][multilingual][check]") {
  TempDir dir;
  dir.write("in/post.txt", "Новости\n\nПрезидент провёл встречу с министрами в Кремле.\n");
  dir.write("in/post.txt.json", R"({"lang": "ru"})");
  std::string db = (dir / "a.db").string();
  REQUIRE(run_newsidx({"--db", db, "ingest", "in"}, dir.path()).status == 0);
  CHECK(run_newsidx({"--db", db, "search", "министр"}, dir.path()).status == 0);
  // Only the language changes (the text is the same; a new mtime makes ingest look again).
  dir.write("in/post.txt.json", R"({"lang": "bg"})");
  REQUIRE(run_shell("touch -d 2030-01-01 in/post.txt", dir.path()).status == 0);
  RunResult again = run_newsidx({"--db", db, "ingest", "in"}, dir.path());
  INFO(again.err);
  REQUIRE(again.status == 0);
  REQUIRE(again.err.find("1 updated") != std::string::npos);
  RunResult check = run_newsidx({"--db", db, "check"}, dir.path());
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.out.find("full-text index: ok") != std::string::npos);
  // Bulgarian is not stemmed: only the form as written is found now.
  CHECK(run_newsidx({"--db", db, "search", "министрами"}, dir.path()).status == 0);
  CHECK(run_newsidx({"--db", db, "search", "министр"}, dir.path()).status == 1);
}
