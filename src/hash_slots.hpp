// Slot arithmetic shared by the open-addressing tables (band_table, content_hash_table),
// whose sizes need not be powers of two, so that each is no larger than it needs to be.
#pragma once

#include <cstddef>
#include <cstdint>

namespace newsidx {

// Where a probe for `key` (uniform in its top 32 bits) starts in a table of `size` slots
// (below 2^32): the top 32 bits scaled to the size, which fits in 64 bits.
inline std::size_t home_slot(std::uint64_t key, std::size_t size) {
  return static_cast<std::size_t>(((key >> 32) * size) >> 32);
}

// The slot after `slot` in linear probing, wrapping at the end.
inline std::size_t next_slot(std::size_t slot, std::size_t size) {
  return slot + 1 == size ? 0 : slot + 1;
}

} // namespace newsidx
