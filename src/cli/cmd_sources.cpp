// newsidx sources: articles per outlet.
#include "command.hpp"
#include "output.hpp"
#include "query_args.hpp"

#include "newsidx/store.hpp"

#include <cstdio>

namespace newsidx::cli {

int run_sources(Invocation& invocation) {
  po::options_description options("sources options");
  std::string format = "text", fields;
  options.add_options()                                                                    //
    ("format,f", po::value(&format)->default_value(format), "text, json, jsonl, tsv or csv")  //
    ("fields", po::value(&fields), "columns for machine formats (source,articles,first_date,last_date)");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values, "newsidx sources [OPTIONS]")) {
    return k_exit_match;
  }
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl, Format::tsv, Format::csv});
  const std::vector<std::string> available = {"source", "articles", "first_date", "last_date"};
  std::vector<std::string> chosen = parse_fields(fields, available);
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_only);
  std::vector<SourceSummary> sources = store.sources();
  if (output_format == Format::text) {
    std::string text;
    for (const SourceSummary& source : sources) {
      char line[64];
      std::snprintf(line, sizeof line, "%8lld  ", static_cast<long long>(source.articles));
      std::string span = source.first_date.empty() ? "undated" : source.first_date + " .. " + source.last_date;
      text += line + source.name.value_or("(unknown outlet)") + "  (" + span + ")\n";
    }
    out(text);
  } else {
    RowPrinter printer(output_format, chosen.empty() ? available : chosen);
    for (const SourceSummary& source : sources) {
      Row row;
      row["source"] = source.name ? Row(*source.name) : Row();
      row["articles"] = source.articles;
      row["first_date"] = source.first_date.empty() ? Row() : Row(source.first_date);
      row["last_date"] = source.last_date.empty() ? Row() : Row(source.last_date);
      printer.print(select_fields(row, chosen));
    }
    printer.finish();
  }
  return sources.empty() ? k_exit_no_match : k_exit_match;
}

} // namespace newsidx::cli
