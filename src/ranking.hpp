// Private to the library: newsidx's ranking function for FTS5, newsidx_rank(). It is
// Okapi BM25 as FTS5's own bm25() computes it (k1 = 1.2, b = 0.75, per-column weights),
// except where a phrase's document frequency comes from. bm25() counts the documents
// that hold each phrase by running the phrase over the whole index, on every query; at a
// million articles that pass is most of the time an AND or a phrase query takes.
// newsidx_rank() takes the frequencies as arguments instead, looked up beforehand in the
// index's term list (fts5vocab) by phrase_frequencies(): a phrase counts as often as its
// rarest word, a word as often as all of its stems together. An argument of -1, or a
// count that does not fit the query, falls back to bm25()'s own pass for that phrase;
// queries with a column filter (`title:`) take that pass for every phrase.
//
// When the caller keeps only the k best rows (ORDER BY the score LIMIT k), newsidx_rank()
// reads an article's length (a B-tree lookup per row, most of an AND query's time at a
// million articles) only when the row could still be among them: BM25 with the article
// as short as its last match is an upper bound of its score, and a row whose bound is
// below the k-th best exact score so far gets the bound, which keeps it out of the k
// best. The k best are exact as long as the function sees only rows the query can
// return, so filters belong in the same WHERE clause, not in an outer query.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace newsidx {

namespace sqlite {
class Connection;
}

// Registers newsidx_rank(articles_fts, k, weight per column..., frequency per phrase...)
// on the connection (k = 0: every row's score is exact); false without FTS5.
bool register_ranking(sqlite3* db);

// The phrases of an FTS5 expression as newsidx's query parser writes it (every phrase a
// quoted string, a prefix phrase followed by `*`), in the order FTS5 numbers them.
struct ExpressionPhrase {
  std::string text;
  bool prefix = false;
};
// Empty with `ok` false when the expression has a form this reader does not know.
struct ExpressionPhrases {
  std::vector<ExpressionPhrase> phrases;
  bool ok = true;
  bool column_filtered = false; // the expression has a column filter (`title : ...`)
};
ExpressionPhrases phrases_of(std::string_view fts_expression);

// Creates, once per connection, temp.archive_vocab: the archive's FTS5 term list
// (fts5vocab 'row': term, doc = articles holding it, cnt).
void open_term_list(sqlite::Connection& db);

// How many articles hold each phrase of `fts_expression` (-1 where unknown), from the
// archive's FTS5 term list, and which of the query's stems the index holds (for an
// IndexedTermsScope, src/tokenizer.hpp).
struct PhraseStatistics {
  std::vector<std::int64_t> frequencies;
  std::unordered_set<std::string> indexed_terms;
  bool terms_known = false; // false: the expression was not read, use no IndexedTermsScope

  // What an IndexedTermsScope should keep: null when the expression was not read.
  const std::unordered_set<std::string>* term_filter() const {
    return terms_known ? &indexed_terms : nullptr;
  }
};
PhraseStatistics phrase_statistics(sqlite::Connection& db, std::string_view fts_expression);

} // namespace newsidx
