// Article extraction: turns the text of one saved news page into an Article (title,
// authors, date with precision and origin, outlet, dateline, language, clean body).
// Rules that are data (month names, boilerplate phrases, byline cues, outlet
// signatures) are loaded from data/rules/*.json; see README "Extraction rules".
#pragma once

#include "newsidx/article.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// How one paragraph of a page was scored when the story was chosen (Extractor::explain,
// `newsidx extract --explain`, scripts/fit_body_model.py).
struct ParagraphTrace {
  std::string text;                // the paragraph, wrapped lines joined
  double rule_score = 0;           // by its kind and length (hand-set rules)
  std::vector<double> features;    // body_model.json's features, body_feature_names() order
  std::vector<std::string> tokens; // its lower-cased tokens, as the model's words are looked up
  double score = 0;                // rule_score plus the learned part (body_model.json)
  bool in_body = false;            // kept in the extracted body
  // What the rules saw: "b" boilerplate, "e" end marker, "l" list item, "s" ends like a
  // sentence, "n" blank line before, "h" wire header, "d" holds a date, "t" the headline, "r"
  // inside the story's range; and its word count.
  std::string kind;
  int words = 0;
};

// The names of ParagraphTrace::features, as body_model.json spells them.
std::span<const std::string_view> body_feature_names();

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
  // The same, and how each of the page's paragraphs was scored, in page order.
  Article explain(const PageInput& page, const ExtractOptions& options,
                  std::vector<ParagraphTrace>& trace) const;

private:
  std::shared_ptr<const ExtractionRules> m_rules;
};

} // namespace newsidx
