// Private to the library: registers newsidx's analysis (include/newsidx/tokenizer.hpp) on a
// SQLite connection, as the FTS5 tokenizer "newsidx" and the SQL function
// newsidx_fts_lang(lang, text). The function returns `text` unchanged and tells the
// connection's tokenizer the language of the document it is about to index; the FTS5
// triggers and the content view call it, so inserts, deletes, 'rebuild' and
// 'integrity-check' all stem each article in its own language while snippets still read
// the stored text as it is.
#pragma once

#include <sqlite3.h>

namespace newsidx {

// Call once per connection, before the archive's FTS5 table is used. Returns false when
// the connection has no FTS5 (or the file cannot even be read); it never throws, so that
// the caller's own checks report a file that is not an archive.
bool register_tokenizer(sqlite3* db);

} // namespace newsidx
