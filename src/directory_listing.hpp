// Directory listings for ingest's walk: the names in a directory, sorted, each with its
// stat (the target's, for a symlink). A DirectoryLister lists the directories the walk
// will enter next on helper threads while the walk goes on, because at a million files
// listing and stat-ing is most of a walk's time and runs on one core otherwise. The walk
// itself stays on its own thread and in its own order; only the system calls move.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <set>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newsidx {

struct DirectoryListing {
  struct Entry {
    std::string name;
    struct stat target {};
    int error = 0; // of a symlink whose target cannot be looked at; -1: entry gone
  };
  int open_error = 0; // errno of opening the directory (ENOENT: gone since it was seen)
  int read_error = 0; // errno of reading it; the entries read before are kept
  // The directory's identity, for finding symlink loops (when fstat could tell it).
  bool identified = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::vector<Entry> entries; // sorted by name

  // The entries are listed and looked at through the directory's descriptor, so that
  // each stat resolves one name rather than the whole path again.
  static DirectoryListing read(const std::string& dir);
};

class DirectoryLister {
public:
  // Up to `threads` helper threads (started when the first directory is queued), which
  // keep at most `ahead` listings done and not yet taken, to bound memory.
  explicit DirectoryLister(int threads = 2, std::size_t ahead = 8);
  ~DirectoryLister();
  DirectoryLister(const DirectoryLister&) = delete;
  DirectoryLister& operator=(const DirectoryLister&) = delete;

  // Queues directories to list, in the order they will be taken, ahead of those queued
  // before (the walk goes depth first).
  void queue_next(const std::vector<std::string>& dirs);
  // The listing of `dir`: one a helper made or is making, or made now on this thread.
  DirectoryListing take(const std::string& dir);

private:
  void work();

  const int m_threads;
  const std::size_t m_ahead;
  std::mutex m_mutex;
  std::condition_variable m_work;  // helpers: something queued, room ahead, or stop
  std::condition_variable m_done;  // take(): a listing finished
  std::deque<std::string> m_queue; // not started
  std::set<std::string> m_running;
  std::map<std::string, DirectoryListing> m_ready;
  bool m_stop = false;
  std::vector<std::thread> m_helpers;
};

} // namespace newsidx
