#include "rules.hpp"

#include "extract_utf8.hpp"
#include "newsidx/errors.hpp"

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace newsidx {

std::size_t StringHash::operator()(std::string_view text) const {
  return static_cast<std::size_t>(XXH3_64bits(text.data(), text.size()));
}

namespace {

using nlohmann::json;

bool is_word_char(char32_t cp) { return utf8::is_letter(cp) || utf8::is_digit(cp); }

// The first word of a lower-case phrase (letters and digits), or "" when it starts otherwise.
bool ascii_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

std::string_view first_word(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {  // ASCII fast path
      if (!ascii_word_byte(c)) break;
      ++i;
      continue;
    }
    std::size_t j = i;
    const char32_t cp = utf8::decode(text, j);
    if (!is_word_char(cp) || (utf8::is_cjk(cp) && i > 0)) {
      break;
    }
    i = j;
    if (utf8::is_cjk(cp)) {
      break;  // CJK phrases are keyed on their first character
    }
  }
  return text.substr(0, i);
}

// True when position `end` in `text` is a word boundary (end of text or a non-word char).
bool boundary_at(std::string_view text, std::size_t end, std::string_view phrase) {
  if (end >= text.size() || phrase.empty()) {
    return true;
  }
  std::size_t k = 0;
  std::size_t last = 0;
  while (k < phrase.size()) {
    last = k;
    utf8::decode(phrase, k);
  }
  std::size_t lk = last;
  const char32_t phrase_last = utf8::decode(phrase, lk);
  if (!is_word_char(phrase_last) || utf8::is_cjk(phrase_last)) {
    return true;
  }
  std::size_t j = end;
  const char32_t next = utf8::decode(text, j);
  return !is_word_char(next) || utf8::is_cjk(next);
}

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw RulesError("cannot read rule file " + path.string());
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  json doc = json::parse(buffer.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw RulesError("rule file " + path.string() + " is not a JSON object");
  }
  return doc;
}

const json& member(const json& object, const char* key, const std::filesystem::path& path) {
  auto it = object.find(key);
  if (it == object.end()) {
    throw RulesError("rule file " + path.string() + ": missing \"" + key + "\"");
  }
  return *it;
}

std::vector<std::string> strings(const json& value, const std::string& what) {
  if (!value.is_array()) {
    throw RulesError(what + ": expected an array of strings");
  }
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) {
      throw RulesError(what + ": expected an array of strings");
    }
    out.push_back(utf8::lower(item.get<std::string>()));
  }
  return out;
}

std::vector<std::string> strings_at(const json& object, const char* key,
                                    const std::filesystem::path& path) {
  return strings(member(object, key, path), path.filename().string() + ": \"" + key + "\"");
}

void fill(PhraseSet& set, const std::vector<std::string>& phrases) {
  for (const auto& phrase : phrases) {
    set.add(phrase);
  }
}

template <typename Set>
void fill_set(Set& set, const std::vector<std::string>& words) {
  for (const auto& word : words) {
    set.insert(word);
  }
}

void load_dates(ExtractionRules& rules, const std::filesystem::path& path) {
  const json doc = read_json(path);
  const json& languages = member(doc, "languages", path);
  if (!languages.is_object()) {
    throw RulesError(path.string() + ": \"languages\" must be an object");
  }
  for (const auto& [code, language] : languages.items()) {
    const json& months = member(language, "months", path);
    if (!months.is_array() || months.size() != 12) {
      throw RulesError(path.string() + ": language " + code + " needs 12 month entries");
    }
    for (int m = 0; m < 12; ++m) {
      for (const auto& name : strings(months[m], path.string() + ": months of " + code)) {
        rules.months.emplace(name, m + 1);
      }
    }
    if (language.contains("weekdays")) {
      fill_set(rules.weekdays, strings(language["weekdays"], path.string() + ": weekdays"));
    }
  }
  fill_set(rules.ordinal_suffixes, strings_at(doc, "ordinal_suffixes", path));
  fill_set(rules.day_month_joiners, strings_at(doc, "day_month_joiners", path));
  fill_set(rules.year_suffixes, strings_at(doc, "year_suffixes", path));
  fill(rules.published_cues, strings_at(doc, "published_cues", path));
  fill(rules.updated_cues, strings_at(doc, "updated_cues", path));
  if (doc.contains("comment_cues")) {
    fill(rules.comment_cues, strings_at(doc, "comment_cues", path));
  }
}

