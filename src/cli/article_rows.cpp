#include "article_rows.hpp"

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
