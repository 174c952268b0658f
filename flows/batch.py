"""The work of one batch, runnable with or without Prefect: read articles, run the pipeline, stage rows."""
from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flows.faults import checkpoint
from flows.tables_io import sort_table
from pipeline import blas, load, pipeline_version
from pipeline.ingest import DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_BYTES, Article, ArticleError, ArticleRef, jsonl_ref_id, read_article
from pipeline.records import ArticleRow, ClaimRow, MentionRow
from pipeline.tables import article_row, claim_rows, failed_article_row, mention_rows

TABLES = ("articles", "mentions", "claims")
DEFAULT_PIPE_BATCH_SIZE = 32


class PipelineLoadError(RuntimeError):
    """The NLP pipeline cannot be loaded (model files or lexicon cache missing)."""


@dataclass(frozen=True)
class BatchSettings:
    max_chars: int = DEFAULT_MAX_CHARS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    pipe_batch_size: int = DEFAULT_PIPE_BATCH_SIZE


@dataclass
class BatchResult:
    batch_id: str
    n_articles: int = 0
    n_failed: int = 0
    n_claims: int = 0
    n_words: int = 0
    failures: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    duplicate_rows: dict[str, int] = field(default_factory=dict)  # repeated mention/claim ids dropped (same row key)


@lru_cache(maxsize=1)
def _libc():
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def release_freed_memory() -> None:
    """Collect a batch's garbage (Docs hold reference cycles) and give the freed memory back to the OS."""
    gc.collect()
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


_batches_run = [0]  # batches analysed by this process


@lru_cache(maxsize=1)
def _pipeline():
    blas.one_thread_per_process()  # one model per process, one core each (pipeline/blas.py)
    nlp = load()
    gc.freeze()  # the model lives as long as the process: keep it out of the per-batch collections (0.2 s -> 0)
    return nlp


def shared_pipeline():
    """The NLP pipeline, loaded once per process (worker) and reused by every batch it runs."""
    try:
        return _pipeline()
    except Exception as e:  # noqa: BLE001 - any load failure becomes one actionable message
        raise PipelineLoadError(
            f"cannot load the NLP pipeline ({type(e).__name__}: {e}); run `make lexicon` to build the lexicon and "
            "linker cache, and check that pipeline/models/ner is complete"
        ) from e


PIPE_CHARS = 150_000  # most characters given to one nlp.pipe call: the model pads a batch to its longest text


def pipe_groups(articles: list[Article], max_docs: int, max_chars: int = PIPE_CHARS) -> list[list[Article]]:
    """Consecutive groups of at most ``max_docs`` articles and (unless one article is longer) ``max_chars``
    characters, so the memory of one ``nlp.pipe`` batch is bounded whatever the articles' lengths."""
    groups: list[list[Article]] = []
    size = 0
    for article in articles:
        if groups and len(groups[-1]) < max_docs and size + len(article.text) <= max_chars:
            groups[-1].append(article)
            size += len(article.text)
        else:
            groups.append([article])
            size = len(article.text)
    return groups


def analyse(articles: list[Article], settings: BatchSettings) -> Iterator[tuple[Article, object, str]]:
    """(article, doc or None, error) for each article, one at a time (a Doc is dropped once its rows are built);
    one bad article never fails the others."""
    nlp = shared_pipeline()
    for group in pipe_groups(articles, settings.pipe_batch_size):
        try:
            docs = list(nlp.pipe([a.text for a in group], batch_size=len(group)))
        except Exception:  # noqa: BLE001 - isolate the failing article below, record its error
            for article in group:
                try:
                    doc = nlp(article.text)
                except Exception as e:  # noqa: BLE001
                    yield article, None, f"pipeline error: {type(e).__name__}: {e}"
                else:
                    yield article, doc, ""
            continue
        for article in group:
            yield article, docs.pop(0), ""  # popped: the group's list does not keep a Doc alive


def run_batch(batch_id: str, refs: list[ArticleRef], staging_dir: Path, settings: BatchSettings) -> BatchResult:
    result = BatchResult(batch_id)
    version = pipeline_version()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    started = time.perf_counter()
    articles: list[Article] = []
    article_rows: list[ArticleRow] = []
    for ref in refs:
        try:
            article = read_article(ref, max_chars=settings.max_chars, max_file_bytes=settings.max_file_bytes)
            if ref.article_id and article.article_id != ref.article_id:
                raise ArticleError("the corpus changed while the run was reading it (another id at this place); "
                                   "run again", article_id=ref.article_id)
            articles.append(article)
        except ArticleError as e:  # changed since the corpus was scanned
            article_id = e.article_id or ref.article_id or jsonl_ref_id(ref)
            article_rows.append(failed_article_row(article_id, ref.path, str(e), processed_at=now, pipeline_version=version))
    read_done = time.perf_counter()
    mention_out: list[MentionRow] = []
    claim_out: list[ClaimRow] = []
    # strings and lexemes the batch adds to the shared vocabulary are freed when the zone ends (the rows are plain
    # Python values), so a worker's memory does not grow with the number of distinct words it has seen. A zone
    # also stops the tokenizer caching words, so each process runs its first batch outside one to warm that cache.
    zone = articles and _batches_run[0] > 0
    _batches_run[0] += bool(articles)
    with shared_pipeline().memory_zone() if zone else nullcontext():
        for article, doc, error in analyse(articles, settings) if articles else []:
            article_rows.append(article_row(article, doc, processed_at=now, pipeline_version=version, error=error))
            if doc is None:
                continue
            mention_out.extend(mention_rows(article.article_id, doc))
            claim_out.extend(claim_rows(article.article_id, doc._.claims))
            result.n_words += len(article.text.split())
    nlp_done = time.perf_counter()
    frames = {
        "articles": pd.DataFrame([asdict(r) for r in article_rows], columns=list(ArticleRow.__dataclass_fields__)),
        "mentions": pd.DataFrame([asdict(r) for r in mention_out], columns=list(MentionRow.__dataclass_fields__)),
        "claims": pd.DataFrame([asdict(r) for r in claim_out], columns=list(ClaimRow.__dataclass_fields__)),
    }
    for table, key in (("mentions", "mention_id"), ("claims", "claim_id")):
        repeated = frames[table][key].duplicated()
        if repeated.any():  # the same span/claim key twice in one article: one row (ids must be unique)
            result.duplicate_rows[table] = int(repeated.sum())
            frames[table] = frames[table].loc[~repeated].reset_index(drop=True)
    staging_dir.mkdir(parents=True, exist_ok=True)
    for table, frame in frames.items():
        frame = sort_table(frame, table)
        part = staging_dir / f"{table}-{batch_id}.parquet"
        tmp = part.with_suffix(".tmp")
        frame.to_parquet(tmp, index=False)
        tmp.replace(part)
        result.parts[table] = str(part)
    result.n_claims = len(claim_out)
    del frames, mention_out, claim_out, articles
    release_freed_memory()
    checkpoint("batch-staged")
    result.n_articles = len(article_rows)
    result.failures = [{"article_id": r.article_id, "error": r.error} for r in article_rows if r.status == "failed"]
    result.n_failed = len(result.failures)
    result.timings = {"read": read_done - started, "nlp": nlp_done - read_done, "stage": time.perf_counter() - nlp_done}
    return result
