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
