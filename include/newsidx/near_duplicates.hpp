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
  std::array<std::int64_t, 4> bands{};  // band keys; all 0 when the text is too short
  bool empty() const { return bands[0] == 0 && bands[1] == 0 && bands[2] == 0 && bands[3] == 0; }
};

// The sorted, unique 4-word shingle hashes of a text.
std::vector<std::uint64_t> shingle_set(std::string_view text);

// The sketch of a body whose shingle_set() is `shingles`; empty for texts under 30 words
// (too short to call copies).
DuplicateSketch duplicate_sketch(const std::vector<std::uint64_t>& shingles);

// Jaccard similarity of two shingle sets (0..1).
double shingle_similarity(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

} // namespace newsidx
