#include "newsidx/text.hpp"

#include "newsidx/errors.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <memory>

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
  canonical_name = ucnv_getName(converter.get(), &status);
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), count_and_substitute, &replaced, nullptr, nullptr, &status);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), converter.get(),
                          status);
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string strip_utf8_bom(std::string s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  return s;
}

} // namespace

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
    // Not UTF-8: ask ICU's detector, and fall back to repaired UTF-8 when it has no idea.
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector* detector = ucsdet_open(&status);
    const char* name = nullptr;
    int32_t confidence = 0;
    if (U_SUCCESS(status)) {
      ucsdet_setText(detector, bytes.data(), static_cast<int32_t>(bytes.size()), &status);
      const UCharsetMatch* match = ucsdet_detect(detector, &status);
      if (U_SUCCESS(status) && match) {
        name = ucsdet_getName(match, &status);
        confidence = ucsdet_getConfidence(match, &status);
      }
    }
    std::string detected = name ? name : "";
    if (detector) ucsdet_close(detector);
    if (!detected.empty() && detected != "UTF-8" && confidence >= 10) {
      utf8 = convert_with_icu(bytes, detected.c_str(), result.replaced, result.encoding);
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
