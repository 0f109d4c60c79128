// Private to the library: registers newsidx's analysis (include/newsidx/tokenizer.hpp) on a
// SQLite connection, as the FTS5 tokenizer "newsidx" and the SQL function
// newsidx_fts_lang(lang, text). The function returns `text` unchanged and tells the
// connection's tokenizer the language of the document it is about to index; the FTS5
// triggers and the content view call it, so inserts, deletes, 'rebuild' and
// 'integrity-check' all stem each article in its own language while snippets still read
// the stored text as it is.
#pragma once

#include <sqlite3.h>

#include <string>
#include <unordered_set>

namespace newsidx {

// Call once per connection, before the archive's FTS5 table is used. Returns false when
// the connection has no FTS5 (or the file cannot even be read); it never throws, so that
// the caller's own checks report a file that is not an archive.
bool register_tokenizer(sqlite3* db);

// The connection's FTS5 API (to register tokenizers and functions); null without FTS5.
fts5_api* fts5_api_of(sqlite3* db);

// While alive, the FTS5 tokenizer on this thread leaves out of queries the stems that
// are not in `indexed` (keeping a word's first when none is). A query word becomes its
// stems in every language of its script; most match nothing, yet each turns the word
// into a set of synonyms whose position lists FTS5 merges for every candidate row.
// Leaving out stems the index does not hold changes no result.
class IndexedTermsScope {
public:
  explicit IndexedTermsScope(const std::unordered_set<std::string>* indexed);
  ~IndexedTermsScope();
  IndexedTermsScope(const IndexedTermsScope&) = delete;
  IndexedTermsScope& operator=(const IndexedTermsScope&) = delete;

private:
  const std::unordered_set<std::string>* m_previous;
};

} // namespace newsidx
