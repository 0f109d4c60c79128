// Unit tests for bulk loading (ArticleStore::begin_bulk_load, ingest's BulkLoad option):
// the same archive as an ordinary ingest, with every deferred index back at the end.
#include "newsidx/extract.hpp"
#include "newsidx/ingest.hpp"
#include "newsidx/near_duplicates.hpp"
#include "newsidx/store.hpp"
#include "schema.hpp"
#include "store_impl.hpp"

#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace newsidx;
namespace fs = std::filesystem;

namespace {

const Extractor& extractor() {
  static const Extractor instance = Extractor::load(fs::path(NEWSIDX_TEST_SEEDS).parent_path());
  return instance;
}

std::string words(std::mt19937& rng, int count) {
  static const std::vector<std::string> vocabulary = {
      "port",    "council", "harbour",  "minister", "budget", "river",   "school",  "railway",
      "workers", "deal",    "price",    "market",   "storm",  "village", "court",   "election",
      "farmers", "bridge",  "hospital", "museum",   "bank",   "ferry",   "factory", "mayor",
      "talks",   "strike",  "festival", "team",     "coach",  "season",  "report",  "plan"};
  std::uniform_int_distribution<std::size_t> pick(0, vocabulary.size() - 1);
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i) text += (i % 12 == 0) ? ". " : " ";
    text += vocabulary[pick(rng)];
  }
  return text + ".";
}

// A folder of 60 stories: unrelated ones, near-duplicates (a dateline and a credit added,
// sometimes dated before the story they copy) and exact copies under other names.
fs::path write_corpus(const fs::path& dir) {
  fs::create_directories(dir);
  std::mt19937 rng(7);
  std::vector<std::string> bodies;
  int file = 0;
  auto write = [&](const std::string& title, int day, const std::string& body) {
    std::ofstream out(dir / ("story-" + std::to_string(file++) + ".txt"));
    out << title << "\n\nMarch " << day << ", 2024\n\n" << body << "\n";
  };
  for (int i = 0; i < 40; ++i) {
    bodies.push_back(words(rng, 160));
    write("Story number " + std::to_string(i), 1 + i % 28, bodies.back());
  }
  for (int i = 0; i < 15; ++i) {
    write("Copy of story " + std::to_string(i), 1 + (i * 5) % 28,
          "HARBOURTOWN (Wire) - " + bodies[static_cast<std::size_t>(i)] + " Reported by the desk.");
  }
  for (int i = 20; i < 25; ++i)
    write("Story number " + std::to_string(i), 1 + i % 28, bodies[static_cast<std::size_t>(i)]);
  return dir;
}

struct Row {
  std::int64_t id;
  std::int64_t duplicate_of;
  std::string title;
  bool operator==(const Row&) const = default;
};

std::vector<Row> rows_of(ArticleStore& store) {
  std::vector<Row> rows;
  auto s = store.impl().db.prepare(
      "SELECT id, coalesce(duplicate_of, 0), coalesce(title, '') FROM articles ORDER BY id");
  while (s.step())
    rows.push_back({s.column_int(0), s.column_int(1), s.column_text(2)});
  return rows;
}

int deferred_indexes_present(ArticleStore& store) {
  int present = 0;
  for (const schema::IndexDefinition& index : schema::bulk_deferred_indexes()) {
    auto s =
        store.impl().db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1");
    s.bind(1, std::string(index.name));
    present += s.step() ? 1 : 0;
  }
  return present;
}

IngestSummary run_ingest(ArticleStore& store, const fs::path& corpus,
                         IngestOptions::BulkLoad bulk) {
  IngestOptions options;
  options.bulk_load = bulk;
  options.jobs = 2;
  return ingest(store, extractor(), {corpus.string()}, options, [](const IngestEvent&) {});
}

