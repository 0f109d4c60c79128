// Unit-test support: every hit of a search, best first.
#pragma once

#include "newsidx/query.hpp"
#include "newsidx/store.hpp"

#include <string>
#include <vector>

inline std::vector<newsidx::SearchHit> every_hit(newsidx::ArticleStore& store, std::string query) {
  newsidx::Searcher searcher(store);
  newsidx::SearchRequest request;
  request.query = std::move(query);
  request.limit = -1;
  return searcher.search(request);
}
