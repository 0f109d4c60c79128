// The analysis behind the full-text index (include/newsidx/tokenizer.hpp) and its
// registration as the FTS5 tokenizer "newsidx" (src/tokenizer.hpp).
//
// Speed matters: every indexed byte passes through here. Runs of letters in scripts
// written with spaces (Latin, Cyrillic, Greek, Arabic, Hangul, ...) are cut by a scanner
// over UTF-8 with no allocation per word; ASCII and basic Cyrillic are case-folded by hand
// and only other words go through ICU's NFKC_Casefold. ICU's BreakIterator runs only over
// runs of the scripts that need a dictionary (Han, kana, Thai, Lao, Khmer, Myanmar),
// reading the UTF-8 in place through a UText. Stemmers and the BreakIterator are cached
// per thread.
#include "tokenizer.hpp"

#include "newsidx/tokenizer.hpp"

#include <libstemmer.h>
// Inlined (same results as the library): hashes of short words are called millions of times.
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <unordered_map>

namespace newsidx {

namespace {
// The terms the index holds, while an IndexedTermsScope is alive on this thread.
thread_local const std::unordered_set<std::string>* t_indexed_terms = nullptr;
} // namespace

namespace {

enum class Script : std::uint8_t {
  none,
  latin,
  cyrillic,
  greek,
  arabic,
  armenian,
  devanagari,
  tamil,
  hebrew,
  other
};

constexpr std::size_t k_script_count = static_cast<std::size_t>(Script::other) + 1;

struct LanguageStemmer {
  std::string_view lang;
  std::string_view algorithm;
  Script script;
};

// Languages with a Snowball stemmer in Debian's libstemmer, by ISO 639-1 code.
constexpr LanguageStemmer k_language_stemmers[] = {
    {"en", "english", Script::latin},    {"de", "german", Script::latin},
    {"fr", "french", Script::latin},     {"es", "spanish", Script::latin},
    {"it", "italian", Script::latin},    {"pt", "portuguese", Script::latin},
    {"nl", "dutch", Script::latin},      {"sv", "swedish", Script::latin},
    {"da", "danish", Script::latin},     {"no", "norwegian", Script::latin},
    {"nb", "norwegian", Script::latin},  {"nn", "norwegian", Script::latin},
    {"fi", "finnish", Script::latin},    {"hu", "hungarian", Script::latin},
    {"ro", "romanian", Script::latin},   {"tr", "turkish", Script::latin},
    {"id", "indonesian", Script::latin}, {"ca", "catalan", Script::latin},
    {"eu", "basque", Script::latin},     {"ga", "irish", Script::latin},
    {"lt", "lithuanian", Script::latin}, {"sr", "serbian", Script::latin},
    {"ru", "russian", Script::cyrillic}, {"el", "greek", Script::greek},
    {"ar", "arabic", Script::arabic},    {"hy", "armenian", Script::armenian},
    {"hi", "hindi", Script::devanagari}, {"ne", "nepali", Script::devanagari},
    {"ta", "tamil", Script::tamil},      {"yi", "yiddish", Script::hebrew},
};

// Languages written in a script for which no stemmer fits them: their words stay
// unstemmed instead of getting the script's default stemmer.
struct NativeScript {
  std::string_view lang;
  Script script;
};
constexpr NativeScript k_unstemmed_natives[] = {
    {"uk", Script::cyrillic},   {"bg", Script::cyrillic}, {"be", Script::cyrillic},
    {"mk", Script::cyrillic},   {"kk", Script::cyrillic}, {"ky", Script::cyrillic},
    {"mn", Script::cyrillic},   {"tg", Script::cyrillic}, {"sr", Script::cyrillic},
    {"pl", Script::latin},      {"cs", Script::latin},    {"sk", Script::latin},
    {"sl", Script::latin},      {"hr", Script::latin},    {"bs", Script::latin},
    {"et", Script::latin},      {"lv", Script::latin},    {"is", Script::latin},
    {"vi", Script::latin},      {"sq", Script::latin},    {"az", Script::latin},
    {"uz", Script::latin},      {"ms", Script::latin},    {"tl", Script::latin},
    {"sw", Script::latin},      {"af", Script::latin},    {"cy", Script::latin},
    {"mt", Script::latin},      {"gl", Script::latin},    {"he", Script::hebrew},
    {"fa", Script::arabic},     {"ur", Script::arabic},   {"ps", Script::arabic},
    {"mr", Script::devanagari},
};

// The stemmer for a word of `script` in an article of unknown language, or in an article
// whose language is not written in that script (an English name in a Russian post).
constexpr std::string_view script_default(Script script) {
  switch (script) {
    case Script::latin: return "english";
    case Script::cyrillic: return "russian";
    case Script::greek: return "greek";
    case Script::arabic: return "arabic";
    case Script::armenian: return "armenian";
    case Script::devanagari: return "hindi";
    case Script::tamil: return "tamil";
    default: return {};
  }
}

// Every distinct algorithm, so that stemmers can be cached in an array.
constexpr std::string_view k_algorithms[] = {
    "english",    "german",  "french",    "spanish", "italian",    "portuguese", "dutch",
    "swedish",    "danish",  "norwegian", "finnish", "hungarian",  "romanian",   "turkish",
    "indonesian", "catalan", "basque",    "irish",   "lithuanian", "serbian",    "russian",
    "greek",      "arabic",  "armenian",  "hindi",   "nepali",     "tamil",      "yiddish",
};
constexpr std::size_t k_algorithm_count = std::size(k_algorithms);

constexpr int algorithm_index(std::string_view name) {
  for (std::size_t i = 0; i < k_algorithm_count; ++i) {
    if (k_algorithms[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// Words longer than this (URLs glued together, base64) are indexed but not stemmed.
constexpr std::size_t k_max_stem_bytes = 64;

// "pt-BR" -> "pt", "EN" -> "en".
std::string primary_language(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
    if (out.size() > 8) break;
  }
  return out;
}

// The algorithm index to stem a word of `script` with, in an article of language `lang`
// (already primary_language()); -1 for no stemming.
int stemmer_for(std::string_view lang, Script script) {
  if (script == Script::none || script == Script::other) return -1;
  if (!lang.empty()) {
    for (const LanguageStemmer& s : k_language_stemmers) {
      if (s.lang == lang && s.script == script) return algorithm_index(s.algorithm);
    }
    for (const NativeScript& n : k_unstemmed_natives) {
      if (n.lang == lang && n.script == script) return -1;
    }
  }
  std::string_view fallback = script_default(script);
  return fallback.empty() ? -1 : algorithm_index(fallback);
}

// Query side: every algorithm that may have stemmed a word of `script` in some article.
struct Candidates {
  std::array<int, k_algorithm_count> items{};
  std::size_t size = 0;
};

Candidates candidates_for(Script script) {
  Candidates out;
  auto add = [&](int index) {
    if (index < 0) return;
    for (std::size_t i = 0; i < out.size; ++i) {
      if (out.items[i] == index) return;
    }
    out.items[out.size++] = index;
  };
  add(stemmer_for("", script)); // the default first
  for (const LanguageStemmer& s : k_language_stemmers) {
    if (s.script == script) add(algorithm_index(s.algorithm));
  }
  return out;
}

const Candidates& query_candidates(Script script) {
  static const auto table = [] {
    std::array<Candidates, k_script_count> all{};
    for (std::size_t k = 0; k < k_script_count; ++k)
      all[k] = candidates_for(static_cast<Script>(k));
    return all;
  }();
  return table[static_cast<std::size_t>(script)];
}

Script script_of(UChar32 c) {
  if (c < 0x80) return (c >= '0' && c <= '9') ? Script::none : Script::latin;
  if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0xFF21 && c <= 0xFF5A)) {
    return Script::latin;
  }
  if (c >= 0x400 && c <= 0x52F) return Script::cyrillic;
  if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF)) return Script::greek;
  if (c >= 0x600 && c <= 0x6FF) return Script::arabic;
  if (c >= 0x530 && c <= 0x58F) return Script::armenian;
  if (c >= 0x900 && c <= 0x97F) return Script::devanagari;
  if (c >= 0xB80 && c <= 0xBFF) return Script::tamil;
  if (c >= 0x590 && c <= 0x5FF) return Script::hebrew;
  if (u_isdigit(c)) return Script::none;
  return Script::other;
}

// Scripts written without spaces: cut with ICU's dictionary-based word BreakIterator.
bool is_dictionary_script(UChar32 c) {
  if (c < 0x0E00) return false;
  return (c >= 0x0E00 && c <= 0x0EFF) || // Thai, Lao
         (c >= 0x1000 && c <= 0x109F) || // Myanmar
         (c >= 0x1780 && c <= 0x17FF) || // Khmer
         (c >= 0x19E0 && c <= 0x19FF) || // Khmer symbols
         (c >= 0x3005 && c <= 0x3007) || // 々 〆 〇
         (c >= 0x3021 && c <= 0x3029) || (c >= 0x3031 && c <= 0x3035) ||
         (c >= 0x3040 && c <= 0x30FA) || (c >= 0x30FC && c <= 0x30FF) || // kana, not ・
         (c >= 0x31F0 && c <= 0x31FF) ||                                 // katakana extensions
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || // Han
         (c >= 0xF900 && c <= 0xFAFF) ||                                 // compatibility ideographs
         (c >= 0xFF66 && c <= 0xFF9F) ||                                 // half-width katakana
         (c >= 0x20000 && c <= 0x3FFFF);                                 // Han extensions
}

bool is_cjk(UChar32 c) {
  return c >= 0x3000;
}

enum class CharClass : std::uint8_t { separator, word, dictionary };

// ASCII letters and digits, the only ASCII characters inside words.
constexpr std::array<bool, 128> k_ascii_alnum = [] {
  std::array<bool, 128> table{};
  for (int c = 0; c < 128; ++c) {
    table[static_cast<std::size_t>(c)] =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return table;
}();

CharClass classify(UChar32 c) {
  if (c < 0x80) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alnum ? CharClass::word : CharClass::separator;
  }
  if (c < 0) return CharClass::separator;
  if (is_dictionary_script(c)) return CharClass::dictionary;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER: return CharClass::word;
    case U_FORMAT_CHAR:
      // Soft hyphen and the joiners sit inside words (NFKC_Casefold removes them); other
      // format characters (zero-width space, bidi marks) separate.
      return (c == 0xAD || c == 0x200C || c == 0x200D || c == 0x2060) ? CharClass::word
                                                                      : CharClass::separator;
    default: return CharClass::separator;
  }
}

