// Checkpoints an archive's write-ahead log on a thread of its own during a bulk load.
// A checkpoint copies the pages the WAL holds into the database file and syncs it: at a
// million articles about 36 checkpoints of 1 GiB, each stopping the single writer for the
// copy and the fsyncs. Here the copy of the first 1 GiB runs beside the writer, through a
// connection of the checkpointer's own (SQLite lets a checkpoint run while another
// connection writes), and the writer only copies what came after it, so that the next
// transaction can start the WAL over.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace newsidx {

class WalCheckpointer {
public:
  // Takes over the checkpoints of `writer` (an open connection to the database at `path`,
  // in WAL mode) until stop(). A background pass starts once the WAL holds
  // `background_pages` pages; once it holds `writer_pages` the writer finishes the job.
  // Throws StoreError when the second connection cannot be opened.
  WalCheckpointer(sqlite3* writer, const std::string& path, int background_pages, int writer_pages);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // For the writer, after each commit (outside any transaction).
  void after_commit();
  // Starts a background pass now, whatever the WAL's length (after the one under way, if
  // any): at the end of a bulk load, so that the WAL is copied while the indexes are built
  // rather than when the archive is closed.
  void start_pass();
  // Waits for a pass under way or asked for, ends the thread and gives the writer back its
  // automatic checkpoints (it then sets their interval again).
  void stop();

private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void request_pass(); // with m_mutex held
  void run();

  sqlite3* m_writer = nullptr;
  sqlite3* m_own = nullptr;
  const int m_background_pages;
  const int m_writer_pages;
  int m_wal_pages = 0; // the WAL's length after the last commit (written by the writer only)
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_done;
  bool m_requested = false;
  bool m_busy = false;
  bool m_quit = false;
  std::thread m_thread;
};

} // namespace newsidx
