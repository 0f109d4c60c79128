// Article extraction. The page is split into paragraphs (wrapped lines of w3m-style dumps
// are joined back), each paragraph is classified (boilerplate phrase, end-of-story marker,
// list item, sentence-like text), the story is the best-scoring run of paragraphs between
// end markers, and title, byline, date, outlet and dateline are looked for around it.
// User metadata (front matter, sidecar JSON, file-name dates) overrides what is found.
#include "newsidx/extract.hpp"

#include "dates.hpp"
#include "extract_utf8.hpp"
#include "lang_detect.hpp"
#include "newsidx/errors.hpp"
#include "newsidx/paths.hpp"
#include "rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace newsidx {

namespace {

constexpr std::size_t k_derived_title_chars = 80;
constexpr double k_min_date_score = 1.5;  // below: no date rather than a guess
// A run before the reader comments is the story when it scores at least this share of the
// best run on the page (the discussion may be far longer than the story).
constexpr double k_comment_story_share = 0.1;
// Decks are looked for between the headline and the story when they are at most this many
// paragraphs apart.
constexpr std::size_t k_max_deck_distance = 31;
// A story's introduction is looked for this many paragraphs above its table of contents.
constexpr std::size_t k_toc_intro_distance = 12;
// A table of contents lists at least this many of the story's subheadings.
constexpr int k_toc_items = 3;

// Character counts of a paragraph for the learned body score (white space not counted).
struct CharCounts {
  int nonspace = 0;
  int letters = 0;
  int upper = 0; // capital letters
  int digits = 0;
  int chunks = 0;      // words as separated by white space
  int capitalised = 0; // chunks starting with a capital letter
  int cjk = 0;         // Chinese, Japanese and Korean characters (utf8::is_cjk)
};

struct Paragraph {
  std::string text;   // trimmed, wrapped lines joined with a space, bullet removed
  std::string lower;  // lower-cased, spaces squeezed
  int words = 0;
  bool blank_before = false;
  bool list_item = false;
  bool bracketed = false;  // [image] placeholders, form fields
  bool boiler = false;     // a boilerplate phrase matched
  bool appeal = false;     // boilerplate by a line_contains phrase (appeals, cookies...)
  bool end_marker = false; // starts related links, bios, comments, copyright...
  bool sentence = false;   // ends like a sentence
  bool header = false;     // part of a wire header ("Hong Kong / CNN / —")
  bool credit = false;     // short photo credit ("Name / Agency")
  CharCounts counts;
  std::vector<DateMatch> dates;
  double score = 0;
};

struct FrontMatter {
  std::optional<std::string> title;
  std::vector<std::string> authors;
  std::optional<PartialDate> date;
  std::optional<std::string> source;
  std::optional<std::string> dateline;
  std::optional<std::string> lang;
  std::optional<std::string> url;
};

// ---------------------------------------------------------------------------------------
// Small text helpers

// Classes of ASCII bytes for count_words, as bits.
enum : std::uint8_t {
  k_ascii_letter = 1, // a-z, A-Z
  k_ascii_upper = 2,  // A-Z
  k_ascii_digit = 4,  // 0-9
  k_ascii_space = 8,  // utf8::is_space
};
constexpr std::array<std::uint8_t, 128> k_ascii_classes = [] {
  std::array<std::uint8_t, 128> table{};
  for (int c = 'a'; c <= 'z'; ++c)
    table[static_cast<std::size_t>(c)] = k_ascii_letter;
  for (int c = 'A'; c <= 'Z'; ++c)
    table[static_cast<std::size_t>(c)] = k_ascii_letter | k_ascii_upper;
  for (int c = '0'; c <= '9'; ++c)
    table[static_cast<std::size_t>(c)] = k_ascii_digit;
  for (const char c : {' ', '\t', '\n', '\r', '\f', '\v'})
    table[static_cast<std::size_t>(c)] = k_ascii_space;
  return table;
}();

// Words: runs of non-space characters holding a letter or digit; CJK characters count half a
// word each. Fills `counts` on the way when given. ASCII bytes are counted without branches
// (a word ends every few bytes, at places no branch predictor can guess).
int count_words(std::string_view text, CharCounts* counts = nullptr) {
  CharCounts c;
  int words = 0;
  int cjk = 0;
  int in_word = 0; // 0 or 1, as are the two below
  int has_alnum = 0;
  int chunk_start = 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    if (bytes[i] < 0x80) {
      const unsigned bits = k_ascii_classes[bytes[i]];
      ++i;
      const int space = (bits >> 3) & 1;
      const int nonspace = space ^ 1;
      const int upper = (bits >> 1) & 1;
      words += space & in_word & has_alnum;
      c.nonspace += nonspace;
      c.letters += static_cast<int>(bits & 1);
      c.upper += upper;
      c.digits += static_cast<int>((bits >> 2) & 1);
      c.chunks += chunk_start & nonspace;
      c.capitalised += chunk_start & upper;
      has_alnum =
          nonspace & (has_alnum | static_cast<int>(bits & 1) | static_cast<int>((bits >> 2) & 1));
      in_word = nonspace;
      chunk_start = space;
      continue;
    }
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_space(cp)) {
      words += in_word & has_alnum;
      in_word = 0;
      has_alnum = 0;
      chunk_start = 1;
      continue;
    }
    const utf8::CharKind kind = utf8::kind(cp);
    const bool letter = kind == utf8::CharKind::letter || kind == utf8::CharKind::upper;
    const bool digit = kind == utf8::CharKind::digit;
    const bool capital = kind == utf8::CharKind::upper;
    ++c.nonspace;
    c.letters += letter ? 1 : 0;
    c.upper += capital ? 1 : 0;
    c.digits += digit ? 1 : 0;
    c.chunks += chunk_start;
    c.capitalised += chunk_start & (capital ? 1 : 0);
    chunk_start = 0;
    if (utf8::is_cjk(cp)) {
      ++cjk;
      continue;
    }
    in_word = 1;
    has_alnum = has_alnum | (letter || digit ? 1 : 0);
  }
  words += in_word & has_alnum;
  if (counts) {
    counts->nonspace += c.nonspace;
    counts->letters += c.letters;
    counts->upper += c.upper;
    counts->digits += c.digits;
    counts->chunks += c.chunks;
    counts->capitalised += c.capitalised;
    counts->cjk = cjk;
  }
  return words + cjk / 2;
}

char32_t last_code_point(std::string_view text) {
  if (text.empty()) {
    return 0;
  }
  std::size_t start = text.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return utf8::decode(text, start);
}

char32_t first_code_point(std::string_view text) {
  std::size_t i = 0;
  return text.empty() ? 0 : utf8::decode(text, i);
}

// Script or markup the dump kept as text (minified JavaScript, an escaped <span style=...>):
// a long line with few words for its length (`chunks`: runs of non-space characters) and many
// of the characters `{ } ; =`. Prose, formulas and code quoted in a tutorial have far more
// words.
bool looks_like_code(std::string_view text, int chunks) {
  constexpr std::size_t k_min_bytes = 150;
  if (text.size() < k_min_bytes || static_cast<std::size_t>(chunks) * 10 >= text.size()) {
    return false;
  }
  std::size_t spaces = 0;
  std::size_t code = 0;
  for (const char c : text) {
    spaces += c == ' ' ? 1 : 0;
    code += (c == '{' || c == '}' || c == ';' || c == '=') ? 1 : 0;
  }
  return code * 100 >= 3 * (text.size() - spaces);
}

bool ends_like_sentence(std::string_view text) {
  const char32_t last = last_code_point(text);
  switch (last) {
  case '.': case '!': case '?': case ':': case '"': case '\'': case ')':
  case 0x2026: case 0x201D: case 0x2019: case 0x00BB: case 0x3002: case 0xFF01:
  case 0xFF1F: case 0x300D:
    break;
  default:
    return false;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_lower(cp) || utf8::is_cjk(cp)) {
      return true;
    }
  }
  return false;
}

double letter_share(std::string_view text) {
  int letters = 0;
  int total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_space(cp)) continue;
    ++total;
    letters += utf8::is_letter(cp) ? 1 : 0;
  }
  return total == 0 ? 0.0 : static_cast<double>(letters) / total;
}

// A year from 1900 to 2099 written as four digits on their own.
bool has_year(std::string_view text) {
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    const bool starts =
        (text[i] == '1' && text[i + 1] == '9') || (text[i] == '2' && text[i + 1] == '0');
    if (!starts || (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')) continue;
    if (text[i + 2] >= '0' && text[i + 2] <= '9' && text[i + 3] >= '0' && text[i + 3] <= '9' &&
        (i + 4 == text.size() || text[i + 4] < '0' || text[i + 4] > '9')) {
      return true;
    }
  }
  return false;
}

bool is_bullet(char32_t cp) {
  switch (cp) {
  case 0x2022: case 0x25A1: case 0x2606: case 0x25E6: case 0x25AA: case 0x25A0: case 0x25CB:
  case 0x25CF: case 0x25BA: case 0x25B8: case 0x2023: case 0x2043: case 0x00B7: case '*':
    return true;
  default:
    return false;
  }
}

// Text without trailing punctuation and spaces, for whole-line phrase comparisons.
std::string_view strip_outer_punct(std::string_view text) {
  // Most words start and end with an ASCII letter or digit: nothing to strip.
  const auto ascii_alnum = [](char c) {
    const unsigned b = static_cast<unsigned char>(c);
    return b - '0' < 10u || (b | 0x20u) - 'a' < 26u;
  };
  if (!text.empty() && ascii_alnum(text.front()) && ascii_alnum(text.back())) return text;
  while (!text.empty()) {
    const char32_t cp = last_code_point(text);
    if (utf8::is_letter(cp) || utf8::is_digit(cp)) {
      break;
    }
    std::size_t start = text.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    text = text.substr(0, start);
  }
  while (!text.empty()) {
    const char32_t cp = first_code_point(text);
    if (utf8::is_letter(cp) || utf8::is_digit(cp)) {
      break;
    }
    std::size_t i = 0;
    utf8::decode(text, i);
    text = text.substr(i);
  }
  return text;
}

bool only_dashes(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = utf8::decode(text, i);
    if (!utf8::is_dash(cp) && !utf8::is_space(cp)) {
      return false;
    }
  }
  return true;
}

bool all_caps_word(std::string_view word) {
  int letters = 0;
  std::size_t i = 0;
  while (i < word.size()) {
    const char32_t cp = utf8::decode(word, i);
    if (utf8::is_letter(cp)) {
      if (!utf8::is_upper(cp)) {
        return false;
      }
      ++letters;
    }
  }
  return letters >= 2;
}

// Calls visit(word) for each run of characters other than ' ' in `text`, in order.
template <class Visit> void for_each_word(std::string_view text, Visit&& visit) {
  const char* bytes = text.data();
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    while (i < size && bytes[i] == ' ') {
      ++i;
    }
    const std::size_t start = i;
    // The next space, eight bytes at a time: the lowest byte of `y` that is zero (the
    // borrow trick may also flag bytes above it, never below).
    bool found = false;
    while (i + 8 <= size) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL;
      std::uint64_t x;
      std::memcpy(&x, bytes + i, 8);
      const std::uint64_t y = x ^ (ones * ' ');
      const std::uint64_t zero = (y - ones) & ~y & (ones * 0x80);
      if (zero != 0) {
        i += static_cast<std::size_t>(__builtin_ctzll(zero)) / 8;
        found = true;
        break;
      }
      i += 8;
    }
    if (!found) {
      while (i < size && bytes[i] != ' ') {
        ++i;
      }
    }
    if (i > start) {
      visit(text.substr(start, i - start));
    }
  }
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> out;
  for_each_word(text, [&](std::string_view word) { out.push_back(word); });
  return out;
}

// "JANE DOE", "MONTANT TOTAL COLLECTÉ": every word in capitals.
bool shouted(std::string_view text) {
  const auto words = split_words(text);
  return !words.empty() && std::all_of(words.begin(), words.end(),
                                       [](std::string_view w) { return all_caps_word(w); });
}

// "Allow Me to Criticize the New Phone": three or more words of four letters or more, each
// with a capital first letter.
bool title_case(std::string_view text) {
  int long_words = 0;
  for (const std::string_view word : split_words(text)) {
    int letters = 0;
    bool capital = false;
    for (std::size_t i = 0; i < word.size();) {
      const char32_t cp = utf8::decode(word, i);
      if (!utf8::is_letter(cp)) continue;
      if (letters++ == 0) capital = utf8::is_upper(cp);
    }
    if (letters < 4) continue;
    if (!capital) return false;
    ++long_words;
  }
  return long_words >= 3;
}

// "13:47", "1:46 pm": a clock time.
bool has_clock_time(std::string_view text) {
  const auto digit = [&](std::size_t k) { return text[k] >= '0' && text[k] <= '9'; };
  for (std::size_t i = 1; i + 2 < text.size(); ++i) {
    if (text[i] == ':' && digit(i - 1) && digit(i + 1) && digit(i + 2)) {
      return true;
    }
  }
  return false;
}

// True when `line` starts with a word of letters ("entitled", "l'homme", "well-known"), not a
// link or a code token ("http://...", "www.", "x_max").
bool lower_case_word_start(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] != ' ') {
    const char32_t cp = utf8::decode(line, i);
    if (utf8::is_letter(cp) || cp == '-' || cp == '\'' || cp == 0x2019) continue;
    if (cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == ')' || cp == '!' || cp == '?') {
      return i >= line.size() || line[i] == ' ';
    }
    return false;
  }
  return true;
}

// Finds `needle` in `text` as whole words (case-sensitive).
std::size_t find_whole(std::string_view text, std::string_view needle, std::size_t from = 0) {
  while (true) {
    const std::size_t pos = text.find(needle, from);
    if (pos == std::string_view::npos) {
      return pos;
    }
    const bool left = pos == 0 || !utf8::is_letter(last_code_point(text.substr(0, pos)));
    const std::size_t end = pos + needle.size();
    const bool right = end >= text.size() || !utf8::is_letter(first_code_point(text.substr(end)));
    if (left && right) {
      return pos;
    }
    from = pos + 1;
  }
}

// The known outlet named at the start of `text` (case-sensitive), or "".
// "Headline | example.com", "Headline - EXAMPLE.NET": a page title with the site's domain
// after a separator loses it.
std::string strip_site_suffix(std::string text) {
  for (std::string_view sep : {std::string_view(" | "), std::string_view(" - "), std::string_view(" \xE2\x80\x93 ")}) {
    const std::size_t pos = text.rfind(sep);
    if (pos == std::string::npos || pos < 8) {
      continue;
    }
    const std::string_view site = std::string_view(text).substr(pos + sep.size());
    const std::size_t dot = site.find('.');
    if (site.find(' ') == std::string_view::npos && dot != std::string_view::npos && dot > 0 &&
        dot + 2 < site.size() && site.size() <= 30) {
      text.resize(pos);
      return text;
    }
  }
  return text;
}

std::string outlet_at_start(const ExtractionRules& rules, std::string_view text) {
  for (const auto& outlet : rules.outlets) {
    if (text.starts_with(outlet) &&
        (text.size() == outlet.size() || !utf8::is_letter(first_code_point(text.substr(outlet.size()))))) {
      return rules.canonical_outlet(outlet);
    }
  }
  for (const auto& [alias, name] : rules.outlet_aliases) {
    if (text == alias) {
      return name;
    }
  }
  return {};
}

// Maps a byte offset in lower(squeeze_spaces(text)) to the same code point's offset in
// squeeze_spaces(text) (lower-casing keeps code point counts, not byte counts).
std::size_t map_offset(std::string_view lowered, std::size_t pos, std::string_view squeezed) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < pos && i < lowered.size() && j < squeezed.size()) {
    utf8::decode(lowered, i);
    utf8::decode(squeezed, j);
  }
  return j;
}

// The first known outlet named anywhere in `text`, or "".
std::string outlet_in(const ExtractionRules& rules, std::string_view text) {
  std::size_t best = std::string_view::npos;
  std::string name;
  for (const auto& outlet : rules.outlets) {
    const std::size_t pos = find_whole(text, outlet);
    if (pos < best) {
      best = pos;
      name = rules.canonical_outlet(outlet);
    }
  }
  return name;
}

