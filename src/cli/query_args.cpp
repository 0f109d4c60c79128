#include "query_args.hpp"

#include "newsidx/errors.hpp"

namespace newsidx::cli {

void add_query_options(po::options_description& options, QueryArgs& args) {
  options.add_options()                                                                     //
    ("query", po::value(&args.words), "the query (several arguments are joined with spaces)")  //
    ("since", po::value(&args.since),
     "only articles dated on or after: YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today, "
     "yesterday, last-week, last-month")  //
    ("until", po::value(&args.until),
     "only articles dated on or before (same forms; --until 2025-05 includes 31 May)")  //
    ("include-undated", po::bool_switch(&args.include_undated),
     "keep undated articles in a date-filtered search")  //
    ("no-dupes", po::bool_switch(&args.no_dupes),
     "leave out near-duplicates (syndicated copies) of another article");
}

SearchRequest make_request(const QueryArgs& args) {
  SearchRequest request;
  for (const std::string& word : args.words) {
    if (!request.query.empty()) request.query += ' ';
    request.query += word;
  }
  request.today = today_yyyymmdd();
  if (!args.since.empty()) request.dates.first = parse_date_bound(args.since, false, request.today);
  if (!args.until.empty()) request.dates.last = parse_date_bound(args.until, true, request.today);
  if (request.dates.first && request.dates.last && request.dates.first > request.dates.last) {
    throw UsageError("--since " + args.since + " is after --until " + args.until);
  }
  request.include_undated = args.include_undated;
  request.fold_duplicates = args.no_dupes;
  return request;
}

std::vector<std::string> parse_fields(const std::string& fields,
                                      const std::vector<std::string>& available) {
  std::vector<std::string> chosen;
  std::size_t start = 0;
  while (start <= fields.size()) {
    std::size_t comma = fields.find(',', start);
    if (comma == std::string::npos) comma = fields.size();
    std::string name = fields.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    if (std::find(available.begin(), available.end(), name) == available.end()) {
      std::string list;
      for (const std::string& field : available) list += (list.empty() ? "" : ", ") + field;
      throw UsageError("unknown field '" + name + "' (available: " + list + ")");
    }
    chosen.push_back(name);
  }
  return chosen;
}

Row select_fields(const Row& row, const std::vector<std::string>& fields) {
  if (fields.empty()) return row;
  Row selected = Row::object();
  for (const std::string& field : fields) {
    auto it = row.find(field);
    selected[field] = it == row.end() ? Row() : *it;
  }
  return selected;
}

} // namespace newsidx::cli
