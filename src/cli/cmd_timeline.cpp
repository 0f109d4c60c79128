// newsidx timeline [QUERY]: how many articles match, per day, week, month or year, as a
// table with a bar chart in the terminal.
#include "command.hpp"
#include "output.hpp"
#include "query_args.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

#include <chrono>
#include <cstdio>
#include <map>

namespace newsidx::cli {

namespace {

enum class Period { day, week, month, year };

Period parse_period(const std::string& text) {
  if (text == "day") return Period::day;
  if (text == "week") return Period::week;
  if (text == "month") return Period::month;
  if (text == "year") return Period::year;
  throw UsageError("--by takes day, week, month or year, not '" + text + "'");
}

namespace chr = std::chrono;

chr::sys_days to_days(int year, int month, int day) {
  return chr::sys_days(chr::year(year) / chr::month(unsigned(month)) / chr::day(unsigned(day)));
}

// ISO 8601 week: the year and week of the Thursday in the same week.
std::string iso_week(chr::sys_days day) {
  chr::weekday wd(day);
  int monday_offset = static_cast<int>((wd.c_encoding() + 6) % 7);
  chr::sys_days thursday = day - chr::days(monday_offset) + chr::days(3);
  chr::year_month_day ymd(thursday);
  chr::sys_days first_of_year = chr::sys_days(ymd.year() / 1 / 1);
  int week = static_cast<int>((thursday - first_of_year).count() / 7) + 1;
  char text[32];
  std::snprintf(text, sizeof text, "%04d-W%02d", static_cast<int>(ymd.year()), week);
  return text;
}

// The bucket of a date, or "" when the date is coarser than the period.
std::string bucket_of(const PartialDate& date, Period period) {
  char text[32];
  switch (period) {
    case Period::year:
      std::snprintf(text, sizeof text, "%04d", date.year);
      return text;
    case Period::month:
      if (date.precision() < DatePrecision::month) return "";
      std::snprintf(text, sizeof text, "%04d-%02d", date.year, date.month);
      return text;
    case Period::week:
      if (date.precision() < DatePrecision::day) return "";
      return iso_week(to_days(date.year, date.month, date.day));
    case Period::day:
      if (date.precision() < DatePrecision::day) return "";
      return date.iso();
  }
  return "";
}

// Every bucket from `first` to `last`, so gaps show as zero rows.
std::vector<std::string> all_buckets(const PartialDate& first, const PartialDate& last, Period period) {
  std::vector<std::string> buckets;
  if (period == Period::year) {
    for (int y = first.year; y <= last.year; ++y) buckets.push_back(bucket_of({y, 1, 1}, period));
    return buckets;
  }
  if (period == Period::month) {
    for (int m = first.year * 12 + first.month - 1; m <= last.year * 12 + last.month - 1; ++m) {
      buckets.push_back(bucket_of({m / 12, m % 12 + 1, 1}, period));
    }
    return buckets;
  }
  chr::sys_days from = to_days(first.year, first.month, first.day);
  chr::sys_days to = to_days(last.year, last.month, last.day);
  std::string previous;
  for (chr::sys_days d = from; d <= to; d += chr::days(1)) {
    chr::year_month_day ymd(d);
    std::string bucket = bucket_of({static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                                    static_cast<int>(unsigned(ymd.day()))}, period);
    if (bucket != previous) buckets.push_back(bucket);
    previous = bucket;
  }
  return buckets;
}

} // namespace

int run_timeline(Invocation& invocation) {
  po::options_description options("timeline options");
  QueryArgs query_args;
  std::string by = "month", format = "text";
  add_query_options(options, query_args);
  options.add_options()                                                                    //
    ("by", po::value(&by)->default_value(by), "day, week (ISO), month or year")              //
    ("format,f", po::value(&format)->default_value(format), "text, json, jsonl, tsv or csv");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("query", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx timeline [OPTIONS] [QUERY...]")) {
    return k_exit_match;
  }
  Period period = parse_period(by);
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl, Format::tsv, Format::csv});
  SearchRequest request = make_request(query_args);
  if (!request.query.empty()) parse_query(request.query, request.today);
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  std::vector<DatedMatch> matches = Searcher(store).match_dates(request);

  std::map<std::string, std::int64_t> counts;
  std::int64_t undated = 0, coarser = 0;
  PartialDate first, last;
  for (const DatedMatch& match : matches) {
    if (match.date.empty()) {
      ++undated;
      continue;
    }
    std::string bucket = bucket_of(match.date, period);
    if (bucket.empty()) {
      ++coarser;
      continue;
    }
    ++counts[bucket];
    if (first.empty() || match.date.first_day() < first.first_day()) first = match.date;
    if (last.empty() || match.date.last_day() > last.last_day()) last = match.date;
  }
  std::vector<std::string> buckets;
  if (!counts.empty()) {
    auto day_of = [](const PartialDate& d, bool end) {
      int v = end ? d.last_day() : d.first_day();
      return PartialDate{v / 10000, v / 100 % 100, v % 100};
    };
    buckets = all_buckets(day_of(first, false), day_of(last, true), period);
  }

  if (output_format == Format::text) {
    std::int64_t most = 0;
    for (const auto& [bucket, count] : counts) most = std::max(most, count);
    int width = std::max(10, terminal_width() - 22);
    bool color = use_color(invocation.global.color);
    std::string text;
    for (const std::string& bucket : buckets) {
      std::int64_t count = counts.count(bucket) ? counts[bucket] : 0;
      int bar = most ? static_cast<int>((count * width + most - 1) / most) : 0;
      char head[48];
      std::snprintf(head, sizeof head, "%-10s %8lld ", bucket.c_str(), static_cast<long long>(count));
      std::string bars;
      for (int i = 0; i < bar; ++i) bars += "\xE2\x96\x88";  // █
      text += head + (color ? std::string(ansi::blue) + bars + std::string(ansi::reset) : bars) + "\n";
    }
    text += "total " + std::to_string(matches.size()) + " matching articles";
    std::string not_charted;
    if (undated) not_charted += std::to_string(undated) + " undated";
    if (coarser) {
      not_charted += (not_charted.empty() ? "" : ", ") + std::to_string(coarser) +
                     " dated only to a coarser period than a " + by;
    }
    if (!not_charted.empty()) text += " (not charted: " + not_charted + ")";
    out(text + "\n");
  } else {
    RowPrinter printer(output_format, {"period", "count"});
    for (const std::string& bucket : buckets) {
      Row row;
      row["period"] = bucket;
      row["count"] = counts.count(bucket) ? counts[bucket] : 0;
      printer.print(row);
    }
    printer.finish();
  }
  return matches.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
