// Private to the library: the state behind ArticleStore, shared with the query module so
// that it can run its own statements on the same connection.
#pragma once

#include "newsidx/store.hpp"
#include "sqlite.hpp"

#include <vector>

namespace newsidx {

struct ArticleStore::Impl {
  std::filesystem::path path;
  sqlite::Connection db;
  bool writable = false;
  bool in_batch = false;
  int lock_fd = -1;  // the writer lock file, held while >= 0

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
  void write_pending_index();

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();
};

} // namespace newsidx