void load_bylines(ExtractionRules& rules, const std::filesystem::path& path) {
  const json doc = read_json(path);
  fill(rules.byline_cues, strings_at(doc, "cues", path));
  fill_set(rules.name_joiners, strings_at(doc, "name_joiners", path));
  fill_set(rules.name_particles, strings_at(doc, "name_particles", path));
  fill_set(rules.role_words, strings_at(doc, "role_words", path));
  if (doc.contains("article_particles")) {
    fill_set(rules.article_particles, strings_at(doc, "article_particles", path));
  }
  if (doc.contains("given_names")) {
    fill_set(rules.given_names, strings_at(doc, "given_names", path));
    // Both spellings: "josé" is found as "jose" and "andres" as "andrés".
    std::vector<std::string> folded;
    for (const auto& name : rules.given_names)
      folded.push_back(fold_accents(name));
    for (auto& name : folded)
      rules.given_names.insert(std::move(name));
  }
  if (doc.contains("honorifics")) {
    fill_set(rules.honorifics, strings_at(doc, "honorifics", path));
  }
  if (doc.contains("alt_words")) {
    fill_set(rules.alt_words, strings_at(doc, "alt_words", path));
  }
  if (doc.contains("desk_names")) {
    fill_set(rules.desk_names, strings_at(doc, "desk_names", path));
  }
  fill(rules.bio_headers, strings_at(doc, "bio_headers", path));
  fill(rules.credit_words, strings_at(doc, "credit_words", path));
  rules.bio_verbs = strings_at(doc, "bio_verbs", path);
}

// An optional integer setting: `value` keeps its default when the key is absent or no integer.
void read_optional_int(const json& doc, const char* key, int& value) {
  if (doc.contains(key) && doc[key].is_number_integer()) value = doc[key].get<int>();
}

void load_boilerplate(ExtractionRules& rules, const std::filesystem::path& path) {
  const json doc = read_json(path);
  read_optional_int(doc, "max_words_contains", rules.max_words_contains);
  fill_set(rules.line_equals, strings_at(doc, "line_equals", path));
  fill(rules.line_contains, strings_at(doc, "line_contains", path));
  read_optional_int(doc, "max_words_label", rules.max_words_label);
  if (doc.contains("label_contains")) {
    fill(rules.label_contains, strings_at(doc, "label_contains", path));
  }
  fill(rules.line_starts, strings_at(doc, "line_starts", path));
  fill(rules.end_markers, strings_at(doc, "end_markers", path));
  fill(rules.end_markers_any, strings_at(doc, "end_markers_any", path));
  if (doc.contains("image_credit_prefixes")) {
    fill(rules.image_credit_prefixes, strings_at(doc, "image_credit_prefixes", path));
  }
  if (doc.contains("comment_headers")) {
    fill(rules.comment_headers, strings_at(doc, "comment_headers", path));
  }
  if (doc.contains("comment_count_words")) {
    fill_set(rules.comment_count_words, strings_at(doc, "comment_count_words", path));
  }
  if (doc.contains("comment_markers")) {
    fill(rules.comment_markers, strings_at(doc, "comment_markers", path));
  }
  if (doc.contains("caption_words")) {
    fill(rules.caption_words, strings_at(doc, "caption_words", path));
  }
}

