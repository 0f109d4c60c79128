// Private to the library: the snippet a search hit shows, made from the article's stored
// text. FTS5's snippet() needs the article's row in a MATCH query, and running the query
// again for each of the twenty hits shown costs more than the search itself at a million
// articles. A Highlighter knows the query's phrases as newsidx analyses them and finds
// them in the text with the same analysis the index used (so "councils" highlights
// "Council"): the window of `tokens` words holding the most distinct phrases, title
// before body, with each match wrapped in k_match_begin / k_match_end and "…" where text
// was cut.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

class Highlighter {
public:
  // `fts_expression` as newsidx's query parser writes it (see ranking.hpp, phrases_of).
  explicit Highlighter(std::string_view fts_expression);

  std::string snippet(std::string_view title, std::string_view body, std::string_view lang,
                      int tokens) const;

private:
  struct Phrase {
    std::vector<std::vector<std::string>> positions; // alternatives at each position
    bool prefix = false;
  };
  std::vector<Phrase> m_phrases;
};

} // namespace newsidx
