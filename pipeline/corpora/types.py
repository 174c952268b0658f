"""The corpus-independent data model the readers produce."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """A gold mention: character offsets into its document's text (end exclusive) and the corpus's type name.

    ``fragments`` holds the pieces of a discontinuous mention (brat ``start end;start end``); it is empty for
    an ordinary contiguous one, whose extent is ``start``..``end``.
    """

    start: int
    end: int
    label: str
    text: str
    fragments: tuple[tuple[int, int], ...] = ()

    @property
    def discontinuous(self) -> bool:
        return len(self.fragments) > 1


@dataclass(frozen=True)
class Document:
    """A text with gold mentions; ``doc_id`` is the PMID for PubMed corpora, the post/sentence id otherwise."""

    doc_id: str
    text: str
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
