// newsidx ingest PATH...: add article files to the archive.
#include "command.hpp"
#include "output.hpp"

#include "newsidx/errors.hpp"
#include "newsidx/ingest.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

namespace newsidx::cli {

namespace {

std::atomic<bool> g_stop{false};

void on_interrupt(int) {
  g_stop.store(true);
}

std::int64_t parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw UsageError("--max-size: '" + text + "' is not a size (e.g. 500K, 32M, 1G)");
  }
  std::string unit = text.substr(used);
  double factor = 1;
  if (unit.empty() || unit == "B")
    factor = 1;
  else if (unit == "K" || unit == "k" || unit == "KB" || unit == "KiB")
    factor = 1024;
  else if (unit == "M" || unit == "MB" || unit == "MiB")
    factor = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GiB")
    factor = 1024.0 * 1024 * 1024;
  else
    throw UsageError("--max-size: unknown unit in '" + text + "' (use K, M or G)");
  if (value <= 0) throw UsageError("--max-size must be positive");
  return static_cast<std::int64_t>(value * factor);
}

// Paths from a list file (or stdin for "-"), separated by `separator`; empty entries skipped.
std::vector<std::string> read_path_list(const std::string& list, char separator) {
  std::string text;
  if (list == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream file(list, std::ios::binary);
    if (!file) throw UsageError("cannot read --files-from " + list);
    text.assign(std::istreambuf_iterator<char>(file), {});
  }
  std::vector<std::string> paths;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string entry = text.substr(start, end - start);
    if (separator == '\n' && !entry.empty() && entry.back() == '\r') entry.pop_back();
    if (!entry.empty()) paths.push_back(std::move(entry));
    start = end + 1;
  }
  return paths;
}

std::string outcome_word(FileOutcome outcome) {
  switch (outcome) {
    case FileOutcome::added: return "added";
    case FileOutcome::updated: return "updated";
    case FileOutcome::unchanged: return "unchanged";
    case FileOutcome::duplicate: return "duplicate";
    case FileOutcome::moved: return "moved";
    case FileOutcome::skipped: return "skipped";
    case FileOutcome::failed: return "failed";
  }
  return "";
}

} // namespace

