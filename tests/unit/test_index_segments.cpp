// Unit tests for the FTS5 segment reader and the merge that ends a bulk load
// (src/index_segments.cpp).
#include "index_segments.hpp"
#include "newsidx/query.hpp"
#include "newsidx/store.hpp"
#include "store_impl.hpp"

#include "every_hit.hpp"
#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace newsidx;

namespace {

// SQLite's varint, for records written by hand.
void put_varint(std::string& out, std::uint64_t value) {
  if (value > 0x00ffffffffffffffULL) {
    // Nine bytes: 8 groups of 7 bits, then the low 8 bits whole.
    std::string bytes(9, '\0');
    bytes[8] = static_cast<char>(value & 0xff);
    value >>= 8;
    for (int i = 7; i >= 0; --i) {
      bytes[static_cast<std::size_t>(i)] = static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    out += bytes;
    return;
  }
  std::string groups;
  do {
    groups.insert(groups.begin(), static_cast<char>((value & 0x7f) | (groups.empty() ? 0 : 0x80)));
    value >>= 7;
  } while (value);
  out += groups;
}

struct Segment {
  int id, first, last;
};

// A structure record: per level, the segments in a merge under way and the segments.
std::string record(const std::vector<std::pair<int, std::vector<Segment>>>& levels,
                   std::uint64_t write_counter = 571469) {
  std::string out("\x00\x00\x00\x05", 4); // the configuration cookie
  std::size_t total = 0;
  for (const auto& level : levels)
    total += level.second.size();
  put_varint(out, levels.size());
  put_varint(out, total);
  put_varint(out, write_counter);
  for (const auto& [merging, segments] : levels) {
    put_varint(out, static_cast<std::uint64_t>(merging));
    put_varint(out, segments.size());
    for (const Segment& s : segments) {
      put_varint(out, static_cast<std::uint64_t>(s.id));
      put_varint(out, static_cast<std::uint64_t>(s.first));
      put_varint(out, static_cast<std::uint64_t>(s.last));
    }
  }
  return out;
}

std::vector<IndexLevel> levels_of(const std::vector<std::vector<int>>& pages_per_level) {
  std::vector<IndexLevel> levels;
  int id = 1;
  for (const auto& pages : pages_per_level) {
    IndexLevel level;
    for (int p : pages)
      level.segments.push_back(IndexSegment{id++, 1, p});
    levels.push_back(level);
  }
  return levels;
}

// What a bulk load of a million articles left: 13 batches on level 0, 7 merged on level 1.
std::vector<IndexLevel> million_article_levels() {
  return levels_of({std::vector<int>(13, 4570), std::vector<int>(7, 61900)});
}

} // namespace

TEST_CASE("the structure record gives each level's segments and pages", "[segments]") {
  const std::string bytes =
      record({{0, {{22, 1, 4634}, {23, 1, 4548}}}, {2, {{17, 1504, 62135}, {10, 1, 300}}}});
  auto levels = parse_index_structure(bytes);
  REQUIRE(levels);
  REQUIRE(levels->size() == 2);
  CHECK((*levels)[0].merging == 0);
  REQUIRE((*levels)[0].segments.size() == 2);
  CHECK((*levels)[0].segments[1].id == 23);
  CHECK((*levels)[0].segments[1].pages() == 4548);
  CHECK((*levels)[1].merging == 2);
  CHECK((*levels)[1].segments[0].pages() == 62135 - 1504 + 1);
  CHECK(count_segments(*levels) == 4);

  // A nine-byte write counter reads as well.
  CHECK(parse_index_structure(record({{0, {{1, 1, 9}}}}, ~0ULL)));
  // An index with nothing in it yet.
  auto empty = parse_index_structure(record({}));
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("a structure record that does not parse is unknown, not guessed at", "[segments]") {
  const std::string good = record({{0, {{1, 1, 10}, {2, 1, 12}}}});
  REQUIRE(parse_index_structure(good));
  CHECK_FALSE(parse_index_structure(""));
  CHECK_FALSE(parse_index_structure(good.substr(0, 3)));
  CHECK_FALSE(parse_index_structure(good.substr(0, good.size() - 1))); // cut short
  CHECK_FALSE(parse_index_structure(good + '\x01'));                   // bytes left over
  // Newer FTS5 versions write a longer form, flagged after the cookie.
  std::string newer = good;
  newer.insert(4, "\xff\xff\xff\xff");
  CHECK_FALSE(parse_index_structure(newer));
  // The segment count disagrees with the levels.
  std::string wrong_total = good;
  wrong_total[5] = 3;
  CHECK_FALSE(parse_index_structure(wrong_total));
  // More segments in a merge than on the level.
  CHECK_FALSE(parse_index_structure(record({{3, {{1, 1, 10}, {2, 1, 12}}}})));
}

TEST_CASE("level 0 is merged when that touches only level 0 and a small part of the index",
          "[segments]") {
  NewestSegmentsMerge plan = plan_newest_segments_merge(million_article_levels());
  CHECK(plan.worth_it);
  CHECK(plan.usermerge == 13);
  CHECK(plan.page_budget >= 13 * 4570);
  CHECK(plan.page_budget < 13 * 4570 + 4570); // not enough for another segment's worth

  // More than 16 on level 0: FTS5's highest usermerge.
  CHECK(plan_newest_segments_merge(levels_of({std::vector<int>(20, 100), {50000}})).usermerge ==
        16);

  SECTION("not when level 0 is the whole index") {
    CHECK_FALSE(plan_newest_segments_merge(levels_of({std::vector<int>(13, 4570)})).worth_it);
  }
  SECTION("not for one segment") {
    CHECK_FALSE(
        plan_newest_segments_merge(levels_of({{4570}, std::vector<int>(7, 61900)})).worth_it);
  }
  SECTION("not when FTS5 would pick another level or go on to it") {
    CHECK_FALSE(plan_newest_segments_merge(
                    levels_of({std::vector<int>(8, 4570), std::vector<int>(7, 61900)}))
                    .worth_it);
    CHECK(plan_newest_segments_merge(
              levels_of({std::vector<int>(9, 4570), std::vector<int>(7, 61900)}))
              .worth_it);
    // A level above level 1 counts too.
    CHECK_FALSE(plan_newest_segments_merge(
                    levels_of({std::vector<int>(9, 4570), {61900}, std::vector<int>(8, 900000)}))
                    .worth_it);
  }
  SECTION("not while a merge is under way") {
    auto levels = million_article_levels();
    levels[1].merging = 7;
    CHECK_FALSE(plan_newest_segments_merge(levels).worth_it);
  }
  SECTION("not when level 0 is more than a quarter of the pages") {
    CHECK_FALSE(
        plan_newest_segments_merge(levels_of({std::vector<int>(13, 4570), {178000}})).worth_it);
    CHECK(plan_newest_segments_merge(levels_of({std::vector<int>(13, 4570), {178300}})).worth_it);
  }
}

TEST_CASE("a bulk load ends with its batches' segments merged, the archive whole",
          "[segments][store]") {
  TempArchive tmp;
  ArticleStore store = ArticleStore::open(tmp.db(), OpenMode::read_write);
  auto& db = store.impl().db;
  std::string filler;
  for (int i = 0; i < 300; ++i)
    filler += "harbour" + std::to_string(i) + " cargo ";
  int next = 0;
  auto store_batch = [&](int count) {
    store.begin_batch();
    for (int i = 0; i < count; ++i, ++next) {
      Article a;
      a.title = "Report " + std::to_string(next);
      a.body = "Rotterdam volume " + std::to_string(next) + ". " + filler;
      a.lang = "en";
      FileRecord f;
      f.path = (tmp.dir / ("story-" + std::to_string(next))).string();
      f.size = static_cast<std::int64_t>(a.body.size());
      f.mtime_ns = 1;
      f.hash = content_hash(a.body);
      store.put(f, a);
    }
    store.commit_batch();
  };
  auto hits = [&] {
    std::vector<std::int64_t> ids;
    for (const SearchHit& hit : every_hit(store, "rotterdam harbour17"))
      ids.push_back(hit.id);
    return ids;
  };
  // An index merged into one segment above level 0, as after `optimize` (of two or more
  // segments) or a bulk load's merges.
  store_batch(60);
  store_batch(60);
  db.exec("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')");

  store.begin_bulk_load(150);
  for (int batch = 0; batch < 3; ++batch)
    store_batch(10);
  auto before = read_index_levels(db);
  REQUIRE(before);
  REQUIRE((*before)[0].segments.size() == 3); // one per batch
  REQUIRE(count_segments(*before) == 4);
  REQUIRE(plan_newest_segments_merge(*before).worth_it);
  const std::vector<std::int64_t> before_hits = hits();
  REQUIRE(before_hits.size() == 150);
  CHECK(store.end_bulk_load() == 3);

  auto after = read_index_levels(db);
  REQUIRE(after);
  CHECK((*after)[0].segments.empty());
  CHECK(count_segments(*after) == 2);
  CHECK(store.stats().index_segments == 2);
  CHECK(hits() == before_hits);
  CHECK(store.check().ok());
  // usermerge is FTS5's default again.
  CHECK(db.query_int("SELECT v FROM articles_fts_config WHERE k = 'usermerge'") == 4);

  // Without higher levels (a first bulk load of a small archive) nothing is merged.
  store.begin_bulk_load(170);
  store_batch(10);
  CHECK(store.end_bulk_load() == 0);
  auto later = read_index_levels(db);
  REQUIRE(later);
  CHECK((*later)[0].segments.size() == 1);
}
