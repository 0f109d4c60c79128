// In-memory stand-in for the unique index on articles.content_hash while a bulk load has it
// dropped (ArticleStore::begin_bulk_load): which article ids may hold a given content hash.
// Each hash is kept as a 64-bit key, and entries are never removed, so a look-up can list
// ids whose article has since changed, been deleted or holds another hash of the same key;
// callers check each id against its stored row. It never misses an id that was added.
// 16 bytes a slot, at most 70% full: 23 MB at a million articles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace newsidx {

class ContentHashTable {
public:
  // Room for `entries` entries without growing.
  void reserve(std::size_t entries);
  // Lists article `id` (positive) under `hash` (as stored in articles.content_hash).
  void add(std::string_view hash, std::int64_t id);
  // The ids listed under `hash`, in the order added, into `ids` (cleared first).
  void find(std::string_view hash, std::vector<std::int64_t>& ids) const;
  void clear();
  std::size_t size() const { return m_used; }

private:
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t id = 0; // 0: empty
  };
  static std::uint64_t key_of(std::string_view hash);
  std::size_t home(std::uint64_t key) const;
  void place(std::uint64_t key, std::int64_t id);
  void grow(std::size_t capacity);

  std::vector<Slot> m_slots; // open addressing, linear probing; any size
  std::size_t m_used = 0;
};

} // namespace newsidx
