// newsidx: an offline news-archive indexer and search CLI. main() finds the command in
// the table, and is the one place that turns errors into messages and exit statuses.
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/paths.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace newsidx::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
    {"ingest", "add article files and directories to the archive", run_ingest},
    {"search", "ranked keyword search with date filters", run_search},
    {"extract", "print what would be stored for files, without storing", run_extract},
    {"show", "print one stored article by id or path", run_show},
    {"similar", "articles most like one article, from its distinctive terms", run_similar},
    {"timeline", "matches over time, per day, week, month or year, with a bar chart", run_timeline},
    {"sources", "articles per outlet", run_sources},
    {"export", "the whole archive, or a query's matches, as JSON Lines or CSV", run_export},
    {"stats", "summarise the archive", run_stats},
    {"check", "verify the archive: integrity, full-text index, files still present", run_check},
    {"optimize", "merge the full-text index and compact the archive", run_optimize},
    {"completion", "print a shell completion script: newsidx completion bash|zsh", run_completion},
    {"man", "print the manual page (roff), built from the same option definitions", run_man},
    {"help", "help on a command: newsidx help COMMAND", run_help},
  };
  return table;
}

void add_common_options(po::options_description& options, GlobalOptions& global) {
  options.add_options()                                                 //
    ("db", po::value(&global.db), "archive file (default: $NEWSIDX_DB, else "
                                  "${XDG_DATA_HOME:-~/.local/share}/newsidx/archive.db)")  //
    ("color", po::value(&global.color)->default_value(global.color),
     "colour: auto, always or never (NO_COLOR turns auto off)")  //
    ("help,h", "show this help");
}

bool parse_command_line(Invocation& invocation, po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& values, const char* usage) {
  if (invocation.describe) {
    invocation.describe->add(options);
    if (invocation.describe_usage) *invocation.describe_usage = usage;
    if (invocation.describe_positional) {
      for (unsigned i = 0; i < std::min(positional.max_total_count(), 1u); ++i) {
        invocation.describe_positional->push_back(positional.name_for_position(i));
      }
    }
    return false;
  }
  try {
    po::store(po::command_line_parser(invocation.args)
                .options(options)
                .positional(positional)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
              values);
    if (values.count("help")) {
      out(std::string("usage: ") + usage + "\n\n");
      std::ostringstream text;
      text << options;
      out(text.str());
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see 'newsidx " + invocation.command + " --help')");
  }
  return true;
}

std::filesystem::path archive_path(const GlobalOptions& global) {
  return global.db.empty() ? default_db_path() : std::filesystem::path(global.db);
}

void print_warning(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "newsidx: warning: %s\n", message.c_str());
}

void print_error(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "newsidx: error: %s\n", message.c_str());
}

namespace {

void print_overview() {
  std::string text =
    "usage: newsidx [--db PATH] COMMAND [ARGS...]\n\n"
    "An offline news-archive indexer and search tool.\n\ncommands:\n";
  for (const Command& command : commands()) {
    char line[160];
    std::snprintf(line, sizeof line, "  %-10s %s\n", command.name, command.summary);
    text += line;
  }
  text +=
    "\nglobal options (before or after the command):\n"
    "  --db PATH    archive file (default $NEWSIDX_DB, else\n"
    "               ${XDG_DATA_HOME:-~/.local/share}/newsidx/archive.db)\n"
    "  --color WHEN auto, always or never\n"
    "  --version    print the version\n"
    "  -h, --help   this help; 'newsidx COMMAND --help' for a command\n\n"
    "exit status: 0 ok or matched, 1 no match, 2 error, 3 ingest skipped some files,\n"
    "             130 interrupted\n";
  out(text);
}

const Command* find_command(std::string_view name) {
  for (const Command& command : commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

int dispatch(int argc, char** argv) {
  Invocation invocation;
  int i = 1;
  // Global options before the command name.
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--db" || arg == "--color") {
      if (i + 1 >= argc) throw UsageError(std::string(arg) + " needs a value");
      (arg == "--db" ? invocation.global.db : invocation.global.color) = argv[++i];
    } else if (arg.rfind("--db=", 0) == 0) {
      invocation.global.db = std::string(arg.substr(5));
    } else if (arg.rfind("--color=", 0) == 0) {
      invocation.global.color = std::string(arg.substr(8));
    } else if (arg == "--version" || arg == "-V") {
      out("newsidx " NEWSIDX_VERSION "\n");
      return k_exit_match;
    } else if (arg == "--help" || arg == "-h") {
      print_overview();
      return k_exit_match;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option '" + std::string(arg) + "' (see 'newsidx --help')");
    } else {
      break;
    }
  }
  if (i >= argc) {
    print_overview();
    return k_exit_error;
  }
  invocation.command = argv[i];
  const Command* command = find_command(invocation.command);
  if (!command) {
    throw UsageError("unknown command '" + invocation.command + "' (see 'newsidx --help')");
  }
  invocation.args.assign(argv + i + 1, argv + argc);
  return command->run(invocation);
}

} // namespace

int run_help(Invocation& invocation) {
  if (invocation.args.empty()) {
    print_overview();
    return k_exit_match;
  }
  const Command* command = find_command(invocation.args.front());
  if (!command || std::string_view(command->name) == "help") {
    throw UsageError("no command named '" + invocation.args.front() + "'");
  }
  Invocation help{command->name, {"--help"}, invocation.global};
  return command->run(help);
}

} // namespace newsidx::cli

int main(int argc, char** argv) {
  using namespace newsidx::cli;
  std::signal(SIGPIPE, SIG_IGN);
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  int status = k_exit_error;
  try {
    status = dispatch(argc, argv);
    flush_out();
  } catch (const BrokenPipe&) {
    return k_exit_match;  // the reader has all it wanted
  } catch (const newsidx::Error& e) {
    print_error(e.what());
    status = k_exit_error;
  } catch (const std::exception& e) {
    print_error(std::string("unexpected: ") + e.what());
    status = k_exit_error;
  }
  try {
    flush_out();
  } catch (...) {
  }
  return status;
}
