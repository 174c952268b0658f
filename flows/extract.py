"""The extraction flow: ``python -m flows.extract CORPUS --out DIR``.

Plans the corpus into batches, runs one Prefect task per batch (the NLP pipeline is loaded once per process),
then validates and writes the ``articles``, ``mentions`` and ``claims`` tables (CSV + Parquet), the review report
and ``runs/<run_id>/run.json``. Runs with Prefect's embedded default: no server to start.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from flows.settings import configure_prefect_env

configure_prefect_env()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows.batch import TABLES, BatchResult, BatchSettings, run_batch  # noqa: E402
from flows.tables_io import combine, write_run_record, write_table  # noqa: E402
from pipeline import pipeline_version  # noqa: E402
from pipeline.ingest import ArticleRef, CorpusError, check_corpus, plan_corpus  # noqa: E402

DEFAULT_BATCH_SIZE = 50


@task(name="analyse-batch", task_run_name="analyse-batch-{batch_id}", cache_policy=NO_CACHE)
def analyse_batch(batch_id: str, refs: list[ArticleRef], staging: str, settings: BatchSettings) -> BatchResult:
    return run_batch(batch_id, refs, Path(staging), settings)


@task(name="write-tables", cache_policy=NO_CACHE)
def write_tables(out: str, results: list[BatchResult]) -> dict:
    """Combine the staged batches into the tables, carry review decisions over, write the review report."""
    from review.ledger import apply_review_status
    from review.report import write_report

    out_dir = Path(out)
    frames = {table: combine([Path(r.parts[table]) for r in results if table in r.parts], table) for table in TABLES}
    frames, duplicates = drop_duplicate_ids(frames)
    frames["claims"] = apply_review_status(frames["claims"], out_dir)
    paths = {table: write_table(frame, out_dir, table) for table, frame in frames.items()}
    paths["review"] = {"html": str(write_report(out_dir))}
    return {"paths": paths, "duplicates": duplicates, "counts": {t: len(f) for t, f in frames.items()},
            "claims_by_relation": dict(Counter(frames["claims"]["relation"]))}


def drop_duplicate_ids(frames: dict) -> tuple[dict, list[str]]:
    """The first article with an id wins; later ones are reported (their rows would collide)."""
    articles = frames["articles"]
    dup_mask = articles.duplicated("article_id", keep="first")
    duplicates = sorted(set(articles.loc[dup_mask, "article_id"]))
    if duplicates:
        frames["articles"] = articles.loc[~dup_mask].reset_index(drop=True)
        for table in ("mentions", "claims"):
            key = "mention_id" if table == "mentions" else "claim_id"
            frames[table] = frames[table].drop_duplicates(key, keep="first").reset_index(drop=True)
    return frames, duplicates


def plan_batches(refs: list[ArticleRef], batch_size: int) -> list[tuple[str, list[ArticleRef]]]:
    return [(f"{i // batch_size:05d}", refs[i : i + batch_size]) for i in range(0, len(refs), batch_size)]


@flow(name="extract-claims", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def extract_claims(corpus: str, out: str, batch_size: int = DEFAULT_BATCH_SIZE, max_chars: int = 2_000_000) -> dict:
    started = time.perf_counter()
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / ".staging" / run_id
    refs = plan_corpus(Path(corpus))
    settings = BatchSettings(max_chars=max_chars)
    futures = [analyse_batch.submit(batch_id, batch, str(staging), settings) for batch_id, batch in plan_batches(refs, batch_size)]
    results = [f.result() for f in futures]
    analysed = time.perf_counter()
    written = write_tables(str(out_dir), results)
    for part in staging.glob("*"):
        part.unlink()
    staging.rmdir() if staging.exists() else None
    failures = [f for r in results for f in r.failures]
    failures += [{"article_id": d, "error": "duplicate article id: a later article with this id was skipped"} for d in written["duplicates"]]
    summary = {
        "run_id": run_id,
        "corpus": str(corpus),
        "out": str(out_dir),
        "pipeline_version": pipeline_version(),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "articles": written["counts"]["articles"],
        "articles_failed": len(failures),
        "mentions": written["counts"]["mentions"],
        "claims": written["counts"]["claims"],
        "claims_by_relation": written["claims_by_relation"],
        "words": sum(r.n_words for r in results),
        "failures": failures,
        "timings": {
            "total_s": round(time.perf_counter() - started, 3),
            "analyse_s": round(analysed - started, 3),
            "write_s": round(time.perf_counter() - analysed, 3),
            "read_s": round(sum(r.timings.get("read", 0) for r in results), 3),
            "nlp_s": round(sum(r.timings.get("nlp", 0) for r in results), 3),
        },
        "batches": len(results),
        "paths": written["paths"],
    }
    summary["run_json"] = str(write_run_record(out_dir, run_id, summary))
    return summary


def format_summary(summary: dict) -> str:
    lines = [
        f"run {summary['run_id']}: {summary['articles']} articles ({summary['articles_failed']} failed), "
        f"{summary['mentions']} mentions, {summary['claims']} claims in {summary['timings']['total_s']:.1f} s",
    ]
    for relation, n in sorted(summary["claims_by_relation"].items()):
        lines.append(f"  {relation:18s} {n}")
    for failure in summary["failures"][:20]:
        lines.append(f"  failed: {failure['article_id']}: {failure['error']}")
    if len(summary["failures"]) > 20:
        lines.append(f"  ... and {len(summary['failures']) - 20} more failures (see run.json)")
    paths = summary["paths"]
    lines.append(f"tables: {paths['claims']['csv']} (+ articles, mentions; .csv and .parquet)")
    lines.append(f"review: {paths['review']['html']}")
    lines.append(f"run record: {summary['run_json']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.extract", description="Extract drug claims from a corpus.")
    parser.add_argument("corpus", help="a folder of .txt/.md/.html files (recursive) or a .jsonl file")
    parser.add_argument("--out", default="outputs", help="output folder for the tables (default: outputs)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="articles per task")
    parser.add_argument("--max-chars", type=int, default=2_000_000, help="longest article analysed (characters)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    try:
        check_corpus(Path(args.corpus))
        summary = extract_claims(args.corpus, args.out, batch_size=args.batch_size, max_chars=args.max_chars)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - the CLI boundary: one clear line, traceback with --debug
        if args.debug:
            traceback.print_exc()
        print(f"error: {type(e).__name__}: {e} (run again with --debug for the traceback)", file=sys.stderr)
        return 1
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
