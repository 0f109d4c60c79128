// Unit tests for the archive store (src/store.cpp) and search over it (src/query.cpp).
#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"
#include "newsidx/store.hpp"
#include "compression.hpp"
#include "schema.hpp"
#include "store_impl.hpp"
#include "tokenizer.hpp"
#include "newsidx/near_duplicates.hpp"

#include "every_hit.hpp"
#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace newsidx;
namespace fs = std::filesystem;

namespace {

Article make_article(std::string title, std::string body, PartialDate date = {}) {
  Article a;
  a.title = std::move(title);
  a.body = std::move(body);
  a.date = date;
  if (!date.empty()) a.date_origin = "text";
  a.authors = {"Jane Doe", "John Roe"};
  a.source = "The Example Times";
  a.lang = "en";
  return a;
}

FileRecord make_file(std::string path, const Article& a) {
  FileRecord f;
  f.path = std::move(path);
  f.size = static_cast<std::int64_t>(a.body.size());
  f.mtime_ns = 1;
  f.hash = content_hash(a.body);
  return f;
}

} // namespace

TEST_CASE("put adds, recognises unchanged and duplicate content, updates in place", "[store]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  Article a = make_article("Ports Boom", "Rotterdam handled record volumes.", {2025, 5, 8});
  // The files exist: a new path with known content is a copy, not a move.
  const std::string a_path = (tmp.dir / "a.txt").string();
  const std::string copy_path = (tmp.dir / "copy.txt").string();
  std::ofstream(a_path) << "x";
  std::ofstream(copy_path) << "x";
  store.begin_batch();
  CHECK(store.put(make_file(a_path, a), a) == PutOutcome::added);
  CHECK(store.put(make_file(a_path, a), a) == PutOutcome::unchanged);
  CHECK(store.put(make_file(copy_path, a), a) == PutOutcome::duplicate);
  store.commit_batch();
  ArchiveStats stats = store.stats();
  CHECK(stats.articles == 1);
  CHECK(stats.files == 2);

  auto file = store.find_file(a_path);
  REQUIRE(file);
  std::int64_t id = file->article_id;
  CHECK(id / k_ids_per_day == 20250508);

  // The copy changes: it becomes its own article; the original keeps its id.
  Article changed =
      make_article("Ports Boom", "Rotterdam handled record volumes again.", {2025, 5, 8});
  store.begin_batch();
  CHECK(store.put(make_file(copy_path, changed), changed) == PutOutcome::updated);
  store.commit_batch();
  CHECK(store.find_file(a_path)->article_id == id);
  CHECK(store.stats().articles == 2);

  // The original changes with the same date: same id.
  Article edited =
      make_article("Ports Boom", "Rotterdam handled record volumes, edited.", {2025, 5, 8});
  store.begin_batch();
  CHECK(store.put(make_file(a_path, edited), edited) == PutOutcome::updated);
  store.commit_batch();
  CHECK(store.find_file(a_path)->article_id == id);
  auto stored = store.get(id);
  REQUIRE(stored);
  CHECK(stored->article.body == edited.body);
  CHECK(stored->article.authors == std::vector<std::string>{"Jane Doe", "John Roe"});
  CHECK(stored->article.source == std::optional<std::string>("The Example Times"));
}

TEST_CASE("ids follow dates, so a date range is an id range", "[store]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  store.begin_batch();
  Article undated = make_article("Undated", "a note with no date");
  Article year = make_article("Year", "a year only", {2024, 0, 0});
  Article month = make_article("Month", "a month only", {2024, 3, 0});
  Article day = make_article("Day", "a whole day", {2024, 3, 9});
  for (auto* a : {&undated, &year, &month, &day})
    store.put(make_file("/f/" + *a->title, *a), *a);
  store.commit_batch();
  CHECK(store.find_file("/f/Undated")->article_id < k_ids_per_day);
  CHECK(store.find_file("/f/Year")->article_id / k_ids_per_day == 20240000);
  CHECK(store.find_file("/f/Month")->article_id / k_ids_per_day == 20240300);
  CHECK(store.find_file("/f/Day")->article_id / k_ids_per_day == 20240309);

  Searcher searcher(store);
  SearchRequest request;
  request.query = "a";
  request.dates = {20240305, 20240310};
  request.today = 20251125;
  std::vector<SearchHit> hits = searcher.search(request);
  // Overlap: the day, the month and the year all overlap 5-10 March 2024.
  CHECK(hits.size() == 3);
  request.include_undated = true;
  CHECK(searcher.count(request) == 4);
  request.include_undated = false;
  request.dates = {20240401, 0};
  CHECK(searcher.count(request) == 1); // only the year 2024 overlaps April onwards
}

