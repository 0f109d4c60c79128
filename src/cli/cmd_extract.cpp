// newsidx extract FILE...: print what ingest would store for each file, without storing.
#include "article_rows.hpp"
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/ingest.hpp"

#include <cstdio>

namespace newsidx::cli {

namespace {

void print_text_article(const Article& a) {
  auto line = [](const char* name, const std::string& value) {
    return std::string(name) + ": " + value + "\n";
  };
  std::string text = "== " + a.path + "\n";
  text += line("title", a.title ? *a.title : "(none; derived: " + a.title_derived + ")");
  std::string authors;
  for (const std::string& name : a.authors) authors += (authors.empty() ? "" : "; ") + name;
  text += line("authors", authors.empty() ? "(none)" : authors);
  text += line("date", a.date.empty() ? "(none)"
                                      : a.date.iso() + " (" + std::string(to_string(a.date.precision())) +
                                          ", from " + a.date_origin + ")");
  if (!a.date_inferred.empty()) {
    text += line("date_inferred", a.date_inferred.iso() + " (from " + a.date_inferred_origin + ")");
  }
  text += line("source", a.source.value_or("(none)"));
  text += line("dateline", a.dateline.value_or("(none)"));
  text += line("lang", a.lang.empty() ? "(unknown)" : a.lang);
  text += line("encoding", a.encoding);
  text += "\n" + a.body + "\n\n";
  out(text);
}

// --explain: how each paragraph was scored, as a JSON array for the article's row.
Row paragraphs_row(const std::vector<ParagraphTrace>& trace) {
  Row rows = Row::array();
  const auto names = body_feature_names();
  for (const ParagraphTrace& p : trace) {
    Row features = Row::object();
    for (std::size_t i = 0; i < names.size() && i < p.features.size(); ++i) {
      features[std::string(names[i])] = p.features[i];
    }
    rows.push_back(Row{{"in_body", p.in_body},
                       {"score", p.score},
                       {"rule_score", p.rule_score},
                       {"features", std::move(features)},
                       {"tokens", p.tokens},
                       {"kind", p.kind},
                       {"words", p.words},
                       {"text", p.text}});
  }
  return rows;
}

// The first `limit` bytes of `text` or fewer, not cutting a UTF-8 sequence, "..." when cut.
std::string shortened(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.substr(0, cut) + "...";
}

void print_text_paragraphs(const std::vector<ParagraphTrace>& trace) {
  std::string text = "paragraphs (+ kept in the body; score = rules + learned):\n";
  for (const ParagraphTrace& p : trace) {
    char head[64];
    std::snprintf(head, sizeof head, "%c %6.2f = %5.2f %+5.2f  ", p.in_body ? '+' : ' ', p.score,
                  p.rule_score, p.score - p.rule_score);
    text += head + shortened(p.text, 100) + "\n";
  }
  out(text);
}

} // namespace

int run_extract(Invocation& invocation) {
  po::options_description options("extract options");
  std::vector<std::string> files;
  std::string format = "text", encoding;
  ExtractOptions extract_options;
  bool explain = false;
  options.add_options()                                                                       //
      ("file", po::value(&files), "article files")                                            //
      ("format,f", po::value(&format)->default_value(format), "text, json or jsonl")          //
      ("encoding", po::value(&encoding), "decode with this encoding instead of detecting it") //
      ("date-from-filename", po::bool_switch(&extract_options.date_from_filename),
       "take a date written in the file name") //
      ("explain", po::bool_switch(&explain),
       "also show how each paragraph was scored for the body (a \"paragraphs\" field in JSON)");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx extract [OPTIONS] FILE...")) {
    return k_exit_match;
  }
  if (files.empty()) throw UsageError("extract needs at least one file");
  Format output_format = parse_format(format, {Format::text, Format::json, Format::jsonl});
  Extractor extractor = Extractor::load_default();

  RowPrinter printer(output_format, {});
  int problems = 0;
  for (const std::string& file : files) {
    try {
      LoadedPage page = load_page(file, encoding, std::int64_t(1) << 30);
      if (page.replaced > 0) {
        print_warning(file + ": " + std::to_string(page.replaced) +
                      " invalid byte sequence(s) replaced (decoded as " + page.encoding + ")");
      }
      PageInput input{file, page.text, page.encoding, page.sidecar_json};
      std::vector<ParagraphTrace> trace;
      Article article = explain ? extractor.explain(input, extract_options, trace)
                                : extractor.extract(input, extract_options);
      if (output_format == Format::text) {
        print_text_article(article);
        if (explain) print_text_paragraphs(trace);
      } else {
        Row row = article_row(article);
        if (explain) row["paragraphs"] = paragraphs_row(trace);
        printer.print(row);
      }
    } catch (const InputError& e) {
      print_warning(file + ": " + e.what());
      ++problems;
    }
  }
  if (output_format != Format::text) printer.finish();
  return problems ? k_exit_partial : k_exit_match;
}

} // namespace newsidx::cli
