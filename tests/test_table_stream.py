"""The streaming table merge and writer: sorted output from chunked inputs, same bytes however the rows arrive."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows import tables_io
from flows.merge import UnsortedTableError, merge_sorted, parquet_chunks
from flows.plan import plan_batches
from flows.tables_io import TableWriter, empty_table, sort_table, typed
from pipeline.ingest import ArticleRef
from pipeline.records import MentionRow


def mentions(ids_and_starts) -> pd.DataFrame:
    rows = [
        MentionRow(mention_id=f"{article_id}-{start}", article_id=article_id, sentence_index=0, start_char=start,
                   end_char=start + 3, text="abc", label="CHEMICAL", concept_id="", concept_name="", xrefs="",
                   source="model", negated=False, hedged=False)
        for article_id, start in ids_and_starts
    ]
    return typed(pd.DataFrame([asdict(r) for r in rows], columns=list(MentionRow.__dataclass_fields__)), "mentions")


def chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size].reset_index(drop=True) for i in range(0, len(frame), size)]


def test_merge_sorted_interleaves_streams_in_table_order():
    new = mentions([("a", 5), ("a", 9), ("c", 1), ("e", 2), ("e", 7), ("g", 0)])
    old = mentions([("b", 3), ("d", 4), ("d", 8), ("f", 1), ("h", 2)])
    merged = pd.concat(list(merge_sorted([chunks(new, 2), chunks(old, 3)], "mentions")), ignore_index=True)
    expected = sort_table(pd.concat([new, old], ignore_index=True), "mentions")
    pd.testing.assert_frame_equal(merged, expected)


def test_merge_sorted_refuses_an_unsorted_stream():
    unsorted = mentions([("b", 1), ("a", 2)])
    with pytest.raises(UnsortedTableError, match="--force"):
        list(merge_sorted([[unsorted]], "mentions"))


def test_writer_gives_the_same_bytes_for_any_chunking(tmp_path, monkeypatch):
    monkeypatch.setitem(tables_io.ROW_GROUP_ROWS, "mentions", 4)
    frame = mentions([(f"art{i:02d}", i) for i in range(11)])
    outputs = []
    for size in (1, 3, 11):
        folder = tmp_path / f"chunks-{size}"
        folder.mkdir()
        writer = TableWriter(folder, "mentions")
        for chunk in chunks(frame, size):
            writer.write(chunk)
        writer.close()
        assert writer.rows == 11
        outputs.append(((folder / "mentions.parquet").read_bytes(), (folder / "mentions.csv").read_bytes()))
        meta = pq.ParquetFile(folder / "mentions.parquet").metadata
        assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4, 4, 3]
    assert outputs[0] == outputs[1] == outputs[2]
    back = pd.read_parquet(tmp_path / "chunks-3" / "mentions.parquet")
    pd.testing.assert_frame_equal(typed(back, "mentions"), frame)


def test_writer_of_an_empty_table_writes_header_and_schema(tmp_path):
    writer = TableWriter(tmp_path, "claims")
    writer.close()
    assert (tmp_path / "claims.csv").read_text().strip().split(",") == list(empty_table("claims").columns)
    assert list(pd.read_parquet(tmp_path / "claims.parquet").columns) == list(empty_table("claims").columns)


def test_parquet_chunks_keep_only_the_asked_articles(tmp_path):
    frame = mentions([("a", 1), ("b", 2), ("c", 3)])
    frame.to_parquet(tmp_path / "m.parquet", index=False)
    kept = pd.concat(list(parquet_chunks(tmp_path / "m.parquet", "mentions", {"a", "c"}, rows=1)))
    assert list(kept["article_id"]) == ["a", "c"]
    assert list(parquet_chunks(tmp_path / "missing.parquet", "mentions")) == []


def test_batches_are_planned_in_article_id_order():
    refs = [ArticleRef(path=f"{name}.txt", article_id=name) for name in ["d", "a", "c", "b", "e"]]
    batches = plan_batches(refs, 2)
    assert [[r.article_id for r in refs] for _, refs in batches] == [["a", "b"], ["c", "d"], ["e"]]


def test_report_groups_consecutive_cards_by_article():
    from review.cards import ClaimCard, consecutive_groups

    def card(article_id, n):
        return ClaimCard(claim_id=f"{article_id}{n}", article_id=article_id, article_title=f"T {article_id}", relation="TREATS",
                         drug="x", effect="y", population="", mechanism="", certainty="asserted", frequency="", dose="",
                         confidence=0.5, review_status="unreviewed", evidence="", evidence_start=0, evidence_end=0, segments=())

    groups = list(consecutive_groups(iter([card("a", 1), card("a", 2), card("b", 1)])))
    assert [(key, heading, len(members)) for key, heading, members in groups] == [("a", "T a", 2), ("b", "T b", 1)]


def test_local_dask_workers_keep_the_default_allocator_tuning():
    import dask

    from flows.settings import keep_malloc_defaults_in_workers

    keep_malloc_defaults_in_workers()
    environ = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert environ.get("MALLOC_TRIM_THRESHOLD_") is None and str(environ.get("OMP_NUM_THREADS")) == "1"


def test_pipe_groups_bound_documents_and_characters():
    from flows.batch import pipe_groups
    from pipeline.ingest import Article

    def art(n, length):
        return Article(article_id=str(n), source="s", title="", url="", text="x" * length)

    articles = [art(0, 100), art(1, 100), art(2, 900), art(3, 5000), art(4, 10)]
    groups = pipe_groups(articles, max_docs=2, max_chars=1000)
    assert [[a.article_id for a in g] for g in groups] == [["0", "1"], ["2"], ["3"], ["4"]]
    assert sum(len(g) for g in groups) == len(articles)