TEST_CASE("search ranks title matches above body matches", "[store][search]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  Article in_body = make_article("Markets Today", "Shares rose. Rotterdam was mentioned once.");
  Article in_title =
      make_article("Rotterdam Port Expands", "Shares rose on the news of expansion.");
  store.begin_batch();
  store.put(make_file("/b.txt", in_body), in_body);
  store.put(make_file("/t.txt", in_title), in_title);
  store.commit_batch();
  Searcher searcher(store);
  SearchRequest request;
  request.query = "rotterdam";
  auto hits = searcher.search(request);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].path == "/t.txt");
  CHECK(hits[0].score > hits[1].score);
  CHECK(hits[0].snippet.find(k_match_begin) != std::string::npos);
}

TEST_CASE("files_between reads the records of a path range", "[store]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  store.begin_batch();
  for (const char* path : {"/a/1.txt", "/a/2.txt", "/b/1.txt", "/c/1.txt", "/c/2.txt"}) {
    Article a = make_article(path, std::string("body of ") + path);
    store.put(make_file(path, a), a);
  }
  store.commit_batch();
  auto paths = [](const std::vector<FileRecord>& files) {
    std::vector<std::string> out;
    for (const FileRecord& f : files)
      out.push_back(f.path);
    std::sort(out.begin(), out.end());
    return out;
  };
  // One path of five: the range only.
  CHECK(paths(store.files_between("/b/1.txt", "/b/1.txt", 1)) ==
        std::vector<std::string>{"/b/1.txt"});
  // Many paths: every record (more than asked for is allowed).
  CHECK(paths(store.files_between("/a/2.txt", "/b/1.txt", 4)).size() == 5);
  CHECK(paths(store.files_between("/z", "/z", 1)).empty());
}

TEST_CASE("open refuses what is not a newsidx archive", "[store]") {
  TempArchive tmp;
  fs::path text = tmp.dir / "notes.db";
  std::ofstream(text) << "hello, not a database\n";
  CHECK_THROWS_AS(ArticleStore::open(text, OpenMode::read_write), StoreError);
  CHECK_THROWS_AS(ArticleStore::open(tmp.dir / "missing.db", OpenMode::read_only), StoreError);
  CHECK_FALSE(fs::exists(tmp.dir / "missing.db"));
  CHECK_THROWS_AS(ArticleStore::open(tmp.dir, OpenMode::read_write), StoreError);
}

TEST_CASE("a file moved away keeps its article, prune forgets files that are gone", "[store]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  Article a = make_article("Moved", "An article that will be renamed on disk.", {2025, 1, 2});
  const std::string old_path = (tmp.dir / "old.txt").string();
  const std::string new_path = (tmp.dir / "new.txt").string();
  std::ofstream(old_path) << "x";
  store.begin_batch();
  REQUIRE(store.put(make_file(old_path, a), a) == PutOutcome::added);
  store.commit_batch();
  std::int64_t id = store.find_file(old_path)->article_id;
  fs::rename(old_path, new_path);
  store.begin_batch();
  CHECK(store.put(make_file(new_path, a), a) == PutOutcome::moved);
  store.commit_batch();
  CHECK(store.find_file(new_path)->article_id == id);
  CHECK_FALSE(store.find_file(old_path));

  fs::remove(new_path);
  store.begin_batch();
  CHECK(store.prune_missing({tmp.dir.string()}) == 1);
  store.commit_batch();
  CHECK(store.stats().articles == 0);
  CHECK(store.check().ok());
}

