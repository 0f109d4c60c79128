// Private to the library: the state behind ArticleStore, shared with the query module so
// that it can run its own statements on the same connection.
#pragma once

#include "band_table.hpp"
#include "content_hash_table.hpp"
#include "newsidx/store.hpp"
#include "shingle_spill.hpp"
#include "sqlite.hpp"
#include "wal_checkpointer.hpp"

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace newsidx {

// SQL for the stored body of article `a` (in article_bodies since schema version 5, inline
// in articles.body before), as text.
#define NEWSIDX_BODY_BYTES_SQL                                                                     \
  "coalesce((SELECT b.body FROM article_bodies b WHERE b.id = a.body_id), a.body)"
inline constexpr const char* k_body_text_sql = "newsidx_text(" NEWSIDX_BODY_BYTES_SQL ")";

struct ArticleStore::Impl {
  std::filesystem::path path;
  sqlite::Connection db;
  bool writable = false;
  bool in_batch = false;
  int lock_fd = -1; // the writer lock file, held while >= 0

  // Articles stored in this batch whose index entries are still to be written (in rowid
  // order, at the end of the batch or before anything that updates or deletes articles).
  struct PendingIndexEntry {
    std::int64_t id = 0;
    std::string lang;
    std::string title;
    std::string body;
    PreparedText title_tokens;
    PreparedText body_tokens;
  };
  std::vector<PendingIndexEntry> pending_index;
  // The next free article id of each day seen (see allocate_id in store.cpp).
  std::unordered_map<int, std::int64_t> next_id_of_day;
  void write_pending_index();

  // Shingle sets of stored articles that near-duplicate checks compared against, by id.
  // The same few early articles come up as candidates again and again (a band key shared
  // by many articles lists its earliest ones), so they are not decompressed and cut into
  // shingles each time. Cleared whenever an article is updated or deleted.
  std::unordered_map<std::int64_t, std::vector<std::uint64_t>> candidate_shingles;

  // During a bulk load (ArticleStore::begin_bulk_load) the band indexes are dropped, and
  // near-duplicate candidates come from this table of every stored article's band keys.
  bool bulk_load = false;
  BandTable bands;
  // And exact duplicates are found here, the unique index on content_hash being dropped too:
  // every stored article's hash (ids checked against their rows, see ContentHashTable).
  ContentHashTable content_hashes;
  // Checkpoints the WAL beside the writer during a bulk load (after `db`: stopped first).
  std::unique_ptr<WalCheckpointer> checkpointer;
  // While true, every article the band table lists is stored with the bands it is listed
  // under, and `roots` holds the duplicate_of of those that have one, so a candidate needs
  // no look-up of its row. Any update, delete or rollback of articles during the bulk load
  // sets it to false (the table may then list ids that changed): rows are read again.
  bool bands_match_rows = false;
  std::unordered_map<std::int64_t, std::int64_t> roots;
  // Notes that stored articles changed under the band table.
  // The shingle sets of the articles stored during the bulk load, for near-duplicate checks.
  // Null when no temporary file could be made, and from the first change to stored articles
  // on (articles_changed), like bands_match_rows.
  std::unique_ptr<ShingleSpill> spill;
  void articles_changed() {
    bands_match_rows = false;
    roots.clear();
    spill.reset();
  }

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();
};

} // namespace newsidx
