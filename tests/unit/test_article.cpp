// PartialDate and Article helpers.
#include "newsidx/article.hpp"

#include <catch2/catch.hpp>

using newsidx::DatePrecision;
using newsidx::PartialDate;

TEST_CASE("PartialDate iso and precision", "[article]") {
  CHECK(PartialDate{2025, 5, 8}.iso() == "2025-05-08");
  CHECK(PartialDate{2025, 5, 0}.iso() == "2025-05");
  CHECK(PartialDate{2025, 0, 0}.iso() == "2025");
  CHECK(PartialDate{}.iso().empty());
  CHECK(PartialDate{2025, 5, 8}.precision() == DatePrecision::day);
  CHECK(PartialDate{2025, 5, 0}.precision() == DatePrecision::month);
  CHECK(PartialDate{2025, 0, 0}.precision() == DatePrecision::year);
  CHECK(PartialDate{}.precision() == DatePrecision::none);
  CHECK(newsidx::to_string(DatePrecision::day) == "day");
  CHECK(newsidx::to_string(DatePrecision::month) == "month");
  CHECK(newsidx::to_string(DatePrecision::year) == "year");
}

TEST_CASE("PartialDate::parse_iso validates the calendar", "[article]") {
  CHECK(PartialDate::parse_iso("2024-02-29") == PartialDate{2024, 2, 29});
  CHECK_FALSE(PartialDate::parse_iso("2023-02-29"));
  CHECK_FALSE(PartialDate::parse_iso("2023-13"));
  CHECK_FALSE(PartialDate::parse_iso("2023-1-5"));
  CHECK_FALSE(PartialDate::parse_iso("20230105"));
  CHECK_FALSE(PartialDate::parse_iso(""));
  CHECK(PartialDate::parse_iso("2023-07") == PartialDate{2023, 7, 0});
  CHECK(PartialDate::parse_iso("1999") == PartialDate{1999, 0, 0});
}

TEST_CASE("PartialDate ranges and sort key", "[article]") {
  CHECK(PartialDate{2024, 2, 0}.first_day() == 20240201);
  CHECK(PartialDate{2024, 2, 0}.last_day() == 20240229);
  CHECK(PartialDate{2023, 0, 0}.first_day() == 20230101);
  CHECK(PartialDate{2023, 0, 0}.last_day() == 20231231);
  CHECK(PartialDate{2023, 4, 9}.last_day() == 20230409);
  CHECK(PartialDate{2023, 4, 0}.sort_key() == 20230400);
  CHECK(PartialDate{}.sort_key() == 0);
  CHECK(newsidx::days_in_month(1900, 2) == 28);
  CHECK(newsidx::days_in_month(2000, 2) == 29);
  CHECK(newsidx::is_valid_date(2024, 12, 31));
  CHECK_FALSE(newsidx::is_valid_date(2024, 4, 31));
}

TEST_CASE("Article word count and display title", "[article]") {
  newsidx::Article a;
  a.body = "Xi's visit — to Moscow, in 2025.\n\nTwo more.";
  CHECK(a.word_count() == 8);
  a.body = "习近平访问俄罗斯";
  CHECK(a.word_count() == 8);
  // Apostrophes and hyphens inside a word keep it going; elsewhere they separate.
  for (const auto& [text, words] : {std::pair{"don't stop", 2},
                                    {"well-known fact", 2},
                                    {"a - b", 2},
                                    {"rock\u2019n\u2019roll band", 2},
                                    {"-5 degrees", 2},
                                    {"Hello... world", 2},
                                    {"co--op", 1},
                                    {"end-", 1},
                                    {"' '", 0},
                                    {"Zürich-based 3D", 2}}) {
    a.body = text;
    INFO(text);
    CHECK(a.word_count() == static_cast<std::size_t>(words));
  }
  a.title_derived = "Derived…";
  CHECK(a.display_title() == "Derived…");
  a.title = "Real";
  CHECK(a.display_title() == "Real");
}
