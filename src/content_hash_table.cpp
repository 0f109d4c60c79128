#include "content_hash_table.hpp"

#include "hash_slots.hpp"

#include <xxhash.h>

#include <algorithm>

namespace newsidx {

namespace {

// The smallest table made, and how full a table may get before it grows.
constexpr std::size_t k_min_capacity = 1024;
constexpr double k_max_load = 0.7;

std::size_t capacity_for(std::size_t entries) {
  return std::max(k_min_capacity,
                  static_cast<std::size_t>(static_cast<double>(entries) / k_max_load) + 1);
}

} // namespace

std::uint64_t ContentHashTable::key_of(std::string_view hash) {
  // Stored hashes are XXH128 in hex, but rows of any program may hold any text: hash it.
  return XXH3_64bits(hash.data(), hash.size());
}

// Where a key's probe starts (keys are XXH3 values, uniform in every bit).
std::size_t ContentHashTable::home(std::uint64_t key) const {
  return home_slot(key, m_slots.size());
}

void ContentHashTable::reserve(std::size_t entries) {
  std::size_t wanted = capacity_for(entries);
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
  if (static_cast<double>(m_used + 1) > k_max_load * static_cast<double>(m_slots.size()))
    grow(capacity_for(2 * (m_used + 1)));
  place(key_of(hash), id);
}

void ContentHashTable::place(std::uint64_t key, std::int64_t id) {
  const std::size_t size = m_slots.size();
  for (std::size_t i = home(key);; i = next_slot(i, size)) {
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
  const std::size_t size = m_slots.size();
  for (std::size_t i = home(key); m_slots[i].id != 0; i = next_slot(i, size)) {
    if (m_slots[i].key == key) ids.push_back(m_slots[i].id);
  }
}

void ContentHashTable::clear() {
  std::vector<Slot>().swap(m_slots);
  m_used = 0;
}

} // namespace newsidx
