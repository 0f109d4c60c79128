// Options shared by the commands that select articles with a query (search, timeline,
// export): the query words, --since/--until, --include-undated, --no-dupes, and the
// --fields choice for machine output.
#pragma once

#include "command.hpp"
#include "output.hpp"

#include "newsidx/query.hpp"

#include <string>
#include <vector>

namespace newsidx::cli {

struct QueryArgs {
  std::vector<std::string> words;
  std::string since;
  std::string until;
  bool include_undated = false;
  bool no_dupes = false;
};

// Adds --since, --until, --include-undated, --no-dupes (the positional "query" too).
void add_query_options(po::options_description& options, QueryArgs& args);

// The request for these arguments (query words joined with spaces). Throws UsageError
// for bad dates.
SearchRequest make_request(const QueryArgs& args);

// Splits "--fields a,b,c" and checks every name against `available`.
std::vector<std::string> parse_fields(const std::string& fields,
                                      const std::vector<std::string>& available);

// Keeps only `fields` of `row`, in that order (all of them when `fields` is empty).
Row select_fields(const Row& row, const std::vector<std::string>& fields);

} // namespace newsidx::cli
