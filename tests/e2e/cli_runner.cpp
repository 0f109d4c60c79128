#include "cli_runner.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace newsidx::e2e {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "newsidx-e2e-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything removable again (tests chmod things away).
  for (auto it = fs::recursive_directory_iterator(m_path, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add | fs::perm_options::nofollow, ec);
  }
  fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(m_path, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& content) const {
  fs::path target = m_path / name;
  fs::create_directories(target.parent_path());
  std::ofstream file(target, std::ios::binary);
  file << content;
  return target;
}

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

RunResult run_command_line(const std::string& command_line, const fs::path& dir,
                           const std::string& stdin_text) {
  static int counter = 0;
  std::string tag = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  fs::path out = fs::temp_directory_path() / ("newsidx-out-" + tag);
  fs::path err = fs::temp_directory_path() / ("newsidx-err-" + tag);
  fs::path in = fs::temp_directory_path() / ("newsidx-in-" + tag);
  {
    std::ofstream input(in, std::ios::binary);
    input << stdin_text;
  }
  std::string full = "cd " + shell_quote(dir.string()) + " && { " + command_line + " ; } < " +
                     shell_quote(in.string()) + " > " + shell_quote(out.string()) + " 2> " +
                     shell_quote(err.string());
  std::string wrapped = "/bin/bash -c " + shell_quote(full);
  int raw = std::system(wrapped.c_str());
  RunResult result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  result.out = slurp(out);
  result.err = slurp(err);
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(err, ec);
  fs::remove(in, ec);
  return result;
}

} // namespace

std::string binary_path() { return NEWSIDX_BINARY; }
std::string seeds_dir() { return NEWSIDX_TEST_SEEDS; }

RunResult run_newsidx(const std::vector<std::string>& args, const fs::path& dir,
                      const std::string& env_prefix, const std::string& stdin_text) {
  // A clean environment for what newsidx reads: no inherited archive or colour settings.
  std::string command = "env -u NEWSIDX_DB -u NO_COLOR -u COLUMNS HOME=" +
                        shell_quote(dir.string()) + " XDG_DATA_HOME= " + env_prefix + " " +
                        shell_quote(binary_path());
  for (const std::string& arg : args) {
    command += ' ';
    command += shell_quote(arg);
  }
  return run_command_line(command, dir, stdin_text);
}

RunResult run_shell(const std::string& command_line, const fs::path& dir) {
  return run_command_line("export NEWSIDX=" + shell_quote(binary_path()) + "; " + command_line, dir,
                          "");
}

std::vector<nlohmann::json> parse_jsonl(const std::string& text) {
  std::vector<nlohmann::json> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

} // namespace newsidx::e2e
