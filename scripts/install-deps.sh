#!/usr/bin/env bash
# Installs the Debian 12 packages newsidx needs to build and test, skipping those already
# present. Runs apt-get as root (or through sudo). Used by `make run` and `make test`.
set -euo pipefail

# python3 runs the benchmark smoke test (bench/run_bench.py); ripgrep is its no-index column.
packages=(
  cmake make g++ pkg-config ccache
  libsqlite3-dev libicu-dev libboost-program-options-dev nlohmann-json3-dev
  catch2 libxxhash-dev libstemmer-dev libzstd-dev
  python3 ripgrep
)
# Only for `make sanitize` / `make fuzz` (clang's sanitizer runtimes and libFuzzer).
if [[ "${NEWSIDX_WITH_CLANG:-0}" == 1 ]]; then
  packages+=(clang libclang-rt-14-dev)
fi
# Only for the full benchmark: recoll (recollindex, recollq) is its peer column.
if [[ "${NEWSIDX_WITH_BENCH:-0}" == 1 ]]; then
  packages+=(recollcmd)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "newsidx: installing missing packages: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
