"""brat standoff annotations (CADEC ``original/*.ann`` next to ``text/*.txt``).

``T<k><TAB><TYPE> <start> <end>[;<start> <end>...]<TAB><text>``; other lines (``#`` notes, relations) are skipped.
Discontinuous mentions keep their fragments; their ``start``/``end`` span all fragments.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.corpora.types import Document, Mention


def parse_brat(doc_id: str, text: str, ann_lines: Iterable[str]) -> Document:
    mentions = []
    for line in ann_lines:
        if not line.startswith("T"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 3:
            continue
        label, _, offsets = fields[1].partition(" ")
        fragments = tuple(
            (int(start), int(end)) for start, end in (piece.split() for piece in offsets.split(";"))
        )
        mentions.append(
            Mention(fragments[0][0], fragments[-1][1], label, fields[2], fragments if len(fragments) > 1 else ())
        )
    mentions.sort(key=lambda m: (m.start, m.end))
    return Document(doc_id, text, tuple(mentions))


def read_brat(text_path: Path | str, ann_path: Path | str) -> Document:
    text = Path(text_path).read_text(encoding="utf-8")
    with open(ann_path, encoding="utf-8") as handle:
        return parse_brat(Path(text_path).stem, text, handle)


def read_cadec(folder: Path | str, split: str) -> list[Document]:
    """CADEC posts of ``split`` (``train`` or ``dev``, from ``split/<split>.id``), original annotation layer."""
    base = Path(folder)
    ids = [line.strip() for line in (base / "split" / f"{split}.id").read_text().splitlines() if line.strip()]
    return [
        read_brat(base / "cadec" / "text" / f"{doc_id}.txt", base / "cadec" / "original" / f"{doc_id}.ann")
        for doc_id in ids
    ]
