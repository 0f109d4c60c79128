#include "dates.hpp"

#include "extract_utf8.hpp"
#include "rules.hpp"

#include <algorithm>
#include <string>

namespace newsidx {

namespace {

enum class TokenKind { number, word, punct };

struct Token {
  TokenKind kind = TokenKind::punct;
  std::size_t begin = 0;
  std::size_t end = 0;
  int value = 0;   // numbers
  int digits = 0;  // numbers
  char32_t cp = 0; // punctuation, and single CJK characters
  std::string word;  // lower-cased words
  bool space_before = false;
};

constexpr int k_min_year = 1900;
constexpr int k_max_year = 2100;

std::vector<Token> tokenize(std::string_view text, const std::unordered_map<std::string, int>& months) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  bool space = false;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_space(cp)) {
      space = true;
      continue;
    }
    Token token;
    token.begin = start;
    token.space_before = space;
    space = false;
    if (utf8::is_digit(cp)) {
      token.kind = TokenKind::number;
      token.value = utf8::digit_value(cp);
      token.digits = 1;
      while (i < text.size()) {
        std::size_t j = i;
        const char32_t next = utf8::decode(text, j);
        if (!utf8::is_digit(next)) {
          break;
        }
        if (token.value < 10000000) {
          token.value = token.value * 10 + utf8::digit_value(next);
        }
        ++token.digits;
        i = j;
      }
    } else if (utf8::is_cjk(cp)) {
      token.kind = TokenKind::word;
      token.cp = cp;
      token.word.assign(text.substr(start, i - start));
    } else if (utf8::is_letter(cp)) {
      token.kind = TokenKind::word;
      utf8::append(token.word, utf8::to_lower(cp));
      while (i < text.size()) {
        std::size_t j = i;
        const char32_t next = utf8::decode(text, j);
        if (!utf8::is_letter(next) || utf8::is_cjk(next)) {
          break;
        }
        utf8::append(token.word, utf8::to_lower(next));
        i = j;
      }
    } else {
      token.kind = TokenKind::punct;
      token.cp = cp;
    }
    token.end = i;
    tokens.push_back(std::move(token));
  }
  // Split dates glued to the previous one by the renderer: "201922. Dezember" -> 2019 22.
  for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
    Token& t = tokens[k];
    if (t.kind != TokenKind::number || t.digits < 5 || t.digits > 6 ||
        t.end - t.begin != static_cast<std::size_t>(t.digits)) {
      continue;
    }
    // "202020 janvier 2020": the next date's day, then its month after a space.
    if (tokens[k + 1].space_before &&
        !(tokens[k + 1].kind == TokenKind::word && months.count(tokens[k + 1].word) > 0)) {
      continue;
    }
    const int divisor = t.digits == 5 ? 10 : 100;
    const int year = t.value / divisor;
    if (year < k_min_year || year > k_max_year) {
      continue;
    }
    Token rest = t;
    rest.begin = t.begin + 4;
    rest.value = t.value % divisor;
    rest.digits = t.digits - 4;
    rest.space_before = true;
    t.value = year;
    t.digits = 4;
    t.end = t.begin + 4;
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(k) + 1, rest);
    ++k;
  }
  return tokens;
}

class Matcher {
public:
  Matcher(const std::vector<Token>& tokens, const ExtractionRules& rules, bool month_first)
      : m_t(tokens), m_rules(rules), m_month_first(month_first) {}

  // Tries every pattern at token `i`; on success fills `match` and returns the index after it.
  std::size_t match_at(std::size_t i, DateMatch& match) const {
    if (auto n = numeric_ymd(i, match)) return n;
    if (auto n = cjk(i, match)) return n;
    if (auto n = numeric_dmy(i, match)) return n;
    if (auto n = day_month_year(i, match)) return n;
    if (auto n = month_day_year(i, match)) return n;
    if (auto n = year_month_day(i, match)) return n;
    return 0;
  }

