#include "directory_listing.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <string_view>
#include <system_error>

namespace newsidx {

DirectoryListing DirectoryListing::read(const std::string& dir) {
  DirectoryListing listing;
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    listing.open_error = errno;
    return listing;
  }
  struct stat st {};
  if (::fstat(dir_fd, &st) == 0) {
    listing.identified = true;
    listing.device = st.st_dev;
    listing.inode = st.st_ino;
  }
  DIR* directory = ::fdopendir(dir_fd);
  if (!directory) {
    listing.open_error = errno;
    ::close(dir_fd);
    return listing;
  }
  errno = 0;
  while (const dirent* entry = ::readdir(directory)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") listing.entries.push_back(Entry{std::string(name)});
    errno = 0;
  }
  listing.read_error = errno;
  std::sort(listing.entries.begin(), listing.entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (Entry& entry : listing.entries) {
    if (::fstatat(dir_fd, entry.name.c_str(), &entry.target, AT_SYMLINK_NOFOLLOW) != 0) {
      entry.error = -1;
    } else if (S_ISLNK(entry.target.st_mode) &&
               ::fstatat(dir_fd, entry.name.c_str(), &entry.target, 0) != 0) {
      entry.error = errno;
    }
  }
  ::closedir(directory); // closes dir_fd
  return listing;
}

DirectoryLister::DirectoryLister(int threads, std::size_t ahead)
  : m_threads(threads), m_ahead(std::max<std::size_t>(ahead, 1)) {}

DirectoryLister::~DirectoryLister() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_work.notify_all();
  for (std::thread& helper : m_helpers)
    helper.join();
}

void DirectoryLister::queue_next(const std::vector<std::string>& dirs) {
  if (dirs.empty() || m_threads <= 0) return;
  {
    std::lock_guard lock(m_mutex);
    m_queue.insert(m_queue.begin(), dirs.begin(), dirs.end());
    if (m_helpers.empty()) {
      try {
        for (int t = 0; t < m_threads; ++t)
          m_helpers.emplace_back(&DirectoryLister::work, this);
      } catch (const std::system_error&) {
        // No thread to be had: take() lists what the helpers that started do not.
      }
    }
  }
  m_work.notify_all();
}

DirectoryListing DirectoryLister::take(const std::string& dir) {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (auto ready = m_ready.find(dir); ready != m_ready.end()) {
      DirectoryListing listing = std::move(ready->second);
      m_ready.erase(ready);
      lock.unlock();
      m_work.notify_one(); // room for one more ahead
      return listing;
    }
    if (m_running.count(dir) == 0) break;
    m_done.wait(lock);
  }
  // Not started (or never queued): list it here rather than wait for a helper.
  if (auto queued = std::find(m_queue.begin(), m_queue.end(), dir); queued != m_queue.end())
    m_queue.erase(queued);
  lock.unlock();
  return DirectoryListing::read(dir);
}

void DirectoryLister::work() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_work.wait(lock, [&] {
      return m_stop || (!m_queue.empty() && m_ready.size() + m_running.size() < m_ahead);
    });
    if (m_stop) return;
    std::string dir = std::move(m_queue.front());
    m_queue.pop_front();
    m_running.insert(dir);
    lock.unlock();
    DirectoryListing listing;
    try {
      listing = DirectoryListing::read(dir);
    } catch (const std::bad_alloc&) {
      listing = DirectoryListing{};
      listing.open_error = ENOMEM;
    }
    lock.lock();
    m_running.erase(dir);
    m_ready.insert_or_assign(std::move(dir), std::move(listing));
    m_done.notify_all();
  }
}

} // namespace newsidx