// A set of words as 64-bit hashes (word_hash) in an open-addressing table: no allocation per
// word and no string compares (a collision only nudges a title feature).
class WordHashes {
public:
  // A table for up to `capacity` words.
  explicit WordHashes(std::size_t capacity) {
    std::size_t size = 16;
    while (size < 2 * capacity)
      size *= 2;
    m_slots.assign(size, 0);
  }
  void add(std::string_view w) {
    const std::uint64_t h = hash(w);
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = h & mask;
    while (m_slots[i] != 0 && m_slots[i] != h)
      i = (i + 1) & mask;
    m_slots[i] = h;
  }
  bool contains(std::string_view w) const {
    const std::uint64_t h = hash(w);
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = h & mask;
    while (m_slots[i] != 0) {
      if (m_slots[i] == h) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

private:
  static std::uint64_t hash(std::string_view w) { return word_hash(w); }
  std::vector<std::uint64_t> m_slots;
};

// ---------------------------------------------------------------------------------------
// Front matter

std::string unquote(std::string_view value) {
  value = utf8::trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

std::vector<std::string> split_author_list(std::string_view value) {
  std::string text = unquote(value);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',' || text[i] == ';') {
      std::string name = unquote(std::string_view(text).substr(start, i - start));
      if (!name.empty()) {
        out.push_back(name);
      }
      start = i + 1;
    }
  }
  return out;
}

bool known_front_matter_key(std::string_view key) {
  static constexpr std::string_view k_keys[] = {"title", "date", "published", "source", "author",
                                                "authors", "url", "lang", "language", "dateline",
                                                "byline", "outlet", "link", "published_at"};
  return std::find(std::begin(k_keys), std::end(k_keys), key) != std::end(k_keys);
}

void set_front_matter_field(FrontMatter& fm, const std::string& key, std::string_view raw,
                            const ExtractionRules& rules) {
  const std::string value = unquote(raw);
  if (value.empty()) {
    return;
  }
  if (key == "title") {
    fm.title = value;
  } else if (key == "date" || key == "published" || key == "published_at") {
    if (auto date = parse_date_value(value, rules)) {
      fm.date = *date;
    }
  } else if (key == "source" || key == "outlet") {
    fm.source = value;
  } else if (key == "author" || key == "authors" || key == "byline") {
    for (auto& name : split_author_list(value)) {
      fm.authors.push_back(std::move(name));
    }
  } else if (key == "url" || key == "link") {
    fm.url = value;
  } else if (key == "lang" || key == "language") {
    fm.lang = utf8::lower(value);
  } else if (key == "dateline") {
    fm.dateline = value;
  }
}

// Splits "Key: value"; false when the line is not of that shape.
bool split_key_value(std::string_view line, std::string& key, std::string_view& value) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) {
    return false;
  }
  key = utf8::lower(utf8::trim(line.substr(0, colon)));
  value = line.substr(colon + 1);
  return true;
}

// Parses a front-matter block at the top of `lines`; returns the index of the first line
// after it (0 when there is none).
std::size_t parse_front_matter(const std::vector<std::string_view>& lines, FrontMatter& fm,
                               const ExtractionRules& rules) {
  std::size_t first = 0;
  while (first < lines.size() && utf8::trim(lines[first]).empty()) {
    ++first;
  }
  if (first >= lines.size()) {
    return 0;
  }
  if (utf8::trim(lines[first]) == "---") {
    for (std::size_t end = first + 1; end < lines.size() && end < first + 80; ++end) {
      if (utf8::trim(lines[end]) != "---" && utf8::trim(lines[end]) != "...") {
        continue;
      }
      std::string list_key;
      for (std::size_t i = first + 1; i < end; ++i) {
        const std::string_view line = utf8::trim(lines[i]);
        if (line.starts_with("- ") && !list_key.empty()) {
          set_front_matter_field(fm, list_key, line.substr(2), rules);
          continue;
        }
        std::string key;
        std::string_view value;
        if (split_key_value(line, key, value)) {
          list_key = utf8::trim(value).empty() ? key : std::string();
          set_front_matter_field(fm, key, value, rules);
        }
      }
      return end + 1;
    }
    return 0;
  }
  std::size_t i = first;
  int known = 0;
  bool strong = false;
  while (i < lines.size()) {
    const std::string_view line = utf8::trim(lines[i]);
    std::string key;
    std::string_view value;
    if (line.empty() || !split_key_value(line, key, value) || !known_front_matter_key(key) ||
        utf8::trim(value).empty()) {
      break;
    }
    ++known;
    strong = strong || key == "title" || key == "date" || key == "published" || key == "url";
    ++i;
  }
  if (known == 0 || (known < 2 && !strong)) {
    return 0;
  }
  for (std::size_t k = first; k < i; ++k) {
    std::string key;
    std::string_view value;
    split_key_value(utf8::trim(lines[k]), key, value);
    set_front_matter_field(fm, key, value, rules);
  }
  return i;
}

// ---------------------------------------------------------------------------------------
// The extraction of one page

class PageExtractor {
public:
  PageExtractor(const ExtractionRules& rules, const PageInput& page, const ExtractOptions& options,
                std::vector<ParagraphTrace>* trace = nullptr)
    : m_rules(rules), m_page(page), m_options(options), m_trace(trace) {}

  Article run();

private:
  void build_paragraphs(const std::vector<std::string_view>& lines, std::size_t first);
  void classify(Paragraph& p) const;
  void find_wire_header();
  void select_body();
  void choose_range(double shift);
  void widen_body();
  double learned_score(const Paragraph& p, bool repeated, ParagraphTrace* trace) const;
  void strip_inline_dateline();
  void find_title();
  void find_authors();
  bool parse_byline(std::string_view text, std::vector<std::string>& names, bool allow_single,
                    bool allow_handle = false) const;
  std::vector<std::string> byline_at(std::size_t k, bool anywhere) const;
  std::vector<std::string> glued_byline(const Paragraph& p) const;
  std::vector<std::string> name_beside_date(const Paragraph& p, bool given_name_only) const;
  bool words_in_story(std::string_view name, const Paragraph* except) const;
  std::string name_after_given_name(std::size_t k) const;
  bool subject_of_headline(std::string_view name) const;
  bool named_in_text_below(std::string_view name, std::size_t k) const;
  bool written_lower_case(std::string_view name) const;
  std::string repeated_name(std::size_t k) const;
  std::string given_name_prefix(const std::string& text, const Paragraph* except) const;
  bool valid_name(std::string_view name, bool allow_single = false, bool allow_handle = false) const;
  bool known_first_name(std::string_view lowered) const;
  void find_bio_author();
  struct DateReader;
  DateReader date_reader() const;
  void find_date();
  void find_source();
  void extend_body_start();
  void assemble_body();
  void apply_metadata(const FrontMatter& fm);
  void apply_sidecar();

  bool is_byline(const Paragraph& p) const;
  bool comment_header(const Paragraph& p) const;
  bool left_out(std::size_t k) const;
  bool comment_marker(const Paragraph& p) const;
  std::size_t table_of_contents(std::size_t begin, std::size_t end) const;
  std::unordered_map<std::string_view, std::size_t, StringHash> subheadings(std::size_t begin,
                                                                            std::size_t end) const;
  void skip_inner_table_of_contents(std::size_t begin, std::size_t end);
  std::size_t comment_thread_start() const;
  bool is_date_line(const Paragraph& p) const;
  bool is_byline_text(const Paragraph& p) const;

  const ExtractionRules& m_rules;
  const PageInput& m_page;
  const ExtractOptions& m_options;
  std::vector<ParagraphTrace>* m_trace; // Extractor::explain's record, or null
  std::vector<Paragraph> m_paras;
  // The first comment header ("45 Gedanken zu ...") and the first comment thread without one,
  // m_paras.size() when there is none.
  std::size_t m_comment_header = 0;
  std::size_t m_comment_thread = 0;
  std::size_t m_body_begin = 0;  // paragraph range of the story
  std::size_t m_body_end = 0;
  std::optional<std::size_t> m_title_index;
  // The headline-like line nearest the story, where bylines and date lines are looked for:
  // the title itself unless a page title far above won.
  std::optional<std::size_t> m_anchor_index;
  std::string m_first_paragraph;  // first body paragraph after dateline stripping
  std::size_t m_first_index = static_cast<std::size_t>(-1);  // the paragraph it replaces
  std::vector<bool> m_skip;  // paragraphs inside the body range that are left out
  Article m_article;
};

void PageExtractor::build_paragraphs(const std::vector<std::string_view>& lines, std::size_t first) {
  // w3m-style dumps wrap paragraphs at a fixed width: detect it and join wrapped lines.
  // A few lines may stick out past the wrap column (a long URL, emoji counted wide): the
  // column is then the widest of the others, when many lines come close to it.
  // A line that sticks out because of one unbreakable word (a link, a slug of 40 bytes or
  // more) says little about the column: the renderer had nowhere to break it.
  constexpr int k_max_wrap_width = 100;
  constexpr std::size_t k_unbreakable_word = 40;
  constexpr int k_min_continued_width = 60;
  int max_width = 0;
  int widest_fitting = 0;
  std::vector<int> widths;
  std::vector<std::size_t> wide_lines;
  for (std::size_t i = first; i < lines.size(); ++i) {
    if (lines[i].size() >= 60) {
      const int width = utf8::display_width(lines[i]);
      max_width = std::max(max_width, width);
      if (width <= k_max_wrap_width) {
        widest_fitting = std::max(widest_fitting, width);
      } else {
        wide_lines.push_back(i);
      }
      widths.push_back(width);
    }
  }
  if (max_width > k_max_wrap_width && widest_fitting >= 60) {
    const auto close = std::count_if(widths.begin(), widths.end(), [&](int width) {
      return width <= widest_fitting && width * 10 >= widest_fitting * 9;
    });
    std::ptrdiff_t over = 0; // every line wider than k_max_wrap_width is wider than widest_fitting
    for (const std::size_t i : wide_lines) {
      const std::string_view line = lines[i];
      std::size_t longest = 0;
      for (std::size_t start = 0; start < line.size();) {
        std::size_t end = line.find(' ', start);
        if (end == std::string_view::npos) end = line.size();
        longest = std::max(longest, end - start);
        start = end + 1;
      }
      if (longest < k_unbreakable_word) ++over;
    }
    if (close >= 10 && over * 10 <= close) max_width = widest_fitting;
  }
  const bool wrapped = max_width >= 60 && max_width <= k_max_wrap_width;

  bool blank = true;
  Paragraph current;
  bool open = false;
  int current_width = 0;
  auto flush = [&]() {
    if (open) {
      classify(current);
      m_paras.push_back(std::move(current));
      current = Paragraph{};
      open = false;
    }
  };
  for (std::size_t i = first; i < lines.size(); ++i) {
    std::string_view line = utf8::trim(lines[i]);
    if (line.empty()) {
      flush();
      blank = true;
      continue;
    }
    const char32_t first_cp = first_code_point(line);
    const bool bullet = is_bullet(first_cp) && (line.size() <= 3 || line[first_cp < 0x80 ? 1 : (first_cp < 0x800 ? 2 : 3)] == ' ');
    if (open && wrapped && !bullet) {
      // Would the first word of this line have fit on the previous one?
      const std::size_t space = line.find(' ');
      const int word_width = utf8::display_width(line.substr(0, space));
      if (current_width + 1 + word_width > max_width && current_width >= max_width * 6 / 10) {
        current.text += ' ';
        current.text += line;
        current_width = utf8::display_width(lines[i]);
        continue;
      }
    }
    // A line that starts with a word in lower case under a long line without final
    // punctuation continues it, whatever the column (a narrow text beside wider ones).
    if (open && !bullet && !current.list_item && current_width >= k_min_continued_width &&
        utf8::is_lower(first_code_point(line)) && lower_case_word_start(line)) {
      const char32_t last = last_code_point(current.text);
      if (last != '.' && last != '!' && last != '?' && last != ':' && last != ';') {
        current.text += ' ';
        current.text += line;
        current_width = utf8::display_width(lines[i]);
        continue;
      }
    }
    flush();
    current.blank_before = blank;
    blank = false;
    current.list_item = bullet;
    if (bullet) {
      std::size_t k = 0;
      utf8::decode(line, k);
      line = utf8::trim(line.substr(k));
    }
    current.text = std::string(line);
    current_width = utf8::display_width(lines[i]);
    open = true;
  }
  flush();
}

void PageExtractor::classify(Paragraph& p) const {
  p.lower = utf8::lower_squeezed(p.text);
  p.words = count_words(p.text, &p.counts);
  p.sentence = ends_like_sentence(p.text);
  p.dates = find_dates(p.text, m_rules);
  p.bracketed = p.text.front() == '[' && p.text.back() == ']';
  const std::string_view bare = strip_outer_punct(p.lower);
  if (m_rules.line_equals.count(std::string(bare)) > 0 || (bare.empty() && p.words == 0) ||
      looks_like_code(p.text, p.counts.chunks)) {
    p.boiler = true;
  }
  if ((p.words <= m_rules.max_words_contains && m_rules.line_contains.contains_in(p.lower)) ||
      (p.words <= m_rules.max_words_label && m_rules.label_contains.contains_in(p.lower))) {
    p.boiler = true;
    p.appeal = true;
  }
  if (p.words <= 12 && m_rules.line_starts.starts(p.lower)) {
    p.boiler = true;
  }
  if ((p.words <= 12 && m_rules.end_markers.starts(bare)) || m_rules.end_markers_any.starts(p.lower)) {
    p.end_marker = true;
    p.boiler = true;
    // "© Jane Doe / dpa" under a photo inside the story: an image credit, no copyright line.
    std::size_t after_first = 0;
    utf8::decode(p.lower, after_first);
    if (p.words <= 10 && m_rules.image_credit_prefixes.starts(p.lower) && !has_year(p.lower) &&
        !m_rules.end_markers_any.contains_in(std::string_view(p.lower).substr(after_first))) {
      p.end_marker = false;
    }
  }
  // Breadcrumbs: "Start » Blog » Headline", "Home > News > Headline".
  const auto has_byte = [&](char c) { return std::memchr(p.text.data(), c, p.text.size()) != nullptr; };
  if (p.words <= 30 && (has_byte('>') || has_byte('\xBB') || has_byte('\xBA'))) {
    int crumbs = 0;
    for (std::string_view sep : {std::string_view(" \xC2\xBB "), std::string_view(" \xE2\x80\xBA "), std::string_view(" > ")}) {
      for (std::size_t pos = p.text.find(sep); pos != std::string::npos; pos = p.text.find(sep, pos + 1)) ++crumbs;
    }
    if (crumbs >= 2) p.boiler = true;
  }
  // "Name Surname / Agency" photo credits
  if (p.words <= 8 && !p.sentence && p.text.find(" / ") != std::string::npos) {
    p.credit = true;
  }
}

void PageExtractor::find_wire_header() {
  // "Hong Kong" / "CNN" / "—" before the story, or "CNN" / "—".
  for (std::size_t i = 0; i + 1 < m_paras.size() && i < 400; ++i) {
    if (!only_dashes(m_paras[i + 1].text) || m_paras[i].words > 4) {
      continue;
    }
    const std::string outlet = outlet_at_start(m_rules, m_paras[i].text);
    if (outlet.empty() || outlet.size() + 2 < m_paras[i].text.size()) {
      continue;
    }
    if (i + 2 >= m_paras.size() || m_paras[i + 2].words < 10) {
      continue;
    }
    m_paras[i].header = m_paras[i + 1].header = true;
    m_article.source = outlet;
    if (i > 0 && m_paras[i - 1].words <= 4 && !m_paras[i - 1].sentence && !m_paras[i - 1].boiler &&
        utf8::is_upper(first_code_point(m_paras[i - 1].text))) {
      m_paras[i - 1].header = true;
      m_article.dateline = m_paras[i - 1].text;
    }
    return;
  }
}

