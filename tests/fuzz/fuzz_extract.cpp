// libFuzzer target: any bytes through decoding and article extraction must not crash,
// hang or trip a sanitizer, and must give back valid UTF-8.
#include "newsidx/extract.hpp"
#include "newsidx/text.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const newsidx::Extractor extractor = newsidx::Extractor::load_default();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (newsidx::looks_binary(bytes)) return 0;
  newsidx::DecodedText decoded = newsidx::decode_text(bytes);
  newsidx::PageInput page{"fuzz/2025-05-08-input.txt", decoded.text, decoded.encoding, std::nullopt};
  newsidx::ExtractOptions options;
  options.date_from_filename = size % 2 == 0;
  newsidx::Article article = extractor.extract(page, options);
  // The date, when there is one, must be a real calendar date.
  if (!article.date.empty() && !newsidx::PartialDate::parse_iso(article.date.iso())) __builtin_trap();
  return 0;
}
