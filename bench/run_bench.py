#!/usr/bin/env python3
"""run_bench.py -- newsidx's end-to-end benchmark, with its baselines, in one run.

    bench/run_bench.py --generate 100000                 # corpus from make_corpus.py, then all
    bench/run_bench.py --corpus DIR [--newsidx build/newsidx] [--work /tmp/newsidx-bench]

Python 3 standard library only. On one corpus it measures, in the same run:

  * newsidx: `newsidx --db DB ingest CORPUS --quiet` (wall time, docs/s, MB/s, CPU, peak RSS,
    archive size), the same command again (re-ingest of the unchanged tree), and the query set
    below, each run as a whole process the way a script calls it, N times;
  * the FTS5 floor: bench/fts_floor.cpp (raw files into a plain unicode61 FTS5 table, one
    transaction), with FTS5's default in-memory hash and with a larger one;
  * with --rounds N, newsidx's first ingest and the default floor N times each, alternately,
    and the ingest ratio as the median of the rounds' ratios (for a machine whose speed
    drifts from one minute to the next);
  * recoll (recollindex/recollq), the peer a user would pick instead, when it is installed;
  * ripgrep (`rg -l -i -F`), the no-index answer, when it is installed.

The query set is picked from the corpus itself, deterministically: a rare term (in 0.01-0.1%
of the articles), a 2-term AND, a 2-word phrase, a common term (in 10-30%), each also within
a one-month date window, plus `newsidx --version` and a search that matches nothing. The
expected match counts are computed independently, by a case-insensitive whole-word scan of
every file in Python and, for date windows, from the dates in the corpus manifest; newsidx's
`search --count` must agree within --tolerance (exit status 1 otherwise).

Prints one Markdown table (targets from the issue, PASS/FAIL computed from ratios measured in
this run) and, with --json FILE, writes every raw number. Exit status: 0 done, 1 a correctness
check failed (the table is still printed), 2 the harness could not run (bad arguments, a tool
that failed, newsidx exiting 2).
"""
import argparse
import datetime
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MAKE_CORPUS = os.path.join(REPO, "..", "shared", "bench", "make_corpus.py")
FLOOR_SOURCE = os.path.join(HERE, "fts_floor.cpp")
MIB = 1024 * 1024
NO_MATCH_TERM = "qzxvjkwq"

# Words make_corpus.py writes into bylines and datelines (names, cities, agencies, months,
# weekdays, cue words): the extractor may drop those lines from the indexed body, so query
# terms are never taken from them.
GENERATOR_WORDS = set("""
anna james maria david sarah michael laura peter emma john olga ivan chen fatima lucas sofia
smith jones brown miller davis wilson taylor clark walker hall young khan petrova garcia novak lee
london washington new york paris berlin tokyo moscow sydney geneva reuters ap afp bbc news
bloomberg january february march april may june july august september october november december
jan feb mar apr jun jul aug sep oct nov dec monday tuesday wednesday thursday friday saturday
sunday mon tue wed thu fri sat sun published updated min read gmt et by
""".split())
# Function words are poor phrase halves: a phrase is two content words.
STOP_WORDS = set("""
about above after again against all also among and any are because been before being below
between both but can could did does doing down during each few for from further had has have
having her here hers him his how into its itself just more most not now off once only other
our out over own said same she should some such than that the their theirs them then there
these they this those through too under until very was were what when where which while who
whom why will with would you your year years last first told also percent one two three four
five six seven eight nine ten
""".split())
TOKEN_RE = re.compile(r"[^\W_]+")  # unicode61: runs of letters and digits
ASCII_WORD_RE = re.compile(r"[a-z]{4,15}")


# ---------------------------------------------------------------------------------------------
# Small helpers


class HarnessError(Exception):
    """The benchmark cannot go on: a tool failed or an input is unusable."""


