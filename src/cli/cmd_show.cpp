// newsidx show ID|PATH: print one stored article.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/store.hpp"


namespace newsidx::cli {

int run_show(Invocation& invocation) {
  po::options_description options("show options");
  std::string target, format = "text";
  options.add_options()                                              //
    ("target", po::value(&target), "article id (from search) or file path")  //
    ("format,f", po::value(&format)->default_value(format), "text or json");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("target", 1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx show ID|PATH")) {
    return k_exit_match;
  }
  if (target.empty()) throw UsageError("show needs an article id or a file path");
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl});
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);

  std::optional<std::int64_t> found = find_article_id(store, target);
  if (!found) {
    print_error("no article for '" + target + "' in the archive");
    return k_exit_no_match;
  }
  std::int64_t id = *found;
  auto stored = store.get(id);
  if (!stored) {
    print_error("no article with id " + std::to_string(id));
    return k_exit_no_match;
  }
  if (output_format == Format::text) {
    const Article& a = stored->article;
    std::string authors;
    for (const std::string& name : a.authors) authors += (authors.empty() ? "" : ", ") + name;
    std::string text = a.display_title() + (a.title ? "" : " [derived title]") + "\n";
    text += "id: " + std::to_string(stored->id) + "\n";
    text += "date: " + (a.date.empty() ? std::string("undated") : a.date.iso()) + "\n";
    if (a.source) text += "source: " + *a.source + "\n";
    if (!authors.empty()) text += "authors: " + authors + "\n";
    if (a.dateline) text += "dateline: " + *a.dateline + "\n";
    for (const std::string& path : stored->paths) text += "file: " + path + "\n";
    text += "\n" + a.body + "\n";
    out(text);
  } else {
    out(stored_article_row(*stored).dump(output_format == Format::json ? 2 : -1, ' ', false,
                  nlohmann::ordered_json::error_handler_t::replace) +
        "\n");
  }
  return k_exit_match;
}

} // namespace newsidx::cli
