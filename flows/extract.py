"""The extraction flow: ``python -m flows.extract CORPUS --out DIR``.

Scans the corpus (id and content hash of every article), plans an incremental run (new and changed articles are
analysed, unchanged ones keep their rows, removed ones are marked), runs one Prefect task per batch (the NLP
pipeline is loaded once per process or Dask worker), then commits the ``articles``, ``mentions`` and ``claims``
tables (CSV + Parquet) together, the review report and ``runs/<run_id>/run.json``. One run at a time per output
folder (a lock file). Runs with Prefect's embedded default: no server to start.
"""
from __future__ import annotations

import argparse
import logging
import platform
import shutil
import sys
import time
import traceback
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from flows.settings import configure_prefect_env, quiet_run_errors_on_console

configure_prefect_env()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows.batch import BatchResult, BatchSettings, PipelineLoadError, run_batch  # noqa: E402
from flows.faults import checkpoint  # noqa: E402
from flows.merge import TABLES, merged_articles, merged_rows  # noqa: E402
from flows.outdir import STAGING, OutputLockedError, output_lock, prepare  # noqa: E402
from flows.plan import RunPlan, plan_batches, plan_run, previous_index  # noqa: E402
from flows.tables_io import commit_streams, table_paths, write_run_record  # noqa: E402
from pipeline import pipeline_version  # noqa: E402
from pipeline.ingest import (  # noqa: E402
    DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_BYTES, ArticleRef, CorpusError, ScannedArticle, check_corpus, ignored_files,
    plan_corpus, scan_corpus,
)
from pipeline.tables import failed_article_row  # noqa: E402

DEFAULT_BATCH_SIZE = 50
PROGRESS_LOGGER = "flows.progress"  # records with extra done/total: the CLI draws its progress bar from them
progress_log = logging.getLogger(PROGRESS_LOGGER)


@task(name="scan-corpus", cache_policy=NO_CACHE)
def scan(corpus: str, settings: BatchSettings) -> tuple[list[ScannedArticle], list[str]]:
    """Every article's id and content hash (or failure reason); texts are read and dropped, not kept."""
    refs = plan_corpus(Path(corpus))
    scanned = list(scan_corpus(refs, max_chars=settings.max_chars, max_file_bytes=settings.max_file_bytes))
    return scanned, ignored_files(Path(corpus))


@task(name="analyse-batch", task_run_name="analyse-batch-{batch_id}", cache_policy=NO_CACHE)
def analyse_batch(batch_id: str, refs: list[ArticleRef], staging: str, settings: BatchSettings) -> BatchResult:
    return run_batch(batch_id, refs, Path(staging), settings)


@task(name="write-tables", cache_policy=NO_CACHE)
def write_tables(out: str, run_id: str, parts: dict[str, list[str]], plan: RunPlan, version: str, now: str) -> dict:
    """Merge new and kept rows, carry review decisions over, commit the tables, write the review report.

    Mentions and claims stream from the staged parts and the previous tables into the new files chunk by chunk.
    """
    from review.ledger import apply_review_status
    from review.report import write_report

    out_dir = Path(out)
    failed = [failed_article_row(s.article_id, s.source, s.error, processed_at=now, pipeline_version=version) for s in plan.failed]
    by_relation: Counter = Counter()
    articles_seen = {"in_corpus": 0, "failed_in_table": 0}

    def article_chunks():
        for chunk in merged_articles(out_dir, parts.get("articles", []), failed, plan):
            current = chunk[chunk["in_corpus"]]
            articles_seen["in_corpus"] += len(current)
            articles_seen["failed_in_table"] += int((current["status"] == "failed").sum())
            yield chunk

    def claims_chunks():
        for chunk in merged_rows(out_dir, parts.get("claims", []), plan, "claims"):
            by_relation.update(chunk["relation"])
            yield apply_review_status(chunk, out_dir)

    counts = commit_streams({
        "articles": article_chunks(),
        "mentions": merged_rows(out_dir, parts.get("mentions", []), plan, "mentions"),
        "claims": claims_chunks(),
    }, out_dir, run_id)
    paths = table_paths(out_dir, TABLES)
    paths["review"] = {"html": str(write_report(out_dir))}
    return {
        "paths": paths,
        "counts": counts,
        "in_corpus": articles_seen["in_corpus"],
        "failed_in_table": articles_seen["failed_in_table"],
        "claims_by_relation": dict(by_relation),
    }


