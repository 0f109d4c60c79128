// newsidx search QUERY: ranked keyword search with date filters.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"
#include "query_args.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

#include <algorithm>

namespace newsidx::cli {

namespace {

const std::vector<std::string> k_hit_fields = {"id", "path", "title", "title_derived", "date",
                                               "date_precision", "source", "authors", "score",
                                               "dupes", "duplicate_of", "snippet"};
const std::vector<std::string> k_default_table_fields = {"id", "date", "source", "title",
                                                         "path", "score", "snippet"};

SortOrder parse_sort(const std::string& text) {
  if (text == "relevance") return SortOrder::relevance;
  if (text == "date") return SortOrder::date_ascending;
  if (text == "-date") return SortOrder::date_descending;
  throw UsageError("--sort takes relevance, date or -date, not '" + text + "'");
}

} // namespace

int run_search(Invocation& invocation) {
  po::options_description options("search options");
  QueryArgs query_args;
  std::string format = "text", sort = "relevance", fields;
  int limit = 20, offset = 0;
  double recent = 0;
  bool count_only = false, null_paths = false;
  add_query_options(options, query_args);
  options.add_options()                                                        //
    ("sort", po::value(&sort)->default_value(sort), "relevance, date or -date")  //
    ("recent", po::value(&recent)->value_name("DAYS"),
     "boost recent articles: score x (1 + 2^(-age/DAYS)), age in days since the article's date")  //
    ("limit,n", po::value(&limit)->default_value(limit), "at most this many results (-1: all)")  //
    ("offset", po::value(&offset)->default_value(offset), "skip this many results first")  //
    ("count", po::bool_switch(&count_only), "print only the number of matching articles")  //
    ("null,0", po::bool_switch(&null_paths), "print only the paths, each followed by a NUL byte (for xargs -0)")  //
    ("fields", po::value(&fields), "columns for json/jsonl/tsv/csv, comma-separated (id,path,title,title_derived,date,date_precision,source,authors,score,dupes,duplicate_of,snippet)")  //
    ("format,f", po::value(&format)->default_value(format), "text, json, jsonl, tsv or csv");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("query", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx search [OPTIONS] QUERY...")) {
    return k_exit_match;
  }
  if (query_args.words.empty()) throw UsageError("search needs a query (see 'newsidx search --help')");
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl, Format::tsv, Format::csv});
  SearchRequest request = make_request(query_args);
  request.sort = parse_sort(sort);
  request.limit = limit;
  request.offset = offset;
  if (recent < 0) throw UsageError("--recent takes a positive number of days");
  request.recent_half_life_days = recent;
  if (offset < 0) throw UsageError("--offset must not be negative");
  std::vector<std::string> chosen = parse_fields(fields, k_hit_fields);
  bool color = use_color(invocation.global.color) && output_format == Format::text && !null_paths;
  // Snippets as wide as the terminal allows (about seven columns a token).
  request.snippet_tokens = std::clamp((terminal_width() - 4) / 7, 8, 40);

  // Parse before opening the archive so a malformed query is reported as such.
  parse_query(request.query, request.today);
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
  if (null_paths) {
    for (const SearchHit& hit : hits) out(hit.path + std::string(1, '\0'));
  } else if (output_format == Format::text) {
    int rank = request.offset;
    for (const SearchHit& hit : hits) out(text_hit(++rank, hit, color));
  } else {
    RowPrinter printer(output_format, chosen.empty() ? k_default_table_fields : chosen);
    for (const SearchHit& hit : hits) printer.print(select_fields(hit_row(hit), chosen));
    printer.finish();
  }
  return hits.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