void append_utf8(std::string& out, UChar32 c) {
  char buffer[4];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

// Base letters of Latin and Greek letters with diacritics (from their NFD decomposition),
// plus the few letters Unicode does not decompose (ø, ł, đ, ħ, ı).
class DiacriticTable {
public:
  DiacriticTable() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    for (const Range& range : k_ranges) {
      for (UChar32 c = range.first; c <= range.last; ++c) {
        UChar32 base = c;
        icu::UnicodeString decomposition;
        if (U_SUCCESS(status) && nfd->getDecomposition(c, decomposition) &&
            decomposition.length() > 0) {
          UChar32 first = decomposition.char32At(0);
          if (u_isalpha(first)) base = first;
        }
        m_bases[index(c)] = base;
      }
    }
    const std::pair<UChar32, UChar32> extra[] = {
        {0xF8, 'o'},  {0xD8, 'O'},  {0x142, 'l'}, {0x141, 'L'}, {0x111, 'd'}, {0x110, 'D'},
        {0x127, 'h'}, {0x126, 'H'}, {0x131, 'i'}, {0x167, 't'}, {0x180, 'b'}};
    for (auto [from, to] : extra)
      m_bases[index(from)] = to;
  }

  // The base letter, or `c` itself outside the table.
  UChar32 base(UChar32 c) const {
    std::size_t i = index(c);
    return i < m_bases.size() ? m_bases[i] : c;
  }

private:
  struct Range {
    UChar32 first;
    UChar32 last;
  };
  static constexpr Range k_ranges[] = {
      {0xC0, 0x24F}, {0x370, 0x3FF}, {0x1E00, 0x1EFF}, {0x1F00, 0x1FFF}};
  static constexpr std::size_t k_size =
      (0x24F - 0xC0 + 1) + (0x3FF - 0x370 + 1) + (0x1EFF - 0x1E00 + 1) + (0x1FFF - 0x1F00 + 1);

  static std::size_t index(UChar32 c) {
    std::size_t offset = 0;
    for (const Range& range : k_ranges) {
      if (c >= range.first && c <= range.last)
        return offset + static_cast<std::size_t>(c - range.first);
      offset += static_cast<std::size_t>(range.last - range.first + 1);
    }
    return k_size;
  }

  std::array<UChar32, k_size> m_bases{};
};

