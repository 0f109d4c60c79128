// Ranked, date-filtered search over the FTS5 index.
#include "newsidx/query.hpp"

#include "query_syntax.hpp"
#include "ranking.hpp"
#include "snippets.hpp"
#include "store_impl.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_set>

namespace newsidx {

namespace {

// BM25 column weights: a match in the headline counts ten times one in the body.
constexpr const char* k_column_weights = "10.0, 1.0";

// The arguments of newsidx_rank() after the table (src/ranking.hpp): how many best rows
// the caller keeps (0: every row's score is exact), the column weights, then how many
// articles hold each phrase of the query.
std::string rank_arguments(std::int64_t top_k,
                           const std::vector<std::int64_t>& phrase_frequencies) {
  std::string arguments = std::to_string(top_k) + ", " + k_column_weights;
  for (std::int64_t frequency : phrase_frequencies)
    arguments += ", " + std::to_string(frequency);
  return arguments;
}

// The score of a row as an SQL expression (lower is better, like bm25()).
std::string rank_expression(const std::string& arguments) {
  return "newsidx_rank(articles_fts, " + arguments + ")";
}

std::string like_pattern(std::string_view value) {
  std::string out = "%";
  for (char c : value) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

// The SQL and its parameters for one request.
struct PlannedQuery {
  std::string where; // starts with " WHERE" or empty
  std::vector<std::string> text_params;
  std::vector<std::int64_t> int_params;
  bool uses_fts = false;
  std::string fts;             // the MATCH expression, when uses_fts
  bool needs_articles = false; // `where` has conditions on the articles table (a.)
  // Order of binding: text params first (?1..), then ints; kept as a single list below.
  std::vector<std::pair<bool, std::size_t>> order; // (is_text, index)

  void add_text(std::string value) {
    order.emplace_back(true, text_params.size());
    text_params.push_back(std::move(value));
  }
  void add_int(std::int64_t value) {
    order.emplace_back(false, int_params.size());
    int_params.push_back(value);
  }
  void bind(sqlite::Statement& statement) const {
    int index = 1;
    for (auto [is_text, i] : order) {
      if (is_text)
        statement.bind(index++, text_params[i]);
      else
        statement.bind(index++, int_params[i]);
    }
  }
};

PlannedQuery plan(const SearchRequest& request) {
  int today = request.today ? request.today : today_yyyymmdd();
  bool match_all = request.query.find_first_not_of(" \t\r\n") == std::string::npos;
  ParsedQuery parsed = match_all ? ParsedQuery{} : parse_query(request.query, today);
  DayRange dates = request.dates.intersect(parsed.dates);
  if (dates.first && dates.last && dates.first > dates.last) {
    throw QueryError("the date range is empty (it ends before it starts)");
  }

  PlannedQuery planned;
  std::vector<std::string> conditions;
  if (!parsed.fts.empty()) {
    planned.uses_fts = true;
    planned.fts = parsed.fts;
    conditions.push_back("articles_fts MATCH ?");
    planned.add_text(parsed.fts);
  }
  bool date_filtered = !dates.empty();
  if (date_filtered) {
    // Overlap: an article known to a month or a year matches a range it overlaps.
    std::string overlap = "(a.date_first IS NOT NULL";
    if (dates.first) {
      overlap += " AND a.date_last >= ?";
      planned.add_int(dates.first);
    }
    if (dates.last) {
      overlap += " AND a.date_first <= ?";
      planned.add_int(dates.last);
    }
    overlap += ")";
    planned.needs_articles = true;
    if (request.include_undated) {
      conditions.push_back("(" + overlap + " OR a.date_first IS NULL)");
    } else {
      conditions.push_back(overlap);
      // Ids are date-ordered: narrow the id range too, so FTS5 can skip whole segments.
      // Year- and month-precision articles sort before the days of their period.
      std::int64_t low =
          dates.first ? std::int64_t(dates.first / 10000 * 10000) * k_ids_per_day : k_ids_per_day;
      std::int64_t high =
          dates.last ? std::int64_t(dates.last) * k_ids_per_day + k_ids_per_day - 1 : INT64_MAX;
      conditions.push_back(planned.uses_fts ? "articles_fts.rowid BETWEEN ? AND ?"
                                            : "a.id BETWEEN ? AND ?");
      planned.add_int(low);
      planned.add_int(high);
    }
  }
  if (request.fold_duplicates) {
    conditions.push_back("a.duplicate_of IS NULL");
    planned.needs_articles = true;
  }
  for (const FieldFilter& filter : parsed.filters) {
    std::string condition;
    switch (filter.field) {
      case FieldFilter::Field::source:
        condition = "a.source_id IN (SELECT id FROM sources WHERE name LIKE ? ESCAPE '\\')";
        planned.add_text(like_pattern(filter.value));
        break;
      case FieldFilter::Field::author:
        condition = "a.id IN (SELECT aa.article_id FROM article_authors aa JOIN authors au "
                    "ON au.id = aa.author_id WHERE au.name LIKE ? ESCAPE '\\')";
        planned.add_text(like_pattern(filter.value));
        break;
      case FieldFilter::Field::lang:
        condition = "a.lang = lower(?)";
        planned.add_text(filter.value);
        break;
      case FieldFilter::Field::dateline:
        condition = "a.dateline LIKE ? ESCAPE '\\'";
        planned.add_text(like_pattern(filter.value));
        break;
    }
    conditions.push_back(filter.negated ? "NOT coalesce(" + condition + ", 0)" : condition);
    planned.needs_articles = true;
  }
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    planned.where += (i == 0 ? " WHERE " : " AND ") + conditions[i];
  }
  return planned;
}

std::string iso_of(int yyyymmdd) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100,
                yyyymmdd % 100);
  return text;
}

