// Unit tests for the bulk load's in-memory table of content hashes
// (src/content_hash_table.cpp).
#include "content_hash_table.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using newsidx::ContentHashTable;

namespace {

std::vector<std::int64_t> ids_of(const ContentHashTable& table, const std::string& hash) {
  std::vector<std::int64_t> ids;
  table.find(hash, ids);
  return ids;
}

} // namespace

TEST_CASE("the content hash table lists every id added under a hash", "[content-hashes]") {
  ContentHashTable table;
  CHECK(ids_of(table, "abc").empty()); // empty table
  table.add("abc", 20'250'508'0000001);
  table.add("abc", 20'250'508'0000002); // an article that changed keeps its stale entry
  table.add("abc", 20'250'508'0000001); // listed once
  table.add("def", 7);
  table.add("ghi", 0); // not an article id
  CHECK(ids_of(table, "abc") == std::vector<std::int64_t>{20'250'508'0000001, 20'250'508'0000002});
  CHECK(ids_of(table, "def") == std::vector<std::int64_t>{7});
  CHECK(ids_of(table, "ghi").empty());
  CHECK(ids_of(table, "ab").empty());
  CHECK(table.size() == 3);
  table.clear();
  CHECK(table.size() == 0);
  CHECK(ids_of(table, "abc").empty());
}

TEST_CASE("the content hash table keeps every entry while it grows", "[content-hashes]") {
  ContentHashTable table;
  table.reserve(10);
  const int count = 50'000; // far past the reserved size: several doublings
  for (int i = 1; i <= count; ++i)
    table.add("hash-" + std::to_string(i), i);
  CHECK(table.size() == static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) {
    std::vector<std::int64_t> ids = ids_of(table, "hash-" + std::to_string(i));
    REQUIRE(ids == std::vector<std::int64_t>{i});
  }
  CHECK(ids_of(table, "hash-0").empty());
}