// FTS5's 'automerge' setting as the archive stores it (FTS5's default, 4, when unset).
std::int64_t fts_automerge(ArticleStore& store) {
  auto s = store.impl().db.prepare("SELECT v FROM articles_fts_config WHERE k = 'automerge'");
  return s.step() ? s.column_int(0) : 4;
}

// ... and 'crisismerge' (FTS5's default, 16, when unset).
std::int64_t fts_crisismerge(ArticleStore& store) {
  auto s = store.impl().db.prepare("SELECT v FROM articles_fts_config WHERE k = 'crisismerge'");
  return s.step() ? s.column_int(0) : 16;
}

} // namespace

TEST_CASE("the deferred index list matches the indexes the schema creates", "[bulk][schema]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  auto deferred = schema::bulk_deferred_indexes();
  REQUIRE(deferred.size() == 8);
  for (const schema::IndexDefinition& index : deferred) {
    auto s = store.impl().db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?1");
    s.bind(1, std::string(index.name));
    REQUIRE(s.step());
    CHECK(s.column_text(0) == std::string(index.create_sql));
  }
}

TEST_CASE("a bulk load stores the same archive as an ordinary ingest", "[bulk][ingest]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  ArticleStore ordinary = ArticleStore::open(tmp.dir / "ordinary.db", OpenMode::read_write);
  ArticleStore bulk = ArticleStore::open(tmp.dir / "bulk.db", OpenMode::read_write);
  IngestSummary ordinary_run = run_ingest(ordinary, corpus, IngestOptions::BulkLoad::never);
  IngestSummary bulk_run = run_ingest(bulk, corpus, IngestOptions::BulkLoad::always);
  CHECK_FALSE(ordinary_run.bulk_load);
  CHECK(bulk_run.bulk_load);
  CHECK(bulk_run.added == ordinary_run.added);
  CHECK(bulk_run.duplicates == 5);
  std::vector<Row> expected = rows_of(ordinary);
  REQUIRE(expected.size() == 55);
  int linked = 0;
  for (const Row& row : expected)
    linked += row.duplicate_of != 0 ? 1 : 0;
  CHECK(linked == 15);
  CHECK(rows_of(bulk) == expected);
  CHECK_FALSE(bulk.in_bulk_load());
  CHECK(deferred_indexes_present(bulk) == 8);
  CHECK(fts_automerge(bulk) == 4);
  CHECK(fts_crisismerge(bulk) == 16);
  CHECK(bulk.check().ok());

  SECTION("a second bulk load adds to what is stored and links to it") {
    fs::path more = tmp.dir / "more";
    fs::create_directories(more);
    std::ifstream in(corpus / "story-3.txt");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(more / "late-copy.txt")
        << "Late copy\n\nMarch 1, 2024\n\nLONDON - " << text.substr(text.find("\n\n", 20) + 2);
    run_ingest(ordinary, more, IngestOptions::BulkLoad::never);
    run_ingest(bulk, more, IngestOptions::BulkLoad::always);
    CHECK(rows_of(bulk) == rows_of(ordinary));
    CHECK(rows_of(bulk).size() == 56);
  }
}

TEST_CASE("indexes a killed bulk load dropped are built by the next ingest", "[bulk]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  {
    ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
    run_ingest(store, corpus, IngestOptions::BulkLoad::never);
    store.begin_bulk_load(10);
    CHECK(store.in_bulk_load());
    CHECK(deferred_indexes_present(store) == 0);
    CHECK(fts_automerge(store) == 16);   // fewer, larger merges while it lasts
    CHECK(fts_crisismerge(store) == 64); // ... a piece after each commit
    // The process dies here: no end_bulk_load().
  }
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  CHECK(deferred_indexes_present(store) == 0);
  CheckReport report = store.check();
  CHECK(report.ok()); // the same answers, only slower
  CHECK(report.missing_indexes.size() == 8);
  IngestSummary again = run_ingest(store, corpus, IngestOptions::BulkLoad::automatic);
  CHECK_FALSE(again.bulk_load);
  CHECK(again.unchanged == 60);
  CHECK(deferred_indexes_present(store) == 8);
  CHECK(fts_automerge(store) == 4);
  CHECK(fts_crisismerge(store) == 16);
  CHECK(store.restore_deferred_indexes() == 0);
  CHECK(store.check().missing_indexes.empty());
}