def log(message):
    print(f"run_bench: {message}", file=sys.stderr, flush=True)


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def tree_size(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(file_size(os.path.join(root, name)) for name in files)
    return total


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def archive_size(db):
    """An SQLite archive's size on disk: the database plus its write-ahead log."""
    return file_size(db) + file_size(db + "-wal")


# Every measured process is started by a small helper process, not by this one: Linux
# carries the parent's peak RSS into a (v)forked child's ru_maxrss across exec, so a child of
# this process (which holds the corpus file list, the manifest and the expected answers) would
# report at least this process's peak. The helper stays at ~10 MB.
RUNNER_CODE = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    req = json.loads(line)
    log = open(req["log"], "wb") if req["log"] else None
    err = open(req["err"], "w+b")
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(req["argv"], stdin=subprocess.DEVNULL,
                                stdout=log or subprocess.PIPE, stderr=log or err,
                                env=req["env"], cwd=req["cwd"])
    except OSError as error:
        print(json.dumps({"error": str(error)}), flush=True)
        continue
    out = b"" if log else proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if log:
        log.close()
    else:
        proc.stdout.close()
    err.seek(0)
    print(json.dumps({"wall_s": wall, "status": os.waitstatus_to_exitcode(status),
                      "peak_rss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "stdout": out.decode("utf-8", "replace") if req["capture"] else None,
                      "stdout_bytes": len(out),
                      "stderr": err.read()[-4000:].decode("utf-8", "replace")}), flush=True)
    err.close()
"""


class Runner:
    """Runs processes through the helper: wall seconds, exit status, peak RSS, CPU seconds."""

    def __init__(self, scratch):
        self.scratch = scratch
        self.proc = subprocess.Popen([sys.executable, "-c", RUNNER_CODE], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, argv, log_path=None, env=None, cwd=None, capture=False):
        request = {"argv": list(argv), "log": log_path, "env": env, "cwd": cwd,
                   "capture": capture, "err": os.path.join(self.scratch, "runner.stderr")}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise HarnessError("the process runner died")
        result = json.loads(reply)
        if "error" in result:
            raise HarnessError(f"cannot run {argv[0]}: {result['error']}")
        result["argv"] = list(argv)
        return result

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


RUNNER = None


def run_measured(argv, log_path=None, env=None, cwd=None, capture=False):
    return RUNNER.run(argv, log_path, env, cwd, capture)


def read_log(path, limit=2000):
    try:
        with open(path, "rb") as f:
            return f.read()[-limit:].decode("utf-8", "replace")
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# The corpus


def generate_corpus(docs, seed, work):
    if not os.path.exists(MAKE_CORPUS):
        raise HarnessError(f"--generate needs {os.path.normpath(MAKE_CORPUS)}")
    corpus = os.path.join(work, f"corpus-{docs}-s{seed}")
    done = corpus + ".complete"
    if os.path.exists(done) and os.path.isdir(corpus):
        log(f"reusing {corpus}")
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    log(f"generating {docs} articles into {corpus}")
    result = run_measured([sys.executable, MAKE_CORPUS, "--docs", str(docs), "--out", corpus,
                           "--seed", str(seed)], os.path.join(work, "make_corpus.log"))
    if result["status"] != 0:
        raise HarnessError("make_corpus.py failed:\n" + read_log(os.path.join(work, "make_corpus.log")))
    with open(done, "w") as f:
        f.write(f"{docs} {seed}\n")
    return corpus


def list_corpus(corpus):
    """What newsidx ingests from a directory: *.txt, recursively, hidden directories skipped."""
    files = []
    for root, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".txt"):
                files.append(os.path.join(root, name))
    return files


def load_manifest(corpus):
    """{absolute path: date or None} from CORPUS.manifest.jsonl (make_corpus.py), or None."""
    path = corpus.rstrip("/") + ".manifest.jsonl"
    if not os.path.exists(path):
        return None
    dates = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            dates[os.path.join(corpus, row["file"])] = row["date"]
    return dates


def month_bounds(month):
    year, mon = map(int, month.split("-"))
    last = (datetime.date(year + mon // 12, mon % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return f"{month}-01", f"{month}-{last:02d}"


def pick_month(files, manifest):
    """The busiest month of the corpus (latest on ties): manifest dates, else file mtimes."""
    counts = {}
    for path in files:
        if manifest is not None:
            date = manifest.get(path)
        else:
            date = datetime.datetime.utcfromtimestamp(os.path.getmtime(path)).strftime("%Y-%m")
        if date:
            counts[date[:7]] = counts.get(date[:7], 0) + 1
    if not counts:
        raise HarnessError("no dated files: cannot pick a one-month window")
    return max(counts, key=lambda m: (counts[m], m))


# ---------------------------------------------------------------------------------------------
# Picking the query set


def spread(word):
    """A deterministic tie-break that does not favour words early in the alphabet."""
    return zlib.crc32(word.encode()), word


def tokens_of(text):
    return TOKEN_RE.findall(text.lower())


def sample_paths(files, size):
    if len(files) <= size:
        return list(files)
    return [files[i * len(files) // size] for i in range(size)]


def pick_terms(files, sample_size, stemmer):
    """Rare-term candidates, an AND pair, a phrase and a common term, from a spread sample;
    words whose stem no other word of the sample shares come first."""
    sample = sample_paths(files, sample_size)
    n_sample = len(sample)
    df, bigram_df, doc_words, vocabulary = {}, {}, [], set()
    for path in sample:
        with open(path, "rb") as f:
            tokens = tokens_of(f.read().decode("utf-8", "replace"))
        vocabulary.update(tokens)
        words = {t for t in tokens if ASCII_WORD_RE.fullmatch(t) and t not in GENERATOR_WORDS}
        for word in words:
            df[word] = df.get(word, 0) + 1
        bigrams = set()
        for a, b in zip(tokens, tokens[1:]):
            if a in words and b in words and a not in STOP_WORDS and b not in STOP_WORDS and a != b:
                bigrams.add((a, b))
        for bigram in bigrams:
            bigram_df[bigram] = bigram_df.get(bigram, 0) + 1
        doc_words.append(words)

    n = len(files)
    share = {w: c / n_sample for w, c in df.items()}
    forms = {}
    for token in vocabulary:
        forms.setdefault(stemmer.doc(token), set()).add(token)
    unstable = {}

    def odd(word):
        """0 when the word is the only one of the sample it would match, else 1."""
        if word not in unstable:
            matched = set().union(*(forms.get(t, set()) for t in stemmer.query(word)))
            unstable[word] = int(not matched <= {word}) if stemmer.active else 0
        return unstable[word]

    # Rare: estimated to be in 0.01-0.1% of the articles (at least 1, at most 2 on tiny
    # corpora); several candidates, the full scan settles which one is really in range.
    lo, hi = rare_range(n)
    target = math.sqrt(lo * hi)
    rare = sorted((w for w in df if w not in STOP_WORDS and lo <= share[w] * n <= hi),
                  key=lambda w: (odd(w), abs(math.log(share[w] * n / target)), spread(w)))
    if not rare:  # tiny sample: take the rarest words
        rare = sorted((w for w in df if w not in STOP_WORDS), key=lambda w: (odd(w), df[w], spread(w)))
    rare = rare[:6]

    # Common: in 10-30% of the articles, as close to 15% as the corpus allows.
    common = sorted((w for w in df if w not in STOP_WORDS and 0.10 <= share[w] <= 0.30),
                    key=lambda w: (odd(w), abs(share[w] - 0.15), spread(w)))
    if not common:
        raise HarnessError("no term in 10-30% of the sampled articles")

    # Phrase: two adjacent content words, in 0.1-1% of the articles (near 0.3%).
    phrase_target = max(0.003, 2 / n_sample)
    phrases = sorted(((a, b) for (a, b), c in bigram_df.items()
                      if 0.001 <= c / n_sample <= 0.01 or (n_sample < 1000 and c >= 2)),
                     key=lambda ab: (odd(ab[0]) + odd(ab[1]),
                                     abs(math.log(bigram_df[ab] / n_sample / phrase_target)),
                                     spread(" ".join(ab))))
    if not phrases:
        raise HarnessError("no two-word phrase in 0.1-1% of the sampled articles")

    # AND: two content words, each in 1-5% of the articles, found together in 0.1-1% but
    # not side by side (that would be the phrase again).
    # Only the 300 words nearest 2% are paired, which keeps this small at any corpus size.
    mid = sorted((w for w in df if w not in STOP_WORDS and 0.01 <= share[w] <= 0.05),
                 key=lambda w: (odd(w), abs(math.log(share[w] / 0.02)), spread(w)))
    mid = set(mid[:300])
    pair_df = {}
    for words in doc_words:
        present = sorted(words & mid)
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                pair_df[(a, b)] = pair_df.get((a, b), 0) + 1
    and_target = max(0.003, 2 / n_sample)
    pairs = sorted(((a, b) for (a, b), c in pair_df.items()
                    if (0.001 <= c / n_sample <= 0.01 or (n_sample < 1000 and c >= 2))
                    and (a, b) not in bigram_df and (b, a) not in bigram_df),
                   key=lambda ab: (odd(ab[0]) + odd(ab[1]),
                                  abs(math.log(pair_df[ab] / n_sample / and_target)),
                                  spread(" ".join(ab))))
    if not pairs:
        raise HarnessError("no AND pair in 0.1-1% of the sampled articles")

    return {"rare_candidates": rare, "common": common[0], "phrase": list(phrases[0]),
            "and": list(pairs[0]), "sample_docs": n_sample, "known_stems": set(forms),
            "stem_unique": {w: not odd(w) for w in [common[0], *phrases[0], *pairs[0]]},
            "sample_share": {"common": share[common[0]],
                             "phrase": bigram_df[phrases[0]] / n_sample,
                             "and": pair_df[pairs[0]] / n_sample}}


def rare_range(n):
    lo = max(1, math.ceil(0.0001 * n))
    hi = max(lo + 1, math.floor(0.001 * n))
    return lo, hi


# ---------------------------------------------------------------------------------------------
# The expected answers: a scan of every file
#
# newsidx's tokenizer (src/tokenizer.cpp) cuts words at anything that is not a letter, digit or
# mark, case-folds them, and indexes each Latin-script word of these English and Russian
# articles by its English Snowball stem; a query word matches its own form and its stem in
# every Latin-script language. The scan models that with Snowball through ctypes (libstemmer,
# which newsidx links) and also counts plain whole words (what `rg -w -i` would find). The
# query terms are picked among words whose stem no other word of the sample shares, so both
# counts are close, and the check still means something where libstemmer is missing.

LATIN_STEMMERS = ("english", "german", "french", "spanish", "italian", "portuguese", "dutch",
                  "swedish", "danish", "norwegian", "finnish", "hungarian", "romanian",
                  "turkish", "indonesian", "catalan", "basque", "irish", "lithuanian", "serbian")


class Stemmer:
    """English Snowball stems for documents, every Latin-script stem for query words."""

    def __init__(self, enabled):
        self.cache = {}
        self.handles = []
        self.lib = None
        if not enabled:
            return
        import ctypes
        import ctypes.util
        for name in (ctypes.util.find_library("stemmer"), "libstemmer.so.0d", "libstemmer.so.0",
                     "libstemmer.so"):
            if not name:
                continue
            try:
                self.lib = ctypes.CDLL(name)
                break
            except OSError:
                continue
        if self.lib is None:
            return
        self.lib.sb_stemmer_new.restype = ctypes.c_void_p
        self.lib.sb_stemmer_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        self.lib.sb_stemmer_stem.restype = ctypes.POINTER(ctypes.c_char)
        self.lib.sb_stemmer_stem.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.sb_stemmer_length.restype = ctypes.c_int
        self.lib.sb_stemmer_length.argtypes = [ctypes.c_void_p]
        for algorithm in LATIN_STEMMERS:
            handle = self.lib.sb_stemmer_new(algorithm.encode(), b"UTF_8")
            if handle:
                self.handles.append(handle)

    @property
    def active(self):
        return bool(self.handles)

    def _stem(self, handle, word):
        data = word.encode()
        out = self.lib.sb_stemmer_stem(handle, data, len(data))
        return out[:self.lib.sb_stemmer_length(handle)].decode("utf-8", "replace")

    def doc(self, token):
        """The term an English article's token is indexed under."""
        if not self.handles or len(token) > 64:
            return token
        stem = self.cache.get(token)
        if stem is None:
            stem = self.cache[token] = self._stem(self.handles[0], token)
        return stem

    def query(self, word):
        """The terms a query word matches: itself and its stem in every Latin-script language."""
        return {word} | {self._stem(h, word) for h in self.handles}


def prefixes_of(terms):
    """Prefixes every token indexed under one of `terms` starts with (Snowball rewrites at
    most the last two letters of what it keeps: happy -> happi)."""
    return sorted({t[:max(3, len(t) - 2)] for t in terms})


def token_pattern(prefixes):
    return r"(?<![^\W_])(?:" + "|".join(map(re.escape, prefixes)) + r")[^\W_]*"


class WordCheck:
    def __init__(self, word, stemmer, known):
        """`known`: the English stems of the sample's words. A query word's stems in other
        languages are kept only when some sampled word has them as its English stem: that
        keeps the prefilter selective at a negligible loss."""
        self.word = word
        self.terms = ({word, stemmer.doc(word)}
                      | {t for t in stemmer.query(word) if t in known}) if stemmer.active else {word}
        self.needles = [p.encode() for p in prefixes_of(self.terms | {word})]
        self.candidates = re.compile(token_pattern(prefixes_of(self.terms | {word})))
        self.stemmer = stemmer

    def match(self, text):
        """(exact whole word, stem-aware) for one lower-cased text."""
        exact = stem = False
        for m in self.candidates.finditer(text):
            token = m.group(0)
            exact = exact or token == self.word
            stem = stem or self.stemmer.doc(token) in self.terms
            if exact and stem:
                break
        return exact, stem


class PhraseCheck:
    def __init__(self, words, stemmer, known):
        self.first, self.second = (WordCheck(w, stemmer, known) for w in words)
        self.needles = self.first.needles  # and the second's, tested in match
        self.pattern = re.compile(
            "(" + token_pattern(prefixes_of(self.first.terms | {self.first.word})) + r")(?=[\W_]+("
            + token_pattern(prefixes_of(self.second.terms | {self.second.word})) + r")(?![^\W_]))")
        self.stemmer = stemmer

    def match(self, text):
        exact = stem = False
        for m in self.pattern.finditer(text):
            a, b = m.group(1), m.group(2)
            exact = exact or (a == self.first.word and b == self.second.word)
            stem = stem or (self.stemmer.doc(a) in self.first.terms
                            and self.stemmer.doc(b) in self.second.terms)
            if exact and stem:
                break
        return exact, stem


def scan_corpus(files, checks):
    """{name: ([file index, ...] exact, [file index, ...] stem-aware)} for {name: check}."""
    hits = {name: ([], []) for name in checks}
    for index, path in enumerate(files):
        with open(path, "rb") as f:
            data = f.read().lower()
        text = None
        for name, check in checks.items():
            if any(needle in data for needle in check.needles):
                if text is None:
                    text = data.decode("utf-8", "replace")
                exact, stem = check.match(text)
                if exact:
                    hits[name][0].append(index)
                if stem:
                    hits[name][1].append(index)
    return hits


def expected_answers(files, manifest, terms, month, stemmer):
    known = terms.pop("known_stems")
    checks = {"rare:" + w: WordCheck(w, stemmer, known) for w in terms["rare_candidates"]}
    checks["common"] = WordCheck(terms["common"], stemmer, known)
    for word in terms["and"]:
        checks["and:" + word] = WordCheck(word, stemmer, known)
    checks["phrase"] = PhraseCheck(terms["phrase"], stemmer, known)
    start = time.perf_counter()
    hits = scan_corpus(files, checks)
    scan_seconds = time.perf_counter() - start

    lo, hi = rare_range(len(files))
    target = math.sqrt(lo * hi)
    counted = [(w, len(hits["rare:" + w][1])) for w in terms["rare_candidates"]]
    in_range = [(w, c) for w, c in counted if lo <= c <= hi]
    pool = in_range or [(w, c) for w, c in counted if c > 0] or counted
    rare, _ = min(pool, key=lambda wc: (abs(math.log(max(wc[1], 0.5) / target)), spread(wc[0])))

    a, b = ("and:" + w for w in terms["and"])
    sets = {}
    for kind in (0, 1):  # 0: exact whole words, 1: stem-aware
        sets[kind] = {
            "rare": set(hits["rare:" + rare][kind]),
            "and": set(hits[a][kind]) & set(hits[b][kind]),
            "phrase": set(hits["phrase"][kind]),
            "common": set(hits["common"][kind]),
        }
    in_month = None
    if manifest is not None:
        in_month = {i for i, path in enumerate(files)
                    if (manifest.get(path) or "").startswith(month)}
    return rare, sets, in_month, scan_seconds, counted


# ---------------------------------------------------------------------------------------------
# The systems


def build_floor(work):
    binary = os.path.join(work, "bin", "fts_floor")
    if (os.path.exists(binary)
            and os.path.getmtime(binary) >= os.path.getmtime(FLOOR_SOURCE)):
        return binary
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    compiler = os.environ.get("CXX", "g++")
    argv = [compiler, "-O2", "-std=c++20", FLOOR_SOURCE, "-lsqlite3", "-o", binary]
    log("building the FTS5 floor loader: " + " ".join(argv))
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise HarnessError("cannot build fts_floor:\n" + result.stderr)
    return binary


def ingest_metrics(result, docs, text_bytes, size):
    wall = result["wall_s"]
    return {"wall_s": wall, "docs_per_s": docs / wall, "mb_per_s": text_bytes / MIB / wall,
            "cpu_s": result["cpu_s"], "peak_rss_mb": result["peak_rss_kb"] / 1024,
            "size_bytes": size, "size_ratio": size / text_bytes, "status": result["status"]}


def parse_ingest_summary(log_text):
    match = re.search(r"ingest done: (\d+) added, (\d+) updated, (\d+) unchanged, (\d+) duplicates,"
                      r" (\d+) skipped, (\d+) failed", log_text)
    if not match:
        return None
    keys = ("added", "updated", "unchanged", "duplicates", "skipped", "failed")
    return dict(zip(keys, map(int, match.groups())))


def run_newsidx_ingest(newsidx, db, corpus, logs, label, docs, text_bytes):
    log_path = os.path.join(logs, f"{label}.log")
    result = run_measured([newsidx, "--db", db, "ingest", corpus, "--quiet"], log_path)
    text = read_log(log_path, 20000)
    if result["status"] not in (0, 3):
        raise HarnessError(f"newsidx {label} exited {result['status']}:\n{text}")
    metrics = ingest_metrics(result, docs, text_bytes, archive_size(db))
    metrics["summary"] = parse_ingest_summary(text)
    metrics["log_lines"] = len(text.splitlines())
    return metrics


def run_floor(binary, corpus, db, logs, label, docs, text_bytes, hashsize=0):
    remove_db(db)
    argv = [binary] + (["--hashsize", str(hashsize)] if hashsize else []) + [corpus, db]
    log_path = os.path.join(logs, f"{label}.log")
    result = run_measured(argv, log_path)
    text = read_log(log_path, 20000)
    if result["status"] != 0:
        raise HarnessError(f"fts_floor exited {result['status']}:\n{text}")
    metrics = ingest_metrics(result, docs, text_bytes, archive_size(db))
    metrics["hashsize"] = hashsize
    for line in text.splitlines():
        if line.startswith("{"):
            metrics["inner"] = json.loads(line)
    if metrics.get("inner", {}).get("docs") != docs:
        raise HarnessError(f"fts_floor loaded {metrics.get('inner')} but the corpus has {docs} files")
    return metrics


def recoll_setup(work, corpus):
    confdir = os.path.join(work, "recoll")
    shutil.rmtree(confdir, ignore_errors=True)
    os.makedirs(confdir)
    home = os.path.join(work, "recoll-home")  # so nothing is read from the real home dir
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(confdir, "recoll.conf"), "w") as f:
        f.write(f"topdirs = {corpus}\n"
                "indexedmimetypes = text/plain\n"
                "indexstemminglanguages = english\n"
                "noaspell = 1\n"
                "loglevel = 1\n"
                "skippedPaths = \n")
    env = dict(os.environ, HOME=home, RECOLL_CONFDIR=confdir, XDG_CONFIG_HOME=home,
               XDG_CACHE_HOME=home, XDG_DATA_HOME=home, LC_ALL="C.UTF-8")
    return confdir, env


