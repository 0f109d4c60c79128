#include "newsidx/near_duplicates.hpp"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace newsidx {

namespace {

constexpr std::size_t k_shingle_words = 4;
constexpr std::size_t k_min_words = 30;
constexpr std::size_t k_hashes = 8;  // 4 bands x 2 rows

bool is_word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// Hashes of the lower-cased words, in order. (ASCII letters are lower-cased; other bytes,
// UTF-8 included, are kept as they are.)
std::vector<std::uint64_t> word_hashes(std::string_view text) {
  std::vector<std::uint64_t> hashes;
  hashes.reserve(text.size() / 5);
  std::string long_word;   // a word longer than the buffer (rare)
  char buffer[64];
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    while (i < size && !is_word_byte(bytes[i])) ++i;
    std::size_t length = 0;
    while (i < size && is_word_byte(bytes[i])) {
      unsigned char c = bytes[i++];
      if (c >= 'A' && c <= 'Z') c |= 0x20;
      if (length < sizeof buffer) {
        buffer[length] = static_cast<char>(c);
      } else {
        if (length == sizeof buffer) long_word.assign(buffer, sizeof buffer);
        long_word.push_back(static_cast<char>(c));
      }
      ++length;
    }
    if (length == 0) continue;
    hashes.push_back(length <= sizeof buffer ? XXH3_64bits(buffer, length)
                                             : XXH3_64bits(long_word.data(), long_word.size()));
  }
  return hashes;
}

// Sorted, unique hashes of every run of k_shingle_words words.
std::vector<std::uint64_t> shingles(std::string_view text) {
  std::vector<std::uint64_t> words = word_hashes(text);
  std::vector<std::uint64_t> result;
  if (words.size() < k_shingle_words) return result;
  result.reserve(words.size());
  for (std::size_t i = 0; i + k_shingle_words <= words.size(); ++i) {
    result.push_back(XXH3_64bits(&words[i], k_shingle_words * sizeof(std::uint64_t)));
  }
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
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
    for (std::size_t h = 0; h < k_hashes; ++h) minimum[h] = std::min(minimum[h], mix(shingle, h));
  }
  for (std::size_t band = 0; band < sketch.bands.size(); ++band) {
    std::uint64_t pair[2] = {minimum[2 * band], minimum[2 * band + 1]};
    std::uint64_t key = XXH3_64bits_withSeed(pair, sizeof pair, band);
    // Keep keys non-zero (0 marks "no sketch") and positive for SQLite.
    sketch.bands[band] = static_cast<std::int64_t>((key >> 1) | 1);
  }
  return sketch;
}

std::vector<std::uint64_t> shingle_set(std::string_view text) { return shingles(text); }

double shingle_similarity(const std::vector<std::uint64_t>& x, const std::vector<std::uint64_t>& y) {
  if (x.empty() || y.empty()) return 0;
  std::size_t common = 0;
  std::size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] == y[j]) {
      ++common;
      ++i;
      ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

} // namespace newsidx