std::string limit_clause(const SearchRequest& request) {
  return " LIMIT " + std::to_string(request.limit < 0 ? -1 : request.limit) + " OFFSET " +
         std::to_string(std::max(0, request.offset));
}

std::string from_clause(const PlannedQuery& planned) {
  return planned.uses_fts ? " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                            " LEFT JOIN sources s ON s.id = a.source_id"
                          : " FROM articles a LEFT JOIN sources s ON s.id = a.source_id";
}

// Runs a query's statements in one read snapshot (they agree with each other while an
// ingest commits, and SQLite takes its read locks once), turning an FTS5 complaint into a
// QueryError (the parser should prevent this; the message still must not be SQLite's own).
template <typename F> auto guarded(sqlite::Connection& db, F&& run) {
  try {
    sqlite::ReadSnapshot snapshot(db);
    return run();
  } catch (const StoreBusyError&) {
    throw;
  } catch (const StoreError& e) {
    std::string what = e.what();
    if (what.find("fts5") != std::string::npos || what.find("syntax") != std::string::npos ||
        what.find("MATCH") != std::string::npos) {
      throw QueryError("the query could not be run; try quoting unusual words");
    }
    throw;
  }
}

// The columns a hit shows, after its id (read by read_details). A full-text query's
// snippet is made from the stored text afterwards (src/snippets.hpp), so its column is the
// body, and the article's language follows the others.
std::string detail_columns(const PlannedQuery& planned) {
  std::string detail =
      "a.id, a.title, a.title_derived, a.date, s.name, "
      "(SELECT path FROM files f WHERE f.article_id = a.id ORDER BY f.id LIMIT 1), ";
  detail += planned.uses_fts ? std::string(k_body_text_sql)
                             : "substr(" + std::string(k_body_text_sql) + ", 1, 200)";
  return detail + ", a.duplicate_of, (SELECT count(*) FROM articles d WHERE d.duplicate_of = a.id)"
                  ", a.lang";
}

// What a hit shows, for one id (?1): read_hits' second step.
std::string detail_query(const PlannedQuery& planned) {
  return "SELECT " + detail_columns(planned) +
         " FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?1";
}

