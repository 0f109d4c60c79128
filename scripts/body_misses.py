#!/usr/bin/env python3
"""Where does the body miss trafilatura-eval's snippets? Classifies every body_must_contain
snippet the extracted body lacks, and every body_must_not_contain snippet it holds, by where
its paragraph stands against the story range newsidx chose (`extract --explain`: a
paragraph's "r" kind is inside the range, in_body is kept).

Missed must snippets:
  not in page     no paragraph holds it (text the dump lacks or joins differently)
  wrong block     the body holds none of the page's must snippets: another run was chosen
  before / after  the page's story was found, the snippet stands before / after the range
  inside range    inside the range, but its paragraph was left out (boilerplate, skipped)
  straddles edge  its paragraphs are partly inside the range
Kept must_not snippets: before / after / inside the span of the page's found must snippets.

    scripts/body_misses.py [--heldout /tmp/newsidx-body-check] [--list 20]

With --heldout (the --work directory of scripts/check_body_model.py), each page is extracted
with the model fitted on the other half of the rows, as check_body_model.py scores them.
"""
import argparse
import collections
import importlib.util
import json
import os
import subprocess

from eval_paths import add_arguments
ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
add_arguments(ap)
ap.add_argument('--heldout', help="check_body_model.py's --work directory")
ap.add_argument('--list', type=int, default=0, help='show this many snippets of each class')
a = ap.parse_args()

spec = importlib.util.spec_from_file_location('score_extract', a.scorer)
scorer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scorer)
norm = scorer.norm
base = os.path.join(a.corpora, 'trafilatura-eval')
gold = [json.loads(l) for l in open(os.path.join(base, 'gold.jsonl'), encoding='utf-8') if l.strip()]

rows = {}
for parity in (0, 1):
    env = dict(os.environ)
    if a.heldout:  # even rows by the model fitted on the odd ones and vice versa
        env['NEWSIDX_DATA_DIR'] = os.path.join(a.heldout, 'odd' if parity == 0 else 'even')
    files = [os.path.join(base, g['file']) for i, g in enumerate(gold) if i % 2 == parity]
    for i in range(0, len(files), 200):
        res = subprocess.run([a.newsidx, 'extract', '--explain', '--format', 'jsonl'] + files[i:i + 200],
                             capture_output=True, text=True, env=env)
        for line in res.stdout.splitlines():
            if line.strip():
                row = json.loads(line)
                rows[os.path.normpath(row['path'])] = row


def holding(paras, snippet):
    """Indexes of the paragraphs a snippet's text spans (paragraphs joined by a space)."""
    parts = [norm(p['text']) for p in paras]
    offsets, joined = [], ''
    for text in parts:
        offsets.append(len(joined))
        joined += text + ' '
    wanted, found, start = norm(snippet), set(), 0
    while wanted:
        i = joined.find(wanted, start)
        if i < 0:
            break
        j = i + len(wanted)
        found.update(k for k in range(len(paras)) if offsets[k] < j and offsets[k] + len(parts[k]) > i)
        start = i + 1
    return found


def place(h, lo, hi, names):
    """Where paragraphs h stand against [lo, hi]: names = (inside, before, after, straddling)."""
    if min(h) >= lo and max(h) <= hi:
        return names[0]
    if max(h) < lo:
        return names[1]
    if min(h) > hi:
        return names[2]
    return names[3]


def count(counter, pages, prefix, c, gi, g, h, lo, hi, s):
    counter[c] += 1
    pages[c].add(gi)
    examples[prefix + c].append((gi, g['file'], sorted(h), (lo, hi), s[:60]))


missed, kept = collections.Counter(), collections.Counter()
missed_pages, kept_pages = collections.defaultdict(set), collections.defaultdict(set)
examples = collections.defaultdict(list)
hits = total = clean = total_not = 0
for gi, g in enumerate(gold):
    row = rows.get(os.path.normpath(os.path.join(base, g['file'])))
    if row is None:
        continue
    paras, body = row['paragraphs'], norm(row['body'])
    inside = [k for k, p in enumerate(paras) if 'r' in p.get('kind', '')]
    lo, hi = (inside[0], inside[-1]) if inside else (-1, -2)
    musts = [(s, holding(paras, s), norm(s) in body) for s in g.get('body_must_contain') or []]
    found = [k for _, h, ok in musts if ok for k in h]
    for s, h, ok in musts:
        total += 1
        if ok:
            hits += 1
            continue
        if not h:
            c = 'not in page'
        elif not found:
            c = 'wrong block'
        else:
            c = place(h, lo, hi, ('inside range', 'before', 'after', 'straddles edge'))
        count(missed, missed_pages, 'missed, ', c, gi, g, h, lo, hi, s)
    for s in g.get('body_must_not_contain') or []:
        total_not += 1
        if norm(s) not in body:
            clean += 1
            continue
        h = holding(paras, s)
        if not h:
            c = 'no paragraph'
        elif not found:
            c = 'story not found'
        else:
            c = place(h, min(found), max(found), ('inside story', 'before story', 'after story', 'straddles'))
        count(kept, kept_pages, 'kept, ', c, gi, g, h, lo, hi, s)

print(f'must {hits}/{total} = {hits / total:.4f}   must_not {clean}/{total_not} = {clean / total_not:.4f}')
print('missed must snippets:')
for c, n in missed.most_common():
    print(f'  {c:16s} {n:4d} snippets on {len(missed_pages[c]):3d} pages')
print('kept must_not snippets:')
for c, n in kept.most_common():
    print(f'  {c:16s} {n:4d} snippets on {len(kept_pages[c]):3d} pages')
for c, rows_ in examples.items():
    if a.list:
        print(f'== {c} (row, file, paragraphs, range, snippet)')
        for e in rows_[:a.list]:
            print('  ', e)