const DiacriticTable& diacritic_table() {
  static const DiacriticTable table;
  return table;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// After stemming: Latin and Greek letters lose their diacritics, ё becomes е, and Arabic
// and Hebrew vowel points go.
void fold_diacritics(std::string_view in, std::string& out) {
  out.clear();
  if (is_ascii(in)) {
    out.assign(in);
    return;
  }
  const DiacriticTable& table = diacritic_table();
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  int32_t length = static_cast<int32_t>(in.size());
  int32_t i = 0;
  while (i < length) {
    if (s[i] < 0x80) {
      out.push_back(static_cast<char>(s[i++]));
      continue;
    }
    if (i + 1 < length && (s[i] == 0xD0 || (s[i] == 0xD1 && s[i + 1] != 0x90 && s[i + 1] != 0x91 &&
                                            s[i + 1] != 0x9D))) {
      // Basic Cyrillic (U+0400-U+047F) other than ѐ ё ѝ: as it is.
      out.push_back(static_cast<char>(s[i]));
      out.push_back(static_cast<char>(s[i + 1]));
      i += 2;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x64B && c <= 0x65F) || c == 0x670 || c == 0x640 ||
        (c >= 0x591 && c <= 0x5C7 && u_charType(c) == U_NON_SPACING_MARK)) {
      continue;
    }
    if (c == 0x451 || c == 0x450)
      c = 0x435; // ё ѐ -> е
    else if (c == 0x45D)
      c = 0x438; // ѝ -> и
    else
      c = table.base(c);
    append_utf8(out, c);
  }
}

