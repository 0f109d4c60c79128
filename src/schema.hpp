// The archive schema, written once here as a list of migrations: migration N brings a
// database from user_version N-1 to N. See README "The archive" for the table layout.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace newsidx::schema {

// 'NWSX': marks a SQLite file as a newsidx archive (PRAGMA application_id).
inline constexpr int k_application_id = 0x4E575358;

// migrations()[i] upgrades user_version i to i + 1.
std::span<const std::string> migrations();

// The secondary indexes a bulk load drops, exactly as the migrations create them: those
// ingest never reads, and the unique index on content_hash, which a bulk load replaces
// with a table in memory. A bulk load builds them again at its end (ArticleStore::
// begin_bulk_load); an ingest that finds one missing (a bulk load that was killed) builds
// it again before it stores anything.
struct IndexDefinition {
  std::string_view name;
  std::string_view create_sql;
};
std::span<const IndexDefinition> bulk_deferred_indexes();

} // namespace newsidx::schema
