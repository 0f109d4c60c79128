#include "newsidx/ingest.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/tokenizer.hpp"
#include "newsidx/text.hpp"

#include "directory_listing.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include <cerrno>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

namespace newsidx {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// How much lower a parser thread's scheduling priority is than the writer's.
constexpr int k_parser_niceness = 19;
// How far the parser threads may run ahead of the writer (see ingest()).
constexpr std::size_t k_window_files = 16384;
constexpr std::size_t k_wake_run = 32; // files ready before a parser wakes the waiting writer
// Of files as read; a prepared file holds about 2.2 times its size (about 5.8 KB for a
// 2.6 KB article: peak RSS at 100k articles rose 47 MB from 8,192 files to 16,384).
constexpr std::int64_t k_window_bytes = std::int64_t{64} << 20;

std::chrono::duration<double> thread_cpu_time() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::duration<double>(static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9);
}

struct Candidate {
  std::string path; // absolute, lexically normal; moved out by prepare_file()
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  // False when the walk listed the file's directory and saw no PATH.json beside it, so
  // that its parser need not look (a failed stat per file).
  bool sidecar_listed = true;
};

std::string errno_text(int error) {
  return std::strerror(error);
}

// A printable form of a path whose name is not valid UTF-8 or holds control characters.
std::string printable_path(std::string_view path) {
  std::string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(path.data());
  int32_t length = static_cast<int32_t>(path.size());
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || c < 0x20 || c == 0x7f) {
      for (int32_t j = start; j < i; ++j) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", bytes[j]);
        out += hex;
      }
    } else {
      out.append(path.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
  }
  return out;
}

