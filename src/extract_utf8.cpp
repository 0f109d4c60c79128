#include "extract_utf8.hpp"

#include <unicode/uchar.h>

#include <cstdint>
#include <cstring>

namespace newsidx::utf8 {

char32_t decode_multibyte(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + len > s.size()) {
    i = s.size();
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      i += k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

void append_multibyte(std::string& out, char32_t cp) {
  if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_letter_slow(char32_t cp) {
  return u_isalpha(static_cast<UChar32>(cp)) ||
         u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK;
}

bool is_upper(char32_t cp) {
  if (cp < 0x80) {
    return cp >= 'A' && cp <= 'Z';
  }
  return u_isupper(static_cast<UChar32>(cp)) || u_istitle(static_cast<UChar32>(cp));
}

bool is_lower(char32_t cp) {
  if (cp < 0x80) {
    return cp >= 'a' && cp <= 'z';
  }
  return u_islower(static_cast<UChar32>(cp));
}

CharKind kind_slow(char32_t cp) {
  if (is_digit(cp)) return CharKind::digit; // ASCII and full-width
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER: return CharKind::upper;
    case U_LOWERCASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK: return CharKind::letter;
    default: return CharKind::other;
  }
}

bool is_space_slow(char32_t cp) {
  return cp == 0xA0 || cp == 0x200B || cp == 0xFEFF || cp == 0x2060 ||
         u_isUWhiteSpace(static_cast<UChar32>(cp));
}

bool is_dash(char32_t cp) { return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212; }

bool is_wide(char32_t cp) {
  if (cp < 0x1100) {
    return false;
  }
  const int w = u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_EAST_ASIAN_WIDTH);
  return w == U_EA_WIDE || w == U_EA_FULLWIDTH;
}

char32_t to_lower_slow(char32_t cp) {
  // Basic Cyrillic and Latin-1 without ICU (the same results).
  if (cp >= 0x400 && cp <= 0x45F) {
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20; // А-Я
    if (cp <= 0x40F) return cp + 0x50;                // Ѐ-Џ
    return cp;
  }
  if (cp >= 0xC0 && cp <= 0xFF) return (cp <= 0xDE && cp != 0xD7) ? cp + 0x20 : cp;
  return static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp)));
}

std::string lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b));
      ++i;
      continue;
    }
    append(out, to_lower(decode(text, i)));
  }
  return out;
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t j = begin;
    if (!is_space(decode(text, j))) {
      break;
    }
    begin = j;
  }
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    std::size_t j = start;
    if (!is_space(decode(text, j))) {
      break;
    }
    end = start;
  }
  return text.substr(begin, end - begin);
}

namespace {

// Folds every run of white space into one space and trims both ends; with `Lower`, also
// lower-cases. One pass, an ASCII fast path.
template <bool Lower>
std::string squeeze(std::string_view text) {
  // Written through a pointer into a buffer as long as the input (ASCII never grows);
  // a lower-cased non-ASCII letter may take more bytes, so the buffer grows on demand.
  std::string out(text.size() + 8, '\0');
  char* data = out.data();
  std::size_t n = 0;
  bool pending = false;
  std::size_t i = 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are ASCII, hold no white space but single spaces
    // and need no squeezing at their ends: copied (lower-cased) as they are.
    if (i + 8 <= text.size()) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL;
      constexpr std::uint64_t high = 0x8080808080808080ULL;
      std::uint64_t x;
      std::memcpy(&x, text.data() + i, 8);
      if ((x & high) == 0) {
        // Per byte, 0x80 where: in \t-\r; a space (no carries: every byte is below 0x80).
        const std::uint64_t controls =
            ((x + ones * (0x80 - '\t')) & ~(x + ones * (0x80 - '\r' - 1))) & high;
        const std::uint64_t spaces = ~(((x ^ (ones * ' ')) + ones * 0x7F)) & high;
        const bool first_space = (spaces & 0x80) != 0;
        const bool last_space = (spaces >> 56) != 0;
        if (controls == 0 && (spaces & (spaces << 8)) == 0 &&
            !(first_space && (pending || n == 0))) {
          if (pending) {
            data[n++] = ' ';
            pending = false;
          }
          if constexpr (Lower) {
            const std::uint64_t upper =
                (x + ones * (0x80 - 'A')) & ~(x + ones * (0x80 - 'Z' - 1)) & high;
            x |= upper >> 2;
          }
          std::memcpy(data + n, &x, 8);
          // A space at the end waits: more white space or the end of the text may follow.
          n += last_space ? 7 : 8;
          pending = last_space;
          i += 8;
          continue;
        }
      }
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80 && b != ' ' && (b < '\t' || b > '\r')) {
      if (pending) {
        data[n++] = ' ';
        pending = false;
      }
      data[n++] = static_cast<char>((Lower && b >= 'A' && b <= 'Z') ? b + 32 : b);
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = decode(text, i);
    if (is_space(cp)) {
      pending = n > 0;
      continue;
    }
    if (out.size() < n + 16 + (text.size() - start)) {
      out.resize(2 * out.size() + 16);
      data = out.data();
    }
    if (pending) {
      data[n++] = ' ';
      pending = false;
    }
    if constexpr (Lower) {
      const char32_t lower = to_lower(cp);
      if (lower < 0x80) {
        data[n++] = static_cast<char>(lower);
      } else if (lower < 0x800) {
        data[n++] = static_cast<char>(0xC0 | (lower >> 6));
        data[n++] = static_cast<char>(0x80 | (lower & 0x3F));
      } else if (lower < 0x10000) {
        data[n++] = static_cast<char>(0xE0 | (lower >> 12));
        data[n++] = static_cast<char>(0x80 | ((lower >> 6) & 0x3F));
        data[n++] = static_cast<char>(0x80 | (lower & 0x3F));
      } else {
        data[n++] = static_cast<char>(0xF0 | (lower >> 18));
        data[n++] = static_cast<char>(0x80 | ((lower >> 12) & 0x3F));
        data[n++] = static_cast<char>(0x80 | ((lower >> 6) & 0x3F));
        data[n++] = static_cast<char>(0x80 | (lower & 0x3F));
      }
    } else {
      for (std::size_t k = start; k < i; ++k) data[n++] = text[k];
    }
  }
  out.resize(n);
  return out;
}

} // namespace

std::string squeeze_spaces(std::string_view text) { return squeeze<false>(text); }

std::string lower_squeezed(std::string_view text) { return squeeze<true>(text); }

int display_width(std::string_view text) {
  int width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // Eight ASCII bytes at a time: one column each.
    if (i + 8 <= text.size()) {
      std::uint64_t block;
      std::memcpy(&block, text.data() + i, 8);
      if ((block & 0x8080808080808080ULL) == 0) {
        width += 8;
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++width;
      ++i;
      continue;
    }
    const char32_t cp = decode(text, i);
    width += is_wide(cp) ? 2 : 1;
  }
  return width;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  std::size_t i = 0;
  std::size_t chars = 0;
  std::size_t last_space = std::string_view::npos;
  while (i < text.size() && chars < max_chars) {
    const std::size_t start = i;
    if (is_space(decode(text, i))) {
      last_space = start;
    }
    ++chars;
  }
  if (i >= text.size()) {
    return std::string(text);
  }
  std::size_t cut = last_space != std::string_view::npos && last_space > 0 ? last_space : i;
  std::string out(trim(text.substr(0, cut)));
  while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) {
    out.pop_back();
  }
  out += "…";
  return out;
}

}  // namespace newsidx::utf8