  bool time_near(std::size_t first, std::size_t last) const {
    const std::size_t from = first >= 6 ? first - 6 : 0;
    const std::size_t to = std::min(m_t.size(), last + 8);
    for (std::size_t k = from; k + 2 < to; ++k) {
      if ((k + 2 < first || k >= last) && is_num(k, 1, 2) && is_punct(k + 1, ':') &&
          is_num(k + 2, 2, 2) && !m_t[k + 1].space_before) {
        return true;
      }
    }
    return false;
  }

private:
  bool has(std::size_t i) const { return i < m_t.size(); }
  bool is_num(std::size_t i, int min_digits, int max_digits) const {
    return has(i) && m_t[i].kind == TokenKind::number && m_t[i].digits >= min_digits &&
           m_t[i].digits <= max_digits;
  }
  bool is_year(std::size_t i) const {
    return is_num(i, 4, 4) && m_t[i].value >= k_min_year && m_t[i].value <= k_max_year &&
           !(has(i + 1) && m_t[i + 1].kind == TokenKind::number && !m_t[i + 1].space_before) &&
           !(is_punct(i + 1, ':') && !m_t[i + 1].space_before);  // "28.09.1912:44" is yy + time
  }
  bool is_punct(std::size_t i, char32_t cp) const {
    return has(i) && m_t[i].kind == TokenKind::punct && m_t[i].cp == cp;
  }
  bool is_word(std::size_t i, std::string_view word) const {
    return has(i) && m_t[i].kind == TokenKind::word && m_t[i].word == word;
  }
  int month_of(std::size_t i) const {
    if (!has(i) || m_t[i].kind != TokenKind::word) {
      return 0;
    }
    auto it = m_rules.months.find(m_t[i].word);
    return it == m_rules.months.end() ? 0 : it->second;
  }
  bool in(const std::unordered_set<std::string>& set, std::size_t i) const {
    return has(i) && m_t[i].kind == TokenKind::word && set.count(m_t[i].word) > 0;
  }
  // Not glued to more digits or letters (so 2025-05-08 inside 12025-05-081 does not count).
  bool clean_start(std::size_t i) const {
    return i == 0 || m_t[i].space_before ||
           (m_t[i - 1].kind == TokenKind::punct && m_t[i - 1].cp != '.' && m_t[i - 1].cp != '/' &&
            m_t[i - 1].cp != '-') ||
           m_t[i - 1].kind == TokenKind::word;
  }

  std::size_t finish(std::size_t first, std::size_t last, int y, int m, int d, DateMatch& match,
                     bool numeric, bool ambiguous = false) const {
    // Numeric dates glued into file names or identifiers ("12-05-2008_1.jpg", "28-04-2008.jpg",
    // "2020-03-18_12.22.03.png") are no dates.
    if (numeric && has(last) && !m_t[last].space_before &&
        m_t[last].kind == TokenKind::punct && (m_t[last].cp == '_' || m_t[last].cp == '-')) {
      return 0;
    }
    if (numeric && has(last + 1) && is_punct(last, '.') && !m_t[last].space_before &&
        m_t[last + 1].kind == TokenKind::word && !m_t[last + 1].space_before) {
      return 0;
    }
    if (numeric && first > 0 && !m_t[first].space_before && is_punct(first - 1, '_')) {
      return 0;
    }
    if (y < k_min_year || y > k_max_year || m < 1 || m > 12) {
      return 0;
    }
    if (d != 0 && !is_valid_date(y, m, d)) {
      return 0;
    }
    match.date = PartialDate{y, m, d};
    match.begin = m_t[first].begin;
    match.end = m_t[last - 1].end;
    match.numeric = numeric;
    match.ambiguous = ambiguous;
    match.has_time = time_near(first, last);
    // "14. - 20. Januar", "12.10. - 15.10.2023", "7–10 May 2025": a range end.
    match.range = first >= 2 && m_t[first - 1].kind == TokenKind::punct &&
                  utf8::is_dash(m_t[first - 1].cp) &&
                  (m_t[first - 2].kind == TokenKind::number ||
                   (m_t[first - 2].kind == TokenKind::punct && m_t[first - 2].cp == '.'));
    return last;
  }