// The learned part of a paragraph's story score (rules/body_model.json): an offset, the
// weighted paragraph features of k_body_features, and the weights of the paragraph's tokens
// found in the model's table, summed and divided by the square root of their number. Fitted
// as a logistic regression of "story paragraph" on these features with the hand-set score as
// an input (see data/rules/README.md), so that it corrects the hand-set score rather than
// replacing it.
// With `trace`, its features and every token of the paragraph (not only those in the table)
// are recorded there.
double PageExtractor::learned_score(const Paragraph& p, bool repeated,
                                    ParagraphTrace* trace) const {
  // Tokens: runs of letters and digits in the lower-cased text, of two code points or more
  // and not all digits.
  int stopwords = 0;
  int known = 0;
  double weights = 0;
  // The table's slots are fetched for a run of tokens at once, then looked up in order
  // (most look-ups would otherwise wait on memory one after another).
  constexpr std::size_t k_run = 32;
  std::uint64_t run[k_run];
  std::size_t in_run = 0;
  const auto look_up_run = [&] {
    for (std::size_t k = 0; k < in_run; ++k) {
      const BodyToken* token = m_rules.body_tokens.find_hash(run[k]);
      if (!token) continue;
      stopwords += token->stopword ? 1 : 0;
      if (token->in_model) {
        ++known;
        weights += token->weight;
      }
    }
    in_run = 0;
  };
  const std::string_view text = p.lower;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    int code_points = 0;
    bool all_digits = true;
    while (i < text.size()) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte < 0x80) {
        const bool digit = byte >= '0' && byte <= '9';
        if (!digit && (byte < 'a' || byte > 'z')) break;
        all_digits = all_digits && digit;
        ++i;
      } else {
        std::size_t next = i;
        const utf8::CharKind kind = utf8::kind(utf8::decode(text, next));
        if (kind == utf8::CharKind::other) break;
        all_digits = all_digits && kind == utf8::CharKind::digit;
        i = next;
      }
      ++code_points;
    }
    if (i == start) {
      utf8::decode(text, i); // a separator
      continue;
    }
    if (code_points < 2 || all_digits) continue;
    if (trace) trace->tokens.emplace_back(text.substr(start, i - start));
    const std::uint64_t hash = BodyTokenTable::hash(text.substr(start, i - start));
    m_rules.body_tokens.prefetch(hash);
    run[in_run++] = hash;
    if (in_run == k_run) look_up_run();
  }
  look_up_run();
  const CharCounts& c = p.counts;
  const auto share = [](int part, int whole) {
    return whole > 0 ? static_cast<double>(part) / whole : 0.0;
  };
  const double features[] = {
      share(c.nonspace - c.letters - c.digits, c.nonspace),
      share(c.upper, c.letters),
      share(c.digits, c.nonspace),
      share(c.capitalised, c.chunks),
      repeated ? 1.0 : 0.0,
      last_code_point(p.text) == ':' ? 1.0 : 0.0,
      utf8::is_lower(first_code_point(p.text)) ? 1.0 : 0.0,
      std::min(1.0, share(stopwords, p.words)),
      p.words >= 6 && stopwords == 0 ? 1.0 : 0.0,
  };
  static_assert(std::size(features) == k_body_features.size());
  if (trace) trace->features.assign(std::begin(features), std::end(features));
  double score = m_rules.body_offset;
  for (std::size_t k = 0; k < std::size(features); ++k) {
    score += m_rules.body_feature_weights[k] * features[k];
  }
  if (known > 0) {
    score += weights / std::sqrt(static_cast<double>(known));
  }
  return score;
}

void PageExtractor::select_body() {
  // A paragraph's story score: hand-set by its kind and length, plus the learned correction.
  // Paragraphs whose text the page holds more than once.
  std::unordered_map<std::string_view, int, StringHash> copies;
  for (const Paragraph& p : m_paras)
    ++copies[p.lower];
  for (std::size_t k = 0; k < m_paras.size(); ++k) {
    Paragraph& p = m_paras[k];
    double s = 0;
    if (p.header) {
      s = -3;
    } else if (p.boiler) {
      s = p.appeal ? -3 : -1.2;
    } else if (p.bracketed) {
      s = -0.5;
    } else if (p.list_item) {
      s = (p.sentence && p.words >= 12) ? 0.5 : (p.words >= 6 ? -0.3 : -0.7);
    } else if (p.sentence && p.words >= 10) {
      s = std::min(p.words, 80) / 8.0;
    } else if (p.words >= 25) {
      s = std::min(p.words, 80) / 12.0;  // long text without final punctuation
    } else if (p.sentence && p.words >= 5) {
      s = 0.5;
    } else if (p.words <= 4) {
      s = -0.45;
    } else {
      s = -0.2;
    }
    if (m_trace) {
      ParagraphTrace& trace = m_trace->emplace_back();
      trace.text = p.text;
      trace.rule_score = s;
      trace.words = p.words;
      for (const auto& [flag, letter] : {std::pair{p.boiler, 'b'},
                                         {p.end_marker, 'e'},
                                         {p.list_item, 'l'},
                                         {p.sentence, 's'},
                                         {p.blank_before, 'n'},
                                         {p.header, 'h'},
                                         {!p.dates.empty(), 'd'}}) {
        if (flag) trace.kind += letter;
      }
      p.score = s + learned_score(p, copies[p.lower] > 1, &trace);
      trace.score = p.score;
    } else {
      p.score = s + learned_score(p, copies[p.lower] > 1, nullptr);
    }
  }
  m_comment_header = m_paras.size();
  for (std::size_t i = 0; i < m_paras.size(); ++i) {
    if (comment_header(m_paras[i])) {
      m_comment_header = i;
      break;
    }
  }
  m_comment_thread = comment_thread_start();
  choose_range(0);
}

// The story's range [m_body_begin, m_body_end) and m_skip, from the paragraphs' scores plus
// `shift`: the best run, the story before reader comments or a table of contents, captions
// and a list closing it, without a headline opening it.
void PageExtractor::choose_range(double shift) {
  // The best-scoring run of paragraphs from `start` to before `stop`, runs ending at end
  // markers.
  struct Run {
    double sum = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  auto best_run = [&](std::size_t stop, std::size_t start = 0) {
    Run best;
    double sum = 0;
    std::size_t begin = start;
    for (std::size_t i = start; i < stop; ++i) {
      if (m_paras[i].end_marker) {
        sum = 0;
        begin = i + 1;
        continue;
      }
      if (sum <= 0) {
        sum = 0;
        begin = i;
      }
      sum += m_paras[i].score + shift;
      if (sum > best.sum) {
        best = Run{sum, begin, i + 1};
      }
    }
    return best;
  };
  Run run = best_run(m_paras.size());
  // Reader comments come after the story: a fair run before the first comment header ("45
  // Gedanken zu ...", "Leave a reply") or, failing that, before the first comment thread
  // is the story, however long the discussion.
  const std::size_t header = m_comment_header;
  const std::size_t thread = m_comment_thread;
  for (const std::size_t start : {std::min(header, thread), std::max(header, thread)}) {
    if (start >= m_paras.size()) break;
    const Run before = best_run(start);
    if (before.sum >= 3 && before.sum >= k_comment_story_share * run.sum) {
      run = before;
      break;
    }
  }
  // A table of contents above the run (list items that come again as its subheadings) stands
  // between the story's introduction and its sections: a fair run at most
  // k_toc_intro_distance paragraphs above the contents is the story's start; the contents
  // and whatever else stands between are left out, except the sections the contents name
  // that stand above the run: from the first such subheading to an end marker (a box of
  // links between two sections).
  m_skip.assign(m_paras.size(), false);
  if (const std::size_t toc = table_of_contents(run.begin, run.end); toc < run.begin) {
    const Run intro = best_run(toc, toc > k_toc_intro_distance ? toc - k_toc_intro_distance : 0);
    if (intro.sum >= 3) {
      std::unordered_set<std::string_view> named; // the whole list the contents are part of
      std::size_t toc_begin = toc;
      while (toc_begin > intro.end && m_paras[toc_begin - 1].list_item)
        --toc_begin;
      std::size_t after_toc = toc_begin;
      for (; after_toc < run.begin && m_paras[after_toc].list_item; ++after_toc)
        named.insert(m_paras[after_toc].lower);
      std::size_t section = run.begin;
      for (std::size_t k = after_toc; k < run.begin && section == run.begin; ++k) {
        if (!m_paras[k].list_item && named.count(m_paras[k].lower) > 0) section = k;
      }
      for (std::size_t k = intro.end; k < run.begin; ++k)
        m_skip[k] = true;
      for (std::size_t k = section; k < run.begin && !m_paras[k].end_marker; ++k)
        m_skip[k] = false;
      run.begin = intro.begin;
    }
  } else {
    skip_inner_table_of_contents(run.begin, run.end);
  }
  std::size_t best_begin = run.begin;
  std::size_t best_end = run.end;
  // The story may end with captions and credits in the same block (no blank line).
  while (best_end > best_begin && best_end < m_paras.size()) {
    const Paragraph& p = m_paras[best_end];
    if (p.blank_before || p.boiler || p.end_marker || p.list_item || p.header) {
      break;
    }
    ++best_end;
  }
  // "Meine liebsten Orte:" closing the run: the list under it belongs to the story.
  if (best_end > best_begin && best_end < m_paras.size() &&
      last_code_point(m_paras[best_end - 1].text) == ':') {
    for (int items = 0; items < 15 && best_end < m_paras.size(); ++items, ++best_end) {
      const Paragraph& p = m_paras[best_end];
      if (p.boiler || p.end_marker || p.header || p.bracketed || p.words < 2 || p.words > 30 ||
          !p.dates.empty()) {
        break;
      }
    }
  }
  // A question or exclamation headline can open the best run: it is no story paragraph.
  if (best_end - best_begin >= 2) {
    const Paragraph& first = m_paras[best_begin];
    const char32_t last = last_code_point(first.text);
    if (first.words < 15 && last != '.' && last != ':' && last != 0x201D && last != '"' &&
        !first.list_item && m_paras[best_begin + 1].words >= 10) {
      ++best_begin;
    }
  }
  m_body_begin = best_begin;
  m_body_end = best_end;
}

void PageExtractor::strip_inline_dateline() {
  if (m_body_begin >= m_body_end) {
    return;
  }
  Paragraph& p = m_paras[m_body_begin];
  const std::string_view text = p.text;
  // Find " – " / " — " / " - " within the first 80 bytes.
  std::size_t dash_begin = std::string_view::npos;
  std::size_t dash_end = 0;
  std::size_t i = 0;
  while (i < text.size() && i < 90) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_dash(cp) && start > 0 && text[start - 1] == ' ' && i < text.size() && text[i] == ' ') {
      dash_begin = start;
      dash_end = i + 1;
      break;
    }
  }
  if (dash_begin == std::string_view::npos) {
    return;
  }
  std::string_view prefix = utf8::trim(text.substr(0, dash_begin));
  std::string agency;
  if (!prefix.empty() && prefix.back() == ')') {
    const std::size_t open = prefix.rfind('(');
    if (open == std::string_view::npos) {
      return;
    }
    agency = std::string(prefix.substr(open + 1, prefix.size() - open - 2));
    prefix = utf8::trim(prefix.substr(0, open));
  }
  const std::size_t comma = prefix.find(',');
  std::string_view place = utf8::trim(prefix.substr(0, comma));
  const auto words = split_words(place);
  if (words.empty() || words.size() > 4) {
    return;
  }
  bool caps = true;
  for (auto w : words) {
    caps = caps && all_caps_word(w);
  }
  if (!caps && agency.empty()) {
    return;
  }
  if (!utf8::is_upper(first_code_point(place))) {
    return;
  }
  if (!agency.empty()) {
    const std::string outlet = outlet_at_start(m_rules, agency);
    if (outlet.empty() && !all_caps_word(agency)) {
      return;
    }
    if (!m_article.source) {
      m_article.source = outlet.empty() ? agency : outlet;
    }
  }
  if (!m_article.dateline) {
    m_article.dateline = std::string(place);
  }
  m_first_paragraph = std::string(utf8::trim(text.substr(dash_end)));
  m_first_index = m_body_begin;
}

// The first item of a table of contents in the 40 paragraphs above paragraph `begin`: at
// least three list items whose text comes again as a paragraph of its own (a subheading) in
// [begin, end). `begin` when there is none.
std::size_t PageExtractor::table_of_contents(std::size_t begin, std::size_t end) const {
  constexpr std::size_t k_toc_window = 40;
  const std::size_t from = begin > k_toc_window ? begin - k_toc_window : 0;
  int items = 0;
  for (std::size_t k = from; k < begin; ++k)
    items += m_paras[k].list_item ? 1 : 0;
  if (items < k_toc_items) return begin;
  const auto headings = subheadings(begin, end);
  std::size_t first = begin;
  int found = 0;
  for (std::size_t k = from; k < begin; ++k) {
    if (m_paras[k].list_item && headings.count(m_paras[k].lower) > 0) {
      first = std::min(first, k);
      ++found;
    }
  }
  return found >= k_toc_items ? first : begin;
}

// The paragraphs of [begin, end) that may be subheadings a table of contents names (not list
// items, not empty), by lower-cased text, with the index of the last of each text.
std::unordered_map<std::string_view, std::size_t, StringHash>
PageExtractor::subheadings(std::size_t begin, std::size_t end) const {
  std::unordered_map<std::string_view, std::size_t, StringHash> headings;
  for (std::size_t k = begin; k < end; ++k) {
    if (!m_paras[k].list_item && m_paras[k].words > 0) headings[m_paras[k].lower] = k;
  }
  return headings;
}

// A table of contents inside the story [begin, end): at least three list items whose text
// comes again below them as a paragraph of its own (a subheading). The list items from the
// first to the last of them and the short lines right above them ("Contents") are left out.
void PageExtractor::skip_inner_table_of_contents(std::size_t begin, std::size_t end) {
  const auto headings = subheadings(begin, end);
  std::size_t first = end;
  std::size_t last = begin;
  int found = 0;
  for (std::size_t k = begin; k < end; ++k) {
    if (!m_paras[k].list_item) continue;
    const auto it = headings.find(m_paras[k].lower);
    if (it != headings.end() && it->second > k) {
      first = std::min(first, k);
      last = k;
      ++found;
    }
  }
  if (found < k_toc_items) return;
  for (std::size_t k = first; k <= last; ++k) {
    m_skip[k] = m_skip[k] || m_paras[k].list_item;
  }
  for (std::size_t k = first; k > begin && m_paras[k - 1].words <= 4 && !m_paras[k - 1].sentence &&
                              !m_paras[k - 1].list_item;
       --k) {
    m_skip[k - 1] = true;
  }
}

// A short line heading or closing a reader comment: "Jane says:", "Reply", or a date with a
// clock time ("14. 01. 2020, 13:47", "May 8, 2025 at 1:46 pm") that is not an embedded
// post's signature ("— Jane Doe (@janedoe) May 8, 2025").
bool PageExtractor::comment_marker(const Paragraph& p) const {
  if (p.words <= 8 && m_rules.comment_markers.contains_in(p.lower)) {
    return true;
  }
  if (!is_date_line(p) || p.text.find("(@") != std::string::npos) {
    return false;
  }
  return has_clock_time(p.text);
}

// The first paragraph of a reader comment thread without a header: comment markers at most
// k_comment_gap paragraphs apart, no end marker between them, with story-like text between
// at least three pairs of them. m_paras.size() when there is none.
std::size_t PageExtractor::comment_thread_start() const {
  constexpr std::size_t k_comment_gap = 12;
  constexpr int k_comments_needed = 3;
  std::size_t chain_start = m_paras.size();
  std::size_t last = m_paras.size();
  int comments = 0;
  bool text = false;
  bool ended = false;
  for (std::size_t i = 0; i < m_paras.size(); ++i) {
    const Paragraph& p = m_paras[i];
    if (comment_marker(p)) {
      if (last < m_paras.size() && i - last <= k_comment_gap && !ended) {
        comments += text ? 1 : 0;
        if (comments >= k_comments_needed) return chain_start;
      } else {
        chain_start = i;
        comments = 0;
      }
      last = i;
      text = false;
      ended = false;
      continue;
    }
    text = text || p.score > 0;
    ended = ended || (p.end_marker && !comment_header(p));
  }
  return m_paras.size();
}