def run_recoll_index(confdir, env, logs, label, docs, text_bytes):
    log_path = os.path.join(logs, f"{label}.log")
    result = run_measured(["recollindex", "-c", confdir], log_path, env=env)
    if result["status"] != 0:
        raise HarnessError(f"recollindex exited {result['status']}:\n{read_log(log_path)}")
    size = tree_size(os.path.join(confdir, "xapiandb"))
    return ingest_metrics(result, docs, text_bytes, size)


# ---------------------------------------------------------------------------------------------
# Queries


def query_forms(terms, rare, month):
    since, until = month_bounds(month)
    base = {
        "rare": [rare],
        "and": list(terms["and"]),
        "phrase": ['"' + " ".join(terms["phrase"]) + '"'],
        "common": [terms["common"]],
    }
    forms = []
    for name in ("rare", "and", "phrase", "common"):
        forms.append({"name": name, "query": base[name], "window": None})
        forms.append({"name": name + "+month", "query": base[name], "window": month,
                      "base": name})
    recoll_queries = {
        "rare": rare, "and": " ".join(terms["and"]),
        "phrase": '"' + " ".join(terms["phrase"]) + '"', "common": terms["common"],
    }
    for form in forms:
        key = form.get("base", form["name"])
        form["recoll"] = recoll_queries[key] + (f" date:{since}/{until}" if form["window"] else "")
    return forms


