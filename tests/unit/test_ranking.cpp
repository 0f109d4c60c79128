// Unit tests for newsidx_rank() and its inputs (src/ranking.cpp) and for snippets made
// from the stored text (src/snippets.cpp).
#include "newsidx/query.hpp"
#include "newsidx/store.hpp"
#include "ranking.hpp"
#include "snippets.hpp"
#include "store_impl.hpp"
#include "tokenizer.hpp"
#include "newsidx/tokenizer.hpp"

#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <unistd.h>

using namespace newsidx;
namespace fs = std::filesystem;

namespace {

// Articles of random length drawn from a small vocabulary, so that scores spread and
// repeat, some with the query words in the headline.
void fill(ArticleStore& store, int count) {
  const char* words[] = {"harbour",  "council", "budget", "river",    "school", "storm",
                         "minister", "police",  "market", "festival", "bridge", "vote"};
  std::mt19937 random(7);
  store.begin_batch();
  for (int i = 0; i < count; ++i) {
    Article a;
    std::string body;
    int length = 5 + int(random() % 120);
    for (int w = 0; w < length; ++w)
      body += std::string(words[random() % 12]) + (w % 9 == 8 ? ". " : " ");
    a.title = std::string(words[random() % 12]) + " " + words[random() % 12] + " news " +
              std::to_string(i);
    a.body = body;
    a.lang = "en";
    a.date = PartialDate{2020 + i % 5, 1 + i % 12, 1 + i % 28};
    a.date_origin = "text";
    FileRecord f;
    f.path = "/a/" + std::to_string(i) + ".txt";
    f.size = std::int64_t(body.size());
    f.mtime_ns = 1;
    f.hash = content_hash(body + std::to_string(i));
    store.put(f, a);
  }
  store.commit_batch();
}

// The ids and scores SQLite's own bm25() gives, best first, ties in id order.
std::vector<std::pair<std::int64_t, double>> by_bm25(ArticleStore& store, const std::string& fts,
                                                     int limit) {
  auto statement = store.impl().db.prepare(
      "SELECT rowid, -bm25(articles_fts, 10.0, 1.0) AS s FROM articles_fts WHERE articles_fts "
      "MATCH ?1 ORDER BY bm25(articles_fts, 10.0, 1.0), rowid LIMIT ?2");
  statement.bind(1, fts);
  statement.bind(2, limit);
  std::vector<std::pair<std::int64_t, double>> out;
  while (statement.step())
    out.emplace_back(statement.column_int(0), statement.column_double(1));
  return out;
}

} // namespace

TEST_CASE("the phrases of an FTS5 expression, in FTS5's order", "[ranking]") {
  ExpressionPhrases p = phrases_of("(\"Putin\" OR \"Xi\") AND \"Victory Day\" NOT \"sanct\" *");
  REQUIRE(p.ok);
  REQUIRE(p.phrases.size() == 4);
  CHECK(p.phrases[0].text == "Putin");
  CHECK(p.phrases[2].text == "Victory Day");
  CHECK_FALSE(p.phrases[2].prefix);
  CHECK(p.phrases[3].text == "sanct");
  CHECK(p.phrases[3].prefix);
  p = phrases_of("NEAR(\"a\" \"b\", 5) AND title : \"say \"\"hi\"\"\"");
  REQUIRE(p.phrases.size() == 3);
  CHECK(p.phrases[2].text == "say \"hi\"");
  CHECK(p.column_filtered);
  CHECK_FALSE(phrases_of("\"x\" AND \"y\"").column_filtered);
  CHECK_FALSE(phrases_of("\"a:b\"").column_filtered);
  CHECK_FALSE(phrases_of("\"open").ok);
  CHECK_FALSE(phrases_of("\"a\" + \"b\"").ok);
}

// Where every phrase is one word, newsidx_rank() is bm25() exactly. A longer phrase counts
// as often as its rarest word, more often than the phrase itself: its scores are lower,
// but a query of that one phrase still comes in bm25()'s order.
TEST_CASE("newsidx_rank orders like bm25(), also when it keeps only the best rows",
          "[ranking][search]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  fill(store, 600);
  Searcher searcher(store);
  for (std::string query : {"harbour", "harbour budget", "\"police market\"", "storm OR bridge",
                            "council -vote", "festiv*", "title:harbour budget"}) {
    INFO(query);
    std::string fts = parse_query(query, 20251125).fts;
    for (int limit : {1, 5, 20}) {
      for (int offset : {0, 3}) {
        SearchRequest request;
        request.query = query;
        request.limit = limit;
        request.offset = offset;
        std::vector<SearchHit> hits = searcher.search(request);
        auto expected = by_bm25(store, fts, limit + offset);
        REQUIRE(hits.size() == expected.size() - std::min<std::size_t>(expected.size(), offset));
        for (std::size_t i = 0; i < hits.size(); ++i) {
          CHECK(hits[i].id == expected[i + offset].first);
          if (query.find('"') == std::string::npos) {
            CHECK(hits[i].score == Approx(expected[i + offset].second).epsilon(1e-9));
          }
        }
      }
    }
  }
}

