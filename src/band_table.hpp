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

  struct Entry {
    std::int64_t id = 0;
    // Size of the article's shingle set, 0 when unknown (articles stored before the bulk
    // load began, or sets of 65,535 shingles and more). Near-duplicates need sets of
    // similar size (Jaccard similarity is at most the smaller size over the larger), so
    // this rules candidates out without reading their bodies.
    std::uint32_t shingles = 0;
  };

  // Room for `entries` entries without growing.
  void reserve(std::size_t entries);
  // Lists article `id` (1 to 2^48 - 1) under `key` in `band`.
  void add(std::size_t band, std::int64_t key, std::int64_t id, std::size_t shingles = 0);
  // The entries listed for `key` in `band`, by ascending id, into `entries` (cleared first).
  void find(std::size_t band, std::int64_t key, std::vector<Entry>& entries) const;
  void clear();
  std::size_t size() const { return m_used; }

private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint64_t value = 0; // id in the low 48 bits, shingle count above; 0: empty
  };
  static constexpr int k_id_bits = 48;
  static constexpr std::uint64_t k_id_mask = (std::uint64_t{1} << k_id_bits) - 1;
  static std::int64_t id_of(std::uint64_t value) {
    return static_cast<std::int64_t>(value & k_id_mask);
  }
  static std::uint64_t slot_key(std::size_t band, std::int64_t key);
  std::size_t home(std::uint64_t key) const;
  void place(std::uint64_t key, std::uint64_t value);
  void grow(std::size_t capacity);

  std::vector<Slot> m_slots; // open addressing, linear probing; any size
  std::size_t m_used = 0;
};

} // namespace newsidx
