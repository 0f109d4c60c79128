// A dated fixture archive that the end-to-end tests generate themselves: articles with
// front matter (title, date at day/month/year precision or none, source, author, lang),
// some of them dated relative to today, so every query form can be checked against
// counts known in advance.
#pragma once

#include "cli_runner.hpp"

#include <string>
#include <vector>

namespace newsidx::e2e {

struct FixtureArticle {
  std::string file;
  std::string title;
  std::string date;  // "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::string source;
  std::string author;
  std::string lang;
  std::string dateline;
  std::string topic;  // one of harbour, election, vaccine, drought
};

struct DatedArchive {
  std::string db;
  std::vector<FixtureArticle> articles;
  // How many articles satisfy `pred`.
  template <typename Pred>
  int count(Pred pred) const {
    int n = 0;
    for (const auto& a : articles) n += pred(a) ? 1 : 0;
    return n;
  }
};

// Writes the fixture under dir/dated and ingests it into dir/dated.db.
DatedArchive build_dated_archive(const TempDir& dir);

// Today and N days before today as YYYY-MM-DD (local time, as newsidx computes it).
std::string days_ago(int days);

} // namespace newsidx::e2e