  // 2025-05-08, 2025/05/08, 2025.05.08 (and 2025-05-08T10:31Z)
  std::size_t numeric_ymd(std::size_t i, DateMatch& match) const {
    if (!is_year(i) || !clean_start(i)) return 0;
    if (!has(i + 4) || m_t[i + 1].kind != TokenKind::punct) return 0;
    const char32_t sep = m_t[i + 1].cp;
    if (sep != '-' && sep != '/' && sep != '.') return 0;
    if (!is_num(i + 2, 1, 2) || !is_punct(i + 3, sep) || !is_num(i + 4, 1, 2)) return 0;
    if (m_t[i + 2].space_before || m_t[i + 3].space_before || m_t[i + 4].space_before) return 0;
    if (has(i + 5) && m_t[i + 5].kind == TokenKind::number && !m_t[i + 5].space_before) return 0;
    if (is_punct(i + 5, sep) && is_num(i + 6, 1, 9)) return 0;  // a longer number chain
    return finish(i, i + 5, m_t[i].value, m_t[i + 2].value, m_t[i + 4].value, match, true);
  }

  // 2020. augusztus 18., 2020. 08. 18. (Hungarian and other year-first forms)
  std::size_t year_month_day(std::size_t i, DateMatch& match) const {
    if (!is_year(i) || !clean_start(i) || !is_punct(i + 1, '.')) return 0;
    std::size_t k = i + 2;
    int month = month_of(k);
    if (month == 0) {
      if (!is_num(k, 1, 2) || !m_t[k].space_before || !is_punct(k + 1, '.')) return 0;
      month = m_t[k].value;
      ++k;
    }
    ++k;
    if (!is_num(k, 1, 2) || !is_punct(k + 1, '.')) return 0;
    return finish(i, k + 2, m_t[i].value, month, m_t[k].value, match, false);
  }

  // 2025年5月8日, 2025年5月, 2025년 5월 8일
  std::size_t cjk(std::size_t i, DateMatch& match) const {
    if (!is_year(i) && !is_num(i, 4, 4)) return 0;
    const bool han = is_word(i + 1, "年");
    const bool hangul = is_word(i + 1, "년");
    if (!han && !hangul) return 0;
    if (!is_num(i + 2, 1, 2) || !is_word(i + 3, han ? "月" : "월")) return 0;
    if (is_num(i + 4, 1, 2) && is_word(i + 5, han ? "日" : "일")) {
      return finish(i, i + 6, m_t[i].value, m_t[i + 2].value, m_t[i + 4].value, match, true);
    }
    return finish(i, i + 4, m_t[i].value, m_t[i + 2].value, 0, match, true);
  }

  // 08.05.2025, 8/5/2025, 05/08/2025 (US), 08-05-2025, 13. 01. 2020, 8.5.12
  std::size_t numeric_dmy(std::size_t i, DateMatch& match) const {
    if (!is_num(i, 1, 2) || !clean_start(i) || !has(i + 4)) return 0;
    if (m_t[i + 1].kind != TokenKind::punct) return 0;
    const char32_t sep = m_t[i + 1].cp;
    if (sep != '.' && sep != '/' && sep != '-') return 0;
    if (!is_num(i + 2, 1, 2) || !is_punct(i + 3, sep)) return 0;
    // Spaces are allowed after dots ("13. 01. 2020"), never before a separator.
    if (m_t[i + 1].space_before || m_t[i + 3].space_before) return 0;
    if (sep != '.' && (m_t[i + 2].space_before || m_t[i + 4].space_before)) return 0;
    int year = 0;
    bool short_year = false;
    if (is_year(i + 4)) {
      year = m_t[i + 4].value;
    } else if ((sep == '.' || sep == '/') && is_num(i + 4, 2, 2) && !m_t[i + 4].space_before &&
               !(has(i + 5) && (is_punct(i + 5, '.') || is_punct(i + 5, ',')) && is_num(i + 6, 1, 4) &&
                 !m_t[i + 6].space_before) &&
               !(has(i + 5) && m_t[i + 5].kind == TokenKind::number && !m_t[i + 5].space_before)) {
      year = m_t[i + 4].value + (m_t[i + 4].value <= 40 ? 2000 : 1900);
      short_year = true;
    } else {
      return 0;
    }
    if (is_punct(i + 5, sep) && is_num(i + 6, 1, 9) && !m_t[i + 6].space_before) return 0;
    int a = m_t[i].value;
    int b = m_t[i + 2].value;
    int day = a;
    int month = b;
    bool ambiguous = short_year;
    bool order_unknown = false;
    DayOrder order = DayOrder::unknown;
    if (b > 12 && a <= 12) {
      day = b, month = a;  // 01.21.2020, 05/13/2025
      order = DayOrder::month_first;
    } else if (a > 12 && b <= 12) {
      order = DayOrder::day_first;
    } else if (sep == '/' && a <= 12 && b <= 12 && a != b) {
      ambiguous = true;
      order_unknown = true;
      if (m_month_first) {
        day = b, month = a;
      }
    }
    const std::size_t next = finish(i, i + 5, year, month, day, match, true, ambiguous);
    if (next != 0) {
      match.order_unknown = order_unknown;
      match.short_year = short_year;
      match.order = sep == '/' ? order : DayOrder::unknown;
    }
    return next;
  }