// "45 Gedanken zu „Headline“", "12 comments", "Leave a reply".
bool PageExtractor::comment_header(const Paragraph& p) const {
  if (p.words > 10 || p.words == 0) {
    return false;
  }
  if (m_rules.comment_headers.starts(p.lower)) {
    return true;
  }
  if (p.lower.empty() || p.lower[0] < '0' || p.lower[0] > '9') {
    return false;
  }
  const auto words = split_words(p.lower);
  return words.size() >= 2 && std::all_of(words[0].begin(), words[0].end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         m_rules.comment_count_words.count(std::string(strip_outer_punct(words[1]))) > 0;
}

bool PageExtractor::is_byline(const Paragraph& p) const {
  if (p.words > 20) {
    return false;
  }
  const std::string_view cue = m_rules.byline_cues.longest_prefix(p.lower);
  return !cue.empty();
}

bool PageExtractor::is_byline_text(const Paragraph& p) const {
  if (is_byline(p)) {
    return true;
  }
  return p.lower.find(" by ") != std::string::npos || p.lower.find(" von ") != std::string::npos;
}

bool PageExtractor::is_date_line(const Paragraph& p) const {
  if (p.words > 14) {
    return false;
  }
  for (const auto& d : p.dates) {
    if (d.date.day != 0) {
      return true;
    }
  }
  return false;
}

// The title ranker's weights, one per feature in the order find_title lists them: a softmax
// regression fitted on trafilatura-eval's annotated titles (see find_title). Refitting after
// later changes to the body and boilerplate rules gained nothing on held-out halves.
constexpr double k_title_weights[] = {
    1.05, 0.38, 0.13, -0.07, -0.17, -0.28, 1.14, 0.88, 0.86, -0.09, 0.76, 1.29, -0.34, -0.25, -0.10, 0.46,
    0.69, -0.06, -0.62, -0.65, -0.32, 0.12, -0.43, 0.14, -0.43, -0.18, -0.19, 0.65, -0.21, -0.56, 0.41, 1.50,
    -0.11, -0.59, 0.12, -0.18};

void PageExtractor::find_title() {
  if (m_body_begin >= m_body_end) {
    return;
  }
  struct Candidate {
    std::size_t index;
    double score;    // hand-set evidence, also used for the anchor
    double learned;  // the title score
    int rank;
  };
  std::vector<Candidate> candidates;
  // Content words of the story's first paragraphs and of its first 40: a headline shares
  // many of them. Views into the paragraphs' lower-cased text.
  // A word of four bytes or more and the space after it take five: tables for that many.
  const std::size_t story_end = std::min(m_body_end, m_body_begin + 40);
  const std::size_t lead_end = std::min(story_end, m_body_begin + 4);
  std::size_t lead_bytes = 0;
  std::size_t story_bytes = 0;
  for (std::size_t k = m_body_begin; k < story_end; ++k) {
    story_bytes += m_paras[k].lower.size() + 1;
    if (k < lead_end) lead_bytes += m_paras[k].lower.size() + 1;
  }
  WordHashes lead_words(lead_bytes / 5);
  WordHashes story_words(story_bytes / 5);
  for (std::size_t k = m_body_begin; k < story_end; ++k) {
    for_each_word(m_paras[k].lower, [&](std::string_view w) {
      w = strip_outer_punct(w);
      if (w.size() < 4) return;
      story_words.add(w);
      if (k < lead_end) lead_words.add(w);
    });
  }
  auto contains = [](const WordHashes& words, std::string_view w) { return words.contains(w); };
  // Shares of a line's content words among the lead's, the story's and the next line's.
  struct Overlaps {
    double lead = 0;
    double story = 0;
    double next = 0;
  };
  auto overlaps = [&](std::size_t k) {
    int total = 0;
    int lead = 0;
    int story = 0;
    int next = 0;
    const std::string_view next_text = k + 1 < m_paras.size() ? std::string_view(m_paras[k + 1].lower) : "";
    for_each_word(m_paras[k].lower, [&](std::string_view w) {
      w = strip_outer_punct(w);
      if (w.size() < 4) return;
      ++total;
      lead += contains(lead_words, w) ? 1 : 0;
      story += contains(story_words, w) ? 1 : 0;
      next += find_whole(next_text, w) != std::string_view::npos ? 1 : 0;
    });
    Overlaps o;
    if (total > 0) {
      o.lead = static_cast<double>(lead) / std::max(total, 4);
      o.story = static_cast<double>(story) / std::max(total, 3);
      o.next = static_cast<double>(next) / std::max(total, 3);
    }
    return o;
  };
  int rank = 0;
  // Page titles can sit far above the story (menus, lead images, teasers in between); a
  // headline can also open the best run when the lines above it scored well.
  const std::size_t window_start = m_body_begin > 120 ? m_body_begin - 120 : 0;
  std::vector<std::size_t> order;
  for (std::size_t k = std::min(m_body_end, m_body_begin + 4); k-- > m_body_begin;) order.push_back(k);
  for (std::size_t k = m_body_begin; k-- > window_start;) order.push_back(k);
  for (const std::size_t k : order) {
    const Paragraph& p = m_paras[k];
    const bool inside = k >= m_body_begin;
    // Inside the run a headline is short and followed by story text; the run's first
    // paragraph may also be a long or full-stop headline, or one over a short line, when it
    // stands alone (blank lines around it) and carries no dateline.
    const bool story_like = inside && (p.words > 16 || last_code_point(p.text) == '.' ||
                                       k + 1 >= m_body_end || m_paras[k + 1].words < 10);
    const bool run_opener = story_like && k == m_body_begin && p.words <= 30 &&
                            last_code_point(p.text) != ':' && p.blank_before &&
                            k + 1 < m_paras.size() && m_paras[k + 1].blank_before &&
                            k != m_first_index;
    if (story_like && !run_opener) {
      continue;
    }
    if (p.end_marker && p.appeal) {
      continue;
    }
    if (p.boiler || p.header || p.list_item || p.bracketed || p.credit || comment_header(p)) {
      continue;
    }
    if (p.words < 1 || p.words > 30 || is_date_line(p) || !byline_at(k, false).empty()) {
      continue;
    }
    const char32_t last = last_code_point(p.text);
    if (last == '.' && p.words > 8 && !run_opener) {
      continue;  // a standfirst or lead sentence
    }
    rank += inside ? 0 : 1;
    if (letter_share(p.text) < 0.5) {
      continue;
    }
    if (p.text.find('[') != std::string::npos && p.text.find(']') != std::string::npos) {
      continue;  // form fields, image placeholders
    }
    // Hand-set evidence. No preference for the line nearest the story: page titles often
    // sit above a lead image, a standfirst or a kicker.
    double score = inside ? -4.0 : 1.0;  // inside the run: a title only by the learned score
    const bool one_word = p.words == 1;
    const bool short_line = p.words >= 2 && p.words <= 16;
    const bool long_line = p.words > 22;
    score += one_word ? -0.8 : (short_line ? 0.5 : (long_line ? -0.5 : 0.0));
    const bool open_end = last == ':' || last == ',';
    score -= open_end ? 1.0 : 0.0;
    const bool pipe = p.text.find('|') != std::string::npos;
    score -= pipe ? 0.3 : 0.0;
    bool meta_below = false;
    for (std::size_t j = k + 1; j < std::min(k + 5, m_body_begin + 1); ++j) {
      if (j < m_paras.size() && (is_byline(m_paras[j]) || is_date_line(m_paras[j]))) {
        meta_below = true;
        break;
      }
    }
    score += meta_below ? 0.5 : 0.0;
    // Repeated once or twice (breadcrumb, page title) lines are likely the headline; site
    // names repeat everywhere.
    int repeats = 0;
    for (std::size_t j = 0; j < m_paras.size() && p.words >= 3 && repeats < 3; ++j) {
      if (j != k && m_paras[j].lower.size() >= p.lower.size() && m_paras[j].lower.ends_with(p.lower)) {
        ++repeats;
      }
    }
    const bool repeated = repeats >= 1 && repeats <= 2;
    score += repeated ? 0.5 : 0.0;
    const bool credit_like = p.text.front() == '(' || (p.words <= 3 && valid_name(utf8::squeeze_spaces(p.text)));
    score -= credit_like ? 0.35 : 0.0;  // credits, author names
    // Headlines stand alone: a blank line before and after.
    const bool blank_after = k + 1 < m_paras.size() && m_paras[k + 1].blank_before;
    score += p.blank_before ? 0.3 : -0.3;
    score += blank_after ? 0.2 : 0.0;
    const bool lower_start = utf8::is_lower(first_code_point(p.text));
    score -= lower_start ? 0.8 : 0.0;
    // Breadcrumbs ("Home » News » Story") and previous/next links ("← Older post").
    const bool breadcrumb = p.text.find(" \xC2\xBB ") != std::string::npos ||
                            p.text.find(" \xE2\x80\xBA ") != std::string::npos || p.text.find(" > ") != std::string::npos;
    score -= breadcrumb ? 1.0 : 0.0;
    const bool arrow = first_code_point(p.text) == 0x2190 || last == 0x2192;
    score -= arrow ? 1.0 : 0.0;
    const Overlaps shared = overlaps(k);
    score += 1.5 * shared.lead;

    // The title score: a softmax ranker over these and the features below, fitted on
    // trafilatura's evaluation pages (one half fitted, the other held out, and swapped:
    // +16 and +17 titles of about 420 on the held-out half over the hand-set score).
    const bool numbered = p.text.size() > 2 && p.text[0] >= '0' && p.text[0] <= '9' &&
                          (p.text[1] == '.' || (p.text[1] >= '0' && p.text[1] <= '9' && p.text[2] == '.'));
    const std::string& t = p.text;  // "Caption textCaption text": an image's alt text and caption
    const bool glued_twice = t.size() >= 8 && t.size() % 2 == 0 && t.compare(0, t.size() / 2, t, t.size() / 2, t.size() / 2) == 0;
    int capitalised = 0;
    int word_count = 0;
    for (auto w : split_words(p.text)) {
      ++word_count;
      capitalised += utf8::is_upper(first_code_point(w)) ? 1 : 0;
    }
    int upper = 0;
    int letters = 0;
    for (std::size_t i = 0; i < p.text.size();) {
      const char32_t cp = utf8::decode(p.text, i);
      upper += utf8::is_upper(cp) ? 1 : 0;
      letters += (utf8::is_upper(cp) || utf8::is_lower(cp)) ? 1 : 0;
    }
    const bool list_beside = (k > 0 && m_paras[k - 1].list_item) || (k + 1 < m_paras.size() && m_paras[k + 1].list_item);
    const bool date_above = k > 0 && is_date_line(m_paras[k - 1]);
    const bool menu_above = k > 0 && (m_paras[k - 1].list_item || m_paras[k - 1].boiler);
    const double features[] = {
        score, double(one_word), double(short_line), double(long_line), double(open_end), double(pipe),
        double(meta_below), double(repeated), double(repeats >= 3), double(credit_like), double(p.blank_before),
        double(blank_after), double(lower_start), double(breadcrumb), double(arrow), shared.lead,
        std::min(rank - 1, 20) / 10.0, double(rank == 1),
        inside ? 0.0 : std::log(1.0 + static_cast<double>(m_body_begin - k)), double(numbered),
        double(glued_twice), double(last == '?' || last == '!'), double(p.sentence), std::min(p.words, 30) / 10.0,
        double(k < 5), double(list_beside), word_count ? static_cast<double>(capitalised) / word_count : 0.0,
        double(date_above), double(k + 1 == m_body_begin), double(last == '.'), double(inside), shared.story,
        double(menu_above), letters ? static_cast<double>(upper) / letters : 0.0,
        static_cast<double>(k) / static_cast<double>(m_paras.size()), shared.next};
    static_assert(std::size(features) == std::size(k_title_weights));
    double learned = 0;
    for (std::size_t i = 0; i < std::size(features); ++i) {
      learned += k_title_weights[i] * features[i];
    }
    candidates.push_back({k, score, learned, rank});
    if (rank > 60) {
      break;
    }
  }
  double best = -1e9;
  for (const auto& c : candidates) {
    if (c.learned > best) {
      best = c.learned;
      m_title_index = c.index;
    }
  }
  double best_anchor = 0.6;
  for (const auto& c : candidates) {
    const double anchor = c.score - 0.12 * (c.rank - 1);
    if (anchor > best_anchor) {
      best_anchor = anchor;
      m_anchor_index = c.index;
    }
  }
  if (!m_anchor_index) {
    m_anchor_index = m_title_index;
  }
  if (m_title_index) {
    std::string title = strip_site_suffix(utf8::squeeze_spaces(m_paras[*m_title_index].text));
    // A link arrow the dump left before the text ("[> Headline", "> Headline").
    const std::size_t space = title.find(' ');
    if (space != std::string::npos && space > 0 && space <= 4 &&
        title.find_first_not_of("[]<>", 0) == space && title.find_first_of("<>") < space) {
      title = std::string(utf8::trim(std::string_view(title).substr(space)));
    }
    // A kicker glued to a quoted headline by the dump: 'Die Zukunft"Wir dekorieren um"'.
    {
      auto is_quote = [](char32_t cp) {
        return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB ||
               cp == 0x00BB;
      };
      std::size_t i = 0;
      std::size_t open = std::string::npos;
      int quotes = 0;
      char32_t previous = 0;
      while (i < title.size()) {
        const std::size_t at = i;
        const char32_t cp = utf8::decode(title, i);
        if (is_quote(cp)) {
          if (quotes == 0 && at > 0 && utf8::is_letter(previous)) open = at;
          ++quotes;
        }
        previous = cp;
      }
      if (open != std::string::npos && quotes == 2 && is_quote(last_code_point(title))) {
        title.erase(0, open);
      }
    }
    // The last item of a numbered breadcrumb ("1. Start", "2. Presse", "3. Headline").
    const std::size_t k = *m_title_index;
    const std::size_t dot = title.find(". ");
    if (k > 0 && dot != std::string::npos && dot >= 1 && dot <= 2 &&
        std::all_of(title.begin(), title.begin() + static_cast<std::ptrdiff_t>(dot), [](char c) { return c >= '0' && c <= '9'; })) {
      const std::string previous = std::to_string(std::stoi(title.substr(0, dot)) - 1) + ". ";
      if (m_paras[k - 1].text.starts_with(previous)) {
        title.erase(0, dot + 2);
      }
    }
    // "Home>Articles>Headline", "Home » News » Headline": the last crumb.
    std::size_t crumbs = 0;
    std::size_t last_crumb = std::string::npos;
    for (std::string_view sep : {std::string_view(">"), std::string_view("\xC2\xBB"), std::string_view("\xE2\x80\xBA")}) {
      for (std::size_t pos = title.find(sep); pos != std::string::npos; pos = title.find(sep, pos + 1)) {
        ++crumbs;
        last_crumb = last_crumb == std::string::npos ? pos + sep.size() : std::max(last_crumb, pos + sep.size());
      }
    }
    if (crumbs >= 2 && count_words(std::string_view(title).substr(last_crumb)) >= 2) {
      title = std::string(utf8::trim(std::string_view(title).substr(last_crumb)));
    }
    m_article.title = std::move(title);
  }
}

// A common first name, however the page spells its accents ("Jose", "José").
bool PageExtractor::known_first_name(std::string_view lowered) const {
  if (m_rules.given_names.count(std::string(lowered)) > 0) return true;
  for (const char c : lowered) {
    if ((static_cast<unsigned char>(c) & 0x80) != 0)
      return m_rules.given_names.count(fold_accents(lowered)) > 0;
  }
  return false;
}

bool PageExtractor::valid_name(std::string_view name, bool allow_single, bool allow_handle) const {
  const auto words = split_words(name);
  if (words.size() < (allow_single ? 1u : 2u) || words.size() > 5) {
    return false;
  }
  if (name.find_first_of("/@[]{}<>=") != std::string_view::npos) {
    return false;
  }
  // Dots only after initials and abbreviations ("R. R.", "Jr."), never inside a word.
  for (std::size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1)) {
    if (dot + 1 < name.size() && name[dot + 1] != ' ') {
      return false;
    }
  }
  // After a byline cue a single user name may be lower case ("von gizzmo", "by marc",
  // "freeman1984"): letters and digits only.
  const bool handle = allow_handle && words.size() == 1 && utf8::display_width(words[0]) >= 3 &&
                      !(words[0][0] >= '0' && words[0][0] <= '9') &&
                      std::all_of(words[0].begin(), words[0].end(), [](char c) {
                        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c & 0x80) != 0;
                      });
  int capitalized = 0;
  for (const auto& w : words) {
    const std::string lw = utf8::lower(w);
    // A capitalised surname can be another language's function word ("Sarah Yang"); a
    // first word ("Die Redaktion") or a short one ("Team Der") still is none.
    const bool surname = w.data() != words.front().data() && utf8::is_upper(first_code_point(w)) &&
                         utf8::display_width(w) >= 4 && !all_caps_word(w);
    // A known first name may be a word of the language too ("Will Knight").
    const bool first_name = w.data() == words.front().data() && words.size() > 1 &&
                            utf8::is_upper(first_code_point(w)) && known_first_name(lw);
    if (m_rules.stopwords.count(lw) > 0 && m_rules.name_particles.count(lw) == 0 && !surname &&
        !first_name) {
      return false;
    }
    // "Thema des Tages", "Projektleiterin der HSS": an article between nouns; "von der
    // Leyen", "Maria das Dores" are names.
    if (m_rules.article_particles.count(lw) > 0 && w.data() != words.front().data()) {
      const std::string previous = utf8::lower(*(&w - 1));
      if ((m_rules.name_particles.count(previous) == 0 ||
           m_rules.article_particles.count(previous) > 0) &&
          !known_first_name(utf8::lower(words.front()))) {
        return false;
      }
    }
    // A capitalised particle inside the name ("Jane Le Doe") is no role word ("le").
    const bool inner_particle =
        w.data() != words.front().data() && w.data() != words.back().data() &&
        m_rules.name_particles.count(lw) > 0 && utf8::is_upper(first_code_point(w));
    if ((m_rules.role_words.count(lw) > 0 && !inner_particle) ||
        m_rules.credit_words.contains_in(lw)) {
      return false;
    }
    const char32_t first = first_code_point(w);
    // Words glued by the text dump ("AvatarAvatarJane"): two lower-to-upper changes.
    int humps = 0;
    bool was_lower = false;
    for (std::size_t i = 0; i < w.size();) {
      const char32_t cp = utf8::decode(w, i);
      humps += (was_lower && utf8::is_upper(cp)) ? 1 : 0;
      was_lower = utf8::is_lower(cp);
    }
    if (humps >= 2) {
      return false;
    }
    // "Jane DoeJane Doe", "Winter HazelWinter Hazel": a word glued to another of the name.
    for (auto other : words) {
      if (other.size() >= 3 && other.size() < w.size() && w.find(other) != std::string_view::npos) {
        return false;
      }
    }
    if (words.size() > 1) {
      for (char c : w) {
        if (c >= '0' && c <= '9') {
          return false;
        }
      }
    }
    if (utf8::is_upper(first)) {
      ++capitalized;
      if (all_caps_word(w) && words.size() == 1) {
        return false;  // "REUTERS", "STAFF"
      }
    } else if (m_rules.name_particles.count(utf8::lower(w)) == 0 && !handle) {
      return false;
    }
  }
  if (static_cast<std::size_t>(capitalized) < std::min<std::size_t>(2, words.size())) {
    if (!handle) return false;
  }
  if (words.size() == 1 && (m_rules.role_words.count(utf8::lower(words[0])) > 0 ||
                            m_rules.name_joiners.count(utf8::lower(words[0])) > 0 ||
                            utf8::display_width(words[0]) < 3)) {
    return false;
  }
  return outlet_at_start(m_rules, name).empty();
}