// Before stemming (after case folding): combining marks such as Russian stress accents
// go, and ё becomes е, so that the stemmer sees the letters it knows.
void strip_marks_in_place(std::string& s) {
  if (s.find('\xCC') == std::string::npos && s.find('\xCD') == std::string::npos &&
      s.find("\xD1\x91") == std::string::npos) {
    return;
  }
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (c >= 0x300 && c <= 0x36F) continue;
    if (c == 0x451) {
      out += "\xD0\xB5";
      continue;
    }
    out.append(s, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
  s.swap(out);
}

struct StemmerCloser {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// Receives each term: FTS5's xToken or a vector for analyze().
class TokenSink {
public:
  virtual int token(bool colocated, std::string_view text, std::size_t start, std::size_t end) = 0;

protected:
  ~TokenSink() = default;
};

// Document words and the terms they became, for one language. Words repeat (a few
// thousand make up most of any text), so most words skip folding and Snowball. An
// open-addressing table of 32-byte slots: a short word and its term (together up to 22
// bytes, most words) are kept in the slot itself, so that a lookup is one hash and one
// cache line, which the Analyzer fetches ahead; longer ones go to a byte arena. When full
// it starts again empty.
class TermCache {
public:
  // The term cached for `word` (whose XXH3 hash is `hash`), if any. Valid until the next
  // insert().
  std::optional<std::string_view> find(std::string_view word, std::uint64_t hash) const {
    if (m_slots.empty()) return std::nullopt;
    const std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
      const Slot& slot = m_slots[i];
      if (slot.word_size == 0) return std::nullopt;
      if (slot.tag == tag && slot.word_size == word.size()) {
        const char* stored = text_of(slot);
        if (std::memcmp(stored, word.data(), word.size()) == 0)
          return std::string_view(stored + slot.word_size, slot.term_size);
      }
    }
  }

  // Starts fetching the slot where a look-up of `hash` begins into the CPU's cache.
  void prefetch(std::uint64_t hash) const {
    if (!m_slots.empty()) __builtin_prefetch(&m_slots[hash & m_mask]);
  }

  void insert(std::string_view word, std::uint64_t hash, std::string_view term) {
    if (word.empty() || word.size() > 0xFF || term.size() > 0xFF) return;
    const bool in_slot = word.size() + term.size() <= k_slot_bytes;
    if (!in_slot && m_arena.size() + word.size() + term.size() > k_max_arena_bytes) {
      m_slots.clear();
      m_arena.clear();
      m_used = 0;
    }
    if (m_slots.empty()) {
      resize(k_initial_slots, /*keep=*/false);
    } else if (m_used >= m_slots.size() / 2) {
      if (m_slots.size() >= k_max_slots) {
        m_arena.clear();
        resize(k_max_slots, /*keep=*/false);
      } else {
        resize(m_slots.size() * 2, /*keep=*/true);
      }
    }
    Slot slot{};
    slot.tag = static_cast<std::uint32_t>(hash >> 32);
    slot.word_size = static_cast<std::uint8_t>(word.size());
    slot.term_size = static_cast<std::uint8_t>(term.size());
    if (in_slot) {
      std::memcpy(slot.text, word.data(), word.size());
      std::memcpy(slot.text + word.size(), term.data(), term.size());
    } else {
      slot.offset = static_cast<std::uint32_t>(m_arena.size());
      m_arena.append(word);
      m_arena.append(term);
    }
    place(slot, hash);
  }

private:
  static constexpr std::size_t k_slot_bytes = 22;
  struct Slot {
    std::uint32_t tag = 0;      // the hash's high half
    std::uint32_t offset = 0;   // of the word in m_arena (its term follows it), if not here
    std::uint8_t word_size = 0; // 0: an empty slot
    std::uint8_t term_size = 0;
    char text[k_slot_bytes]; // the word and its term, when they fit
  };
  static_assert(sizeof(Slot) == 32); // two to a cache line, never across one
  static constexpr std::size_t k_initial_slots = 4096;
  static constexpr std::size_t k_max_slots = std::size_t{1} << 19; // 16 MB, 256k terms
  static constexpr std::size_t k_max_arena_bytes = std::size_t{16} << 20;

  const char* text_of(const Slot& slot) const {
    return slot.word_size + slot.term_size <= k_slot_bytes ? slot.text
                                                           : m_arena.data() + slot.offset;
  }

  void place(const Slot& slot, std::uint64_t hash) {
    std::size_t i = hash & m_mask;
    while (m_slots[i].word_size != 0)
      i = (i + 1) & m_mask;
    m_slots[i] = slot;
    ++m_used;
  }

  // A table of `size` slots, holding the old one's words when `keep`.
  void resize(std::size_t size, bool keep) {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(size, Slot{});
    m_mask = size - 1;
    m_used = 0;
    if (!keep) return;
    for (const Slot& slot : old) {
      if (slot.word_size != 0) place(slot, XXH3_64bits(text_of(slot), slot.word_size));
    }
  }

  std::vector<Slot> m_slots;
  std::size_t m_mask = 0;
  std::size_t m_used = 0;
  std::string m_arena;
};

// One per thread: ICU objects and Snowball stemmers are not thread-safe, and are costly to
// create for every call.
class Analyzer {
public:
  int run(std::string_view text, std::string_view lang, AnalysisMode mode, TokenSink& sink) {
    std::string primary = primary_language(lang);
    if (primary != m_lang || !m_stemmers_resolved) {
      m_lang = std::move(primary);
      for (std::size_t k = 0; k < m_stemmer_of_script.size(); ++k) {
        m_stemmer_of_script[k] = stemmer_for(m_lang, static_cast<Script>(k));
      }
      m_stemmers_resolved = true;
      m_term_cache = &m_term_caches[m_lang];
    }
    m_mode = mode;
    m_sink = &sink;
    if (mode != AnalysisMode::document) {
      return scan(text, [&](std::size_t start, std::string_view run, CharClass kind) {
        return kind == CharClass::word ? word(run, start) : dictionary_run(run, start);
      });
    }
    // Most words of a document are found in the term cache, but its slots are spread over
    // megabytes and the look-ups miss the CPU's caches. So the words are found first and
    // their slots fetched all at once, in parallel, then looked up in order.
    m_runs.clear();
    scan(text, [&](std::size_t start, std::string_view run, CharClass kind) {
      std::uint64_t hash = 0;
      if (kind == CharClass::word && run.size() <= k_max_cached_word_bytes) {
        hash = XXH3_64bits(run.data(), run.size());
        m_term_cache->prefetch(hash);
      }
      m_runs.push_back(Run{static_cast<std::uint32_t>(start),
                           static_cast<std::uint32_t>(run.size()), kind, hash});
      return 0;
    });
    for (const Run& run : m_runs) {
      std::string_view raw = text.substr(run.start, run.size);
      int rc = 0;
      if (run.kind == CharClass::dictionary) {
        rc = dictionary_run(raw, run.start);
      } else {
        std::string_view term = document_term(raw, run.hash);
        if (!term.empty()) rc = m_sink->token(false, term, run.start, run.start + run.size);
      }
      if (rc != 0) return rc;
    }
    return 0;
  }

private:
  struct Run {
    std::uint32_t start = 0;
    std::uint32_t size = 0;
    CharClass kind = CharClass::word;
    std::uint64_t hash = 0; // of a word the term cache may hold
  };

  // Calls visit(offset, run, kind) for each run of word or dictionary-script characters of
  // `text`, in order, until it returns non-zero (which is returned).
  template <class Visit> static int scan(std::string_view text, Visit&& visit) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t length = static_cast<int32_t>(text.size());
    int32_t i = 0;
    while (i < length) {
      while (i < length && s[i] < 0x80 && !k_ascii_alnum[s[i]])
        ++i; // ASCII separators
      if (i >= length) break;
      int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, length, c);
      CharClass kind = classify(c);
      if (kind == CharClass::separator) continue;
      int32_t end = i;
      while (end < length) {
        if (s[end] < 0x80) { // ASCII: no decoding
          if (kind != CharClass::word || !k_ascii_alnum[s[end]]) break;
          ++end;
          continue;
        }
        int32_t next = end;
        UChar32 d;
        U8_NEXT(s, next, length, d);
        if (classify(d) != kind) break;
        end = next;
      }
      std::string_view run =
          text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
      if (int rc = visit(static_cast<std::size_t>(start), run, kind)) return rc;
      i = end;
    }
    return 0;
  }

  // A word from a script written with spaces, outside document mode.
  int word(std::string_view raw, std::size_t offset) {
    std::size_t end = offset + raw.size();
    if (m_mode == AnalysisMode::display) return m_sink->token(false, raw, offset, end);
    Script script = fold(raw);
    if (m_folded.empty()) return 0; // only ignorable characters
    // Query: the unstemmed word (for articles in unstemmed languages) and its stem in
    // every language written in its script, as alternatives at one position.
    m_alternatives.clear();
    fold_diacritics(m_folded, m_term);
    m_alternatives.push_back(m_term);
    if (script != Script::none) {
      const Candidates& candidates = query_candidates(script);
      for (std::size_t k = 0; k < candidates.size; ++k) {
        fold_diacritics(stem(candidates.items[k], m_folded), m_term);
        bool seen = false;
        for (const std::string& a : m_alternatives)
          seen = seen || a == m_term;
        if (!seen) m_alternatives.push_back(m_term);
      }
    }
    if (m_mode == AnalysisMode::query && t_indexed_terms) {
      // Only the stems the index holds (the first when it holds none, so that the word
      // still matches nothing rather than disappearing from the query).
      std::size_t kept = 0;
      for (std::size_t k = 0; k < m_alternatives.size(); ++k) {
        if (t_indexed_terms->count(m_alternatives[k]))
          std::swap(m_alternatives[kept++], m_alternatives[k]);
      }
      m_alternatives.resize(std::max<std::size_t>(kept, 1));
    }
    for (std::size_t k = 0; k < m_alternatives.size(); ++k) {
      if (int rc = m_sink->token(k > 0, m_alternatives[k], offset, end)) return rc;
    }
    return 0;
  }

  // The indexed term of a document word in the current language: folded, stemmed and
  // stripped of diacritics; empty when nothing is left (only ignorable characters). Words
  // repeat, so terms are remembered per language and word (`hash` is the word's XXH3),
  // which saves most folding and Snowball calls.
  std::string_view document_term(std::string_view raw, std::uint64_t hash) {
    if (raw.size() > k_max_cached_word_bytes) {
      compute_document_term(raw);
      return m_term;
    }
    TermCache& cache = *m_term_cache;
    if (std::optional<std::string_view> found = cache.find(raw, hash)) return *found;
    compute_document_term(raw);
    cache.insert(raw, hash, m_term);
    return m_term;
  }

  void compute_document_term(std::string_view raw) {
    Script script = fold(raw);
    if (m_folded.empty()) {
      m_term.clear();
      return;
    }
    int algorithm = m_stemmer_of_script[static_cast<std::size_t>(script)];
    fold_diacritics(stem(algorithm, m_folded), m_term);
  }

  // Case-folds and NFKC-normalises `raw` into m_folded; returns the word's script.
  Script fold(std::string_view raw) {
    m_folded.clear();
    Script script = Script::none;
    bool simple = true; // ASCII and basic Cyrillic only: folded by hand
    const auto* s = reinterpret_cast<const uint8_t*>(raw.data());
    int32_t length = static_cast<int32_t>(raw.size());
    int32_t i = 0;
    while (i < length) {
      UChar32 c = s[i];
      if (c < 0x80) {
        ++i;
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (script == Script::none && c >= 'a') script = Script::latin;
        m_folded.push_back(static_cast<char>(c));
        continue;
      }
      U8_NEXT(s, i, length, c);
      if (script == Script::none) script = script_of(c);
      if (c >= 0x400 && c <= 0x45F) {
        if (c >= 0x410 && c <= 0x42F)
          c += 0x20; // А-Я
        else if (c == 0x401 || c == 0x400 || c == 0x451 || c == 0x450)
          c = 0x435; // Ё ё -> е
        else if (c >= 0x400 && c <= 0x40F)
          c += 0x50; // Ђ-Џ
        append_utf8(m_folded, c);
      } else {
        simple = false;
        break;
      }
    }
    if (simple) return script;
    m_folded.clear();
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_SUCCESS(status)) {
      icu::StringByteSink<std::string> sink(&m_folded);
      nfkc_cf->normalizeUTF8(0, icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())),
                             sink, nullptr, status);
    }
    if (U_FAILURE(status)) m_folded.assign(raw);
    strip_marks_in_place(m_folded);
    // The script of what the word became (the ligature ﬁ is Latin only once folded).
    std::size_t k = 0;
    script = Script::none;
    while (k < m_folded.size() && script == Script::none) {
      std::size_t at = k;
      const auto* f = reinterpret_cast<const uint8_t*>(m_folded.data());
      int32_t position = static_cast<int32_t>(at);
      UChar32 c;
      U8_NEXT(f, position, static_cast<int32_t>(m_folded.size()), c);
      k = static_cast<std::size_t>(position);
      if (c >= 0) script = script_of(c);
    }
    return script;
  }

  std::string_view stem(int algorithm, const std::string& word) {
    if (algorithm < 0 || word.size() > k_max_stem_bytes) return word;
    sb_stemmer* stemmer = stemmer_at(algorithm);
    if (!stemmer) return word;
    const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (!out) return word;
    int length = sb_stemmer_length(stemmer);
    if (length <= 0) return word;
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(length)};
  }

  sb_stemmer* stemmer_at(int algorithm) {
    auto& slot = m_stemmers[static_cast<std::size_t>(algorithm)];
    if (!slot) {
      std::string name(k_algorithms[algorithm]);
      slot.reset(sb_stemmer_new(name.c_str(), "UTF_8"));
    }
    return slot.get();
  }

  icu::BreakIterator* word_breaker() {
    if (!m_breaker && !m_breaker_failed) {
      UErrorCode status = U_ZERO_ERROR;
      m_breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
      if (U_FAILURE(status)) {
        m_breaker.reset();
        m_breaker_failed = true;
      }
    }
    return m_breaker.get();
  }

  static std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
      n += (c & 0xC0) != 0x80;
    return n;
  }

  // A run of Han, kana, Thai... characters: ICU's dictionary segmentation.
  int dictionary_run(std::string_view run, std::size_t offset) {
    icu::BreakIterator* breaker = word_breaker();
    bool cjk_pair = false;
    if (m_mode == AnalysisMode::query || m_mode == AnalysisMode::prefix) {
      // A two-character CJK query word is looked up whole, whatever the dictionary says:
      // the index holds every two-character piece of longer words.
      const auto* s = reinterpret_cast<const uint8_t*>(run.data());
      UChar32 c;
      U8_GET(s, 0, 0, static_cast<int32_t>(run.size()), c);
      cjk_pair = is_cjk(c) && count_code_points(run) == 2;
    }
    if (!breaker || cjk_pair) return dictionary_word(run, offset);
    UErrorCode status = U_ZERO_ERROR;
    UText text = UTEXT_INITIALIZER;
    utext_openUTF8(&text, run.data(), static_cast<int64_t>(run.size()), &status);
    if (U_FAILURE(status)) return dictionary_word(run, offset);
    breaker->setText(&text, status);
    int rc = 0;
    if (U_SUCCESS(status)) {
      int32_t start = breaker->first();
      for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE && rc == 0;
           start = end, end = breaker->next()) {
        if (breaker->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
        rc = dictionary_word(
            run.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)),
            offset + static_cast<std::size_t>(start));
      }
    } else {
      rc = dictionary_word(run, offset);
    }
    // The iterator keeps its own shallow clone of the UText; the next run replaces it.
    utext_close(&text);
    return rc;
  }

  int dictionary_word(std::string_view raw, std::size_t offset) {
    std::size_t end = offset + raw.size();
    if (m_mode == AnalysisMode::display) return m_sink->token(false, raw, offset, end);
    fold(raw);
    if (m_folded.empty()) return 0;
    if (int rc = m_sink->token(false, m_folded, offset, end)) return rc;
    if (m_mode != AnalysisMode::document) return 0;
    // Chinese and Japanese: every two-character piece of a longer word is indexed at the
    // word's position, so that a two-character query finds 北京 inside 北京市.
    const auto* s = reinterpret_cast<const uint8_t*>(m_folded.data());
    int32_t length = static_cast<int32_t>(m_folded.size());
    UChar32 first;
    U8_GET(s, 0, 0, length, first);
    if (!is_cjk(first) || count_code_points(m_folded) < 3) return 0;
    int32_t a = 0;
    int32_t b = 0;
    U8_FWD_1(s, b, length);
    while (b < length) {
      int32_t c = b;
      U8_FWD_1(s, c, length);
      std::string_view pair(m_folded.data() + a, static_cast<std::size_t>(c - a));
      if (int rc = m_sink->token(true, pair, offset, end)) return rc;
      a = b;
      b = c;
    }
    return 0;
  }

  std::string m_lang;
  bool m_stemmers_resolved = false;
  std::array<int, k_script_count> m_stemmer_of_script{};
  AnalysisMode m_mode = AnalysisMode::document;
  TokenSink* m_sink = nullptr;
  std::string m_folded;
  std::string m_term;
  static constexpr std::size_t k_max_cached_word_bytes = 48;
  std::unordered_map<std::string, TermCache> m_term_caches; // by primary language
  TermCache* m_term_cache = nullptr;                        // the current language's
  std::vector<std::string> m_alternatives;
  std::vector<Run> m_runs; // of the document being analysed
  std::array<std::unique_ptr<sb_stemmer, StemmerCloser>, k_algorithm_count> m_stemmers;
  std::unique_ptr<icu::BreakIterator> m_breaker;
  bool m_breaker_failed = false;
};

