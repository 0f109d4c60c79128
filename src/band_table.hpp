// In-memory stand-in for the near-duplicate band indexes (articles_dup_band0..3) while a
// bulk load has them dropped (ArticleStore::begin_bulk_load): for each band and band key,
// the smallest article ids that have it. The band queries it replaces read the four
// smallest ids of a key, so keeping the k_kept_per_key smallest answers them as the index
// did. Entries are never removed: an article that was updated or deleted may still be
// listed, and callers check each id against its stored row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsidx {

class BandTable {
public:
  static constexpr std::size_t k_kept_per_key = 16;

  // Room for `entries` entries without growing.
  void reserve(std::size_t entries);
  void add(std::size_t band, std::int64_t key, std::int64_t id);
  // The ids listed for `key` in `band`, ascending, into `ids` (cleared first).
  void find(std::size_t band, std::int64_t key, std::vector<std::int64_t>& ids) const;
  void clear();
  std::size_t size() const { return m_used; }

private:
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t id = 0; // 0: empty (article ids start at 1)
  };
  static std::uint64_t slot_key(std::size_t band, std::int64_t key);
  std::size_t home(std::uint64_t key) const;
  void place(std::uint64_t key, std::int64_t id);
  void grow(std::size_t capacity);

  std::vector<Slot> m_slots; // open addressing, linear probing; size a power of two
  std::size_t m_used = 0;
};

} // namespace newsidx