bool matches_any_glob(const std::string& name, const std::vector<std::string>& globs) {
  for (const std::string& glob : globs) {
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

class Walker {
public:
  Walker(const IngestOptions& options, const IngestReporter& report, IngestSummary& summary)
    : m_options(options), m_report(report), m_summary(summary) {}

  std::vector<Candidate> walk(const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
      struct stat st {};
      if (::stat(root.c_str(), &st) != 0) {
        int error = errno;
        struct stat lst {};
        if (::lstat(root.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
          problem(root, FileOutcome::skipped, error == ELOOP ? "symlink loop" : "broken symlink");
        } else {
          problem(root, FileOutcome::failed,
                  error == ENOENT ? "no such file or directory" : errno_text(error));
        }
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        walk_directory(absolute(root));
      } else {
        consider_file(absolute(root), st, /*named=*/true);
      }
    }
    return std::move(m_candidates);
  }

private:
  static std::string absolute(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(path), ec);
    if (ec) p = fs::path(path);
    std::string s = p.lexically_normal().string();
    if (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
  }

  void problem(const std::string& path, FileOutcome outcome, const std::string& message) {
    if (outcome == FileOutcome::skipped)
      ++m_summary.skipped;
    else
      ++m_summary.failed;
    IngestEvent event;
    event.outcome = outcome;
    event.path = printable_path(path);
    event.message = message;
    m_report(event);
  }

  bool acceptable_name(const std::string& path) {
    if (!is_valid_utf8(path)) {
      problem(path, FileOutcome::skipped, "file name is not valid UTF-8");
      return false;
    }
    if (path.find('\n') != std::string::npos || path.find('\r') != std::string::npos) {
      problem(path, FileOutcome::skipped, "file name contains a line break");
      return false;
    }
    return true;
  }

  void consider_file(const std::string& path, const struct stat& st, bool named,
                     bool sidecar_listed = true) {
    if (!S_ISREG(st.st_mode)) {
      if (named) problem(path, FileOutcome::skipped, "not a regular file");
      return;
    }
    if (!acceptable_name(path)) return;
    m_candidates.push_back(
        Candidate{path, static_cast<std::int64_t>(st.st_size),
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                  sidecar_listed});
  }

  void walk_directory(const std::string& dir) {
    DirectoryListing listing = m_lister.take(dir);
    if (listing.open_error == ENOENT) return; // gone since its parent was listed
    if (listing.identified &&
        !m_visited.insert(std::make_pair(listing.device, listing.inode)).second) {
      problem(dir, FileOutcome::skipped, "symlink loop (directory already visited)");
      return;
    }
    if (listing.open_error != 0) {
      problem(dir, FileOutcome::failed, "cannot read directory: " + errno_text(listing.open_error));
      return;
    }
    if (listing.read_error != 0)
      problem(dir, FileOutcome::failed, "cannot read directory: " + errno_text(listing.read_error));
    const std::vector<DirectoryListing::Entry>& entries = listing.entries;
    const std::string prefix = dir.back() == '/' ? dir : dir + '/';
    std::vector<std::string> subdirectories; // listed by helpers while this goes on
    for (const DirectoryListing::Entry& entry : entries) {
      if (entry.error == 0 && S_ISDIR(entry.target.st_mode) && entry.name[0] != '.')
        subdirectories.push_back(prefix + entry.name);
    }
    m_lister.queue_next(subdirectories);
    for (const DirectoryListing::Entry& entry : entries) {
      if (entry.error == -1) continue;
      std::string path = prefix + entry.name;
      if (entry.error != 0) {
        if (matches_any_glob(entry.name, m_options.globs)) {
          problem(path, FileOutcome::skipped,
                  entry.error == ELOOP ? "symlink loop" : "broken symlink");
        }
        continue;
      }
      if (S_ISDIR(entry.target.st_mode)) {
        if (entry.name[0] == '.') continue; // hidden directories (.git, ...)
        walk_directory(path);
      } else if (matches_any_glob(entry.name, m_options.globs)) {
        const std::string sidecar = entry.name + ".json";
        auto listed = std::lower_bound(entries.begin(), entries.end(), sidecar,
                                       [](const DirectoryListing::Entry& e,
                                          const std::string& name) { return e.name < name; });
        const bool sidecar_listed = listed != entries.end() && listed->name == sidecar;
        consider_file(path, entry.target, /*named=*/false, sidecar_listed);
      }
    }
  }

  const IngestOptions& m_options;
  const IngestReporter& m_report;
  IngestSummary& m_summary;
  std::vector<Candidate> m_candidates;
  std::set<std::pair<dev_t, ino_t>> m_visited;
  DirectoryLister m_lister;
};

std::string read_file(const std::string& path, std::int64_t max_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open: " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int error = errno;
    ::close(fd);
    throw InputError("cannot stat: " + errno_text(error));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError("is a directory");
  }
  if (st.st_size > max_size) {
    ::close(fd);
    throw InputError("larger than the size limit (" + std::to_string(st.st_size) + " > " +
                     std::to_string(max_size) + " bytes; see --max-size)");
  }
  std::string bytes;
  // One byte more than the file: a read that fills it means the file grew.
  bytes.resize(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) bytes.resize(bytes.size() + 65536); // file grew or is a pipe
    ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      throw InputError("cannot read: " + errno_text(error));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
    if (static_cast<std::int64_t>(done) > max_size) {
      ::close(fd);
      throw InputError("larger than the size limit (see --max-size)");
    }
  }
  ::close(fd);
  bytes.resize(done);
  return bytes;
}