TEST_CASE("a bulk load that updates stored articles stores what an ordinary ingest stores",
          "[bulk][ingest]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  ArticleStore ordinary = ArticleStore::open(tmp.dir / "ordinary.db", OpenMode::read_write);
  ArticleStore bulk = ArticleStore::open(tmp.dir / "bulk.db", OpenMode::read_write);
  run_ingest(ordinary, corpus, IngestOptions::BulkLoad::never);
  run_ingest(bulk, corpus, IngestOptions::BulkLoad::never);
  // Two stories change (one to a new date, which moves its article to a new id) and copies
  // of both, old and new text, arrive with them.
  auto read = [&](const std::string& name) {
    std::ifstream in(corpus / name);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string story_2 = read("story-2.txt");
  const std::string story_5 = read("story-5.txt");
  const std::string body_2 = story_2.substr(story_2.find("\n\n", 20) + 2);
  const std::string body_5 = story_5.substr(story_5.find("\n\n", 20) + 2);
  std::ofstream(corpus / "story-2.txt") << "Story number 2, revised\n\nApril 9, 2024\n\n"
                                        << body_2 << " An update was added later.\n";
  std::ofstream(corpus / "story-5.txt") << "Story number 5\n\nMarch 6, 2024\n\nCORRECTED - "
                                        << body_5.substr(body_5.size() / 3);
  std::ofstream(corpus / "zz-copy-2.txt") << "Copy two\n\nApril 10, 2024\n\nWire - " << body_2;
  std::ofstream(corpus / "zz-copy-5.txt") << "Copy five\n\nMarch 7, 2024\n\nWire - " << body_5;
  run_ingest(ordinary, corpus, IngestOptions::BulkLoad::never);
  IngestSummary run = run_ingest(bulk, corpus, IngestOptions::BulkLoad::always);
  CHECK(run.bulk_load);
  CHECK(run.updated == 2);
  CHECK(rows_of(bulk) == rows_of(ordinary));
  CHECK(bulk.check().ok());
}

TEST_CASE("a bulk load finds exact copies in memory, with the unique index on hashes dropped",
          "[bulk][ingest]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  run_ingest(store, corpus, IngestOptions::BulkLoad::never);
  auto index_present = [&] {
    return store.impl().db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND name = 'articles_by_content_hash'") == 1;
  };
  REQUIRE(index_present());
  auto article_of = [&](const std::string& name, const std::string& text) {
    return extractor().extract(PageInput{(corpus / name).string(), text, "utf-8", std::nullopt},
                               {});
  };
  auto file_of = [&](const std::string& name, const std::string& text) {
    FileRecord file;
    file.path = (corpus / name).string();
    file.size = static_cast<std::int64_t>(text.size());
    file.hash = content_hash(text);
    std::ofstream(file.path) << text;
    return file;
  };
  FileRecord stored = store.find_file((corpus / "story-1.txt").string()).value();

  store.begin_bulk_load(100);
  CHECK_FALSE(index_present());
  CHECK(store.impl().content_hashes.size() == 55); // every article stored before
  store.begin_batch();
  // A copy of an article stored before the load.
  FileRecord copy = stored;
  copy.path = (corpus / "copy-of-1.txt").string();
  std::ofstream(copy.path) << "x";
  CHECK(store.put(copy, article_of("copy-of-1.txt", "Story number 1\n\nMarch 2, 2024\n\nx")) ==
        PutOutcome::duplicate);
  CHECK(store.find_file(copy.path)->article_id == stored.article_id);
  // A new article, then a copy of it in the same batch.
  const std::string fresh = "Fresh story\n\nMay 5, 2024\n\nThe ferry to the island runs again.";
  CHECK(store.put(file_of("fresh.txt", fresh), article_of("fresh.txt", fresh)) ==
        PutOutcome::added);
  CHECK(store.put(file_of("fresh-copy.txt", fresh), article_of("fresh-copy.txt", fresh)) ==
        PutOutcome::duplicate);
  // An article with one file changes in place: its old text is no longer stored, and a
  // file with that text is a new article; a file with its new text is a copy.
  FileRecord story_2_before = store.find_file((corpus / "story-2.txt").string()).value();
  const std::string changed = "Story number 2\n\nMarch 3, 2024\n\nThe story was rewritten.";
  CHECK(store.put(file_of("story-2.txt", changed), article_of("story-2.txt", changed)) ==
        PutOutcome::updated);
  FileRecord old_text = story_2_before;
  old_text.path = (corpus / "old-text-of-2.txt").string();
  std::ofstream(old_text.path) << "x";
  CHECK(store.put(old_text, article_of("old-text-of-2.txt",
                                       "Story number 2\n\nMarch 3, 2024\n\nOld text.")) ==
        PutOutcome::added);
  CHECK(store.put(file_of("changed-copy.txt", changed), article_of("changed-copy.txt", changed)) ==
        PutOutcome::duplicate);
  CHECK(store.find_file((corpus / "changed-copy.txt").string())->article_id ==
        store.find_file((corpus / "story-2.txt").string())->article_id);
  store.commit_batch();
  // An article whose batch is rolled back is not there to be copied.
  const std::string lost = "Lost story\n\nMay 6, 2024\n\nThe harbour wall was mended.";
  store.begin_batch();
  CHECK(store.put(file_of("lost.txt", lost), article_of("lost.txt", lost)) == PutOutcome::added);
  store.rollback_batch();
  store.begin_batch();
  CHECK(store.put(file_of("lost-again.txt", lost), article_of("lost-again.txt", lost)) ==
        PutOutcome::added);
  store.commit_batch();
  store.end_bulk_load();
  CHECK(index_present());
  CHECK(store.impl().content_hashes.size() == 0);
  CHECK(store.check().ok());
  CHECK(store.impl().db.query_int(
            "SELECT count(*) FROM (SELECT content_hash FROM articles GROUP BY content_hash "
            "HAVING count(*) > 1)") == 0);
}

TEST_CASE("the band table is trusted only until stored articles change", "[bulk]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  run_ingest(store, corpus, IngestOptions::BulkLoad::never);
  store.begin_bulk_load(100);
  CHECK(store.impl().bands_match_rows);
  CHECK(store.impl().roots.size() == 15); // the near-duplicates stored before
  // An article's file changes: its row no longer matches what the table lists.
  Article changed = extractor().extract(
      PageInput{(corpus / "story-1.txt").string(), "Story number 1\n\nMarch 2, 2024\n\nNew text.",
                "utf-8", std::nullopt},
      {});
  FileRecord file = store.find_file((corpus / "story-1.txt").string()).value();
  file.hash = content_hash("changed");
  store.begin_batch();
  store.put(file, changed);
  CHECK_FALSE(store.impl().bands_match_rows);
  CHECK(store.impl().roots.empty());
  CHECK_FALSE(store.impl().spill);
  store.commit_batch();
  store.end_bulk_load();
  CHECK(store.check().ok());
}

TEST_CASE("a bulk load keeps the shingle sets of the articles it stores beside the archive",
          "[bulk][spill]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  store.begin_bulk_load(100);
  REQUIRE(store.impl().spill);
  store.begin_batch();
  std::vector<std::string> bodies;
  for (int i = 0; i < 3; ++i) {
    fs::path path = corpus / ("story-" + std::to_string(i) + ".txt");
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Article article =
        extractor().extract(PageInput{path.string(), text, "utf-8", std::nullopt}, {});
    FileRecord file;
    file.path = path.string();
    file.size = static_cast<std::int64_t>(text.size());
    file.hash = content_hash(text);
    store.put(file, article);
    bodies.push_back(article.body);
  }
  store.commit_batch();
  CHECK(store.impl().spill->size() == 3);
  auto s = store.impl().db.prepare("SELECT id FROM articles ORDER BY body_id");
  std::vector<std::uint64_t> got;
  for (const std::string& body : bodies) {
    REQUIRE(s.step());
    REQUIRE(store.impl().spill->find(s.column_int(0), got));
    CHECK(got == shingle_hashes(body));
  }
  store.end_bulk_load();
  CHECK_FALSE(store.impl().spill);
}

TEST_CASE("ingest runs one parser thread per core and one more unless told", "[ingest]") {
  TempArchive tmp;
  fs::path corpus = write_corpus(tmp.dir / "corpus");
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto parsers_used = [&](const std::string& name, int jobs) {
    ArticleStore store = ArticleStore::open(tmp.dir / name, OpenMode::read_write);
    IngestOptions options;
    options.jobs = jobs;
    IngestSummary summary =
        ingest(store, extractor(), {corpus.string()}, options, [](const IngestEvent&) {});
    REQUIRE(summary.added > cores + 1); // more files than parser threads
    return summary.parser_threads;
  };
  CHECK(parsers_used("default.db", 0) == cores + 1);
  CHECK(parsers_used("one.db", 1) == 1);
}

namespace {

// An archive of `count` bare article rows with random band keys, and none of the deferred
// indexes: enough keys that SQLite's sorter writes runs to a temporary file (more than the
// 2 MiB it keeps in memory while the indexes are built).
void fill_without_deferred_indexes(ArticleStore& store, int count) {
  auto& db = store.impl().db;
  db.exec("BEGIN");
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(count) +
          ") INSERT INTO articles (id, word_count, body, content_hash, ingested_at, date_first, "
          "date_last, dup_band0, dup_band1, dup_band2, dup_band3) "
          "SELECT i, 1, '', 'h' || i, 0, i, i, random(), random(), random(), random() FROM n");
  for (const schema::IndexDefinition& index : schema::bulk_deferred_indexes())
    db.exec("DROP INDEX " + std::string(index.name));
  db.exec("COMMIT");
}

std::string pragma_value(ArticleStore& store, const std::string& name) {
  auto s = store.impl().db.prepare("PRAGMA " + name);
  REQUIRE(s.step());
  return s.column_text(0);
}

} // namespace

TEST_CASE("deferred indexes are sorted in runs on disk, and in memory when no temporary file "
          "can be opened",
          "[bulk]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  fill_without_deferred_indexes(store, 150'000);

  SECTION("on disk: the writer's own settings come back afterwards") {
    CHECK(store.restore_deferred_indexes() == 8);
  }
  SECTION("no file descriptor left for a temporary file: sorted in memory") {
    rlimit saved{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlim_t open_now = static_cast<rlim_t>(
        std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{}));
    rlimit tight = saved;
    tight.rlim_cur = open_now; // the listing's own descriptor is closed again
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &tight) == 0);
    int built = -1;
    try {
      built = store.restore_deferred_indexes();
    } catch (...) {
    }
    ::setrlimit(RLIMIT_NOFILE, &saved);
    CHECK(built == 8);
  }
  CHECK(deferred_indexes_present(store) == 8);
  CHECK(pragma_value(store, "temp_store") == "2"); // MEMORY
  CHECK(pragma_value(store, "threads") == "0");
  CHECK(pragma_value(store, "cache_size") == "-131072");
  CHECK(pragma_value(store, "integrity_check") == "ok"); // each index holds every row
  CHECK(store.check().missing_indexes.empty());
}