bool PageExtractor::parse_byline(std::string_view text, std::vector<std::string>& names,
                                 bool allow_single, bool allow_handle) const {
  // Cut at separators that end the names part.
  std::string cleaned;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(text, i);
    const bool glued = start > 0 && text[start - 1] != ' ';
    // "freeman1984", but not "Doe20. November 2018" (a date glued to the name).
    auto glued_date = [&] {
      const std::size_t digits_end = text.find_first_not_of("0123456789", start);
      return digits_end != std::string_view::npos && text[digits_end] == '.';
    };
    if (utf8::is_digit(cp) && glued && allow_handle && !glued_date()) {
      cleaned.append(text.substr(start, i - start));  // "freeman1984"
      continue;
    }
    // An image placeholder before the name is skipped ("Von [avatar] Jane Doe"), after it
    // ends the names ("Jane Doe [icon] 0").
    if (cp == '[' && utf8::trim(cleaned).empty()) {
      const std::size_t close = text.find(']', i);
      if (close != std::string_view::npos) {
        i = close + 1;
        // "[avatar]von Jane Doe": the cue after the image.
        std::size_t length = std::min<std::size_t>(40, text.size() - i);
        while (length > 0 && i + length < text.size() && (text[i + length] & 0xC0) == 0x80)
          --length;
        const std::string rest = utf8::lower(text.substr(i, length));
        const std::string_view cue = m_rules.byline_cues.longest_prefix(rest);
        if (!cue.empty() && rest.size() > cue.size() && rest[cue.size()] == ' ') i += cue.size();
        continue;
      }
    }
    if (cp == '|' || cp == 0x2022 || cp == 0x00B7 || cp == '(' || cp == '[' || cp == '/' ||
        cp == '\n' || utf8::is_digit(cp) || cp == ':' || cp == 0x2013 || cp == 0x2014) {
      if ((cp == ':' || cp == '/') && glued) {
        allow_handle = false;  // "http://", "Twitter:"
        if (cp == ':' && !utf8::trim(text.substr(i)).empty()) {
          // "Jane Doe, Datum: ..." : the word before the colon is a label.
          const std::size_t space = cleaned.find_last_of(' ');
          cleaned.resize(space == std::string::npos ? 0 : space);
        }
      }
      break;
    }
    cleaned.append(text.substr(start, i - start));
  }
  // A desk instead of a person: "Von Redaktion, 24. Januar 2022", "By Staff Writer".
  {
    const std::string desk(strip_outer_punct(utf8::trim(cleaned)));
    if (!desk.empty() && m_rules.desk_names.count(utf8::lower(desk)) > 0) {
      if (std::find(names.begin(), names.end(), desk) == names.end()) names.push_back(desk);
      return true;
    }
  }
  // Split on joiners and commas; stop a name at role words.
  std::vector<std::string> parts;
  std::string current;
  for (auto word : split_words(cleaned)) {
    std::string_view w = word;
    bool comma = false;
    if (!w.empty() && (w.back() == ',' || w.back() == ';')) {
      w.remove_suffix(1);
      comma = true;
    }
    // An image's alt text before the name: "Avatar Jane Doe", "Profilbild JaneDoe".
    if (current.empty() && parts.empty() && m_rules.alt_words.count(utf8::lower(w)) > 0) {
      continue;
    }
    // A role glued to the surname by the text dump: "Jane DoeStaff Writer" -> "Jane Doe".
    bool glued_role = false;
    // Likewise a link glued to the surname ("Jane DoeRSS-Feed"): a capital after four or more
    // lower-case letters ("McDonald", "DiBiase", "MacKenzie" keep theirs).
    for (std::size_t cut = 1; cut + 1 < w.size(); ++cut) {
      if (w[cut - 1] >= 'a' && w[cut - 1] <= 'z' && w[cut] >= 'A' && w[cut] <= 'Z' &&
          (m_rules.role_words.count(utf8::lower(w.substr(cut))) > 0 ||
           (!current.empty() && cut >= 4 && utf8::is_upper(first_code_point(w))))) {
        w = w.substr(0, cut);
        glued_role = true;
        break;
      }
    }
    const std::string lw = utf8::lower(w);
    if (m_rules.name_joiners.count(lw) > 0) {
      parts.push_back(std::move(current));
      current.clear();
      continue;
    }
    // A month name ends the names only before a number ("Jane Doe May 8, 2025"): "Ian",
    // "April" and "June" are names too.
    const std::size_t after_word = static_cast<std::size_t>(word.data() + word.size() - cleaned.data());
    const std::string_view following = utf8::trim(std::string_view(cleaned).substr(after_word));
    const bool month = m_rules.months.count(lw) > 0 &&
                       (following.empty() || (following.front() >= '0' && following.front() <= '9'));
    // "Par Jane Le Doe le 8 mai": a capitalised particle between two parts of a name is the
    // name's, the lower-case one before a date ends it.
    const bool particle_in_name = !current.empty() && m_rules.name_particles.count(lw) > 0 &&
                                  utf8::is_upper(first_code_point(w)) && !all_caps_word(w) &&
                                  utf8::is_upper(first_code_point(following));
    // A credit after the names ends them: "Text von Jane Doe Illustration von John Roe".
    const bool credit = !current.empty() && m_rules.credit_words.contains_in(lw);
    if ((m_rules.role_words.count(lw) > 0 && !particle_in_name) || month || credit ||
        m_rules.weekdays.count(lw) > 0) {
      // "Autor sin foto": a lower-case word before a credit is no user name.
      allow_handle = allow_handle && !credit;
      parts.push_back(std::move(current));
      current.clear();
      break;
    }
    if (!current.empty()) {
      current += ' ';
    }
    current += w;
    if (glued_role) {
      break;
    }
    if (comma) {
      parts.push_back(std::move(current));
      current.clear();
    }
  }
  parts.push_back(std::move(current));
  const auto named_parts = std::count_if(parts.begin(), parts.end(), [](const std::string& part) {
    return !strip_outer_punct(part).empty();
  });
  bool any = false;
  for (auto& part : parts) {
    std::string name(strip_outer_punct(part));
    if (name.empty()) {
      continue;
    }
    // "Jane Doe Jane Doe": an avatar's alt text before the name.
    if (name.size() % 2 == 1 && name[name.size() / 2] == ' ' &&
        std::string_view(name).substr(0, name.size() / 2) == std::string_view(name).substr(name.size() / 2 + 1)) {
      name.resize(name.size() / 2);
    }
    // "Rechtsanwalt Jane Doe", "Netzphilosophin Jane Doe": a role noun before a known first name.
    {
      const auto name_words = split_words(name);
      if (name_words.size() == 3 && known_first_name(utf8::lower(name_words[1])) &&
          !known_first_name(utf8::lower(name_words[0])) &&
          m_rules.honorifics.count(utf8::lower(name_words[0])) == 0 &&
          m_rules.name_particles.count(utf8::lower(name_words[0])) == 0 &&
          name_words[0].back() != '.') {
        name.erase(0, static_cast<std::size_t>(name_words[1].data() - name.data()));
      }
    }
    // "By Jane Doe, PhD", "Von Jane Doe, Online-Redaktion": one word after a full name is a
    // degree, role or outlet.
    const bool tail_word =
        any && names.front().find(' ') != std::string::npos && name.find(' ') == std::string::npos;
    if (tail_word) {
      break;
    }
    if (!valid_name(name, allow_single, allow_handle && named_parts == 1)) {
      // An agency or role after a comma ("By Jane Doe, CNN") ends the list quietly.
      if (any) {
        break;
      }
      return false;
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
    any = true;
  }
  return any;
}

// Names after a byline cue at the start of paragraph k ("By Jane Doe", "Von Anna Müller",
// "By" alone with the names on the next line). Empty when k is no byline.
std::vector<std::string> PageExtractor::byline_at(std::size_t k, bool anywhere) const {
  std::vector<std::string> names;
  const Paragraph& p = m_paras[k];
  if (p.words > 25 || (p.list_item && p.words > 5)) {
    return names;
  }
  // "geschrieben von Jane am 8. Mai 2025 [antworten]": a reader comment's dated line.
  if (!p.dates.empty() && m_rules.comment_cues.contains_in(p.lower)) {
    return names;
  }
  std::size_t cue_pos = 0;
  std::string_view cue = m_rules.byline_cues.longest_prefix(p.lower);
  // A lower-case user name needs a byline-shaped line: short, dated or set off by separators.
  bool allow_handle = p.words <= 4 || !p.dates.empty();
  if (cue.empty() && anywhere && p.words <= 14) {
    // "12/04/2020 by Kay", "Blog entry by Jane Doe | 28 April, 2017"
    // "12/04/2020 by Kay", "Veröffentlicht am 12. Juni 2017 von gizzmo", "· von freeman1984 ·"
    const bool dated = !p.dates.empty();
    for (std::string_view c : {std::string_view(" by "), std::string_view(" von "), std::string_view(" par "),
                               std::string_view(" por "), std::string_view(" autor: "),
                               std::string_view(" author: "), std::string_view(" autorin: ")}) {
      const std::size_t pos = p.lower.find(c);
      if (pos == std::string::npos ||
          m_rules.credit_words.contains_in(std::string_view(p.lower).substr(0, pos))) {
        continue;
      }
      const bool separated = pos >= 2 && (p.lower.compare(pos - 2, 2, "\xC2\xB7") == 0 ||
                                          p.lower[pos - 1] == '|');
      if (c != " by " && !dated && !separated) {
        continue;
      }
      // "Christoph von Ritter": after a first name "von", "de", "di" belong to the name.
      const std::size_t word_start = p.lower.rfind(' ', pos - 1);
      const std::string_view before_word =
          std::string_view(p.lower).substr(word_start == std::string::npos ? 0 : word_start + 1,
                                           pos - (word_start == std::string::npos ? 0 : word_start + 1));
      if (pos > 0 && m_rules.name_particles.count(std::string(c.substr(1, c.size() - 2))) > 0 &&
          known_first_name(before_word)) {
        continue;
      }
      // "Call by Call-Tarife", "step by step": the same word on both sides.
      if (!before_word.empty() &&
          std::string_view(p.lower).substr(pos + c.size()).starts_with(before_word)) {
        continue;
      }
      cue_pos = pos + 1;
      cue = std::string_view(p.lower).substr(pos + 1, c.size() - 2);
      allow_handle = dated || separated;
      break;
    }
  }
  if (cue.empty() && anywhere && p.words <= 14) {
    // A cue glued to the name by the text dump: "AuthorJane Doe", "Geschrieben vonJane Doe".
    return glued_byline(p);
  }
  if (cue.empty()) {
    return names;
  }
  const std::string squeezed = utf8::squeeze_spaces(p.text);
  const std::size_t offset = map_offset(p.lower, cue_pos + cue.size(), squeezed);
  std::string_view rest = utf8::trim(std::string_view(squeezed).substr(offset));
  if (utf8::is_cjk(first_code_point(cue))) {
    // "责任编辑：焦鹏", "作者：王小明": two to four Han characters after the cue.
    std::size_t i = 0;
    while (i < rest.size()) {
      std::size_t j = i;
      const char32_t cp = utf8::decode(rest, j);
      if (cp != 0xFF1A && cp != ':' && cp != ' ' && cp != 0x3000) break;
      i = j;
    }
    std::size_t end = i;
    int han = 0;
    while (end < rest.size()) {
      std::size_t j = end;
      if (!utf8::is_cjk(utf8::decode(rest, j))) break;
      end = j;
      ++han;
    }
    if (han >= 2 && han <= 4) names.emplace_back(rest.substr(i, end - i));
    return names;
  }
  bool colon = false;
  while (!rest.empty() && (rest.front() == ':' || rest.front() == '-')) {
    colon = colon || rest.front() == ':';
    rest = utf8::trim(rest.substr(1));
  }
  if (!rest.empty() && cue_pos == 0 && !colon && squeezed.size() > offset &&
      squeezed[offset] != ' ' && squeezed[offset] != ':') {
    return names;  // "Bythe..." glued words are not a cue
  }
  if (p.list_item) {
    // A bullet list holds menus too: only full names ("• Von Jane Doe").
    parse_byline(rest, names, false);
    return names;
  }
  if (rest.empty()) {
    if (k + 1 < m_paras.size() && m_paras[k + 1].words <= 12) {
      parse_byline(m_paras[k + 1].text, names, true, m_paras[k + 1].words == 1);
      // "By" / "Jane Doe" / "and" / "John Roe": a joiner alone on its line, more names below.
      for (std::size_t j = k + 2; !names.empty() && j + 1 < std::min(m_paras.size(), k + 8);
           j += 2) {
        const std::string joiner(strip_outer_punct(m_paras[j].lower));
        if (m_rules.name_joiners.count(joiner.empty() ? m_paras[j].lower : joiner) == 0 ||
            m_paras[j + 1].words > 6) {
          break;
        }
        std::vector<std::string> more;
        if (!parse_byline(m_paras[j + 1].text, more, false)) break;
        for (auto& name : more) {
          if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
        }
      }
    }
  } else {
    parse_byline(rest, names, true, allow_handle);
  }
  // "Von Risiken und Nebenwirkungen", "Von Politikern und Medien wird ...": a headline or
  // sentence that starts like a byline names things, not people.
  const bool single_words = std::none_of(names.begin(), names.end(),
                                         [](const std::string& n) { return n.find(' ') != std::string::npos; });
  if (single_words && cue_pos == 0 && (names.size() >= 2 || (p.words > 6 && p.dates.empty()))) {
    names.clear();
  }
  // "Mary Magdalene by Titian", "Nordish by Nature": a caption or tagline, not a byline, when
  // a mid-line cue on an undated line gives one word only ("· von jane ·" between separators
  // and "8 May 2025 by jane" stay).
  const bool separated_cue = cue_pos >= 3 && (p.lower.compare(cue_pos - 3, 2, "\xC2\xB7") == 0 ||
                                              p.lower[cue_pos - 2] == '|');
  if (single_words && cue_pos > 0 && p.dates.empty() && !separated_cue) {
    names.clear();
  }
  return names;
}

