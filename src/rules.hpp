// The extractor's rule data, loaded once from <data_dir>/rules/*.json (dates.json,
// bylines.json, boilerplate.json, outlets.json, languages.json, body_model.json; formats in
// data/rules/README.md) into lookup tables the scanners use. Adding a language or an
// outlet is a change to those files, not to code. Immutable after loading.
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace newsidx {

// Hash for string keys that can be looked up with a string_view (no allocation): XXH3,
// several times faster than std::hash on the paragraphs the extractor uses as keys.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const;
};

// A list of lower-case phrases indexed by their first word, so a paragraph can be
// checked against hundreds of phrases with one pass over its words.
class PhraseSet {
public:
  void add(std::string phrase);
  // True when one of the phrases occurs in `lowered` starting at a word boundary.
  bool contains_in(std::string_view lowered) const;
  // True when `lowered` starts with one of the phrases (at a word boundary after it).
  bool starts(std::string_view lowered) const;
  // The longest phrase that `lowered` starts with, or an empty view.
  std::string_view longest_prefix(std::string_view lowered) const;
  bool empty() const { return m_count == 0; }

private:
  std::unordered_map<std::string, std::vector<std::string>, StringHash, std::equal_to<>> m_by_first_word;
  std::vector<std::string> m_other;  // phrases that do not start with a letter or digit
  static std::size_t pair_index(std::string_view word) {
    return static_cast<std::size_t>(static_cast<unsigned char>(word[0])) << 8 | static_cast<unsigned char>(word[1]);
  }
  bool m_first_bytes[256] = {};      // first bytes of the indexed words: a cheap pre-filter
  bool m_one_byte_words[256] = {};   // indexed words of one byte
  std::bitset<65536> m_first_pairs;  // first two bytes of the longer indexed words
  std::size_t m_count = 0;
};

// The paragraph features of body_model.json, in the order of
// ExtractionRules::body_feature_weights (shares are of the paragraph's characters other than
// white space, of its letters or of its words).
inline constexpr std::array<std::string_view, 9> k_body_features = {
    "punct",        // neither letter nor digit
    "upper",        // capital letters among the letters
    "digits",       // digits
    "title_case",   // words starting with a capital
    "repeated",     // the same text is another paragraph of the page too
    "colon_end",    // ends with ':'
    "lower_start",  // starts with a lower-case letter
    "stopwords",    // stop words (any language) per word, at most 1
    "no_stopwords", // six words or more and not one stop word
};

// A token of body_model.json's table: its weight, and whether it is a stop word of
// languages.json.
struct BodyToken {
  float weight = 0;
  bool in_model = false;
  bool stopword = false;
};

// A 64-bit hash of a short string's bytes, never 0 (an empty slot of the tables that store
// only hashes). Eight bytes at a time; the last piece is read with overlapping loads instead
// of byte by byte.
inline std::uint64_t word_hash(std::string_view text) {
  const char* bytes = text.data();
  const std::size_t size = text.size();
  std::uint64_t h = size * 0x9E3779B97F4A7C15ULL;
  const auto mix = [&h](std::uint64_t chunk) {
    h = (h ^ chunk) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 32;
  };
  const auto load64 = [](const char* at) {
    std::uint64_t value;
    std::memcpy(&value, at, 8);
    return value;
  };
  const auto load32 = [](const char* at) {
    std::uint32_t value;
    std::memcpy(&value, at, 4);
    return static_cast<std::uint64_t>(value);
  };
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 < size; i += 8)
      mix(load64(bytes + i));
    mix(load64(bytes + size - 8)); // the last eight, overlapping the ones before
  } else if (size >= 4) {
    mix(load32(bytes) | load32(bytes + size - 4) << 32);
  } else if (size > 0) {
    const auto byte = [bytes](std::size_t at) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at]));
    };
    mix(byte(0) | byte(size / 2) << 8 | byte(size - 1) << 16);
  }
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return h == 0 ? 1 : h;
}

// Tokens by open addressing on a 64-bit hash of their bytes (word_hash). Only the hash is stored
// and compared: one memory access per look-up (a token of a page mistaken for one of the table's
// several thousand has odds of about 1 in 10^15).
class BodyTokenTable {
public:
  static std::uint64_t hash(std::string_view token) { return word_hash(token); }

  // The entry for `token`, added when missing; build() makes the table from them.
  BodyToken& operator[](std::string_view token) { return m_loading[std::string(token)]; }
  void build();
  const BodyToken* find(std::string_view token) const { return find_hash(hash(token)); }
  // The entry of the token whose hash() is `h`.
  const BodyToken* find_hash(std::uint64_t h) const {
    const std::size_t mask = m_hashes.size() - 1;
    for (std::size_t slot = h & mask; m_hashes[slot] != 0; slot = (slot + 1) & mask) {
      if (m_hashes[slot] == h) return &m_tokens[slot];
    }
    return nullptr;
  }
  // Starts fetching the slot where a look-up of `h` begins into the CPU's cache.
  void prefetch(std::uint64_t h) const { __builtin_prefetch(&m_hashes[h & (m_hashes.size() - 1)]); }

private:
  std::unordered_map<std::string, BodyToken> m_loading;
  // Slot by slot: the hashes (0: empty) apart from the entries, so that the probes walk
  // 8-byte slots (256 KB for the model's and the stop words' 8,555 tokens; they stay in cache).
  std::vector<std::uint64_t> m_hashes = std::vector<std::uint64_t>(1);
  std::vector<BodyToken> m_tokens = std::vector<BodyToken>(1);
};

