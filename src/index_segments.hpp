// The FTS5 index's segments, read from its structure record, and the merge that ends a
// bulk load. FTS5 writes each batch's postings as a new segment on level 0 and merges a
// level's segments into one on the next level once enough have gathered (automerge). A
// query reads every segment for each of its terms, so each segment left over costs every
// query: at a million articles a bulk load used to end with 20 (7 merged ones and the last
// 13 batches'), and a two-term AND took 14.1 ms where it took 11.2 ms with those 13 merged.
#pragma once

#include "sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace newsidx {

struct IndexSegment {
  int id = 0;
  int first_page = 0; // leaf pages; a segment that is being merged away starts later than 1
  int last_page = 0;
  int pages() const { return last_page >= first_page ? last_page - first_page + 1 : 0; }
};

struct IndexLevel {
  int merging = 0; // the number of this level's segments in a merge under way
  std::vector<IndexSegment> segments;
};

// Decodes the structure record (the %_data row 10): a 4-byte cookie, then varints - the
// number of levels, of segments and the write counter, then per level the segments in
// an ongoing merge and the segments, each as id, first and last leaf page. nullopt when
// the record does not parse as that, e.g. the longer form newer FTS5 versions write
// (flagged by 0xffffffff after the cookie); callers then leave the index as it is.
std::optional<std::vector<IndexLevel>> parse_index_structure(std::string_view record);

// The archive's index levels (parse_index_structure of articles_fts's record).
std::optional<std::vector<IndexLevel>> read_index_levels(sqlite::Connection& db);

// The number of segments in `levels`.
int count_segments(const std::vector<IndexLevel>& levels);

// Whether to merge level 0 into one segment, and with which FTS5 settings. FTS5's 'merge'
// command merges the level with the most segments, if it has at least 'usermerge', and
// goes on to the next level while its page budget lasts; so the merge is planned only when
// it can touch level 0 alone:
//   - level 0 holds two segments or more, and some other level holds segments (with
//     level 0 alone, as after a bulk load of fewer than about 130,000 articles, it would be
//     the whole index: the merge would cost as much as `optimize`);
//   - no merge is under way (FTS5 would go on with that one first);
//   - level 0 has at least two segments more than any other level (usermerge = its count
//     then stops FTS5 once level 1 has gained the merged segment);
//   - level 0's pages are at most a quarter of the index (the merge rewrites them:
//     about 7 s for the 13 segments, 11% of the pages, at a million articles).
struct NewestSegmentsMerge {
  bool worth_it = false;
  int usermerge = 0; // FTS5's bounds: 2 to 16
  int page_budget = 0;
};
NewestSegmentsMerge plan_newest_segments_merge(const std::vector<IndexLevel>& levels);

// Runs one of FTS5's special commands on articles_fts ('automerge', 'usermerge', 'merge'...)
// with a number: a setting, stored in the archive, or a job.
void run_index_command(sqlite::Connection& db, std::string_view command, std::int64_t value);

// Runs the planned merge in one transaction, leaving 'usermerge' as it was. Returns the
// number of segments merged into one (0: no merge was planned).
int merge_newest_segments(sqlite::Connection& db);

} // namespace newsidx
