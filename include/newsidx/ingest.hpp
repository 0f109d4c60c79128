// Ingest: walks files and directories, reads and decodes each article file, extracts it
// and stores it in batches. Reports what happens to every file through a callback (the
// library never prints), and skips what it cannot use without stopping the run.
#pragma once

#include "newsidx/extract.hpp"
#include "newsidx/store.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace newsidx {

struct IngestOptions {
  std::vector<std::string> globs{"*.txt"}; // file names to take inside directories
  std::string encoding;                    // forced input encoding; "" = detect
  ExtractOptions extract;
  std::int64_t max_size = 32 * 1024 * 1024;      // bytes; larger files are skipped
  int batch_size = 0;                            // files per transaction; 0 = the defaults below
  int jobs = 0;                                  // parser threads; 0 = one per core, + 1
  bool prune = false;                            // drop records of files gone from the roots
  const std::atomic<bool>* stop = nullptr;       // set to stop after the current batch
  static constexpr int k_batch_size = 1000;      // files per transaction, by default
  static constexpr int k_bulk_batch_size = 8000; // ... in a bulk load
  // A bulk load (ArticleStore::begin_bulk_load) when the run brings at least
  // k_bulk_load_min_files files the archive does not know, and at least a quarter as many as
  // it holds articles; `always` and `never` are for tests and measurements.
  enum class BulkLoad { automatic, always, never };
  BulkLoad bulk_load = BulkLoad::automatic;
  static constexpr std::size_t k_bulk_load_min_files = 20'000;
};

enum class FileOutcome {
  added,
  updated,
  unchanged,
  duplicate,
  moved,   // a known article found under a new path (renamed or moved file)
  skipped, // not an article file we can use (binary, empty, too large, odd name...)
  failed,  // could not be read
};

struct IngestEvent {
  enum class Kind { outcome, warning, progress };
  Kind kind = Kind::outcome;
  FileOutcome outcome = FileOutcome::added; // for Kind::outcome
  std::string path;
  std::string message; // reason for skipped/failed, text of a warning
  // For Kind::progress:
  std::int64_t files_done = 0;
  std::int64_t files_total = 0;
  std::int64_t bytes_done = 0;
};

struct IngestSummary {
  std::int64_t added = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t duplicates = 0;
  std::int64_t moved = 0;
  std::int64_t pruned = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t warnings = 0;
  std::int64_t bytes_read = 0;
  bool bulk_load = false;                        // the run dropped and rebuilt the deferred indexes
  std::chrono::duration<double> index_rebuild{}; // time spent building them again
  int merged_segments = 0; // full-text index segments the bulk load merged into one at its end
  bool interrupted = false;
  std::chrono::duration<double> elapsed{};
  // Where the time went: CPU time of the writer (this thread) and of all parser threads,
  // and how long the writer waited for the parsers (a writer that waits is not the limit).
  std::chrono::duration<double> writer_cpu{};
  std::chrono::duration<double> parser_cpu{};
  std::chrono::duration<double> writer_waiting{};
  int parser_threads = 0;

  std::int64_t problems() const { return skipped + failed; }
};

using IngestReporter = std::function<void(const IngestEvent&)>;

// Ingests `paths` (files and directories) into `store`. Throws StoreError when the archive
// cannot be written; every problem with a single input is reported and counted instead.
IngestSummary ingest(ArticleStore& store, const Extractor& extractor,
                     const std::vector<std::string>& paths, const IngestOptions& options,
                     const IngestReporter& report);

// What `extract` and `ingest` read for one file: decoded text plus the sidecar JSON.
struct LoadedPage {
  std::string text;
  std::string encoding;
  std::size_t replaced = 0;
  std::optional<std::string> sidecar_json;
};

// Reads and decodes one file for extraction, and its sidecar PATH.json if there is one
// (`sidecar_listed` false: the caller listed the directory and saw none). Throws
// InputError (unreadable, binary, empty, too large) with a message that names the reason.
LoadedPage load_page(const std::string& path, const std::string& forced_encoding,
                     std::int64_t max_size, bool sidecar_listed = true);

} // namespace newsidx
