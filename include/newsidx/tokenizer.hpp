// Text analysis for the full-text index: how a headline, a body or a query is cut into
// the terms FTS5 stores and looks up. Word boundaries follow Unicode (a fast path for
// scripts written with spaces, ICU's dictionary BreakIterator for Chinese, Japanese, Thai,
// Khmer, Lao and Myanmar); each word is NFKC-normalised and case-folded, stemmed with the
// Snowball stemmer of the article's language, and stripped of diacritics (Zürich = Zurich,
// ё = е). A query word becomes the set of its stems in every language written in its
// script, so one query meets articles in several languages. The same analysis runs inside
// SQLite as the FTS5 tokenizer "newsidx" (see src/tokenizer.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

enum class AnalysisMode {
  document,  // text being indexed: one stem per word, plus bigrams inside long CJK words
  query,     // a query term: every candidate stem of each word, as alternatives
  prefix,    // a prefix query term (`sanct*`): like query, and the unstemmed form
  display,   // snippets and highlights: positions and offsets only
};

struct AnalyzedToken {
  std::string text;        // the term as indexed / looked up
  std::size_t start = 0;   // byte offsets of the word in the input
  std::size_t end = 0;
  bool colocated = false;  // at the same position as the token before it
};

// Analyses `text` (UTF-8) written in language `lang` (ISO 639-1, "" when unknown; ignored
// outside document mode).
std::vector<AnalyzedToken> analyze(std::string_view text, std::string_view lang,
                                   AnalysisMode mode = AnalysisMode::document);

// The Snowball algorithm used for `lang` ("english", "russian", ...), or "" when the
// language is not stemmed.
std::string stemmer_name(std::string_view lang);

} // namespace newsidx