  // 8 May 2025, 8. Mai 2024, 8th of May 2025, 8 de mayo de 2025, 8 мая 2025 г.
  std::size_t day_month_year(std::size_t i, DateMatch& match) const {
    if (!is_num(i, 1, 2) || !clean_start(i)) return 0;
    const int day = m_t[i].value;
    if (day < 1 || day > 31) return 0;
    std::size_t k = i + 1;
    if (is_punct(k, '.')) ++k;
    if (in(m_rules.ordinal_suffixes, k) && !m_t[k].space_before) ++k;
    if (in(m_rules.day_month_joiners, k)) ++k;
    if (in(m_rules.weekdays, k)) ++k;  // "31 Donnerstag Okt 2019" (a blog theme's date badge)
    const int month = month_of(k);
    if (month == 0) return 0;
    ++k;
    if (is_punct(k, '.')) ++k;
    if (is_punct(k, ',')) ++k;
    if (in(m_rules.day_month_joiners, k)) ++k;
    if (!is_year(k)) return 0;
    const int year = m_t[k].value;
    ++k;
    if (in(m_rules.year_suffixes, k)) {
      ++k;
      if (is_punct(k, '.')) ++k;
    }
    const std::size_t next = finish(i, k, year, month, day, match, false);
    if (next != 0) match.order = DayOrder::day_first;
    return next;
  }

  // May 8, 2025; Thu May 8 2025; May 2025; Mai 2024; mayo de 2025
  std::size_t month_day_year(std::size_t i, DateMatch& match) const {
    const int month = month_of(i);
    if (month == 0) return 0;
    if (i > 0 && m_t[i - 1].kind == TokenKind::number && !m_t[i].space_before) return 0;
    std::size_t k = i + 1;
    if (is_punct(k, '.')) ++k;
    if (is_num(k, 1, 2) && m_t[k].value >= 1 && m_t[k].value <= 31 && !is_punct(k + 1, ':')) {
      const int day = m_t[k].value;
      std::size_t j = k + 1;
      if (in(m_rules.ordinal_suffixes, j) && !m_t[j].space_before) ++j;
      if (is_punct(j, ',') || is_punct(j, '.')) ++j;
      if (is_year(j)) {
        const std::size_t next = finish(i, j + 1, m_t[j].value, month, day, match, false);
        if (next != 0) match.order = DayOrder::month_first;
        return next;
      }
      return 0;
    }
    if (is_punct(k, ',')) ++k;
    if (in(m_rules.day_month_joiners, k)) ++k;
    if (is_year(k) && !is_punct(k + 1, ':')) {
      return finish(i, k + 1, m_t[k].value, month, 0, match, false);
    }
    return 0;
  }

  const std::vector<Token>& m_t;
  const ExtractionRules& m_rules;
  bool m_month_first;
};