// read_hits' first step for a relevance order: the ids and scores of the best matches,
// best first. SQLite keeps the best rows as FTS5 hands its matches over (ORDER BY with a
// LIMIT), and newsidx_rank() knows how many it keeps (src/ranking.hpp). The articles table
// is joined only when a condition needs it. Equal scores come in id order: undated
// first, then oldest (the copy near-duplicates fold into).
std::string ranked_ids(const PlannedQuery& planned, std::int64_t top_k,
                       const std::vector<std::int64_t>& phrase_frequencies,
                       const std::string& limit) {
  return "SELECT articles_fts.rowid, " +
         rank_expression(rank_arguments(top_k, phrase_frequencies)) +
         " AS score FROM articles_fts" +
         (planned.needs_articles ? " JOIN articles a ON a.id = articles_fts.rowid" : "") +
         planned.where + " ORDER BY score, articles_fts.rowid" + limit;
}

// Fills in each hit's authors, in byline order.
void read_authors(sqlite::Connection& db, std::vector<SearchHit>& hits) {
  auto authors =
      db.prepare("SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
                 "WHERE aa.article_id = ?1 ORDER BY aa.position");
  for (SearchHit& hit : hits) {
    authors.bind(1, hit.id);
    while (authors.step())
      hit.authors.push_back(authors.column_text(0));
    authors.reset();
  }
}

// Reads detail_columns() after its leading id: a.title is column `first`.
void read_details(const sqlite::Statement& statement, int first, SearchHit& hit,
                  const Highlighter* highlighter, int snippet_tokens) {
  hit.title = statement.column_optional_text(first);
  hit.title_derived = statement.column_text(first + 1);
  hit.date = PartialDate::parse_iso(statement.column_text(first + 2)).value_or(PartialDate{});
  hit.source = statement.column_optional_text(first + 3);
  hit.path = statement.column_text(first + 4);
  hit.snippet = statement.column_text(first + 5);
  hit.duplicate_of = statement.column_int(first + 6);
  hit.duplicates = statement.column_int(first + 7);
  if (highlighter) {
    // The index's title column is the headline, else the derived one (src/schema.cpp).
    std::string title = hit.title ? *hit.title : hit.title_derived;
    hit.snippet =
        highlighter->snippet(title, hit.snippet, statement.column_text(first + 8), snippet_tokens);
  }
}

// Runs `ranked_sql` (columns: id and score, best first), then reads each hit's details
// with detail_query(): two steps, so that bodies, paths and snippets are made for the rows
// shown only, where in one statement SQLite would compute every output column of every
// match before sorting them.
// `indexed_terms`, when given, are the query's stems the index holds (IndexedTermsScope).
std::vector<SearchHit> read_hits(sqlite::Connection& db, const std::string& ranked_sql,
                                 const PlannedQuery& planned, int snippet_tokens,
                                 const std::unordered_set<std::string>* indexed_terms = nullptr) {
  std::vector<SearchHit> hits;
  {
    IndexedTermsScope only_indexed(indexed_terms);
    auto ranked = db.prepare(ranked_sql);
    planned.bind(ranked);
    while (ranked.step()) {
      SearchHit hit;
      hit.id = ranked.column_int(0);
      hit.score = -ranked.column_double(1);
      hits.push_back(std::move(hit));
    }
  }
  std::optional<Highlighter> highlighter;
  if (planned.uses_fts) highlighter.emplace(planned.fts);
  auto detail = db.prepare(detail_query(planned));
  for (SearchHit& hit : hits) {
    detail.bind(1, hit.id);
    if (detail.step())
      read_details(detail, 1, hit, highlighter ? &*highlighter : nullptr, snippet_tokens);
    detail.reset();
  }
  read_authors(db, hits);
  return hits;
}

} // namespace

Searcher::Searcher(ArticleStore& store) : m_store(store) {}

