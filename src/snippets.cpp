// Highlighter: snippets from the stored text, matched with the index's own analysis.
#include "snippets.hpp"

#include "newsidx/query.hpp"
#include "newsidx/tokenizer.hpp"
#include "ranking.hpp"

#include <algorithm>
#include <cstddef>

namespace newsidx {

namespace {

// One word of the text: its bytes and the terms the index holds for it.
struct Word {
  std::size_t start = 0;
  std::size_t end = 0;
  std::size_t first_term = 0; // into the analysed tokens
  std::size_t term_count = 0;
};

// A column's words and, for each, which phrase matched there (-1: none), and whether it
// begins a match.
struct Column {
  std::string_view text;
  std::vector<AnalyzedToken> tokens;
  std::vector<Word> words;
  std::vector<int> phrase_at;
  std::vector<bool> match_starts;
};

Column analysed(std::string_view text, std::string_view lang) {
  Column column;
  column.text = text;
  column.tokens = analyze(text, lang, AnalysisMode::document);
  for (std::size_t t = 0; t < column.tokens.size(); ++t) {
    const AnalyzedToken& token = column.tokens[t];
    if (token.colocated && !column.words.empty()) {
      Word& word = column.words.back();
      word.start = std::min(word.start, token.start);
      word.end = std::max(word.end, token.end);
      ++word.term_count;
    } else {
      column.words.push_back(Word{token.start, token.end, t, 1});
    }
  }
  column.phrase_at.assign(column.words.size(), -1);
  column.match_starts.assign(column.words.size(), false);
  return column;
}

// The window of `size` words with the most distinct phrases (then the most matched
// words), moved left so that its matches sit in the middle.
struct Window {
  std::size_t begin = 0;
  std::size_t end = 0;
  long score = -1;
};

Window best_window(const Column& column, std::size_t size) {
  Window best;
  std::size_t count = column.words.size();
  for (std::size_t start = 0; start < count; ++start) {
    if (!column.match_starts[start]) continue;
    std::size_t stop = std::min(count, start + size);
    std::vector<int> seen;
    long matched = 0;
    std::size_t last = start;
    for (std::size_t w = start; w < stop; ++w) {
      int phrase = column.phrase_at[w];
      if (phrase < 0) continue;
      ++matched;
      last = w;
      if (std::find(seen.begin(), seen.end(), phrase) == seen.end()) seen.push_back(phrase);
    }
    long score = 1000 * long(seen.size()) + matched;
    if (score > best.score) {
      std::size_t slack = size - std::min(size, last - start + 1);
      std::size_t begin = start - std::min(start, slack / 2);
      best = Window{begin, std::min(count, begin + size), score};
    }
  }
  if (count <= size && best.score >= 0) best = Window{0, count, best.score};
  return best;
}

std::string render(const Column& column, const Window& window) {
  std::string out;
  if (window.begin >= window.end) return out;
  if (window.begin > 0) out += "…";
  const std::vector<Word>& words = column.words;
  std::size_t at = window.begin == 0 ? 0 : words[window.begin].start; // all of the start
  for (std::size_t w = window.begin; w < window.end; ++w) {
    out.append(column.text.substr(at, words[w].start - at));
    bool matched = column.phrase_at[w] >= 0;
    bool opens =
        matched && (w == window.begin || column.phrase_at[w - 1] < 0 || column.match_starts[w]);
    bool closes = matched && (w + 1 == window.end || column.phrase_at[w + 1] < 0 ||
                              column.match_starts[w + 1]);
    if (opens) out += k_match_begin;
    out.append(column.text.substr(words[w].start, words[w].end - words[w].start));
    if (closes) out += k_match_end;
    at = words[w].end;
  }
  if (window.end < words.size()) {
    out += "…";
  } else {
    out.append(column.text.substr(at)); // all of the end
  }
  return out;
}

} // namespace

Highlighter::Highlighter(std::string_view fts_expression) {
  for (const ExpressionPhrase& phrase : phrases_of(fts_expression).phrases) {
    Phrase analysed_phrase;
    analysed_phrase.prefix = phrase.prefix;
    for (const AnalyzedToken& token :
         analyze(phrase.text, "", phrase.prefix ? AnalysisMode::prefix : AnalysisMode::query)) {
      if (!token.colocated || analysed_phrase.positions.empty()) {
        analysed_phrase.positions.emplace_back();
      }
      analysed_phrase.positions.back().push_back(token.text);
    }
    if (!analysed_phrase.positions.empty()) m_phrases.push_back(std::move(analysed_phrase));
  }
}

std::string Highlighter::snippet(std::string_view title, std::string_view body,
                                 std::string_view lang, int tokens) const {
  std::size_t size = std::size_t(std::clamp(tokens, 1, 64));
  Column columns[2] = {analysed(title, lang), analysed(body, lang)};
  for (Column& column : columns) {
    for (std::size_t p = 0; p < m_phrases.size(); ++p) {
      const Phrase& phrase = m_phrases[p];
      std::size_t length = phrase.positions.size();
      for (std::size_t start = 0; start + length <= column.words.size(); ++start) {
        bool all = true;
        for (std::size_t k = 0; all && k < length; ++k) {
          const Word& word = column.words[start + k];
          bool prefix = phrase.prefix && k + 1 == length;
          bool any = false;
          for (std::size_t t = word.first_term; !any && t < word.first_term + word.term_count;
               ++t) {
            const std::string& term = column.tokens[t].text;
            for (const std::string& wanted : phrase.positions[k]) {
              if (prefix ? term.compare(0, wanted.size(), wanted) == 0 : term == wanted) {
                any = true;
                break;
              }
            }
          }
          all = any;
        }
        if (!all) continue;
        column.match_starts[start] = true;
        for (std::size_t k = 0; k < length; ++k)
          column.phrase_at[start + k] = int(p);
      }
    }
  }
  Window in_title = best_window(columns[0], size);
  Window in_body = best_window(columns[1], size);
  if (in_title.score >= 0 && in_title.score >= in_body.score) return render(columns[0], in_title);
  if (in_body.score >= 0) return render(columns[1], in_body);
  // No match found in the text (the index matched a form this analysis does not see):
  // the start of the story.
  Column& fallback = columns[1].words.empty() ? columns[0] : columns[1];
  return render(fallback, Window{0, std::min(size, fallback.words.size()), 0});
}

} // namespace newsidx
