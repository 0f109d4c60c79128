// Private to the library: how a piece of user text becomes one FTS5 string literal, shared
// by the query parser and `similar`, so no user text reaches FTS5 unquoted.
#pragma once

#include <string>
#include <string_view>

namespace newsidx {

// "text" with inner quotes doubled and control characters (NUL included) as spaces.
std::string quote_fts(std::string_view text);

} // namespace newsidx
