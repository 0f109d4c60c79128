// Small UTF-8 helpers for the extractor's hand-written scanners: decoding one code point,
// cheap Unicode classes (letters, upper case, spaces, CJK), lower-casing, trimming and the
// display width w3m-style renderers wrap lines at. ASCII takes a fast path; ICU is only
// consulted for other code points.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsidx::utf8 {

char32_t decode_multibyte(std::string_view text, std::size_t& i);

// Decodes the code point at `i` and advances `i`; invalid bytes decode as U+FFFD.
inline char32_t decode(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  return decode_multibyte(text, i);
}
void append_multibyte(std::string& out, char32_t cp);
// Appends `cp` encoded in UTF-8.
inline void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  append_multibyte(out, cp);
}

bool is_letter_slow(char32_t cp);
inline bool is_letter(char32_t cp) {
  if (cp < 0x80) {
    return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  }
  // Latin-1 and Latin Extended-A/B letters (but × and ÷) and Cyrillic letters (but the
  // signs and combining marks at U+0482-U+0489) without ICU.
  if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x400 && cp <= 0x481) ||
      (cp >= 0x48A && cp <= 0x52F)) {
    return true;
  }
  return is_letter_slow(cp);
}
bool is_upper(char32_t cp);
bool is_lower(char32_t cp);
// What is_letter / is_upper / is_digit would say, with one look-up (white space is `other`).
enum class CharKind : unsigned char { other, letter, upper, digit }; // upper: a capital letter
CharKind kind_slow(char32_t cp);
inline CharKind kind(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'a' && cp <= 'z') return CharKind::letter;
    if (cp >= 'A' && cp <= 'Z') return CharKind::upper;
    return cp >= '0' && cp <= '9' ? CharKind::digit : CharKind::other;
  }
  // Latin-1 letters (but × and ÷) and basic Cyrillic without ICU, as is_letter does.
  if (cp >= 0xC0 && cp <= 0xFF) {
    if (cp == 0xD7 || cp == 0xF7) return CharKind::other;
    return cp <= 0xDE ? CharKind::upper : CharKind::letter;
  }
  if (cp >= 0x400 && cp <= 0x45F) return cp <= 0x42F ? CharKind::upper : CharKind::letter;
  return kind_slow(cp);
}
// ASCII and full-width digits
inline bool is_digit(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}
inline int digit_value(char32_t cp) {
  return cp <= '9' ? static_cast<int>(cp - '0') : static_cast<int>(cp - 0xFF10);
}
bool is_space_slow(char32_t cp);
// Unicode white space, including NBSP and zero-width space
inline bool is_space(char32_t cp) {
  if (cp < 0x80) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
  }
  return is_space_slow(cp);
}
bool is_dash(char32_t cp);   // - – — ‒ ―
// Han, kana, Hangul (one "word" per character for scanning)
inline bool is_cjk(char32_t cp) {
  return cp >= 0x3040 &&
         ((cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
          (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
          (cp >= 0x20000 && cp <= 0x2FFFF));
}
bool is_wide(char32_t cp);   // East Asian wide/full-width (two columns)
char32_t to_lower_slow(char32_t cp);
inline char32_t to_lower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return to_lower_slow(cp);
}

std::string lower(std::string_view text);
// Trims Unicode white space on both ends.
std::string_view trim(std::string_view text);
// lower(squeeze_spaces(text)) in one pass.
std::string lower_squeezed(std::string_view text);
// Collapses runs of white space to one ASCII space and trims.
std::string squeeze_spaces(std::string_view text);
int display_width(std::string_view text);
// Shortens `text` to at most `max_chars` code points at a word boundary, adding "…".
std::string shorten(std::string_view text, std::size_t max_chars);

}  // namespace newsidx::utf8
