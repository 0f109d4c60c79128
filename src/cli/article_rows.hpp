// JSON shapes of articles and search hits, shared by extract, show and search so every
// command prints the same field names (documented in README "JSON output").
#pragma once

#include "output.hpp"

#include "newsidx/article.hpp"
#include "newsidx/query.hpp"
#include "newsidx/store.hpp"

#include <optional>

namespace newsidx::cli {

// The fields `extract` prints: path, title, title_derived, authors, date, date_precision,
// date_origin, date_inferred, source, dateline, lang, url, encoding, body.
Row article_row(const Article& article);

// The id an ID|PATH argument names (show, similar): a number is taken as an id, anything
// else as the path of a stored file. nullopt when no stored file has that path.
std::optional<std::int64_t> find_article_id(ArticleStore& store, const std::string& target);

// One search hit as text: rank, date (marked when known only to the month or year), source,
// title (marked when derived), path, id, near-duplicate links and the snippet, with the
// matches in colour or wrapped in **.
std::string text_hit(int rank, const SearchHit& hit, bool color);

// A stored article (show, export): `id` and `paths` in place of `path`, then the fields
// of article_row().
Row stored_article_row(const StoredArticle& stored);

// A search hit: id, path, title, title_derived, date, date_precision, source, authors,
// score, snippet (matches wrapped in **).
Row hit_row(const SearchHit& hit);

// A date as JSON: the ISO string or null.
Row date_value(const PartialDate& date);
Row precision_value(const PartialDate& date);

// Replaces the match markers with `begin`/`end` and folds line breaks into spaces.
std::string render_snippet(std::string_view snippet, std::string_view begin, std::string_view end);

} // namespace newsidx::cli
