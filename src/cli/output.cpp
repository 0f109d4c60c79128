#include "output.hpp"

#include "newsidx/errors.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace newsidx::cli {

Format parse_format(std::string_view name, std::initializer_list<Format> allowed) {
  Format format;
  if (name == "text") format = Format::text;
  else if (name == "json") format = Format::json;
  else if (name == "jsonl") format = Format::jsonl;
  else if (name == "tsv") format = Format::tsv;
  else if (name == "csv") format = Format::csv;
  else throw UsageError("unknown format '" + std::string(name) + "'");
  for (Format ok : allowed) {
    if (ok == format) return format;
  }
  throw UsageError("format '" + std::string(name) + "' is not available for this command");
}

void out(std::string_view text) {
  if (text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw Error(std::string("cannot write output: ") + std::strerror(errno));
  }
}

void flush_out() {
  if (std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw Error(std::string("cannot write output: ") + std::strerror(errno));
  }
}

bool use_color(std::string_view color_option) {
  if (color_option == "always") return true;
  if (color_option == "never") return false;
  if (color_option != "auto") {
    throw UsageError("--color takes auto, always or never, not '" + std::string(color_option) +
                     "'");
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

int terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    int value = std::atoi(columns);
    if (value > 20) return value;
  }
  struct winsize size {};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 20) {
    return size.ws_col;
  }
  return 100;
}

std::string cell_text(const Row& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value) {
      if (!joined.empty()) joined += "; ";
      joined += cell_text(item);
    }
    return joined;
  }
  return value.dump();
}

namespace {

std::string tsv_escape(const std::string& text) {
  std::string result;
  for (char c : text) {
    switch (c) {
      case '\t': result += "\\t"; break;
      case '\n': result += "\\n"; break;
      case '\r': result += "\\r"; break;
      case '\\': result += "\\\\"; break;
      default: result += c;
    }
  }
  return result;
}

std::string csv_escape(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string result = "\"";
  for (char c : text) {
    if (c == '"') result += '"';
    result += c;
  }
  return result + "\"";
}

} // namespace

RowPrinter::RowPrinter(Format format, std::vector<std::string> columns)
  : m_format(format), m_columns(std::move(columns)) {}

void RowPrinter::print(const Row& row) {
  constexpr auto k_error = nlohmann::ordered_json::error_handler_t::replace;
  switch (m_format) {
    case Format::json:
      out(m_started ? ",\n" : "[\n");
      out(row.dump(-1, ' ', false, k_error));
      break;
    case Format::jsonl:
      out(row.dump(-1, ' ', false, k_error));
      out("\n");
      break;
    case Format::tsv:
    case Format::csv: {
      bool tsv = m_format == Format::tsv;
      if (!m_started) {
        std::string header;
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
          if (i) header += tsv ? '\t' : ',';
          header += m_columns[i];
        }
        out(header + "\n");
      }
      std::string line;
      for (std::size_t i = 0; i < m_columns.size(); ++i) {
        if (i) line += tsv ? '\t' : ',';
        auto it = row.find(m_columns[i]);
        std::string text = it == row.end() ? "" : cell_text(*it);
        line += tsv ? tsv_escape(text) : csv_escape(text);
      }
      out(line + "\n");
      break;
    }
    case Format::text:
      out(row.dump(-1, ' ', false, k_error) + "\n");
      break;
  }
  m_started = true;
}

void RowPrinter::finish() {
  if (m_finished) return;
  m_finished = true;
  if (m_format == Format::json) out(m_started ? "\n]\n" : "[]\n");
  if ((m_format == Format::tsv || m_format == Format::csv) && !m_started) {
    std::string header;
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
      if (i) header += m_format == Format::tsv ? '\t' : ',';
      header += m_columns[i];
    }
    out(header + "\n");
  }
}

} // namespace newsidx::cli
