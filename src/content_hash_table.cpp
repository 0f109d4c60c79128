#include "content_hash_table.hpp"

#include <xxhash.h>

#include <algorithm>
#include <bit>

namespace newsidx {

namespace {

// The smallest table made. Tables stay at most half full, so that probe runs stay short.
constexpr std::size_t k_min_capacity = 1024;

} // namespace

std::uint64_t ContentHashTable::key_of(std::string_view hash) {
  // Stored hashes are XXH128 in hex, but rows of any program may hold any text: hash it.
  return XXH3_64bits(hash.data(), hash.size());
}

void ContentHashTable::reserve(std::size_t entries) {
  std::size_t wanted = std::bit_ceil(std::max(2 * entries, k_min_capacity));
  if (wanted > m_slots.size()) grow(wanted);
}

void ContentHashTable::grow(std::size_t capacity) {
  std::vector<Slot> old = std::move(m_slots);
  m_slots.assign(capacity, Slot{});
  m_used = 0;
  for (const Slot& slot : old) {
    if (slot.id != 0) place(slot.key, slot.id);
  }
}

void ContentHashTable::add(std::string_view hash, std::int64_t id) {
  if (id <= 0) return;
  if (2 * (m_used + 1) > m_slots.size())
    grow(m_slots.empty() ? k_min_capacity : 2 * m_slots.size());
  place(key_of(hash), id);
}

void ContentHashTable::place(std::uint64_t key, std::int64_t id) {
  std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
    Slot& slot = m_slots[i];
    if (slot.id == 0) {
      slot = Slot{key, id};
      ++m_used;
      return;
    }
    if (slot.key == key && slot.id == id) return; // listed already
  }
}

void ContentHashTable::find(std::string_view hash, std::vector<std::int64_t>& ids) const {
  ids.clear();
  if (m_slots.empty()) return;
  std::uint64_t key = key_of(hash);
  std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(key) & mask; m_slots[i].id != 0;
       i = (i + 1) & mask) {
    if (m_slots[i].key == key) ids.push_back(m_slots[i].id);
  }
}

void ContentHashTable::clear() {
  std::vector<Slot>().swap(m_slots);
  m_used = 0;
}

} // namespace newsidx
