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
#include <set>

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

IngestSummary ingest(ArticleStore& store, const Extractor& extractor,
                     const std::vector<std::string>& paths, const IngestOptions& options,
                     const IngestReporter& report) {
  IngestSummary summary;
  auto started = Clock::now();
  std::vector<Candidate> candidates = Walker(options, report, summary).walk(paths);

  auto emit = [&](FileOutcome outcome, const std::string& path, std::string message = {}) {
    switch (outcome) {
      case FileOutcome::added: ++summary.added; break;
      case FileOutcome::updated: ++summary.updated; break;
      case FileOutcome::unchanged: ++summary.unchanged; break;
      case FileOutcome::duplicate: ++summary.duplicates; break;
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

  auto last_progress = Clock::now();
  std::int64_t done = 0;
  int in_batch = 0;
  store.begin_batch();
  try {
    for (const Candidate& candidate : candidates) {
      if (options.stop && options.stop->load()) {
        summary.interrupted = true;
        break;
      }
      std::optional<FileRecord> known = store.find_file(candidate.path);
      if (known && known->size == candidate.size && known->mtime_ns == candidate.mtime_ns) {
        emit(FileOutcome::unchanged, candidate.path);
      } else {
        try {
          LoadedPage page = load_page(candidate.path, options.encoding, options.max_size);
          summary.bytes_read += candidate.size;
          if (page.replaced > 0) {
            warn(candidate.path, std::to_string(page.replaced) +
                                   " invalid byte sequence(s) replaced (decoded as " +
                                   page.encoding + ")");
          }
          FileRecord record;
          record.path = candidate.path;
          record.size = candidate.size;
          record.mtime_ns = candidate.mtime_ns;
          record.hash = content_hash(page.text + '\0' + page.sidecar_json.value_or(""));
          if (known && known->hash == record.hash) {
            store.refresh_file(record);
            emit(FileOutcome::unchanged, candidate.path);
          } else {
            PageInput input{candidate.path, page.text, page.encoding, page.sidecar_json};
            Article article = extractor.extract(input, options.extract);
            switch (store.put(record, article)) {
              case PutOutcome::added: emit(FileOutcome::added, candidate.path); break;
              case PutOutcome::updated: emit(FileOutcome::updated, candidate.path); break;
              case PutOutcome::unchanged: emit(FileOutcome::unchanged, candidate.path); break;
              case PutOutcome::duplicate: emit(FileOutcome::duplicate, candidate.path); break;
            }
          }
        } catch (const InputError& e) {
          std::string what = e.what();
          bool unreadable = what.rfind("cannot ", 0) == 0;
          emit(unreadable ? FileOutcome::failed : FileOutcome::skipped, candidate.path, what);
        }
      }
      ++done;
      if (++in_batch >= options.batch_size) {
        store.commit_batch();
        store.begin_batch();
        in_batch = 0;
      }
      auto now = Clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        last_progress = now;
        IngestEvent event;
        event.kind = IngestEvent::Kind::progress;
        event.files_done = done;
        event.files_total = static_cast<std::int64_t>(candidates.size());
        event.bytes_done = summary.bytes_read;
        report(event);
      }
    }
    store.commit_batch();
  } catch (...) {
    store.rollback_batch();
    throw;
  }
  summary.elapsed = Clock::now() - started;
  return summary;
}

} // namespace newsidx
