// Searching the archive: the user's query language (words, "phrases", OR, NOT/-word,
// parentheses, prefix*, NEAR(a b, N), title:/body: columns and source:/author:/lang:/
// dateline:/date: filters), date bounds (--since/--until), and ranked, date-filtered
// search over the FTS5 index. Any text a person types either parses into a safe FTS5
// expression or fails with a QueryError that says what is wrong; SQLite never sees
// raw user syntax.
#pragma once

#include "newsidx/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

// An inclusive range of days as yyyymmdd; 0 means open on that side.
struct DayRange {
  int first = 0;
  int last = 0;
  bool empty() const { return first == 0 && last == 0; }
  // Narrows this range by `other` (both inclusive).
  DayRange intersect(const DayRange& other) const;
};

// Today's date (local time) as yyyymmdd; tests may pass their own.
int today_yyyymmdd();

// Parses a date bound: YYYY, YYYY-MM, YYYY-MM-DD, or a relative form (7d, 2w, 3m, 1y,
// today, yesterday, last-week, last-month). As a start (`as_end` false) it is the first
// day the expression covers, as an end the last (so --until 2025-05 includes 31 May).
// Throws UsageError naming the text when it is not a date.
int parse_date_bound(std::string_view text, bool as_end, int today);

// Parses "A..B", "A..", "..B" or a single date (the whole period it names).
DayRange parse_date_range(std::string_view text, int today);

// A filter on a stored field that the FTS5 index does not hold.
struct FieldFilter {
  enum class Field { source, author, lang, dateline };
  Field field;
  std::string value;
  bool negated = false;
};

struct ParsedQuery {
  std::string fts;  // FTS5 MATCH expression; empty when the query is only filters
  std::vector<FieldFilter> filters;
  DayRange dates;  // from date: terms
};

// Throws QueryError with a message pointing at the problem.
ParsedQuery parse_query(std::string_view text, int today = today_yyyymmdd());

enum class SortOrder { relevance, date_ascending, date_descending };

struct SearchRequest {
  std::string query;  // empty: every article (then filters and dates still apply)
  DayRange dates;  // from --since/--until; combined with date: in the query
  bool include_undated = false;
  bool fold_duplicates = false;  // leave out near-duplicates of another article
  SortOrder sort = SortOrder::relevance;
  // Recency boost for relevance order: score x (1 + 2^(-age_days / recent_half_life_days)).
  // 0 turns it off; undated articles get no boost.
  double recent_half_life_days = 0;
  int limit = 20;  // negative: no limit
  int offset = 0;
  int snippet_tokens = 16;
  int today = 0;  // 0: today_yyyymmdd()
};

// Match markers inside SearchHit::snippet.
inline constexpr char k_match_begin = '\x02';
inline constexpr char k_match_end = '\x03';

struct SearchHit {
  std::int64_t id = 0;
  std::string path;
  std::optional<std::string> title;
  std::string title_derived;
  PartialDate date;
  std::optional<std::string> source;
  std::vector<std::string> authors;
  std::int64_t duplicate_of = 0;  // the article this one is a near-duplicate of, or 0
  std::int64_t duplicates = 0;    // near-duplicates of this article in the archive
  double score = 0;     // higher is better (negated BM25)
  std::string snippet;  // matches wrapped in k_match_begin / k_match_end
};

// A matching article's id and date, for timelines.
struct DatedMatch {
  std::int64_t id = 0;
  PartialDate date;
};

// Runs searches against an open archive.
class Searcher {
public:
  explicit Searcher(ArticleStore& store);
  std::vector<SearchHit> search(const SearchRequest& request);
  std::int64_t count(const SearchRequest& request);
  // Every match (limit and offset ignored) with its date; undated ones have an empty date.
  std::vector<DatedMatch> match_dates(const SearchRequest& request);
  // Ids of the matches in the request's order, honouring limit (negative: all) and offset.
  std::vector<std::int64_t> match_ids(const SearchRequest& request);
  // Articles most like article `id`, from its most distinctive terms (tf-idf over the
  // index's own tokens). `terms_used` receives the terms. Throws QueryError for an
  // unknown id.
  std::vector<SearchHit> similar(std::int64_t id, int limit, std::vector<std::string>* terms_used);

private:
  ArticleStore& m_store;
};

} // namespace newsidx
