"""Merging a run's new rows with the rows it keeps from the previous tables (incremental runs), as streams.

The articles table (one small row per article) is merged in memory. Mentions and claims are never held whole:
the new rows come from the staged batch parts (batches are planned in article-id order and each part is sorted),
the kept rows from the previous table (written sorted), and :func:`merge_sorted` interleaves the two streams
chunk by chunk, so memory depends on the chunk size, not on the corpus.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from itertools import chain
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from flows.plan import RunPlan
from flows.tables_io import combine, conform, read_table, sort_table, typed
from pipeline.records import ArticleRow

TABLES = ("articles", "mentions", "claims")
CHUNK_ROWS = 20_000


class UnsortedTableError(RuntimeError):
    """A table stream is not in article-id order (the streaming merge relies on it)."""


def keep_processed_at(new: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Rows identical to the previous run's but for ``processed_at`` keep the earlier time (byte-stable tables)."""
    if not len(new) or not len(previous):
        return new
    columns = [c for c in new.columns if c != "processed_at"]
    earlier = new[columns].merge(previous, on=columns, how="left")["processed_at"]
    result = new.copy()
    result["processed_at"] = earlier.where(earlier.notna(), new["processed_at"]).astype("string").to_numpy()
    return result


def merge_articles(out_dir: Path, parts: list[str], failed: list[ArticleRow], plan: RunPlan) -> pd.DataFrame:
    """New rows (analysed batches and failures) + kept rows of unchanged articles + removed articles marked."""
    keep, removed = set(plan.unchanged), set(plan.removed)
    new = combine([Path(p) for p in parts], "articles")
    failed_frame = typed(pd.DataFrame([asdict(r) for r in failed], columns=list(ArticleRow.__dataclass_fields__)), "articles")
    new_articles = pd.concat([f for f in (new, failed_frame) if len(f)] or [new], ignore_index=True)
    previous = read_table(out_dir, "articles")
    new_articles = keep_processed_at(new_articles, previous)
    kept = previous[previous["article_id"].isin(keep)]
    gone = previous[previous["article_id"].isin(removed)].assign(in_corpus=False)
    frames = [typed(f, "articles") for f in (new_articles, kept, gone)]
    non_empty = [f for f in frames if len(f)]
    return sort_table(pd.concat(non_empty, ignore_index=True) if non_empty else frames[0], "articles")


def parquet_chunks(path: Path, table: str, keep: set[str] | None = None, rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """A Parquet table in typed chunks of at most ``rows`` rows; only the articles in ``keep`` when given."""
    if not Path(path).exists():
        return
    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
        frame = conform(batch.to_pandas(), table)
        if keep is not None:
            frame = frame[frame["article_id"].isin(keep)]
        if len(frame):
            yield frame.reset_index(drop=True)


def merge_sorted(streams: Iterable[Iterable[pd.DataFrame]], table: str) -> Iterator[pd.DataFrame]:
    """Interleave streams of chunks, each sorted by the table's sort keys and with disjoint article ids.

    Each step emits every buffered row up to the smallest "last article id" of the buffered chunks: no later chunk
    of any stream can hold a smaller id, so the concatenation of the emitted chunks is sorted.
    """
    iterators = [_checked(iter(s), table, i) for i, s in enumerate(streams)]
    buffers = [next(it, None) for it in iterators]
    while any(b is not None for b in buffers):
        cutoff = min(b["article_id"].iloc[-1] for b in buffers if b is not None)
        emitted = []
        for i, buffer in enumerate(buffers):
            if buffer is None:
                continue
            upto = buffer["article_id"] <= cutoff
            emitted.append(buffer[upto])
            rest = buffer[~upto]
            buffers[i] = rest.reset_index(drop=True) if len(rest) else next(iterators[i], None)
        non_empty = [f for f in emitted if len(f)]
        if non_empty:
            yield sort_table(pd.concat(non_empty, ignore_index=True) if len(non_empty) > 1 else non_empty[0], table)


def _checked(chunks: Iterator[pd.DataFrame], table: str, index: int) -> Iterator[pd.DataFrame]:
    last = None
    for chunk in chunks:
        ids = chunk["article_id"]
        if not ids.is_monotonic_increasing or (last is not None and ids.iloc[0] < last):
            raise UnsortedTableError(
                f"{table} stream {index} is not in article-id order; the previous tables were not written by this "
                "version: run again with --force"
            )
        last = ids.iloc[-1]
        yield chunk


def merged_rows(out_dir: Path, parts: list[str], plan: RunPlan, table: str) -> Iterator[pd.DataFrame]:
    """Sorted chunks of ``table``: the new rows of the staged parts and the kept rows of unchanged articles."""
    new = chain.from_iterable(parquet_chunks(Path(p), table) for p in parts)
    keep = set(plan.unchanged)
    old = parquet_chunks(Path(out_dir) / f"{table}.parquet", table, keep) if keep else iter(())
    return merge_sorted([new, old], table)
