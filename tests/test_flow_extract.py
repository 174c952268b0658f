"""The extraction flow end to end, under Prefect's test harness."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from flows.extract import extract_claims, format_summary

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus_run(prefect_harness, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = extract_claims(str(REPO / "corpus"), str(out), batch_size=5)
    return summary, out


def test_flow_extract_writes_every_table(corpus_run):
    summary, out = corpus_run
    for table in ("articles", "mentions", "claims"):
        assert (out / f"{table}.csv").exists() and (out / f"{table}.parquet").exists()
    assert (out / "review.html").exists()
    run = json.loads(Path(summary["run_json"]).read_text())
    assert run["articles"] == len(list((REPO / "corpus").rglob("*.*")))
    assert run["batches"] == 3 and run["timings"]["nlp_s"] > 0


def test_flow_extract_articles_ok_and_claims_present(corpus_run):
    _, out = corpus_run
    articles = pd.read_parquet(out / "articles.parquet")
    claims = pd.read_parquet(out / "claims.parquet")
    assert set(articles["status"]) == {"ok"}
    assert set(claims["article_id"]) <= set(articles["article_id"])
    assert {"ADVERSE_EFFECT", "TREATS", "WITHDRAWAL_EFFECT", "MECHANISM"} <= set(claims["relation"])
    assert {"asserted", "hedged", "negated"} <= set(claims["certainty"])
    for row in claims.itertuples():
        text = articles.set_index("article_id").loc[row.article_id, "text"]
        assert text[row.evidence_start : row.evidence_end] == row.evidence


def test_flow_extract_html_furniture_is_not_analysed(corpus_run):
    _, out = corpus_run
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    text = articles.loc["web/aspirin_heart_attack_prevention", "text"]
    assert "newsletter" not in text.lower() and "related articles" not in text.lower()


def test_flow_extract_second_run_gives_the_same_claims(corpus_run, tmp_path):
    _, out = corpus_run
    extract_claims(str(REPO / "corpus"), str(tmp_path), batch_size=50)
    first, second = (pd.read_parquet(p / "claims.parquet") for p in (out, tmp_path))
    pd.testing.assert_frame_equal(first, second)


def test_flow_extract_summary_lists_relations_and_paths(corpus_run):
    summary, _ = corpus_run
    text = format_summary(summary)
    assert "claims" in text and "TREATS" in text and "claims.csv" in text


def test_flow_extract_cli_bad_corpus_is_one_clear_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "flows.extract", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: corpus not found") and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_flow_extract_fakehealth_200_articles(prefect_harness, shared_dir, tmp_path):
    source = shared_dir / "articles" / "fakehealth" / "fakehealth.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()[:200]
    corpus = tmp_path / "fakehealth200.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    summary = extract_claims(str(corpus), str(tmp_path / "out"), batch_size=50)
    elapsed = time.perf_counter() - started
    print(f"\nfakehealth 200 articles: {elapsed:.1f} s, {summary['words']} words, {summary['claims']} claims")
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert len(articles) == 200
    assert set(articles["status"]) <= {"ok", "failed"}
    failed = articles[articles["status"] == "failed"]
    assert (failed["error"].str.len() > 0).all()
    assert summary["claims"] > 0