std::vector<std::string> PageExtractor::glued_byline(const Paragraph& p) const {
  std::vector<std::string> names;
  if (p.lower.find("by") == std::string::npos && p.lower.find("von") == std::string::npos &&
      p.lower.find("autor") == std::string::npos && p.lower.find("author") == std::string::npos) {
    return names;
  }
  const std::string squeezed = utf8::squeeze_spaces(p.text);
  std::size_t i = 0;
  bool at_word = true;
  while (i < squeezed.size()) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(squeezed, i);
    const bool letter = utf8::is_upper(cp) || utf8::is_lower(cp);
    if (letter && at_word) {
      // The longest lower-case cue word that the word starts with, glued to a capital.
      for (std::string_view cue : {std::string_view("author"), std::string_view("autorin"),
                                   std::string_view("autor"), std::string_view("von"),
                                   std::string_view("by")}) {
        if (squeezed.size() < start + cue.size() + 1) {
          continue;
        }
        const std::string head = utf8::lower(std::string_view(squeezed).substr(start, cue.size()));
        if (head != cue || !utf8::is_lower(static_cast<unsigned char>(squeezed[start + cue.size() - 1]))) {
          continue;
        }
        std::size_t j = start + cue.size();
        const char32_t next = utf8::decode(squeezed, j);
        if (!utf8::is_upper(next)) {
          continue;
        }
        const bool cue_alone = start == 0 || cue.size() >= 5 || squeezed[start - 1] == ' ';
        if (cue_alone && parse_byline(std::string_view(squeezed).substr(start + cue.size()), names, false)) {
          return names;
        }
        names.clear();
      }
    }
    at_word = !letter;
  }
  return names;
}