void load_outlets(ExtractionRules& rules, const std::filesystem::path& path) {
  const json doc = read_json(path);
  const json& known = member(doc, "known", path);
  if (!known.is_array()) {
    throw RulesError(path.string() + ": \"known\" must be an array");
  }
  for (const auto& name : known) {
    if (!name.is_string()) {
      throw RulesError(path.string() + ": \"known\" must hold strings");
    }
    rules.outlets.push_back(name.get<std::string>());  // case kept: matched case-sensitively
  }
  std::stable_sort(rules.outlets.begin(), rules.outlets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  if (doc.contains("aliases")) {
    if (!doc["aliases"].is_object()) {
      throw RulesError(path.string() + ": \"aliases\" must be an object");
    }
    for (const auto& [alias, name] : doc["aliases"].items()) {
      if (!name.is_string()) {
        throw RulesError(path.string() + ": alias values must be strings");
      }
      rules.outlet_aliases.emplace(alias, name.get<std::string>());
    }
  }
  rules.copyright_prefixes = strings_at(doc, "copyright_prefixes", path);
  rules.appeal_prefixes = strings_at(doc, "appeal_prefixes", path);
  rules.bio_phrases = strings_at(doc, "bio_phrases", path);
  if (doc.contains("month_first")) {
    if (!doc["month_first"].is_array()) {
      throw RulesError(path.string() + ": \"month_first\" must be an array");
    }
    for (const auto& name : doc["month_first"]) {
      if (!name.is_string()) {
        throw RulesError(path.string() + ": \"month_first\" must hold strings");
      }
      rules.month_first_outlets.insert(rules.canonical_outlet(name.get<std::string>()));  // case kept
    }
  }
}

void load_languages(ExtractionRules& rules, const std::filesystem::path& path) {
  const json doc = read_json(path);
  const json& scripts = member(doc, "scripts", path);
  for (const auto& [script, code] : scripts.items()) {
    if (!code.is_string()) {
      throw RulesError(path.string() + ": script codes must be strings");
    }
    rules.script_languages.emplace(script, code.get<std::string>());
  }
  const json& stopwords = member(doc, "stopwords", path);
  if (!stopwords.is_object()) {
    throw RulesError(path.string() + ": \"stopwords\" must be an object");
  }
  for (const auto& [code, words] : stopwords.items()) {
    const int index = static_cast<int>(rules.languages.size());
    rules.languages.push_back(code);
    for (const auto& word : strings(words, path.string() + ": stopwords of " + code)) {
      rules.stopwords[word].push_back(index);
      rules.stopword_filter.set(ExtractionRules::stopword_filter_bit(word));
      rules.longest_stopword = std::max(rules.longest_stopword, word.size());
    }
  }
  if (doc.contains("distinctive_letters")) {
    for (const auto& [code, letters] : doc["distinctive_letters"].items()) {
      auto it = std::find(rules.languages.begin(), rules.languages.end(), code);
      if (it == rules.languages.end()) {
        continue;
      }
      const int index = static_cast<int>(it - rules.languages.begin());
      for (const auto& letter : strings(letters, path.string() + ": distinctive_letters")) {
        std::size_t i = 0;
        if (!letter.empty()) {
          const char32_t cp = utf8::decode(letter, i);
          rules.distinctive_letters[cp].push_back(index);
          if (cp < rules.distinctive_below.size()) rules.distinctive_below.set(cp);
        }
      }
    }
  }
}

// Optional: a rules directory made before the model existed has none, and then the story
// is chosen by the hand-set scores alone.
void load_body_model(ExtractionRules& rules, const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    rules.body_tokens.build();
    return;
  }
  const json doc = read_json(path);
  const json& offset = member(doc, "offset", path);
  if (!offset.is_number()) {
    throw RulesError(path.string() + ": \"offset\" must be a number");
  }
  rules.body_offset = offset.get<double>();
  for (const auto& [key, value] : {std::pair{"skip_below", &rules.body_skip_below},
                                   {"widen_before", &rules.body_widen_before},
                                   {"widen_after", &rules.body_widen_after},
                                   {"widen_max_share", &rules.body_widen_max_share}}) {
    if (auto it = doc.find(key); it != doc.end()) {
      if (!it->is_number()) {
        throw RulesError(path.string() + ": \"" + key + "\" must be a number");
      }
      *value = it->get<double>();
    }
  }
  const json& features = member(doc, "features", path);
  if (!features.is_object() || features.size() != k_body_features.size()) {
    throw RulesError(path.string() + ": \"features\" must give a weight to each of the " +
                     std::to_string(k_body_features.size()) + " paragraph features");
  }
  for (std::size_t i = 0; i < k_body_features.size(); ++i) {
    auto it = features.find(std::string(k_body_features[i]));
    if (it == features.end() || !it->is_number()) {
      throw RulesError(path.string() + ": \"features\" needs a number for \"" +
                       std::string(k_body_features[i]) + "\"");
    }
    rules.body_feature_weights[i] = it->get<double>();
  }
  const json& words = member(doc, "words", path);
  if (!words.is_object()) {
    throw RulesError(path.string() + ": \"words\" must be an object");
  }
  for (const auto& [word, weight] : words.items()) {
    if (!weight.is_number()) {
      throw RulesError(path.string() + ": the weight of \"" + word + "\" must be a number");
    }
    BodyToken& token = rules.body_tokens[utf8::lower(word)];
    token.weight = weight.get<float>();
    token.in_model = true;
  }
  for (const auto& [word, languages] : rules.stopwords) {
    rules.body_tokens[word].stopword = true;
  }
  rules.body_tokens.build();
}

}  // namespace

