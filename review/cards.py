"""Claim cards: the view model the app and the static report both render.

Pure functions turn the output tables (claims, articles) and the ledger into typed cards. Highlights
are offsets into the article text; a card splits its evidence sentence into segments, each carrying the
roles that cover it, so templates only loop and never compute offsets.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from review.errors import OutputFolderError
from review.ledger import Decision, Ledger, apply_review_status
from review.vocab import HIGHLIGHT_ROLES, REVIEWABLE_FIELDS


@dataclass(frozen=True)
class Segment:
    """A piece of text and the highlight roles covering it (empty: plain text)."""

    text: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimCard:
    claim_id: str
    article_id: str
    article_title: str
    relation: str
    drug: str
    effect: str
    population: str
    mechanism: str
    certainty: str
    frequency: str
    dose: str
    confidence: float
    review_status: str
    evidence: str
    evidence_start: int
    evidence_end: int
    segments: tuple[Segment, ...]
    decision: Decision | None = None
    changed_fields: tuple[str, ...] = ()
    claim: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Tables:
    claims: pd.DataFrame
    articles: pd.DataFrame


def _text(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def _int(value: object, default: int = 0) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _float(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number


def parse_highlights(raw: object) -> list[tuple[int, int, str]]:
    """Parse the ``highlights`` JSON cell into (start, end, role); malformed entries are dropped."""
    text = _text(raw)
    if not text:
        return []
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        return []
    spans = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        start, end, role = item.get("start"), item.get("end"), item.get("role")
        if isinstance(start, int) and isinstance(end, int) and role in HIGHLIGHT_ROLES and start < end:
            spans.append((start, end, role))
    return spans


def segment_text(text: str, offset: int, spans: Iterable[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """Split ``text`` (which starts at ``offset`` in the article) at highlight boundaries.

    Spans are in article offsets; parts outside ``text`` are clipped; overlapping spans give
    segments with several roles.
    """
    length = len(text)
    local = []
    for start, end, role in spans:
        start, end = max(start - offset, 0), min(end - offset, length)
        if start < end:
            local.append((start, end, role))
    cuts = sorted({0, length, *(s for s, _, _ in local), *(e for _, e, _ in local)})
    segments = []
    for left, right in zip(cuts, cuts[1:]):
        roles = tuple(sorted({role for s, e, role in local if s <= left and right <= e}))
        segments.append(Segment(text[left:right], roles))
    return tuple(segments)


def article_titles(articles: pd.DataFrame) -> dict[str, str]:
    if "title" not in articles.columns:
        return {}
    return {_text(a): _text(t) for a, t in zip(articles["article_id"], articles["title"])}


def changed_fields(decision: Decision | None, claim: Mapping[str, object]) -> tuple[str, ...]:
    """Reviewable fields whose value differs from the snapshot the reviewer saw."""
    if decision is None:
        return ()
    return tuple(f for f in REVIEWABLE_FIELDS if _text(decision.claim.get(f)) != _text(claim.get(f)))


def build_card(claim: Mapping[str, object], *, title: str = "", decision: Decision | None = None) -> ClaimCard:
    evidence = _text(claim.get("evidence"))
    start = _int(claim.get("evidence_start"))
    return ClaimCard(
        claim_id=_text(claim.get("claim_id")),
        article_id=_text(claim.get("article_id")),
        article_title=title,
        relation=_text(claim.get("relation")),
        drug=_text(claim.get("drug")),
        effect=_text(claim.get("effect")),
        population=_text(claim.get("population")),
        mechanism=_text(claim.get("mechanism")),
        certainty=_text(claim.get("certainty")),
        frequency=_text(claim.get("frequency")),
        dose=_text(claim.get("dose")),
        confidence=_float(claim.get("confidence")),
        review_status=_text(claim.get("review_status")) or "unreviewed",
        evidence=evidence,
        evidence_start=start,
        evidence_end=_int(claim.get("evidence_end"), start + len(evidence)),
        segments=segment_text(evidence, start, parse_highlights(claim.get("highlights"))),
        decision=decision,
        changed_fields=changed_fields(decision, claim),
        claim=dict(claim),
    )


def cards_from_records(
    records: Iterable[Mapping[str, object]], titles: Mapping[str, str], decisions: Mapping[str, Decision]
) -> Iterator[ClaimCard]:
    for c in records:
        yield build_card(c, title=titles.get(_text(c.get("article_id")), ""), decision=decisions.get(_text(c.get("claim_id"))))


def build_cards(tables: Tables, decisions: Mapping[str, Decision] | None = None) -> list[ClaimCard]:
    return list(cards_from_records(tables.claims.to_dict("records"), article_titles(tables.articles), decisions or {}))


CHUNK_ROWS = 2_000  # claims turned into cards at a time


def claims_path(out_dir: Path) -> Path:
    path = Path(out_dir) / "claims.parquet"
    if not path.exists():
        raise OutputFolderError(f"{path} not found; run `python -m flows.extract CORPUS --out {out_dir}` first.")
    return path


def claim_chunks(out_dir: Path, rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The claims table in chunks of at most ``rows`` rows, review status filled from the ledger."""
    for batch in pq.ParquetFile(claims_path(out_dir)).iter_batches(batch_size=rows):
        yield apply_review_status(batch.to_pandas(), out_dir)