std::optional<std::string> read_sidecar(const std::string& path) {
  std::string sidecar = path + ".json";
  struct stat st {};
  if (::stat(sidecar.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  try {
    return read_file(sidecar, 1024 * 1024);
  } catch (const InputError&) {
    return std::nullopt;
  }
}

} // namespace

LoadedPage load_page(const std::string& path, const std::string& forced_encoding,
                     std::int64_t max_size, bool sidecar_listed) {
  std::string bytes = read_file(path, max_size);
  if (bytes.empty()) throw InputError("empty file");
  if (looks_binary(bytes)) throw InputError("binary file (contains NUL bytes)");
  DecodedText decoded = decode_text(bytes, forced_encoding);
  if (is_blank(decoded.text)) throw InputError("empty file (only white space)");
  LoadedPage page;
  page.text = std::move(decoded.text);
  page.encoding = std::move(decoded.encoding);
  page.replaced = decoded.replaced;
  if (sidecar_listed) page.sidecar_json = read_sidecar(path);
  return page;
}

namespace {

// What a parser thread decided about one candidate; the writer applies it.
struct PreparedFile {
  enum class Action { unchanged, refresh, store, problem };
  Action action = Action::problem;
  FileRecord record;
  Article article;
  FileOutcome problem = FileOutcome::skipped;
  std::string message;
  std::string warning;
  // Compressed body, near-duplicate sketch and the index's analysis of title and body,
  // done here so that the writer only writes.
  PreparedArticle storage;
  int parser = 0; // the thread that prepared it, and frees it (see `spent` in ingest())
};

using FileIndex = std::unordered_map<std::string, FileRecord>;

// Takes the candidate's path: the walk's list is not read for it again, and a million
// paths (about 110 MB on the heap) are then freed as their files are stored rather than
// all at the end.
PreparedFile prepare_file(Candidate& candidate, const FileIndex& known_files,
                          const Extractor& extractor, const IngestOptions& options) {
  PreparedFile prepared;
  prepared.record.path = std::move(candidate.path);
  prepared.record.size = candidate.size;
  prepared.record.mtime_ns = candidate.mtime_ns;
  const std::string& path = prepared.record.path;
  auto known = known_files.find(path);
  if (known != known_files.end() && known->second.size == candidate.size &&
      known->second.mtime_ns == candidate.mtime_ns) {
    prepared.action = PreparedFile::Action::unchanged;
    return prepared;
  }
  try {
    LoadedPage page =
        load_page(path, options.encoding, options.max_size, candidate.sidecar_listed);
    if (page.replaced > 0) {
      prepared.warning = std::to_string(page.replaced) +
                         " invalid byte sequence(s) replaced (decoded as " + page.encoding + ")";
    }
    prepared.record.hash = content_hash(page.text + '\0' + page.sidecar_json.value_or(""));
    if (known != known_files.end() && known->second.hash == prepared.record.hash) {
      prepared.action = PreparedFile::Action::refresh;
      return prepared;
    }
    PageInput input{path, page.text, page.encoding, page.sidecar_json};
    prepared.article = extractor.extract(input, options.extract);
    prepared.storage = prepare_article(prepared.article);
    prepared.action = PreparedFile::Action::store;
  } catch (const InputError& e) {
    std::string what = e.what();
    prepared.action = PreparedFile::Action::problem;
    prepared.problem = what.rfind("cannot ", 0) == 0 ? FileOutcome::failed : FileOutcome::skipped;
    prepared.message = what;
  }
  return prepared;
}

} // namespace

IngestSummary ingest(ArticleStore& store, const Extractor& extractor,
                     const std::vector<std::string>& paths, const IngestOptions& options,
                     const IngestReporter& report) {
  IngestSummary summary;
  auto started = Clock::now();
  std::vector<Candidate> candidates = Walker(options, report, summary).walk(paths);

  // What the archive knows of these paths (not of the whole archive: adding a folder to a
  // large archive reads only its part of the file table).
  FileIndex known_files;
  std::string first_path;
  std::string last_path;
  for (const Candidate& candidate : candidates) {
    if (first_path.empty() || candidate.path < first_path) first_path = candidate.path;
    if (candidate.path > last_path) last_path = candidate.path;
  }
  for (FileRecord& file : candidates.empty()
                              ? std::vector<FileRecord>{}
                              : store.files_between(first_path, last_path, candidates.size())) {
    std::string path = file.path;
    known_files.emplace(std::move(path), std::move(file));
  }

  // Many new files for the archive's size: drop the indexes ingest does not read and build
  // them once at the end (see ArticleStore::begin_bulk_load). Otherwise build any that an
  // interrupted bulk load left missing.
  std::size_t new_files = 0;
  for (const Candidate& candidate : candidates)
    new_files += known_files.count(candidate.path) == 0 ? 1 : 0;
  bool bulk = false;
  std::int64_t stored_articles = 0;
  switch (options.bulk_load) {
    case IngestOptions::BulkLoad::always:
      bulk = new_files > 0;
      if (bulk) stored_articles = store.article_count();
      break;
    case IngestOptions::BulkLoad::never: break;
    case IngestOptions::BulkLoad::automatic:
      if (new_files >= IngestOptions::k_bulk_load_min_files) {
        stored_articles = store.article_count();
        bulk = static_cast<std::int64_t>(new_files) * 4 >= stored_articles;
      }
      break;
  }
  if (bulk) {
    store.begin_bulk_load(static_cast<std::size_t>(stored_articles) + new_files);
    summary.bulk_load = true;
  } else {
    store.restore_deferred_indexes();
  }
  // Builds the dropped indexes again however the run ends; a failure here leaves them to
  // the next ingest (restore_deferred_indexes) and loses no article.
  auto finish_bulk_load = [&]() noexcept {
    try {
      store.end_bulk_load(); // after rollback_batch(): outside any transaction
    } catch (...) {
    }
  };

  auto emit = [&](FileOutcome outcome, const std::string& path, std::string message = {}) {
    switch (outcome) {
      case FileOutcome::added: ++summary.added; break;
      case FileOutcome::updated: ++summary.updated; break;
      case FileOutcome::unchanged: ++summary.unchanged; break;
      case FileOutcome::duplicate: ++summary.duplicates; break;
      case FileOutcome::moved: ++summary.moved; break;
      case FileOutcome::skipped: ++summary.skipped; break;
      case FileOutcome::failed: ++summary.failed; break;
    }
    IngestEvent event;
    event.outcome = outcome;
    event.path = path;
    event.message = std::move(message);
    report(event);
  };
  auto warn = [&](const std::string& path, std::string message) {
    ++summary.warnings;
    IngestEvent event;
    event.kind = IngestEvent::Kind::warning;
    event.path = path;
    event.message = std::move(message);
    report(event);
  };
  auto progress = [&](std::int64_t done) {
    IngestEvent event;
    event.kind = IngestEvent::Kind::progress;
    event.files_done = done;
    event.files_total = static_cast<std::int64_t>(candidates.size());
    event.bytes_done = summary.bytes_read;
    report(event);
  };

  // One parser per core, and one more: a parser that waits for a file's pages to come from
  // the disk leaves its core to the others (at a million files, each parser spent about 6%
  // of the run waiting for reads). The writer replays prepared tokens and sleeps while it
  // waits for the parsers; being niced, the parsers only get the cores it leaves.
  int jobs = options.jobs > 0
                 ? options.jobs
                 : std::max(1, static_cast<int>(std::thread::hardware_concurrency())) + 1;
  // A bulk load commits less often: each commit writes the full-text index's pending
  // terms as one more segment, and fewer, larger segments need less merging.
  const int batch_size = options.batch_size > 0 ? options.batch_size
                         : bulk                 ? IngestOptions::k_bulk_batch_size
                                                : IngestOptions::k_batch_size;
  const std::size_t batch = static_cast<std::size_t>(batch_size);

  // Parser threads prepare files in order into a window of slots; this thread stores them
  // as they come, one transaction per batch. The window bounds memory: at most
  // k_window_files files, and at most k_window_bytes of them (but always the file the
  // writer waits for). It is wide so that the parsers keep working while the writer
  // commits a batch instead of filling it at once and waiting. In a bulk load FTS5 merges
  // the index's segments a piece after each commit (its crisismerge above automerge, see
  // store.cpp); with merges whole inside one commit, every 16th commit took 2-3 s at a
  // million articles, against 1.8 s for three parsers on the one free core to fill 8,192
  // slots.
  const std::size_t total = candidates.size();
  const std::size_t window = std::max(k_window_files, 128 * static_cast<std::size_t>(jobs));
  std::int64_t window_bytes = 0; // sizes of the files taken by parsers, not yet by the writer
  std::vector<std::optional<PreparedFile>> slots(window);
  std::mutex mutex;
  std::condition_variable ready;
  std::condition_variable space;
  std::size_t consumed = 0; // files the writer has taken
  // The file the writer sleeps on (total: none). A parser wakes it once k_wake_run files
  // from there on are ready, or when no more are coming soon (the last file, a parser about
  // to wait for space or to stop): one wake-up per run of files instead of one per file.
  std::size_t writer_wants = candidates.size();
  int parsers_waiting = 0; // for space; the writer wakes them every k_wake_run files it takes
  auto wake_writer_if_ready = [&](bool always) {
    if (writer_wants >= total || !slots[writer_wants % window].has_value()) return;
    std::size_t ready_run = 1;
    while (!always && ready_run < k_wake_run && writer_wants + ready_run < total &&
           slots[(writer_wants + ready_run) % window].has_value())
      ++ready_run;
    if (always || ready_run >= k_wake_run || writer_wants + ready_run >= total) {
      writer_wants = total;
      ready.notify_one();
    }
  };
  std::atomic<std::size_t> next_index{0};
  std::atomic<bool> quit{false};
  std::chrono::duration<double> parser_cpu{};
  // Files the writer is done with, handed back to the parser that prepared them: memory
  // is freed by the thread that allocated it. glibc's malloc gives each thread its own
  // arena, and frees from another thread contend for that arena's lock.
  std::vector<std::vector<PreparedFile>> spent(static_cast<std::size_t>(jobs));
  auto parse = [&](int self) {
    // The writer is the pipeline's one serial stage: when it and the parsers want the
    // same core, it goes first (a parser thread is niced; this changes only the thread).
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), k_parser_niceness);
    // Named for top -H, ps -L and profilers (at most 15 bytes).
    ::pthread_setname_np(::pthread_self(), "newsidx-parse");
    struct CpuAccount {
      std::mutex& mutex;
      std::chrono::duration<double>& total;
      ~CpuAccount() {
        std::lock_guard lock(mutex);
        total += thread_cpu_time();
      }
    } account{mutex, parser_cpu};
    std::vector<PreparedFile> freeing;
    for (std::size_t i = next_index++; i < total && !quit; i = next_index++) {
      {
        std::unique_lock lock(mutex);
        std::swap(freeing, spent[static_cast<std::size_t>(self)]);
        const auto has_space = [&] {
          return quit ||
                 (i < consumed + window && (window_bytes < k_window_bytes || i == consumed));
        };
        if (!has_space()) {
          wake_writer_if_ready(true);
          ++parsers_waiting;
          space.wait(lock, has_space);
          --parsers_waiting;
        }
        if (quit) return;
        window_bytes += candidates[i].size;
      }
      freeing.clear();
      PreparedFile prepared = prepare_file(candidates[i], known_files, extractor, options);
      prepared.parser = self;
      std::lock_guard lock(mutex);
      slots[i % window] = std::move(prepared);
      wake_writer_if_ready(false);
    }
    std::lock_guard lock(mutex);
    wake_writer_if_ready(true);
  };
  std::vector<std::thread> parsers;
  for (int t = 0; t < jobs && static_cast<std::size_t>(t) < total; ++t)
    parsers.emplace_back(parse, t);
  auto stop_parsers = [&] {
    {
      std::lock_guard lock(mutex);
      quit = true;
    }
    space.notify_all();
    for (std::thread& parser : parsers)
      parser.join();
    parsers.clear();
  };
  summary.parser_threads = static_cast<int>(parsers.size());
  const auto writer_cpu_before = thread_cpu_time();

  std::int64_t done = 0;
  std::int64_t committed = 0; // articles added or updated in committed batches
  auto last_progress = Clock::now();
  bool in_transaction = false;
  std::size_t in_batch = 0;
  std::optional<PreparedFile> finished; // the last file stored, to hand back to its parser
  try {
    for (std::size_t i = 0; i < total; ++i) {
      PreparedFile prepared;
      bool wake_parsers = false;
      {
        std::unique_lock lock(mutex);
        if (finished) {
          spent[static_cast<std::size_t>(finished->parser)].push_back(std::move(*finished));
          finished.reset();
        }
        if (!slots[i % window].has_value()) {
          auto waiting_since = Clock::now();
          if (parsers_waiting > 0) space.notify_all(); // the file may be theirs to prepare
          writer_wants = i;
          ready.wait(lock, [&] { return slots[i % window].has_value() && writer_wants != i; });
          summary.writer_waiting += Clock::now() - waiting_since;
        }
        prepared = std::move(*slots[i % window]);
        slots[i % window].reset();
        ++consumed;
        window_bytes -= candidates[i].size;
        wake_parsers = parsers_waiting > 0 && consumed % k_wake_run == 0;
      }
      if (wake_parsers) space.notify_all();
      const std::string& path = prepared.record.path;
      if (!prepared.warning.empty()) warn(path, prepared.warning);
      bool writes = prepared.action == PreparedFile::Action::store ||
                    prepared.action == PreparedFile::Action::refresh;
      if (writes && !in_transaction) {
        store.begin_batch();
        in_transaction = true;
      }
      switch (prepared.action) {
        case PreparedFile::Action::unchanged: emit(FileOutcome::unchanged, path); break;
        case PreparedFile::Action::refresh:
          summary.bytes_read += prepared.record.size;
          store.refresh_file(prepared.record);
          emit(FileOutcome::unchanged, path);
          break;
        case PreparedFile::Action::problem: emit(prepared.problem, path, prepared.message); break;
        case PreparedFile::Action::store: {
          summary.bytes_read += prepared.record.size;
          switch (store.put(prepared.record, prepared.article, &prepared.storage)) {
            case PutOutcome::added: emit(FileOutcome::added, path); break;
            case PutOutcome::updated: emit(FileOutcome::updated, path); break;
            case PutOutcome::unchanged: emit(FileOutcome::unchanged, path); break;
            case PutOutcome::duplicate: emit(FileOutcome::duplicate, path); break;
            case PutOutcome::moved: emit(FileOutcome::moved, path); break;
          }
          break;
        }
      }
      // The path came from the walk, on this thread: freed here, in this thread's malloc
      // arena; the rest goes back to the parser that allocated it.
      std::string().swap(prepared.record.path);
      finished = std::move(prepared);
      ++done;
      bool batch_full = ++in_batch >= batch;
      bool last = i + 1 == total;
      bool stopping = options.stop && options.stop->load();
      if (batch_full || last || stopping) {
        if (in_transaction) store.commit_batch();
        in_transaction = false;
        in_batch = 0;
        committed = summary.added + summary.updated;
        if (stopping && !last) {
          summary.interrupted = true;
          break;
        }
      }
      auto now = Clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        last_progress = now;
        progress(done);
      }
    }
  } catch (const StoreBusyError&) {
    store.rollback_batch();
    stop_parsers();
    finish_bulk_load();
    throw;
  } catch (const StoreError& e) {
    // Name the archive and say what was kept: everything up to the last batch.
    store.rollback_batch();
    stop_parsers();
    finish_bulk_load();
    std::string what = e.what();
    std::string hint =
        what.find("I/O error") != std::string::npos || what.find("full") != std::string::npos
            ? " (is the disk full?)"
            : "";
    throw StoreError("cannot write to archive " + store.path().string() + ": " + what + hint +
                     "; the " + std::to_string(committed) +
                     " articles added or updated before this batch are kept");
  } catch (...) {
    store.rollback_batch();
    stop_parsers();
    finish_bulk_load();
    throw;
  }
  stop_parsers();
  if (store.in_bulk_load()) {
    auto rebuild_started = Clock::now();
    try {
      summary.merged_segments = store.end_bulk_load();
    } catch (const StoreError& e) {
      throw StoreError("cannot build the indexes of archive " + store.path().string() + ": " +
                       e.what() + "; all " + std::to_string(summary.added + summary.updated) +
                       " articles added or updated are kept, and the next ingest builds them");
    }
    summary.index_rebuild = Clock::now() - rebuild_started;
  }
  summary.writer_cpu = thread_cpu_time() - writer_cpu_before;
  summary.parser_cpu = parser_cpu;
  if (options.prune && !summary.interrupted) {
    std::vector<std::string> roots;
    for (const std::string& path : paths) {
      std::error_code ec;
      roots.push_back(fs::absolute(fs::path(path), ec).lexically_normal().string());
    }
    store.begin_batch();
    summary.pruned = store.prune_missing(roots);
    store.commit_batch();
  }
  summary.elapsed = Clock::now() - started;
  return summary;
}

} // namespace newsidx