// Section labels next to a date ("Handball Schweiz") use words of the story one by one; a
// writer's name is absent from it or appears whole (a quote, a bio).
bool PageExtractor::words_in_story(std::string_view name, const Paragraph* except) const {
  int shared = 0;
  int total = 0;
  for (auto w : split_words(name)) {
    const std::string lw = utf8::lower(strip_outer_punct(w));
    if (lw.size() < 3) continue;
    ++total;
    for (std::size_t k = m_body_begin; k < m_body_end; ++k) {
      if (&m_paras[k] != except && find_whole(m_paras[k].lower, lw) != std::string_view::npos) {
        ++shared;
        break;
      }
    }
  }
  if (total == 0 || shared < total) {
    return false;
  }
  // A writer the story quotes or a bio under it names in full: still a name.
  const std::string whole = utf8::lower(name);
  for (std::size_t k = m_body_begin; k < m_body_end; ++k) {
    if (&m_paras[k] != except && find_whole(m_paras[k].lower, whole) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> PageExtractor::name_beside_date(const Paragraph& p,
                                                         bool given_name_only) const {
  std::vector<std::string> names;
  if (p.dates.empty() || p.words > 12 || p.list_item || p.boiler) {
    return names;
  }
  auto trim_separators = [](std::string_view text) {
    while (true) {
      text = utf8::trim(text);
      if (text.empty()) return text;
      std::size_t i = 0;
      const char32_t cp = utf8::decode(text, i);
      if (cp == '|' || cp == '~' || cp == 0x00B7 || cp == 0x2022 || cp == ',' || utf8::is_dash(cp)) {
        text.remove_prefix(i);
        continue;
      }
      std::size_t j = text.size();
      while (j > 0 && (static_cast<unsigned char>(text[j - 1]) & 0xC0) == 0x80) --j;
      if (j > 0) --j;
      std::size_t k = j;
      const char32_t last = utf8::decode(text, k);
      if (last == '|' || last == '~' || last == 0x00B7 || last == 0x2022 || last == ',' || utf8::is_dash(last)) {
        text.remove_suffix(text.size() - j);
        continue;
      }
      return text;
    }
  };
  const std::string_view text = p.text;
  const std::string_view before = trim_separators(text.substr(0, p.dates.front().begin));
  const std::string_view after = trim_separators(text.substr(p.dates.back().end));
  for (std::string_view part : {after, before}) {
    if (given_name_only || part.empty() || part.find_first_of(":@") != std::string_view::npos) {
      continue;
    }
    std::string squeezed = utf8::squeeze_spaces(part);
    const std::string lowered = utf8::lower(squeezed);
    const std::string_view cue = m_rules.byline_cues.longest_prefix(lowered);
    if (!cue.empty()) {
      squeezed = std::string(utf8::trim(std::string_view(squeezed).substr(map_offset(lowered, cue.size(), squeezed))));
    }
    if (parse_byline(squeezed, names, false) && names.size() == 1 &&
        !words_in_story(names.front(), &p) && !subject_of_headline(names.front()) &&
        !written_lower_case(
            shouted(names.front())
                ? std::string_view(names.front())
                : std::string_view(names.front()).substr(0, names.front().find(' ')))) {
      return names;
    }
    names.clear();
  }
  // Blog meta lines: "26. September 2019 Jane Doe Leave a comment", "8 May 2025 | 13:10 |
  // Jane Doe", "Jane Doe Politics 8 May 2025": the part between separators next to the
  // date that starts with a known first name.
  for (std::string_view part : {after, before}) {
    std::size_t start = 0;
    while (start < part.size()) {
      std::size_t end = start;
      while (end < part.size()) {
        std::size_t next = end;
        const char32_t cp = utf8::decode(part, next);
        if (cp == '|' || cp == 0x00B7 || cp == 0x2022 || cp == '~' ||
            ((utf8::is_dash(cp) || cp == ',') && end > 0 && part[end - 1] == ' ') ||
            (cp == ',' && next < part.size() && part[next] == ' ')) {
          break;
        }
        end = next;
      }
      const std::string segment = utf8::squeeze_spaces(utf8::trim(part.substr(start, end - start)));
      if (!segment.empty()) {
        std::string name = given_name_prefix(segment, &p);
        if (!name.empty()) {
          return {std::move(name)};
        }
      }
      if (end >= part.size()) break;
      utf8::decode(part, end);
      start = end;
    }
  }
  return names;
}

void PageExtractor::find_authors() {
  const std::size_t from = m_body_begin > 80 ? m_body_begin - 80 : 0;
  const std::size_t to = std::min(m_body_end, m_body_begin + 5);
  std::size_t start = m_anchor_index ? *m_anchor_index : from;
  start = start > 2 ? start - 2 : 0;
  start = std::max(start, from);
  // Bylines under the headline first, then anywhere above the story, then mid-line cues.
  for (int pass = 0; pass < 3; ++pass) {
    const std::size_t lo = pass == 0 ? start : from;
    const std::size_t hi = pass == 0 ? to : (pass == 1 ? start : to);
    for (std::size_t k = lo; k < hi; ++k) {
      auto names = byline_at(k, pass == 2);
      if (!names.empty()) {
        m_article.authors = std::move(names);
        return;
      }
    }
  }
  // "Posted by ..." / "Von ..." right after the story.
  for (std::size_t k = m_body_end; k < std::min(m_paras.size(), m_body_end + 8); ++k) {
    if (m_rules.bio_headers.starts(m_paras[k].lower)) {
      break;
    }
    auto names = byline_at(k, true);
    if (!names.empty()) {
      m_article.authors = std::move(names);
      return;
    }
  }
  // "Von Jane Doe" alone on a short line at the end of or inside the story.
  for (std::size_t k = m_body_begin; k < m_body_end; ++k) {
    if (m_paras[k].words <= 5 && is_byline(m_paras[k])) {
      auto names = byline_at(k, false);
      const bool full = std::all_of(names.begin(), names.end(),
                                    [](const std::string& n) { return n.find(' ') != std::string::npos; });
      if (!names.empty() && full) {
        m_article.authors = std::move(names);
        return;
      }
    }
  }
  // "Jane Doe | 8 May 2025", "8 May 2025 ~ Jane Doe": a name right before or after the date
  // on a short line under the headline.
  {
    const std::size_t lo = m_anchor_index ? *m_anchor_index + 1 : (m_body_begin > 8 ? m_body_begin - 8 : 0);
    const std::size_t near_end = std::min(m_paras.size(), m_body_begin + 3);
    std::vector<std::size_t> order;
    for (std::size_t k = lo; k < near_end; ++k) order.push_back(k);
    for (std::size_t k = m_body_end; k < std::min(m_paras.size(), m_body_end + 4); ++k) order.push_back(k);
    // Farther off, the meta line right above the headline ("8 May 2025 | Jane Doe" /
    // "Headline") or a few lines into the story: a known first name only.
    const std::size_t known_first_name_from = order.size();
    if (m_anchor_index && *m_anchor_index > 0) order.push_back(*m_anchor_index - 1);
    const std::size_t far_end = std::min(m_paras.size(), m_body_begin + 6);
    for (std::size_t k = std::max(lo, near_end); k < far_end; ++k) order.push_back(k);
    for (std::size_t i = 0; i < order.size(); ++i) {
      auto names = name_beside_date(m_paras[order[i]], i >= known_first_name_from);
      if (!names.empty()) {
        m_article.authors = std::move(names);
        return;
      }
    }
  }
  // A byline with a cue anywhere from 80 paragraphs above the story to 30 below it, the
  // nearest to the headline ("Posted by Jane Doe at 2:33 PM" under a comment-less blog
  // post). A single word needs a line of its own ("By admin"); failing that, a short dated
  // line with a cue inside it ("Gespeichert von jane am 8. Mai 2025") may give one.
  {
    const std::size_t ref = m_anchor_index ? *m_anchor_index : m_body_begin;
    auto distance = [&](std::size_t k) { return k > ref ? k - ref : ref - k; };
    for (const bool dated_single : {false, true}) {
      std::size_t best = m_paras.size();
      std::vector<std::string> best_names;
      for (std::size_t k = from; k < std::min(m_paras.size(), m_body_end + 30); ++k) {
        const Paragraph& p = m_paras[k];
        if (p.boiler || (best < m_paras.size() && distance(k) >= distance(best))) continue;
        const bool dated_line = dated_single && !p.dates.empty() && p.words <= 10;
        if (dated_single && !dated_line) continue;
        auto names = byline_at(k, dated_line);
        const bool single = names.size() == 1 && names[0].find(' ') == std::string::npos;
        if (names.empty() ||
            (single && ((p.words > 3 && !dated_line) || utf8::display_width(names[0]) < 4))) {
          continue;
        }
        best = k;
        best_names = std::move(names);
      }
      if (!best_names.empty()) {
        m_article.authors = std::move(best_names);
        return;
      }
    }
  }
  // A line that starts with a common first name ("Jane Doe", "Jane Doe Image", "Jane Doe
  // 8 May 2025") near the headline, at the start of the story or right after it. The first
  // name is the agreement evidence that menu entries ("Log Out", "Unsere Arbeit") lack.
  if (m_anchor_index && !m_rules.given_names.empty()) {
    std::vector<std::size_t> order;
    const std::size_t lo = *m_anchor_index >= 6 ? *m_anchor_index - 6 : 0;
    for (std::size_t k = lo; k < std::min(m_paras.size(), m_body_begin + 16); ++k) {
      if (k != *m_anchor_index) order.push_back(k);
    }
    for (std::size_t k = m_body_end; k < std::min(m_paras.size(), m_body_end + 6); ++k) order.push_back(k);
    // A page title far above the story: the lines right around it too.
    if (m_title_index && *m_title_index < lo) {
      const std::size_t title = *m_title_index;
      for (std::size_t k = title >= 3 ? title - 3 : 0; k < std::min(lo, title + 5); ++k) {
        if (k != title) order.push_back(k);
      }
    }
    for (const std::size_t k : order) {
      std::string name = name_after_given_name(k);
      if (!name.empty() && !subject_of_headline(name) && !named_in_text_below(name, k)) {
        m_article.authors = {std::move(name)};
        return;
      }
    }
  }
  // A bare name line near the headline whose first name is not a known one ("Nuño
  // Domínguez"): taken only when the page names the same person again with a cue, an
  // avatar's alt word or a bio sentence (a menu entry repeated in the footer is no name).
  if (m_anchor_index) {
    const std::size_t lo = *m_anchor_index >= 6 ? *m_anchor_index - 6 : 0;
    for (std::size_t k = lo; k < std::min(m_paras.size(), m_body_begin + 3); ++k) {
      if (k == *m_anchor_index || k == m_title_index) continue;
      std::string name = repeated_name(k);
      if (!name.empty()) {
        m_article.authors = {std::move(name)};
        return;
      }
    }
  }
  find_bio_author();
}

// "Angela Merkel" under "Merkel kündigt Lockdown an": the person the story is about.
bool PageExtractor::subject_of_headline(std::string_view name) const {
  if (!m_article.title) return false;
  const auto words = split_words(name);
  if (words.empty()) return false;
  const std::string surname = utf8::lower(strip_outer_punct(words.back()));
  return surname.size() >= 3 &&
         find_whole(utf8::lower(*m_article.title), surname) != std::string_view::npos;
}

// "Jane Doe" over "Der Radprofi Jane Doe muss ...": a teaser's caption naming the person the
// text right below it is about. A bio opening with the name ("Jane Doe lehrt ..."), a label
// ("Lesetipp: Jane Doe") or a cue ("View all posts by Jane Doe") before it are no teaser.
bool PageExtractor::named_in_text_below(std::string_view name, std::size_t k) const {
  const std::string lname = utf8::lower(name);
  for (std::size_t j = k + 1; j < std::min(m_paras.size(), k + 4); ++j) {
    const std::string_view lower = m_paras[j].lower;
    if (m_paras[j].words < 8) continue;
    const std::size_t pos = find_whole(lower, lname);
    if (pos == std::string_view::npos || pos == 0) continue;
    const std::string_view before = utf8::trim(lower.substr(0, pos));
    const std::size_t space = before.rfind(' ');
    const std::string_view word =
        space == std::string_view::npos ? before : before.substr(space + 1);
    if (!before.empty() && utf8::is_lower(last_code_point(before)) &&
        m_rules.byline_cues.longest_prefix(word).size() != word.size()) {
      return true;
    }
  }
  return false;
}

// The name a short line starts with when its first word is a common first name: the whole
// line ("Jane Doe", "Jane van Doe") or its first two words (three with an initial or a
// particle in the middle) before other words ("Jane Doe Image", "Jane Doe 8 May 2025").
std::string PageExtractor::name_after_given_name(std::size_t k) const {
  const Paragraph& p = m_paras[k];
  if (p.sentence || p.boiler || p.credit || p.words < 2 || p.words > 7) return {};  // not "Jane Doe / Reuters"
  return given_name_prefix(utf8::squeeze_spaces(p.text), &p);
}

// The name `text` starts with when its first word is a common first name (see
// name_after_given_name); `except` is the paragraph it comes from.
std::string PageExtractor::given_name_prefix(const std::string& text,
                                             const Paragraph* except) const {
  std::vector<std::string_view> all = split_words(text);
  // "Dr. Jane Doe", "Prof. Dr. Jane Doe": titles stay with the name.
  std::size_t h = 0;
  while (h < all.size() && h < 2 && m_rules.honorifics.count(utf8::lower(all[h])) > 0) ++h;
  const std::vector<std::string_view> words(all.begin() + static_cast<std::ptrdiff_t>(h), all.end());
  if (words.size() < 2 || words.size() > 7 || !known_first_name(utf8::lower(words.front()))) {
    return {};
  }
  auto middle = [&](std::string_view w) {
    return w.back() == '.' || m_rules.name_particles.count(utf8::lower(w)) > 0;
  };
  for (std::size_t n = 2; n <= std::min<std::size_t>(3, words.size()); ++n) {
    if (words[n - 1].back() == ',') return {};  // "Jane Doe, CEO": someone the story quotes
    if (n == 2 && words.size() >= 3 && middle(words[1])) continue;  // "Jane van Doe", "Jane E. Doe"
    if (n == 3 && words.size() > 3 && !middle(words[1])) break;     // "Jane Doe Education editor"
    if (words[n - 1] == words[0]) break;                            // "Jane Doe Jane Doe"
    std::string name(text.substr(
        0, static_cast<std::size_t>(words[n - 1].data() + words[n - 1].size() - text.data())));
    // "Jane DoeStaff Writer": a role glued to the surname ("Jane DoeJane Doe", a name printed
    // twice by the renderer, stays whole and is refused).
    for (std::size_t cut = name.size() - words[n - 1].size() + 4; cut < name.size(); ++cut) {
      if (name[cut - 1] >= 'a' && name[cut - 1] <= 'z' && name[cut] >= 'A' && name[cut] <= 'Z' &&
          !std::string_view(name).substr(cut).starts_with(words[0])) {
        name.resize(cut);
        break;
      }
    }
    if (name.find_first_of(":?!") == std::string::npos && valid_name(name) &&
        !words_in_story(name, except)) {
      return name;
    }
  }
  return {};
}

// "Open Future", "Editors Pick": a word of the line also written in lower case on the page
// is a word of the language, not a name.
bool PageExtractor::written_lower_case(std::string_view name) const {
  for (auto w : split_words(name)) {
    const std::string lw = utf8::lower(strip_outer_punct(w));
    if (lw.size() < 3 || lw == std::string_view(strip_outer_punct(w))) continue;
    for (const Paragraph& p : m_paras) {
      if (find_whole(p.text, lw) != std::string_view::npos) return true;
    }
  }
  return false;
}

// A short line that is a name and nothing else, named again elsewhere on the page.
std::string PageExtractor::repeated_name(std::size_t k) const {
  const Paragraph& p = m_paras[k];
  if (p.sentence || p.boiler || p.credit || p.list_item || p.header || p.words < 2 || p.words > 4 ||
      !p.dates.empty()) {
    return {};
  }
  std::string name = utf8::squeeze_spaces(p.text);
  // "Jane Doe @janedoe": a writer's line with the social media handle.
  const std::size_t handle = name.rfind(" @");
  const bool with_handle = handle != std::string::npos && handle + 3 < name.size() &&
                           name.find(' ', handle + 1) == std::string::npos;
  if (with_handle) name.resize(handle);
  if (name.find_first_of(":?!|,;()\"") != std::string::npos || !valid_name(name) ||
      words_in_story(name, &p)) {
    return {};
  }
  if (with_handle) return name;
  // Evidence: the name printed twice in a row (an avatar's alt text, then the profile link);
  // elsewhere the name follows a byline cue or an image's alt word ("Von Jane Doe",
  // "Profilbild Jane Doe"), or opens a bio ("Jane Doe is a ...").
  const std::string lname = utf8::lower(name);
  const auto words = split_words(name);
  const bool title_case =
      std::none_of(words.begin(), words.end(), [](std::string_view w) { return all_caps_word(w); });
  for (const std::size_t j : {k - 1, k + 1}) {
    if (j < m_paras.size() && strip_outer_punct(m_paras[j].lower) == lname && title_case &&
        !written_lower_case(name)) {
      return name;
    }
  }
  for (std::size_t j = 0; j < m_paras.size(); ++j) {
    if (j == k) continue;
    const std::string_view lower = m_paras[j].lower;
    for (std::size_t pos = lower.find(lname); pos != std::string_view::npos;
         pos = lower.find(lname, pos + 1)) {
      const std::string_view before = utf8::trim(lower.substr(0, pos));
      const std::size_t space = before.rfind(' ');
      const std::string_view word =
          strip_outer_punct(space == std::string_view::npos ? before : before.substr(space + 1));
      if (!word.empty() && (m_rules.byline_cues.longest_prefix(word).size() == word.size() ||
                            m_rules.alt_words.count(std::string(word)) > 0)) {
        return name;
      }
      if (pos != 0 || m_paras[j].words < 10) {
        continue; // a bio opens with the name and is a sentence
      }
      const std::string_view after = lower.substr(pos + lname.size());
      for (const auto& verb : m_rules.bio_verbs) {
        if (after.size() > verb.size() + 1 && after[0] == ' ' &&
            after.substr(1).starts_with(verb) && after[verb.size() + 1] == ' ') {
          return name;
        }
      }
    }
  }
  return {};
}

void PageExtractor::find_bio_author() {
  // "About the writer" followed by "Jane Doe is a ...".
  for (std::size_t k = m_body_end; k < m_paras.size(); ++k) {
    if (!m_rules.bio_headers.starts(m_paras[k].lower) || m_paras[k].words > 6) {
      continue;
    }
    for (std::size_t j = k + 1; j < std::min(m_paras.size(), k + 3); ++j) {
      const std::string& text = m_paras[j].text;
      for (const auto& verb : m_rules.bio_verbs) {
        const std::string needle = " " + verb + " ";
        const std::size_t pos = m_paras[j].lower.find(needle);
        if (pos == std::string::npos || pos > 60) {
          continue;
        }
        const std::string squeezed = utf8::squeeze_spaces(text);
        const std::size_t cut = map_offset(m_paras[j].lower, pos, squeezed);
        const std::string name(strip_outer_punct(std::string_view(squeezed).substr(0, cut)));
        if (valid_name(name)) {
          m_article.authors = {name};
          return;
        }
      }
    }
    return;
  }
}

// How the page writes numeric dates, for n/n/yyyy dates whose day and month may be swapped
// (01/10/2024). A reading needs evidence: another date on the page that agrees with exactly
// one reading, the order of the page's other numeric or named dates, or the language
// (day-first outside English). Without evidence only the year is certain.
struct PageExtractor::DateReader {
  std::vector<PartialDate> firm_days;  // full dates whose day and month are certain
  int numeric_day_first = 0;           // 13/05/2025
  int numeric_month_first = 0;         // 05/13/2025
  int named_day_first = 0;             // 8 May 2025
  int named_month_first = 0;           // May 8, 2025
  bool month_first_outlet = false;     // a wire credit names a US outlet
  std::string lang;

  PartialDate read(const DateMatch& match) const {
    const PartialDate as_is = match.date;
    const PartialDate swapped{as_is.year, as_is.day, as_is.month};
    const bool as_is_seen = std::find(firm_days.begin(), firm_days.end(), as_is) != firm_days.end();
    const bool swapped_seen = std::find(firm_days.begin(), firm_days.end(), swapped) != firm_days.end();
    if (as_is_seen != swapped_seen) {
      return as_is_seen ? as_is : swapped;
    }
    if (numeric_day_first != numeric_month_first) {
      return numeric_day_first > numeric_month_first ? as_is : swapped;
    }
    if (month_first_outlet && (lang.empty() || lang == "en")) {
      return swapped;
    }
    if (!lang.empty() && lang != "en") {
      return as_is;  // find_dates reads day-first
    }
    if (lang == "en" && named_day_first != named_month_first) {
      return named_day_first > named_month_first ? as_is : swapped;
    }
    return PartialDate{as_is.year, 0, 0};
  }
};

PageExtractor::DateReader PageExtractor::date_reader() const {
  DateReader reader;
  bool needed = false;
  for (std::size_t k = 0; k < m_paras.size(); ++k) {
    for (const auto& match : m_paras[k].dates) {
      if (match.order_unknown) {
        needed = true;
        continue;
      }
      if (match.date.day != 0 && !match.short_year) {
        reader.firm_days.push_back(match.date);
      }
      // Inside the story, quoted and captioned dates follow other writers' conventions.
      if (k > m_body_begin && k < m_body_end && !match.numeric) {
        continue;
      }
      const bool day_first = match.order == DayOrder::day_first;
      const bool month_first = match.order == DayOrder::month_first;
      (match.numeric ? reader.numeric_day_first : reader.named_day_first) += day_first ? 1 : 0;
      (match.numeric ? reader.numeric_month_first : reader.named_month_first) += month_first ? 1 : 0;
    }
  }
  if (needed) {
    std::string text;
    for (std::size_t k = m_body_begin; k < m_body_end && text.size() < 20000; ++k) {
      text += m_paras[k].text;
      text += '\n';
    }
    reader.lang = detect_language(text, m_rules);
    reader.month_first_outlet =
        m_article.source && m_rules.month_first_outlets.count(m_rules.canonical_outlet(*m_article.source)) > 0;
  }
  return reader;
}

void PageExtractor::find_date() {
  struct Candidate {
    PartialDate date;
    double score;
    bool updated;
    std::size_t index;
    bool short_line;
    bool unread = false;  // day and month may be swapped and no evidence decided: year only
  };
  std::vector<Candidate> candidates;
  std::vector<PartialDate> body_days;
  const DateReader reader = date_reader();
  const std::size_t header_from = m_anchor_index ? *m_anchor_index : m_body_begin;
  bool seen_date_line = false;
  bool seen_lead_date = false;
  for (std::size_t k = 0; k < m_paras.size(); ++k) {
    const Paragraph& p = m_paras[k];
    const auto& matches = p.dates;
    if (matches.empty()) {
      continue;
    }
    const bool after = k >= m_body_end;
    const bool in_body = k >= m_body_begin && k < m_body_end;
    const bool header = k >= header_from && k < m_body_begin;
    const bool near = (k < m_body_begin && k + 15 >= m_body_begin) || (in_body && k < m_body_begin + 3);
    const bool after_near = after && k < m_body_end + 4;
    // Copyright lines give years; a full date with them ("© dpa-AFX | 07.11.2023 08:03") is
    // a wire story's timestamp, weak but kept.
    const bool copyright = m_rules.end_markers_any.starts(p.lower);
    if (copyright && std::none_of(matches.begin(), matches.end(), [](const DateMatch& m) { return m.date.day != 0; })) {
      continue;
    }
    // A cue on the line before ("Date" / "Published").
    const std::string_view previous = k > 0 ? std::string_view(m_paras[k - 1].lower) : "";
    const bool prev_published = k > 0 && m_paras[k - 1].words <= 3 && m_rules.published_cues.starts(previous);
    const bool prev_updated = k > 0 && m_paras[k - 1].words <= 3 && m_rules.updated_cues.starts(previous);
    for (const auto& raw_match : matches) {
      DateMatch match = raw_match;
      if (match.order_unknown) {
        match.date = reader.read(match);
        match.ambiguous = match.short_year || match.date.day == 0;
      }
      // Cue words shortly before (or, for "published", after) the date in the same paragraph.
      const std::size_t from = match.begin > 40 ? match.begin - 40 : 0;
      const std::string before = utf8::lower(std::string_view(p.text).substr(from, match.begin - from));
      const std::string after_text = utf8::lower(std::string_view(p.text).substr(match.end, 100));
      const bool updated_cue = prev_updated || m_rules.updated_cues.contains_in(before);
      const bool published = prev_published ||
                             (!updated_cue && m_rules.published_cues.contains_in(before)) ||
                             (p.words <= 14 && m_rules.published_cues.contains_in(after_text)) ||
                             (p.words <= 25 && m_rules.published_cues.contains_in(
                                                   std::string_view(after_text).substr(0, std::min<std::size_t>(after_text.size(), 24))));
      const bool updated = !published && updated_cue;
      double score = 0;
      if (published) score += 5;
      if (updated) score -= 1;
      if (header) score += 3;
      if (p.words <= 14) score += 2.5;
      if (match.has_time) score += 1;
      if (near) score += (k < m_body_begin && k + 6 >= m_body_begin) ? 1.5 : 1;
      if (p.words <= 14 && is_byline_text(p)) score += 1;
      if (k < 6 && k + 20 < m_body_begin) score -= 2;  // today's date in the page header
      // "(18.01.2018) Text", "31. Oktober 2023. Text", "Red. / 31.10.2023 Text": the first
      // date that opens one of the story's first paragraphs.
      if (in_body && k < m_body_begin + 5 && match.begin < 30 && !seen_lead_date) {
        score += 3;
        seen_lead_date = true;
      }
      if (after) score -= after_near ? 1 : 3;
      if (in_body && p.words > 14) score -= 2;
      if (in_body && k >= m_body_begin + 3) score -= 1.1;
      if (p.appeal) score -= 6;
      if (copyright) score -= 1;
      if (match.ambiguous) score -= 1;
      if (match.range) score -= 2.5;
      if (p.words <= 14 && m_rules.comment_cues.contains_in(p.lower)) score -= 4;  // "8. Mai 2025 · Antworten"
      if (match.date.day == 0) score -= 2;
      if (p.list_item) score -= 1;
      if (p.words <= 8 && !p.list_item && !p.appeal && match.date.day != 0 && !after && !seen_date_line) {
        score += 1;  // the first date line of the page
        seen_date_line = true;
      }
      candidates.push_back({match.date, score, updated, k, p.words <= 14 && match.date.day != 0,
                            match.order_unknown && match.date.day == 0});
      if (in_body && match.date.day != 0 && !p.appeal) {
        body_days.push_back(match.date);
      }
    }
  }
  // Archive and comment lists: a run of short date lines with different dates.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    int distinct = 0;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (j != i && candidates[j].short_line && candidates[j].date != candidates[i].date &&
          candidates[j].index + 12 >= candidates[i].index && candidates[j].index <= candidates[i].index + 12) {
        ++distinct;
      }
    }
    if (candidates[i].short_line && distinct >= 3) {
      candidates[i].score -= 3;
    }
  }
  const Candidate* best = nullptr;
  for (const auto& c : candidates) {
    if (c.score >= k_min_date_score && (!best || c.score > best->score)) {
      best = &c;
    }
  }
  // A weak winner that a near-equal candidate contradicts is a guess: no date.
  if (best && best->score < 4.0) {
    for (const auto& c : candidates) {
      // Today's date at the top of the page (far above the story) and dates the story
      // mentions veto no date line above the story.
      const bool no_veto = (c.index < 6 && c.index + 20 < m_body_begin) ||
                            (c.index >= m_body_begin + 2 && c.index < m_body_end && best->index < m_body_begin);
      if (&c != best && c.date.day != 0 && c.date != best->date && c.score >= best->score - 0.5 && !no_veto) {
        best = nullptr;
        break;
      }
    }
  }
  if (best) {
    m_article.date = best->date;
    m_article.date_origin = std::string(date_origin::text);
    return;
  }
  // No strong candidate: short date lines that all agree on one day are accepted.
  {
    const Candidate* only = nullptr;
    bool agree = true;
    for (const auto& c : candidates) {
      if (!c.short_line || c.score <= -2 || (c.index < 6 && c.index + 20 < m_body_begin)) continue;
      if (only && only->date != c.date) agree = false;
      if (!only || c.score > only->score) only = &c;
    }
    if (only && agree && only->score >= 0.5 && !only->updated) {
      m_article.date = only->date;
      m_article.date_origin = std::string(date_origin::text);
      return;
    }
  }
  // The only full date inside the story (a caption's "on May 8, 2025") is accepted.
  if (!body_days.empty() &&
      std::all_of(body_days.begin(), body_days.end(), [&](const PartialDate& d) { return d == body_days.front(); })) {
    bool elsewhere = false;
    for (const auto& c : candidates) {
      if ((c.date.day != 0 && c.date != body_days.front()) || c.unread) {
        elsewhere = true;
      }
    }
    if (!elsewhere) {
      m_article.date = body_days.front();
      m_article.date_origin = std::string(date_origin::text);
      return;
    }
  }
  // The only full date on the page, on a short line of its own ("Posted on May 8, 2025"
  // under a blog post), however weak its place.
  {
    const Candidate* only = nullptr;
    bool single = true;
    for (const auto& c : candidates) {
      if (c.date.day == 0 || c.unread || m_paras[c.index].boiler) continue;  // "Since July 1, 2024, no ads"
      if (only && only->date != c.date) single = false;
      if (!only || c.score > only->score) only = &c;
    }
    if (only && single && only->short_line && !only->updated) {
      m_article.date = only->date;
      m_article.date_origin = std::string(date_origin::text);
    }
  }
}

