// Unit tests for the query language and date bounds (src/query_parser.cpp, query_dates.cpp).
#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"

#include <catch2/catch.hpp>

using namespace newsidx;

namespace {
constexpr int k_today = 20251125;  // a Tuesday
std::string fts(std::string_view query) { return parse_query(query, k_today).fts; }
} // namespace

TEST_CASE("words are quoted and ANDed", "[query]") {
  CHECK(fts("Victory Day") == "\"Victory\" AND \"Day\"");
  CHECK(fts("Putin AND Xi") == "\"Putin\" AND \"Xi\"");
  CHECK(fts("C++") == "\"C++\"");
  CHECK(fts("say \"hi\"") == "\"say\" AND \"hi\"");
}

TEST_CASE("phrases, prefixes, OR and NOT", "[query]") {
  CHECK(fts("\"Victory Day\"") == "\"Victory Day\"");
  CHECK(fts("\"Victory Day") == "\"Victory Day\"");  // unbalanced quote closes at the end
  CHECK(fts("sanct*") == "\"sanct\" *");
  CHECK(fts("Putin OR Xi") == "\"Putin\" OR \"Xi\"");
  CHECK(fts("Putin -Xi") == "\"Putin\" NOT \"Xi\"");
  CHECK(fts("Putin NOT Xi") == "\"Putin\" NOT \"Xi\"");
  CHECK(fts("(Putin OR Xi) Kremlin") == "(\"Putin\" OR \"Xi\") AND \"Kremlin\"");
  CHECK(fts("(Putin OR Xi") == "(\"Putin\" OR \"Xi\")");
  CHECK(fts("NEAR(Putin Xi, 5)") == "NEAR(\"Putin\" \"Xi\", 5)");
  CHECK(fts("NEAR(Putin Xi)") == "NEAR(\"Putin\" \"Xi\", 10)");
  CHECK(fts("title:Putin") == "title : \"Putin\"");
  CHECK(fts("well-known") == "\"well-known\"");
}

TEST_CASE("stray operators and punctuation are harmless", "[query]") {
  CHECK(fts("OR Putin") == "\"Putin\"");
  CHECK(fts("Putin OR") == "\"Putin\"");
  CHECK(fts("Putin AND AND Xi") == "\"Putin\" AND \"Xi\"");
  CHECK(fts("Putin )") == "\"Putin\"");
  CHECK(fts("Putin \xE2\x80\x94 Xi") == "\"Putin\" AND \"Xi\"");  // an em dash is not a word
  CHECK(fts("\"a\"\"b\"") == "\"a\" AND \"b\"");
}

TEST_CASE("queries with nothing to search for are errors", "[query]") {
  CHECK_THROWS_AS(parse_query("", k_today), QueryError);
  CHECK_THROWS_AS(parse_query("\"", k_today), QueryError);
  CHECK_THROWS_AS(parse_query("-Putin", k_today), QueryError);
  CHECK_THROWS_AS(parse_query("AND OR", k_today), QueryError);
  CHECK_THROWS_AS(parse_query("\xF0\x9F\x98\x80", k_today), QueryError);
}

TEST_CASE("field filters and date: terms", "[query]") {
  ParsedQuery q = parse_query("Putin source:\"Moscow Times\" -lang:ru date:2025-05", k_today);
  CHECK(q.fts == "\"Putin\"");
  REQUIRE(q.filters.size() == 2);
  CHECK(q.filters[0].field == FieldFilter::Field::source);
  CHECK(q.filters[0].value == "Moscow Times");
  CHECK(q.filters[1].field == FieldFilter::Field::lang);
  CHECK(q.filters[1].negated);
  CHECK(q.dates.first == 20250501);
  CHECK(q.dates.last == 20250531);
  CHECK(parse_query("source:CNN", k_today).fts.empty());
  CHECK_THROWS_AS(parse_query("Putin OR source:CNN", k_today), QueryError);
  CHECK_THROWS_AS(parse_query("date:soon", k_today), QueryError);
  // An unknown field name is just a word.
  CHECK(fts("http://example.com") == "\"http://example.com\"");
}

TEST_CASE("date bounds round the way a person means them", "[query][dates]") {
  CHECK(parse_date_bound("2025", false, k_today) == 20250101);
  CHECK(parse_date_bound("2025", true, k_today) == 20251231);
  CHECK(parse_date_bound("2025-02", true, k_today) == 20250228);
  CHECK(parse_date_bound("2024-02", true, k_today) == 20240229);
  CHECK(parse_date_bound("2025-05-08", true, k_today) == 20250508);
  CHECK(parse_date_bound("today", false, k_today) == 20251125);
  CHECK(parse_date_bound("yesterday", false, k_today) == 20251124);
  CHECK(parse_date_bound("7d", false, k_today) == 20251118);
  CHECK(parse_date_bound("2w", false, k_today) == 20251111);
  CHECK(parse_date_bound("3m", false, k_today) == 20250825);
  CHECK(parse_date_bound("1y", false, k_today) == 20241125);
  CHECK(parse_date_bound("last-week", false, k_today) == 20251117);
  CHECK(parse_date_bound("last-week", true, k_today) == 20251123);
  CHECK(parse_date_bound("last-month", false, k_today) == 20251001);
  CHECK(parse_date_bound("last-month", true, k_today) == 20251031);
  CHECK(parse_date_bound("1m", false, 20250331) == 20250228);
  CHECK_THROWS_AS(parse_date_bound("2025-13", false, k_today), UsageError);
  CHECK_THROWS_AS(parse_date_bound("2025-02-30", false, k_today), UsageError);
  CHECK_THROWS_AS(parse_date_bound("May", false, k_today), UsageError);
  CHECK_THROWS_AS(parse_date_bound("", false, k_today), UsageError);
}

TEST_CASE("date ranges", "[query][dates]") {
  DayRange r = parse_date_range("2025-05-01..2025-05-10", k_today);
  CHECK(r.first == 20250501);
  CHECK(r.last == 20250510);
  CHECK(parse_date_range("..2023", k_today).last == 20231231);
  CHECK(parse_date_range("..2023", k_today).first == 0);
  CHECK(parse_date_range("2025..", k_today).first == 20250101);
  CHECK_THROWS_AS(parse_date_range("2025..2024", k_today), UsageError);
  CHECK_THROWS_AS(parse_date_range("..", k_today), UsageError);
}

TEST_CASE("control characters and NUL bytes separate words (fuzz crash f70f1991)", "[query]") {
  CHECK(fts(std::string("sourc\x1c\0\"Moscow\"", 15)) == "\"sourc\" AND \"Moscow\"");
  CHECK(fts(std::string("a\0b", 3)) == "\"a\" AND \"b\"");
}

TEST_CASE("control characters inside a phrase become spaces (fuzz crash 6c1f0b7d)", "[query]") {
  CHECK(fts(std::string("\"Victory \0\0Day\"", 15)) == "\"Victory   Day\"");
}
