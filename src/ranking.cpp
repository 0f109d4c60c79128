// newsidx_rank(): BM25 over FTS5 with document frequencies given by the caller.
#include "ranking.hpp"

#include "newsidx/tokenizer.hpp"
#include "sqlite.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_map>

namespace newsidx {

namespace {

constexpr double k_k1 = 1.2; // term-frequency saturation, as FTS5's bm25()
constexpr double k_b = 0.75; // document-length normalisation, as FTS5's bm25()

// What stays the same for every row of one query: computed on its first row.
struct QueryStatistics {
  std::size_t top_k = 0; // 0: every row gets its exact score
  std::vector<double> column_weights;
  std::vector<double> inverse_frequencies; // per phrase
  double average_length = 1.0;             // tokens per article, all columns
  // Scratch for each row.
  std::vector<double> frequencies; // per phrase
  std::vector<int> last_offsets;   // per column, -1 without a match
  // The best `top_k` exact scores so far, the lowest on top.
  std::priority_queue<double, std::vector<double>, std::greater<double>> best;
  // The last row scored: SQLite may ask twice for the same row (a score that is both a
  // result column and the sort key), which must not count twice among the best.
  sqlite3_int64 last_rowid = 0;
  double last_result = 0.0;
  bool scored_any = false;
};

double inverse_frequency(double rows, double hits) {
  double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
  return idf > 0.0 ? idf : 1e-6; // a phrase in most articles still counts a little
}

int count_row(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<sqlite3_int64*>(count);
  return SQLITE_OK;
}

int prepare_statistics(const Fts5ExtensionApi* api, Fts5Context* fts, int argc,
                       sqlite3_value** argv, QueryStatistics& stats) {
  int columns = api->xColumnCount(fts);
  int phrases = api->xPhraseCount(fts);
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  stats.average_length = rows > 0 ? std::max(1.0, double(tokens) / double(rows)) : 1.0;
  if (argc > 0) stats.top_k = std::size_t(std::max<sqlite3_int64>(0, sqlite3_value_int64(argv[0])));
  for (int c = 0; c < columns; ++c) {
    stats.column_weights.push_back(1 + c < argc ? sqlite3_value_double(argv[1 + c]) : 1.0);
  }
  // Frequencies are used only when there is one for every phrase.
  bool given = argc == 1 + columns + phrases;
  for (int p = 0; p < phrases; ++p) {
    sqlite3_int64 hits = given ? sqlite3_value_int64(argv[1 + columns + p]) : -1;
    if (hits < 0) {
      hits = 0;
      rc = api->xQueryPhrase(fts, p, &hits, count_row);
      if (rc != SQLITE_OK) return rc;
    }
    stats.inverse_frequencies.push_back(
        inverse_frequency(double(rows), double(std::min<sqlite3_int64>(hits, rows))));
  }
  stats.frequencies.assign(std::size_t(phrases), 0.0);
  stats.last_offsets.assign(std::size_t(columns), -1);
  return SQLITE_OK;
}

double bm25(const QueryStatistics& stats, double length) {
  double norm = k_k1 * (1.0 - k_b + k_b * length / stats.average_length);
  double score = 0.0;
  for (std::size_t p = 0; p < stats.frequencies.size(); ++p) {
    double f = stats.frequencies[p];
    score += stats.inverse_frequencies[p] * f * (k_k1 + 1.0) / (f + norm);
  }
  return score;
}

// The current row's score, negated like bm25()'s (lower is better).
int score_row(const Fts5ExtensionApi* api, Fts5Context* fts, QueryStatistics& stats,
              double& result) {
  std::fill(stats.frequencies.begin(), stats.frequencies.end(), 0.0);
  std::fill(stats.last_offsets.begin(), stats.last_offsets.end(), -1);
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  if (rc != SQLITE_OK) return rc;
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK && phrase >= 0 && std::size_t(phrase) < stats.frequencies.size() &&
        column >= 0 && std::size_t(column) < stats.column_weights.size()) {
      stats.frequencies[std::size_t(phrase)] += stats.column_weights[std::size_t(column)];
      int& last = stats.last_offsets[std::size_t(column)];
      last = std::max(last, offset);
    }
  }
  if (rc != SQLITE_OK) return rc;
  if (stats.top_k > 0 && stats.best.size() == stats.top_k) {
    // The article is at least as long as its last match: BM25 with that length is an
    // upper bound of its score. Below the k-th best exact score so far, the row cannot
    // be among the k best, and the bound saves reading its length (a B-tree lookup).
    double shortest = 0.0;
    for (int last : stats.last_offsets)
      shortest += double(last + 1);
    double bound = bm25(stats, shortest);
    if (bound < stats.best.top()) {
      result = -bound;
      return SQLITE_OK;
    }
  }
  int length = 0;
  rc = api->xColumnSize(fts, -1, &length);
  if (rc != SQLITE_OK) return rc;
  double score = bm25(stats, double(length));
  if (stats.top_k > 0) {
    if (stats.best.size() < stats.top_k) {
      stats.best.push(score);
    } else if (score > stats.best.top()) {
      stats.best.pop();
      stats.best.push(score);
    }
  }
  result = -score;
  return SQLITE_OK;
}

