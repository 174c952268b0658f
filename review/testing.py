"""A tiny output folder (articles, mentions, claims) for tests and demos of the review surface.

Two articles: an ordinary one and a hostile one whose title and text carry ``<script>`` and
``<img onerror>`` markup, so every surface can be checked to show it as text and run nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from review.csv_safe import write_csv

PWN_SCRIPT = "<script>window.__pwned=1</script>"
PWN_IMG = '<img src=x onerror="window.__pwned=1">'

_ARTICLES = {
    "plain": (
        "Aspirin and the stomach",
        "Aspirin and the stomach\n\nAspirin may cause stomach bleeding in older adults. "
        "Metformin treats type 2 diabetes in adults.",
    ),
    "hostile/page": (
        f"Ibuprofen {PWN_SCRIPT}",
        f"Ibuprofen {PWN_SCRIPT}\n\nIbuprofen commonly causes nausea {PWN_IMG} in 1 in 10 people.",
    ),
}


def _span(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def _claim(article_id: str, claim_id: str, sentence: str, **fields: object) -> dict[str, object]:
    text = _ARTICLES[article_id][1]
    start, end = _span(text, sentence, text.index("\n\n"))
    roles = fields.pop("roles")
    highlights = []
    for role, phrase in roles:
        s, e = _span(text, phrase, start)
        highlights.append({"start": s, "end": e, "role": role})
    row: dict[str, object] = {
        "claim_id": claim_id,
        "article_id": article_id,
        "relation": "ADVERSE_EFFECT",
        "drug": "",
        "drug_id": "",
        "effect": "",
        "effect_id": "",
        "effect_type": "CONDITION",
        "population": "",
        "mechanism": "",
        "certainty": "asserted",
        "frequency": "",
        "frequency_band": "",
        "dose": "",
        "evidence": text[start:end],
        "evidence_start": start,
        "evidence_end": end,
        "sentence_index": text[:start].count(". ") + 1,
        "confidence": 0.9,
        "extractor": "fixture",
        "n_supporting_sentences": 1,
        "highlights": json.dumps(highlights),
        "review_status": "unreviewed",
    }
    row.update(fields)
    return row


def fixture_articles() -> pd.DataFrame:
    rows = []
    for article_id, (title, text) in _ARTICLES.items():
        rows.append(
            {
                "article_id": article_id,
                "source": "fixture",
                "title": title,
                "url": f"https://example.org/{article_id}",
                "content_sha256": "0" * 64,
                "n_chars": len(text),
                "n_sentences": 3,
                "status": "ok",
                "error": "",
                "processed_at": "2026-01-01T00:00:00+00:00",
                "pipeline_version": "fixture",
                "text": text,
                "metadata": "{}",
            }
        )
    return pd.DataFrame(rows).astype({"n_chars": "int64", "n_sentences": "int64"})


def fixture_claims() -> pd.DataFrame:
    rows = [
        _claim(
            "plain",
            "c-aspirin-bleeding",
            "Aspirin may cause stomach bleeding in older adults.",
            drug="Aspirin",
            effect="stomach bleeding",
            population="older adults",
            certainty="hedged",
            confidence=0.82,
            roles=[
                ("drug", "Aspirin"),
                ("hedge", "may"),
                ("effect", "stomach bleeding"),
                ("population", "older adults"),
            ],
        ),
        _claim(
            "plain",
            "c-metformin-diabetes",
            "Metformin treats type 2 diabetes in adults.",
            relation="TREATS",
            drug="Metformin",
            effect="type 2 diabetes",
            population="adults",
            confidence=0.95,
            roles=[("drug", "Metformin"), ("effect", "type 2 diabetes"), ("population", "adults")],
        ),
        _claim(
            "hostile/page",
            "c-ibuprofen-nausea",
            f"Ibuprofen commonly causes nausea {PWN_IMG} in 1 in 10 people.",
            drug="Ibuprofen",
            effect=f"nausea {PWN_IMG}",
            frequency="1 in 10 people",
            frequency_band="very common",
            confidence=0.55,
            roles=[
                ("drug", "Ibuprofen"),
                ("frequency", "commonly"),
                ("effect", "nausea"),
                ("frequency", "1 in 10 people"),
            ],
        ),
    ]
    frame = pd.DataFrame(rows)
    return frame.astype(
        {
            "evidence_start": "int64",
            "evidence_end": "int64",
            "sentence_index": "int64",
            "confidence": "float64",
            "n_supporting_sentences": "int64",
        }
    )


def write_output_folder(out_dir: Path, *, claims: pd.DataFrame | None = None) -> Path:
    """Write the fixture tables (Parquet and formula-safe CSV) into ``out_dir``; returns it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"articles": fixture_articles(), "claims": fixture_claims() if claims is None else claims}
    for name, frame in tables.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
        write_csv(frame, out_dir / f"{name}.csv")
    return out_dir
