"""Inference speed of the shipped pipeline with ``nlp.pipe`` on one process (a benchmark, not a test).

    python -m pipeline.benchmark [--n 300] [--corpus PATH.jsonl]

Prints words/s for the NER + linking part (claims machinery disabled) and for the full pipeline.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline import load
from pipeline.paths import shared_dir

CLAIM_STAGES = ("drugclaims_slots", "drugclaims_context", "drugclaims_claims")


def read_texts(path: Path, n: int) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record.get("text") or ""
            if text.strip():
                texts.append(f"{record['title']}\n\n{text}" if record.get("title") else text)
            if len(texts) >= n:
                break
    return texts


def words_per_second(nlp, texts: list[str], *, disable: tuple[str, ...] = ()) -> float:
    words = sum(len(t.split()) for t in texts)
    with nlp.select_pipes(disable=[p for p in disable if p in nlp.pipe_names]):
        list(nlp.pipe(texts[:5]))
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        return words / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=shared_dir() / "articles" / "fakehealth" / "fakehealth.jsonl")
    args = parser.parse_args(argv)
    texts = read_texts(args.corpus, args.n)
    nlp = load()
    words = sum(len(t.split()) for t in texts)
    ner_linking = words_per_second(nlp, texts, disable=CLAIM_STAGES)
    full = words_per_second(nlp, texts)
    print(f"{len(texts)} articles, {words} words, one process")
    print(f"NER + dictionary + abbreviations + linking: {ner_linking:,.0f} words/s")
    print(f"full pipeline (with slots, context, claims): {full:,.0f} words/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
