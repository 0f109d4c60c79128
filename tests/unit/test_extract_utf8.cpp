// The extractor's character helpers: their ICU-free fast paths (ASCII, Latin-1, Latin
// Extended, Cyrillic) must say what ICU says.
#include "extract_utf8.hpp"

#include <catch2/catch.hpp>

#include <unicode/uchar.h>

using namespace newsidx;

TEST_CASE("character classes without ICU agree with ICU", "[extract][text]") {
  for (char32_t cp = 1; cp < 0x700; ++cp) {
    INFO("U+" << std::hex << static_cast<unsigned>(cp));
    CHECK(utf8::kind(cp) == utf8::kind_slow(cp));
    CHECK(utf8::is_letter(cp) == utf8::is_letter_slow(cp));
    CHECK(utf8::to_lower(cp) == static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
  }
  CHECK(utf8::kind(U'Ж') == utf8::CharKind::upper);
  CHECK(utf8::kind(U'ж') == utf8::CharKind::letter);
  CHECK(utf8::kind(U'×') == utf8::CharKind::other);
  CHECK(utf8::kind(U'７') == utf8::CharKind::digit);
}

namespace {
// squeeze_spaces / lower_squeezed one code point at a time, without their fast paths.
std::string squeezed_by_code_point(std::string_view text, bool lower) {
  std::string out;
  bool pending = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(text, i);
    if (utf8::is_space(cp)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    if (lower)
      utf8::append(out, utf8::to_lower(cp));
    else
      out.append(text.substr(start, i - start));
  }
  return out;
}
} // namespace

TEST_CASE("squeezing eight bytes at a time says what one code point at a time says",
          "[extract][text]") {
  // Pieces that put spaces, other white space, capitals and multi-byte characters at
  // every position of an eight-byte block.
  const char* pieces[] = {" ",      "  ",     "\t",   "\n",   "\r\n",       "A",    "Z", "a",
                          "z",      "@",      "[",    "0",    "\x01",       "\x7f", "É", "Ж",
                          "\u00a0", "\u2003", "\xff", "Word", "MIXED case", "x"};
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 16;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const unsigned length = next() % 24;
    for (unsigned k = 0; k < length; ++k)
      text += pieces[next() % std::size(pieces)];
    INFO('"' << text << '"');
    CHECK(utf8::lower_squeezed(text) == squeezed_by_code_point(text, true));
    CHECK(utf8::squeeze_spaces(text) == squeezed_by_code_point(text, false));
  }
  CHECK(utf8::lower_squeezed("  The QUICK  brown\tfox  ") == "the quick brown fox");
  CHECK(utf8::lower_squeezed("ABCDEFGH IJKLMNOP ") == "abcdefgh ijklmnop");
}
