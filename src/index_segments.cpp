#include "index_segments.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace newsidx {

namespace {

// SQLite's varint: big-endian groups of 7 bits, the high bit set on all but the last;
// a ninth byte gives 8 bits.
class VarintReader {
public:
  explicit VarintReader(std::string_view bytes, std::size_t offset)
    : m_bytes(bytes), m_offset(offset) {}

  bool read(std::uint64_t& value) {
    value = 0;
    for (int i = 0; i < 9; ++i) {
      if (m_offset >= m_bytes.size()) return false;
      auto byte = static_cast<unsigned char>(m_bytes[m_offset++]);
      if (i == 8) {
        value = (value << 8) | byte;
        return true;
      }
      value = (value << 7) | (byte & 0x7f);
      if (!(byte & 0x80)) return true;
    }
    return false; // not reached
  }

  // A value that must fit an int (counts, ids, page numbers).
  bool read_int(int& value) {
    std::uint64_t wide = 0;
    if (!read(wide) || wide > 0x7fffffff) return false;
    value = static_cast<int>(wide);
    return true;
  }

  bool at_end() const { return m_offset == m_bytes.size(); }

private:
  std::string_view m_bytes;
  std::size_t m_offset;
};

// FTS5's limit on 'usermerge'.
constexpr int k_max_usermerge = 16;
// FTS5's default 'usermerge', for an archive that never set one.
constexpr int k_default_usermerge = 4;

} // namespace

std::optional<std::vector<IndexLevel>> parse_index_structure(std::string_view record) {
  if (record.size() < 4) return std::nullopt;
  // The longer form of newer FTS5 versions puts 0xffffffff after the cookie.
  if (record.size() >= 8 && record.substr(4, 4) == std::string_view("\xff\xff\xff\xff", 4))
    return std::nullopt;
  VarintReader reader(record, 4);
  int level_count = 0;
  int segment_count = 0;
  std::uint64_t write_counter = 0;
  if (!reader.read_int(level_count) || !reader.read_int(segment_count) ||
      !reader.read(write_counter))
    return std::nullopt;
  // FTS5 allows at most 2000 segments (FTS5_MAX_SEGMENT); as many levels, or more, would
  // be a broken record.
  if (segment_count > 2000 || level_count > 2000) return std::nullopt;
  std::vector<IndexLevel> levels(static_cast<std::size_t>(level_count));
  int seen = 0;
  for (IndexLevel& level : levels) {
    int in_level = 0;
    if (!reader.read_int(level.merging) || !reader.read_int(in_level)) return std::nullopt;
    if (in_level > segment_count - seen || level.merging > in_level) return std::nullopt;
    seen += in_level;
    level.segments.resize(static_cast<std::size_t>(in_level));
    for (IndexSegment& segment : level.segments) {
      if (!reader.read_int(segment.id) || !reader.read_int(segment.first_page) ||
          !reader.read_int(segment.last_page))
        return std::nullopt;
    }
  }
  if (seen != segment_count || !reader.at_end()) return std::nullopt;
  return levels;
}

std::optional<std::vector<IndexLevel>> read_index_levels(sqlite::Connection& db) {
  auto statement = db.prepare("SELECT block FROM articles_fts_data WHERE id = 10");
  if (!statement.step()) return std::vector<IndexLevel>{}; // nothing indexed yet
  return parse_index_structure(statement.column_bytes(0));
}

int count_segments(const std::vector<IndexLevel>& levels) {
  int count = 0;
  for (const IndexLevel& level : levels)
    count += static_cast<int>(level.segments.size());
  return count;
}

NewestSegmentsMerge plan_newest_segments_merge(const std::vector<IndexLevel>& levels) {
  NewestSegmentsMerge plan;
  if (levels.empty()) return plan;
  const int newest = static_cast<int>(levels[0].segments.size());
  int most_elsewhere = 0;
  std::int64_t newest_pages = 0;
  std::int64_t all_pages = 0;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].merging > 0) return plan;
    for (const IndexSegment& segment : levels[i].segments) {
      all_pages += segment.pages();
      if (i == 0) newest_pages += segment.pages();
    }
    if (i > 0)
      most_elsewhere = std::max(most_elsewhere, static_cast<int>(levels[i].segments.size()));
  }
  if (newest < 2 || most_elsewhere == 0 || newest < most_elsewhere + 2) return plan;
  if (4 * newest_pages > all_pages) return plan;
  plan.worth_it = true;
  plan.usermerge = std::min(newest, k_max_usermerge);
  // FTS5 counts the pages it writes, fewer than it reads; so it finishes within this
  // budget, and usermerge keeps it from starting on another level.
  plan.page_budget = static_cast<int>(std::min<std::int64_t>(newest_pages + 64, 0x7fffffff));
  return plan;
}

void run_index_command(sqlite::Connection& db, std::string_view command, std::int64_t value) {
  auto statement = db.prepare("INSERT INTO articles_fts(articles_fts, rank) VALUES (?1, ?2)");
  statement.bind(1, command).bind(2, value).run();
}

int merge_newest_segments(sqlite::Connection& db) {
  sqlite::Transaction transaction(db); // the structure read is the one merged
  std::optional<std::vector<IndexLevel>> levels = read_index_levels(db);
  if (!levels) return 0;
  NewestSegmentsMerge plan = plan_newest_segments_merge(*levels);
  if (!plan.worth_it) return 0;
  std::int64_t usermerge = k_default_usermerge;
  {
    auto stored = db.prepare("SELECT v FROM articles_fts_config WHERE k = 'usermerge'");
    if (stored.step()) usermerge = stored.column_int(0);
  }
  run_index_command(db, "usermerge", plan.usermerge);
  run_index_command(db, "merge", plan.page_budget);
  run_index_command(db, "usermerge", usermerge);
  transaction.commit();
  return static_cast<int>((*levels)[0].segments.size());
}

} // namespace newsidx
