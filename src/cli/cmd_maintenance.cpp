// newsidx check and newsidx optimize: verify and compact the archive.
#include "command.hpp"
#include "output.hpp"

#include "newsidx/store.hpp"

namespace newsidx::cli {

int run_check(Invocation& invocation) {
  po::options_description options("check options");
  std::string format = "text";
  options.add_options()("format,f", po::value(&format)->default_value(format), "text or json");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx check")) {
    return k_exit_match;
  }
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl});
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_write);
  CheckReport report = store.check(); // FTS5 integrity-check needs a writable handle
  if (output_format == Format::text) {
    std::string text = "integrity: " + report.integrity + "\nfull-text index: " + report.fts +
                       "\nfiles: " + std::to_string(report.files) + " (" +
                       std::to_string(report.missing_files.size()) + " missing)\n" +
                       "articles without a file: " + std::to_string(report.orphan_articles) + "\n";
    for (const std::string& path : report.missing_files)
      text += "missing: " + path + "\n";
    if (!report.missing_indexes.empty()) {
      text += "indexes missing after an interrupted bulk load: " +
              std::to_string(report.missing_indexes.size()) +
              " (answers are the same, some searches slower; the next ingest builds them)\n";
    }
    out(text);
  } else {
    Row row;
    row["ok"] = report.ok() && report.missing_files.empty();
    row["integrity"] = report.integrity;
    row["fts"] = report.fts;
    row["files"] = report.files;
    row["missing_files"] = report.missing_files;
    row["orphan_articles"] = report.orphan_articles;
    row["missing_indexes"] = report.missing_indexes;
    out(row.dump(output_format == Format::json ? 2 : -1) + "\n");
  }
  if (!report.ok()) return k_exit_error;
  return report.missing_files.empty() ? k_exit_match : k_exit_partial;
}

int run_optimize(Invocation& invocation) {
  po::options_description options("optimize options");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx optimize")) {
    return k_exit_match;
  }
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_write);
  store.lock_for_writing(false);
  auto [before, after] = store.optimize();
  std::fprintf(stderr, "newsidx: optimized %s: %.1f MB -> %.1f MB\n", store.path().c_str(),
               before / 1e6, after / 1e6);
  return k_exit_match;
}

} // namespace newsidx::cli