def _versions(version: str) -> dict:
    import json

    import prefect
    import spacy

    from pipeline.loader import NER_MODEL_DIR

    meta_path = NER_MODEL_DIR / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    return {
        "python": platform.python_version(), "spacy": spacy.__version__, "prefect": prefect.__version__,
        "pipeline_version": version, "model": {"name": meta.get("name", ""), "version": meta.get("version", ""),
                                               "path": str(NER_MODEL_DIR)},
    }


@flow(name="extract-claims", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def extract_claims(
    corpus: str,
    out: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    pipe_batch_size: int = 32,
    force: bool = False,
    wait_lock: float = 0.0,
) -> dict:
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    out_dir = Path(out)
    logger = get_run_logger()
    settings = BatchSettings(max_chars=max_chars, max_file_bytes=max_file_bytes, pipe_batch_size=pipe_batch_size)
    with output_lock(out_dir, wait_s=wait_lock):
        recovered = prepare(out_dir)
        version = pipeline_version()
        scanned, ignored = scan(corpus, settings)
        plan = plan_run(scanned, previous_index(out_dir), version, force=force)
        checkpoint("planned")
        scanned_at = time.perf_counter()
        logger.info(f"{plan.n_articles} articles: {len(plan.to_analyse)} to analyse, {len(plan.unchanged)} unchanged, "
                    f"{len(plan.failed)} unreadable, {len(plan.removed)} removed")
        staging = out_dir / STAGING / run_id
        batches = plan_batches(plan.to_analyse, batch_size)
        futures = [analyse_batch.submit(batch_id, refs, str(staging), settings) for batch_id, refs in batches]
        results: list[BatchResult] = []
        total, done = len(plan.to_analyse), 0
        progress_log.info("start", extra={"done": 0, "total": total})
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            done += result.n_articles
            logger.info(f"batch {result.batch_id}: {result.n_articles} articles ({result.n_failed} failed), "
                        f"{result.n_claims} claims, nlp {result.timings.get('nlp', 0):.1f} s")
            progress_log.info("batch", extra={"done": done, "total": total})
        results.sort(key=lambda r: r.batch_id)
        analysed = time.perf_counter()
        parts = {t: [r.parts[t] for r in results if t in r.parts] for t in TABLES}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        written = write_tables(str(out_dir), run_id, parts, plan, version, now)
        shutil.rmtree(staging, ignore_errors=True)
        failures = [{"article_id": s.article_id, "error": s.error} for s in plan.failed]
        failures += [f for r in results for f in r.failures]
        summary = {
            "run_id": run_id,
            "corpus": str(corpus),
            "out": str(out_dir),
            "pipeline_version": version,
            "versions": _versions(version),
            "started_at": started_at,
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "settings": {"batch_size": batch_size, "max_chars": max_chars, "max_file_bytes": max_file_bytes,
                         "pipe_batch_size": pipe_batch_size, "force": force},
            "articles": written["counts"]["articles"],
            "articles_in_corpus": written["in_corpus"],
            "articles_analysed": sum(r.n_articles for r in results),
            "articles_unchanged": len(plan.unchanged),
            "articles_removed": len(plan.removed),
            "articles_failed": len(failures),
            "mentions": written["counts"]["mentions"],
            "claims": written["counts"]["claims"],
            "claims_by_relation": written["claims_by_relation"],
            "words": sum(r.n_words for r in results),
            "failures": sorted(failures, key=lambda f: f["article_id"]),
            "removed": plan.removed,
            "duplicate_content": plan.duplicate_content,
            "ignored_files": ignored,
            "recovered": recovered,
            "timings": {
                "total_s": round(time.perf_counter() - started, 3),
                "scan_s": round(scanned_at - started, 3),
                "analyse_s": round(analysed - scanned_at, 3),
                "write_s": round(time.perf_counter() - analysed, 3),
                "read_s": round(sum(r.timings.get("read", 0) for r in results), 3),
                "nlp_s": round(sum(r.timings.get("nlp", 0) for r in results), 3),
                "stage_s": round(sum(r.timings.get("stage", 0) for r in results), 3),
            },
            "duplicate_rows_dropped": {t: sum(r.duplicate_rows.get(t, 0) for r in results) for t in ("mentions", "claims")},
            "batches": len(results),
            "paths": written["paths"],
        }
        summary["run_json"] = str(write_run_record(out_dir, run_id, summary))
    return summary


def task_runner_for(processes: int = 1, dask_address: str = ""):
    """Threads in this process (1 process), a local Dask cluster (N processes), or an existing Dask cluster."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if processes > 1:
        from prefect_dask import DaskTaskRunner

        from flows.settings import local_cluster_kwargs

        return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=local_cluster_kwargs(processes))
    return ThreadPoolTaskRunner(max_workers=1)


def run_extract(corpus: str, out: str, *, processes: int = 1, dask_address: str = "", **params) -> dict:
    """The flow with the task runner that ``processes`` / ``dask_address`` ask for."""
    return extract_claims.with_options(task_runner=task_runner_for(processes, dask_address))(corpus, out, **params)


def format_summary(summary: dict) -> str:
    lines = [
        f"run {summary['run_id']}: {summary['articles']} articles ({summary['articles_failed']} failed, "
        f"{summary.get('articles_analysed', 0)} analysed, {summary.get('articles_unchanged', 0)} unchanged, "
        f"{summary.get('articles_removed', 0)} removed), "
        f"{summary['mentions']} mentions, {summary['claims']} claims in {summary['timings']['total_s']:.1f} s",
    ]
    for relation, n in sorted(summary["claims_by_relation"].items()):
        lines.append(f"  {relation:18s} {n}")
    for failure in summary["failures"][:20]:
        lines.append(f"  failed: {failure['article_id']}: {failure['error']}")
    if len(summary["failures"]) > 20:
        lines.append(f"  ... and {len(summary['failures']) - 20} more failures (see run.json)")
    for note in summary.get("recovered", []):
        lines.append(f"  recovered: {note}")
    paths = summary["paths"]
    lines.append(f"tables: {paths['claims']['csv']} (+ articles, mentions; .csv and .parquet)")
    lines.append(f"review: {paths['review']['html']}")
    lines.append(f"run record: {summary['run_json']}")
    return "\n".join(lines)


def _positive(name: str, minimum: int = 1):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum}, got {number}")
        return number

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m flows.extract", description="Extract drug claims from a corpus.")
    parser.add_argument("corpus", help="a folder of .txt/.md/.html files (recursive) or a .jsonl file")
    parser.add_argument("--out", default="outputs", help="output folder for the tables (default: outputs)")
    parser.add_argument("--batch-size", type=_positive("--batch-size"), default=DEFAULT_BATCH_SIZE,
                        help=f"articles per task (default {DEFAULT_BATCH_SIZE})")
    parser.add_argument("--pipe-batch-size", type=_positive("--pipe-batch-size"), default=32,
                        help="texts per nlp.pipe batch (default 32)")
    parser.add_argument("--processes", type=_positive("--processes"), default=1,
                        help="worker processes on this machine (default 1; >1 starts a local Dask cluster)")
    parser.add_argument("--dask-address", default="", help="run the batches on an existing Dask cluster (tcp://HOST:PORT)")
    parser.add_argument("--max-chars", type=_positive("--max-chars"), default=DEFAULT_MAX_CHARS,
                        help=f"longest article analysed, in characters (default {DEFAULT_MAX_CHARS}); longer ones fail")
    parser.add_argument("--max-file-bytes", type=_positive("--max-file-bytes"), default=DEFAULT_MAX_FILE_BYTES,
                        help=f"largest file or JSONL line read (default {DEFAULT_MAX_FILE_BYTES}); larger ones fail")
    parser.add_argument("--force", action="store_true", help="re-analyse every article, changed or not")
    parser.add_argument("--wait-lock", type=float, default=0.0,
                        help="seconds to wait for another run on the same --out (default 0: refuse at once)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from flows.progress import progress_bar

    if not args.debug:
        quiet_run_errors_on_console()
    try:
        check_corpus(Path(args.corpus))
        with progress_bar(PROGRESS_LOGGER, enabled=not args.no_progress):
            summary = run_extract(
                args.corpus, args.out, processes=args.processes, dask_address=args.dask_address,
                batch_size=args.batch_size, pipe_batch_size=args.pipe_batch_size, max_chars=args.max_chars,
                max_file_bytes=args.max_file_bytes, force=args.force, wait_lock=args.wait_lock,
            )
    except (CorpusError, OutputLockedError, PipelineLoadError) as e:
        if args.debug:
            traceback.print_exc()
        print(f"error: {e}", file=sys.stderr)
        return 3 if isinstance(e, OutputLockedError) else 2
    except Exception as e:  # noqa: BLE001 - the CLI boundary: one clear line, traceback with --debug
        if args.debug:
            traceback.print_exc()
        print(f"error: {type(e).__name__}: {e} (run again with --debug for the traceback)", file=sys.stderr)
        return 1
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
