"""Incremental planning: which scanned articles to analyse, which rows to keep, which articles were removed.

Pure functions over small records (ids and hashes), testable without Prefect or the NLP pipeline.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pipeline.ingest import ArticleRef, ScannedArticle

PREVIOUS_COLUMNS = ["article_id", "content_sha256", "pipeline_version", "status", "in_corpus"]


@dataclass
class RunPlan:
    to_analyse: list[ArticleRef] = field(default_factory=list)  # refs with their article ids filled in
    unchanged: list[str] = field(default_factory=list)  # ids whose previous rows are kept as they are
    failed: list[ScannedArticle] = field(default_factory=list)  # unreadable entries and duplicate ids
    removed: list[str] = field(default_factory=list)  # ids in the previous tables, no longer in the corpus
    duplicate_content: list[list[str]] = field(default_factory=list)  # ids sharing one text (all analysed)

    @property
    def n_articles(self) -> int:
        return len(self.to_analyse) + len(self.unchanged) + len(self.failed)


def previous_index(out_dir: Path) -> pd.DataFrame:
    """The previous run's article ids, hashes, versions and statuses (empty when there is none)."""
    path = Path(out_dir) / "articles.parquet"
    if not path.exists():
        return pd.DataFrame(columns=PREVIOUS_COLUMNS)
    frame = pd.read_parquet(path)
    if "in_corpus" not in frame.columns:  # tables written before the column existed
        frame["in_corpus"] = True
    return frame[PREVIOUS_COLUMNS]


def rename_duplicate_ids(scanned: list[ScannedArticle]) -> list[ScannedArticle]:
    """The first article with an id keeps it; each later one becomes a failure ``<id>#dup<k>`` with a reason."""
    seen: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    result = []
    for item in scanned:
        counts[item.article_id] += 1
        if item.article_id not in seen:
            seen[item.article_id] = item.source
            result.append(item)
            continue
        k = counts[item.article_id]
        new_id = f"{item.article_id}#dup{k}"
        while new_id in seen:
            k += 1
            new_id = f"{item.article_id}#dup{k}"
        seen[new_id] = item.source
        reason = f"duplicate article id '{item.article_id}' (first at {seen[item.article_id]}); this copy was not analysed"
        result.append(replace(item, article_id=new_id, content_sha256="", error=reason))
    return result


def plan_run(scanned: list[ScannedArticle], previous: pd.DataFrame, version: str, *, force: bool = False) -> RunPlan:
    """Split the scanned corpus: analyse new/changed articles, keep unchanged ones, record failures and removals."""
    plan = RunPlan()
    kept = previous[(previous["status"] == "ok") & previous["in_corpus"].astype(bool)]
    known = {row.article_id: (row.content_sha256, row.pipeline_version) for row in kept.itertuples()}
    by_hash: dict[str, list[str]] = defaultdict(list)
    current = set()
    for item in rename_duplicate_ids(scanned):
        current.add(item.article_id)
        if item.error:
            plan.failed.append(item)
            continue
        by_hash[item.content_sha256].append(item.article_id)
        if not force and known.get(item.article_id) == (item.content_sha256, version):
            plan.unchanged.append(item.article_id)
        else:
            plan.to_analyse.append(replace(item.ref, article_id=item.article_id))
    plan.removed = sorted(set(previous["article_id"]) - current)
    plan.duplicate_content = [ids for ids in by_hash.values() if len(ids) > 1]
    return plan


def plan_batches(refs: list[ArticleRef], batch_size: int) -> list[tuple[str, list[ArticleRef]]]:
    """Batches in article-id order: batch k's ids all sort before batch k+1's (the table merge streams on it)."""
    refs = sorted(refs, key=lambda r: r.article_id)
    return [(f"{i // batch_size:05d}", refs[i : i + batch_size]) for i in range(0, len(refs), batch_size)]
