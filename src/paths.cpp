#include "newsidx/paths.hpp"

#include "newsidx/errors.hpp"

#include <cstdlib>

namespace newsidx {

namespace fs = std::filesystem;

namespace {

const char* env_or_null(const char* name) {
  const char* value = std::getenv(name);
  return (value && *value) ? value : nullptr;
}

} // namespace

fs::path default_db_path() {
  if (const char* db = env_or_null("NEWSIDX_DB")) return fs::path(db);
  if (const char* xdg = env_or_null("XDG_DATA_HOME")) return fs::path(xdg) / "newsidx" / "archive.db";
  if (const char* home = env_or_null("HOME")) {
    return fs::path(home) / ".local" / "share" / "newsidx" / "archive.db";
  }
  throw UsageError("cannot find a default archive: set NEWSIDX_DB, HOME or pass --db PATH");
}

fs::path data_dir() {
  std::error_code ec;
  if (const char* dir = env_or_null("NEWSIDX_DATA_DIR")) {
    if (fs::is_directory(fs::path(dir) / "rules", ec)) return fs::path(dir);
    throw RulesError("NEWSIDX_DATA_DIR=" + std::string(dir) + " has no rules/ directory");
  }
  for (const char* candidate : {NEWSIDX_INSTALL_DATA_DIR, NEWSIDX_SOURCE_DATA_DIR}) {
    if (fs::is_directory(fs::path(candidate) / "rules", ec)) return fs::path(candidate);
  }
  throw RulesError("cannot find the rule files (rules/*.json); set NEWSIDX_DATA_DIR");
}

} // namespace newsidx
