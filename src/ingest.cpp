#include "newsidx/ingest.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/text.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <future>
#include <set>
#include <thread>
#include <unordered_map>

namespace newsidx {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

struct Candidate {
  std::string path;  // absolute, lexically normal
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
};

std::string errno_text(int error) { return std::strerror(error); }

bool valid_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;
  }
  return true;
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
          problem(root, FileOutcome::skipped,
                  error == ELOOP ? "symlink loop" : "broken symlink");
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
    if (outcome == FileOutcome::skipped) ++m_summary.skipped;
    else ++m_summary.failed;
    IngestEvent event;
    event.outcome = outcome;
    event.path = printable_path(path);
    event.message = message;
    m_report(event);
  }

  bool acceptable_name(const std::string& path) {
    if (!valid_utf8(path)) {
      problem(path, FileOutcome::skipped, "file name is not valid UTF-8");
      return false;
    }
    if (path.find('\n') != std::string::npos || path.find('\r') != std::string::npos) {
      problem(path, FileOutcome::skipped, "file name contains a line break");
      return false;
    }
    return true;
  }

  void consider_file(const std::string& path, const struct stat& st, bool named) {
    if (!S_ISREG(st.st_mode)) {
      if (named) problem(path, FileOutcome::skipped, "not a regular file");
      return;
    }
    if (!acceptable_name(path)) return;
    m_candidates.push_back(Candidate{path, static_cast<std::int64_t>(st.st_size),
                                     static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                                       st.st_mtim.tv_nsec});
  }

  void walk_directory(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return;
    auto identity = std::make_pair(st.st_dev, st.st_ino);
    if (!m_visited.insert(identity).second) {
      problem(dir, FileOutcome::skipped, "symlink loop (directory already visited)");
      return;
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      problem(dir, FileOutcome::failed, "cannot read directory: " + ec.message());
      return;
    }
    std::vector<fs::path> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(it->path());
    }
    if (ec) problem(dir, FileOutcome::failed, "cannot read directory: " + ec.message());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
      std::string path = entry.string();
      std::string name = entry.filename().string();
      struct stat lst {};
      if (::lstat(path.c_str(), &lst) != 0) continue;
      struct stat target = lst;
      if (S_ISLNK(lst.st_mode)) {
        if (::stat(path.c_str(), &target) != 0) {
          int error = errno;
          if (matches_any_glob(name, m_options.globs)) {
            problem(path, FileOutcome::skipped,
                    error == ELOOP ? "symlink loop" : "broken symlink");
          }
          continue;
        }
      }
      if (S_ISDIR(target.st_mode)) {
        if (name.size() > 0 && name[0] == '.') continue;  // hidden directories (.git, ...)
        walk_directory(path);
      } else if (matches_any_glob(name, m_options.globs)) {
        consider_file(path, target, /*named=*/false);
      }
    }
  }

  const IngestOptions& m_options;
  const IngestReporter& m_report;
  IngestSummary& m_summary;
  std::vector<Candidate> m_candidates;
  std::set<std::pair<dev_t, ino_t>> m_visited;
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
  bytes.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) bytes.resize(bytes.size() + 65536);  // file grew or is a pipe
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
                     std::int64_t max_size) {
  std::string bytes = read_file(path, max_size);
  if (bytes.empty()) throw InputError("empty file");
  if (looks_binary(bytes)) throw InputError("binary file (contains NUL bytes)");
  DecodedText decoded = decode_text(bytes, forced_encoding);
  if (is_blank(decoded.text)) throw InputError("empty file (only white space)");
  LoadedPage page;
  page.text = std::move(decoded.text);
  page.encoding = std::move(decoded.encoding);
  page.replaced = decoded.replaced;
  page.sidecar_json = read_sidecar(path);
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
};

using FileIndex = std::unordered_map<std::string, FileRecord>;

PreparedFile prepare_file(const Candidate& candidate, const FileIndex& known_files,
                          const Extractor& extractor, const IngestOptions& options) {
  PreparedFile prepared;
  prepared.record.path = candidate.path;
  prepared.record.size = candidate.size;
  prepared.record.mtime_ns = candidate.mtime_ns;
  auto known = known_files.find(candidate.path);
  if (known != known_files.end() && known->second.size == candidate.size &&
      known->second.mtime_ns == candidate.mtime_ns) {
    prepared.action = PreparedFile::Action::unchanged;
    return prepared;
  }
  try {
    LoadedPage page = load_page(candidate.path, options.encoding, options.max_size);
    if (page.replaced > 0) {
      prepared.warning = std::to_string(page.replaced) +
                         " invalid byte sequence(s) replaced (decoded as " + page.encoding + ")";
    }
    prepared.record.hash = content_hash(page.text + '\0' + page.sidecar_json.value_or(""));
    if (known != known_files.end() && known->second.hash == prepared.record.hash) {
      prepared.action = PreparedFile::Action::refresh;
      return prepared;
    }
    PageInput input{candidate.path, page.text, page.encoding, page.sidecar_json};
    prepared.article = extractor.extract(input, options.extract);
    prepared.action = PreparedFile::Action::store;
  } catch (const InputError& e) {
    std::string what = e.what();
    prepared.action = PreparedFile::Action::problem;
    prepared.problem = what.rfind("cannot ", 0) == 0 ? FileOutcome::failed : FileOutcome::skipped;
    prepared.message = what;
  }
  return prepared;
}

