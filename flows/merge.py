"""Merging a run's new rows with the rows it keeps from the previous tables (incremental runs)."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from flows.plan import RunPlan
from flows.tables_io import combine, read_table, sort_table, typed
from pipeline.records import ArticleRow

TABLES = ("articles", "mentions", "claims")


def keep_processed_at(new: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Rows identical to the previous run's but for ``processed_at`` keep the earlier time (byte-stable tables)."""
    if not len(new) or not len(previous):
        return new
    columns = [c for c in new.columns if c != "processed_at"]
    earlier = new[columns].merge(previous, on=columns, how="left")["processed_at"]
    result = new.copy()
    result["processed_at"] = earlier.where(earlier.notna(), new["processed_at"]).astype("string").to_numpy()
    return result


def merge_tables(out_dir: Path, parts: dict[str, list[str]], failed: list[ArticleRow], plan: RunPlan) -> dict[str, pd.DataFrame]:
    """New rows (analysed batches and failures) + kept rows of unchanged articles + removed articles marked."""
    keep, removed = set(plan.unchanged), set(plan.removed)
    new = {table: combine([Path(p) for p in parts.get(table, [])], table) for table in TABLES}
    failed_frame = typed(pd.DataFrame([asdict(r) for r in failed], columns=list(ArticleRow.__dataclass_fields__)), "articles")
    new_articles = pd.concat([f for f in (new["articles"], failed_frame) if len(f)] or [new["articles"]], ignore_index=True)
    previous = read_table(out_dir, "articles")
    new_articles = keep_processed_at(new_articles, previous)
    kept = previous[previous["article_id"].isin(keep)]
    gone = previous[previous["article_id"].isin(removed)].assign(in_corpus=False)
    frames = {"articles": _concat([new_articles, kept, gone], "articles")}
    for table in ("mentions", "claims"):
        old = read_table(out_dir, table) if keep else None
        frames[table] = _concat([new[table]] + ([old[old["article_id"].isin(keep)]] if old is not None else []), table)
    return frames


def _concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [typed(f, table) for f in frames]
    non_empty = [f for f in frames if len(f)]
    return sort_table(pd.concat(non_empty, ignore_index=True) if non_empty else frames[0], table)
