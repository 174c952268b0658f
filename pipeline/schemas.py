"""pandera schemas of the output tables: checked before anything is written (columns, types, vocabularies)."""
from __future__ import annotations

import pandera.pandas as pa

from pipeline.records import ArticleRow, ClaimRow, MentionRow

RELATIONS = ["ADVERSE_EFFECT", "WITHDRAWAL_EFFECT", "TREATS", "PREVENTS", "MECHANISM", "INTERACTS_WITH"]
CERTAINTIES = ["asserted", "hedged", "negated"]
MENTION_LABELS = ["CHEMICAL", "CONDITION", "GENE_OR_PROTEIN", "POPULATION", "DOSE", "FREQUENCY"]
STATUSES = ["ok", "failed"]
REVIEW_STATUSES = ["unreviewed", "accepted", "rejected", "edited", "needs_rereview"]


def _str(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column("string", checks=list(checks), nullable=False, unique=unique)


def _int() -> pa.Column:
    return pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False)


def _bool() -> pa.Column:
    return pa.Column("bool", nullable=False)


ARTICLES = pa.DataFrameSchema(
    {
        "article_id": _str(unique=True), "source": _str(), "title": _str(), "url": _str(), "content_sha256": _str(),
        "n_chars": _int(), "n_sentences": _int(), "status": _str(pa.Check.isin(STATUSES)), "error": _str(),
        "processed_at": _str(), "pipeline_version": _str(), "text": _str(), "metadata": _str(),
        "in_corpus": _bool(),
    },
    strict=True, ordered=True, name="articles",
)
MENTIONS = pa.DataFrameSchema(
    {
        "mention_id": _str(unique=True), "article_id": _str(), "sentence_index": _int(), "start_char": _int(),
        "end_char": _int(), "text": _str(), "label": _str(pa.Check.isin(MENTION_LABELS)), "concept_id": _str(),
        "concept_name": _str(), "xrefs": _str(), "source": _str(), "negated": _bool(), "hedged": _bool(),
    },
    strict=True, ordered=True, name="mentions",
)
CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": _str(unique=True), "article_id": _str(), "relation": _str(pa.Check.isin(RELATIONS)),
        "drug": _str(pa.Check.str_length(min_value=1)), "drug_id": _str(), "effect": _str(pa.Check.str_length(min_value=1)),
        "effect_id": _str(), "effect_type": _str(), "population": _str(), "mechanism": _str(),
        "certainty": _str(pa.Check.isin(CERTAINTIES)), "frequency": _str(), "frequency_band": _str(), "dose": _str(),
        "evidence": _str(), "evidence_start": _int(), "evidence_end": _int(), "sentence_index": _int(),
        "confidence": pa.Column("float64", checks=[pa.Check.in_range(0.0, 1.0)], nullable=False),
        "extractor": _str(), "n_supporting_sentences": _int(), "highlights": _str(),
        "review_status": _str(pa.Check.isin(REVIEW_STATUSES)),
    },
    strict=True, ordered=True, name="claims",
)
TABLE_SCHEMAS = {"articles": ARTICLES, "mentions": MENTIONS, "claims": CLAIMS}
ROW_TYPES = {"articles": ArticleRow, "mentions": MentionRow, "claims": ClaimRow}

