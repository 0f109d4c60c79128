// The query language: turns what a person types into an FTS5 expression plus field
// filters. Every word reaches FTS5 as a quoted string, so its own syntax never leaks.
#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"
#include "query_syntax.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>

namespace newsidx {

namespace {

enum class TokenKind { word, phrase, open, close, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;       // word or phrase text
  std::string field;      // "title", "source", ... when written field:value
  bool negated = false;   // written with a leading '-'
  bool prefix = false;    // written with a trailing '*'
  bool field_group = false;  // field:( ... )
  std::size_t offset = 0;
};

bool has_searchable_char(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && (u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC))) return true;
  }
  return false;
}


bool is_known_field(std::string_view name) {
  return name == "title" || name == "body" || name == "source" || name == "author" ||
         name == "lang" || name == "dateline" || name == "date";
}

// Spaces and every other control character (NUL included) separate words.
bool is_space(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }

class Lexer {
public:
  explicit Lexer(std::string_view text) : m_text(text) {}

  Token next() {
    while (m_pos < m_text.size() && is_space(m_text[m_pos])) ++m_pos;
    Token token;
    token.offset = m_pos;
    if (m_pos >= m_text.size()) return token;
    char c = m_text[m_pos];
    if (c == '(') {
      ++m_pos;
      token.kind = TokenKind::open;
      return token;
    }
    if (c == ')') {
      ++m_pos;
      token.kind = TokenKind::close;
      return token;
    }
    if (c == '-' && m_pos + 1 < m_text.size() && !is_space(m_text[m_pos + 1]) &&
        m_text[m_pos + 1] != '-') {
      token.negated = true;
      ++m_pos;
    }
    // field:value
    std::size_t colon = m_pos;
    while (colon < m_text.size() && std::isalpha(static_cast<unsigned char>(m_text[colon]))) ++colon;
    if (colon < m_text.size() && m_text[colon] == ':' && colon > m_pos) {
      std::string name(m_text.substr(m_pos, colon - m_pos));
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (is_known_field(name) && colon + 1 < m_text.size() && !is_space(m_text[colon + 1])) {
        token.field = name;
        m_pos = colon + 1;
        if (m_text[m_pos] == '(') {
          ++m_pos;
          token.kind = TokenKind::open;
          token.field_group = true;
          return token;
        }
      }
    }
    if (m_pos < m_text.size() && m_text[m_pos] == '"') {
      std::size_t close = m_text.find('"', m_pos + 1);
      std::size_t stop = close == std::string_view::npos ? m_text.size() : close;
      token.kind = TokenKind::phrase;
      token.text = std::string(m_text.substr(m_pos + 1, stop - m_pos - 1));
      m_pos = close == std::string_view::npos ? m_text.size() : close + 1;
      if (m_pos < m_text.size() && m_text[m_pos] == '*') {
        token.prefix = true;
        ++m_pos;
      }
      return token;
    }
    std::size_t start = m_pos;
    while (m_pos < m_text.size() && !is_space(m_text[m_pos]) && m_text[m_pos] != '(' &&
           m_text[m_pos] != ')' && m_text[m_pos] != '"') {
      ++m_pos;
    }
    token.kind = TokenKind::word;
    token.text = std::string(m_text.substr(start, m_pos - start));
    if (token.text.size() > 1 && token.text.back() == '*') {
      token.prefix = true;
      token.text.pop_back();
      while (!token.text.empty() && token.text.back() == '*') token.text.pop_back();
    }
    return token;
  }

  std::size_t position() const { return m_pos; }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

// One parsed sub-expression: an FTS5 string (empty when it had nothing searchable).
struct Expr {
  std::string fts;
  bool compound = false;  // needs parentheses when combined
};

class Parser {
public:
  Parser(std::string_view text, int today) : m_text(text), m_lexer(text), m_today(today) {
    advance();
  }

