// Shingle sets of the articles stored during a bulk load, kept in a temporary file beside
// the archive, so that a near-duplicate check reads a candidate's set back (one pread)
// instead of reading, decompressing and cutting its body into shingles again. At a
// million articles that re-derivation was about an eighth of the single writer's time:
// candidates are spread over the whole archive, so no in-memory cache of bounded size
// holds them, and holding every set in memory would take gigabytes.
//
// It is a cache: every failure (no room for the file, a short read) makes it answer "not
// here", and the caller derives the set from the body as before. It also gives up before
// the file system runs short of space for the archive. The file is unlinked at
// once (O_TMPFILE where the file system has it), so nothing is left behind after a crash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace newsidx {

class ShingleSpill {
public:
  // A spill file in `directory`, written `buffer_values` shingles at a time; null when
  // none can be created there. It stops growing (and gives its space back) rather than
  // leave the file system less than `keep_free_bytes`: the archive beside it needs the room
  // more.
  static std::unique_ptr<ShingleSpill> create(const std::filesystem::path& directory,
                                              std::size_t buffer_values = k_buffer_values,
                                              std::uint64_t keep_free_bytes = k_keep_free_bytes);
  static constexpr std::size_t k_buffer_values = std::size_t{1} << 19;       // 4 MiB
  static constexpr std::uint64_t k_keep_free_bytes = std::uint64_t{2} << 30; // 2 GiB
  ~ShingleSpill();
  ShingleSpill(const ShingleSpill&) = delete;
  ShingleSpill& operator=(const ShingleSpill&) = delete;

  // Keeps `shingles` as article `id`'s set (replacing an earlier one).
  void add(std::int64_t id, const std::vector<std::uint64_t>& shingles);
  // Article `id`'s set, in the order it was added, into `shingles`; false when it is not
  // here (never added, or the file failed; `shingles` is then empty or untouched).
  bool find(std::int64_t id, std::vector<std::uint64_t>& shingles) const;
  // Articles it has a set for.
  std::size_t size() const { return m_places_used - m_forgotten; }
  // Bytes written to the file so far (what it takes on disk).
  std::uint64_t file_bytes() const { return m_flushed; }

private:
  ShingleSpill(int fd, std::size_t buffer_values, std::uint64_t keep_free_bytes);
  bool flush();
  void give_up();

  // Where article `id`'s set is. An open-addressing table (linear probing, a power of two
  // in size, at most half full) rather than a node per article: at a million articles
  // add() and find() were a tenth of the writer's time, partly the nodes' allocations and
  // the pointer chase of each look-up.
  struct Place {
    std::int64_t id = k_no_id;
    // The offset in values of 8 bytes from the start of the file, in the low 40 bits;
    // the set's size above them.
    std::uint64_t where = 0;
  };
  static constexpr std::int64_t k_no_id = INT64_MIN; // an empty slot
  static constexpr int k_offset_bits = 40;
  // Larger sets (and any past 8 TiB of file) are not spilled.
  static constexpr std::uint64_t k_max_count = (std::uint64_t{1} << (64 - k_offset_bits)) - 1;
  static constexpr std::uint64_t k_max_offset = (std::uint64_t{1} << k_offset_bits) - 1;
  const Place* find_place(std::int64_t id) const;
  void set_place(std::int64_t id, std::uint64_t where);
  void forget(std::int64_t id);
  static bool forgotten(const Place& place) { return (place.where & k_max_offset) == k_max_offset; }
  int m_fd;
  bool m_failed = false;
  std::uint64_t m_flushed = 0;         // bytes in the file
  std::vector<std::uint64_t> m_buffer; // values after those in the file
  std::size_t m_buffer_values;
  std::uint64_t m_keep_free_bytes;
  std::vector<Place> m_places;
  std::size_t m_places_used = 0; // slots that hold an id
  std::size_t m_forgotten = 0;   // ... marked "not here" by forget()
};

} // namespace newsidx
