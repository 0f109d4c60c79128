// Unit tests for the bulk load's spill file of shingle sets (src/shingle_spill.cpp).
#include "shingle_spill.hpp"

#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <vector>

using newsidx::ShingleSpill;

namespace {

std::vector<std::uint64_t> values(std::uint64_t first, std::size_t count) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(first * 1000003 + i * 7919);
  return out;
}

} // namespace

TEST_CASE("a spilled shingle set reads back as it was added", "[spill]") {
  TempArchive tmp;
  // A buffer of 10 values: most sets below are read back from the file, some from the
  // buffer, one is larger than the buffer.
  std::unique_ptr<ShingleSpill> spill = ShingleSpill::create(tmp.dir, 10);
  REQUIRE(spill);
  for (std::int64_t id = 1; id <= 50; ++id)
    spill->add(id * 3, values(static_cast<std::uint64_t>(id), static_cast<std::size_t>(id % 7)));
  spill->add(1000, values(1000, 25));
  CHECK(spill->size() == 51);
  CHECK(spill->file_bytes() > 0);
  std::vector<std::uint64_t> got;
  for (std::int64_t id = 1; id <= 50; ++id) {
    REQUIRE(spill->find(id * 3, got));
    CHECK(got == values(static_cast<std::uint64_t>(id), static_cast<std::size_t>(id % 7)));
  }
  REQUIRE(spill->find(1000, got));
  CHECK(got == values(1000, 25));
  CHECK_FALSE(spill->find(4, got));

  SECTION("a set added again replaces the first") {
    spill->add(3, values(77, 4));
    REQUIRE(spill->find(3, got));
    CHECK(got == values(77, 4));
  }

  SECTION("a set too large to keep leaves its article out, not with its old set") {
    spill->add(3, std::vector<std::uint64_t>(std::size_t{1} << 24)); // 2^24 shingles
    CHECK_FALSE(spill->find(3, got));
    CHECK(spill->size() == 50);
    REQUIRE(spill->find(6, got)); // others are still found past its slot
    CHECK(got == values(2, 2));
    spill->add(3, values(78, 3));
    REQUIRE(spill->find(3, got));
    CHECK(got == values(78, 3));
    CHECK(spill->size() == 51);
  }
}

TEST_CASE("the spill finds every set among many, as its table grows", "[spill]") {
  TempArchive tmp;
  std::unique_ptr<ShingleSpill> spill = ShingleSpill::create(tmp.dir, 64);
  REQUIRE(spill);
  // Ids as articles have them (a date times 10^7 plus a count), and 0 (undated).
  std::vector<std::int64_t> ids{0};
  for (std::int64_t day = 0; day < 40; ++day) {
    for (std::int64_t n = 1; n <= 100; ++n)
      ids.push_back((20250101 + day) * 10'000'000 + n);
  }
  for (std::size_t k = 0; k < ids.size(); ++k)
    spill->add(ids[k], values(k, k % 5 + 1));
  CHECK(spill->size() == ids.size());
  std::vector<std::uint64_t> got;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    REQUIRE(spill->find(ids[k], got));
    CHECK(got == values(k, k % 5 + 1));
  }
  CHECK_FALSE(spill->find(std::int64_t{20250101} * 10'000'000 + 101, got));
  CHECK_FALSE(spill->find(1, got));
}

TEST_CASE("the spill file leaves nothing in its directory", "[spill]") {
  TempArchive tmp;
  {
    std::unique_ptr<ShingleSpill> spill = ShingleSpill::create(tmp.dir, 4);
    REQUIRE(spill);
    spill->add(1, values(1, 100));
    CHECK(std::filesystem::is_empty(tmp.dir));
  }
  CHECK(std::filesystem::is_empty(tmp.dir));
}

TEST_CASE("no spill file in a directory that does not exist", "[spill]") {
  TempArchive tmp;
  CHECK_FALSE(ShingleSpill::create(tmp.dir / "missing"));
}

TEST_CASE("the spill gives up rather than fill the file system", "[spill]") {
  TempArchive tmp;
  // Asked to leave more room free than any disk has: the first write gives up.
  std::unique_ptr<ShingleSpill> spill =
      ShingleSpill::create(tmp.dir, 4, std::numeric_limits<std::uint64_t>::max() / 2);
  REQUIRE(spill);
  spill->add(1, values(1, 3));
  std::vector<std::uint64_t> got;
  REQUIRE(spill->find(1, got)); // still in the buffer
  spill->add(2, values(2, 3));  // the buffer is written: no room
  CHECK_FALSE(spill->find(1, got));
  CHECK_FALSE(spill->find(2, got));
  CHECK(spill->size() == 0);
  CHECK(spill->file_bytes() == 0);
  spill->add(3, values(3, 3));
  CHECK_FALSE(spill->find(3, got));
}