  ParsedQuery parse() {
    ParsedQuery result;
    std::vector<FieldFilter> filters;
    DayRange dates;
    Expr expr = parse_or(/*top_level=*/true, filters, dates);
    while (m_token.kind == TokenKind::close) {  // a stray ')' is ignored
      advance();
      Expr more = parse_or(true, filters, dates);
      expr = combine_and({expr, more});
    }
    result.fts = expr.fts;
    result.filters = std::move(filters);
    result.dates = dates;
    if (result.fts.empty() && result.filters.empty() && result.dates.empty()) {
      throw QueryError(m_saw_negation ? "a query cannot only exclude words: add a word to search "
                                        "for, e.g. 'putin -xi'"
                                      : "the query has no words to search for");
    }
    return result;
  }

private:
  void advance() { m_token = m_lexer.next(); }

  bool at_keyword(std::string_view keyword) const {
    return m_token.kind == TokenKind::word && m_token.field.empty() && !m_token.negated &&
           !m_token.prefix && m_token.text == keyword;
  }

  static Expr combine_and(const std::vector<Expr>& parts) {
    Expr out;
    int count = 0;
    for (const Expr& part : parts) {
      if (part.fts.empty()) continue;
      if (count++) out.fts += " AND ";
      out.fts += part.compound ? "(" + part.fts + ")" : part.fts;
    }
    out.compound = count > 1;
    return out;
  }

  Expr parse_or(bool top_level, std::vector<FieldFilter>& filters, DayRange& dates) {
    std::vector<Expr> branches;
    std::size_t filters_before = filters.size();
    bool dates_before = !dates.empty();
    branches.push_back(parse_and(top_level, filters, dates));
    while (at_keyword("OR")) {
      advance();
      branches.push_back(parse_and(top_level, filters, dates));
    }
    std::vector<Expr> kept;
    for (Expr& branch : branches) {
      if (!branch.fts.empty()) kept.push_back(branch);
    }
    if (branches.size() > 1 &&
        (filters.size() != filters_before || (!dates_before && !dates.empty()))) {
      throw QueryError("source:, author:, lang:, dateline: and date: cannot be combined with OR; "
                       "put them beside the words (they always narrow the search)");
    }
    if (kept.size() == 1) return kept.front();
    Expr out;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (i) out.fts += " OR ";
      out.fts += kept[i].compound ? "(" + kept[i].fts + ")" : kept[i].fts;
    }
    out.compound = kept.size() > 1;
    return out;
  }

  Expr parse_and(bool top_level, std::vector<FieldFilter>& filters, DayRange& dates) {
    std::vector<Expr> positives;
    std::vector<Expr> negatives;
    while (m_token.kind != TokenKind::end && m_token.kind != TokenKind::close &&
           !at_keyword("OR")) {
      if (at_keyword("AND")) {
        advance();
        continue;
      }
      bool negate = false;
      if (at_keyword("NOT")) {
        negate = true;
        advance();
        if (m_token.kind == TokenKind::end || m_token.kind == TokenKind::close) break;
      }
      negate = negate != m_token.negated;
      if (negate) m_saw_negation = true;
      if (!m_token.field.empty() && m_token.field != "title" && m_token.field != "body") {
        take_filter(top_level, negate, filters, dates);
        continue;
      }
      Expr item = parse_primary();
      if (item.fts.empty()) continue;
      (negate ? negatives : positives).push_back(item);
    }
    Expr result = combine_and(positives);
    if (result.fts.empty()) {
      if (!negatives.empty()) {
        throw QueryError("a query cannot only exclude words: add a word to search for, "
                         "e.g. 'putin -xi'");
      }
      return result;
    }
    for (const Expr& negative : negatives) {
      std::string left = result.compound ? "(" + result.fts + ")" : result.fts;
      result.fts = left + " NOT " + (negative.compound ? "(" + negative.fts + ")" : negative.fts);
      result.compound = true;
    }
    return result;
  }