struct ExtractionRules {
  // dates.json
  std::unordered_map<std::string, int> months;  // lower-case name or abbreviation -> 1..12
  std::unordered_set<std::string> weekdays;
  std::unordered_set<std::string> ordinal_suffixes;
  std::unordered_set<std::string> day_month_joiners;
  std::unordered_set<std::string> year_suffixes;
  PhraseSet published_cues;
  PhraseSet updated_cues;
  PhraseSet comment_cues;  // "Reply", "Antworten": a date line of a reader comment

  // bylines.json
  PhraseSet byline_cues;
  std::unordered_set<std::string> name_joiners;
  std::unordered_set<std::string> name_particles;
  std::unordered_set<std::string> role_words;
  // Particles that are also articles ("der", "des", "das"): inside a name only after another
  // particle ("von der Leyen") or after a known first name ("Maria das Dores").
  std::unordered_set<std::string> article_particles;
  std::unordered_set<std::string> given_names;  // common first names: evidence for a bare name line
  std::unordered_set<std::string> honorifics;   // "dr.", "prof.": kept before a name
  std::unordered_set<std::string> alt_words;    // "avatar", "profilbild": image text before a name
  std::unordered_set<std::string> desk_names;   // "redaktion", "staff writer": a desk as the author
  PhraseSet credit_words;  // before a mid-line "by": not an author ("powered by", "photo by")
  PhraseSet bio_headers;
  std::vector<std::string> bio_verbs;

  // boilerplate.json
  int max_words_contains = 40;
  std::unordered_set<std::string> line_equals;
  PhraseSet line_contains;
  // UI labels ("gefällt mir", "most popular"): boilerplate only in a line of at most
  // max_words_label words; in a longer sentence the same words are the story's own.
  int max_words_label = 8;
  PhraseSet label_contains;
  PhraseSet line_starts;
  PhraseSet end_markers;
  PhraseSet end_markers_any;
  PhraseSet image_credit_prefixes; // "©": a short line without a year is a photo credit
  PhraseSet comment_headers;       // "Leave a reply"; with a count before: "45 comments"
  std::unordered_set<std::string> comment_count_words;  // "comments", "kommentare", "gedanken"
  PhraseSet comment_markers; // "says:", "Reply": a short line heading or closing a reader comment
  PhraseSet caption_words;   // "Foto", "Getty": a line holding one is a photo caption or credit

  // outlets.json
  std::vector<std::string> outlets;  // longest first
  std::unordered_map<std::string, std::string> outlet_aliases;
  std::vector<std::string> copyright_prefixes;
  std::vector<std::string> appeal_prefixes;
  std::vector<std::string> bio_phrases;
  std::unordered_set<std::string> month_first_outlets;  // canonical names writing 05/08/2025 for May 8

  // languages.json
  std::unordered_map<std::string, std::string> script_languages;  // script name -> code
  std::vector<std::string> languages;                             // codes with stop words
  std::unordered_map<std::string, std::vector<int>, StringHash, std::equal_to<>> stopwords;  // word -> languages
  std::size_t longest_stopword = 0;  // in bytes
  // Bit stopword_filter_bit(w) of every stop word w: a word whose bit is clear is none, and
  // language detection skips the map for it (most words of a text).
  std::bitset<65536> stopword_filter;
  static std::size_t stopword_filter_bit(std::string_view word) {
    std::uint32_t hash = k_stopword_hash_start;
    for (const char c : word)
      hash = stopword_hash_add(hash, static_cast<unsigned char>(c));
    return stopword_filter_bit_of_hash(hash);
  }
  // The same, a byte at a time (FNV-1a), for a scanner that reads the word only once.
  static constexpr std::uint32_t k_stopword_hash_start = 2166136261u;
  static std::uint32_t stopword_hash_add(std::uint32_t hash, unsigned byte) {
    return (hash ^ byte) * 16777619u;
  }
  static std::size_t stopword_filter_bit_of_hash(std::uint32_t hash) {
    return (hash ^ (hash >> 16)) & 0xFFFFu;
  }
  std::unordered_map<char32_t, std::vector<int>> distinctive_letters;
  std::bitset<0x800> distinctive_below; // which of the code points under U+0800 are listed

  // body_model.json: the learned part of a paragraph's story score.
  double body_offset = 0;
  std::array<double, k_body_features.size()> body_feature_weights{};
  // A paragraph inside the story's range that scores below this is left out of the body
  // (optional "skip_below"; by default none is).
  double body_skip_below = -std::numeric_limits<double>::infinity();
  // Added to every paragraph's score when the body's range is chosen again, after the
  // headline, byline and date were found around the first choice: for its start (optional
  // "widen_before") and for its end (optional "widen_after"). 0: not chosen again.
  double body_widen_before = 0;
  double body_widen_after = 0;
  // On each side, the wider choice may add at most this share of the first run's text
  // (optional "widen_max_share"; else it is ignored on that side). Without a limit, on pages
  // unlike the fitted ones a menu or a row of teasers above the story joined it.
  double body_widen_max_share = std::numeric_limits<double>::infinity();
  // Lower-case tokens (runs of letters and digits, two or more code points, not all digits):
  // the model's words and every stop word.
  BodyTokenTable body_tokens;

  // The outlet's canonical name ("AP" -> "The Associated Press"); the input when unknown.
  std::string canonical_outlet(std::string_view name) const;
};

// Loads every rule file under data_dir/rules. Throws RulesError when one is missing or
// malformed.
std::shared_ptr<const ExtractionRules> load_rules(const std::filesystem::path& data_dir);

// Lower-case Latin letters with their accents taken off ("josé" -> "jose", "jörg" -> "jorg"),
// for lookups that should not depend on how a page spells a name.
std::string fold_accents(std::string_view lowered);

}  // namespace newsidx
