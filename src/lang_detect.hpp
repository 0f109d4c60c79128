// Language detection for extracted articles: the dominant script decides for scripts used
// by one language (rules/languages.json "scripts"); Latin and Cyrillic text is decided by
// counting each language's stop words and distinctive letters. Returns ISO 639-1 or "".
#pragma once

#include <string>
#include <string_view>

namespace newsidx {

struct ExtractionRules;

std::string detect_language(std::string_view text, const ExtractionRules& rules);

}  // namespace newsidx
