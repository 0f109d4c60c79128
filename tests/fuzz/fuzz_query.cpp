// libFuzzer target: any query text either fails with QueryError/UsageError or runs
// against a real archive. A StoreError here would mean user syntax reached SQLite.
#include "newsidx/errors.hpp"
#include "newsidx/query.hpp"
#include "newsidx/store.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

newsidx::ArticleStore& archive() {
  static newsidx::ArticleStore store = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "newsidx-fuzz-XXXXXX").string();
    if (!::mkdtemp(dir.data())) std::abort();
    auto s = newsidx::ArticleStore::open(std::filesystem::path(dir) / "a.db", newsidx::OpenMode::read_write);
    const char* bodies[] = {"Putin and Xi met in Moscow for Victory Day.",
                            "C++ programmers discuss the port of Rotterdam.",
                            "Путин встретился с Си Цзиньпином в Москве.",
                            "习近平访问俄罗斯。"};
    s.begin_batch();
    int n = 0;
    for (const char* body : bodies) {
      newsidx::Article a;
      a.title = "Story " + std::to_string(n);
      a.body = body;
      a.date = {2025, 5, n + 1};
      a.source = "Wire";
      newsidx::FileRecord f;
      f.path = dir + "/" + std::to_string(n++) + ".txt";
      f.hash = newsidx::content_hash(body);
      s.put(f, a);
    }
    s.commit_batch();
    return s;
  }();
  return store;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string query(reinterpret_cast<const char*>(data), size);
  newsidx::Searcher searcher(archive());
  newsidx::SearchRequest request;
  request.query = query;
  request.today = 20251125;
  try {
    searcher.search(request);
    request.sort = newsidx::SortOrder::date_descending;
    searcher.count(request);
  } catch (const newsidx::QueryError&) {
  } catch (const newsidx::UsageError&) {
  }
  return 0;
}