Analyzer& thread_analyzer() {
  thread_local Analyzer analyzer;
  return analyzer;
}

class VectorSink final : public TokenSink {
public:
  explicit VectorSink(std::vector<AnalyzedToken>& out) : m_out(out) {}
  int token(bool colocated, std::string_view text, std::size_t start, std::size_t end) override {
    m_out.push_back(AnalyzedToken{std::string(text), start, end, colocated});
    return 0;
  }

private:
  std::vector<AnalyzedToken>& m_out;
};

// ---------------------------------------------------------------------------------------
// SQLite: the FTS5 tokenizer and the newsidx_fts_lang() function of one connection.

// Shared by the tokenizer and the SQL function of one connection; freed by whichever of
// the two SQLite destroys last.
struct ConnectionState {
  std::string lang; // of the document being indexed
  int references = 2;
};

void release_state(void* pointer) {
  auto* state = static_cast<ConnectionState*>(pointer);
  if (--state->references == 0) delete state;
}

// newsidx_fts_lang(lang, text): remembers `lang` for the next document and returns `text`.
void fts_lang_function(sqlite3_context* context, int, sqlite3_value** argv) {
  auto* state = static_cast<ConnectionState*>(sqlite3_user_data(context));
  const unsigned char* lang = sqlite3_value_text(argv[0]);
  state->lang = lang ? primary_language(reinterpret_cast<const char*>(lang)) : std::string();
  sqlite3_result_value(context, argv[1]);
}

