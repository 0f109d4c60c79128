#!/usr/bin/env bash
# Ingest time with the "newsidx" ICU tokenizer against FTS5's unicode61 on the same files.
#
#   bench/multilingual/compare_ingest.sh TXT_DIR [RUNS]
#
# TXT_DIR holds the corpus as .txt files (see export_corpus.py). The unicode61 build is a
# copy of this source tree whose schema says tokenize = 'unicode61
# remove_diacritics 2' (everything else identical); both are built once, in Release mode,
# from one snapshot of this tree under /tmp (REBUILD=1 takes a new snapshot). Each build ingests TXT_DIR into
# a fresh archive RUNS times (default 3), alternating, one core, and the best wall time
# of each is reported with the archive sizes.
set -euo pipefail
txt_dir=${1:?usage: compare_ingest.sh TXT_DIR [RUNS]}
runs=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
base=${BASELINE_DIR:-/tmp/newsidx-compare}

# Both binaries come from one snapshot of this tree, so that only the tokenizer differs.
if [[ ! -x $base/build-unicode61/newsidx || ! -x $base/build-newsidx/newsidx || ${REBUILD:-0} == 1 ]]; then
  rm -rf "$base" && mkdir -p "$base/src-newsidx" "$base/src-unicode61"
  tar -C "$here" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$base/src-newsidx" -xf -
  tar -C "$base/src-newsidx" -cf - . | tar -C "$base/src-unicode61" -xf -
  sed -i "s/tokenize = 'newsidx'/tokenize = 'unicode61 remove_diacritics 2'/" \
    "$base/src-unicode61/src/schema.cpp"
  grep -q "unicode61 remove_diacritics 2" "$base/src-unicode61/src/schema.cpp"
  for variant in newsidx unicode61; do
    cmake -S "$base/src-$variant" -B "$base/build-$variant" -DCMAKE_BUILD_TYPE=Release \
      -DNEWSIDX_BUILD_TESTS=OFF >/dev/null
    cmake --build "$base/build-$variant" -j2 --target newsidx >/dev/null 2>&1
  done
fi
newsidx=$base/build-newsidx/newsidx

work=$(mktemp -d /tmp/newsidx-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT
best_base=999999
best_icu=999999
time_ingest() {  # binary db -> seconds
  rm -f "$2" "$2"-wal "$2"-shm "$2".lock
  local start end
  start=$(date +%s.%N)
  taskset -c 0 "$1" --db "$2" ingest "$txt_dir" >/dev/null 2>&1 || [[ $? == 3 ]]
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for ((i = 1; i <= runs; i++)); do
  t=$(time_ingest "$base/build-unicode61/newsidx" "$work/unicode61.db")
  best_base=$(echo "if ($t < $best_base) $t else $best_base" | bc)
  t=$(time_ingest "$newsidx" "$work/newsidx.db")
  best_icu=$(echo "if ($t < $best_icu) $t else $best_icu" | bc)
done
files=$(find "$txt_dir" -name '*.txt' | wc -l)
mb=$(du -sm "$txt_dir" | cut -f1)
size() { sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; stat -c %s "$1"; }
printf 'corpus: %s (%s files, %s MB)\n' "$txt_dir" "$files" "$mb"
printf 'unicode61: best of %d  %6.2f s  archive %d bytes\n' "$runs" "$best_base" "$(size "$work/unicode61.db")"
printf 'newsidx:   best of %d  %6.2f s  archive %d bytes\n' "$runs" "$best_icu" "$(size "$work/newsidx.db")"
printf 'overhead:  %+.1f %%\n' "$(echo "($best_icu / $best_base - 1) * 100" | bc -l)"
