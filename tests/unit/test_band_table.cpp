// Unit tests for the bulk load's in-memory band table (src/band_table.cpp).
#include "band_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using newsidx::BandTable;

namespace {

std::vector<std::int64_t> ids_of(const BandTable& table, std::size_t band, std::int64_t key) {
  std::vector<BandTable::Entry> entries;
  table.find(band, key, entries);
  std::vector<std::int64_t> ids;
  for (const BandTable::Entry& entry : entries)
    ids.push_back(entry.id);
  return ids;
}

} // namespace

TEST_CASE("the band table lists the ids of a key in ascending order, per band", "[bands]") {
  BandTable table;
  table.add(0, 42, 300);
  table.add(0, 42, 100);
  table.add(0, 42, 200);
  table.add(0, 42, 100); // listed once
  table.add(1, 42, 999); // another band
  table.add(0, 7, 555);  // another key
  CHECK(ids_of(table, 0, 42) == std::vector<std::int64_t>{100, 200, 300});
  CHECK(ids_of(table, 1, 42) == std::vector<std::int64_t>{999});
  CHECK(ids_of(table, 2, 42).empty());
  CHECK(ids_of(table, 0, 8).empty());
  CHECK(table.size() == 5);
}

TEST_CASE("the band table keeps each article's shingle count beside its id", "[bands]") {
  BandTable table;
  table.add(0, 9, 20'250'301'0000001, 240);
  table.add(0, 9, 17, 70'000); // too many to keep: unknown
  table.add(0, 9, 18);         // unknown
  std::vector<BandTable::Entry> entries;
  table.find(0, 9, entries);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].id == 17);
  CHECK(entries[0].shingles == 0);
  CHECK(entries[1].id == 18);
  CHECK(entries[1].shingles == 0);
  CHECK(entries[2].id == 20'250'301'0000001);
  CHECK(entries[2].shingles == 240);
  table.add(0, 9, 18, 55); // the article again, after an update
  table.find(0, 9, entries);
  CHECK(entries[1].shingles == 55);
  CHECK(table.size() == 3);
}

TEST_CASE("the band table keeps the smallest ids of a crowded key", "[bands]") {
  BandTable table;
  // Ids arrive in any order (they follow dates, not ingest order).
  for (std::int64_t id = 1000; id >= 1; --id)
    table.add(3, -5, id * 7 % 1009 + 1);
  std::vector<std::int64_t> ids = ids_of(table, 3, -5);
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
  for (std::int64_t key = 1; key <= 50'000; key += 997) {
    CHECK(ids_of(table, static_cast<std::size_t>(key % 4), key * 2654435761) ==
          std::vector<std::int64_t>{key});
  }
  table.clear();
  CHECK(ids_of(table, 1, 2654435761).empty());
}
