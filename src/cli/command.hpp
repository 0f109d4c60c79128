// The command table: every subcommand is one function in its own file (cmd_*.cpp),
// listed once in main.cpp with its name and one-line help. Options shared by every
// command (--db, --color, --help) are parsed here.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace newsidx::cli {

namespace po = boost::program_options;

// Exit statuses, documented in the README and --help.
inline constexpr int k_exit_match = 0;     // ok / something matched
inline constexpr int k_exit_no_match = 1;  // a query matched nothing
inline constexpr int k_exit_error = 2;     // usage, archive or query error
inline constexpr int k_exit_partial = 3;   // ingest: some files were skipped or failed
inline constexpr int k_exit_interrupted = 130;

struct GlobalOptions {
  std::string db;  // "" = default_db_path()
  std::string color = "auto";
};

struct Invocation {
  std::string command;
  std::vector<std::string> args;  // after the command name
  GlobalOptions global;
  // Describe mode (for the man page and shell completions): parse_command_line copies the
  // command's options here, with its usage line, and the command returns without running.
  po::options_description* describe = nullptr;
  std::string* describe_usage = nullptr;
  std::vector<std::string>* describe_positional = nullptr;
};

struct Command {
  const char* name;
  const char* summary;
  int (*run)(Invocation& invocation);
};

// The table in main.cpp.
const std::vector<Command>& commands();

// Adds --db, --color and --help to a command's options.
void add_common_options(po::options_description& options, GlobalOptions& global);

// Parses a command's arguments; returns false (after printing help) when --help was given,
// or in describe mode.
// Throws UsageError on bad options.
bool parse_command_line(Invocation& invocation, po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& values, const char* usage);

// The archive path for this invocation.
std::filesystem::path archive_path(const GlobalOptions& global);

// Diagnostics on stderr: "newsidx: warning: ..." / "newsidx: error: ...".
void print_warning(const std::string& message);
void print_error(const std::string& message);

int run_ingest(Invocation& invocation);
int run_search(Invocation& invocation);
int run_extract(Invocation& invocation);
int run_show(Invocation& invocation);
int run_stats(Invocation& invocation);
int run_sources(Invocation& invocation);
int run_timeline(Invocation& invocation);
int run_export(Invocation& invocation);
int run_similar(Invocation& invocation);
int run_completion(Invocation& invocation);
int run_man(Invocation& invocation);
int run_check(Invocation& invocation);
int run_optimize(Invocation& invocation);
int run_help(Invocation& invocation);

} // namespace newsidx::cli
