// Shingle sets and their comparison (src/near_duplicates.cpp).
#include "newsidx/near_duplicates.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace newsidx;

namespace {

// Jaccard similarity by sorting and merging: the reference for ShingleLookup.
double merged_similarity(std::vector<std::uint64_t> a, std::vector<std::uint64_t> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::uint64_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return static_cast<double>(common.size()) /
         static_cast<double>(a.size() + b.size() - common.size());
}

} // namespace

TEST_CASE("shingle hashes are unique, in the order of first occurrence", "[near_duplicates]") {
  // Twelve words whose first four repeat at the end: nine 4-word runs, eight distinct.
  const std::string text = "one two three four five six seven eight one two three four";
  std::vector<std::uint64_t> hashes = shingle_hashes(text);
  CHECK(hashes.size() == 8);
  std::vector<std::uint64_t> sorted = hashes;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  CHECK(shingle_set(text) == sorted);
  // The first shingle of the text is the first hash; the repeat at the end adds nothing.
  CHECK(hashes.front() == shingle_hashes("One two three four").front());
  CHECK(shingle_hashes("only three words").empty());
}

TEST_CASE("a shingle lookup measures the same similarity as a sorted merge", "[near_duplicates]") {
  std::string story;
  for (int i = 0; i < 120; ++i)
    story += "word" + std::to_string(i % 97) + " ";
  const std::string copy = "LONDON (Wire) - " + story + " Reporting by Jane Doe.";
  const std::string half = story.substr(0, story.size() / 2) + " and then something else entirely";
  for (const std::string& other : {copy, half, std::string("nothing in common with it at all")}) {
    std::vector<std::uint64_t> a = shingle_hashes(story);
    std::vector<std::uint64_t> b = shingle_hashes(other);
    double expected = b.empty() ? 0.0 : merged_similarity(a, b);
    CHECK(ShingleLookup(a).similarity(b) == Approx(expected));
    CHECK(shingle_similarity(b, a) == Approx(expected));
  }
  ShingleLookup lookup(shingle_hashes(story));
  for (std::uint64_t value : shingle_hashes(story))
    CHECK(lookup.contains(value));
  CHECK_FALSE(lookup.contains(shingle_hashes("nothing in common with it at all").front()));
}

TEST_CASE("the sketch does not depend on the order of the shingles", "[near_duplicates]") {
  std::string story;
  for (int i = 0; i < 60; ++i)
    story += "token" + std::to_string(i) + " ";
  std::vector<std::uint64_t> hashes = shingle_hashes(story);
  std::vector<std::uint64_t> reversed(hashes.rbegin(), hashes.rend());
  CHECK(duplicate_sketch(hashes).bands == duplicate_sketch(reversed).bands);
  CHECK_FALSE(duplicate_sketch(hashes).empty());
  CHECK(duplicate_sketch(shingle_hashes("too short to be a copy")).empty());
}
