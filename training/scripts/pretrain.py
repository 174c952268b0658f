"""Experiment: ``spacy pretrain`` of the NER's tok2vec on unannotated text, then the NER trained from those weights.

    python training/scripts/pretrain.py CORPORA ARTICLES OUT_DIR [--epochs N]

Raw text: the *training* splits of the NER corpora (OVERLAPS.md and every dev split's PMIDs removed, as for the
static-vectors experiment) and the shared consumer articles minus the claims_dev ones; never dev or test text.
Written one paragraph per line to OUT_DIR/raw_text.jsonl. The objective is spaCy's character objective
(``spacy.PretrainCharacters.v1``: predict the first and last 4 characters of each word from its context), which
needs no vectors. Weights are saved after each epoch as OUT_DIR/modelN.bin; train with OUT_DIR/pretrain.cfg (the NER
config plus the [pretraining] section: with an empty one, as in ner.cfg, spaCy ignores ``init_tok2vec`` without a
word) and ``--paths.init_tok2vec OUT_DIR/modelN.bin --paths.raw_text OUT_DIR/raw_text.jsonl`` (absolute paths).
One thread, like the NER training.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vectors import article_texts, corpus_texts  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "training" / "configs" / "ner.cfg"
PRETRAINING = """
[corpora.pretrain]
@readers = "spacy.JsonlCorpus.v1"
path = ${paths.raw_text}
min_length = 5
max_length = 500
limit = 0

[pretraining]
max_epochs = %(epochs)d
dropout = 0.2
n_save_every = null
n_save_epoch = null
component = "tok2vec"
layer = ""
corpus = "corpora.pretrain"

[pretraining.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 3000
discard_oversize = false
tolerance = 0.2
get_length = null

[pretraining.objective]
@architectures = "spacy.PretrainCharacters.v1"
maxout_pieces = 3
hidden_size = 300
n_characters = 4

[pretraining.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001
"""


def paragraphs(texts: list[str]) -> list[str]:
    """Non-empty lines of the texts (abstracts are one line; articles one line per paragraph)."""
    return [line.strip() for text in texts for line in text.splitlines() if len(line.split()) >= 5]


def write_config(out: Path, epochs: int) -> Path:
    base = CONFIG.read_text(encoding="utf-8").replace("\n[pretraining]\n", "\n")
    base = base.replace("[paths]\n", "[paths]\nraw_text = null\n", 1)
    config = out / "pretrain.cfg"
    config.write_text(base + PRETRAINING % {"epochs": epochs}, encoding="utf-8")
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--epochs", type=int, default=6)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    texts = corpus_texts(args.corpora) + article_texts(args.articles, args.corpora.parent / "claims_dev")
    lines = paragraphs(texts)
    raw = args.out / "raw_text.jsonl"
    with raw.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps({"text": line}) + "\n")
    words = sum(len(line.split()) for line in lines)
    print(f"{len(lines):,} paragraphs, {words:,} words -> {raw}", flush=True)
    config = write_config(args.out, args.epochs)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "spacy", "pretrain", str(config), str(args.out),
                    "--code", str(REPO / "pipeline" / "tokenizer.py"), "--paths.raw_text", str(raw)],
                   check=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    (args.out / "pretrain_stats.json").write_text(json.dumps(
        {"paragraphs": len(lines), "words": words, "epochs": args.epochs, "seconds": round(seconds)}) + "\n")
    print(f"pretrained in {seconds / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