def stored_titles(out_dir: Path) -> tuple[int, dict[str, str]]:
    """The number of distinct articles and each article's title, reading only those two columns."""
    path = Path(out_dir) / "articles.parquet"
    if not path.exists():
        return 0, {}
    columns = [c for c in ("article_id", "title") if c in pq.read_schema(path).names]
    articles = pd.read_parquet(path, columns=columns)
    n = articles["article_id"].nunique() if "article_id" in articles.columns else 0
    return n, article_titles(articles) if len(columns) == 2 else {}


def iter_cards(out_dir: Path, titles: Mapping[str, str], rows: int = CHUNK_ROWS) -> Iterator[ClaimCard]:
    """Cards of the stored claims in table order, built one chunk at a time."""
    decisions = Ledger.for_folder(out_dir).latest()
    for chunk in claim_chunks(out_dir, rows):
        yield from cards_from_records(chunk.to_dict("records"), titles, decisions)


def consecutive_groups(cards: Iterable[ClaimCard]) -> Iterator[tuple[str, str, list[ClaimCard]]]:
    """Group runs of cards of one article (the claims table is in article order) without holding them all."""
    for key, members in groupby(cards, key=lambda c: c.article_id):
        members = list(members)
        yield key, members[0].article_title or key, members


def group_cards(cards: Iterable[ClaimCard], by: str) -> list[tuple[str, str, list[ClaimCard]]]:
    """Group cards by 'article' or 'drug': (key, heading, cards), keys in first-seen order."""
    groups: dict[str, tuple[str, list[ClaimCard]]] = {}
    for card in cards:
        if by == "drug":
            key, heading = card.drug.lower(), card.drug or "(no drug)"
        else:
            key, heading = card.article_id, card.article_title or card.article_id
        groups.setdefault(key, (heading, []))[1].append(card)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][0].lower()) if by == "drug" else groups.items()
    return [(key, heading, members) for key, (heading, members) in ordered]


SUMMARY_COLUMNS = ("relation", "drug", "review_status")  # the report's and the app's summary charts


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    fraction: float


def count_bars(values: Iterable[str], *, top: int = 12) -> list[Bar]:
    """Counts of the most common values, with their fraction of the largest count (for bar widths)."""
    return bars_from_counts(Counter(values), top=top)


def bars_from_counts(counts: Counter, *, top: int = 12) -> list[Bar]:
    common = [(label, n) for label, n in counts.most_common() if label][:top]
    largest = common[0][1] if common else 1
    return [Bar(label, n, n / largest) for label, n in common]


def stored_summary(out_dir: Path) -> tuple[int, dict[str, list[Bar]]]:
    """Number of claims and the summary bars, counted chunk by chunk over the stored claims."""
    counts = {column: Counter() for column in SUMMARY_COLUMNS}
    total = 0
    for chunk in claim_chunks(out_dir):
        total += len(chunk)
        for column, counter in counts.items():
            if column in chunk.columns:
                counter.update(_text(v) for v in chunk[column])
    return total, {column: bars_from_counts(counter) for column, counter in counts.items()}


def summary_bars(cards: list[ClaimCard]) -> dict[str, list[Bar]]:
    return {column: count_bars(getattr(c, column) for c in cards) for column in SUMMARY_COLUMNS}


def article_segments(text: str, card: ClaimCard | None) -> tuple[Segment, ...]:
    """The article text in segments: the evidence sentence as role 'evidence' plus the claim's highlights."""
    if card is None:
        return (Segment(text),)
    spans = [(card.evidence_start, card.evidence_end, "evidence")]
    spans += parse_highlights(card.claim.get("highlights"))
    return segment_text(text, 0, spans)
