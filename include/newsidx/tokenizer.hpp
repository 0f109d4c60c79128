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
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

enum class AnalysisMode {
  document, // text being indexed: one stem per word, plus bigrams inside long CJK words
  query,    // a query term: every candidate stem of each word, as alternatives
  prefix,   // a prefix query term (`sanct*`): like query, and the unstemmed form
  display,  // snippets and highlights: positions and offsets only
};

struct AnalyzedToken {
  std::string text;      // the term as indexed / looked up
  std::size_t start = 0; // byte offsets of the word in the input
  std::size_t end = 0;
  bool colocated = false; // at the same position as the token before it
};

// Analyses `text` (UTF-8) written in language `lang` (ISO 639-1, "" when unknown; ignored
// outside document mode).
std::vector<AnalyzedToken> analyze(std::string_view text, std::string_view lang,
                                   AnalysisMode mode = AnalysisMode::document);

// A document field analysed ahead of time, on a parser thread, so that the single writer
// thread only builds the index: while a PreparedTextScope is alive on the writer thread,
// its FTS5 tokenizer replays the tokens of a prepared text whose size, hash and language
// match the text it is given, instead of analysing it again.
class PreparedText {
public:
  PreparedText() = default;
  PreparedText(std::string_view text, std::string_view lang);

  bool matches(std::string_view text, std::string_view primary_lang) const;
  std::size_t token_count() const { return m_tokens.size(); }

  // A term and whether it shares the position of the one before. The words' offsets are
  // not kept: FTS5 does not use them when it indexes a document (its insert callback
  // ignores them), and a batch of articles waiting for the index holds millions of tokens.
  struct Token {
    std::uint32_t text_offset; // into m_terms
    std::uint32_t text_size : 31;
    std::uint32_t colocated : 1;
  };
  const std::vector<Token>& tokens() const { return m_tokens; }
  std::string_view term(const Token& token) const {
    return std::string_view(m_terms).substr(token.text_offset, token.text_size);
  }

private:
  std::uint64_t m_hash = 0;
  std::size_t m_size = 0;
  std::string m_lang; // primary language subtag
  std::string m_terms;
  std::vector<Token> m_tokens;
};

class PreparedTextScope {
public:
  explicit PreparedTextScope(std::vector<const PreparedText*> texts);
  ~PreparedTextScope();
  PreparedTextScope(const PreparedTextScope&) = delete;
  PreparedTextScope& operator=(const PreparedTextScope&) = delete;

private:
  std::vector<const PreparedText*> m_texts;
  const std::vector<const PreparedText*>* m_previous;
};

// The Snowball algorithm used for `lang` ("english", "russian", ...), or "" when the
// language is not stemmed.
std::string stemmer_name(std::string_view lang);

} // namespace newsidx
