// newsidx similar ID: articles most like one article, from its distinctive terms.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"


namespace newsidx::cli {

int run_similar(Invocation& invocation) {
  po::options_description options("similar options");
  std::string target, format = "text";
  int limit = 10;
  options.add_options()                                                             //
    ("id", po::value(&target), "the article's id (from search) or its file's path")   //
    ("limit,n", po::value(&limit)->default_value(limit), "at most this many articles")  //
    ("format,f", po::value(&format)->default_value(format), "text, json, jsonl, tsv or csv");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx similar [OPTIONS] ID|PATH")) {
    return k_exit_match;
  }
  if (target.empty()) throw UsageError("similar needs an article id or a file path");
  if (limit < 0) throw UsageError("--limit must not be negative");
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl, Format::tsv, Format::csv});
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  std::optional<std::int64_t> found = find_article_id(store, target);
  if (!found) throw UsageError("no article for '" + target + "' in the archive");
  std::int64_t id = *found;
  std::vector<std::string> terms;
  std::vector<SearchHit> hits = Searcher(store).similar(id, limit, &terms);
  if (output_format == Format::text) {
    std::string text = "like #" + std::to_string(id) + " by:";
    for (const std::string& term : terms) text += " " + term;
    out(text + "\n");
    bool color = use_color(invocation.global.color);
    int rank = 0;
    for (const SearchHit& hit : hits) out(text_hit(++rank, hit, color));
  } else {
    RowPrinter printer(output_format, {"id", "date", "source", "title", "path", "score"});
    for (const SearchHit& hit : hits) printer.print(hit_row(hit));
    printer.finish();
  }
  return hits.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
