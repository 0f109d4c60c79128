#include "newsidx/near_duplicates.hpp"

// Inlined (same results as the library): hashes of short words are called millions of times.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <string>
#include <vector>

namespace newsidx {

namespace {

constexpr std::size_t k_shingle_words = 4;
constexpr std::size_t k_min_words = 30;
constexpr std::size_t k_hashes = 8; // 4 bands x 2 rows

// Per byte: 0 between words, else the byte as a word holds it (ASCII letters lower-cased;
// digits and every byte of UTF-8 sequences kept as they are).
constexpr std::array<unsigned char, 256> k_word_bytes = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
      table[static_cast<std::size_t>(c)] = static_cast<unsigned char>(c);
    else if (c >= 'A' && c <= 'Z')
      table[static_cast<std::size_t>(c)] = static_cast<unsigned char>(c | 0x20);
  }
  return table;
}();

// Hashes of the lower-cased words, in order. (ASCII letters are lower-cased; other bytes,
// UTF-8 included, are kept as they are.) A word without capitals is hashed where it
// stands; others are lower-cased into a buffer first.
std::vector<std::uint64_t> word_hashes(std::string_view text) {
  std::vector<std::uint64_t> hashes;
  hashes.reserve(text.size() / 5);
  std::string lowered;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    while (i < size && k_word_bytes[bytes[i]] == 0)
      ++i;
    const std::size_t start = i;
    bool capitals = false;
    while (i < size && k_word_bytes[bytes[i]] != 0) {
      capitals |= k_word_bytes[bytes[i]] != bytes[i];
      ++i;
    }
    if (i == start) continue;
    if (!capitals) {
      hashes.push_back(XXH3_64bits(bytes + start, i - start));
      continue;
    }
    lowered.assign(text.substr(start, i - start));
    for (char& c : lowered)
      c = static_cast<char>(k_word_bytes[static_cast<unsigned char>(c)]);
    hashes.push_back(XXH3_64bits(lowered.data(), lowered.size()));
  }
  return hashes;
}

// Hashes of every run of k_shingle_words words, in text order, repeats included.
std::vector<std::uint64_t> shingles(std::string_view text) {
  std::vector<std::uint64_t> words = word_hashes(text);
  std::vector<std::uint64_t> result;
  if (words.size() < k_shingle_words) return result;
  result.reserve(words.size());
  for (std::size_t i = 0; i + k_shingle_words <= words.size(); ++i) {
    result.push_back(XXH3_64bits(&words[i], k_shingle_words * sizeof(std::uint64_t)));
  }
  return result;
}

// The number of slots of an open-addressing table for `count` values: a power of two, at
// most half full. Shingle hashes are XXH3 values, uniform in every bit, so a value's own
// low bits are its slot.
std::size_t table_size(std::size_t count) {
  return std::bit_ceil(std::max<std::size_t>(16, 2 * count));
}

// The h-th of k_hashes independent hash functions of a shingle hash: a multiply-xorshift
// finaliser (splitmix64's) over the value offset by a per-function odd constant.
std::uint64_t mix(std::uint64_t value, std::size_t h) {
  static constexpr std::uint64_t k_offsets[] = {
      0x9E3779B97F4A7C15ull, 0xBF58476D1CE4E5B9ull, 0x94D049BB133111EBull, 0xD6E8FEB86659FD93ull,
      0xA0761D6478BD642Full, 0xE7037ED1A0B428DBull, 0x8EBC6AF09C88C6E3ull, 0x589965CC75374CC3ull};
  std::uint64_t z = value + k_offsets[h];
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

} // namespace

DuplicateSketch duplicate_sketch(const std::vector<std::uint64_t>& set) {
  DuplicateSketch sketch;
  if (set.size() + k_shingle_words - 1 < k_min_words) return sketch;
  std::array<std::uint64_t, k_hashes> minimum;
  minimum.fill(std::numeric_limits<std::uint64_t>::max());
  for (std::uint64_t shingle : set) {
    for (std::size_t h = 0; h < k_hashes; ++h)
      minimum[h] = std::min(minimum[h], mix(shingle, h));
  }
  for (std::size_t band = 0; band < sketch.bands.size(); ++band) {
    std::uint64_t pair[2] = {minimum[2 * band], minimum[2 * band + 1]};
    std::uint64_t key = XXH3_64bits_withSeed(pair, sizeof pair, band);
    // Keep keys non-zero (0 marks "no sketch") and positive for SQLite.
    sketch.bands[band] = static_cast<std::int64_t>((key >> 1) | 1);
  }
  return sketch;
}

std::vector<std::uint64_t> shingle_hashes(std::string_view text) {
  std::vector<std::uint64_t> values = shingles(text);
  if (values.size() < 2) return values;
  // Drops repeats in place, keeping first occurrences, through a table of the values seen.
  thread_local std::vector<std::uint64_t> seen;
  seen.assign(table_size(values.size()), 0);
  const std::size_t mask = seen.size() - 1;
  bool zero_seen = false; // 0 marks an empty slot, so the value 0 is tracked apart
  std::size_t kept = 0;
  for (std::uint64_t value : values) {
    if (value == 0) {
      if (!zero_seen) values[kept++] = value;
      zero_seen = true;
      continue;
    }
    for (std::size_t i = value & mask;; i = (i + 1) & mask) {
      if (seen[i] == value) break;
      if (seen[i] == 0) {
        seen[i] = value;
        values[kept++] = value;
        break;
      }
    }
  }
  values.resize(kept);
  return values;
}

std::vector<std::uint64_t> shingle_set(std::string_view text) {
  std::vector<std::uint64_t> values = shingle_hashes(text);
  std::sort(values.begin(), values.end());
  return values;
}

ShingleLookup::ShingleLookup(const std::vector<std::uint64_t>& set) : m_size(set.size()) {
  m_slots.assign(table_size(set.size()), 0);
  m_mask = m_slots.size() - 1;
  for (std::uint64_t value : set) {
    if (value == 0) {
      m_has_zero = true;
      continue;
    }
    std::size_t i = value & m_mask;
    while (m_slots[i] != 0 && m_slots[i] != value)
      i = (i + 1) & m_mask;
    m_slots[i] = value;
  }
}

bool ShingleLookup::contains(std::uint64_t value) const {
  if (value == 0) return m_has_zero;
  for (std::size_t i = value & m_mask;; i = (i + 1) & m_mask) {
    if (m_slots[i] == value) return true;
    if (m_slots[i] == 0) return false;
  }
}

double ShingleLookup::similarity(const std::vector<std::uint64_t>& other) const {
  if (m_size == 0 || other.empty()) return 0;
  std::size_t common = 0;
  for (std::uint64_t value : other)
    common += contains(value) ? 1 : 0;
  return static_cast<double>(common) / static_cast<double>(m_size + other.size() - common);
}

double shingle_similarity(const std::vector<std::uint64_t>& x,
                          const std::vector<std::uint64_t>& y) {
  return ShingleLookup(x).similarity(y);
}

} // namespace newsidx
