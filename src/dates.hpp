// Finding and parsing dates in text, file names and metadata values, in the languages
// whose month names are in rules/dates.json plus numeric forms (ISO, D.M.Y, M/D/Y, and the
// Chinese/Japanese/Korean 年月日 forms). A hand-written tokenizer and pattern matcher:
// no regular expressions, so a page is scanned in one pass.
#pragma once

#include "newsidx/article.hpp"

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace newsidx {

struct ExtractionRules;

// The day/month order a written date proves: "8 May 2025" and "13/05/2025" are day-first,
// "May 8, 2025" and "05/13/2025" month-first; ISO and ambiguous forms prove nothing.
enum class DayOrder : unsigned char { unknown, day_first, month_first };

struct DateMatch {
  PartialDate date;        // day or month precision
  std::size_t begin = 0;   // byte range of the date in the scanned text
  std::size_t end = 0;
  bool has_time = false;   // a clock time (10:31) stands right before or after it
  bool ambiguous = false;  // numeric day/month order or the century was guessed
  bool order_unknown = false;  // n/n/yyyy with both parts <= 12 and different: day and
                               // month may be swapped (`date` holds the reading asked for)
  bool short_year = false;     // two-digit year (8.5.12): the century was guessed
  DayOrder order = DayOrder::unknown;
  bool numeric = false;    // no month name
  bool range = false;      // the end of a range ("14. - 20. Januar 2022", "12.10. - 15.10.2023")
};

// Every date expression in `text` with at least a month and a year. `month_first` decides
// ambiguous n/n/yyyy forms (true: M/D/Y as in US English).
std::vector<DateMatch> find_dates(std::string_view text, const ExtractionRules& rules,
                                  bool month_first = false);

// Parses a metadata value (front matter, sidecar): ISO date or date-time, a bare year, or
// any form find_dates knows. nullopt when nothing valid is found.
std::optional<PartialDate> parse_date_value(std::string_view text, const ExtractionRules& rules);

// A date at the start of, or delimited inside, a file's base name: 2025-05-08-title.txt,
// 2025_05_08, 20250508_title.txt. nullopt when none.
std::optional<PartialDate> date_from_filename(std::string_view path);

}  // namespace newsidx
