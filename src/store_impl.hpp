// Private to the library: the state behind ArticleStore, shared with the query module so
// that it can run its own statements on the same connection.
#pragma once

#include "newsidx/store.hpp"
#include "sqlite.hpp"

namespace newsidx {

struct ArticleStore::Impl {
  std::filesystem::path path;
  sqlite::Connection db;
  bool writable = false;
  bool in_batch = false;
  int lock_fd = -1;  // the writer lock file, held while >= 0

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();
};

} // namespace newsidx
