#include "article_rows.hpp"

#include <charconv>
#include <cmath>

namespace newsidx::cli {

Row date_value(const PartialDate& date) { return date.empty() ? Row() : Row(date.iso()); }

Row precision_value(const PartialDate& date) {
  return date.empty() ? Row() : Row(std::string(to_string(date.precision())));
}

namespace {

Row optional_text(const std::optional<std::string>& text) { return text ? Row(*text) : Row(); }

Row text_or_null(const std::string& text) { return text.empty() ? Row() : Row(text); }

} // namespace

Row article_row(const Article& article) {
  Row row;
  row["path"] = article.path;
  row["title"] = optional_text(article.title);
  row["title_derived"] = text_or_null(article.title_derived);
  row["authors"] = article.authors;
  row["date"] = date_value(article.date);
  row["date_precision"] = precision_value(article.date);
  row["date_origin"] = text_or_null(article.date_origin);
  row["date_inferred"] = date_value(article.date_inferred);
  row["date_inferred_origin"] = text_or_null(article.date_inferred_origin);
  row["source"] = optional_text(article.source);
  row["dateline"] = optional_text(article.dateline);
  row["lang"] = text_or_null(article.lang);
  row["url"] = text_or_null(article.url);
  row["encoding"] = text_or_null(article.encoding);
  row["word_count"] = article.word_count();
  row["body"] = article.body;
  return row;
}

Row stored_article_row(const StoredArticle& stored) {
  Row article = article_row(stored.article);
  article.erase("path");
  Row row;
  row["id"] = stored.id;
  row["paths"] = stored.paths;
  for (auto& [key, value] : article.items()) row[key] = value;
  return row;
}

std::optional<std::int64_t> find_article_id(ArticleStore& store, const std::string& target) {
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(target.data(), target.data() + target.size(), id);
  if (error == std::errc() && end == target.data() + target.size()) return id;
  std::error_code ec;
  auto file = store.find_file(std::filesystem::absolute(target, ec).lexically_normal().string());
  if (!file) file = store.find_file(target);
  if (!file) return std::nullopt;
  return file->article_id;
}

std::string render_snippet(std::string_view snippet, std::string_view begin,
                           std::string_view end) {
  std::string out;
  out.reserve(snippet.size() + 16);
  bool last_space = false;
  for (char c : snippet) {
    if (c == k_match_begin) {
      out += begin;
      last_space = false;
    } else if (c == k_match_end) {
      out += end;
      last_space = false;
    } else if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!last_space) out += ' ';
      last_space = true;
    } else {
      out += c;
      last_space = false;
    }
  }
  return out;
}

std::string display_date(const PartialDate& date) {
  if (date.empty()) return "undated";
  if (date.precision() == DatePrecision::day) return date.iso();
  return date.iso() + " (" + std::string(to_string(date.precision())) + " only)";
}

std::string text_hit(int rank, const SearchHit& hit, bool color) {
  auto paint = [&](std::string_view code, const std::string& text) {
    return color ? std::string(code) + text + std::string(ansi::reset) : text;
  };
  std::string title = hit.title ? *hit.title
                                : (hit.title_derived.empty() ? "(no title)"
                                                             : hit.title_derived + " [derived]");
  std::string line = paint(ansi::dim, std::to_string(rank) + ".") + " " +
                     paint(ansi::green, display_date(hit.date));
  if (hit.source) line += "  " + paint(ansi::cyan, *hit.source);
  line += "  " + paint(ansi::bold, title) + "\n";
  line += "    " + paint(ansi::magenta, hit.path) + "  " + paint(ansi::dim, '#' + std::to_string(hit.id));
  if (hit.duplicates) line += paint(ansi::dim, "  dupes: " + std::to_string(hit.duplicates));
  if (hit.duplicate_of) line += paint(ansi::dim, "  duplicate of #" + std::to_string(hit.duplicate_of));
  line += "\n";
  std::string snippet = color ? render_snippet(hit.snippet, ansi::red, ansi::reset)
                              : render_snippet(hit.snippet, "**", "**");
  line += "    " + snippet + "\n";
  return line;
}

Row hit_row(const SearchHit& hit) {
  Row row;
  row["id"] = hit.id;
  row["path"] = hit.path;
  row["title"] = optional_text(hit.title);
  row["title_derived"] = text_or_null(hit.title_derived);
  row["date"] = date_value(hit.date);
  row["date_precision"] = precision_value(hit.date);
  row["source"] = optional_text(hit.source);
  row["authors"] = hit.authors;
  row["score"] = std::round(hit.score * 1e4) / 1e4;
  row["dupes"] = hit.duplicates;
  row["duplicate_of"] = hit.duplicate_of ? Row(hit.duplicate_of) : Row();
  row["snippet"] = render_snippet(hit.snippet, "**", "**");
  return row;
}

} // namespace newsidx::cli