TEST_CASE("optimize keeps every article and hit, gives back free pages, restores settings",
          "[store][optimize]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  std::string filler;
  for (int i = 0; i < 400; ++i) {
    filler += "padding";
    filler += std::to_string(i);
    filler += " words ";
  }
  auto numbered = [](std::string text, int i) {
    text += std::to_string(i);
    return text;
  };
  // Stores `count` articles, each in a file named PREFIX + its number (no file exists).
  auto store_articles = [&](const std::string& prefix, int count) {
    store.begin_batch();
    for (int i = 0; i < count; ++i) {
      Article a = make_article(numbered("Harbour report ", i),
                               numbered("Rotterdam cargo volume ", i) + ". " + filler,
                               {2024, 1 + i % 12, 1 + i % 28});
      store.put(make_file((tmp.dir / numbered(prefix, i)).string(), a), a);
    }
    store.commit_batch();
  };
  store_articles("a", 60);
  // Forget those files (none exists on disk): their articles' pages become free pages.
  // Then store half of the texts again under other names.
  store.begin_batch();
  REQUIRE(store.prune_missing({}) == 60);
  store.commit_batch();
  store_articles("b", 30);

  auto search_paths = [&] {
    std::vector<std::string> paths;
    for (const auto& hit : every_hit(store, "rotterdam cargo"))
      paths.push_back(hit.path);
    return paths;
  };
  const auto before_paths = search_paths();
  REQUIRE(before_paths.size() == 30);

  auto [before, after] = store.optimize();
  CHECK(after < before);
  CHECK(search_paths() == before_paths);
  const ArchiveStats stats = store.stats();
  CHECK(stats.articles == 30);
  CHECK(stats.index_bytes > 0);
  CHECK(stats.index_bytes < stats.database_bytes);
  CHECK(store.check().ok());
  auto& db = store.impl().db;
  // The writer's temporary tables are in memory again (2 = MEMORY) after VACUUM's
  // temporary copy went to disk, and the WAL is empty.
  CHECK(db.query_int("PRAGMA temp_store") == 2);
  CHECK(fs::file_size(tmp.db().string() + "-wal") == 0);
}

TEST_CASE("near-duplicates are linked to the earlier article", "[store][dupes]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  // A wire story of realistic length (~300 words); the syndicated copy adds a dateline on
  // top and a credit line at the end.
  std::string story =
      "Officials in the port city said on Tuesday that container volumes rose sharply in the first "
      "quarter as shipping lines added new routes to Asia and Africa, while dock workers agreed a "
      "new pay deal after weeks of talks that had threatened to halt loading at the largest "
      "terminals. Analysts expect the growth to continue into the summer months as demand for "
      "consumer goods recovers across Europe and retailers rebuild their stocks ahead of the "
      "holiday season, although fuel costs remain a concern for carriers and exporters alike. "
      "The harbour authority plans to deepen two channels next year so that the largest vessels "
      "can call at any tide, a project that environmental groups say could harm the wetlands to "
      "the south of the city. A spokesman for the authority said the dredging would follow the "
      "strictest rules and that a study of the wetlands would be published before work begins. "
      "Rail freight from the terminals grew even faster than the port itself, as inland "
      "distributors shifted cargo from trucks to trains to cut costs and emissions, and two new "
      "rail links to the east are due to open in the autumn. Trade unions welcomed the pay deal "
      "but warned that automation of the cranes could cost hundreds of jobs over the coming "
      "decade unless workers are retrained. The city council will debate a plan for a training "
      "centre next month. Exporters of machinery and chemicals reported the strongest orders in "
      "three years, and several said they had hired extra staff to handle paperwork for new "
      "customs rules. Importers of fruit and vegetables said shorter waiting times at the quays "
      "had cut spoilage, which helped keep prices steady in the shops through the winter.";
  Article wire = make_article("Port Volumes Rise", story, {2025, 3, 1});
  Article syndicated = make_article("Port volumes rise, officials say",
                                    "ROTTERDAM, March 2 (Wire) - " + story +
                                        " Reporting by Jane Doe; editing by John Roe.",
                                    {2025, 3, 2});
  Article other = make_article(
      "Election Results",
      std::string(
          "Voters in the northern provinces turned out in record numbers on Sunday to elect a new "
          "regional assembly, with early results pointing to a narrow win for the opposition "
          "coalition "
          "that campaigned on lower taxes, better rural roads and more money for schools and "
          "clinics "
          "in the mountain villages that have lost young people to the cities for two decades "
          "now."),
      {2025, 3, 3});
  store.begin_batch();
  store.put(make_file("/d/wire.txt", wire), wire);
  store.put(make_file("/d/syn.txt", syndicated), syndicated);
  store.put(make_file("/d/other.txt", other), other);
  store.commit_batch();
  CHECK(shingle_similarity(shingle_set(wire.body), shingle_set(syndicated.body)) > 0.85);
  CHECK(shingle_similarity(shingle_set(wire.body), shingle_set(other.body)) < 0.05);
  CHECK(store.stats().near_duplicates == 1);
}

TEST_CASE("content hashes are stable hex", "[store]") {
  CHECK(content_hash("abc") == content_hash("abc"));
  CHECK(content_hash("abc") != content_hash("abd"));
  CHECK(content_hash("").size() == 32);
}

