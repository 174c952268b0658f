"""One function per table: an analysed Doc (or a failure) becomes typed rows with the contract's columns."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from spacy.tokens import Doc, Span

from pipeline.ingest import Article
from pipeline.records import ArticleRow, Claim, ClaimRow, MentionRow
from pipeline.slots import SLOT_LABELS


def _short_hash(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def claim_id(article_id: str, claim_key: str) -> str:
    """Stable across runs: the same article id and claim (relation, drug, effect) give the same id."""
    return _short_hash(article_id, claim_key)


def article_row(article: Article, doc: Doc | None, *, processed_at: str, pipeline_version: str, error: str = "") -> ArticleRow:
    return ArticleRow(
        article_id=article.article_id,
        source=article.source,
        title=article.title,
        url=article.url,
        content_sha256=article.content_sha256,
        n_chars=len(article.text),
        n_sentences=sum(1 for s in doc.sents if s.text.strip()) if doc is not None else 0,
        status="ok" if doc is not None and not error else "failed",
        error=error,
        processed_at=processed_at,
        pipeline_version=pipeline_version,
        text=article.text,
        metadata=json.dumps(article.metadata, ensure_ascii=False, sort_keys=True, default=str),
    )


def failed_article_row(article_id: str, source: str, error: str, *, processed_at: str, pipeline_version: str, text: str = "") -> ArticleRow:
    return ArticleRow(
        article_id=article_id, source=source, title="", url="",
        content_sha256=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest() if text else "",
        n_chars=len(text), n_sentences=0, status="failed", error=error, processed_at=processed_at,
        pipeline_version=pipeline_version, text=text, metadata="{}",
    )


def _mention_row(article_id: str, span: Span, sentence_index: int) -> MentionRow:
    return MentionRow(
        mention_id=_short_hash(article_id, span.start_char, span.end_char, span.label_),
        article_id=article_id,
        sentence_index=sentence_index,
        start_char=span.start_char,
        end_char=span.end_char,
        text=span.text,
        label=span.label_,
        concept_id=span._.concept_id,
        concept_name=span._.concept_name,
        xrefs=";".join(span._.xrefs),
        source=span._.source,
        negated=bool(span._.negated),
        hedged=bool(span._.hedged),
    )


def mention_rows(article_id: str, doc: Doc) -> list[MentionRow]:
    sentence_of = {}
    for index, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = index
    spans = list(doc.ents) + [s for label in SLOT_LABELS for s in doc.spans.get(label, [])]
    unique = {(s.start_char, s.end_char, s.label_): s for s in reversed(spans)}  # two rules may find one span
    rows = [_mention_row(article_id, s, sentence_of.get(s.start, 0)) for s in unique.values()]
    return sorted(rows, key=lambda r: (r.start_char, r.end_char, r.label))


def claim_rows(article_id: str, claims: tuple[Claim, ...]) -> list[ClaimRow]:
    rows = []
    for claim in claims:
        fields = asdict(claim)
        highlights = fields.pop("highlights")
        key = fields.pop("claim_key")
        rows.append(
            ClaimRow(
                claim_id=claim_id(article_id, key),
                article_id=article_id,
                highlights=json.dumps(highlights, ensure_ascii=False),
                review_status="unreviewed",
                **fields,
            )
        )
    return rows
