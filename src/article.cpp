#include "newsidx/article.hpp"

#include "extract_utf8.hpp"

#include <array>
#include <cstdio>

namespace newsidx {

std::string_view to_string(DatePrecision precision) {
  switch (precision) {
  case DatePrecision::day:
    return "day";
  case DatePrecision::month:
    return "month";
  case DatePrecision::year:
    return "year";
  case DatePrecision::none:
    break;
  }
  return "none";
}

int days_in_month(int year, int month) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) {
    return 0;
  }
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return k_days[month - 1];
}

bool is_valid_date(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

DatePrecision PartialDate::precision() const {
  if (year == 0) {
    return DatePrecision::none;
  }
  if (month == 0) {
    return DatePrecision::year;
  }
  return day == 0 ? DatePrecision::month : DatePrecision::day;
}

std::string PartialDate::iso() const {
  char buffer[16];
  switch (precision()) {
  case DatePrecision::day:
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    break;
  case DatePrecision::month:
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
    break;
  case DatePrecision::year:
    std::snprintf(buffer, sizeof buffer, "%04d", year);
    break;
  case DatePrecision::none:
    return {};
  }
  return buffer;
}

std::optional<PartialDate> PartialDate::parse_iso(std::string_view text) {
  auto number = [&](std::size_t pos, std::size_t len) -> int {
    int value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return -1;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) {
    return std::nullopt;
  }
  PartialDate date;
  date.year = number(0, 4);
  if (date.year < 1) {
    return std::nullopt;
  }
  if (text.size() >= 7) {
    if (text[4] != '-') {
      return std::nullopt;
    }
    date.month = number(5, 2);
    if (date.month < 1 || date.month > 12) {
      return std::nullopt;
    }
  }
  if (text.size() == 10) {
    if (text[7] != '-') {
      return std::nullopt;
    }
    date.day = number(8, 2);
    if (!is_valid_date(date.year, date.month, date.day)) {
      return std::nullopt;
    }
  }
  return date;
}

int PartialDate::first_day() const {
  if (empty()) {
    return 0;
  }
  return year * 10000 + (month == 0 ? 1 : month) * 100 + (day == 0 ? 1 : day);
}

int PartialDate::last_day() const {
  if (empty()) {
    return 0;
  }
  const int m = month == 0 ? 12 : month;
  const int d = day == 0 ? days_in_month(year, m) : day;
  return year * 10000 + m * 100 + d;
}

int PartialDate::sort_key() const { return empty() ? 0 : year * 10000 + month * 100 + day; }

std::size_t Article::word_count() const {
  // Words are runs of letters/digits; each CJK character counts as one word; apostrophes
  // and hyphens inside a word keep it going.
  // ASCII bytes by class: 1 letter or digit, 2 apostrophe or hyphen, 0 anything else.
  static constexpr std::array<std::uint8_t, 128> k_ascii_class = [] {
    std::array<std::uint8_t, 128> table{};
    for (int c = '0'; c <= '9'; ++c)
      table[static_cast<std::size_t>(c)] = 1;
    for (int c = 'a'; c <= 'z'; ++c)
      table[static_cast<std::size_t>(c)] = 1;
    for (int c = 'A'; c <= 'Z'; ++c)
      table[static_cast<std::size_t>(c)] = 1;
    table['\''] = 2;
    table['-'] = 2;
    return table;
  }();
  const std::string_view text = body;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t count = 0;
  // 0 or 1. (After the last byte it no longer matters, so an apostrophe or hyphen there
  // may keep it.)
  unsigned in_word = 0;
  std::size_t i = 0;
  while (i < size) {
    const unsigned char byte = bytes[i];
    if (byte < 0x80) { // ASCII, without decoding or branches
      const unsigned kind = k_ascii_class[byte];
      const unsigned alnum = kind & 1u;
      ++i;
      count += alnum & (in_word ^ 1u);
      in_word = alnum | ((kind >> 1) & in_word);
      continue;
    }
    std::size_t next = i;
    const char32_t cp = utf8::decode(text, next);
    i = next;
    if (utf8::is_cjk(cp)) {
      ++count;
      in_word = 0;
    } else if (utf8::is_letter(cp) || utf8::is_digit(cp)) {
      count += in_word ^ 1u;
      in_word = 1;
    } else if (!(in_word && cp == 0x2019)) {
      in_word = 0;
    }
  }
  return count;
}

}  // namespace newsidx
