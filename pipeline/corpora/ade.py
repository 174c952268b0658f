"""ADE-Corpus-V2 ``DRUG-AE.rel``: ``PMID|sentence|effect|begin|end|drug|begin|end``.

The offsets are document-level and the documents are not distributed, so mentions are located in the sentence by
string match (every occurrence). Sentences are grouped by (PMID, sentence text); dose annotations are ignored.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpora.types import Document, Mention


@dataclass(frozen=True)
class AdeAlignment:
    """How many mention strings of the relation file were found in their sentence."""

    mentions: int
    aligned: int


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of ``needle`` in ``text``: exact matches first, then case-insensitive ones."""
    if not needle:
        return []
    exact = _occurrences(text, needle)
    return exact + [s for s in _occurrences(text.lower(), needle.lower()) if s not in exact]


def _occurrences(text: str, needle: str) -> list[int]:
    starts, index = [], text.find(needle)
    while index >= 0:
        starts.append(index)
        index = text.find(needle, index + 1)
    return starts


def parse_ade(lines: Iterable[str]) -> tuple[list[Document], AdeAlignment]:
    sentences: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for line in lines:
        fields = line.rstrip("\n").split("|")
        if len(fields) < 8:
            continue
        pmid, sentence, effect, drug = fields[0], fields[1], fields[2], fields[5]
        entry = sentences.setdefault((pmid, sentence), set())
        entry.add((effect, "effect"))
        entry.add((drug, "drug"))
    documents, total, aligned = [], 0, 0
    for index, ((pmid, sentence), strings) in enumerate(sentences.items()):
        mentions = set()
        for string, label in sorted(strings):
            total += 1
            starts = find_all(sentence, string)
            aligned += bool(starts)
            mentions.update(Mention(s, s + len(string), label, sentence[s : s + len(string)]) for s in starts)
        ordered = tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.label)))
        documents.append(Document(f"{pmid}#{index}", sentence, ordered))
    return documents, AdeAlignment(total, aligned)


def read_ade(path: Path | str) -> tuple[list[Document], AdeAlignment]:
    """Read ``original/DRUG-AE.rel``; ``doc_id`` is ``PMID#n``."""
    with open(path, encoding="utf-8") as handle:
        return parse_ade(handle)