void BodyTokenTable::build() {
  std::size_t capacity = 16;
  while (capacity < m_loading.size() * 2)
    capacity *= 2;
  m_hashes.assign(capacity, 0);
  m_tokens.assign(capacity, BodyToken{});
  for (const auto& [token, value] : m_loading) {
    const std::uint64_t h = hash(token);
    std::size_t slot = h & (capacity - 1);
    while (m_hashes[slot] != 0) {
      if (m_hashes[slot] == h) {
        throw RulesError("body_model.json: two tokens share a hash (\"" + token + "\")");
      }
      slot = (slot + 1) & (capacity - 1);
    }
    m_hashes[slot] = h;
    m_tokens[slot] = value;
  }
  m_loading.clear();
}

void PhraseSet::add(std::string phrase) {
  if (phrase.empty()) {
    return;
  }
  ++m_count;
  const std::string key(first_word(phrase));
  if (key.empty()) {
    m_other.push_back(std::move(phrase));
  } else {
    m_first_bytes[static_cast<unsigned char>(key[0])] = true;
    if (key.size() == 1) {
      m_one_byte_words[static_cast<unsigned char>(key[0])] = true;
    } else {
      m_first_pairs.set(pair_index(key));
    }
    m_by_first_word[key].push_back(std::move(phrase));
  }
}

bool PhraseSet::contains_in(std::string_view lowered) const {
  for (const auto& phrase : m_other) {
    if (lowered.find(phrase) != std::string_view::npos) {
      return true;
    }
  }
  std::size_t i = 0;
  bool at_boundary = true;
  while (i < lowered.size()) {
    const std::size_t start = i;
    const unsigned char c = static_cast<unsigned char>(lowered[i]);
    if (c < 0x80 && !at_boundary && ascii_word_byte(c)) {
      ++i;  // inside an ASCII word: no phrase starts here
      continue;
    }
    const char32_t cp = c < 0x80 ? (++i, static_cast<char32_t>(c)) : utf8::decode(lowered, i);
    const bool word = c < 0x80 ? ascii_word_byte(c) : is_word_char(cp);
    if (word && (at_boundary || utf8::is_cjk(cp)) && m_first_bytes[c] &&
        (m_one_byte_words[c] || (start + 1 < lowered.size() && m_first_pairs.test(pair_index(lowered.substr(start)))))) {
      std::string_view rest = lowered.substr(start);
      auto it = m_by_first_word.find(first_word(rest));
      if (it != m_by_first_word.end()) {
        for (const auto& phrase : it->second) {
          if (rest.starts_with(phrase) && boundary_at(rest, phrase.size(), phrase)) {
            return true;
          }
        }
      }
    }
    at_boundary = !word;
  }
  return false;
}

