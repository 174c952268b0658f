"""Merging a run's new rows with the rows it keeps from the previous tables (incremental runs), as streams.

No table is held whole: the new rows come from the staged batch parts (batches are planned in article-id order and
each part is sorted), the kept rows from the previous table (written sorted), and :func:`merge_sorted` interleaves
the streams chunk by chunk, so memory depends on the chunk size, not on the corpus (the articles table carries every
article's text). Only a digest and a time per previous article are kept in memory, to keep ``processed_at`` of rows
that did not change.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from itertools import chain
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from flows.plan import RunPlan
from flows.tables_io import conform, sort_table, typed
from pipeline.records import ArticleRow

TABLES = ("articles", "mentions", "claims")
CHUNK_ROWS = {"articles": 500, "mentions": 20_000, "claims": 5_000}  # rows read at a time (articles carry text)


class UnsortedTableError(RuntimeError):
    """A table stream is not in article-id order (the streaming merge relies on it)."""


def _row_digests(frame: pd.DataFrame) -> pd.Series:
    """A digest of each row's values other than ``processed_at`` (to recognise a row that did not change)."""
    columns = [c for c in frame.columns if c != "processed_at"]
    return pd.util.hash_pandas_object(frame[columns], index=False)


def previous_processed_at(out_dir: Path) -> dict[str, tuple[int, str]]:
    """article id -> (row digest, processed_at) of the previous articles table, read chunk by chunk."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in parquet_chunks(Path(out_dir) / "articles.parquet", "articles"):
        for article_id, digest, at in zip(chunk["article_id"], _row_digests(chunk), chunk["processed_at"]):
            found[article_id] = (int(digest), at)
    return found


def keep_processed_at(new: pd.DataFrame, previous: dict[str, tuple[int, str]]) -> pd.DataFrame:
    """Rows identical to the previous run's but for ``processed_at`` keep the earlier time (byte-stable tables)."""
    if not len(new) or not previous:
        return new
    times = [
        previous[a][1] if a in previous and previous[a][0] == int(d) else at
        for a, d, at in zip(new["article_id"], _row_digests(new), new["processed_at"])
    ]
    result = new.copy()
    result["processed_at"] = pd.array(times, dtype="string")
    return result


def merged_articles(out_dir: Path, parts: list[str], failed: list[ArticleRow], plan: RunPlan) -> Iterator[pd.DataFrame]:
    """Sorted chunks of the articles table: analysed batches and failures (keeping the earlier ``processed_at`` of
    unchanged rows), kept rows of unchanged articles, removed articles marked ``in_corpus = False``."""
    keep, removed = set(plan.unchanged), set(plan.removed)
    previous = previous_processed_at(out_dir)
    new = (keep_processed_at(chunk, previous) for p in parts for chunk in parquet_chunks(Path(p), "articles"))
    failed_frame = typed(pd.DataFrame([asdict(r) for r in failed], columns=list(ArticleRow.__dataclass_fields__)), "articles")
    failed_chunks = [sort_table(keep_processed_at(failed_frame, previous), "articles")] if len(failed_frame) else []

    def old() -> Iterator[pd.DataFrame]:
        for chunk in parquet_chunks(Path(out_dir) / "articles.parquet", "articles", keep | removed):
            gone = chunk["article_id"].isin(removed)
            if gone.any():
                chunk = chunk.copy()
                chunk.loc[gone, "in_corpus"] = False
            yield chunk

    return merge_sorted([new, failed_chunks, old() if keep or removed else iter(())], "articles")


def parquet_chunks(path: Path, table: str, keep: set[str] | None = None, rows: int = 0) -> Iterator[pd.DataFrame]:
    """A Parquet table in typed chunks of at most ``rows`` rows (default: the table's chunk size); only the
    articles in ``keep`` when given."""
    if not Path(path).exists():
        return
    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows or CHUNK_ROWS[table]):
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
