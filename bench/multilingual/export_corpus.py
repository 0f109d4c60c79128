#!/usr/bin/env python3
"""Writes the documents of a JSON Lines corpus out as one .txt file each, for ingest.

    export_corpus.py CORPUS OUTDIR [--limit N]

CORPUS is a corpus folder (or its .jsonl.gz file): ru-telegram-news-2024 (posts.jsonl.gz,
field "text") or zh-sogou-news-sample-2012 (docs.jsonl.gz, "title" + "content"). Empty
documents are skipped. Files are named by their position in the corpus (000123.txt) so
that the UTF-8 and re-encoded copies of one document share a name. Nothing is written
into the repository: OUTDIR should be under /tmp.
"""
import argparse
import gzip
import json
import pathlib
import sys


def corpus_file(path: pathlib.Path) -> pathlib.Path:
    if path.is_file():
        return path
    for name in ("posts.jsonl.gz", "docs.jsonl.gz"):
        if (path / name).exists():
            return path / name
    sys.exit(f"no posts.jsonl.gz or docs.jsonl.gz in {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=pathlib.Path)
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    written = 0
    with gzip.open(corpus_file(args.corpus), "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            doc = json.loads(line)
            if "content" in doc:
                title, body = doc.get("title", "").strip(), doc.get("content", "").strip()
                text = f"{title}\n\n{body}\n" if title else f"{body}\n"
            else:
                body = doc.get("text", "").strip()
                text = body + "\n"
            if not body:
                continue
            (args.outdir / f"{n:06d}.txt").write_text(text, encoding="utf-8")
            written += 1
            if args.limit and written >= args.limit:
                break
    print(f"{written} files in {args.outdir}")


if __name__ == "__main__":
    main()
