// Date bounds for --since/--until and date: terms.
#include "newsidx/article.hpp"
#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

#include <chrono>
#include <charconv>
#include <ctime>

namespace newsidx {

namespace chr = std::chrono;

namespace {

int to_yyyymmdd(const chr::year_month_day& ymd) {
  return static_cast<int>(ymd.year()) * 10000 + static_cast<int>(unsigned(ymd.month())) * 100 +
         static_cast<int>(unsigned(ymd.day()));
}

chr::year_month_day from_yyyymmdd(int value) {
  return chr::year_month_day(chr::year(value / 10000), chr::month(unsigned(value / 100 % 100)),
                             chr::day(unsigned(value % 100)));
}

chr::sys_days days_of(int yyyymmdd) { return chr::sys_days(from_yyyymmdd(yyyymmdd)); }

int add_days(int yyyymmdd, int days) {
  return to_yyyymmdd(chr::year_month_day(days_of(yyyymmdd) + chr::days(days)));
}

// Moves back whole months, clamping the day to the end of the shorter month.
int sub_months(int yyyymmdd, int months) {
  int year = yyyymmdd / 10000;
  int month = yyyymmdd / 100 % 100;
  int day = yyyymmdd % 100;
  int total = year * 12 + (month - 1) - months;
  year = total / 12;
  month = total % 12 + 1;
  if (day > days_in_month(year, month)) day = days_in_month(year, month);
  return year * 10000 + month * 100 + day;
}

int weekday_monday0(int yyyymmdd) {
  chr::weekday wd(days_of(yyyymmdd));
  return static_cast<int>((wd.c_encoding() + 6) % 7);
}

[[noreturn]] void bad_date(std::string_view text) {
  throw UsageError("'" + std::string(text) +
                   "' is not a date (use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today, "
                   "yesterday, last-week, last-month)");
}

} // namespace

DayRange DayRange::intersect(const DayRange& other) const {
  DayRange result = *this;
  if (other.first && (!result.first || other.first > result.first)) result.first = other.first;
  if (other.last && (!result.last || other.last < result.last)) result.last = other.last;
  return result;
}

int today_yyyymmdd() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

int parse_date_bound(std::string_view text, bool as_end, int today) {
  if (text.empty()) bad_date(text);
  if (auto date = PartialDate::parse_iso(text)) {
    return as_end ? date->last_day() : date->first_day();
  }
  if (text == "today") return today;
  if (text == "yesterday") return add_days(today, -1);
  if (text == "this-week" || text == "last-week") {
    int monday = add_days(today, -weekday_monday0(today));
    if (text == "last-week") monday = add_days(monday, -7);
    return as_end ? add_days(monday, 6) : monday;
  }
  if (text == "this-month" || text == "last-month") {
    int first = today / 100 * 100 + 1;
    if (text == "last-month") first = sub_months(first, 1);
    return as_end ? first + days_in_month(first / 10000, first / 100 % 100) - 1 : first;
  }
  if (text == "this-year") return as_end ? today / 10000 * 10000 + 1231 : today / 10000 * 10000 + 101;
  // Relative: N followed by d, w, m or y ("7d" = 7 days before today).
  int amount = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  if (error != std::errc() || end != text.data() + text.size() - 1 || amount < 0 ||
      amount > 100000) {
    bad_date(text);
  }
  switch (text.back()) {
    case 'd': return add_days(today, -amount);
    case 'w': return add_days(today, -7 * amount);
    case 'm': return sub_months(today, amount);
    case 'y': return sub_months(today, 12 * amount);
    default: bad_date(text);
  }
}

DayRange parse_date_range(std::string_view text, int today) {
  std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    return DayRange{parse_date_bound(text, false, today), parse_date_bound(text, true, today)};
  }
  std::string_view from = text.substr(0, dots);
  std::string_view to = text.substr(dots + 2);
  if (from.empty() && to.empty()) bad_date(text);
  DayRange range;
  if (!from.empty()) range.first = parse_date_bound(from, false, today);
  if (!to.empty()) range.last = parse_date_bound(to, true, today);
  if (range.first && range.last && range.first > range.last) {
    throw UsageError("date range '" + std::string(text) + "' ends before it starts");
  }
  return range;
}

} // namespace newsidx