std::vector<SearchHit> Searcher::search(const SearchRequest& request) {
  PlannedQuery planned = plan(request);
  auto& db = m_store.impl().db;
  if (planned.uses_fts && request.sort == SortOrder::relevance &&
      request.recent_half_life_days <= 0) {
    return guarded(m_store.impl().db, [&] {
      std::int64_t top_k =
          request.limit < 0 ? 0 : std::int64_t(request.limit) + std::max(0, request.offset);
      PhraseStatistics statistics = phrase_statistics(db, planned.fts);
      std::string sql = ranked_ids(planned, top_k, statistics.frequencies, limit_clause(request));
      return read_hits(db, sql, planned, request.snippet_tokens, statistics.term_filter());
    });
  }
  // Otherwise two steps: the ids in order, with their scores, then each hit's details.
  return guarded(m_store.impl().db, [&] {
    PhraseStatistics statistics =
        planned.uses_fts ? phrase_statistics(db, planned.fts) : PhraseStatistics{};
    std::string ranked =
        "SELECT a.id, " +
        (planned.uses_fts ? rank_expression(rank_arguments(0, statistics.frequencies))
                          : std::string("0.0")) +
        " AS score";
    std::string order;
    switch (request.sort) {
      case SortOrder::relevance:
        if (planned.uses_fts && request.recent_half_life_days > 0) {
          // Scores are negative (more negative = better), so a factor above 1 raises a match.
          order = " ORDER BY score * (1 + coalesce(pow(2.0, -max(0, julianday('" +
                  iso_of(request.today ? request.today : today_yyyymmdd()) +
                  "') - julianday(substr(a.date_last, 1, 4) || '-' || substr(a.date_last, 5, 2) || "
                  "'-' || substr(a.date_last, 7, 2))) / " +
                  std::to_string(request.recent_half_life_days) + "), 0)), a.id DESC";
        } else {
          order = " ORDER BY a.id DESC"; // no query words: newest first
        }
        break;
      case SortOrder::date_ascending:
        order = " ORDER BY a.date_first IS NULL, a.date_first, a.id";
        break;
      case SortOrder::date_descending:
        order = " ORDER BY a.date_last IS NULL, a.date_last DESC, a.id DESC";
        break;
    }
    std::string sql = ranked + from_clause(planned) + planned.where + order + limit_clause(request);
    return read_hits(db, sql, planned, request.snippet_tokens, statistics.term_filter());
  });
}

std::int64_t Searcher::count(const SearchRequest& request) {
  PlannedQuery planned = plan(request);
  // Counting FTS5's matches needs the articles table only for a filter on it.
  std::string sql = "SELECT count(*)" +
                    (planned.uses_fts && !planned.needs_articles ? std::string(" FROM articles_fts")
                                                                 : from_clause(planned)) +
                    planned.where;
  return guarded(m_store.impl().db, [&] {
    auto statement = m_store.impl().db.prepare(sql);
    planned.bind(statement);
    statement.step();
    return statement.column_int(0);
  });
}

std::vector<DatedMatch> Searcher::match_dates(const SearchRequest& request) {
  PlannedQuery planned = plan(request);
  std::string sql = "SELECT a.id, a.date" + from_clause(planned) + planned.where;
  return guarded(m_store.impl().db, [&] {
    std::vector<DatedMatch> matches;
    auto statement = m_store.impl().db.prepare(sql);
    planned.bind(statement);
    while (statement.step()) {
      matches.push_back(
          DatedMatch{statement.column_int(0),
                     PartialDate::parse_iso(statement.column_text(1)).value_or(PartialDate{})});
    }
    return matches;
  });
}

std::vector<std::int64_t> Searcher::match_ids(const SearchRequest& request) {
  PlannedQuery planned = plan(request);
  return guarded(m_store.impl().db, [&] {
    std::string order;
    switch (request.sort) {
      case SortOrder::relevance:
        order = planned.uses_fts
                    ? " ORDER BY " +
                          rank_expression(rank_arguments(
                              0, phrase_statistics(m_store.impl().db, planned.fts).frequencies)) +
                          ", a.id"
                    : " ORDER BY a.id";
        break;
      case SortOrder::date_ascending: order = " ORDER BY a.id"; break;
      case SortOrder::date_descending: order = " ORDER BY a.id DESC"; break;
    }
    std::string sql =
        "SELECT a.id" + from_clause(planned) + planned.where + order + limit_clause(request);
    std::vector<std::int64_t> ids;
    auto statement = m_store.impl().db.prepare(sql);
    planned.bind(statement);
    while (statement.step())
      ids.push_back(statement.column_int(0));
    return ids;
  });
}

