"""Typed output rows, one dataclass per table, with the contract's column order (see ../shared/CONTRACT.md)."""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    source: str
    title: str
    url: str
    content_sha256: str
    n_chars: int
    n_sentences: int
    status: str  # ok | failed
    error: str
    processed_at: str
    pipeline_version: str
    text: str
    metadata: str  # JSON object of the input's other fields
    in_corpus: bool = True  # False: the article was removed from the corpus (its mentions and claims are dropped)


@dataclass(frozen=True)
class MentionRow:
    mention_id: str
    article_id: str
    sentence_index: int
    start_char: int
    end_char: int
    text: str
    label: str
    concept_id: str
    concept_name: str
    xrefs: str
    source: str
    negated: bool
    hedged: bool


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    role: str  # drug, effect, population, hedge, negation, frequency, dose, mechanism


@dataclass(frozen=True)
class Claim:
    """A claim as the pipeline extracts it from one article (before table formatting).

    ``claim_key`` identifies the claim within its article (relation, drug, effect); the table's ``claim_id`` is
    derived from it and the article id, so the same article text gives the same ids on every run.
    """

    claim_key: str
    relation: str
    drug: str
    drug_id: str
    effect: str
    effect_id: str
    effect_type: str
    population: str
    mechanism: str
    certainty: str
    frequency: str
    frequency_band: str
    dose: str
    evidence: str
    evidence_start: int
    evidence_end: int
    sentence_index: int
    confidence: float
    extractor: str
    n_supporting_sentences: int
    highlights: tuple[Highlight, ...]


@dataclass(frozen=True)
class ClaimRow:
    claim_id: str
    article_id: str
    relation: str
    drug: str
    drug_id: str
    effect: str
    effect_id: str
    effect_type: str
    population: str
    mechanism: str
    certainty: str
    frequency: str
    frequency_band: str
    dose: str
    evidence: str
    evidence_start: int
    evidence_end: int
    sentence_index: int
    confidence: float
    extractor: str
    n_supporting_sentences: int
    highlights: str  # JSON list of {start, end, role}
    review_status: str


def column_names(row_type: type) -> list[str]:
    return [f.name for f in fields(row_type)]
