#include "lang_detect.hpp"

#include "extract_utf8.hpp"
#include "rules.hpp"

#include <unicode/uscript.h>

#include <vector>

namespace newsidx {

namespace {

constexpr std::size_t k_max_bytes = 2000;  // enough text to decide
constexpr int k_min_hits = 3;

}  // namespace

std::string detect_language(std::string_view text, const ExtractionRules& rules) {
  if (text.size() > k_max_bytes) {
    std::size_t cut = k_max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  int latin = 0, cyrillic = 0, han = 0, kana = 0, hangul = 0, other = 0;
  std::string other_script;
  int other_best = 0;
  std::vector<int> other_counts(256, 0);
  std::vector<double> scores(rules.languages.size(), 0.0);
  // The word being read, lower-cased, and its stop-word filter hash so far
  // (ExtractionRules::stopword_hash_add over its bytes).
  std::string word;
  std::uint32_t stopword_hash = ExtractionRules::k_stopword_hash_start;
  auto finish_word = [&]() {
    if (word.empty()) return;
    const std::uint32_t hash = stopword_hash;
    stopword_hash = ExtractionRules::k_stopword_hash_start;
    if (word.size() > rules.longest_stopword ||
        !rules.stopword_filter.test(ExtractionRules::stopword_filter_bit_of_hash(hash))) {
      word.clear();
      return;
    }
    auto it = rules.stopwords.find(word);
    if (it != rules.stopwords.end()) {
      for (int index : it->second) scores[static_cast<std::size_t>(index)] += 1.0;
    }
    word.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) { // ASCII: no decoding, and no distinctive letters
      ++i;
      if ((byte | 0x20u) - 'a' < 26u) {
        ++latin;
        word.push_back(static_cast<char>(byte | 0x20u));
        stopword_hash = ExtractionRules::stopword_hash_add(stopword_hash, byte | 0x20u);
      } else {
        finish_word();
      }
      continue;
    }
    const char32_t cp = utf8::decode(text, i);
    if (!utf8::is_letter(cp)) {
      finish_word();
      continue;
    }
    if (cp < 0x250) {
      ++latin;
    } else if (cp >= 0x400 && cp < 0x530) {
      ++cyrillic;
    } else if ((cp >= 0x3040 && cp <= 0x30FF)) {
      ++kana;
    } else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) {
      ++han;
    } else if (cp >= 0xAC00 && cp <= 0xD7AF) {
      ++hangul;
    } else {
      UErrorCode status = U_ZERO_ERROR;
      const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
      if (U_SUCCESS(status) && static_cast<int>(script) >= 0 && static_cast<int>(script) < 256) {
        ++other;
        if (++other_counts[static_cast<std::size_t>(script)] > other_best) {
          other_best = other_counts[static_cast<std::size_t>(script)];
          other_script = utf8::lower(uscript_getName(script));
        }
      }
    }
    if (utf8::is_cjk(cp)) {
      finish_word();
      continue;
    }
    const char32_t lower = utf8::to_lower(cp);
    if (lower >= rules.distinctive_below.size() || rules.distinctive_below.test(lower)) {
      auto it = rules.distinctive_letters.find(lower);
      if (it != rules.distinctive_letters.end()) {
        for (int index : it->second)
          scores[static_cast<std::size_t>(index)] += 0.25;
      }
    }
    const std::size_t appended = word.size();
    utf8::append(word, lower);
    for (std::size_t k = appended; k < word.size(); ++k)
      stopword_hash =
          ExtractionRules::stopword_hash_add(stopword_hash, static_cast<unsigned char>(word[k]));
  }
  finish_word();
  const int total = latin + cyrillic + han + kana + hangul + other;
  if (total == 0) {
    return {};
  }
  auto script_language = [&](const std::string& script) -> std::string {
    auto it = rules.script_languages.find(script);
    return it == rules.script_languages.end() ? std::string() : it->second;
  };
  const int cjk = han + kana;
  if (hangul * 3 > total) return script_language("hangul");
  if (cjk * 3 > total) {
    return kana * 10 >= cjk ? script_language("kana") : script_language("han");
  }
  if (other * 2 > total) return script_language(other_script);
  double best = 0;
  std::size_t best_index = 0;
  for (std::size_t k = 0; k < scores.size(); ++k) {
    if (scores[k] > best) {
      best = scores[k];
      best_index = k;
    }
  }
  if (best < k_min_hits) {
    return {};
  }
  return rules.languages[best_index];
}

}  // namespace newsidx