std::vector<SearchHit> Searcher::similar(std::int64_t id, int limit,
                                         std::vector<std::string>* terms_used) {
  auto& db = m_store.impl().db;
  {
    auto exists = db.prepare("SELECT 1 FROM articles WHERE id = ?1");
    exists.bind(1, id);
    if (!exists.step()) throw QueryError("no article with id " + std::to_string(id));
  }
  // Tokenize the article exactly as the index did: copy it into a temporary FTS5 table
  // with the same tokenizer and read its vocabulary back.
  std::string tokenizer = "unicode61";
  {
    auto schema = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'");
    if (schema.step()) {
      std::string sql = schema.column_text(0);
      std::size_t at = sql.find("tokenize");
      std::size_t open = at == std::string::npos ? at : sql.find('\'', at);
      std::size_t close = open == std::string::npos ? open : sql.find('\'', open + 1);
      if (close != std::string::npos) tokenizer = sql.substr(open + 1, close - open - 1);
    }
  }
  db.exec("DROP TABLE IF EXISTS temp.similar_probe");
  db.exec("CREATE VIRTUAL TABLE temp.similar_probe USING fts5(title, body, tokenize = '" +
          tokenizer + "')");
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.similar_probe_vocab USING fts5vocab(temp, "
          "similar_probe, row)");
  open_term_list(db);
  db.prepare("INSERT INTO temp.similar_probe(title, body) SELECT title, body FROM "
             "articles_fts_content WHERE id = ?1")
      .bind(1, id)
      .run();
  double documents =
      static_cast<double>(std::max<std::int64_t>(1, db.query_int("SELECT count(*) FROM articles")));
  struct Term {
    std::string text;
    double weight;
    std::int64_t articles; // holding the term
  };
  std::vector<Term> terms;
  {
    auto vocab =
        db.prepare("SELECT p.term, p.cnt, coalesce(v.doc, 1) FROM temp.similar_probe_vocab p "
                   "LEFT JOIN temp.archive_vocab v ON v.term = p.term");
    while (vocab.step()) {
      std::string term = vocab.column_text(0);
      double tf = static_cast<double>(vocab.column_int(1));
      double df = static_cast<double>(vocab.column_int(2));
      // Skip numbers and one-letter tokens: they say little about the story.
      if (term.size() < 2 || term.find_first_not_of("0123456789.,") == std::string::npos) continue;
      if (df <= 1) continue; // only in this article: matches nothing else
      if (documents >= 4 && df / documents > 0.5) continue; // in most articles: says nothing
      terms.push_back(
          Term{term, (1 + std::log(tf)) * std::log(documents / df), static_cast<std::int64_t>(df)});
    }
  }
  db.exec("DROP TABLE IF EXISTS temp.similar_probe");
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.text < b.text;
  });
  if (terms.size() > 12) terms.resize(12);
  if (terms.empty()) return {};
  std::string query;
  std::vector<std::int64_t> frequencies; // the query's phrases are the terms, in order
  std::unordered_set<std::string> indexed;
  for (const Term& term : terms) {
    if (terms_used) terms_used->push_back(term.text);
    query += (query.empty() ? "" : " OR ") + quote_fts(term.text);
    frequencies.push_back(term.articles);
    indexed.insert(term.text);
  }
  PlannedQuery planned;
  planned.uses_fts = true;
  planned.fts = query;
  planned.add_text(query);
  planned.add_int(id);
  planned.where = " WHERE articles_fts MATCH ? AND articles_fts.rowid <> ?";
  std::int64_t shown = std::max(0, limit);
  std::string sql = ranked_ids(planned, shown, frequencies, " LIMIT " + std::to_string(shown));
  return guarded(m_store.impl().db, [&] { return read_hits(db, sql, planned, 16, &indexed); });
}

} // namespace newsidx