// Cheap pre-filter: every pattern needs a year: a run of 4 digits from 1900 to 2100, or
// one glued to a day (5 or 6 digits starting with such a year, "201922. Dezember"), or a
// 2-digit year after a dot or slash ("8.5.12", "11/08/23"). Full-width digits always go to
// the tokenizer. (Numbers such as 5000 or 12345 start no date; in news text they are many.)
bool may_hold_date(std::string_view text) {
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < size && text[i] >= '0' && text[i] <= '9')
      ++i;
    const std::size_t run = i - start;
    if (run >= 4 && run <= 6) {
      const int year = (text[start] - '0') * 1000 + (text[start + 1] - '0') * 100 +
                       (text[start + 2] - '0') * 10 + (text[start + 3] - '0');
      if (year >= k_min_year && year <= k_max_year) return true;
    } else if (run == 2 && start > 0 && (text[start - 1] == '.' || text[start - 1] == '/')) {
      return true;
    }
  }
  return text.find("\xEF\xBC") != std::string_view::npos;
}

}  // namespace

std::vector<DateMatch> find_dates(std::string_view text, const ExtractionRules& rules,
                                  bool month_first) {
  std::vector<DateMatch> out;
  if (!may_hold_date(text)) {
    return out;
  }
  const std::vector<Token> tokens = tokenize(text, rules.months);
  Matcher matcher(tokens, rules, month_first);
  // Every pattern holds a year, a number of 4 digits (or 2: "8.5.12"), at most this many
  // tokens after its first (day_month_year's day, dot, ordinal suffix, joiner, weekday,
  // month, dot, comma and joiner), so tokens further than that before such a number start
  // no date and are not tried.
  constexpr std::size_t k_max_tokens_before_year = 9;
  const auto may_be_year = [](const Token& t) {
    return t.kind == TokenKind::number && (t.digits == 4 || t.digits == 2);
  };
  std::size_t year = 0; // the first token at or after i that may be a year
  std::size_t i = 0;
  while (i < tokens.size()) {
    year = std::max(year, i);
    while (year < tokens.size() && !may_be_year(tokens[year]))
      ++year;
    if (year == tokens.size()) break;
    if (year - i > k_max_tokens_before_year) {
      i = year - k_max_tokens_before_year;
      continue;
    }
    DateMatch match;
    if (const std::size_t next = matcher.match_at(i, match)) {
      out.push_back(match);
      i = next;
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<PartialDate> parse_date_value(std::string_view text, const ExtractionRules& rules) {
  text = utf8::trim(text);
  for (std::size_t len : {std::size_t{10}, std::size_t{7}, std::size_t{4}}) {
    if (text.size() >= len) {
      if (auto date = PartialDate::parse_iso(text.substr(0, len))) {
        const char next = text.size() > len ? text[len] : '\0';
        if (next == '\0' || next == 'T' || next == ' ' || next == 't' || next == 'Z') {
          return date;
        }
      }
    }
  }
  auto matches = find_dates(text, rules, false);
  if (!matches.empty()) {
    return matches.front().date;
  }
  return std::nullopt;
}

std::optional<PartialDate> date_from_filename(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto digit = [&](std::size_t i) { return i < name.size() && name[i] >= '0' && name[i] <= '9'; };
  auto number = [&](std::size_t pos, std::size_t len) {
    int value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) value = value * 10 + (name[i] - '0');
    return value;
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    std::size_t run = 0;
    while (digit(i + run)) ++run;
    int y = 0, m = 0, d = 0;
    std::size_t end = 0;
    if (run == 8) {
      y = number(i, 4), m = number(i + 4, 2), d = number(i + 6, 2);
      end = i + 8;
    } else if (run == 4 && i + 10 <= name.size()) {
      const char sep = name[i + 4];
      if ((sep == '-' || sep == '_' || sep == '.') && digit(i + 5) && digit(i + 6) &&
          name[i + 7] == sep && digit(i + 8) && digit(i + 9) && !digit(i + 7) && !digit(i + 10)) {
        y = number(i, 4), m = number(i + 5, 2), d = number(i + 8, 2);
        end = i + 10;
      }
    }
    if (end != 0 && y >= k_min_year && y <= k_max_year && is_valid_date(y, m, d)) {
      return PartialDate{y, m, d};
    }
    i += run;
  }
  return std::nullopt;
}

}  // namespace newsidx
