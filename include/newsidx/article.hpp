// The article model: what the extractor finds in one file and what the store keeps.
// Dates are partial (a day, a month or only a year is known) and remember where they
// came from, so that search can filter on them honestly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

enum class DatePrecision : int { none = 0, year = 1, month = 2, day = 3 };

std::string_view to_string(DatePrecision precision);

// A calendar date known to a day, a month or a year. month/day are 0 when unknown.
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;

  DatePrecision precision() const;
  bool empty() const { return year == 0; }
  // "2025-05-08", "2025-05", "2025", or "" when empty.
  std::string iso() const;
  // Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (validating the calendar); nullopt otherwise.
  static std::optional<PartialDate> parse_iso(std::string_view text);
  // yyyymmdd of the first and the last day the date covers (0 when empty).
  int first_day() const;
  int last_day() const;
  // The store's sort key: yyyymmdd with 00 for an unknown month or day (0 when empty).
  int sort_key() const;

  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

// Days in a month of the proleptic Gregorian calendar.
int days_in_month(int year, int month);
bool is_valid_date(int year, int month, int day);

// Where a date came from, in order of trust for the explicit ones.
namespace date_origin {
inline constexpr std::string_view sidecar = "sidecar";
inline constexpr std::string_view front_matter = "front-matter";
inline constexpr std::string_view filename = "filename";
inline constexpr std::string_view text = "text";
inline constexpr std::string_view copyright_line = "copyright-line";
} // namespace date_origin

struct Article {
  std::string path;                  // the file it came from (as given)
  std::optional<std::string> title;  // the headline as printed; nullopt when the file has none
  std::string title_derived;         // shortened lead sentence, set when title is missing
  std::vector<std::string> authors;  // names only, in byline order
  PartialDate date;                  // publication date; empty when unknown
  std::string date_origin;           // one of date_origin::*, empty when no date
  PartialDate date_inferred;         // weak evidence only (copyright year...); never filtered on
  std::string date_inferred_origin;
  std::optional<std::string> source;    // outlet
  std::optional<std::string> dateline;  // "MOSCOW", "Hong Kong"
  std::string lang;                     // ISO 639-1, "" when unknown
  std::string url;
  std::string body;      // story paragraphs separated by blank lines
  std::string encoding;  // encoding the file was decoded from

  // The title to show: the real one, else the derived one.
  const std::string& display_title() const { return title ? *title : title_derived; }
  std::size_t word_count() const;
};

} // namespace newsidx
