#!/usr/bin/env python3
"""Do re-encoded copies of a corpus ingest to the same stored text as the UTF-8 files?

    compare_encodings.py NEWSIDX UTF8_DIR COPY_DIR [COPY_DIR...]

Each directory is ingested into its own archive under /tmp; then, file by file (same
names, see reencode.sh), the stored title and body of each copy are compared with those of
the UTF-8 original, and the recorded encodings are counted.
"""
import collections
import os
import sqlite3
import subprocess
import sys
import tempfile


def ingest(newsidx, folder, db):
    subprocess.run([newsidx, "--db", db, "ingest", folder], capture_output=True)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT f.path, a.title, a.title_derived, a.body, a.encoding "
                       "FROM files f JOIN articles a ON a.id = f.article_id")
    return {os.path.basename(p): (t, td, b, e) for p, t, td, b, e in rows}


def main():
    newsidx, original, *copies = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="newsidx-enc-") as tmp:
        base = ingest(newsidx, original, os.path.join(tmp, "utf8.db"))
        print("| copy | files | same text | different | encodings recorded |")
        print("| --- | ---: | ---: | ---: | --- |")
        for n, folder in enumerate(copies):
            stored = ingest(newsidx, folder, os.path.join(tmp, f"copy{n}.db"))
            same = sum(1 for name, row in stored.items() if base.get(name, (None,) * 3)[:3] == row[:3])
            encodings = collections.Counter(row[3] for row in stored.values())
            shown = ", ".join(f"{e} {c}" for e, c in encodings.most_common(4))
            print(f"| {os.path.basename(folder.rstrip('/'))} | {len(stored)} | {same} | "
                  f"{len(stored) - same} | {shown} |")


if __name__ == "__main__":
    main()