TEST_CASE("phrase frequencies come from the term list, -1 for prefixes", "[ranking]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  fill(store, 50);
  auto& db = store.impl().db;
  auto count = [&](const std::string& fts) {
    auto statement = db.prepare("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1");
    statement.bind(1, fts);
    statement.step();
    return statement.column_int(0);
  };
  PhraseStatistics statistics = phrase_statistics(db, "\"harbours\" AND \"news\" OR \"sanct\" *");
  std::vector<std::int64_t> f = statistics.frequencies;
  REQUIRE(f.size() == 3);
  CHECK(f[0] == count("\"harbour\""));
  CHECK(f[1] == 50);
  CHECK(f[2] == -1);
  // A phrase counts as often as its rarest word: an upper bound of its own count.
  CHECK(statistics.terms_known);
  // An expression it cannot read: no frequencies, and no term filter for the query.
  CHECK_FALSE(phrase_statistics(db, "\"a\" + \"b\"").terms_known);
  // The stems the index holds: "harbour" and "news", not the other languages' "harbours".
  CHECK(statistics.indexed_terms.count("harbour"));
  CHECK(statistics.indexed_terms.count("news"));
  CHECK_FALSE(statistics.indexed_terms.count("harbours"));
  f = phrase_statistics(db, "\"police market\"").frequencies;
  REQUIRE(f.size() == 1);
  CHECK(f[0] >= count("\"police market\""));
  CHECK(f[0] == std::min(count("\"police\""), count("\"market\"")));
}

TEST_CASE("snippets highlight what the index matched, in the best window", "[snippet]") {
  std::string body =
      "The council met on Monday. Nothing else happened for a long while, and people went "
      "home. Later the Councils of Zurich and Geneva voted on the harbour budget together.";
  auto bare = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == k_match_begin)
        out += '[';
      else if (c == k_match_end)
        out += ']';
      else
        out += c;
    }
    return out;
  };
  // Stems match across forms; the window holding both phrases wins over the first match.
  CHECK(
      bare(Highlighter("\"council\" AND \"budget\"").snippet("Weekly round-up", body, "en", 12)) ==
      "…the [Councils] of Zurich and Geneva voted on the harbour [budget] together.");
  // A phrase is highlighted as one run, only where its words follow each other.
  CHECK(bare(Highlighter("\"harbour budget\"").snippet("Weekly round-up", body, "en", 40)) ==
        bare(body).substr(0, body.find("harbour")) + "[harbour budget] together.");
  // A match in a short headline shows the whole headline.
  CHECK(bare(Highlighter("\"zurich\"").snippet("Zürich votes", body, "en", 16)) ==
        "[Zürich] votes");
  // Prefixes.
  CHECK(bare(Highlighter("\"harb\" *").snippet("", "A harbour. A harbinger.", "en", 16)) ==
        "A [harbour]. A [harbinger].");
  // Nothing found: the start of the story, cut.
  CHECK(bare(Highlighter("\"absent\"").snippet("Title", body, "en", 3)) == "The council met…");
}

TEST_CASE("a query keeps only the stems the index holds while a scope says so", "[ranking]") {
  auto terms = [](std::string_view word) {
    std::vector<std::string> out;
    for (const AnalyzedToken& t : analyze(word, "", AnalysisMode::query))
      out.push_back(t.text);
    return out;
  };
  std::vector<std::string> all = terms("harbours");
  REQUIRE(all.size() > 1); // the word as written and its stems in other languages
  CHECK(std::find(all.begin(), all.end(), "harbour") != all.end());
  std::unordered_set<std::string> indexed{"harbour"};
  {
    IndexedTermsScope scope(&indexed);
    CHECK(terms("harbours") == std::vector<std::string>{"harbour"});
    // None held: the word stays, as its first form, and matches nothing.
    CHECK(terms("qzxv").size() == 1);
  }
  CHECK(terms("harbours") == all);
}
