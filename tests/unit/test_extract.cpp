// Extractor tests: the five seed pages against their gold record, and small fixtures for
// front matter, sidecars, file-name dates, bylines, dates and boilerplate removal.
#include "newsidx/errors.hpp"
#include "newsidx/extract.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using newsidx::Article;
using newsidx::Extractor;
using newsidx::PageInput;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const Extractor& extractor() {
  static const Extractor instance = Extractor::load(fs::path(NEWSIDX_TEST_SEEDS).parent_path());
  return instance;
}

Article extract_text(const std::string& text, const std::string& path = "page.txt",
                     newsidx::ExtractOptions options = {}) {
  PageInput page;
  page.path = path;
  page.text = text;
  return extractor().extract(page, options);
}

Article extract_fixture(const std::string& name, newsidx::ExtractOptions options = {}) {
  const fs::path path = fs::path(NEWSIDX_TEST_FIXTURES) / "extract" / name;
  static std::vector<std::unique_ptr<std::string>> keep;  // PageInput holds a view
  keep.push_back(std::make_unique<std::string>(read_file(path)));
  PageInput page;
  page.path = path.string();
  page.text = *keep.back();
  if (fs::exists(path.string() + ".json")) {
    page.sidecar_json = read_file(path.string() + ".json");
  }
  return extractor().extract(page, options);
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\n");
  const auto last = s.find_last_not_of(" \t\n");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

TEST_CASE("seed pages match their gold record exactly", "[extract][seeds]") {
  std::ifstream gold(fs::path(NEWSIDX_TEST_FIXTURES) / "seeds-gold.jsonl");
  REQUIRE(gold);
  std::string line;
  int seeds = 0;
  while (std::getline(gold, line)) {
    if (line.empty()) continue;
    const auto g = nlohmann::json::parse(line);
    const std::string file = g["file"];
    const std::string text = read_file(fs::path(NEWSIDX_TEST_SEEDS) / file);
    const Article a = extract_text(text, file);
    INFO("seed " << file);
    if (g["title"].is_null()) {
      CHECK_FALSE(a.title.has_value());
      CHECK_FALSE(a.title_derived.empty());
      CHECK(a.title_derived.size() <= 90);
    } else {
      REQUIRE(a.title.has_value());
      CHECK(*a.title == g["title"].get<std::string>());
    }
    CHECK(a.authors == g["authors"].get<std::vector<std::string>>());
    if (g["source"].is_null()) {
      CHECK_FALSE(a.source.has_value());
    } else {
      CHECK(a.source.value_or("") == g["source"].get<std::string>());
    }
    if (g["dateline"].is_null()) {
      CHECK_FALSE(a.dateline.has_value());
    } else {
      CHECK(a.dateline.value_or("") == g["dateline"].get<std::string>());
    }
    if (g["date"].is_null()) {
      CHECK(a.date.empty());
    } else {
      CHECK(a.date.iso() == g["date"].get<std::string>());
      CHECK(a.date_origin == "text");
    }
    const std::string body = trimmed(a.body);
    CHECK(body.rfind(g["body_starts"].get<std::string>(), 0) == 0);
    const std::string ends = g["body_ends"];
    CHECK(body.size() >= ends.size());
    CHECK(body.compare(body.size() - std::min(body.size(), ends.size()), ends.size(), ends) == 0);
    for (const auto& bad : g["body_must_not_contain"]) {
      INFO("must not contain: " << bad.get<std::string>());
      CHECK(body.find(bad.get<std::string>()) == std::string::npos);
    }
    CHECK(a.lang == "en");
    ++seeds;
  }
  CHECK(seeds == 5);
}

TEST_CASE("weak date evidence goes to date_inferred", "[extract][seeds]") {
  const std::string file = "003_4acfc88bc3207a38.txt";
  const Article a = extract_text(read_file(fs::path(NEWSIDX_TEST_SEEDS) / file), file);
  CHECK(a.date.empty());
  CHECK((a.date_inferred.iso() == "2025" || a.date_inferred.iso() == "2025-05"));
  CHECK(a.date_inferred_origin == "copyright-line");

  const std::string file0 = "000_d357dd8111e8dbc8.txt";
  const Article b = extract_text(read_file(fs::path(NEWSIDX_TEST_SEEDS) / file0), file0);
  CHECK(b.date.empty());
  CHECK(b.date_inferred.empty());
}

TEST_CASE("front matter wins and stays out of the body", "[extract][metadata]") {
  const Article a = extract_fixture("front_matter.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "Harbour Board Approves New Ferry Terminal");
  CHECK(a.date.iso() == "2024-03-05");
  CHECK(a.date_origin == "front-matter");
  CHECK(a.source.value_or("") == "The Example Gazette");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe", "John Roe"});
  CHECK(a.url == "https://example.org/2024/03/05/ferry");
  CHECK(a.body.rfind("The harbour board voted", 0) == 0);
  CHECK(a.body.find("Title:") == std::string::npos);
  CHECK(a.body.find("URL:") == std::string::npos);
}

TEST_CASE("YAML front matter", "[extract][metadata]") {
  const Article a = extract_fixture("yaml_front_matter.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "Stadtrat beschließt neuen Radweg");
  CHECK(a.date.iso() == "2023-11-14");
  CHECK(a.date_origin == "front-matter");
  CHECK(a.authors == std::vector<std::string>{"Anna Müller", "Karl Schmidt"});
  CHECK(a.lang == "de");
  CHECK(a.body.rfind("Der Stadtrat hat", 0) == 0);
  CHECK(a.body.find("---") == std::string::npos);
}

TEST_CASE("sidecar JSON overrides extracted fields", "[extract][metadata]") {
  const Article a = extract_fixture("dated-story.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "Mayor Opens Canal Bridge");
  CHECK(a.date.iso() == "2022-06-01");
  CHECK(a.date_origin == "sidecar");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe"});
  CHECK(a.source.value_or("") == "Example Post");

  PageInput page;
  page.path = "x.txt";
  const std::string text = "A short story about a bridge that opened today in the town centre, "
                           "watched by a crowd of residents.\n";
  page.text = text;
  page.sidecar_json = R"({"authors": "Ann Lee, Bo Chan", "date": "2021-02"})";
  const Article b = extractor().extract(page);
  CHECK(b.authors == std::vector<std::string>{"Ann Lee", "Bo Chan"});
  CHECK(b.date.iso() == "2021-02");
  page.sidecar_json = "{not json";
  CHECK_NOTHROW(extractor().extract(page));
}

TEST_CASE("file name dates only on request", "[extract][metadata]") {
  const std::string text = "The bridge over the canal opened today after two years of work, the "
                           "city said in a statement on its website.\n";
  newsidx::ExtractOptions on;
  on.date_from_filename = true;
  const Article a = extract_text(text, "notes/2025-05-08-bridge.txt", on);
  CHECK(a.date.iso() == "2025-05-08");
  CHECK(a.date_origin == "filename");
  const Article b = extract_text(text, "20250508_bridge.txt", on);
  CHECK(b.date.iso() == "2025-05-08");
  const Article c = extract_text(text, "notes/2025-05-08-bridge.txt");
  CHECK(c.date.empty());
  const Article d = extract_text(text, "notes/2025-13-08-bridge.txt", on);
  CHECK(d.date.empty());
}

TEST_CASE("boilerplate is removed around the story", "[extract][boilerplate]") {
  const Article a = extract_fixture("boilerplate.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "Council Votes to Close Old Library");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe", "John Roe"});
  CHECK(a.date.iso() == "2024-03-12");
  CHECK(a.date_origin == "text");
  CHECK(a.body.rfind("The city council voted on Monday", 0) == 0);
  CHECK(trimmed(a.body).ends_with("which opens next spring."));
  for (const char* bad : {"Advertisement", "Share this", "Facebook", "Related", "cookies",
                          "Copyright", "Skip to", "Weather", "Published"}) {
    INFO(bad);
    CHECK(a.body.find(bad) == std::string::npos);
  }
  CHECK(a.body.find("Residents who attended") != std::string::npos);
}

TEST_CASE("German byline and date", "[extract][byline]") {
  const Article a = extract_fixture("german_byline.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "Bundestag verabschiedet Haushalt");
  CHECK(a.authors == std::vector<std::string>{"Anna Müller"});
  CHECK(a.date.iso() == "2024-05-03");
  CHECK(a.lang == "de");
  CHECK(a.body.find("Lesen Sie auch") == std::string::npos);
}

TEST_CASE("wrapped lines are joined; updated date is used when it is the only one",
          "[extract][boilerplate]") {
  const Article a = extract_fixture("wrapped.txt");
  REQUIRE(a.title);
  CHECK(*a.title == "River Levels Fall After Week of Floods");
  CHECK(a.date.iso() == "2025-05-08");
  CHECK(a.body.find("thousands of residents") != std::string::npos);
  CHECK(a.body.find("\n\n") != std::string::npos);
}

TEST_CASE("inline datelines and wire credits", "[extract][dateline]") {
  const Article a = extract_text(
      "KYIV (Reuters) - Ukraine said on Tuesday it had repaired the power line that was damaged "
      "overnight, restoring electricity to several towns.\n\nOfficials said repairs took six "
      "hours and no one was hurt in the incident.\n");
  CHECK(a.dateline.value_or("") == "KYIV");
  CHECK(a.source.value_or("") == "Reuters");
  CHECK(a.body.rfind("Ukraine said on Tuesday", 0) == 0);
  CHECK_FALSE(a.title.has_value());
}

TEST_CASE("no author beats a wrong one", "[extract][byline]") {
  const Article a = extract_text(
      "Markets Rally on Rate Hopes\n\nBy the numbers: stocks rose for a third day\n\nStocks rose "
      "on Wednesday as investors bet that the central bank would cut rates before the summer, "
      "traders said.\n");
  CHECK(a.authors.empty());
}

TEST_CASE("rule files: missing directory throws RulesError", "[extract][rules]") {
  CHECK_THROWS_AS(Extractor::load("/nonexistent/newsidx-data"), newsidx::RulesError);
}

TEST_CASE("empty and odd input does not crash", "[extract]") {
  CHECK_NOTHROW(extract_text(""));
  CHECK_NOTHROW(extract_text("\n\n\n"));
  CHECK_NOTHROW(extract_text("\xEF\xBB\xBF"));
  CHECK_NOTHROW(extract_text("---\ntitle: x\n"));
  CHECK_NOTHROW(extract_text(std::string("\xff\xfe\x80 broken", 10)));
  const Article a = extract_text("Only a headline");
  CHECK(a.body.empty());
}
