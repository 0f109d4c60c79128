#include "dated_archive.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>

namespace newsidx::e2e {

std::string days_ago(int days) {
  std::time_t now = std::time(nullptr) - static_cast<std::time_t>(days) * 86400;
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

namespace {

const char* k_topics[] = {"harbour", "election", "vaccine", "drought"};
const char* k_sources[] = {"Daily Planet", "Gotham Gazette", "Coast Wire"};
const char* k_authors[] = {"Lois Lane", "Clark Kent", "Vicki Vale"};

std::string paragraph(const std::string& topic, int i, int p) {
  // Sentences long enough to be kept as story text, with the topic word in each.
  return "Officials said the " + topic + " question dominated the regional council meeting on " +
         "Monday, and residents asked for clear answers about what comes next for the " + topic +
         " plans. Story number " + std::to_string(i) + " paragraph " + std::to_string(p) +
         " adds detail that reporters gathered from interviews across the province this week.";
}

} // namespace

DatedArchive build_dated_archive(const TempDir& dir) {
  DatedArchive archive;
  archive.db = (dir / "dated.db").string();
  int i = 0;
  auto add = [&](std::string date, std::string lang = "en", std::string dateline = "") {
    FixtureArticle a;
    a.file = "dated/article-" + std::to_string(i) + ".txt";
    a.topic = k_topics[i % 4];
    a.title = "Report " + std::to_string(i) + " on the " + a.topic;
    a.date = std::move(date);
    a.source = k_sources[i % 3];
    a.author = k_authors[i % 3];
    a.lang = std::move(lang);
    a.dateline = std::move(dateline);
    std::string text = "Title: " + a.title + "\n";
    if (!a.date.empty()) text += "Date: " + a.date + "\n";
    text += "Source: " + a.source + "\nAuthor: " + a.author + "\nLang: " + a.lang + "\n\n";
    for (int p = 0; p < 3; ++p) {
      text += (p == 0 && !a.dateline.empty() ? a.dateline + " \xE2\x80\x93 " : std::string()) +
              paragraph(a.topic, i, p) + "\n\n";
    }
    dir.write(a.file, text);
    archive.articles.push_back(a);
    ++i;
  };
  // Day precision across three years, two per month in 2024.
  for (int month = 1; month <= 12; ++month) {
    char date[16];
    std::snprintf(date, sizeof date, "2024-%02d-%02d", month, 5);
    add(date);
    std::snprintf(date, sizeof date, "2024-%02d-%02d", month, 20);
    add(date, "en", month % 4 == 0 ? "BERLIN" : "");
  }
  add("2023-06-15");
  add("2023-11-30");
  add("2025-01-10");
  add("2025-02-28");
  // Coarser dates and none.
  add("2024-03");
  add("2024-07");
  add("2023");
  add("");
  add("");
  // Relative to today.
  add(days_ago(0));
  add(days_ago(1));
  add(days_ago(10));
  add(days_ago(40));
  RunResult ingest = run_newsidx({"--db", archive.db, "ingest", (dir / "dated").string()}, dir.path());
  INFO(ingest.err);
  REQUIRE(ingest.status == 0);
  return archive;
}

} // namespace newsidx::e2e
