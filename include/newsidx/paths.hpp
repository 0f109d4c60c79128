// Where newsidx keeps things: the default archive path and the directory of rule files.
#pragma once

#include <filesystem>

namespace newsidx {

// $NEWSIDX_DB, else ${XDG_DATA_HOME:-~/.local/share}/newsidx/archive.db.
std::filesystem::path default_db_path();

// The directory holding rules/*.json: $NEWSIDX_DATA_DIR, else the installed
// share/newsidx, else the source tree's data/ (for a build run in place).
// Throws RulesError when none of them has a rules/ directory.
std::filesystem::path data_dir();

} // namespace newsidx
