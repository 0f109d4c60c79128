#include "band_table.hpp"

#include "hash_slots.hpp"

#include <algorithm>

namespace newsidx {

namespace {

// The table stays at most this full, so that probe runs stay short.
constexpr double k_max_load = 0.6;

std::uint64_t mix(std::uint64_t x) { // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

} // namespace

std::uint64_t BandTable::slot_key(std::size_t band, std::int64_t key) {
  // Keys of different bands may collide here; callers check the band column anyway.
  return static_cast<std::uint64_t>(key) ^ (0x9E3779B97F4A7C15ull * (band + 1));
}

// The mixed key scaled to the table, whose size need not be a power of two: reserve() makes
// it no larger than it needs to be (107 MB for 4 million keys rather than 134).
std::size_t BandTable::home(std::uint64_t key) const {
  return home_slot(mix(key), m_slots.size());
}

void BandTable::reserve(std::size_t entries) {
  auto wanted = static_cast<std::size_t>(static_cast<double>(entries) / k_max_load) + 1;
  if (wanted > m_slots.size()) grow(wanted);
}

void BandTable::grow(std::size_t capacity) {
  std::vector<Slot> old = std::move(m_slots);
  m_slots.assign(std::max<std::size_t>(capacity, 64), Slot{});
  m_used = 0;
  for (const Slot& slot : old) {
    if (slot.value != 0) place(slot.key, slot.value);
  }
}

void BandTable::add(std::size_t band, std::int64_t key, std::int64_t id, std::size_t shingles) {
  if (id <= 0 || static_cast<std::uint64_t>(id) > k_id_mask) return;
  if (static_cast<double>(m_used + 1) > k_max_load * static_cast<double>(m_slots.size())) {
    grow(m_slots.empty() ? 1024 : m_slots.size() * 2);
  }
  std::uint64_t count = shingles < 0xFFFF ? shingles : 0;
  place(slot_key(band, key), static_cast<std::uint64_t>(id) | (count << k_id_bits));
}

void BandTable::place(std::uint64_t key, std::uint64_t value) {
  const std::size_t size = m_slots.size();
  std::size_t listed = 0;
  Slot* largest = nullptr;
  for (std::size_t i = home(key);; i = next_slot(i, size)) {
    Slot& slot = m_slots[i];
    if (slot.value == 0) {
      if (listed < k_kept_per_key) {
        slot = Slot{key, value};
        ++m_used;
      } else if (id_of(value) < id_of(largest->value)) {
        largest->value = value; // keep the smallest ids of the key
      }
      return;
    }
    if (slot.key != key) continue;
    if (id_of(slot.value) == id_of(value)) {
      slot.value = value;
      return;
    }
    ++listed;
    if (!largest || id_of(slot.value) > id_of(largest->value)) largest = &slot;
  }
}

void BandTable::find(std::size_t band, std::int64_t key, std::vector<Entry>& entries) const {
  entries.clear();
  if (m_slots.empty()) return;
  std::uint64_t wanted = slot_key(band, key);
  const std::size_t size = m_slots.size();
  for (std::size_t i = home(wanted); m_slots[i].value != 0; i = next_slot(i, size)) {
    if (m_slots[i].key == wanted) {
      entries.push_back(Entry{id_of(m_slots[i].value),
                              static_cast<std::uint32_t>(m_slots[i].value >> k_id_bits)});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
}

void BandTable::clear() {
  std::vector<Slot>().swap(m_slots);
  m_used = 0;
}

} // namespace newsidx
