"""PubTator format (BC5CDR, NCBI disease, BioRED).

``PMID|t|title`` and ``PMID|a|abstract`` lines, then ``PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>ids...`` mention
lines (offsets into ``title + " " + abstract``), then relation lines, documents separated by blank lines.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.corpora.types import Document, Mention


def parse_pubtator(lines: Iterable[str]) -> Iterator[Document]:
    """Documents from PubTator lines; relation lines (whose second field is not an offset) are skipped."""
    pmid, title, abstract, mentions = None, "", "", []
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            if pmid is not None:
                yield Document(pmid, f"{title} {abstract}", tuple(mentions))
            pmid, title, abstract, mentions = None, "", "", []
            continue
        if "|t|" in line[:40] and "\t" not in line.split("|t|", 1)[0]:
            pmid, title = line.split("|t|", 1)
            continue
        if "|a|" in line[:40] and "\t" not in line.split("|a|", 1)[0]:
            pmid, abstract = line.split("|a|", 1)
            continue
        fields = line.split("\t")
        if len(fields) >= 5 and fields[1].isdigit() and fields[2].isdigit():
            mentions.append(Mention(int(fields[1]), int(fields[2]), fields[4], fields[3]))
    if pmid is not None:
        yield Document(pmid, f"{title} {abstract}", tuple(mentions))


def read_pubtator(path: Path | str) -> list[Document]:
    with open(path, encoding="utf-8") as handle:
        return list(parse_pubtator(handle))
