// Unit tests for text analysis (src/tokenizer.cpp): word boundaries, folding, stemming by
// language, query alternatives, and the FTS5 tokenizer registered on a connection.
#include "newsidx/tokenizer.hpp"
#include "tokenizer.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace newsidx;

namespace {

// The terms at each position (colocated alternatives joined with '|').
std::vector<std::string> terms(std::string_view text, std::string_view lang,
                               AnalysisMode mode = AnalysisMode::document) {
  std::vector<std::string> out;
  for (const AnalyzedToken& token : analyze(text, lang, mode)) {
    if (token.colocated && !out.empty()) out.back() += "|" + token.text;
    else out.push_back(token.text);
  }
  return out;
}

std::set<std::string> alternatives(std::string_view word) {
  std::set<std::string> out;
  for (const AnalyzedToken& token : analyze(word, "", AnalysisMode::query)) out.insert(token.text);
  return out;
}

// The main term of each position, without colocated ones.
std::vector<std::string> words(std::string_view text, std::string_view lang) {
  std::vector<std::string> out;
  for (const AnalyzedToken& token : analyze(text, lang)) {
    if (!token.colocated) out.push_back(token.text);
  }
  return out;
}

} // namespace

TEST_CASE("Latin words are case-folded, stemmed by language and lose diacritics", "[tokenizer]") {
  CHECK(terms("Sanctions sanction", "en") == std::vector<std::string>{"sanction", "sanction"});
  CHECK(terms("Zürich ZURICH", "de") == std::vector<std::string>{"zurich", "zurich"});
  CHECK(terms("Straße", "de") == terms("Strasse", "de"));
  CHECK(terms("nationalité", "fr") == std::vector<std::string>{"national"});
  // Apostrophes and hyphens separate words, as with unicode61.
  CHECK(terms("l'Europe pro-Kremlin", "fr").size() == 4);
}

TEST_CASE("Cyrillic: inflected forms share a stem and ё is е", "[tokenizer]") {
  auto stem = terms("Путин", "ru");
  REQUIRE(stem.size() == 1);
  for (const char* form : {"Путина", "Путину", "Путиным", "ПУТИНЕ"}) {
    CHECK(terms(form, "ru") == stem);
  }
  CHECK(terms("гололёд", "ru") == terms("гололед", "ru"));
  CHECK(terms("Ёлка", "ru") == terms("елка", "ru"));
  // A stress accent does not split or change the word.
  CHECK(terms("маши\xCC\x81на", "ru") == terms("машина", "ru"));
}

TEST_CASE("an article of unknown language gets its script's default stemmer", "[tokenizer]") {
  CHECK(terms("Путина", "") == terms("Путина", "ru"));
  CHECK(terms("sanctions", "") == std::vector<std::string>{"sanction"});
  // A Latin word in a Russian article is stemmed as English; Ukrainian is not stemmed.
  CHECK(terms("Sanctions", "ru") == std::vector<std::string>{"sanction"});
  CHECK(terms("санкціями", "uk") == std::vector<std::string>{"санкціями"});
  CHECK(terms("Xi", "zh") == std::vector<std::string>{"xi"});
}

TEST_CASE("NFKC: full-width letters and digits are ordinary ones", "[tokenizer]") {
  CHECK(terms("ＶＩＰ １１号线", "zh").front() == "vip");
  CHECK(terms("ﬁnance", "en") == terms("finance", "en"));
}

TEST_CASE("Chinese and Japanese are cut with ICU's dictionary", "[tokenizer]") {
  auto zh = words("深圳地铁新线路下月开通", "zh");
  CHECK(zh.size() >= 4);
  CHECK(std::find(zh.begin(), zh.end(), "地铁") != zh.end());
  auto ja = words("京都で秋の祭りが開かれました", "ja");
  CHECK(std::find(ja.begin(), ja.end(), "京都") != ja.end());
  // Every two-character piece of a longer word is colocated with it.
  bool found = false;
  for (const AnalyzedToken& token : analyze("北京市政府", "zh")) {
    found = found || (token.text == "北京" && (token.colocated || token.end - token.start == 6));
  }
  CHECK(found);
  // Thai has no spaces either.
  CHECK(words("ภาษาไทยง่ายนิดเดียว", "th").size() >= 3);
}

TEST_CASE("offsets point at the words of the input", "[tokenizer]") {
  std::string text = "Die Straßenbahnen — 地铁站 Путина!";
  for (const AnalyzedToken& token : analyze(text, "de", AnalysisMode::display)) {
    REQUIRE(token.end <= text.size());
    CHECK(token.start < token.end);
    CHECK_FALSE(token.colocated);
  }
  auto display = analyze(text, "de", AnalysisMode::display);
  REQUIRE(display.size() >= 4);
  CHECK(text.substr(display[0].start, display[0].end - display[0].start) == "Die");
  // Display and document mode agree on positions.
  CHECK(display.size() == words(text, "de").size());
}

TEST_CASE("a query word becomes its stems in every language of its script", "[tokenizer]") {
  auto en = alternatives("sanctions");
  CHECK(en.count("sanctions"));  // unstemmed, for articles in unstemmed languages
  CHECK(en.count("sanction"));
  auto ru = alternatives("Путина");
  CHECK(ru.count(terms("Путин", "ru").front()));
  auto query = analyze("Sanctions", "", AnalysisMode::query);
  REQUIRE_FALSE(query.empty());
  CHECK_FALSE(query.front().colocated);
  for (std::size_t i = 1; i < query.size(); ++i) CHECK(query[i].colocated);
  // A two-character Chinese query is one term, whatever the dictionary says.
  CHECK(analyze("国人", "", AnalysisMode::query).size() == 1);
}