TEST_CASE("bodies are stored compressed and plain-text rows still read", "[store][compression]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  std::string body;
  for (int i = 0; i < 50; ++i)
    body += "The harbour authority met again on day " + std::to_string(i) + ". ";
  Article a = make_article("Harbour", body, {2025, 5, 8});
  const std::string path = (tmp.dir / "h.txt").string();
  std::ofstream(path) << "x";
  store.begin_batch();
  store.put(make_file(path, a), a);
  store.commit_batch();
  std::int64_t id = store.find_file(path)->article_id;
  auto& db = store.impl().db;
  // Schema 5: the compressed body sits in article_bodies; the articles row points at it.
  CHECK(db.query_int("SELECT count(*) FROM articles WHERE body = '' AND body_id IS NOT NULL") == 1);
  CHECK(db.query_int("SELECT typeof(body) = 'blob' FROM article_bodies") == 1);
  CHECK(db.query_int("SELECT length(body) FROM article_bodies") <
        static_cast<std::int64_t>(body.size()) / 2);
  CHECK(store.get(id)->article.body == body);
  // Rows written by an older newsidx hold the body inline, compressed (schema 3-4) or as
  // plain TEXT (1-2): they read and search the same.
  db.exec("DROP TRIGGER articles_fts_update");
  db.exec("UPDATE articles SET body = (SELECT body FROM article_bodies), body_id = NULL");
  db.exec("DELETE FROM article_bodies");
  CHECK(db.query_int("SELECT typeof(body) = 'blob' FROM articles") == 1);
  CHECK(store.get(id)->article.body == body);
  db.exec("UPDATE articles SET body = CAST(newsidx_text(body) AS TEXT)");
  CHECK(db.query_int("SELECT typeof(body) = 'text' FROM articles") == 1);
  CHECK(store.get(id)->article.body == body);
  SearchRequest request;
  request.query = "authority";
  CHECK(Searcher(store).count(request) == 1);
  CHECK(store.check().fts == "ok");
}

TEST_CASE("archives of every older schema version are migrated and stay whole", "[store][schema]") {
  const std::string old_body =
      "The harbour authority approved the new breakwater after a long public inquiry into "
      "the costs, the tides and the fishing fleet's winter moorings.";
  for (int version = 1; version < current_schema_version(); ++version) {
    CAPTURE(version);
    TempArchive tmp;
    {
      // An archive as newsidx wrote it at `version`, holding one article stored that way.
      sqlite::Connection db(tmp.db().string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      REQUIRE(register_tokenizer(db.raw()));
      REQUIRE(register_text_functions(db.raw()));
      auto steps = schema::migrations();
      for (int v = 0; v < version; ++v)
        db.exec(steps[static_cast<std::size_t>(v)]);
      db.exec("PRAGMA application_id = " + std::to_string(schema::k_application_id));
      db.exec("PRAGMA user_version = " + std::to_string(version));
      auto insert = db.prepare(
          "INSERT INTO articles(id, title, lang, word_count, body, content_hash, ingested_at) "
          "VALUES (202505080000001, 'Breakwater approved', 'en', 20, ?1, 'oldhash', 1)");
      if (version >= 3)
        insert.bind_blob(1, compress_text(old_body));
      else
        insert.bind(1, old_body);
      insert.run();
      if (version >= 4) { // no insert trigger since version 4: the writer indexes
        db.prepare("INSERT INTO articles_fts(rowid, title, body) "
                   "VALUES (202505080000001, newsidx_fts_lang('en', 'Breakwater approved'), ?1)")
            .bind(1, old_body)
            .run();
      }
      db.exec("INSERT INTO files(path, size, mtime_ns, hash, article_id, ingested_at) "
              "VALUES ('" +
              (tmp.dir / "old.txt").string() + "', 1, 1, 'oldhash', 202505080000001, 1)");
      db.exec("INSERT INTO authors(id, name) VALUES (1, 'Ann Old')");
      db.exec("INSERT INTO article_authors(article_id, position, author_id) "
              "VALUES (202505080000001, 0, 1)");
    }
    std::ofstream(tmp.dir / "old.txt") << "x";
    ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
    // What the migration wrote is in the database, not left in the WAL for every reader
    // that opens the archive first to read again.
    CHECK(fs::file_size(tmp.db().string() + "-wal") == 0);
    CHECK(store.stats().schema_version == current_schema_version());
    REQUIRE(store.get(202505080000001));
    CHECK(store.get(202505080000001)->article.body == old_body);
    // Version 6 built the articles table again: its authors (which would have gone by
    // cascade with foreign keys on) and files are kept, and content hashes stay unique
    // through a named index.
    CHECK(store.get(202505080000001)->article.authors == std::vector<std::string>{"Ann Old"});
    CHECK(store.get(202505080000001)->paths.size() == 1);
    auto& migrated = store.impl().db;
    CHECK(migrated.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                             "name = 'articles_by_content_hash'") == 1);
    CHECK(migrated.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                             "tbl_name = 'articles' AND name LIKE 'sqlite_autoindex%'") == 0);
    CHECK(migrated.query_int("SELECT count(*) FROM pragma_foreign_key_check") == 0);
    CHECK(migrated.query_int("PRAGMA foreign_keys") == 1);
    CHECK_THROWS(migrated.exec("INSERT INTO articles(id, word_count, body, content_hash, "
                               "ingested_at) VALUES (1, 1, '', 'oldhash', 1)"));
    // A new article beside the old one; both found, index consistent.
    Article fresh = make_article("Harbour news",
                                 "The harbour authority met the fishing fleet again today "
                                 "to talk about the breakwater.",
                                 {2025, 5, 9});
    const std::string fresh_path = (tmp.dir / "fresh.txt").string();
    std::ofstream(fresh_path) << "x";
    REQUIRE(store.put(make_file(fresh_path, fresh), fresh) == PutOutcome::added);
    SearchRequest request;
    request.query = "breakwater";
    CHECK(Searcher(store).count(request) == 2);
    CHECK(store.check().fts == "ok");
    // Deleting the old article (its file is gone) takes it out of the index too.
    fs::remove(tmp.dir / "old.txt");
    store.begin_batch();
    CHECK(store.prune_missing({}) == 1);
    store.commit_batch();
    CHECK(Searcher(store).count(request) == 1);
    CHECK(store.check().fts == "ok");
  }
}