// Prepares candidates [begin, end) on `jobs` threads, keeping their order.
std::vector<PreparedFile> prepare_range(const std::vector<Candidate>& candidates,
                                        std::size_t begin, std::size_t end,
                                        const FileIndex& known_files, const Extractor& extractor,
                                        const IngestOptions& options, int jobs) {
  std::vector<PreparedFile> prepared(end - begin);
  std::atomic<std::size_t> next{begin};
  auto work = [&] {
    for (std::size_t i = next++; i < end; i = next++) {
      prepared[i - begin] = prepare_file(candidates[i], known_files, extractor, options);
    }
  };
  if (jobs <= 1 || end - begin < 2) {
    work();
    return prepared;
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  return prepared;
}

} // namespace

IngestSummary ingest(ArticleStore& store, const Extractor& extractor,
                     const std::vector<std::string>& paths, const IngestOptions& options,
                     const IngestReporter& report) {
  IngestSummary summary;
  auto started = Clock::now();
  std::vector<Candidate> candidates = Walker(options, report, summary).walk(paths);

  FileIndex known_files;
  for (FileRecord& file : store.all_files()) {
    std::string path = file.path;
    known_files.emplace(std::move(path), std::move(file));
  }

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

  int jobs = options.jobs > 0
               ? options.jobs
               : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  // Parser threads prepare the next batch while this thread stores the current one.
  auto prepare_batch = [&](std::size_t begin) {
    std::size_t end = std::min(candidates.size(), begin + batch);
    return prepare_range(candidates, begin, end, known_files, extractor, options, jobs);
  };
  std::future<std::vector<PreparedFile>> next;
  if (!candidates.empty()) next = std::async(std::launch::async, prepare_batch, 0);

  std::int64_t done = 0;
  std::int64_t committed = 0;  // articles added or updated in committed batches
  auto last_progress = Clock::now();
  for (std::size_t begin = 0; begin < candidates.size(); begin += batch) {
    std::vector<PreparedFile> current = next.get();
    if (options.stop && options.stop->load()) {
      summary.interrupted = true;
      break;
    }
    if (begin + batch < candidates.size()) {
      next = std::async(std::launch::async, prepare_batch, begin + batch);
    }
    bool writes = std::any_of(current.begin(), current.end(), [](const PreparedFile& p) {
      return p.action == PreparedFile::Action::store || p.action == PreparedFile::Action::refresh;
    });
    if (writes) store.begin_batch();
    try {
      for (PreparedFile& prepared : current) {
        const std::string& path = prepared.record.path;
        if (!prepared.warning.empty()) warn(path, prepared.warning);
        switch (prepared.action) {
          case PreparedFile::Action::unchanged: emit(FileOutcome::unchanged, path); break;
          case PreparedFile::Action::refresh:
            summary.bytes_read += prepared.record.size;
            store.refresh_file(prepared.record);
            emit(FileOutcome::unchanged, path);
            break;
          case PreparedFile::Action::problem: emit(prepared.problem, path, prepared.message); break;
          case PreparedFile::Action::store:
            summary.bytes_read += prepared.record.size;
            switch (store.put(prepared.record, prepared.article)) {
              case PutOutcome::added: emit(FileOutcome::added, path); break;
              case PutOutcome::updated: emit(FileOutcome::updated, path); break;
              case PutOutcome::unchanged: emit(FileOutcome::unchanged, path); break;
              case PutOutcome::duplicate: emit(FileOutcome::duplicate, path); break;
              case PutOutcome::moved: emit(FileOutcome::moved, path); break;
            }
            break;
        }
        ++done;
        auto now = Clock::now();
        if (now - last_progress > std::chrono::milliseconds(200)) {
          last_progress = now;
          progress(done);
        }
      }
      if (writes) store.commit_batch();
      committed = summary.added + summary.updated;
    } catch (const StoreBusyError&) {
      store.rollback_batch();
      if (next.valid()) next.wait();
      throw;
    } catch (const StoreError& e) {
      // Name the archive and say what was kept: everything up to the last batch.
      store.rollback_batch();
      if (next.valid()) next.wait();
      std::string what = e.what();
      std::string hint = what.find("I/O error") != std::string::npos ||
                             what.find("full") != std::string::npos
                           ? " (is the disk full?)"
                           : "";
      throw StoreError("cannot write to archive " + store.path().string() + ": " + what + hint +
                       "; the " + std::to_string(committed) +
                       " articles added or updated before this batch are kept");
    } catch (...) {
      store.rollback_batch();
      if (next.valid()) next.wait();
      throw;
    }
  }
  if (next.valid()) next.wait();
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
