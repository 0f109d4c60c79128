#!/usr/bin/env python3
"""Fit data/rules/body_model.json, the learned part of newsidx's paragraph score.

The extractor scores every paragraph of a page by hand-set rules (kind and length), adds the
learned part, and keeps the best-scoring run of paragraphs as the story. The learned part is

    offset + sum_i feature_weight_i * feature_i + sum_{tokens t in words} weight_t / sqrt(n)

(n: how many of the paragraph's tokens the word table has). This script fits it as a logistic
regression of "story paragraph" on the rule score, the features and the tokens, over pages
with a known story:

  * trafilatura-eval: a paragraph holding a body_must_contain snippet is story, one holding a
    body_must_not_contain snippet is not; paragraphs between two story paragraphs (with no
    non-story one between) are story, those between two non-story ones outside the story are
    not;
  * scrapinghub-aeb: a paragraph of 4+ words whose text is in the gold body is story, one not
    in it is not.

At most 300 labelled paragraphs per page (a seeded sample), words seen in labelled paragraphs
of at least --min-pages pages, Adagrad for --epochs passes, L2 on the weights. The features
and tokens are those `newsidx extract --explain` reports, so the script and the extractor
cannot disagree on them. The output's weights are the fitted ones times --gamma (how much
the learned part may move the rule score). The output also carries the settings of the
story's range that were chosen with these weights, by the pages held out (see below):
--skip-below, --widen-before, --widen-after and --widen-max-share (data/rules/README.md says
what they do).

To check that the model carries to pages it has not seen, fit on one half of the pages and
score the other:

    scripts/fit_body_model.py --rows even --out /tmp/even/rules/body_model.json
    # copy the other rules/*.json files beside it, then
    NEWSIDX_DATA_DIR=/tmp/even ../shared/eval/score_extract.py ... (odd rows only)

scripts/check_body_model.py does exactly that for both halves.
"""
import argparse
import collections
import importlib.util
import json
import math
import os
import random
import re
import subprocess
import sys
import unicodedata

from eval_paths import add_arguments


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    add_arguments(ap)
    ap.add_argument('--rows', choices=['all', 'even', 'odd'], default='all',
                    help="fit on these rows of each gold file (default all)")
    ap.add_argument('--min-pages', type=int, default=8)
    ap.add_argument('--gamma', type=float, default=0.75)
    ap.add_argument('--offset', type=float, default=0.35)
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--l2', type=float, default=1e-4)
    ap.add_argument('--per-page', type=int, default=300)
    ap.add_argument('--skip-below', type=float, default=-1.0,
                    help='written as skip_below: a paragraph of the story scoring below it is left out')
    ap.add_argument('--widen-before', type=float, default=0.7,
                    help="written as widen_before: added to every score when the story's start is "
                         "chosen again")
    ap.add_argument('--widen-after', type=float, default=0.15,
                    help="written as widen_after: the same for the story's end")
    ap.add_argument('--widen-max-share', type=float, default=1.0,
                    help="written as widen_max_share: on each side, the wider choice may add at "
                         "most this share of the first run's text")
    ap.add_argument('--out', required=True)
    return ap.parse_args()


