#include "newsidx/text.hpp"

#include "newsidx/errors.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace newsidx {

namespace {

struct Bom {
  std::string_view bytes;
  const char* encoding;
};

// Longest first: the UTF-32LE BOM starts with the UTF-16LE one.
constexpr Bom k_boms[] = {
  {std::string_view("\x00\x00\xFE\xFF", 4), "UTF-32BE"},
  {std::string_view("\xFF\xFE\x00\x00", 4), "UTF-32LE"},
  {std::string_view("\xEF\xBB\xBF", 3), "UTF-8"},
  {std::string_view("\xFE\xFF", 2), "UTF-16BE"},
  {std::string_view("\xFF\xFE", 2), "UTF-16LE"},
};

const Bom* find_bom(std::string_view bytes) {
  for (const Bom& bom : k_boms) {
    if (bytes.substr(0, bom.bytes.size()) == bom.bytes) return &bom;
  }
  return nullptr;
}

// Copies UTF-8, replacing every ill-formed sequence by U+FFFD. Returns how many were replaced.
std::size_t repair_utf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  std::size_t replaced = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  int32_t length = static_cast<int32_t>(in.size());
  int32_t i = 0;
  while (i < length) {
    if (s[i] < 0x80) {  // ASCII run, the common case
      int32_t start = i;
      while (i < length && s[i] < 0x80) ++i;
      out.append(in.data() + start, static_cast<std::size_t>(i - start));
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      out.append("\xEF\xBF\xBD");
      ++replaced;
    } else {
      out.append(in.data() + start, static_cast<std::size_t>(i - start));
    }
  }
  return replaced;
}

struct Utf8Census {
  std::size_t valid_multibyte = 0;  // well-formed sequences of 2-4 bytes
  std::size_t invalid = 0;          // ill-formed sequences
};

Utf8Census utf8_census(std::string_view in) {
  Utf8Census census;
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  int32_t length = static_cast<int32_t>(in.size());
  int32_t i = 0;
  while (i < length) {
    if (s[i] < 0x80) {
      ++i;
      // Eight ASCII bytes at a time.
      while (i + 8 <= length) {
        std::uint64_t word;
        std::memcpy(&word, s + i, sizeof word);
        if (word & 0x8080808080808080ull) break;
        i += 8;
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) ++census.invalid;
    else ++census.valid_multibyte;
  }
  return census;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Counts substitutions while letting ICU substitute U+FFFD.
void count_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                                      const char* code_units, int32_t length,
                                      UConverterCallbackReason reason, UErrorCode* error) {
  if (reason <= UCNV_IRREGULAR) {
    ++*static_cast<std::size_t*>(const_cast<void*>(context));
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, error);
}

// Converts `bytes` from `encoding` to UTF-8 with ICU. Throws UsageError on an unknown name.
std::string convert_with_icu(std::string_view bytes, const char* encoding, std::size_t& replaced,
                             std::string& canonical_name) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open(encoding, &status));
  if (U_FAILURE(status) || !converter) {
    throw UsageError("unknown encoding '" + std::string(encoding) + "'");
  }
  // A standard name ("windows-1251"), not ICU's internal one ("ibm-5347_P100-1998").
  const char* internal = ucnv_getName(converter.get(), &status);
  const char* standard = nullptr;
  for (const char* standard_body : {"MIME", "IANA"}) {
    UErrorCode s = U_ZERO_ERROR;
    if (!standard && internal) standard = ucnv_getStandardName(internal, standard_body, &s);
  }
  canonical_name = standard ? standard : (internal ? internal : encoding);
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), count_and_substitute, &replaced, nullptr, nullptr, &status);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), converter.get(),
                          status);
  std::string out;
  text.toUTF8String(out);
  return out;
}

// ---------------------------------------------------------------------------------------
// Guessing a legacy encoding. ICU's detector is weak on short texts (a 300-byte Russian
// post in windows-1251 may come out as ISO-8859-1 or even UTF-16BE), so its candidates,
// together with the encodings real archives hold, are each decoded and judged on what the
// result looks like: replaced bytes, control and private-use characters, words mixing
// scripts, Cyrillic words with capitals inside (KOI8-R read as windows-1251), Latin words
// made only of accented letters (windows-1251 read as windows-1252), half-width katakana
// and rare ideographs (the wrong CJK encoding).

// Encodings tried even when the detector does not name them.
constexpr const char* k_archive_encodings[] = {
  "windows-1251", "KOI8-R", "windows-1252", "ISO-8859-2", "GB18030",
  "Big5",         "Shift_JIS", "EUC-JP",   "EUC-KR",
};

constexpr std::size_t k_sample_bytes = 16 * 1024;  // enough to judge, cheap to convert

struct Guess {
  std::string name;  // as the detector names it ("windows-1251"), "" for none
  double score = 0;
};

