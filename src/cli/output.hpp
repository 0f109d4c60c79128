// The CLI's one printer layer: writing to stdout with a quiet end on a closed pipe,
// colour decisions, and rows in text / JSON / JSONL / TSV / CSV. Commands build rows as
// ordered JSON objects and never hand-format machine output themselves.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx::cli {

using Row = nlohmann::ordered_json;

enum class Format { text, json, jsonl, tsv, csv };

// Parses "text", "json", "jsonl", "tsv", "csv"; throws UsageError otherwise.
Format parse_format(std::string_view name, std::initializer_list<Format> allowed);

// Thrown when stdout is a closed pipe; main() ends quietly.
struct BrokenPipe {};

// Writes to stdout; throws BrokenPipe when the reader has gone away.
void out(std::string_view text);
void flush_out();

// Colour policy for stdout: --color auto|always|never, NO_COLOR, TERM=dumb, isatty.
bool use_color(std::string_view color_option);
// Terminal width for stdout (COLUMNS, the tty, else 100).
int terminal_width();

namespace ansi {
inline constexpr std::string_view reset = "\x1b[0m";
inline constexpr std::string_view bold = "\x1b[1m";
inline constexpr std::string_view dim = "\x1b[2m";
inline constexpr std::string_view red = "\x1b[1;31m";
inline constexpr std::string_view green = "\x1b[32m";
inline constexpr std::string_view yellow = "\x1b[33m";
inline constexpr std::string_view blue = "\x1b[34m";
inline constexpr std::string_view magenta = "\x1b[35m";
inline constexpr std::string_view cyan = "\x1b[36m";
} // namespace ansi

// Prints rows in a machine format. For json the rows form one array; for tsv/csv a
// header line names `columns` and each row prints those keys in order.
class RowPrinter {
public:
  RowPrinter(Format format, std::vector<std::string> columns);
  void print(const Row& row);
  // Ends the output (closes the JSON array). Safe to call once.
  void finish();

private:
  Format m_format;
  std::vector<std::string> m_columns;
  bool m_started = false;
  bool m_finished = false;
};

// Text of a JSON value for one TSV/CSV cell (arrays joined with "; ", null empty).
std::string cell_text(const Row& value);

} // namespace newsidx::cli