  void take_filter(bool top_level, bool negate, std::vector<FieldFilter>& filters,
                   DayRange& dates) {
    Token token = m_token;
    if (!top_level) {
      throw QueryError(token.field + ": cannot be used inside parentheses (at character " +
                       std::to_string(token.offset + 1) + ")");
    }
    if (token.field_group) {
      throw QueryError(token.field + ": takes one value, e.g. " + token.field +
                       ":\"The Moscow Times\"");
    }
    advance();
    if (token.text.empty()) {
      throw QueryError(token.field + ": needs a value (at character " +
                       std::to_string(token.offset + 1) + ")");
    }
    if (token.field == "date") {
      if (negate) throw QueryError("date: cannot be negated; use date:..A or date:B..");
      try {
        dates = dates.intersect(parse_date_range(token.text, m_today));
      } catch (const UsageError& e) {
        throw QueryError(std::string("date: ") + e.what());
      }
      return;
    }
    FieldFilter filter;
    if (token.field == "source") filter.field = FieldFilter::Field::source;
    else if (token.field == "author") filter.field = FieldFilter::Field::author;
    else if (token.field == "lang") filter.field = FieldFilter::Field::lang;
    else filter.field = FieldFilter::Field::dateline;
    filter.value = token.text;
    filter.negated = negate;
    filters.push_back(std::move(filter));
  }

  Expr parse_primary() {
    Token token = m_token;
    std::string column = token.field;  // "title", "body" or ""
    if (token.kind == TokenKind::open) {
      advance();
      std::vector<FieldFilter> inner_filters;
      DayRange inner_dates;
      Expr inner = parse_or(false, inner_filters, inner_dates);
      if (m_token.kind == TokenKind::close) advance();  // a missing ')' is closed at the end
      if (inner.fts.empty()) return inner;
      Expr out;
      out.fts = inner.compound ? "(" + inner.fts + ")" : inner.fts;
      if (!column.empty()) out.fts = column + " : " + out.fts;
      out.compound = !column.empty();
      return out;
    }
    advance();
    // NEAR(a b, 5)
    if (token.kind == TokenKind::word && token.field.empty() && token.text == "NEAR" &&
        m_token.kind == TokenKind::open && m_token.offset == token.offset + 4) {
      return parse_near();
    }
    if (!has_searchable_char(token.text)) return {};
    Expr out;
    out.fts = quote_fts(token.text);
    if (token.prefix) out.fts += " *";
    if (!column.empty()) out.fts = column + " : " + out.fts;
    return out;
  }

  Expr parse_near() {
    advance();  // '('
    std::vector<std::string> terms;
    int distance = 10;
    bool after_comma = false;
    while (m_token.kind != TokenKind::end && m_token.kind != TokenKind::close) {
      if (m_token.kind == TokenKind::open) {
        throw QueryError("NEAR( ) takes words or \"phrases\", not parentheses");
      }
      std::string text = m_token.text;
      bool ends_with_comma = m_token.kind == TokenKind::word && !text.empty() && text.back() == ',';
      if (ends_with_comma) text.pop_back();
      if (m_token.kind == TokenKind::word && !text.empty() && text.front() == ',') {
        text.erase(0, 1);
        after_comma = true;
      }
      bool all_digits = !text.empty() && text.size() <= 6 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
      if (after_comma && all_digits) {
        distance = std::stoi(text);
      } else if (has_searchable_char(text)) {
        terms.push_back(quote_fts(text) + (m_token.prefix ? " *" : ""));
      }
      after_comma = ends_with_comma;
      advance();
    }
    if (m_token.kind == TokenKind::close) advance();
    if (terms.empty()) return {};
    if (terms.size() == 1) return Expr{terms.front(), false};
    Expr out;
    out.fts = "NEAR(";
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (i) out.fts += ' ';
      out.fts += terms[i];
    }
    out.fts += ", " + std::to_string(distance) + ")";
    return out;
  }

  std::string_view m_text;
  Lexer m_lexer;
  Token m_token;
  int m_today;
  bool m_saw_negation = false;
};

} // namespace

std::string quote_fts(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += "\"\"";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';  // NUL and friends
    else out += c;
  }
  out += '"';
  return out;
}

ParsedQuery parse_query(std::string_view text, int today) {
  if (text.size() > 10000) throw QueryError("the query is too long (over 10000 characters)");
  return Parser(text, today).parse();
}

} // namespace newsidx
