// Article extraction: turns the text of one saved news page into an Article (title,
// authors, date with precision and origin, outlet, dateline, language, clean body).
// Rules that are data (month names, boilerplate phrases, byline cues, outlet
// signatures) are loaded from data/rules/*.json; see README "Extraction rules".
#pragma once

#include "newsidx/article.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace newsidx {

struct ExtractionRules;  // defined in src/; loaded from rules/*.json

// One page to extract, already decoded to UTF-8 (NFC, '\n' line endings).
struct PageInput {
  std::string path;                         // as the user gave it; used for filename dates
  std::string_view text;                    // the decoded page
  std::string encoding = "UTF-8";           // what it was decoded from
  std::optional<std::string> sidecar_json;  // contents of PATH.json when present
};

struct ExtractOptions {
  bool date_from_filename = false;  // --date-from-filename
};

class Extractor {
public:
  // Loads every rules/*.json file under `rules_dir`'s parent data directory.
  // Throws RulesError on a missing or malformed file.
  static Extractor load(const std::filesystem::path& data_dir);
  // Same, with paths::data_dir().
  static Extractor load_default();

  explicit Extractor(std::shared_ptr<const ExtractionRules> rules);

  // Thread-safe: one Extractor may serve many threads.
  Article extract(const PageInput& page, const ExtractOptions& options = {}) const;

private:
  std::shared_ptr<const ExtractionRules> m_rules;
};

} // namespace newsidx
