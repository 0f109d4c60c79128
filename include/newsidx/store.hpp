// The archive: one SQLite file holding articles, outlets, authors, the files they came
// from and an FTS5 full-text index over title and body. The schema is versioned
// (PRAGMA user_version) and migrated forward on open; see README "The archive".
//
// Article ids are ordered by date: id = yyyymmdd * 10^7 + n (00 for an unknown month or
// day, 0 for undated articles), so that a date range is also an id range that FTS5 can
// skip on.
#pragma once

#include "newsidx/article.hpp"
#include "newsidx/near_duplicates.hpp"
#include "newsidx/tokenizer.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace newsidx {

inline constexpr std::int64_t k_ids_per_day = 10'000'000;

// The schema version this build writes.
int current_schema_version();

enum class OpenMode {
  read_only,  // fail when the archive does not exist
  read_write, // create it (and its directory) when missing
};

// What the store knows about one source file.
struct FileRecord {
  std::int64_t id = 0;
  std::string path;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string hash; // hash of the decoded text
  std::int64_t article_id = 0;
};

// An article as stored, with its id and the files that hold it.
struct StoredArticle {
  std::int64_t id = 0;
  Article article;
  std::vector<std::string> paths;
  std::string content_hash;
  std::int64_t word_count = 0;
};

enum class PutOutcome {
  added,     // a new article
  updated,   // the file's article changed in place
  unchanged, // same content as stored; only the file's size/mtime were refreshed
  duplicate, // the content is already stored under another file; this path now points to it
  moved,     // the content belonged to a file that is gone: the file record follows the move
};

// What `check` found.
struct CheckReport {
  std::string integrity; // "ok" or SQLite's first complaint
  std::string fts;       // "ok" or what FTS5's integrity-check said
  std::int64_t files = 0;
  std::vector<std::string> missing_files; // stored paths that no longer exist
  std::int64_t orphan_articles = 0;       // articles no file points to
  // Deferred indexes a killed bulk load left missing (the next ingest builds them; answers
  // are the same meanwhile, so this is no failure).
  std::vector<std::string> missing_indexes;
  bool ok() const { return integrity == "ok" && fts == "ok" && orphan_articles == 0; }
};

struct ArchiveStats {
  std::int64_t articles = 0;
  std::int64_t files = 0;
  std::int64_t sources = 0;
  std::int64_t authors = 0;
  std::int64_t undated = 0;
  std::int64_t near_duplicates = 0;
  std::int64_t index_bytes = 0; // the FTS5 index's own pages
  int index_segments = -1;      // the FTS5 index's segments (-1: an unknown index format)
  std::string first_date;       // earliest ISO date, "" when none
  std::string last_date;
  std::int64_t database_bytes = 0;
  int schema_version = 0;
};

// One outlet and what the archive holds from it.
struct SourceSummary {
  std::optional<std::string> name; // nullopt: articles with no known outlet
  std::int64_t articles = 0;
  std::string first_date; // "" when none of them is dated
  std::string last_date;
};

// The part of storing an article that needs no database: the body as stored (compressed),
// its near-duplicate sketch and shingles, its word count, and the index's analysis of its
// title and body. Thread-safe; ingest computes it on its parser threads.
struct PreparedArticle {
  std::string stored_body; // one zstd frame
  DuplicateSketch sketch;
  std::vector<std::uint64_t> shingles; // unique 4-word shingle hashes (shingle_hashes)
  std::int64_t word_count = 0;
  PreparedText title_tokens; // of article.display_title()
  PreparedText body_tokens;
};
PreparedArticle prepare_article(const Article& article);

class ArticleStore {
public:
  // Opens (or creates, in read_write mode) the archive at `path`. Throws StoreError when it
  // is not a newsidx archive, was written by a newer schema, or cannot be opened.
  static ArticleStore open(const std::filesystem::path& path, OpenMode mode);

  ArticleStore(ArticleStore&&) noexcept;
  ArticleStore& operator=(ArticleStore&&) noexcept;
  ~ArticleStore();

  const std::filesystem::path& path() const;

  // Batches: everything between begin_batch() and commit_batch() is one transaction.
  void begin_batch();
  void commit_batch();
  void rollback_batch();

  // Bulk loading, for an ingest that adds many articles to a small archive. Every insert
  // into a secondary index with random keys dirties a page of its own once the archive is
  // large, and each such page is written to the WAL and again to the database file; sorting
  // the keys once at the end writes each page once. begin_bulk_load() drops the indexes
  // ingest never reads (schema::bulk_deferred_indexes: dates, sources, authors and the
  // near-duplicate bands) and the unique index on content hashes, and keeps the band keys
  // and the hashes in memory instead (about 130 bytes per article); end_bulk_load() builds
  // the indexes again, after merging the full-text index's segments from the load's last
  // batches into one where that is cheap (src/index_segments.hpp), and returns how many
  // segments it merged (0: none). Both run outside a batch. Queries meanwhile give the
  // same answers, more slowly. If the process dies in between, restore_deferred_indexes()
  // (run by every ingest) builds what is missing. `articles_after_load` (stored plus expected)
  // sizes the in-memory tables.
  void begin_bulk_load(std::size_t articles_after_load);
  int end_bulk_load();
  bool in_bulk_load() const;
  // Builds the deferred indexes that are missing; returns how many.
  int restore_deferred_indexes();
  std::int64_t article_count();

  std::optional<FileRecord> find_file(const std::string& path);
  // Records new size/mtime for a file whose content is unchanged.
  void refresh_file(const FileRecord& file);
  // Stores `article` as the content of `file` (path, size, mtime, hash). The content hash
  // identifies identical articles across files; near-duplicates (near_duplicates.hpp) are
  // linked to the earlier article they fold into.
  // `prepared` is prepare_article(article) when the caller computed it already (ingest's
  // parser threads do, so that the one writer thread only writes); put() may move from it.
  // Inside a batch, new articles reach the full-text index at commit_batch(), in rowid
  // order: FTS5 writes a segment whenever a rowid is lower than the one before, and
  // date-ordered ids arrive in any order.
  PutOutcome put(const FileRecord& file, const Article& article,
                 PreparedArticle* prepared = nullptr);

  // The file records with paths from `first` to `last` (byte order), perhaps more, for
  // ingest to decide without a query per file what changed among the `expected` paths it
  // is about to read.
  std::vector<FileRecord> files_between(const std::string& first, const std::string& last,
                                        std::size_t expected);
  // Removes the records of files under `roots` (or anywhere, when empty) that no longer
  // exist, and the articles left without a file. Returns how many files were removed.
  std::int64_t prune_missing(const std::vector<std::string>& roots);

  // Takes the archive's writer lock (a lock file beside it) for the life of the store.
  // Throws StoreBusyError when another newsidx holds it and `wait` is false.
  void lock_for_writing(bool wait);

  CheckReport check();
  // Merges the FTS5 index and vacuums; returns the archive size before and after.
  std::pair<std::int64_t, std::int64_t> optimize();

  std::optional<StoredArticle> get(std::int64_t id);
  ArchiveStats stats();
  // Articles per outlet, most first.
  std::vector<SourceSummary> sources();

  struct Impl;
  Impl& impl() { return *m_impl; }

private:
  PutOutcome put_unindexed(const FileRecord& file, const Article& article,
                           PreparedArticle* prepared);
  explicit ArticleStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Hex digest (128-bit XXH3) of `bytes`.
std::string content_hash(std::string_view bytes);

} // namespace newsidx