int run_ingest(Invocation& invocation) {
  po::options_description options("ingest options");
  std::vector<std::string> paths;
  std::vector<std::string> globs;
  std::string max_size = "32M";
  IngestOptions ingest_options;
  bool quiet = false;
  bool verbose = false;
  bool wait = false;
  bool null_separated = false;
  std::vector<std::string> lists;
  options.add_options()                                              //
      ("path", po::value(&paths), "files and directories to ingest") //
      ("glob", po::value(&globs),
       "file names to take from directories (repeatable; default *.txt)") //
      ("encoding", po::value(&ingest_options.encoding),
       "decode every file with this encoding (e.g. windows-1251) instead of detecting it") //
      ("max-size", po::value(&max_size)->default_value(max_size),
       "skip files larger than this (e.g. 500K, 32M)") //
      ("date-from-filename", po::bool_switch(&ingest_options.extract.date_from_filename),
       "take a date written in the file name (2025-05-08-..., 20250508_...)") //
      ("batch-size", po::value(&ingest_options.batch_size),
       "files per transaction (default 1000; 8000 in a bulk load)") //
      ("jobs,j", po::value(&ingest_options.jobs)->default_value(0),
       "parser threads beside the one writer (0: one per core, and one more)") //
      ("files-from", po::value(&lists),
       "read more paths from FILE, one per line ('-' for stdin)")                             //
      ("null,0", po::bool_switch(&null_separated), "paths in --files-from are NUL-separated") //
      ("prune", po::bool_switch(&ingest_options.prune),
       "forget files under the given paths that no longer exist")                            //
      ("wait", po::bool_switch(&wait), "wait for another running ingest instead of failing") //
      ("quiet,q", po::bool_switch(&quiet), "no progress line and no per-file warnings")      //
      ("verbose,v", po::bool_switch(&verbose),
       "print what happened to every file, and at the end the CPU time of the writer and the "
       "parser threads (and, after a bulk load, how long its indexes took to build and how "
       "many full-text index segments it merged)");
  add_common_options(options, invocation.global);
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map values;
  if (!parse_command_line(invocation, options, positional, values,
                          "newsidx ingest [OPTIONS] PATH... (or --files-from FILE)")) {
    return k_exit_match;
  }
  for (const std::string& list : lists) {
    std::vector<std::string> listed = read_path_list(list, null_separated ? '\0' : '\n');
    paths.insert(paths.end(), listed.begin(), listed.end());
  }
  if (paths.empty() && lists.empty()) {
    throw UsageError("ingest needs at least one file or directory");
  }
  if (!globs.empty()) ingest_options.globs = globs;
  ingest_options.max_size = parse_size(max_size);
  if (values.count("batch-size") && ingest_options.batch_size < 1)
    throw UsageError("--batch-size must be at least 1");

  Extractor extractor = Extractor::load_default();
  ArticleStore store = ArticleStore::open(archive_path(invocation.global), OpenMode::read_write);
  store.lock_for_writing(wait);

  g_stop.store(false);
  ingest_options.stop = &g_stop;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  bool progress_line = !quiet && ::isatty(STDERR_FILENO) == 1;
  bool progress_shown = false;
  auto clear_progress = [&] {
    if (progress_shown) {
      std::fputs("\r\x1b[K", stderr);
      progress_shown = false;
    }
  };
  auto started = std::chrono::steady_clock::now();
  IngestSummary summary =
      ingest(store, extractor, paths, ingest_options, [&](const IngestEvent& event) {
        switch (event.kind) {
          case IngestEvent::Kind::progress: {
            if (!progress_line) return;
            double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            double mb_per_s = seconds > 0 ? event.bytes_done / 1e6 / seconds : 0;
            double rate = seconds > 0 ? event.files_done / seconds : 0;
            double eta = rate > 0 ? (event.files_total - event.files_done) / rate : 0;
            std::fprintf(stderr, "\r\x1b[Knewsidx: %lld/%lld files, %.1f MB/s, ETA %.0f s",
                         static_cast<long long>(event.files_done),
                         static_cast<long long>(event.files_total), mb_per_s, eta);
            progress_shown = true;
            return;
          }
          case IngestEvent::Kind::warning:
            if (quiet) return;
            clear_progress();
            print_warning(event.path + ": " + event.message);
            return;
          case IngestEvent::Kind::outcome:
            if (event.outcome == FileOutcome::skipped || event.outcome == FileOutcome::failed) {
              if (quiet) return;
              clear_progress();
              print_warning(event.path + ": " + outcome_word(event.outcome) + ": " + event.message);
            } else if (verbose) {
              clear_progress();
              std::fprintf(stderr, "%s\t%s\n", outcome_word(event.outcome).c_str(),
                           event.path.c_str());
            }
            return;
        }
      });
  clear_progress();
  std::string extra;
  if (summary.moved) extra += ", " + std::to_string(summary.moved) + " moved";
  if (ingest_options.prune) extra += ", " + std::to_string(summary.pruned) + " pruned";
  std::fprintf(stderr,
               "newsidx: %s: %lld added, %lld updated, %lld unchanged, %lld duplicates, "
               "%lld skipped, %lld failed%s in %.2f s\n",
               summary.interrupted ? "interrupted; kept everything up to the last complete batch"
                                   : "ingest done",
               static_cast<long long>(summary.added), static_cast<long long>(summary.updated),
               static_cast<long long>(summary.unchanged),
               static_cast<long long>(summary.duplicates), static_cast<long long>(summary.skipped),
               static_cast<long long>(summary.failed), extra.c_str(), summary.elapsed.count());
  if (verbose) {
    std::fprintf(stderr,
                 "newsidx: CPU time: writer %.2f s (waited %.2f s for the parsers), "
                 "%d parser thread(s) %.2f s\n",
                 summary.writer_cpu.count(), summary.writer_waiting.count(), summary.parser_threads,
                 summary.parser_cpu.count());
    if (summary.bulk_load) {
      std::string merged = summary.merged_segments > 0
                               ? std::to_string(summary.merged_segments) +
                                     " full-text index segments merged into one and "
                               : std::string();
      std::fprintf(stderr, "newsidx: bulk load: %ssecondary indexes built again in %.2f s\n",
                   merged.c_str(), summary.index_rebuild.count());
    }
  }
  if (summary.interrupted) return k_exit_interrupted;
  return summary.problems() > 0 ? k_exit_partial : k_exit_match;
}

} // namespace newsidx::cli