std::string_view PhraseSet::longest_prefix(std::string_view lowered) const {
  std::string_view best;
  auto consider = [&](const std::string& phrase) {
    if (phrase.size() > best.size() && lowered.starts_with(phrase) &&
        boundary_at(lowered, phrase.size(), phrase)) {
      best = phrase;
    }
  };
  for (const auto& phrase : m_other) {
    consider(phrase);
  }
  if (lowered.empty()) {
    return best;
  }
  const unsigned char c = static_cast<unsigned char>(lowered[0]);
  if (!m_first_bytes[c] ||
      !(m_one_byte_words[c] || (lowered.size() > 1 && m_first_pairs.test(pair_index(lowered))))) {
    return best;
  }
  auto it = m_by_first_word.find(first_word(lowered));
  if (it != m_by_first_word.end()) {
    for (const auto& phrase : it->second) {
      consider(phrase);
    }
  }
  return best;
}

bool PhraseSet::starts(std::string_view lowered) const { return !longest_prefix(lowered).empty(); }

std::string ExtractionRules::canonical_outlet(std::string_view name) const {
  auto it = outlet_aliases.find(std::string(name));
  return it != outlet_aliases.end() ? it->second : std::string(name);
}

std::string fold_accents(std::string_view lowered) {
  // Two-byte UTF-8 sequences of Latin-1 Supplement and Latin Extended-A lower-case letters.
  static const std::unordered_map<std::string_view, char> plain = {
      {"\xC3\xA0", 'a'}, {"\xC3\xA1", 'a'}, {"\xC3\xA2", 'a'}, {"\xC3\xA3", 'a'}, {"\xC3\xA4", 'a'},
      {"\xC3\xA5", 'a'}, {"\xC3\xA7", 'c'}, {"\xC3\xA8", 'e'}, {"\xC3\xA9", 'e'}, {"\xC3\xAA", 'e'},
      {"\xC3\xAB", 'e'}, {"\xC3\xAC", 'i'}, {"\xC3\xAD", 'i'}, {"\xC3\xAE", 'i'}, {"\xC3\xAF", 'i'},
      {"\xC3\xB1", 'n'}, {"\xC3\xB2", 'o'}, {"\xC3\xB3", 'o'}, {"\xC3\xB4", 'o'}, {"\xC3\xB5", 'o'},
      {"\xC3\xB6", 'o'}, {"\xC3\xB8", 'o'}, {"\xC3\xB9", 'u'}, {"\xC3\xBA", 'u'}, {"\xC3\xBB", 'u'},
      {"\xC3\xBC", 'u'}, {"\xC3\xBD", 'y'}, {"\xC3\xBF", 'y'}, {"\xC4\x8D", 'c'}, {"\xC5\xA1", 's'},
      {"\xC5\xBE", 'z'}, {"\xC4\x87", 'c'}, {"\xC5\x82", 'l'}, {"\xC5\x84", 'n'}, {"\xC5\x9B", 's'},
      {"\xC5\xBA", 'z'}, {"\xC5\xBC", 'z'}, {"\xC4\x99", 'e'}, {"\xC4\x85", 'a'}, {"\xC5\x99", 'r'},
      {"\xC4\x9B", 'e'}};
  std::string out;
  out.reserve(lowered.size());
  for (std::size_t i = 0; i < lowered.size(); ++i) {
    if (i + 1 < lowered.size() && (static_cast<unsigned char>(lowered[i]) & 0xE0) == 0xC0) {
      const auto it = plain.find(lowered.substr(i, 2));
      if (it != plain.end()) {
        out += it->second;
        ++i;
        continue;
      }
    }
    out += lowered[i];
  }
  return out;
}

std::shared_ptr<const ExtractionRules> load_rules(const std::filesystem::path& data_dir) {
  const std::filesystem::path dir = data_dir / "rules";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw RulesError("rules directory not found: " + dir.string());
  }
  auto rules = std::make_shared<ExtractionRules>();
  load_dates(*rules, dir / "dates.json");
  load_bylines(*rules, dir / "bylines.json");
  load_boilerplate(*rules, dir / "boilerplate.json");
  load_outlets(*rules, dir / "outlets.json");
  load_languages(*rules, dir / "languages.json");
  load_body_model(*rules, dir / "body_model.json"); // after the stop words
  return rules;
}

}  // namespace newsidx
