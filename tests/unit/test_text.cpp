// Unit tests for decoding and normalising file text (src/text.cpp).
#include "newsidx/errors.hpp"
#include "newsidx/text.hpp"

#include <catch2/catch.hpp>

using namespace newsidx;

TEST_CASE("UTF-8 with and without BOM", "[text]") {
  CHECK(decode_text("Caf\xC3\xA9").text == "Caf\xC3\xA9");
  DecodedText bom = decode_text("\xEF\xBB\xBF" "Caf\xC3\xA9");
  CHECK(bom.text == "Caf\xC3\xA9");
  CHECK(bom.encoding == "UTF-8");
}

TEST_CASE("invalid UTF-8 bytes are replaced and counted", "[text]") {
  // Mostly UTF-8 (so the detector keeps UTF-8) with damaged bytes.
  std::string damaged = "\xE2\x80\x94 caf\xC3\xA9 \xFF na\xC3\xAFve \xE2\x80\x94";
  DecodedText decoded = decode_text(damaged, "UTF-8");
  CHECK(decoded.replaced == 1);
  CHECK(decoded.text.find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("UTF-16 with a BOM", "[text]") {
  std::string le("\xFF\xFE" "H\0i\0\n\0", 8);
  DecodedText decoded = decode_text(le);
  CHECK(decoded.text == "Hi\n");
  CHECK(decoded.encoding.find("UTF-16") == 0);
  CHECK_FALSE(looks_binary(le));
}

TEST_CASE("a forced legacy encoding", "[text]") {
  // "Москва" in windows-1251
  DecodedText decoded = decode_text("\xCC\xEE\xF1\xEA\xE2\xE0", "windows-1251");
  CHECK(decoded.text == "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
  CHECK_THROWS_AS(decode_text("x", "no-such-encoding"), UsageError);
}

TEST_CASE("line endings and NFC", "[text]") {
  CHECK(normalize_text("a\r\nb\rc\n") == "a\nb\nc\n");
  // e + combining acute -> é
  CHECK(normalize_text("Cafe\xCC\x81") == "Caf\xC3\xA9");
}

TEST_CASE("binary and blank detection", "[text]") {
  CHECK(looks_binary(std::string("ab\0cd", 5)));
  CHECK_FALSE(looks_binary("plain text"));
  CHECK(is_blank(" \n\t\r\n"));
  CHECK_FALSE(is_blank(" x "));
}
