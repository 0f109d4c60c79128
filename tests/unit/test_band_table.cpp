// Unit tests for the bulk load's in-memory band table (src/band_table.cpp).
#include "band_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using newsidx::BandTable;

TEST_CASE("the band table lists the ids of a key in ascending order, per band", "[bands]") {
  BandTable table;
  table.add(0, 42, 300);
  table.add(0, 42, 100);
  table.add(0, 42, 200);
  table.add(0, 42, 100); // listed once
  table.add(1, 42, 999); // another band
  table.add(0, 7, 555);  // another key
  std::vector<std::int64_t> ids;
  table.find(0, 42, ids);
  CHECK(ids == std::vector<std::int64_t>{100, 200, 300});
  table.find(1, 42, ids);
  CHECK(ids == std::vector<std::int64_t>{999});
  table.find(2, 42, ids);
  CHECK(ids.empty());
  table.find(0, 8, ids);
  CHECK(ids.empty());
  CHECK(table.size() == 5);
}

TEST_CASE("the band table keeps the smallest ids of a crowded key", "[bands]") {
  BandTable table;
  // Ids arrive in any order (they follow dates, not ingest order).
  for (std::int64_t id = 1000; id >= 1; --id)
    table.add(3, -5, id * 7 % 1009 + 1);
  std::vector<std::int64_t> ids;
  table.find(3, -5, ids);
  REQUIRE(ids.size() == BandTable::k_kept_per_key);
  std::vector<std::int64_t> all;
  for (std::int64_t id = 1000; id >= 1; --id)
    all.push_back(id * 7 % 1009 + 1);
  std::sort(all.begin(), all.end());
  all.resize(BandTable::k_kept_per_key);
  CHECK(ids == all);
}

TEST_CASE("the band table grows and keeps every key", "[bands]") {
  BandTable table;
  for (std::int64_t key = 1; key <= 50'000; ++key)
    table.add(static_cast<std::size_t>(key % 4), key * 2654435761, key);
  CHECK(table.size() == 50'000);
  std::vector<std::int64_t> ids;
  for (std::int64_t key = 1; key <= 50'000; key += 997) {
    table.find(static_cast<std::size_t>(key % 4), key * 2654435761, ids);
    CHECK(ids == std::vector<std::int64_t>{key});
  }
  table.clear();
  table.find(1, 2654435761, ids);
  CHECK(ids.empty());
}