TEST_CASE("stemmer names by language", "[tokenizer]") {
  CHECK(stemmer_name("en") == "english");
  CHECK(stemmer_name("pt-BR") == "portuguese");
  CHECK(stemmer_name("RU") == "russian");
  CHECK(stemmer_name("zh").empty());
  CHECK(stemmer_name("").empty());
}

TEST_CASE("the tokenizer works inside SQLite with per-article languages", "[tokenizer][sqlite]") {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  REQUIRE(register_tokenizer(db));
  auto exec = [&](const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
  };
  exec("CREATE TABLE docs(id INTEGER PRIMARY KEY, lang TEXT, body TEXT);"
       "CREATE VIEW docs_content AS SELECT id, newsidx_fts_lang(lang, body) AS body FROM docs;"
       "CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs_content', "
       "content_rowid='id', tokenize='newsidx');"
       "CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN INSERT INTO docs_fts(rowid, body) "
       "VALUES (new.id, newsidx_fts_lang(new.lang, new.body)); END;");
  exec("INSERT INTO docs(lang, body) VALUES ('ru', 'Путин провёл переговоры');"
       "INSERT INTO docs(lang, body) VALUES ('en', 'The sanction was approved');"
       "INSERT INTO docs(lang, body) VALUES ('fr', 'Les nouvelles sanctions économiques');"
       "INSERT INTO docs(lang, body) VALUES ('zh', '深圳地铁新线路下月开通');");
  auto matches = [&](const char* query) {
    std::set<std::int64_t> ids;
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?1", -1,
                               &statement, nullptr) == SQLITE_OK);
    sqlite3_bind_text(statement, 1, query, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(statement) == SQLITE_ROW) ids.insert(sqlite3_column_int64(statement, 0));
    sqlite3_finalize(statement);
    return ids;
  };
  CHECK(matches("\"Путина\"") == std::set<std::int64_t>{1});
  CHECK(matches("\"sanctions\"") == std::set<std::int64_t>{2, 3});
  CHECK(matches("\"sanct\" *") == std::set<std::int64_t>{2, 3});
  CHECK(matches("\"economique\"") == std::set<std::int64_t>{3});
  CHECK(matches("\"地铁\"") == std::set<std::int64_t>{4});
  CHECK(matches("\"провёл переговоры\"") == std::set<std::int64_t>{1});
  // The index agrees with the content read back through the view.
  exec("INSERT INTO docs_fts(docs_fts, rank) VALUES ('integrity-check', 1)");
  exec("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')");
  exec("INSERT INTO docs_fts(docs_fts, rank) VALUES ('integrity-check', 1)");
  CHECK(matches("\"Путина\"") == std::set<std::int64_t>{1});
  sqlite3_close(db);
}

TEST_CASE("registering on a file that is not a database does not throw", "[tokenizer][sqlite]") {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("newsidx-not-a-db-" + std::to_string(::getpid()));
  std::ofstream(path) << std::string(4096, 'x');
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK_NOTHROW(register_tokenizer(db));
  // The store's own check then reports the file.
  CHECK(sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) ==
        SQLITE_NOTADB);
  sqlite3_close(db);
  std::filesystem::remove(path);
}

TEST_CASE("prepared texts replay exactly what the analysis gives", "[tokenizer][replay]") {
  const std::string text = "Путина встретили в Москве; sanctions and Zürich — 习近平访问俄罗斯。";
  for (const char* lang : {"ru", "en", "", "zh"}) {
    newsidx::PreparedText prepared(text, lang);
    auto live = newsidx::analyze(text, lang, newsidx::AnalysisMode::document);
    REQUIRE(prepared.token_count() == live.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
      const auto& token = prepared.tokens()[i];
      CHECK(prepared.term(token) == live[i].text);
      CHECK((token.colocated != 0) == live[i].colocated);
    }
  }
  newsidx::PreparedText prepared(text, "ru-RU");
  CHECK(prepared.matches(text, "ru"));
  CHECK_FALSE(prepared.matches(text, "en"));
  CHECK_FALSE(prepared.matches(text + " ", "ru"));
}

TEST_CASE("document terms stay the same while the term cache grows, fills and starts over",
          "[tokenizer]") {
  const std::vector<std::string> before = terms("Running runners ran RUNNING Zürich", "en");
  CHECK(before == std::vector<std::string>{"run", "runner", "ran", "run", "zurich"});
  // More distinct words than the cache holds (256k): it grows, then empties and refills.
  // Short words and their terms are kept in the table's slots, long ones (over 22 bytes
  // together) beside it; both survive the table's growth.
  const std::string long_word = "Internationalisations";
  const std::vector<std::string> mixed_before = terms("walking17x " + long_word, "en");
  CHECK(mixed_before == std::vector<std::string>{"walking17x", "internationalis"});
  std::string text;
  for (int i = 0; i < 300'000; ++i) {
    text += "walking" + std::to_string(i) + "x ";
    if (text.size() > 1'000'000) {
      analyze(text, "en");
      text.clear();
      if (i < 120'000) CHECK(terms("walking17x " + long_word, "en") == mixed_before);
    }
  }
  analyze(text, "en");
  CHECK(terms("Running runners ran RUNNING Zürich", "en") == before);
  CHECK(terms("walking17x walking299999x", "en") ==
        std::vector<std::string>{"walking17x", "walking299999x"});
}
