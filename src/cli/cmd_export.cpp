// newsidx export [QUERY]: the whole archive, or a query's matches, for other tools.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"
#include "query_args.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

namespace newsidx::cli {

namespace {

const std::vector<std::string> k_export_fields = {
  "id", "paths", "title", "title_derived", "authors", "date", "date_precision", "date_origin",
  "date_inferred", "date_inferred_origin", "source", "dateline", "lang", "url", "encoding",
  "word_count", "body"};

} // namespace

int run_export(Invocation& invocation) {
  po::options_description options("export options");
  QueryArgs query_args;
  std::string format = "jsonl", fields;
  add_query_options(options, query_args);
  options.add_options()                                                        //
    ("format,f", po::value(&format)->default_value(format), "jsonl, json or csv")  //
    ("fields", po::value(&fields), "columns, comma-separated (default: all)");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("query", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx export [OPTIONS] [QUERY...]")) {
    return k_exit_match;
  }
  Format output_format = parse_format(format, {Format::jsonl, Format::json, Format::csv, Format::tsv});
  std::vector<std::string> chosen = parse_fields(fields, k_export_fields);
  SearchRequest request = make_request(query_args);
  if (!request.query.empty()) parse_query(request.query, request.today);
  request.sort = SortOrder::date_ascending;
  request.limit = -1;
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  std::vector<std::int64_t> ids = Searcher(store).match_ids(request);
  RowPrinter printer(output_format, chosen.empty() ? k_export_fields : chosen);
  for (std::int64_t id : ids) {
    auto stored = store.get(id);
    if (!stored) continue;  // removed by a concurrent ingest --prune
    printer.print(select_fields(stored_article_row(*stored), chosen));
  }
  printer.finish();
  return ids.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