void PageExtractor::find_source() {
  std::optional<int> copyright_year;
  std::string from_copyright;
  std::string from_appeal;
  std::string from_bio;
  for (std::size_t k = 0; k < m_paras.size(); ++k) {
    const Paragraph& p = m_paras[k];
    for (const auto& prefix : m_rules.copyright_prefixes) {
      if (p.words > 60) {
        break;
      }
      if (!p.lower.starts_with(prefix) && !(prefix == "©" && p.lower.find(prefix) != std::string::npos)) {
        continue;
      }
      // Years, then the holder.
      const std::string squeezed = utf8::squeeze_spaces(p.text);
      std::size_t pos = prefix == "©" ? squeezed.find("©") : 0;
      if (pos == std::string::npos) {
        break;
      }
      std::size_t i = pos;
      utf8::decode(squeezed, i);  // at least one code point of the prefix
      i = std::max(i, pos + prefix.size());
      int year = 0;
      while (i < squeezed.size()) {
        const unsigned char c = static_cast<unsigned char>(squeezed[i]);
        if (c >= '0' && c <= '9') {
          int value = 0;
          std::size_t j = i;
          while (j < squeezed.size() && squeezed[j] >= '0' && squeezed[j] <= '9') {
            if (value < 100000) value = value * 10 + (squeezed[j] - '0');  // no overflow on long digit runs
            ++j;
          }
          if (j - i == 4 && value >= 1990 && value <= 2100) {
            year = std::max(year, value);
          }
          i = j;
        } else if (c == ' ' || c == '-' || c == ',' || c == '(' || c == ')' || c == '/') {
          ++i;
        } else if (c == 0xE2 || c == 0xC2) {  // en dash, ©, nbsp...
          utf8::decode(squeezed, i);
        } else {
          break;
        }
      }
      if (year != 0 && !copyright_year) {
        copyright_year = year;
      }
      if (from_copyright.empty()) {
        std::string_view holder = std::string_view(squeezed).substr(i);
        const std::string known = outlet_at_start(m_rules, holder);
        if (!known.empty()) {
          from_copyright = known;
        }
      }
      break;
    }
    if (from_appeal.empty() && (p.appeal || p.boiler)) {
      for (const auto& prefix : m_rules.appeal_prefixes) {
        const std::size_t pos = p.lower.find(prefix);
        if (pos != std::string::npos && pos < 40) {
          from_appeal = outlet_in(m_rules, p.text);
          break;
        }
      }
    }
    if (from_bio.empty() && k >= m_body_end) {
      for (const auto& phrase : m_rules.bio_phrases) {
        const std::size_t pos = p.lower.find(phrase);
        if (pos != std::string::npos) {
          const std::string squeezed = utf8::squeeze_spaces(p.text);
          const std::size_t at = map_offset(p.lower, pos + phrase.size(), squeezed);
          from_bio = outlet_at_start(m_rules, std::string_view(squeezed).substr(at));
          if (!from_bio.empty()) break;
        }
      }
    }
  }
  if (!m_article.source) {
    for (const std::string* s : {&from_copyright, &from_appeal, &from_bio}) {
      if (!s->empty()) {
        m_article.source = *s;
        break;
      }
    }
  }
  if (copyright_year && m_article.date.empty()) {
    m_article.date_inferred = PartialDate{*copyright_year, 0, 0};
    m_article.date_inferred_origin = std::string(date_origin::copyright_line);
  }
}

// The headline, byline and date were looked for around the run the paragraphs' scores chose.
// The body's range is then chosen again with body_model.json's "widen_before" added to every
// score, and its start is kept: parts of the story that a run of short lines, a caption or a
// subheading cut off above the run, its deck and lead. Then again with "widen_after" (smaller:
// what follows a story is more often related links, bios and appeals), and its end is kept.
// A wider choice that does not overlap the run is another block of the page and is ignored,
// and so is one that would add more than "widen_max_share" of the run's text on that side.
// Inside the range, paragraphs scoring below "skip_below" are left out of the body, and so
// are bylines, date lines and photo credits above the run.
void PageExtractor::widen_body() {
  if (m_body_begin >= m_body_end) {
    return;
  }
  const std::size_t begin = m_body_begin;
  const std::size_t end = m_body_end;
  // Not for a story written mostly in Chinese, Japanese or Korean: the model knows no words of
  // scripts without spaces, and the raise was fitted on pages in languages written with them
  // (on such pages it took in the menus above the story).
  int cjk = 0;
  int other_letters = 0;
  for (std::size_t k = begin; k < end; ++k) {
    cjk += m_paras[k].counts.cjk;
    other_letters += m_paras[k].counts.letters;
  }
  other_letters -= cjk; // (nearly all CJK characters count as letters too)
  if (cjk > other_letters) {
    return;
  }
  const auto text_size = [&](std::size_t from, std::size_t to) {
    std::size_t size = 0;
    for (std::size_t k = from; k < to; ++k)
      size += m_paras[k].text.size();
    return static_cast<double>(size);
  };
  const double most = m_rules.body_widen_max_share * text_size(begin, end);
  std::size_t new_begin = begin;
  std::size_t new_end = end;
  std::vector<bool> skip = m_skip;
  const auto overlaps = [&] { return m_body_begin < end && m_body_end > begin; };
  if (m_rules.body_widen_before > 0) {
    choose_range(m_rules.body_widen_before);
    if (overlaps() && text_size(std::min(m_body_begin, begin), begin) <= most) {
      new_begin = m_body_begin;
      skip = m_skip;
    }
  }
  if (m_rules.body_widen_after > 0) {
    choose_range(m_rules.body_widen_after);
    if (overlaps() && text_size(end, std::max(end, m_body_end)) <= most) {
      new_end = std::max(end, m_body_end);
    }
  }
  m_body_begin = new_begin;
  m_body_end = new_end;
  m_skip = std::move(skip);
  // Above the run, bylines, date lines and photo credits stay out (as between a headline and
  // its story, extend_body_start); anywhere in the range, a paragraph the model finds far more
  // like furniture than story ("Advertisement", a share bar, a teaser line).
  for (std::size_t k = m_body_begin; k < m_body_end; ++k) {
    const Paragraph& p = m_paras[k];
    if (p.score < m_rules.body_skip_below ||
        (k < begin && (p.credit || is_date_line(p) || !byline_at(k, false).empty()))) {
      m_skip[k] = true;
    }
  }
}

// A standfirst or lead between the headline and the best run belongs to the story; the
// byline, date and caption lines around it do not.
void PageExtractor::extend_body_start() {
  if (!m_title_index || *m_title_index >= m_body_begin) {
    return;
  }
  const auto meta = [&](std::size_t k) {
    const Paragraph& p = m_paras[k];
    return p.boiler || p.header || p.list_item || p.bracketed || p.credit || is_date_line(p) ||
           !byline_at(k, false).empty();
  };
  std::size_t first = m_body_begin;
  for (std::size_t k = *m_title_index + 1; k < m_body_begin; ++k) {
    const Paragraph& p = m_paras[k];
    if (meta(k)) {
      continue;
    }
    if (p.words >= 8 && (p.sentence || p.words >= 15)) {
      first = k;
      break;
    }
  }
  // A deck above it (a subtitle of 8 words or more without final punctuation) belongs to the
  // story too when it is no photo caption, no copy of the headline, no link printed twice and
  // no other headline (Title Case); the short lines around it do not.
  const std::string& headline = m_paras[*m_title_index].lower;
  const auto deck = [&](std::size_t k) {
    const Paragraph& p = m_paras[k];
    if (p.words < 8 || meta(k) || m_rules.caption_words.contains_in(p.lower) ||
        p.lower.find(headline) != std::string::npos ||
        headline.find(p.lower) != std::string::npos || title_case(p.text) ||
        has_clock_time(p.text)) {
      return false;
    }
    const std::size_t half = p.text.size() / 2;
    const bool glued_twice = p.text.size() % 2 == 0 && std::string_view(p.text).substr(0, half) ==
                                                           std::string_view(p.text).substr(half);
    return !glued_twice && m_paras[k - 1].text != p.text &&
           (k + 1 >= m_paras.size() || m_paras[k + 1].text != p.text);
  };
  std::size_t begin = first;
  if (first - *m_title_index <= k_max_deck_distance) {
    for (std::size_t k = *m_title_index + 1; k < first; ++k) {
      if (deck(k)) {
        begin = k;
        break;
      }
    }
  }
  for (std::size_t k = begin; k < m_body_begin; ++k) {
    // Subheadings and short lines between the standfirst and the run belong to the story too.
    m_skip[k] = k < first ? !deck(k) : meta(k);
  }
  // A short line ending in a colon or comma right above the story leads into it ("Dear
  // readers,", "The court's key points:").
  if (begin > *m_title_index + 1 && !m_paras[begin].list_item) {
    const Paragraph& p = m_paras[begin - 1];
    const char32_t last = last_code_point(p.text);
    if ((last == ':' || last == ',') && p.words <= 8 && !meta(begin - 1)) {
      --begin;
    }
  }
  m_body_begin = begin;
}

// Whether paragraph k of the story's range stays out of the body: boilerplate, a wire
// header, a bracketed placeholder, or a line the range choice skipped.
bool PageExtractor::left_out(std::size_t k) const {
  const Paragraph& p = m_paras[k];
  return p.boiler || p.header || p.bracketed || (k < m_skip.size() && m_skip[k]);
}

void PageExtractor::assemble_body() {
  std::string body;
  for (std::size_t k = m_body_begin; k < m_body_end; ++k) {
    const Paragraph& p = m_paras[k];
    if (left_out(k)) {
      continue;
    }
    const std::string& text = (k == m_first_index && !m_first_paragraph.empty()) ? m_first_paragraph : p.text;
    if (m_trace && k < m_trace->size()) (*m_trace)[k].in_body = true;
    if (!body.empty()) {
      body += "\n\n";
    }
    body += text;
  }
  if (body.empty()) {
    // Every paragraph looked like boilerplate (a one-line story, say): keep the longest
    // one that is not the headline rather than store an article with no text to find.
    const Paragraph* longest = nullptr;
    for (const Paragraph& p : m_paras) {
      if (m_article.title && p.text == *m_article.title) continue;
      if (!longest || p.words > longest->words) longest = &p;
    }
    if (longest && longest->words > 0) body = longest->text;
  }
  m_article.body = std::move(body);
}

void PageExtractor::apply_metadata(const FrontMatter& fm) {
  if (fm.title) m_article.title = fm.title;
  if (!fm.authors.empty()) m_article.authors = fm.authors;
  if (fm.date) {
    m_article.date = *fm.date;
    m_article.date_origin = std::string(date_origin::front_matter);
  }
  if (fm.source) m_article.source = fm.source;
  if (fm.dateline) m_article.dateline = fm.dateline;
  if (fm.lang) m_article.lang = *fm.lang;
  if (fm.url) m_article.url = *fm.url;
}

void PageExtractor::apply_sidecar() {
  if (!m_page.sidecar_json) {
    return;
  }
  const nlohmann::json doc = nlohmann::json::parse(*m_page.sidecar_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return;
  }
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string() && !utf8::trim(it->get<std::string>()).empty()) {
      return std::string(utf8::trim(it->get<std::string>()));
    }
    return std::nullopt;
  };
  if (auto v = text("title")) m_article.title = *v;
  if (auto it = doc.find("authors"); it != doc.end()) {
    std::vector<std::string> names;
    if (it->is_array()) {
      for (const auto& n : *it) {
        if (n.is_string() && !utf8::trim(n.get<std::string>()).empty()) {
          names.emplace_back(utf8::trim(n.get<std::string>()));
        }
      }
    } else if (it->is_string()) {
      names = split_author_list(it->get<std::string>());
    }
    if (!names.empty()) m_article.authors = std::move(names);
  } else if (auto v = text("author")) {
    m_article.authors = split_author_list(*v);
  }
  if (auto v = text("date")) {
    if (auto date = parse_date_value(*v, m_rules)) {
      m_article.date = *date;
      m_article.date_origin = std::string(date_origin::sidecar);
    }
  }
  if (auto v = text("source")) m_article.source = *v;
  if (auto v = text("dateline")) m_article.dateline = *v;
  if (auto v = text("lang")) m_article.lang = utf8::lower(*v);
  if (auto v = text("url")) m_article.url = *v;
}

Article PageExtractor::run() {
  m_article.path = m_page.path;
  m_article.encoding = m_page.encoding;
  std::string_view text = m_page.text;
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  FrontMatter fm;
  const std::size_t first = parse_front_matter(lines, fm, m_rules);
  build_paragraphs(lines, first);
  find_wire_header();
  select_body();
  strip_inline_dateline();
  find_title();
  find_authors();
  find_date();
  find_source();
  widen_body();
  extend_body_start();
  assemble_body();
  if (m_trace) {
    if (m_title_index && *m_title_index < m_trace->size()) (*m_trace)[*m_title_index].kind += 't';
    for (std::size_t k = m_body_begin; k < m_body_end && k < m_trace->size(); ++k)
      (*m_trace)[k].kind += 'r';
  }
  m_article.lang = detect_language(m_article.body.empty() ? text : std::string_view(m_article.body), m_rules);

  apply_metadata(fm);
  if (m_options.date_from_filename && m_article.date_origin != date_origin::front_matter) {
    if (auto date = date_from_filename(m_page.path)) {
      m_article.date = *date;
      m_article.date_origin = std::string(date_origin::filename);
    }
  }
  apply_sidecar();
  if (!m_article.date.empty()) {
    m_article.date_inferred = {};
    m_article.date_inferred_origin.clear();
  }
  if (!m_article.title) {
    // The body's first paragraph (the range may open with lines left out of it).
    std::size_t lead_index = m_body_begin;
    while (lead_index + 1 < m_body_end && left_out(lead_index)) {
      ++lead_index;
    }
    const std::string& lead =
        m_first_paragraph.empty()
            ? (lead_index < m_body_end ? m_paras[lead_index].text : std::string())
            : m_first_paragraph;
    std::string_view sentence = lead;
    for (std::size_t i = 0; i + 1 < sentence.size(); ++i) {
      if ((sentence[i] == '.' || sentence[i] == '!' || sentence[i] == '?') && sentence[i + 1] == ' ' &&
          i > 20) {
        sentence = sentence.substr(0, i + 1);
        break;
      }
    }
    m_article.title_derived = utf8::shorten(utf8::squeeze_spaces(sentence), k_derived_title_chars);
  }
  return std::move(m_article);
}

}  // namespace

Extractor Extractor::load(const std::filesystem::path& data_dir) {
  return Extractor(load_rules(data_dir));
}

Extractor Extractor::load_default() { return load(data_dir()); }

Extractor::Extractor(std::shared_ptr<const ExtractionRules> rules) : m_rules(std::move(rules)) {}

Article Extractor::extract(const PageInput& page, const ExtractOptions& options) const {
  return PageExtractor(*m_rules, page, options).run();
}

Article Extractor::explain(const PageInput& page, const ExtractOptions& options,
                           std::vector<ParagraphTrace>& trace) const {
  trace.clear();
  return PageExtractor(*m_rules, page, options, &trace).run();
}

std::span<const std::string_view> body_feature_names() {
  return k_body_features;
}

}  // namespace newsidx
