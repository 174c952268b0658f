"""Inference speed of the shipped pipeline with ``nlp.pipe`` on one process (a benchmark, not a test).

    python -m pipeline.benchmark [--n 300] [--corpus PATH.jsonl] [--repeat 3] [--blas-threads 1]

Prints words/s for the NER + linking part (claims machinery disabled) and for the full pipeline. The BLAS library
(numpy's OpenBLAS, pipeline/blas.py) is held to ``--blas-threads`` threads (default 1: one process on one core).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits

from pipeline import load
from pipeline.blas import use_blis
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


def summary(figures: list[float]) -> str:
    """The median and the range of the passes."""
    ordered, median = sorted(figures), statistics.median(figures)
    if len(ordered) == 1:
        return f"{median:,.0f} words/s"
    return f"{median:,.0f} words/s (median of {len(ordered)} passes; {ordered[0]:,.0f}-{ordered[-1]:,.0f})"


def blas_choice() -> str:
    return "BLIS" if use_blis() else "numpy (OpenBLAS)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=shared_dir() / "articles" / "fakehealth" / "fakehealth.jsonl")
    parser.add_argument("--repeat", type=int, default=3, help="passes of each measurement; the median is printed")
    parser.add_argument("--blas-threads", type=int, default=1, help="threads the BLAS library may use (default 1)")
    args = parser.parse_args(argv)
    texts = read_texts(args.corpus, args.n)
    nlp = load()
    words = sum(len(t.split()) for t in texts)
    ner_linking, full = [], []
    with threadpool_limits(limits=args.blas_threads, user_api="blas"):
        for _ in range(args.repeat):  # alternated, so a slow spell of the machine touches both figures
            ner_linking.append(words_per_second(nlp, texts, disable=CLAIM_STAGES))
            full.append(words_per_second(nlp, texts))
        blas = ", ".join(sorted({f"{pool['internal_api']} {pool['num_threads']} thread(s)"
                                 for pool in threadpool_info() if pool["user_api"] == "blas"}))
    print(f"{len(texts)} articles, {words} words, one process; BLAS: {blas}; thinc: {blas_choice()}")
    print(f"NER + dictionary + abbreviations + linking: {summary(ner_linking)}")
    print(f"full pipeline (with slots, context, claims): {summary(full)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