struct Fts5Instance {
  ConnectionState* state;
};

using XToken = int (*)(void*, int, const char*, int, int, int);

class Fts5Sink final : public TokenSink {
public:
  Fts5Sink(void* context, XToken x_token) : m_context(context), m_x_token(x_token) {}
  int token(bool colocated, std::string_view text, std::size_t start, std::size_t end) override {
    return m_x_token(m_context, colocated ? FTS5_TOKEN_COLOCATED : 0, text.data(),
                     static_cast<int>(text.size()), static_cast<int>(start), static_cast<int>(end));
  }

private:
  void* m_context;
  XToken m_x_token;
};

int fts5_create(void* user_data, const char**, int, Fts5Tokenizer** out) {
  auto* instance = new (std::nothrow) Fts5Instance{static_cast<ConnectionState*>(user_data)};
  if (!instance) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(instance);
  return SQLITE_OK;
}

void fts5_delete(Fts5Tokenizer* tokenizer) {
  delete reinterpret_cast<Fts5Instance*>(tokenizer);
}

// The prepared texts the writer thread offers for replay (PreparedTextScope).
thread_local const std::vector<const PreparedText*>* t_prepared = nullptr;

const PreparedText* find_prepared(std::string_view text, std::string_view lang) {
  if (!t_prepared) return nullptr;
  for (const PreparedText* prepared : *t_prepared) {
    if (prepared->matches(text, lang)) return prepared;
  }
  return nullptr;
}

