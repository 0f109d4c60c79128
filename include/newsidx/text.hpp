// Turning the bytes of a file into the text newsidx stores: encoding detection and
// conversion to UTF-8 (ICU), NFC normalisation and '\n' line endings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsidx {

struct DecodedText {
  std::string text;              // UTF-8, NFC, '\n' line endings, no BOM
  std::string encoding;          // canonical name of what it was decoded from, e.g. "UTF-8"
  std::size_t replaced = 0;      // invalid byte sequences replaced by U+FFFD
  bool encoding_guessed = false; // true when ICU's detector chose a legacy encoding
};

// True when the bytes look like a binary file (NUL bytes without a UTF-16/32 BOM).
bool looks_binary(std::string_view bytes);

// Decodes `bytes`. With `forced_encoding` (an ICU converter name such as "windows-1251")
// that encoding is used; otherwise a BOM decides, then valid UTF-8, then ICU's charset
// detector. Never throws on bad bytes: they are replaced and counted. Throws UsageError
// for an unknown forced encoding name.
DecodedText decode_text(std::string_view bytes, std::string_view forced_encoding = {});

// NFC-normalises UTF-8 text and converts "\r\n" and "\r" to "\n".
std::string normalize_text(std::string_view utf8);

// True when `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

// True when the UTF-8 text has nothing but white space.
bool is_blank(std::string_view utf8);

} // namespace newsidx