def newsidx_search_argv(newsidx, db, form, extra=()):
    argv = [newsidx, "--db", db, "search", *form["query"]]
    if form["window"]:
        argv += ["--since", form["window"], "--until", form["window"]]
    return argv + list(extra)


def rg_argv(corpus, form):
    key = form.get("base", form["name"])
    if key == "and":
        a, b = form["query"]
        script = (f"rg -l0 -i -F -- {shlex.quote(a)} {shlex.quote(corpus)}"
                  f" | xargs -0 -r rg -l -i -F -- {shlex.quote(b)}")
        return ["sh", "-c", script]
    literal = form["query"][0].strip('"')
    return ["rg", "-l", "-i", "-F", "--", literal, corpus]


def time_commands(commands, repetitions, ok_statuses=(0, 1)):
    """{name: [ms, ...]}: every command run `repetitions` times, round robin, after one warm-up
    round (whose results, with stdout, are returned as the second value)."""
    samples = {name: [] for name in commands}
    outputs = {}
    for rep in range(repetitions + 1):
        for name, argv in commands.items():
            result = run_measured(argv, capture=(rep == 0))
            if result["status"] not in ok_statuses:
                raise HarnessError(f"{shlex.join(argv)} exited {result['status']}:\n"
                                   + result["stderr"])
            if rep == 0:
                outputs[name] = result
            else:
                samples[name].append(result["wall_s"] * 1000)
    return samples, outputs


def summarize(samples):
    return {"p50_ms": percentile(samples, 50), "p95_ms": percentile(samples, 95),
            "min_ms": min(samples), "runs": len(samples), "samples_ms": samples}