bool is_cyrillic(UChar32 c) { return c >= 0x400 && c <= 0x52F; }
bool is_ascii_letter(UChar32 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// How natural `text` (the decoded sample) looks, from 0 (garbage) to about 100.
double plausibility(const icu::UnicodeString& text, std::size_t replaced) {
  int32_t non_ascii = 0, odd = 0, half_kana = 0, rare_han = 0, han = 0, hangul = 0;
  int32_t words = 0, mixed_words = 0, cased_inside = 0, well_cased = 0;
  int32_t latin_words_accented_only = 0, latin_words = 0;
  // Per word state.
  int32_t ascii_letters = 0, other_letters = 0, cyr = 0, accented_latin = 0;
  bool lower_seen = false, upper_after_lower = false, cased = false;
  auto end_word = [&]() {
    int32_t letters = ascii_letters + other_letters;
    if (letters >= 2) {
      ++words;
      if (ascii_letters > 0 && cyr > 0) ++mixed_words;
      if (upper_after_lower) ++cased_inside;
      else if (cased) ++well_cased;
      if (accented_latin > 0 || ascii_letters > 0) {
        ++latin_words;
        if (accented_latin >= 2 && ascii_letters == 0) ++latin_words_accented_only;
      }
    }
    ascii_letters = other_letters = cyr = accented_latin = 0;
    lower_seen = upper_after_lower = cased = false;
  };
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (c >= 0x80) ++non_ascii;
    if (c == 0xFFFD || (c >= 0x80 && c <= 0x9F) || (c >= 0xE000 && c <= 0xF8FF) ||
        (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || !u_isdefined(c) ||
        (c >= 0x2500 && c <= 0x25FF)) {
      ++odd;
    }
    if (c >= 0xFF61 && c <= 0xFF9F) ++half_kana;
    if (c >= 0x4E00 && c <= 0x9FFF) ++han;
    if (c >= 0xAC00 && c <= 0xD7A3) ++hangul;
    if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000) {
      ++rare_han;
    }
    if (!u_isalpha(c)) {
      end_word();
      continue;
    }
    if (is_ascii_letter(c)) ++ascii_letters;
    else ++other_letters;
    if (is_cyrillic(c)) ++cyr;
    if (c >= 0xC0 && c <= 0x24F) ++accented_latin;
    if (u_islower(c)) {
      lower_seen = cased = true;
    } else if (u_isupper(c)) {
      cased = true;
      if (lower_seen) upper_after_lower = true;
    }
  }
  end_word();
  if (non_ascii == 0) return 100;
  double score = 100;
  score -= 300.0 * static_cast<double>(replaced + static_cast<std::size_t>(odd)) / non_ascii;
  if (words > 0) score -= 200.0 * mixed_words / words;
  if (words > 0) {
    score -= 150.0 * cased_inside / words;
    // Short texts: words in a cased script written the usual way ("жиза", "Классика")
    // beat the same bytes read as ideographs or Hebrew letters.
    score += 10.0 * well_cased / words;
  }
  if (latin_words > 0) score -= 150.0 * latin_words_accented_only / latin_words;
  score -= 200.0 * half_kana / non_ascii;
  if (han + rare_han > 0) score -= 200.0 * rare_han / (han + rare_han);
  // Modern Korean is written in Hangul with few ideographs; Chinese read as EUC-KR is not.
  if (hangul > 0 && han > 0) score -= 100.0 * han / (han + hangul);
  return score;
}

// Decodes the sample with `name` and judges it; confidence is the detector's (0-100).
Guess judge(std::string_view sample, const char* name, int32_t confidence) {
  Guess guess;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open(name, &status));
  if (U_FAILURE(status) || !converter) return guess;
  std::size_t replaced = 0;
  ucnv_setToUCallBack(converter.get(), count_and_substitute, &replaced, nullptr, nullptr, &status);
  icu::UnicodeString text(sample.data(), static_cast<int32_t>(sample.size()), converter.get(),
                          status);
  if (U_FAILURE(status)) return guess;
  guess.name = name;
  // The detector's confidence breaks ties between decodings that look equally natural.
  guess.score = plausibility(text, replaced) + confidence / 5.0;
  return guess;
}

