"""Incremental runs: unchanged articles are skipped (no model load), changed ones replaced, removed ones marked."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from flows import batch
from flows.extract import extract_claims
from flows.plan import plan_run, previous_index, rename_duplicate_ids
from pipeline.ingest import ArticleRef, ScannedArticle

TEXTS = {
    "a": "Ibuprofen can cause stomach ulcers in older adults.",
    "b": "Metformin treats type 2 diabetes. It may lower vitamin B12 levels.",
    "c": "Stopping paroxetine suddenly can cause dizziness and irritability.",
}
TABLE_FILES = [f"{t}.{ext}" for t in ("articles", "mentions", "claims") for ext in ("parquet", "csv")]


def write_corpus(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def table_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLE_FILES}


@pytest.fixture(scope="module")
def first_run(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("incr")
    corpus, out = write_corpus(root / "corpus", TEXTS), root / "out"
    summary = extract_claims(str(corpus), str(out), batch_size=2)
    return corpus, out, summary


def test_incremental_unchanged_run_skips_everything_without_loading_the_model(first_run, monkeypatch):
    corpus, out, first = first_run
    assert first["articles_analysed"] == 3
    before = table_bytes(out)

    def no_model():
        raise AssertionError("the NLP pipeline must not be loaded when nothing changed")

    monkeypatch.setattr(batch, "shared_pipeline", no_model)
    second = extract_claims(str(corpus), str(out), batch_size=2)
    assert second["articles_analysed"] == 0 and second["articles_unchanged"] == 3 and second["batches"] == 0
    assert table_bytes(out) == before  # byte-identical, processed_at included


def test_incremental_changed_replaced_and_removed_marked(first_run, tmp_path):
    corpus, out, _ = first_run
    before = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    changed = dict(TEXTS, b="Metformin treats type 2 diabetes. Metformin can cause nausea and diarrhoea.")
    del changed["c"]
    changed["d"] = "Warfarin interacts with aspirin and raises the risk of bleeding."
    write_corpus(corpus, changed)
    summary = extract_claims(str(corpus), str(out), batch_size=2)
    assert summary["articles_analysed"] == 2 and summary["articles_unchanged"] == 1
    assert summary["removed"] == ["c"]
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    mentions, claims = (pd.read_parquet(out / f"{t}.parquet") for t in ("mentions", "claims"))
    assert list(articles.index) == ["a", "b", "c", "d"]
    assert not articles.loc["c", "in_corpus"] and articles.loc[["a", "b", "d"], "in_corpus"].all()
    assert "c" not in set(mentions["article_id"]) | set(claims["article_id"])
    assert articles.loc["a", "processed_at"] == before.loc["a", "processed_at"]
    assert articles.loc["b", "text"] == changed["b"]
    assert articles.loc["b", "content_sha256"] != before.loc["b", "content_sha256"]
    for row in claims.itertuples():  # every kept or new claim indexes into its current text
        assert articles.loc[row.article_id, "text"][row.evidence_start : row.evidence_end] == row.evidence
    assert not mentions["mention_id"].duplicated().any() and not claims["claim_id"].duplicated().any()
    fresh = extract_claims(str(corpus), str(tmp_path / "fresh"), batch_size=2)
    assert fresh["claims"] == summary["claims"]
    fresh_claims = pd.read_parquet(tmp_path / "fresh" / "claims.parquet")
    pd.testing.assert_frame_equal(fresh_claims, claims)


def _scanned(article_id: str, sha: str = "h", error: str = "") -> ScannedArticle:
    return ScannedArticle(ArticleRef(f"/c/{article_id}.txt", article_id=article_id), article_id, f"/c/{article_id}", sha, error)


def test_incremental_plan_version_change_and_force_reanalyse(tmp_path):
    previous = pd.DataFrame({"article_id": ["a", "b"], "content_sha256": ["h", "h"], "pipeline_version": ["v1", "v1"],
                             "status": ["ok", "failed"], "in_corpus": [True, True]})
    scanned = [_scanned("a"), _scanned("b")]
    plan = plan_run(scanned, previous, "v1")
    assert plan.unchanged == ["a"] and [r.article_id for r in plan.to_analyse] == ["b"]  # failed ones are retried
    assert [r.article_id for r in plan_run(scanned, previous, "v2").to_analyse] == ["a", "b"]
    assert [r.article_id for r in plan_run(scanned, previous, "v1", force=True).to_analyse] == ["a", "b"]
    assert previous_index(tmp_path).empty


def test_incremental_plan_duplicate_ids_get_failed_rows():
    items = rename_duplicate_ids([_scanned("x", "h1"), _scanned("x", "h2"), _scanned("x", "h3"), _scanned("y", "h1")])
    assert [i.article_id for i in items] == ["x", "x#dup2", "x#dup3", "y"]
    assert items[1].error.startswith("duplicate article id 'x'") and not items[0].error
    plan = plan_run(items, previous_index(Path("/nonexistent")), "v")
    assert [f.article_id for f in plan.failed] == ["x#dup2", "x#dup3"]
    assert plan.duplicate_content == [["x", "y"]]