def load_scorer(path):
    spec = importlib.util.spec_from_file_location('score_extract', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def explain(newsidx, files):
    """Path -> list of paragraph traces, from `newsidx extract --explain --format jsonl`."""
    out = {}
    for i in range(0, len(files), 200):
        res = subprocess.run([newsidx, 'extract', '--explain', '--format', 'jsonl'] + files[i:i + 200],
                             capture_output=True, text=True)
        if res.returncode not in (0, 1):
            sys.exit('newsidx extract failed: ' + res.stderr[-2000:])
        for line in res.stdout.splitlines():
            if line.strip():
                row = json.loads(line)
                out[os.path.normpath(row['path'])] = row['paragraphs']
    return out


def words_of(text):
    return re.findall(r'\w+', unicodedata.normalize('NFKC', text).casefold())


def label_by_body(paras, gold_body):
    body = ' ' + ' '.join(words_of(gold_body)) + ' '
    labels = [None] * len(paras)
    for k, p in enumerate(paras):
        words = words_of(p['text'])
        if not words:
            continue
        inside = (' ' + ' '.join(words) + ' ') in body
        if inside and len(words) >= 4:
            labels[k] = 1
        elif not inside:
            labels[k] = 0
    return labels


def label_by_snippets(paras, gold, norm):
    parts = [norm(p['text']) for p in paras]
    offsets, joined = [], ''
    for text in parts:
        offsets.append(len(joined))
        joined += text + ' '

    def paragraphs_holding(snippet):
        found, wanted, start = set(), norm(snippet), 0
        if not wanted:
            return found
        while True:
            i = joined.find(wanted, start)
            if i < 0:
                return found
            j = i + len(wanted)
            found.update(k for k in range(len(paras)) if offsets[k] < j and offsets[k] + len(parts[k]) > i)
            start = i + 1

    story, other = set(), set()
    for snippet in gold.get('body_must_contain') or []:
        story |= paragraphs_holding(snippet)
    for snippet in gold.get('body_must_not_contain') or []:
        other |= paragraphs_holding(snippet)
    labels = [None] * len(paras)
    for k in story - other:
        labels[k] = 1
    for k in other - story:
        labels[k] = 0
    # Spans: between two story paragraphs with nothing known to be other between them, and
    # between two other paragraphs outside the story.
    pos = [k for k, y in enumerate(labels) if y == 1]
    neg = [k for k, y in enumerate(labels) if y == 0]
    result = labels[:]
    for a, b in zip(pos, pos[1:]):
        if not any(a < k < b for k in neg):
            for k in range(a + 1, b):
                result[k] = 1 if result[k] is None else result[k]
    low, high = (pos[0], pos[-1]) if pos else (len(labels), -1)
    for a, b in zip(neg, neg[1:]):
        if (b < low or a > high) and not any(a < k < b for k in pos):
            for k in range(a + 1, b):
                result[k] = 0 if result[k] is None else result[k]
    return result


def main():
    a = parse_args()
    norm = load_scorer(a.scorer).norm
    samples = []  # (tokens, rule score, features, label)
    pages_with = collections.defaultdict(set)
    feature_names = None
    for corpus in ('trafilatura-eval', 'scrapinghub-aeb'):
        base = os.path.join(a.corpora, corpus)
        gold = [json.loads(l) for l in open(os.path.join(base, 'gold.jsonl'), encoding='utf-8') if l.strip()]
        rows = [(i, g) for i, g in enumerate(gold)
                if a.rows == 'all' or i % 2 == (0 if a.rows == 'even' else 1)]
        traces = explain(a.newsidx, [os.path.join(base, g['file']) for _, g in rows])
        for i, g in rows:
            paras = traces.get(os.path.normpath(os.path.join(base, g['file'])))
            if paras is None:
                continue
            if g.get('body_text_file'):
                with open(os.path.join(base, g['body_text_file']), encoding='utf-8') as f:
                    labels = label_by_body(paras, f.read())
            else:
                labels = label_by_snippets(paras, g, norm)
            known = [k for k, y in enumerate(labels) if y is not None]
            if len(known) > a.per_page:
                known = random.Random(i).sample(known, a.per_page)
            for k in known:
                p = paras[k]
                if feature_names is None:
                    feature_names = list(p['features'])
                for t in set(p['tokens']):
                    pages_with[t].add((corpus, i))
                samples.append((p['tokens'], p['rule_score'], [p['features'][n] for n in feature_names],
                                labels[k]))
    if not samples:
        sys.exit('no labelled paragraphs: check --corpora and --newsidx')
    vocab = {t for t, pages in pages_with.items() if len(pages) >= a.min_pages}
    print(f'{len(samples)} labelled paragraphs, {len(vocab)} words', file=sys.stderr)

    weights = collections.defaultdict(float)
    squares = collections.defaultdict(float)
    dense = [0.0] * len(feature_names)
    dense_squares = [1e-6] * len(feature_names)
    bias, rule, bias_sq, rule_sq, rate = 0.0, 0.3, 1e-6, 1e-6, 0.1
    for epoch in range(a.epochs):
        random.Random(epoch).shuffle(samples)
        loss = 0.0
        for tokens, rule_score, features, label in samples:
            known = [t for t in tokens if t in vocab]
            scale = 1 / math.sqrt(max(1, len(known)))
            z = (bias + rule * rule_score + sum(weights[t] for t in known) * scale +
                 sum(d * x for d, x in zip(dense, features)))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            loss -= math.log((p if label else 1 - p) + 1e-12)
            g = p - label
            bias_sq += g * g
            bias -= rate * g / math.sqrt(bias_sq)
            rule_sq += (g * rule_score) ** 2
            rule -= rate * g * rule_score / math.sqrt(rule_sq)
            for i, x in enumerate(features):
                gd = g * x + 1e-3 * dense[i]
                dense_squares[i] += gd * gd
                dense[i] -= rate * gd / math.sqrt(dense_squares[i])
            for t in known:
                gw = g * scale + a.l2 * weights[t]
                squares[t] += gw * gw
                weights[t] -= rate * gw / math.sqrt(squares[t])
        print(f'epoch {epoch}: log loss {loss / len(samples):.4f}', file=sys.stderr)

    model = {
        'comment': "Learned part of a paragraph's story score (see data/rules/README.md). Fitted by "
                   "scripts/fit_body_model.py --rows " + a.rows + "; refit rather than edit by hand.",
        'offset': a.offset,
        'skip_below': a.skip_below,
        'widen_before': a.widen_before,
        'widen_after': a.widen_after,
        'widen_max_share': a.widen_max_share,
        'features': {n: round(a.gamma * dense[i], 2) for i, n in enumerate(feature_names)},
        'words': {t: round(a.gamma * weights[t], 2) for t in sorted(weights) if round(a.gamma * weights[t], 2) != 0},
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, 'w', encoding='utf-8') as f:
        f.write(json.dumps({k: v for k, v in model.items() if k != 'words'}, ensure_ascii=False)[:-1])
        f.write(',\n  "words": {\n')
        items = [json.dumps(t, ensure_ascii=False) + ': ' + json.dumps(w) for t, w in model['words'].items()]
        for i in range(0, len(items), 8):
            f.write('    ' + ', '.join(items[i:i + 8]) + (',' if i + 8 < len(items) else '') + '\n')
        f.write('  }\n}\n')
    print(f'wrote {a.out}: {len(model["words"])} words', file=sys.stderr)


if __name__ == '__main__':
    main()
