#!/usr/bin/env python3
"""Recall of newsidx search against a case-insensitive substring search.

    recall.py NEWSIDX DB zh WORD...          # Chinese: each word against its substring
    recall.py NEWSIDX DB ru FORM,FORM,...    # Russian: each form against all forms' docs

For each query the documents `newsidx search` finds are compared with the documents whose
stored headline + body contain the word (zh) or any form of the family as a whole word
(ru), read from the archive DB with Python's sqlite3 (plain tables, no FTS needed).
Prints one table row per query: relevant documents, found, found ∩ relevant, recall and
extra (found but not relevant). No corpus text is written anywhere.
"""
import json
import re
import sqlite3
import subprocess
import sys


def stored(db):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT a.id, coalesce(a.title, a.title_derived, '') || char(10) || a.body FROM articles a")
    return {rid: text.casefold() for rid, text in rows}


def search(newsidx, db, query):
    out = subprocess.run([newsidx, "--db", db, "search", query, "--format", "jsonl",
                          "--limit", "1000000"], capture_output=True, text=True)
    return {json.loads(line)["id"] for line in out.stdout.splitlines() if line.strip()}


def main():
    newsidx, db, mode, *queries = sys.argv[1:]
    texts = stored(db)
    print(f"| query | relevant | found | found ∩ relevant | recall | extra |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
    total_rel = total_hit = 0
    for q in queries:
        if mode == "zh":
            forms = [q]
            relevant = {i for i, t in texts.items() if q.casefold() in t}
        else:
            forms = q.split(",")
            pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f.casefold()) for f in forms)
                                 + r")(?!\w)")
            relevant = {i for i, t in texts.items() if pattern.search(t.replace("ё", "е"))}
        for form in forms:
            found = search(newsidx, db, form)
            hit = len(found & relevant)
            total_rel += len(relevant)
            total_hit += hit
            recall = hit / len(relevant) if relevant else float("nan")
            label = form if mode == "zh" else f"{form} (family {forms[0]}…)"
            print(f"| {label} | {len(relevant)} | {len(found)} | {hit} | {recall:.3f} | "
                  f"{len(found - relevant)} |")
    print(f"\noverall recall: {total_hit}/{total_rel} = {total_hit / max(total_rel, 1):.3f}")


if __name__ == "__main__":
    main()
