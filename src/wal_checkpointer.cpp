#include "wal_checkpointer.hpp"

#include "newsidx/errors.hpp"

#include <pthread.h>

#include <string>

namespace newsidx {

WalCheckpointer::WalCheckpointer(sqlite3* writer, const std::string& path, int background_pages,
                                 int writer_pages)
  : m_writer(writer), m_background_pages(background_pages), m_writer_pages(writer_pages) {
  if (sqlite3_open_v2(path.c_str(), &m_own, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = m_own ? sqlite3_errmsg(m_own) : "out of memory";
    sqlite3_close(m_own);
    throw StoreError("cannot open " + path + " for checkpoints: " + message);
  }
  sqlite3_busy_timeout(m_own, 10'000);
  // The syncs of its checkpoints follow this connection's setting: the writer's.
  sqlite3_exec(m_own, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
  sqlite3_wal_hook(m_writer, &WalCheckpointer::on_commit, this);
  m_thread = std::thread([this] {
    ::pthread_setname_np(::pthread_self(), "newsidx-ckpt"); // for top -H and profilers
    run();
  });
}

WalCheckpointer::~WalCheckpointer() {
  stop();
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  static_cast<WalCheckpointer*>(self)->m_wal_pages = pages;
  return SQLITE_OK;
}

void WalCheckpointer::after_commit() {
  std::unique_lock lock(m_mutex);
  if (m_quit) return;
  if (m_wal_pages >= m_writer_pages) {
    // Copy what the background pass left (the batches committed since it began), so that
    // the WAL is copied in full and the next transaction writes it from its start again.
    m_done.wait(lock, [&] { return !m_busy; });
    lock.unlock();
    sqlite3_wal_checkpoint_v2(m_writer, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return;
  }
  if (m_wal_pages >= m_background_pages && !m_busy) request_pass();
}

void WalCheckpointer::start_pass() {
  std::lock_guard lock(m_mutex);
  if (!m_quit) request_pass(); // a pass under way is followed by another: the rest
}

void WalCheckpointer::request_pass() {
  m_requested = true;
  m_busy = true;
  m_wake.notify_one();
}

void WalCheckpointer::run() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_wake.wait(lock, [&] { return m_requested || m_quit; });
    if (!m_requested) break; // stopped; a pass asked for is made first
    m_requested = false;
    lock.unlock();
    // PASSIVE: copies every page the WAL holds up to its end at this moment, without
    // waiting for readers or the writer; a failure (a reader's old snapshot, a full disk)
    // is left to the writer's own checkpoint, which reports what it must.
    sqlite3_wal_checkpoint_v2(m_own, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    m_busy = m_requested; // another pass was asked for meanwhile (start_pass)
    m_done.notify_all();
  }
  m_busy = false;
  m_done.notify_all();
}

void WalCheckpointer::stop() {
  {
    std::lock_guard lock(m_mutex);
    if (!m_thread.joinable()) return;
    m_quit = true;
  }
  m_wake.notify_one();
  m_thread.join();
  sqlite3_wal_hook(m_writer, nullptr, nullptr);
  sqlite3_close(m_own);
  m_own = nullptr;
}

} // namespace newsidx