int fts5_tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int length,
                  XToken x_token) {
  auto* instance = reinterpret_cast<Fts5Instance*>(tokenizer);
  AnalysisMode mode = AnalysisMode::document;
  std::string_view lang;
  if (flags & FTS5_TOKENIZE_DOCUMENT) {
    lang = instance->state->lang;
  } else if (flags & FTS5_TOKENIZE_AUX) {
    mode = AnalysisMode::display;
  } else if (flags & FTS5_TOKENIZE_QUERY) {
    mode = (flags & FTS5_TOKENIZE_PREFIX) ? AnalysisMode::prefix : AnalysisMode::query;
  }
  try {
    Fts5Sink sink(context, x_token);
    std::string_view input(text ? text : "", text ? static_cast<std::size_t>(length) : 0);
    if (mode == AnalysisMode::document) {
      if (const PreparedText* prepared = find_prepared(input, lang)) {
        for (const PreparedText::Token& token : prepared->tokens()) {
          int rc = sink.token(token.colocated != 0, prepared->term(token), 0, 0);
          if (rc != SQLITE_OK) return rc;
        }
        return SQLITE_OK;
      }
    }
    return thread_analyzer().run(input, lang, mode, sink);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

} // namespace

fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
    sqlite3_finalize(statement);
    return nullptr;
  }
  sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  return api;
}