TEST_CASE("search hits carry authors, path and snippet in every sort order", "[store][query]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  Article a = make_article("Ferry strike ends", "The ferry strike ended after talks with the port.",
                           {2025, 5, 8});
  Article b =
      make_article("Port reopens", "The port reopened as the ferry strike ended.", {2025, 5, 9});
  store.put(make_file("/f/a.txt", a), a);
  store.put(make_file("/f/b.txt", b), b);
  for (SortOrder order :
       {SortOrder::relevance, SortOrder::date_ascending, SortOrder::date_descending}) {
    for (int recent : {0, 30}) {
      SearchRequest request;
      request.query = "ferry strike";
      request.sort = order;
      request.recent_half_life_days = recent;
      request.today = 20250510;
      auto hits = Searcher(store).search(request);
      REQUIRE(hits.size() == 2);
      for (const SearchHit& hit : hits) {
        CHECK(hit.authors == std::vector<std::string>{"Jane Doe", "John Roe"});
        CHECK(hit.path.rfind("/f/", 0) == 0);
        CHECK(hit.snippet.find("erry") != std::string::npos); // from the title or the body
        CHECK(hit.score > 0);
      }
      if (order == SortOrder::date_ascending)
        CHECK(hits[0].title == std::optional<std::string>("Ferry strike ends"));
      if (order == SortOrder::date_descending)
        CHECK(hits[0].title == std::optional<std::string>("Port reopens"));
    }
  }
}

TEST_CASE("a read snapshot keeps one view of the archive while another connection commits",
          "[store][sqlite]") {
  TempArchive tmp;
  sqlite::Connection writer(tmp.db().string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  writer.exec("PRAGMA journal_mode = WAL");
  writer.exec("CREATE TABLE t(x)");
  writer.exec("INSERT INTO t VALUES (1)");
  sqlite::Connection reader(tmp.db().string(), SQLITE_OPEN_READONLY);
  {
    sqlite::ReadSnapshot snapshot(reader);
    CHECK(reader.query_int("SELECT count(*) FROM t") == 1);
    writer.exec("INSERT INTO t VALUES (2)");
    CHECK(reader.query_int("SELECT count(*) FROM t") == 1);
    {
      sqlite::ReadSnapshot inner(reader); // already inside one: changes nothing
      CHECK(reader.query_int("SELECT count(*) FROM t") == 1);
    }
    CHECK(reader.query_int("SELECT count(*) FROM t") == 1);
  }
  CHECK(sqlite3_get_autocommit(reader.raw()) != 0);
  CHECK(reader.query_int("SELECT count(*) FROM t") == 2);
}
