// Near-duplicate detection for syndicated copies (the same wire story with a different
// top and tail). Each article's body is cut into overlapping 4-word shingles; a MinHash
// sketch of 8 values is grouped into 4 bands of 2, and two articles that share a band
// are candidates. A candidate is confirmed when the exact Jaccard similarity of the two
// shingle sets is at least k_near_duplicate_similarity.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace newsidx {

inline constexpr double k_near_duplicate_similarity = 0.6;

struct DuplicateSketch {
  std::array<std::int64_t, 4> bands{}; // band keys; all 0 when the text is too short
  bool empty() const { return bands[0] == 0 && bands[1] == 0 && bands[2] == 0 && bands[3] == 0; }
};

// The unique 4-word shingle hashes of a text, in the order they first occur.
std::vector<std::uint64_t> shingle_hashes(std::string_view text);

// The same, sorted.
std::vector<std::uint64_t> shingle_set(std::string_view text);

// The sketch of a body whose shingle_hashes() are `shingles` (in any order); empty for
// texts under 30 words (too short to call copies).
DuplicateSketch duplicate_sketch(const std::vector<std::uint64_t>& shingles);

// One article's shingles in a hash table, to compare it with many others: each comparison
// costs a lookup per shingle of the other article, with no sorting.
class ShingleLookup {
public:
  explicit ShingleLookup(const std::vector<std::uint64_t>& unique_shingles);
  bool contains(std::uint64_t shingle) const;
  // Jaccard similarity (0..1) with another set of unique shingles, in any order.
  double similarity(const std::vector<std::uint64_t>& unique_shingles) const;

private:
  std::vector<std::uint64_t> m_slots; // 0: empty
  std::size_t m_mask = 0;
  std::size_t m_size = 0;
  bool m_has_zero = false;
};

// Jaccard similarity (0..1) of two sets of unique shingles, in any order.
double shingle_similarity(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

} // namespace newsidx
