"""Everything saved to disk reads back as written: Parquet exactly, CSV with formula cells neutralised."""
from dataclasses import asdict

import pandas as pd

from flows.tables_io import typed, write_run_record, write_table
from pipeline.ingest import Article
from pipeline.records import ArticleRow, ClaimRow, MentionRow
from pipeline.schemas import TABLE_SCHEMAS
from pipeline.tables import article_row, claim_rows, mention_rows


def test_tables_schema_columns_match_records():
    for table, row_type in {"articles": ArticleRow, "mentions": MentionRow, "claims": ClaimRow}.items():
        assert list(TABLE_SCHEMAS[table].columns) == list(row_type.__dataclass_fields__)


def test_tables_roundtrip_parquet_and_csv(tmp_path, rules_nlp):
    text = "=HYPERLINK(1)\n\nIbuprofen can cause stomach ulcers in older adults."
    article = Article("a1", "src", "", "", text)
    doc = rules_nlp(text)
    frames = {
        "articles": pd.DataFrame([asdict(article_row(article, doc, processed_at="t", pipeline_version="v"))]),
        "mentions": pd.DataFrame([asdict(r) for r in mention_rows("a1", doc)]),
        "claims": pd.DataFrame([asdict(r) for r in claim_rows("a1", doc._.claims)]),
    }
    for table, frame in frames.items():
        frame = typed(frame, table)
        paths = write_table(frame, tmp_path, table)
        back = pd.read_parquet(paths["parquet"])
        pd.testing.assert_frame_equal(back, frame)
        csv = pd.read_csv(paths["csv"], keep_default_na=False)
        assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)
    assert pd.read_csv(tmp_path / "articles.csv")["text"][0].startswith("'=HYPERLINK")
    assert pd.read_parquet(tmp_path / "articles.parquet")["text"][0].startswith("=HYPERLINK")
    claims = pd.read_parquet(tmp_path / "claims.parquet")
    assert claims.dtypes["evidence_start"] == "int64" and claims.dtypes["confidence"] == "float64"


def test_tables_run_record_roundtrip(tmp_path):
    import json

    path = write_run_record(tmp_path, "r1", {"articles": 3, "failures": []})
    assert json.loads(path.read_text()) == {"articles": 3, "failures": []}


def test_tables_claim_ids_are_stable(rules_nlp):
    text = "Ibuprofen can cause stomach ulcers."
    first = [r.claim_id for r in claim_rows("a", rules_nlp(text)._.claims)]
    second = [r.claim_id for r in claim_rows("a", rules_nlp(text)._.claims)]
    other = [r.claim_id for r in claim_rows("b", rules_nlp(text)._.claims)]
    assert first == second and first != other


def test_tables_mentions_found_twice_are_one_row(rules_nlp):
    doc = rules_nlp("Breast cancer survivors taking tamoxifen reported hot flashes.")
    rows = mention_rows("a", doc)
    assert len({r.mention_id for r in rows}) == len(rows)
