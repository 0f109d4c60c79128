#!/usr/bin/env bash
# The benchmark harness on a 2,000-article corpus, so that bench/run_bench.py keeps working.
#
#     tests/bench_smoke.sh [NEWSIDX_BINARY]        (default: build/newsidx)
#
# Generates the corpus with ../shared/bench/make_corpus.py (exit 77, "skipped", when that
# generator or its source corpora are absent), runs ingest, re-ingest, the FTS5 floor loader,
# rg when installed, and a few runs of each query form; recoll only with
# NEWSIDX_BENCH_RECOLL=1 (its indexer alone takes longer than the rest). Fails when the harness
# fails or when newsidx's match counts disagree with the harness's own scan of the files and
# the manifest dates. Performance targets are printed, never enforced: CI machines are noisy.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
newsidx=${1:-$here/build/newsidx}
generator=$here/../shared/bench/make_corpus.py

if [[ ! -f $generator || ! -d $here/../shared/corpora ]]; then
  echo "bench_smoke: skipped: no corpus generator at $generator" >&2
  exit 77
fi
if ! command -v python3 >/dev/null || ! command -v g++ >/dev/null; then
  echo "bench_smoke: skipped: needs python3 and g++" >&2
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/newsidx-bench-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$here/bench/run_bench.py" --generate 2000 --seed 1 --work "$work" \
  --newsidx "$newsidx" --queries 3 --rg-runs 1 --tolerance 0.02 --floor-hashsize 0 \
  $([[ ${NEWSIDX_BENCH_RECOLL:-0} == 1 ]] || echo --skip-recoll) \
  --json "$work/result.json" ${NEWSIDX_BENCH_SMOKE_ARGS:-}

# The report must hold every row the lead's tables are made of.
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["corpus"]["docs"] == 2000, r["corpus"]
for key in ("newsidx", "newsidx_reingest", "floor"):
    assert r["ingest"][key]["docs_per_s"] > 0, key
forms = {f["name"] for f in r["forms"]} | {"version", "nomatch"}
assert forms <= set(r["queries"]["newsidx"]), forms
assert len(r["checks"]) == 9 and all(c["ok"] for c in r["checks"]), r["checks"]
print("bench_smoke: ok")
PY