def newsidx_count(newsidx, db, form):
    proc = subprocess.run(newsidx_search_argv(newsidx, db, form, ["--count"]),
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise HarnessError(f"newsidx search --count exited {proc.returncode}: {proc.stderr}")
    return int(proc.stdout.strip() or 0)


def newsidx_rows(newsidx, db, form, limit):
    """[(path, date)] of newsidx's answer to a form, at most `limit` rows."""
    proc = subprocess.run(newsidx_search_argv(newsidx, db, form, [
        "--format", "jsonl", "--limit", str(limit), "--color", "never"]),
        capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise HarnessError(f"newsidx search exited {proc.returncode}: {proc.stderr}")
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return [(row["path"], row.get("date")) for row in rows]


# ---------------------------------------------------------------------------------------------
# Correctness


def check_counts(newsidx, db, forms, files, sets, exact_sets, in_month, manifest, tolerance):
    """newsidx's --count per form against the scan (and the manifest dates for windows)."""
    index_of = {path: i for i, path in enumerate(files)}

    def compare(form, label, query, expected, exact):
        got = newsidx_count(newsidx, db, form)
        allowed = max(1, math.ceil(tolerance * len(expected)))
        check = {"form": label, "query": query, "window": form["window"] or form.get("month"),
                 "expected": len(expected), "expected_whole_word": len(exact),
                 "newsidx": got, "allowed_difference": allowed,
                 "ok": abs(got - len(expected)) <= allowed and (got > 0) == (len(expected) > 0)}
        if got != len(expected) and got <= 20000:
            rows = newsidx_rows(newsidx, db, form, got)
            found = {index_of.get(path, -1) for path, _ in rows}
            dates = {index_of.get(path, -1): date for path, date in rows}

            def describe(i, side):
                manifest_date = manifest.get(files[i]) if manifest is not None else None
                return (f"{files[i]} (manifest date {manifest_date}"
                        + (f", newsidx date {dates.get(i)})" if side == "extra" else ")"))

            # newsidx keeps only the year (or month) of a date it cannot read to the day
            # (an ambiguous 01/10/2014), and such an article matches every window of that
            # year it overlaps (issue 5): by design, not counted as a difference.
            window = form["window"] or form.get("month")
            coarser = [i for i in found - expected if i >= 0 and window and manifest is not None
                       and dates.get(i) and len(dates[i]) < 10 and window.startswith(dates[i])
                       and (manifest.get(files[i]) or "").startswith(dates[i])]
            if coarser:
                check["coarser_overlap"] = len(coarser)
                check["ok"] = (abs(got - len(coarser) - len(expected)) <= allowed
                               and (got > 0) == (len(expected) > 0))
            check["missing_examples"] = [describe(i, "missing") for i in sorted(expected - found)[:5]]
            check["extra_examples"] = [describe(i, "extra")
                                       for i in sorted(found - expected)[:5] if i >= 0]
        return check

    checks = []
    for form in forms:
        key = form.get("base", form["name"])
        expected, exact = sets[key], exact_sets[key]
        if form["window"]:
            if in_month is None:
                continue
            expected, exact = expected & in_month, exact & in_month
        checks.append(compare(form, form["name"], " ".join(form["query"]), expected, exact))
    if in_month is not None:
        month = forms[1]["window"]
        form = {"query": [f"date:{month}"], "window": None, "month": month}
        checks.append(compare(form, "all+month", f"date:{month}", in_month, in_month))
    return checks


# ---------------------------------------------------------------------------------------------
# The table


def fmt(value, digits=0):
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if abs(value) >= 100 or digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def build_report(r):
    """Markdown: one table, systems side by side, targets as ratios measured in this run."""
    ing = r["ingest"]
    systems = ["newsidx", "floor", "floor_hash", "recoll", "rg"]
    heads = ["newsidx", "FTS5 floor",
             f"FTS5 floor, hashsize {r['options']['floor_hashsize'] / MIB:g} MiB", "recoll",
             "rg -l -i"]
    if "floor_hash" not in ing:
        del systems[2], heads[2]
    rows = []

    def ingest_cell(system, key, digits):
        metrics = ing.get(system)
        return fmt(metrics[key], digits) if metrics else "—"

    def row(label, cells, target="", measured="", result=""):
        rows.append([label] + cells + [target, measured, result])

    nx, floor = ing["newsidx"], ing.get("floor")
    row("ingest wall s", [ingest_cell(s, "wall_s", 2) for s in systems])
    if floor:
        ratios = ing.get("round_ratios") or [nx["docs_per_s"] / floor["docs_per_s"]]
        ratio = median(ratios)
        measured = f"{ratio:.2f}×"
        if len(ratios) > 1:
            measured += (f" (median of {len(ratios)} rounds: "
                         + ", ".join(f"{x:.2f}" for x in ratios) + ")")
        row("ingest docs/s", [ingest_cell(s, "docs_per_s", 0) for s in systems],
            "≥ 1.0× FTS5 floor", measured, verdict(ratio >= 1.0))
    else:
        row("ingest docs/s", [ingest_cell(s, "docs_per_s", 0) for s in systems],
            "≥ 1.0× FTS5 floor", "no floor run", "—")
    row("ingest MB/s", [ingest_cell(s, "mb_per_s", 1) for s in systems])
    row("ingest CPU s (user+sys)", [ingest_cell(s, "cpu_s", 2) for s in systems])
    rss = nx["peak_rss_mb"]
    row("ingest peak RSS MB", [ingest_cell(s, "peak_rss_mb", 0) for s in systems],
        "≤ 1024 MB", f"{rss:.0f} MB", verdict(rss <= 1024))
    row("index size / text", [ingest_cell(s, "size_ratio", 2) for s in systems],
        "≤ 2.0×", f"{nx['size_ratio']:.2f}×", verdict(nx["size_ratio"] <= 2.0))
    re_nx = ing["newsidx_reingest"]
    re_ratio = re_nx["wall_s"] / nx["wall_s"]
    recoll_re = ing.get("recoll_reindex")
    dashes = ["—"] * (len(systems) - 3)
    row("re-ingest unchanged s", [fmt(re_nx["wall_s"], 2)] + dashes
        + [fmt(recoll_re["wall_s"], 2) if recoll_re else "—", "—"],
        "≤ 5% of first ingest", f"{100 * re_ratio:.1f}%", verdict(re_ratio <= 0.05))

    q = r["queries"]
    for form in r["forms"]:
        name = form["name"]
        label = f"{name} `{' '.join(form['query'])}`"
        if form["window"]:
            label = f"{form['base']} + month {form['window']}"
        nq = q["newsidx"][name]
        cells = [f"{nq['p50_ms']:.1f} / {nq['p95_ms']:.1f}"] + dashes
        rq = q.get("recoll", {}).get(name)
        cells.append(f"{rq['p50_ms']:.1f} / {rq['p95_ms']:.1f}" if rq else "—")
        gq = q.get("rg", {}).get(form.get("base", name))
        cells.append((f"{gq['p50_ms']:.0f} / {gq['p95_ms']:.0f}"
                      + (" (no date filter)" if form["window"] else "")) if gq else "—")
        vs_rg = f", {nq['p50_ms'] / gq['p50_ms']:.3f}× rg" if gq else ""
        if form["window"]:
            base = q["newsidx"][form["base"]]
            ratio50 = nq["p50_ms"] / base["p50_ms"]
            ratio95 = nq["p95_ms"] / base["p95_ms"]
            row(label + " p50/p95 ms", cells, "≤ 1.5× unrestricted (p50)",
                f"{ratio50:.2f}× (p95 {ratio95:.2f}×){vs_rg}", verdict(ratio50 <= 1.5))
        elif name == "common":
            row(label + " p50/p95 ms", cells, "p95 ≤ 300 ms",
                f"p95 {nq['p95_ms']:.1f} ms{vs_rg}", verdict(nq["p95_ms"] <= 300))
        else:
            row(label + " p50/p95 ms", cells, "p50 ≤ 15, p95 ≤ 60 ms",
                f"{nq['p50_ms']:.1f} / {nq['p95_ms']:.1f}{vs_rg}",
                verdict(nq["p50_ms"] <= 15 and nq["p95_ms"] <= 60))
    for name, label in (("version", "start-up `newsidx --version`"),
                        ("nomatch", f"start-up no-match search `{NO_MATCH_TERM}`")):
        nq = q["newsidx"][name]
        gq = q.get("rg", {}).get(name)
        row(label + " p50/p95 ms",
            [f"{nq['p50_ms']:.1f} / {nq['p95_ms']:.1f}"] + dashes
            + ["—", f"{gq['p50_ms']:.0f} / {gq['p95_ms']:.0f}" if gq else "—"],
            "≤ 10 ms (p50)", f"{nq['p50_ms']:.1f} ms", verdict(nq["p50_ms"] <= 10))
    overhead = q["harness"]["true"]
    row("harness: spawn `true` p50/p95 ms",
        [f"{overhead['p50_ms']:.1f} / {overhead['p95_ms']:.1f}"] + dashes + ["—", "—"],
        "(included in every time above)")

    head = ["measure"] + heads + ["target", "newsidx measured", "result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]

    c = r["corpus"]
    intro = [
        f"## newsidx benchmark — {c['docs']:,} articles, {c['bytes'] / MIB:,.1f} MiB of text"
        f" ({c['path']})",
        "",
        f"{r['started']} on {r['host']['cpus']} CPUs, load average at start"
        f" {r['host']['loadavg_start']}, at end {r['host']['loadavg_end']};"
        f" newsidx `{r['newsidx_version']}`; SQLite {r['sqlite']};"
        f" {r['options']['queries']} runs per query form (rg: {r['options']['rg_runs']}),"
        " warm page cache; times are whole processes (start, open, search, print 20 rows).",
        "",
    ]
    notes = [""]
    for note in r["notes"]:
        notes.append(f"- {note}")
    notes.append("")
    notes.append("Correctness: newsidx `search --count` vs. a scan of every file (stem-aware as"
                 " newsidx's tokenizer, and plain whole words) and the manifest dates; allowed"
                 f" difference {100 * r['options']['tolerance']:g}% (at least 1):")
    notes.append("")
    notes.append("| form | query | expected | whole words | newsidx | result |")
    notes.append("|---|---|---|---|---|---|")
    for check in r["checks"]:
        query = check["query"] + (f" in {check['window']}"
                                  if check["window"] and check["form"] != "all+month" else "")
        notes.append(f"| {check['form']} | `{query}` | {check['expected']} |"
                     f" {check['expected_whole_word']} | {check['newsidx']} |"
                     f" {'ok' if check['ok'] else 'MISMATCH'}"
                     + (f" ({check['coarser_overlap']} dated by newsidx to the year or month"
                        " only, overlapping the window: by design)"
                        if check.get("coarser_overlap") else "") + " |")
    failed = [ch for ch in r["checks"] if not ch["ok"] or ch["newsidx"] != ch["expected"]]
    for check in failed:
        for key in ("missing_examples", "extra_examples"):
            for path in check.get(key, []):
                notes.append(f"- {check['form']}: {key.split('_')[0]} {path}")
    return "\n".join(intro + lines + notes) + "\n"


# ---------------------------------------------------------------------------------------------
# The run


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus", help="an existing corpus directory (make_corpus.py's"
                        " manifest beside it, DIR.manifest.jsonl, enables the date checks)")
    source.add_argument("--generate", type=int, metavar="N",
                        help="generate N articles with ../shared/bench/make_corpus.py")
    ap.add_argument("--seed", type=int, default=1, help="make_corpus.py seed (default 1)")
    ap.add_argument("--newsidx", default=os.path.join(REPO, "build", "newsidx"))
    ap.add_argument("--work", default="/tmp/newsidx-bench",
                    help="generated corpora, databases, logs (default /tmp/newsidx-bench)")
    ap.add_argument("--queries", type=int, default=30, help="runs per query form (default 30)")
    ap.add_argument("--rg-runs", type=int, default=5, help="runs per rg query (default 5)")
    ap.add_argument("--sample", type=int, default=4000,
                    help="files sampled to pick the query terms (default 4000)")
    ap.add_argument("--floor-hashsize", type=int, default=64 * MIB,
                    help="FTS5 'hashsize' of the second floor run, bytes (0: skip that run)")
    ap.add_argument("--tolerance", type=float, default=0.02,
                    help="allowed relative difference of a count (at least 1; default 0.02)")
    ap.add_argument("--match", choices=("stem", "exact"), default="stem",
                    help="expected counts model newsidx's Snowball stemming (default; needs"
                    " libstemmer) or count whole words only")
    ap.add_argument("--reuse-ingest", metavar="JSON",
                    help="skip the ingests: search the archive an earlier run (its --json"
                         " FILE) left in WORK/run, and report that run's ingest figures")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run newsidx's first ingest and the floor N times each, alternately,"
                    " and report medians (default 1; 3 on a machine whose speed drifts)")
    ap.add_argument("--skip-recoll", action="store_true")
    ap.add_argument("--skip-rg", action="store_true")
    ap.add_argument("--skip-floor", action="store_true", help="no FTS5 floor runs")
    ap.add_argument("--json", metavar="FILE", help="write every raw number here")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    return args


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def combine_rounds(rounds, docs, text_bytes):
    """One ingest row from several rounds of the same command: the median wall time (and the
    throughput it gives) and CPU, the highest peak RSS; the other figures from the last round,
    whose archive is the one searched."""
    combined = dict(rounds[-1])
    wall = median([m["wall_s"] for m in rounds])
    combined.update(wall_s=wall, docs_per_s=docs / wall, mb_per_s=text_bytes / MIB / wall,
                    cpu_s=median([m["cpu_s"] for m in rounds]),
                    peak_rss_mb=max(m["peak_rss_mb"] for m in rounds),
                    rounds=[{k: m[k] for k in ("wall_s", "cpu_s", "peak_rss_mb")} for m in rounds])
    return combined


def run_ingests(a, work, newsidx, db, corpus, run_dir, logs, docs, text_bytes, result, notes):
    """newsidx's ingest and re-ingest of the corpus, and the FTS5 floor runs. With --rounds N,
    newsidx's first ingest and the floor (default hash) run N times each, alternately, so that
    the machine's speed drifting over minutes weighs on both alike; the ingest ratio is the
    median of the rounds' ratios."""
    ingest = result["ingest"]
    floor = None if a.skip_floor else build_floor(work)
    newsidx_rounds, floor_rounds = [], []
    for k in range(a.rounds):
        tag = f" (round {k + 1} of {a.rounds})" if a.rounds > 1 else ""
        suffix = f"-{k + 1}" if a.rounds > 1 else ""
        # Odd rounds run newsidx first, even rounds the floor first.
        order = ("newsidx", "floor") if k % 2 == 0 else ("floor", "newsidx")
        for system in order:
            if system == "newsidx":
                log("newsidx ingest" + tag)
                remove_db(db)
                newsidx_rounds.append(run_newsidx_ingest(newsidx, db, corpus, logs,
                                                         "newsidx-ingest" + suffix, docs,
                                                         text_bytes))
            elif floor:
                log("FTS5 floor" + tag)
                floor_rounds.append(run_floor(floor, corpus, os.path.join(run_dir, "floor.db"),
                                              logs, "floor" + suffix, docs, text_bytes))
    ingest["newsidx"] = combine_rounds(newsidx_rounds, docs, text_bytes)
    if floor_rounds:
        ingest["floor"] = combine_rounds(floor_rounds, docs, text_bytes)
        ingest["round_ratios"] = [f["wall_s"] / n["wall_s"]
                                  for n, f in zip(newsidx_rounds, floor_rounds)]
    if a.rounds > 1:
        for label, rounds in (("newsidx ingest", newsidx_rounds), ("FTS5 floor", floor_rounds)):
            if rounds:
                notes.append(f"{label}, {a.rounds} rounds (wall s / CPU s / peak RSS MB): "
                             + "; ".join(f"{m['wall_s']:.2f} / {m['cpu_s']:.2f} /"
                                         f" {m['peak_rss_mb']:.0f}" for m in rounds)
                             + " (the table: median wall and CPU, highest RSS)")
    log("newsidx re-ingest")
    ingest["newsidx_reingest"] = run_newsidx_ingest(newsidx, db, corpus, logs,
                                                    "newsidx-reingest", docs, text_bytes)
    summary = ingest["newsidx"]["summary"]
    if summary is None:
        raise HarnessError("newsidx ingest printed no summary line")
    stored = summary["added"] + summary["duplicates"]
    if stored != docs:
        notes.append(f"newsidx ingest stored {stored} of {docs} files: {summary}")
    resum = ingest["newsidx_reingest"]["summary"] or {}
    if resum.get("unchanged") != docs:
        notes.append(f"re-ingest did not find every file unchanged: {resum}")
    if ingest["newsidx"]["log_lines"] > 1:
        last_log = "newsidx-ingest" + (f"-{a.rounds}" if a.rounds > 1 else "") + ".log"
        notes.append(f"`ingest --quiet` printed {ingest['newsidx']['log_lines']} lines"
                     f" (see {logs}/{last_log})")

    if floor:
        if a.floor_hashsize:
            log(f"FTS5 floor, hashsize {a.floor_hashsize}")
            ingest["floor_hash"] = run_floor(floor, corpus, os.path.join(run_dir, "floor-hash.db"),
                                             logs, "floor-hash", docs, text_bytes, a.floor_hashsize)
        for key in ("floor", "floor_hash"):
            inner = ingest.get(key, {}).get("inner")
            if inner:
                notes.append(f"{key}: {inner['files_seconds']:.2f} s walking and reading files,"
                             f" {inner['insert_seconds']:.2f} s inserting,"
                             f" {inner['commit_seconds']:.2f} s committing")
    else:
        notes.append("FTS5 floor: skipped (--skip-floor); the ingest ratio is not computed")


def main():
    global RUNNER
    a = parse_args()
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    RUNNER = Runner(work)
    built = os.path.abspath(a.newsidx)
    if not os.access(built, os.X_OK):
        raise HarnessError(f"no newsidx binary at {built} (build it, or pass --newsidx)")
    # A copy, so that a rebuild during the run (minutes at 1M) cannot change or remove it.
    newsidx = os.path.join(work, "bin", "newsidx")
    os.makedirs(os.path.dirname(newsidx), exist_ok=True)
    shutil.copy2(built, newsidx)
    corpus = (generate_corpus(a.generate, a.seed, work) if a.generate
              else os.path.abspath(a.corpus))
    if not os.path.isdir(corpus):
        raise HarnessError(f"no corpus directory {corpus}")
    run_dir = os.path.join(work, "run")
    logs = os.path.join(run_dir, "logs")
    os.makedirs(logs, exist_ok=True)

    notes = []
    files = list_corpus(corpus)
    if not files:
        raise HarnessError(f"no *.txt files under {corpus}")
    text_bytes = sum(os.path.getsize(p) for p in files)
    docs = len(files)
    manifest = load_manifest(corpus)
    if manifest is None:
        notes.append("no manifest beside the corpus: date-window counts not checked,"
                     " window month picked from file mtimes")
    log(f"corpus: {docs} files, {text_bytes / MIB:.1f} MiB")

    month = pick_month(files, manifest)
    stemmer = Stemmer(a.match == "stem")
    if a.match == "stem" and not stemmer.active:
        raise HarnessError("cannot load libstemmer (Debian package libstemmer0d) for the"
                           " stem-aware expected counts; pass --match exact to count whole words")
    terms = pick_terms(files, a.sample, stemmer)
    rare, all_sets, in_month, scan_seconds, rare_counts = expected_answers(
        files, manifest, terms, month, stemmer)
    sets = all_sets[1]  # stem-aware (whole words with --match exact)
    log(f"query set: rare {rare!r}, and {terms['and']}, phrase {terms['phrase']},"
        f" common {terms['common']!r}, month {month} (scan {scan_seconds:.1f} s)")
    forms = query_forms(terms, rare, month)

    have_rg = not a.skip_rg and shutil.which("rg") is not None
    have_recoll = (not a.skip_recoll and shutil.which("recollindex") is not None
                   and shutil.which("recollq") is not None)
    if a.skip_rg:
        notes.append("rg: skipped (--skip-rg)")
    elif not have_rg:
        notes.append("rg: not installed (Debian package `ripgrep`), column left empty")
    if a.skip_recoll:
        notes.append("recoll: skipped (--skip-recoll)")
    elif not have_recoll:
        notes.append("recoll: recollindex/recollq not installed (Debian packages `recoll`"
                     " `recollcmd`), column left empty")

    version = subprocess.run([newsidx, "--version"], capture_output=True, text=True).stdout.strip()
    result = {
        "started": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "host": {"cpus": os.cpu_count(), "loadavg_start": " ".join(
            f"{x:.2f}" for x in os.getloadavg())},
        "newsidx": built, "newsidx_version": version,
        "corpus": {"path": corpus, "docs": docs, "bytes": text_bytes,
                   "manifest": manifest is not None},
        "options": {"queries": a.queries, "rg_runs": a.rg_runs,
                    "floor_hashsize": a.floor_hashsize if not a.skip_floor else 0,
                    "tolerance": a.tolerance, "sample": a.sample, "match": a.match},
        "terms": dict(terms, rare=rare, rare_candidate_counts=rare_counts, month=month,
                      expected_scan_seconds=scan_seconds),
        "forms": forms, "ingest": {}, "queries": {}, "notes": notes,
    }

    # Ingest: newsidx, its re-ingest, the floor (twice), recoll.
    db = os.path.join(run_dir, "newsidx.db")
    if a.reuse_ingest:
        # Queries only, on the archive an earlier run of this corpus left in WORK/run; the
        # ingest figures are that run's, and the report says so.
        with open(a.reuse_ingest) as f:
            previous = json.load(f)
        if previous["corpus"]["path"] != corpus or previous["corpus"]["docs"] != docs:
            raise HarnessError(f"{a.reuse_ingest} is a run over another corpus")
        if not os.path.exists(db):
            raise HarnessError(f"--reuse-ingest: no archive at {db}")
        result["ingest"] = previous["ingest"]
        result["sqlite"] = previous.get("sqlite", "?")
        notes.append(f"ingest figures (and the archive searched) from the earlier run of"
                     f" {previous['started']} with {previous['newsidx_version']}"
                     f" ({a.reuse_ingest}); queries measured now")
        have_recoll = False
    else:
        run_ingests(a, work, newsidx, db, corpus, run_dir, logs, docs, text_bytes, result, notes)
    if have_recoll:
        confdir, recoll_env = recoll_setup(run_dir, corpus)
        log("recollindex")
        try:
            ingest = result["ingest"]
            ingest["recoll"] = run_recoll_index(confdir, recoll_env, logs, "recollindex",
                                                docs, text_bytes)
            ingest["recoll_reindex"] = run_recoll_index(confdir, recoll_env, logs,
                                                        "recollindex-again", docs, text_bytes)
        except HarnessError as error:
            notes.append(f"recoll failed, column left empty: {str(error).splitlines()[0]}")
            have_recoll = False

    # Queries, whole processes, round robin.
    log(f"queries: {a.queries} runs per form")
    text_args = ["--limit", "20", "--format", "text", "--color", "never"]
    commands = {f["name"]: newsidx_search_argv(newsidx, db, f, text_args) for f in forms}
    commands["version"] = [newsidx, "--version"]
    commands["nomatch"] = [newsidx, "--db", db, "search", NO_MATCH_TERM] + text_args
    commands_true = {"true": ["true"]}
    samples, outputs = time_commands(commands, a.queries)
    for name, out in outputs.items():
        if name == "nomatch" and out["status"] != 1:
            raise HarnessError(f"the no-match search exited {out['status']}, not 1")
        form = next((f for f in forms if f["name"] == name), None)
        if form and not out["stdout"].strip() and sets[form.get("base", name)]:
            if not form["window"]:
                raise HarnessError(f"newsidx printed nothing for {name}: {commands[name]}")
    q = result["queries"]
    q["newsidx"] = {name: summarize(s) for name, s in samples.items()}
    q["harness"] = {"true": summarize(time_commands(commands_true, a.queries)[0]["true"])}

    if have_rg:
        log(f"rg: {a.rg_runs} runs per form")
        rg_commands = {f["name"]: rg_argv(corpus, f) for f in forms if not f["window"]}
        rg_commands["nomatch"] = ["rg", "-l", "-i", "-F", "--", NO_MATCH_TERM, corpus]
        rg_samples, rg_outputs = time_commands(rg_commands, a.rg_runs)
        q["rg"] = {name: summarize(s) for name, s in rg_samples.items()}
        for name, out in rg_outputs.items():
            q["rg"][name]["files"] = len(out["stdout"].splitlines())

    if have_recoll:
        log(f"recollq: {a.queries} runs per form")
        recoll_commands = {f["name"]: ["recollq", "-c", confdir, "-n", "20", "-A", f["recoll"]]
                           for f in forms}
        try:
            rq_samples, rq_outputs = time_commands(recoll_commands, a.queries)
            q["recoll"] = {name: summarize(s) for name, s in rq_samples.items()}
            for name, out in rq_outputs.items():
                match = re.search(r"^(\d+) results", out["stdout"], re.M)
                q["recoll"][name]["results"] = int(match.group(1)) if match else None
        except HarnessError as error:
            notes.append(f"recollq failed, column left empty: {str(error).splitlines()[0]}")

    log("correctness checks")
    result["checks"] = check_counts(newsidx, db, forms, files, sets, all_sets[0], in_month,
                                    manifest, a.tolerance)
    if not a.reuse_ingest:
        result["sqlite"] = result["ingest"].get("floor", {}).get("inner", {}).get("sqlite")
        if not result["sqlite"]:
            # No floor run to report the library it was built with: the version of the
            # libsqlite3-dev newsidx was built against (pkg-config), or "?".
            try:
                version = subprocess.run(["pkg-config", "--modversion", "sqlite3"],
                                         capture_output=True, text=True, check=True).stdout.strip()
                result["sqlite"] = f"{version} (pkg-config; floor not run)"
            except (OSError, subprocess.CalledProcessError):
                result["sqlite"] = "?"
    result["host"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if have_rg:
        counts = ", ".join(f"{n} {v['files']}" for n, v in q["rg"].items())
        notes.append(f"rg -l -i -F files listed (substring, not whole-word): {counts}")
    if q.get("recoll"):
        counts = ", ".join(f"{n} {v['results']}" for n, v in q["recoll"].items())
        notes.append(f"recollq result counts (stemmed, English): {counts}")
    notes.append(f"query terms picked from {terms['sample_docs']} sampled files;"
                 f" rare-term candidates and their file counts: "
                 + ", ".join(f"{w} {c}" for w, c in rare_counts[:6])
                 + f"; expected answers from a {scan_seconds:.1f} s scan of every file")

    report = build_report(result)
    sys.stdout.write(report)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1, ensure_ascii=False, default=str)
            f.write("\n")
    bad = [c for c in result["checks"] if not c["ok"]]
    if bad:
        log("correctness check failed: " + "; ".join(
            f"{c['form']} expected {c['expected']}, newsidx {c['newsidx']}" for c in bad))
        return 1
    return 0


if __name__ == "__main__":
    try:
        status = main()
        RUNNER.close()
        sys.exit(status)
    except (HarnessError, OSError) as error:
        log(f"error: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
