// Date finding and parsing in every supported language and numeric form.
#include "dates.hpp"
#include "rules.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using newsidx::PartialDate;

namespace {

const newsidx::ExtractionRules& rules() {
  static const auto loaded =
      newsidx::load_rules(std::filesystem::path(NEWSIDX_TEST_SEEDS).parent_path());
  return *loaded;
}

std::string first_date(std::string_view text, bool month_first = false) {
  const auto matches = newsidx::find_dates(text, rules(), month_first);
  return matches.empty() ? std::string() : matches.front().date.iso();
}

}  // namespace

TEST_CASE("numeric date forms", "[dates]") {
  CHECK(first_date("posted 2025-05-08T10:31Z by") == "2025-05-08");
  CHECK(first_date("2025/05/08") == "2025-05-08");
  CHECK(first_date("am 08.05.2025 um 10:00") == "2025-05-08");
  CHECK(first_date("8/5/2025") == "2025-05-08");
  CHECK(first_date("05/08/2025", true) == "2025-05-08");
  CHECK(first_date("13/05/2025", true) == "2025-05-13");
  CHECK(first_date("2025-02-30").empty());
  CHECK(first_date("version 1.2.2025").empty() == false);  // a valid D.M.Y shape
  CHECK(first_date("call 555-12-2025-1").empty());
  CHECK(first_date("score 3-2 in 2025").empty());
}

TEST_CASE("dates glued or decorated by the renderer", "[dates]") {
  // Two copies of a date glued together: the year runs into the next day.
  CHECK(first_date("20 janvier 202020 janvier 2020") == "2020-01-20");
  CHECK(first_date("10. Februar 20199. Februar 2019") == "2019-02-10");
  // A weekday between day and month (blog date badges).
  CHECK(first_date("31 Donnerstag Okt 2019") == "2019-10-31");
  // A six-digit number before other text is no glued year.
  CHECK(first_date("Artikel 202020 Leser").empty());
}

TEST_CASE("dates with month names in many languages", "[dates]") {
  CHECK(first_date("May 8, 2025") == "2025-05-08");
  CHECK(first_date("Updated 3:14 PM EDT, Thu May 8, 2025") == "2025-05-08");
  CHECK(first_date("8 May 2025") == "2025-05-08");
  CHECK(first_date("Dec. 30, 2022") == "2022-12-30");
  CHECK(first_date("the 8th of May 2025") == "2025-05-08");
  CHECK(first_date("3. Mai 2024, 17:47") == "2024-05-03");            // de
  CHECK(first_date("1er mai 2025") == "2025-05-01");                  // fr
  CHECK(first_date("12 février 2024") == "2024-02-12");               // fr
  CHECK(first_date("8 de mayo de 2025") == "2025-05-08");             // es
  CHECK(first_date("8 maggio 2025") == "2025-05-08");                 // it
  CHECK(first_date("8 de maio de 2025") == "2025-05-08");             // pt
  CHECK(first_date("8 mei 2025") == "2025-05-08");                    // nl
  CHECK(first_date("8 maja 2025 r.") == "2025-05-08");                // pl
  CHECK(first_date("8 мая 2025 г.") == "2025-05-08");                 // ru
  CHECK(first_date("8 травня 2025 року") == "2025-05-08");            // uk
  CHECK(first_date("8 Mayıs 2025") == "2025-05-08");                  // tr
  CHECK(first_date("2025年5月8日") == "2025-05-08");                  // zh / ja
  CHECK(first_date("２０２５年５月８日") == "2025-05-08");            // full-width digits
  CHECK(first_date("2025년 5월 8일") == "2025-05-08");                // ko
}

TEST_CASE("month precision and non-dates", "[dates]") {
  CHECK(first_date("in March 2023 the") == "2023-03");
  CHECK(first_date("Mai 2024") == "2024-05");
  CHECK(first_date("2025年5月") == "2025-05");
  CHECK(first_date("on May 9 the parade").empty());
  CHECK(first_date("from May 7–10, the").empty());
  CHECK(first_date("you may 2025 things").size() == 7);  // known limitation: "may 2025"
  CHECK(first_date("at 10:31 on the 8th").empty());
  CHECK(first_date("").empty());
}

TEST_CASE("clock time next to a date is noticed", "[dates]") {
  const auto matches = newsidx::find_dates("3. Mai 2024, 17:47 Uhr", rules());
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].has_time);
  const auto plain = newsidx::find_dates("on 3 May 2024 the", rules());
  REQUIRE(plain.size() == 1);
  CHECK_FALSE(plain[0].has_time);
}

