#!/usr/bin/env bash
# Re-encodes every .txt file of SRC_DIR into DST_DIR with iconv.
#
#   bench/multilingual/reencode.sh SRC_DIR DST_DIR ENCODING
#
# ENCODING is an iconv name (WINDOWS-1251, KOI8-R, GB18030, BIG5, UTF-16, ...). A file that
# ENCODING cannot represent (emoji in WINDOWS-1251) is left out and counted; the names of
# the files written are the same as in SRC_DIR, so stored texts can be compared by name.
set -euo pipefail
src=${1:?usage: reencode.sh SRC_DIR DST_DIR ENCODING}
dst=${2:?usage: reencode.sh SRC_DIR DST_DIR ENCODING}
encoding=${3:?usage: reencode.sh SRC_DIR DST_DIR ENCODING}
mkdir -p "$dst"
written=0
skipped=0
for file in "$src"/*.txt; do
  name=$(basename "$file")
  if iconv -f UTF-8 -t "$encoding" "$file" >"$dst/$name" 2>/dev/null; then
    written=$((written + 1))
  else
    rm -f "$dst/$name"
    skipped=$((skipped + 1))
  fi
done
echo "$encoding: $written files written to $dst, $skipped not representable"
