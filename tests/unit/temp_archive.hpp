// Unit-test support: a temporary directory for an archive, removed with everything in it.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

struct TempArchive {
  std::filesystem::path dir;
  TempArchive() {
    std::string pattern = (std::filesystem::temp_directory_path() / "newsidx-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()));
    dir = pattern;
  }
  ~TempArchive() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempArchive(const TempArchive&) = delete;
  TempArchive& operator=(const TempArchive&) = delete;
  std::filesystem::path db() const { return dir / "archive.db"; }
};
