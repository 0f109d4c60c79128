// Unit tests for DirectoryListing and DirectoryLister (src/directory_listing.hpp): the
// listings helper threads make ahead of the walk are the ones the walk would make itself.
#include "directory_listing.hpp"

#include "temp_archive.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace newsidx;
namespace fs = std::filesystem;

namespace {

// Every directory under `root`, depth first, each as "path: name name ...", listed the way
// ingest's walk does: take a directory, queue its subdirectories, go into them in order.
std::vector<std::string> walk(DirectoryLister& lister, const std::string& root) {
  std::vector<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& dir) {
    DirectoryListing listing = lister.take(dir);
    std::string line = dir + ":";
    if (listing.open_error != 0) line += " error " + std::to_string(listing.open_error);
    std::vector<std::string> subdirectories;
    for (const DirectoryListing::Entry& entry : listing.entries) {
      line += " " + entry.name + (S_ISDIR(entry.target.st_mode) ? "/" : "");
      if (entry.error == 0 && S_ISDIR(entry.target.st_mode))
        subdirectories.push_back(dir + "/" + entry.name);
    }
    seen.push_back(line);
    lister.queue_next(subdirectories);
    for (const std::string& subdirectory : subdirectories)
      visit(subdirectory);
  };
  visit(root);
  return seen;
}

} // namespace

TEST_CASE("a directory's listing is sorted and says what each entry is", "[walk]") {
  TempArchive tmp;
  fs::create_directories(tmp.dir / "b-dir");
  std::ofstream(tmp.dir / "c.txt") << "c";
  std::ofstream(tmp.dir / "a.txt") << "aaa";
  fs::create_symlink(tmp.dir / "a.txt", tmp.dir / "d-link");
  fs::create_symlink(tmp.dir / "missing", tmp.dir / "e-broken");

  DirectoryListing listing = DirectoryListing::read(tmp.dir.string());
  REQUIRE(listing.open_error == 0);
  CHECK(listing.read_error == 0);
  CHECK(listing.identified);
  REQUIRE(listing.entries.size() == 5);
  CHECK(listing.entries[0].name == "a.txt");
  CHECK(listing.entries[0].target.st_size == 3);
  CHECK(S_ISDIR(listing.entries[1].target.st_mode));
  CHECK(listing.entries[2].name == "c.txt");
  CHECK(listing.entries[3].name == "d-link");
  CHECK(S_ISREG(listing.entries[3].target.st_mode)); // the target's stat
  CHECK(listing.entries[3].target.st_size == 3);
  CHECK(listing.entries[4].name == "e-broken");
  CHECK(listing.entries[4].error == ENOENT);

  CHECK(DirectoryListing::read((tmp.dir / "gone").string()).open_error == ENOENT);
  CHECK(DirectoryListing::read((tmp.dir / "c.txt").string()).open_error == ENOTDIR);
}

TEST_CASE("listings made ahead on helper threads are those the walk makes alone", "[walk]") {
  TempArchive tmp;
  // (Names built with +=: GCC 12 warns falsely about "literal" + std::to_string().)
  auto name = [](char letter, int number, const char* suffix = "") {
    std::string text(1, letter);
    text += std::to_string(number);
    text += suffix;
    return text;
  };
  for (int a = 0; a < 6; ++a) {
    for (int b = 0; b < 5; ++b) {
      fs::path dir = tmp.dir / name('d', a) / name('e', b);
      fs::create_directories(dir);
      for (int f = 0; f < 3; ++f)
        std::ofstream(dir / name('f', f, ".txt")) << f;
    }
  }
  DirectoryLister alone(/*threads=*/0);
  std::vector<std::string> expected = walk(alone, tmp.dir.string());
  CHECK(expected.size() == 1 + 6 + 30);
  for (std::size_t ahead : {1, 2, 8, 64}) {
    DirectoryLister lister(/*threads=*/2, ahead);
    CHECK(walk(lister, tmp.dir.string()) == expected);
  }
}

TEST_CASE("a queued directory that is gone, or was never queued, is still answered", "[walk]") {
  TempArchive tmp;
  fs::create_directories(tmp.dir / "kept");
  std::ofstream(tmp.dir / "kept" / "x.txt") << "x";
  DirectoryLister lister(2, 4);
  const std::string gone = (tmp.dir / "gone").string();
  lister.queue_next({gone, (tmp.dir / "kept").string()});
  CHECK(lister.take(gone).open_error == ENOENT);
  DirectoryListing kept = lister.take((tmp.dir / "kept").string());
  REQUIRE(kept.entries.size() == 1);
  CHECK(kept.entries[0].name == "x.txt");
  // Never queued: listed by take() itself.
  CHECK(lister.take(tmp.dir.string()).entries.size() == 1);
}