TEST_CASE("metadata date values", "[dates]") {
  CHECK(newsidx::parse_date_value("2023-11-14T09:30:00+01:00", rules()) == PartialDate{2023, 11, 14});
  CHECK(newsidx::parse_date_value(" 2021-02 ", rules()) == PartialDate{2021, 2, 0});
  CHECK(newsidx::parse_date_value("2019", rules()) == PartialDate{2019, 0, 0});
  CHECK(newsidx::parse_date_value("May 8, 2025", rules()) == PartialDate{2025, 5, 8});
  CHECK_FALSE(newsidx::parse_date_value("yesterday", rules()));
}

TEST_CASE("file name dates", "[dates]") {
  CHECK(newsidx::date_from_filename("a/b/2025-05-08-xi-visit.txt") == PartialDate{2025, 5, 8});
  CHECK(newsidx::date_from_filename("20250508_xi.txt") == PartialDate{2025, 5, 8});
  CHECK(newsidx::date_from_filename("xi_2025_05_08.txt") == PartialDate{2025, 5, 8});
  CHECK_FALSE(newsidx::date_from_filename("2025-05-08/notes.txt"));
  CHECK_FALSE(newsidx::date_from_filename("id-123456789.txt"));
  CHECK_FALSE(newsidx::date_from_filename("20251308.txt"));
}

TEST_CASE("renderer artefacts: glued dates, ranges, times after short years", "[dates]") {
  // "22. Dezember 201922. Dezember 2019": published and modified dates glued together
  const auto glued = newsidx::find_dates("22. Dezember 201922. Dezember 2019 von Peter", rules());
  REQUIRE(glued.size() == 2);
  CHECK(glued[0].date.iso() == "2019-12-22");
  CHECK(glued[1].date.iso() == "2019-12-22");
  // "macbacchi28.09.1912:44" is 28.09.19 at 12:44, not the year 1912
  CHECK(first_date("macbacchi28.09.1912:44") != "1912-09-28");
  // the end of a range is flagged
  const auto range = newsidx::find_dates("Wochenbericht 14. - 20. Januar 2022", rules());
  REQUIRE(range.size() == 1);
  CHECK(range[0].range);
  // dates inside file names are no dates
  CHECK(first_date("photo 12-05-2008_1.jpg").empty());
  // Hungarian year-first forms and 2-digit years
  CHECK(first_date("2020. 08. 18. 21:35") == "2020-08-18");
  CHECK(first_date("2020. augusztus 18.") == "2020-08-18");
  CHECK(first_date("1.11.23 20:19 von Lars") == "2023-11-01");
}

TEST_CASE("slash dates: the written order and swappable day and month", "[dates]") {
  auto only = [](std::string_view text) {
    const auto matches = newsidx::find_dates(text, rules());
    REQUIRE(matches.size() == 1);
    return matches.front();
  };
  const auto swappable = only("posted 01/10/2024 at noon");
  CHECK(swappable.order_unknown);
  CHECK(swappable.ambiguous);
  CHECK(swappable.date.iso() == "2024-10-01");  // the day-first reading unless asked
  CHECK(swappable.order == newsidx::DayOrder::unknown);
  CHECK_FALSE(only("05/05/2024").order_unknown);  // both readings are the same day
  CHECK(only("13/05/2025").order == newsidx::DayOrder::day_first);
  CHECK(only("05/13/2025").order == newsidx::DayOrder::month_first);
  CHECK_FALSE(only("08.05.2025").order_unknown);  // dots are day-first
  CHECK(only("8 May 2025").order == newsidx::DayOrder::day_first);
  CHECK(only("May 8, 2025").order == newsidx::DayOrder::month_first);
  CHECK(only("2025-05-08").order == newsidx::DayOrder::unknown);
}

TEST_CASE("slash dates with a two-digit year", "[dates]") {
  const auto matches = newsidx::find_dates("Updated 30/10/23 09:15", rules());
  REQUIRE(matches.size() == 1);
  CHECK(matches.front().date.iso() == "2023-10-30");
  CHECK(matches.front().short_year);
  CHECK(first_date("11/08/23", true) == "2023-11-08");
  CHECK(first_date("see pages 1/2/345").empty());
}

TEST_CASE("numeric dates inside file names are no dates", "[dates]") {
  CHECK(first_date("photo 28-04-2008.jpg").empty());
  CHECK(first_date("shot_12.10.03.png").empty());
  CHECK(first_date("Screenshot 2020-03-18_12.22.03.png") != "2003-12-22");
  CHECK(first_date("am 28.04.2008. Danach") == "2008-04-28");
}