PreparedText::PreparedText(std::string_view text, std::string_view lang)
  : m_hash(XXH3_64bits(text.data(), text.size())), m_size(text.size()),
    m_lang(primary_language(lang)) {
  struct ArenaSink final : public TokenSink {
    PreparedText* self;
    std::string* terms;
    std::vector<Token>* tokens;
    int token(bool colocated, std::string_view term, std::size_t, std::size_t) override {
      tokens->push_back(Token{static_cast<std::uint32_t>(terms->size()),
                              static_cast<std::uint32_t>(term.size()), colocated ? 1u : 0u});
      terms->append(term);
      return SQLITE_OK;
    }
  } sink;
  sink.self = this;
  sink.terms = &m_terms;
  sink.tokens = &m_tokens;
  m_terms.reserve(text.size());
  m_tokens.reserve(text.size() / 6);
  thread_analyzer().run(text, m_lang, AnalysisMode::document, sink);
}

bool PreparedText::matches(std::string_view text, std::string_view primary_lang) const {
  return text.size() == m_size && primary_lang == m_lang &&
         XXH3_64bits(text.data(), text.size()) == m_hash;
}

PreparedTextScope::PreparedTextScope(std::vector<const PreparedText*> texts)
  : m_texts(std::move(texts)), m_previous(t_prepared) {
  t_prepared = &m_texts;
}

PreparedTextScope::~PreparedTextScope() {
  t_prepared = m_previous;
}

IndexedTermsScope::IndexedTermsScope(const std::unordered_set<std::string>* indexed)
  : m_previous(t_indexed_terms) {
  t_indexed_terms = indexed;
}

IndexedTermsScope::~IndexedTermsScope() {
  t_indexed_terms = m_previous;
}

std::vector<AnalyzedToken> analyze(std::string_view text, std::string_view lang,
                                   AnalysisMode mode) {
  std::vector<AnalyzedToken> tokens;
  VectorSink sink(tokens);
  thread_analyzer().run(text, lang, mode, sink);
  return tokens;
}

std::string stemmer_name(std::string_view lang) {
  std::string primary = primary_language(lang);
  for (const LanguageStemmer& s : k_language_stemmers) {
    if (s.lang == primary) return std::string(s.algorithm);
  }
  return {};
}

bool register_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (!api || api->iVersion < 2) return false;
  auto* state = new ConnectionState;
  fts5_tokenizer tokenizer{fts5_create, fts5_delete, fts5_tokenize};
  if (api->xCreateTokenizer(api, "newsidx", state, &tokenizer, release_state) != SQLITE_OK) {
    delete state;
    return false;
  }
  // On failure SQLite calls release_state itself.
  return sqlite3_create_function_v2(db, "newsidx_fts_lang", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                    state, fts_lang_function, nullptr, nullptr,
                                    release_state) == SQLITE_OK;
}

} // namespace newsidx
