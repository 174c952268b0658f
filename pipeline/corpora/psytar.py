"""PsyTAR workbook: review sentences (``Sentence_Labeling``) with entity strings (``*_Identified`` sheets).

PsyTAR gives mention strings, not offsets. :func:`align_sentences` locates each string in its sentence
(exact, then case-insensitive; the first occurrence not already used by a mention of the same type) and counts what aligned.
Drug names are not annotated in PsyTAR; ``drug_names`` adds every whole-word occurrence of the given names
as ``drug`` mentions (the four reviewed drugs and their generics are the obvious list).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpora.ade import find_all
from pipeline.corpora.types import Document, Mention
from pipeline.corpora.xlsx import read_sheet

ENTITY_SHEETS = {"ADR": "ADR_Identified", "WD": "WD_Identified", "SSI": "SSI_Identified", "DI": "DI_Identified"}


@dataclass(frozen=True)
class PsytarAlignment:
    """Mention strings per type, and how many were found in their sentence text."""

    mentions: Mapping[str, int]
    aligned: Mapping[str, int]


def _key(row: Mapping[str, str]) -> tuple[str, str]:
    return row.get("drug_id", "").strip().lower(), row.get("sentence_index", "").strip()


def align_sentences(
    sentences: Sequence[Mapping[str, str]],
    entity_rows: Mapping[str, Sequence[Mapping[str, str]]],
    drug_names: Iterable[str] = (),
) -> tuple[list[Document], PsytarAlignment]:
    """Documents (one per sentence row) with the aligned mention strings of every ``entity_rows[type]`` sheet."""
    strings: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for label, rows in entity_rows.items():
        for row in rows:
            for column, value in row.items():
                if column.startswith(label) and column[len(label) :].isdigit() and value.strip():
                    strings[_key(row)].append((label, value.strip()))
    drug_pattern = _names_pattern(drug_names)
    totals: dict[str, int] = defaultdict(int)
    aligned: dict[str, int] = defaultdict(int)
    documents = []
    for row in sentences:
        text = row.get("sentences", "")
        mentions: list[Mention] = []
        for label, string in strings.pop(_key(row), []):
            totals[label] += 1
            used = {m.start for m in mentions if m.label == label}
            start = next((s for s in find_all(text, string) if s not in used), None)
            if start is None:
                continue
            aligned[label] += 1
            mentions.append(Mention(start, start + len(string), label, text[start : start + len(string)]))
        if drug_pattern is not None:
            mentions.extend(Mention(m.start(), m.end(), "drug", m.group()) for m in drug_pattern.finditer(text))
        doc_id = f"{row.get('drug_id', '').strip()}#{row.get('sentence_index', '').strip()}"
        documents.append(Document(doc_id, text, _one_per_span(mentions)))
    for leftovers in strings.values():  # entity rows whose sentence is not in Sentence_Labeling
        for label, _ in leftovers:
            totals[label] += 1
    return documents, PsytarAlignment(dict(totals), dict(aligned))


def _one_per_span(mentions: Iterable[Mention]) -> tuple[Mention, ...]:
    """One mention per (start, end): PsyTAR lists the same string under several types (SSI and DI)."""
    by_span: dict[tuple[int, int], Mention] = {}
    for mention in mentions:
        by_span.setdefault((mention.start, mention.end), mention)
    return tuple(sorted(by_span.values(), key=lambda m: (m.start, m.end)))


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({name.strip() for name in names if name.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in ordered) + r")\b", re.IGNORECASE)


def read_psytar(path: Path | str, drug_names: Iterable[str] = ()) -> tuple[list[Document], PsytarAlignment]:
    sentences = read_sheet(path, "Sentence_Labeling")
    entity_rows = {label: read_sheet(path, sheet) for label, sheet in ENTITY_SHEETS.items()}
    return align_sentences(sentences, entity_rows, drug_names)
