// Private to the library: article bodies are stored zstd-compressed (a BLOB holding one
// zstd frame); older rows may hold plain TEXT. The SQL function newsidx_text(x), registered
// on every connection, returns the text either way, so the FTS5 content view, snippets and
// every reader see plain text.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

namespace newsidx {

std::string compress_text(std::string_view text);
// Throws StoreError when `blob` is not a zstd frame newsidx wrote.
std::string decompress_text(std::string_view blob);

// Registers newsidx_text(x) on the connection; false when the file is not a usable database.
bool register_text_functions(sqlite3* db);

} // namespace newsidx
