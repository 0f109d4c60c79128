// newsidx stats: what the archive holds.
#include "command.hpp"
#include "output.hpp"

#include "newsidx/store.hpp"

namespace newsidx::cli {

int run_stats(Invocation& invocation) {
  po::options_description options("stats options");
  std::string format = "text";
  options.add_options()("format,f", po::value(&format)->default_value(format), "text or json");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx stats")) {
    return k_exit_match;
  }
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl});
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  ArchiveStats stats = store.stats();
  Row row;
  row["archive"] = store.path().string();
  row["articles"] = stats.articles;
  row["files"] = stats.files;
  row["sources"] = stats.sources;
  row["authors"] = stats.authors;
  row["undated"] = stats.undated;
  row["near_duplicates"] = stats.near_duplicates;
  row["first_date"] = stats.first_date.empty() ? Row() : Row(stats.first_date);
  row["last_date"] = stats.last_date.empty() ? Row() : Row(stats.last_date);
  row["database_bytes"] = stats.database_bytes;
  row["index_bytes"] = stats.index_bytes;
  row["index_segments"] = stats.index_segments < 0 ? Row() : Row(stats.index_segments);
  row["schema_version"] = stats.schema_version;
  if (output_format == Format::text) {
    std::string text;
    for (auto& [key, value] : row.items()) {
      text += key + ": " + (value.is_null() ? "-" : cell_text(value)) + "\n";
    }
    out(text);
  } else {
    out(row.dump(output_format == Format::json ? 2 : -1) + "\n");
  }
  return k_exit_match;
}

} // namespace newsidx::cli