Guess guess_legacy_encoding(std::string_view bytes) {
  std::string_view sample = bytes.substr(0, k_sample_bytes);
  // Do not cut a multi-byte character in two at the end of the sample: back up to a line.
  if (sample.size() < bytes.size()) {
    std::size_t newline = sample.rfind('\n');
    if (newline != std::string_view::npos && newline > sample.size() / 2) {
      sample = sample.substr(0, newline + 1);
    }
  }
  std::vector<std::pair<std::string, int32_t>> candidates;
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&status);
  if (U_SUCCESS(status)) {
    ucsdet_setText(detector, sample.data(), static_cast<int32_t>(sample.size()), &status);
    int32_t found = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(detector, &found, &status);
    for (int32_t i = 0; U_SUCCESS(status) && i < found && i < 8; ++i) {
      UErrorCode s = U_ZERO_ERROR;
      const char* name = ucsdet_getName(matches[i], &s);
      int32_t confidence = ucsdet_getConfidence(matches[i], &s);
      std::string_view n = name ? name : "";
      // Without a BOM, UTF-16/32 and UTF-8 are not candidates: the text has no NUL bytes
      // and is not valid UTF-8.
      if (U_SUCCESS(s) && !n.empty() && n.substr(0, 3) != "UTF" && n.substr(0, 3) != "IBM") {
        candidates.emplace_back(std::string(n), confidence);
      }
    }
  }
  if (detector) ucsdet_close(detector);
  for (const char* name : k_archive_encodings) {
    bool known = false;
    for (const auto& candidate : candidates) known = known || candidate.first == name;
    if (!known) candidates.emplace_back(name, 0);
  }
  Guess best;
  for (const auto& [name, confidence] : candidates) {
    Guess guess = judge(sample, name.c_str(), confidence);
    if (!guess.name.empty() && (best.name.empty() || guess.score > best.score)) best = guess;
  }
  return best;
}

std::string strip_utf8_bom(std::string s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  return s;
}

} // namespace

bool is_valid_utf8(std::string_view bytes) { return utf8_census(bytes).invalid == 0; }

bool looks_binary(std::string_view bytes) {
  if (find_bom(bytes) != nullptr && find_bom(bytes)->bytes.size() >= 2 &&
      std::string_view(find_bom(bytes)->encoding) != "UTF-8") {
    return false;
  }
  std::string_view head = bytes.substr(0, 64 * 1024);
  return head.find('\0') != std::string_view::npos;
}

DecodedText decode_text(std::string_view bytes, std::string_view forced_encoding) {
  DecodedText result;
  std::string utf8;
  if (!forced_encoding.empty()) {
    std::string name(forced_encoding);
    utf8 = strip_utf8_bom(convert_with_icu(bytes, name.c_str(), result.replaced, result.encoding));
  } else if (const Bom* bom = find_bom(bytes)) {
    std::string_view rest = bytes.substr(bom->bytes.size());
    if (std::string_view(bom->encoding) == "UTF-8") {
      result.replaced = repair_utf8(rest, utf8);
      result.encoding = "UTF-8";
    } else {
      utf8 = convert_with_icu(rest, bom->encoding, result.replaced, result.encoding);
    }
  } else if (Utf8Census census = utf8_census(bytes); census.invalid == 0) {
    utf8.assign(bytes);
    result.encoding = "UTF-8";
  } else if (census.valid_multibyte >= 2 * census.invalid) {
    // Mostly well-formed UTF-8 with some damage: legacy encodings almost never produce
    // valid multi-byte UTF-8 sequences, so repair rather than re-interpret.
    result.replaced = repair_utf8(bytes, utf8);
    result.encoding = "UTF-8";
  } else {
    // Not UTF-8: ICU's detector proposes, the plausibility of each decoding decides.
    Guess guess = guess_legacy_encoding(bytes);
    if (!guess.name.empty()) {
      utf8 = convert_with_icu(bytes, guess.name.c_str(), result.replaced, result.encoding);
      result.encoding = guess.name;
      result.encoding_guessed = true;
    } else {
      result.replaced = repair_utf8(bytes, utf8);
      result.encoding = "UTF-8";
    }
  }
  result.text = normalize_text(utf8);
  return result;
}

std::string normalize_text(std::string_view utf8) {
  std::string unix_lines;
  if (utf8.find('\r') == std::string_view::npos) {
    unix_lines.assign(utf8);
  } else {
    unix_lines.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
      char c = utf8[i];
      if (c == '\r') {
        unix_lines.push_back('\n');
        if (i + 1 < utf8.size() && utf8[i + 1] == '\n') ++i;
      } else {
        unix_lines.push_back(c);
      }
    }
  }
  bool ascii = true;
  for (char c : unix_lines) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return unix_lines;  // ASCII is in NFC
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return unix_lines;
  if (nfc->isNormalizedUTF8(unix_lines, status) && U_SUCCESS(status)) return unix_lines;
  status = U_ZERO_ERROR;
  std::string normalized;
  normalized.reserve(unix_lines.size());
  icu::StringByteSink<std::string> sink(&normalized);
  nfc->normalizeUTF8(0, unix_lines, sink, nullptr, status);
  if (U_FAILURE(status)) return unix_lines;
  return normalized;
}

bool is_blank(std::string_view utf8) {
  for (unsigned char c : utf8) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
      // Treat NBSP and other Unicode spaces as non-blank only if not a space separator.
      return false;
    }
  }
  return true;
}

} // namespace newsidx
