#!/usr/bin/env python3
"""Check `newsidx timeline` and --since/--until counts on Reuters-21578 against its metadata.

    bench/reuters_timeline_check.py --corpus ../shared/corpora/reuters21578 \
        [--newsidx build/newsidx] [--work /tmp/newsidx-reuters] [--mode sidecar|front-matter]

Writes every article out under WORK/articles with its date from metadata.jsonl.gz as a
sidecar NAME.txt.json (or as a front-matter block), ingests it into a fresh archive, then
compares `timeline --by month` (whole archive) and a few --since/--until counts with
counts computed from the metadata alone. Prints a table and exits 1 on any mismatch.
Corpus text is written only under WORK (outside the repository).
"""
import argparse, collections, gzip, json, os, shutil, subprocess, sys, tarfile, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--newsidx', default='build/newsidx')
    ap.add_argument('--work', default='/tmp/newsidx-reuters')
    ap.add_argument('--mode', choices=['sidecar', 'front-matter'], default='sidecar')
    a = ap.parse_args()
    newsidx = os.path.abspath(a.newsidx)
    meta = {}
    seen = set()  # (text, date): identical files are one article in the archive
    with gzip.open(os.path.join(a.corpus, 'metadata.jsonl.gz'), 'rt', encoding='utf-8') as f:
        for line in f:
            row = json.loads(line)
            meta[row['file']] = row
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    with tarfile.open(os.path.join(a.corpus, 'articles.tar.gz')) as tar:
        for member in tar:
            if not member.isfile() or member.name not in meta:
                continue
            text = tar.extractfile(member).read().decode('utf-8')
            row = meta[member.name]
            row['unique'] = (text, row['date']) not in seen
            seen.add((text, row['date']))
            path = os.path.join(a.work, member.name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if a.mode == 'front-matter':
                text = f"Date: {row['date']}\nSource: Reuters\n\n" + text
            with open(path, 'w', encoding='utf-8') as out:
                out.write(text)
            if a.mode == 'sidecar':
                with open(path + '.json', 'w', encoding='utf-8') as out:
                    json.dump({'date': row['date'], 'source': 'Reuters'}, out)
    db = os.path.join(a.work, 'archive.db')
    started = time.time()
    ingest = subprocess.run([newsidx, '--db', db, 'ingest', os.path.join(a.work, 'articles'), '--quiet'],
                            capture_output=True, text=True)
    elapsed = time.time() - started
    print(f'ingest: exit {ingest.returncode}, {elapsed:.1f} s: {ingest.stderr.strip()}')

    # newsidx stores identical content once, so the expected counts are over distinct
    # (text, date) pairs; the files-per-month count is shown beside it.
    unique = [r for r in meta.values() if r.get('unique')]
    files_months = collections.Counter(r['date'][:7] for r in meta.values())
    expected_months = collections.Counter(r['date'][:7] for r in unique)
    timeline = subprocess.run([newsidx, '--db', db, 'timeline', '--by', 'month', '--format', 'jsonl'],
                              capture_output=True, text=True)
    got_months = {}
    for line in timeline.stdout.splitlines():
        row = json.loads(line)
        got_months[row['period']] = row['count']
    failures = 0
    print('\n| month | files | distinct articles (metadata) | newsidx timeline | ok |\n|---|---:|---:|---:|---|')
    for month in sorted(set(expected_months) | set(got_months)):
        e, g = expected_months.get(month, 0), got_months.get(month, 0)
        failures += e != g
        print(f'| {month} | {files_months.get(month, 0)} | {e} | {g} | {"yes" if e == g else "NO"} |')

    ranges = [('1987-03-01', '1987-03-31'), ('1987-04-15', '1987-06-10'), ('1987-02-26', '1987-02-26'),
              ('1987-10', '1987-10'), ('1987-08-01', None), (None, '1987-03-15')]
    print('\n| --since | --until | metadata | newsidx (timeline --since/--until, summed) | ok |\n|---|---|---:|---:|---|')
    for since, until in ranges:
        def inside(d):
            lo = since if since and len(since) == 10 else (since + '-01' if since else None)
            hi = until if until and len(until) == 10 else (until + '-31' if until else None)
            return (lo is None or d >= lo) and (hi is None or d <= hi)
        e = sum(1 for r in unique if inside(r['date']))
        cmd = [newsidx, '--db', db, 'timeline', '--by', 'year', '--format', 'jsonl']
        if since:
            cmd += ['--since', since]
        if until:
            cmd += ['--until', until]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        g = sum(json.loads(l)['count'] for l in out.splitlines() if l.strip())
        failures += e != g
        print(f'| {since or ""} | {until or ""} | {e} | {g} | {"yes" if e == g else "NO"} |')
    stats = json.loads(subprocess.run([newsidx, '--db', db, 'stats', '--format', 'json'],
                                      capture_output=True, text=True).stdout)
    print(f"\narchive: {stats['articles']} articles, {stats['undated']} undated, "
          f"{stats['first_date']} .. {stats['last_date']}; metadata: {len(meta)} files, "
          f"{len(unique)} distinct (text, date)")
    failures += stats['articles'] != len(unique)
    failures += stats['undated'] != 0
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
