#include "shingle_spill.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace newsidx {

namespace {

// An unnamed file in `directory`: O_TMPFILE, else a named one unlinked at once.
int open_unnamed_file(const std::filesystem::path& directory) {
#ifdef O_TMPFILE
  int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
#endif
  std::string name = (directory / ".newsidx-shingles-XXXXXX").string();
  int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named < 0) return -1;
  ::unlink(name.c_str());
  return named;
}

} // namespace

std::unique_ptr<ShingleSpill> ShingleSpill::create(const std::filesystem::path& directory,
                                                   std::size_t buffer_values,
                                                   std::uint64_t keep_free_bytes) {
  int fd = open_unnamed_file(directory.empty() ? std::filesystem::path(".") : directory);
  if (fd < 0) return nullptr;
  return std::unique_ptr<ShingleSpill>(
      new ShingleSpill(fd, std::max<std::size_t>(1, buffer_values), keep_free_bytes));
}

ShingleSpill::ShingleSpill(int fd, std::size_t buffer_values, std::uint64_t keep_free_bytes)
  : m_fd(fd), m_buffer_values(buffer_values), m_keep_free_bytes(keep_free_bytes) {
  m_buffer.reserve(buffer_values);
}

ShingleSpill::~ShingleSpill() {
  ::close(m_fd);
}

bool ShingleSpill::flush() {
  const std::uint64_t bytes = m_buffer.size() * sizeof(std::uint64_t);
  struct statvfs fs {};
  if (::fstatvfs(m_fd, &fs) != 0 ||
      static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < bytes + m_keep_free_bytes) {
    return false;
  }
  const char* data = reinterpret_cast<const char*>(m_buffer.data());
  std::size_t left = bytes;
  while (left > 0) {
    ssize_t written = ::pwrite(m_fd, data, left, static_cast<off_t>(m_flushed));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    left -= static_cast<std::size_t>(written);
    m_flushed += static_cast<std::uint64_t>(written);
  }
  m_buffer.clear();
  return true;
}

void ShingleSpill::add(std::int64_t id, const std::vector<std::uint64_t>& shingles) {
  if (m_failed) return;
  if (shingles.size() > k_max_count) {
    forget(id);
    return;
  }
  if (m_buffer.size() + shingles.size() > m_buffer_values && !m_buffer.empty() && !flush()) {
    give_up();
    return;
  }
  const std::uint64_t offset = m_flushed / sizeof(std::uint64_t) + m_buffer.size();
  if (offset >= k_max_offset) {
    forget(id);
    return;
  }
  m_buffer.insert(m_buffer.end(), shingles.begin(), shingles.end());
  set_place(id, offset | (std::uint64_t{shingles.size()} << k_offset_bits));
}

namespace {

// The slot where a look-up of `id` starts: ids are dates times 10^7 plus a count, so
// their bits are mixed (Fibonacci hashing) before the table's mask takes the low ones.
std::size_t home_slot(std::int64_t id, std::size_t mask) {
  std::uint64_t h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL;
  return static_cast<std::size_t>(h ^ (h >> 32)) & mask;
}

} // namespace

const ShingleSpill::Place* ShingleSpill::find_place(std::int64_t id) const {
  if (m_places.empty()) return nullptr;
  const std::size_t mask = m_places.size() - 1;
  for (std::size_t i = home_slot(id, mask);; i = (i + 1) & mask) {
    const Place& place = m_places[i];
    if (place.id == id) return &place;
    if (place.id == k_no_id) return nullptr;
  }
}

void ShingleSpill::set_place(std::int64_t id, std::uint64_t where) {
  if ((m_places_used + 1) * 2 > m_places.size()) {
    std::vector<Place> old = std::move(m_places);
    m_places.assign(std::max<std::size_t>(1024, old.size() * 2), Place{});
    m_places_used = 0;
    m_forgotten = 0;
    for (const Place& place : old) {
      if (place.id != k_no_id) set_place(place.id, place.where);
    }
  }
  const std::size_t mask = m_places.size() - 1;
  std::size_t i = home_slot(id, mask);
  while (m_places[i].id != k_no_id && m_places[i].id != id)
    i = (i + 1) & mask;
  if (m_places[i].id == k_no_id) {
    ++m_places_used;
  } else if (forgotten(m_places[i])) {
    --m_forgotten;
  }
  m_places[i] = Place{id, where};
  if (forgotten(m_places[i])) ++m_forgotten;
}

// An id whose new set is not kept must not answer with its old one. Its slot stays (other
// ids' probes pass through it), marked with the largest offset, which find() reads as
// "not here".
void ShingleSpill::forget(std::int64_t id) {
  if (find_place(id)) set_place(id, k_max_offset);
}

// The disk is short of space or failing: the bodies answer from now on, and the file's
// space goes back to the file system.
void ShingleSpill::give_up() {
  m_failed = true;
  m_places = {};
  m_places_used = 0;
  m_forgotten = 0;
  m_buffer = {};
  if (::ftruncate(m_fd, 0) == 0) m_flushed = 0;
}

bool ShingleSpill::find(std::int64_t id, std::vector<std::uint64_t>& shingles) const {
  if (m_failed) return false;
  const Place* found = find_place(id);
  if (!found) return false;
  if (forgotten(*found)) return false;
  const std::uint64_t offset = found->where & k_max_offset;
  const std::size_t count = static_cast<std::size_t>(found->where >> k_offset_bits);
  shingles.resize(count);
  const std::uint64_t in_file = m_flushed / sizeof(std::uint64_t);
  if (offset >= in_file) {
    const auto* start = m_buffer.data() + (offset - in_file);
    std::copy(start, start + count, shingles.begin());
    return true;
  }
  char* data = reinterpret_cast<char*>(shingles.data());
  std::size_t left = count * sizeof(std::uint64_t);
  off_t at = static_cast<off_t>(offset * sizeof(std::uint64_t));
  while (left > 0) {
    ssize_t got = ::pread(m_fd, data, left, at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      shingles.clear();
      return false;
    }
    data += got;
    left -= static_cast<std::size_t>(got);
    at += got;
  }
  return true;
}

} // namespace newsidx