void rank_function(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context,
                   int argc, sqlite3_value** argv) {
  auto* stats = static_cast<QueryStatistics*>(api->xGetAuxdata(fts, 0));
  if (!stats) {
    auto fresh = std::make_unique<QueryStatistics>();
    if (int rc = prepare_statistics(api, fts, argc, argv, *fresh); rc != SQLITE_OK) {
      sqlite3_result_error_code(context, rc);
      return;
    }
    stats = fresh.get();
    int rc = api->xSetAuxdata(fts, fresh.release(),
                              [](void* p) { delete static_cast<QueryStatistics*>(p); });
    if (rc != SQLITE_OK) { // SQLite has already freed the statistics
      sqlite3_result_error_code(context, rc);
      return;
    }
  }
  sqlite3_int64 rowid = api->xRowid(fts);
  if (stats->scored_any && rowid == stats->last_rowid) {
    sqlite3_result_double(context, stats->last_result);
    return;
  }
  double result = 0.0;
  int rc = score_row(api, fts, *stats, result);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  stats->scored_any = true;
  stats->last_rowid = rowid;
  stats->last_result = result;
  sqlite3_result_double(context, result);
}

} // namespace

bool register_ranking(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  return api &&
         api->xCreateFunction(api, "newsidx_rank", nullptr, rank_function, nullptr) == SQLITE_OK;
}

ExpressionPhrases phrases_of(std::string_view expression) {
  ExpressionPhrases out;
  std::size_t i = 0;
  while (i < expression.size()) {
    char c = expression[i];
    if (c == '"') {
      ExpressionPhrase phrase;
      ++i;
      for (;;) {
        if (i >= expression.size()) return {{}, false}; // unterminated
        if (expression[i] == '"') {
          if (i + 1 < expression.size() && expression[i + 1] == '"') {
            phrase.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        phrase.text += expression[i++];
      }
      std::size_t next = expression.find_first_not_of(' ', i);
      if (next != std::string_view::npos && expression[next] == '*') {
        phrase.prefix = true;
        i = next + 1;
      }
      out.phrases.push_back(std::move(phrase));
    } else if (c == '+' || c == '^' || c == '*') {
      return {{}, false}; // phrase concatenation, an initial-token or a stray prefix mark
    } else {
      if (c == ':') out.column_filtered = true;
      ++i; // operators, parentheses, column names, NEAR and its distance
    }
  }
  return out;
}

void open_term_list(sqlite::Connection& db) {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.archive_vocab "
          "USING fts5vocab(main, articles_fts, row)");
}

PhraseStatistics phrase_statistics(sqlite::Connection& db, std::string_view fts_expression) {
  PhraseStatistics out;
  ExpressionPhrases parsed = phrases_of(fts_expression);
  if (!parsed.ok) return out;
  out.terms_known = true;
  open_term_list(db);
  auto lookup = db.prepare("SELECT doc FROM temp.archive_vocab WHERE term = ?1");
  std::unordered_map<std::string, std::int64_t> known;
  auto documents_with = [&](const std::string& term) {
    auto found = known.find(term);
    if (found != known.end()) return found->second;
    lookup.bind(1, term);
    std::int64_t count = lookup.step() ? lookup.column_int(0) : 0;
    lookup.reset();
    known.emplace(term, count);
    if (count > 0) out.indexed_terms.insert(term);
    return count;
  };
  for (const ExpressionPhrase& phrase : parsed.phrases) {
    std::vector<AnalyzedToken> tokens = phrase.prefix
                                            ? std::vector<AnalyzedToken>{}
                                            : analyze(phrase.text, "", AnalysisMode::query);
    std::int64_t rarest = -1;
    std::int64_t position = 0; // articles holding any alternative at this position
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      position += documents_with(tokens[t].text);
      bool last_here = t + 1 == tokens.size() || !tokens[t + 1].colocated;
      if (last_here) {
        rarest = rarest < 0 ? position : std::min(rarest, position);
        position = 0;
      }
    }
    // Under a column filter bm25() counts the articles that hold the phrase in that
    // column, which the term list does not tell: FTS5 counts them (-1).
    out.frequencies.push_back(parsed.column_filtered ? -1 : rarest);
  }
  return out;
}

} // namespace newsidx
