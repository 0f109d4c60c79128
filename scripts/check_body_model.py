#!/usr/bin/env python3
"""Cross-check data/rules/body_model.json: does a model fitted on some pages help on others?

Fits the model on the even rows of trafilatura-eval and scrapinghub-aeb
(scripts/fit_body_model.py --rows even) and on the odd rows, extracts every page with the
model fitted on the other half, and scores the result with score_extract.py. Compare with
the scorer run on the shipped model (fitted on all rows) and on a build without it.

    scripts/check_body_model.py [--newsidx build/newsidx] [--work /tmp/newsidx-body-check]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

from eval_paths import add_arguments, here, root

ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
add_arguments(ap)
ap.add_argument('--work', default='/tmp/newsidx-body-check')
ap.add_argument('--fit-args', default='', help="more options for fit_body_model.py ('--gamma 0.9')")
a = ap.parse_args()

for half in ('even', 'odd'):
    data = os.path.join(a.work, half)
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(os.path.join(root, 'data'), data)
    subprocess.run([sys.executable, os.path.join(here, 'fit_body_model.py'), '--newsidx', a.newsidx,
                    '--corpora', a.corpora, '--scorer', a.scorer, '--rows', half,
                    '--out', os.path.join(data, 'rules', 'body_model.json')] + a.fit_args.split(),
                   check=True)

for corpus in ('trafilatura-eval', 'scrapinghub-aeb'):
    base = os.path.join(a.corpora, corpus)
    gold = [json.loads(l) for l in open(os.path.join(base, 'gold.jsonl'), encoding='utf-8') if l.strip()]
    pred = os.path.join(a.work, corpus + '.jsonl')
    with open(pred, 'w', encoding='utf-8') as out:
        for parity, model in ((0, 'odd'), (1, 'even')):  # each page by the model of the other half
            files = [os.path.join(base, g['file']) for i, g in enumerate(gold) if i % 2 == parity]
            env = dict(os.environ, NEWSIDX_DATA_DIR=os.path.join(a.work, model))
            for i in range(0, len(files), 200):
                res = subprocess.run([a.newsidx, 'extract', '--format', 'jsonl'] + files[i:i + 200],
                                     env=env, capture_output=True, text=True)
                out.write(res.stdout)
    print(f'== {corpus}, each page extracted with the model fitted on the other half', flush=True)
    subprocess.run([sys.executable, a.scorer, '--gold', os.path.join(base, 'gold.jsonl'), '--pred', pred],
                   check=True)
