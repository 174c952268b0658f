"""ChemProt (BioCreative VI) TSV files.

``*_abstracts*.tsv``: ``PMID<TAB>title<TAB>abstract``; ``*_entities*.tsv``: ``PMID<TAB>T<n><TAB>type<TAB>start<TAB>end<TAB>text``
with offsets into ``title + "\\t" + abstract``. The tab is kept so that offsets index the text unchanged.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pipeline.corpora.types import Document, Mention


def parse_chemprot(abstract_lines: Iterable[str], entity_lines: Iterable[str]) -> list[Document]:
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for line in entity_lines:
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 6:
            continue
        mentions[fields[0]].append(Mention(int(fields[3]), int(fields[4]), fields[2], fields[5]))
    documents = []
    for line in abstract_lines:
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 3:
            continue
        pmid, title, abstract = fields[0], fields[1], "\t".join(fields[2:])
        ordered = sorted(mentions.get(pmid, []), key=lambda m: (m.start, m.end))
        documents.append(Document(pmid, f"{title}\t{abstract}", tuple(ordered)))
    return documents


def read_chemprot(folder: Path | str, split: str) -> list[Document]:
    """``split`` is ``training``, ``development`` or ``sample`` (the folder ``chemprot_<split>``)."""
    base = Path(folder) / f"chemprot_{split}"
    abstracts = base / f"chemprot_{split}_abstracts.tsv"
    entities = base / f"chemprot_{split}_entities.tsv"
    with open(abstracts, encoding="utf-8") as a_handle, open(entities, encoding="utf-8") as e_handle:
        return parse_chemprot(a_handle, e_handle)
