// newsidx search QUERY: ranked keyword search with date filters.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

namespace newsidx::cli {

namespace {

SortOrder parse_sort(const std::string& text) {
  if (text == "relevance") return SortOrder::relevance;
  if (text == "date") return SortOrder::date_ascending;
  if (text == "-date") return SortOrder::date_descending;
  throw UsageError("--sort takes relevance, date or -date, not '" + text + "'");
}

void print_text_hit(int rank, const SearchHit& hit, bool color, int width) {
  auto paint = [&](std::string_view code, const std::string& text) {
    return color ? std::string(code) + text + std::string(ansi::reset) : text;
  };
  std::string date = hit.date.empty() ? "undated" : hit.date.iso();
  std::string title = hit.title ? *hit.title : (hit.title_derived.empty() ? "(no title)" : hit.title_derived + " [derived]");
  std::string line = paint(ansi::dim, std::to_string(rank) + ".") + " " + paint(ansi::green, date);
  if (hit.source) line += "  " + paint(ansi::cyan, *hit.source);
  line += "  " + paint(ansi::bold, title) + "\n";
  line += "    " + paint(ansi::magenta, hit.path) + "  " + paint(ansi::dim, "#" + std::to_string(hit.id));
  if (hit.duplicates) line += paint(ansi::dim, "  dupes: " + std::to_string(hit.duplicates));
  if (hit.duplicate_of) line += paint(ansi::dim, "  duplicate of #" + std::to_string(hit.duplicate_of));
  line += "\n";
  std::string snippet = color ? render_snippet(hit.snippet, ansi::red, ansi::reset)
                              : render_snippet(hit.snippet, "**", "**");
  (void)width;
  line += "    " + snippet + "\n";
  out(line);
}

} // namespace

int run_search(Invocation& invocation) {
  po::options_description options("search options");
  std::vector<std::string> words;
  std::string since, until, format = "text", sort = "relevance";
  SearchRequest request;
  bool count_only = false;
  options.add_options()                                                             //
    ("query", po::value(&words), "the query (several arguments are joined with spaces)")  //
    ("since", po::value(&since), "only articles dated on or after: YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today, yesterday, last-week, last-month")  //
    ("until", po::value(&until), "only articles dated on or before (same forms; --until 2025-05 includes 31 May)")  //
    ("include-undated", po::bool_switch(&request.include_undated), "keep undated articles in a date-filtered search")  //
    ("no-dupes", po::bool_switch(&request.fold_duplicates), "leave out near-duplicates (syndicated copies) of another article")  //
    ("sort", po::value(&sort)->default_value(sort), "relevance, date or -date")      //
    ("limit,n", po::value(&request.limit)->default_value(20), "at most this many results")  //
    ("offset", po::value(&request.offset)->default_value(0), "skip this many results first")  //
    ("count", po::bool_switch(&count_only), "print only the number of matching articles")  //
    ("format,f", po::value(&format)->default_value(format), "text, json, jsonl, tsv or csv");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("query", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx search [OPTIONS] QUERY...")) {
    return k_exit_match;
  }
  if (words.empty()) throw UsageError("search needs a query (see 'newsidx search --help')");
  for (const std::string& word : words) {
    if (!request.query.empty()) request.query += ' ';
    request.query += word;
  }
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl, Format::tsv, Format::csv});
  request.sort = parse_sort(sort);
  if (request.limit < 0) throw UsageError("--limit must not be negative");
  if (request.offset < 0) throw UsageError("--offset must not be negative");
  int today = today_yyyymmdd();
  request.today = today;
  if (!since.empty()) request.dates.first = parse_date_bound(since, false, today);
  if (!until.empty()) request.dates.last = parse_date_bound(until, true, today);
  if (request.dates.first && request.dates.last && request.dates.first > request.dates.last) {
    throw UsageError("--since " + since + " is after --until " + until);
  }
  bool color = use_color(invocation.global.color) && output_format == Format::text;

  // Parse before opening the archive so a malformed query is reported as such.
  parse_query(request.query, today);
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  Searcher searcher(store);

  if (count_only) {
    std::int64_t count = searcher.count(request);
    if (output_format == Format::json || output_format == Format::jsonl) {
      out(Row{{"count", count}}.dump() + "\n");
    } else {
      out(std::to_string(count) + "\n");
    }
    return count > 0 ? k_exit_match : k_exit_no_match;
  }

  std::vector<SearchHit> hits = searcher.search(request);
  if (output_format == Format::text) {
    int width = terminal_width();
    int rank = request.offset;
    for (const SearchHit& hit : hits) print_text_hit(++rank, hit, color, width);
  } else {
    RowPrinter printer(output_format, {"id", "date", "source", "title", "path", "score", "snippet"});
    for (const SearchHit& hit : hits) printer.print(hit_row(hit));
    printer.finish();
  }
  return hits.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
