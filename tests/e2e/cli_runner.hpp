// Helpers for end-to-end tests: run the real newsidx binary in a fresh temporary
// directory and capture its exit status, stdout and stderr.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace newsidx::e2e {

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Single-quotes `text` for /bin/sh.
std::string shell_quote(const std::string& text);

// A temporary directory removed at the end of the test.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }
  // Writes a file (creating directories) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

private:
  std::filesystem::path m_path;
};

// Runs `newsidx ARGS...` with `env_prefix` (e.g. "NO_COLOR=1") in `dir`.
RunResult run_newsidx(const std::vector<std::string>& args, const std::filesystem::path& dir,
                      const std::string& env_prefix = "", const std::string& stdin_text = "");

// Runs an arbitrary shell command line (bash) in `dir`; NEWSIDX is set to the binary.
RunResult run_shell(const std::string& command_line, const std::filesystem::path& dir);

// Parses JSON Lines output.
std::vector<nlohmann::json> parse_jsonl(const std::string& text);

std::string seeds_dir();
std::string binary_path();

} // namespace newsidx::e2e
