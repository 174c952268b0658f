"""PubMed ids that no training set may contain.

Two kinds: the ids ``OVERLAPS.md`` lists (abstracts shared with a held-back test split), and the ids of the dev
splits the project reports figures on. The corpora re-use abstracts across each other: BioRED's training split holds
44 BC5CDR dev abstracts, ADE 5, BC5CDR train 10 BioRED dev abstracts. Training on them would make the dev figures of
the other corpus read better than they are, so every training set (NER, relation model, knowledge base, the relation
evaluation's MeSH dictionary) leaves all of them out.
"""
from __future__ import annotations

import re
from pathlib import Path

# The dev splits figures are reported on (pipeline.evaluate, pipeline.relation_eval).
DEV_PUBTATOR = (
    "bc5cdr/CDR_DevelopmentSet.PubTator.txt",
    "ncbi_disease/NCBIdevelopset_corpus.txt",
    "biored/Dev.PubTator",
)
DEV_CHEMPROT = "chemprot/chemprot_development/chemprot_development_abstracts.tsv"


def listed_pmids(corpora: Path) -> set[str]:
    """Every PMID listed in ``OVERLAPS.md`` (none when the file is absent)."""
    path = Path(corpora) / "OVERLAPS.md"
    if not path.exists():
        return set()
    return {pmid for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
            for pmid in re.findall(r"\b\d{6,9}\b", line)}


def dev_pmids(corpora: Path) -> set[str]:
    """PMIDs of the dev splits (PubTator title lines; ChemProt's abstracts file), those present."""
    corpora = Path(corpora)
    pmids: set[str] = set()
    for name in DEV_PUBTATOR:
        path = corpora / name
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                pmids.update(line.split("|", 1)[0] for line in handle if "|t|" in line[:40])
    path = corpora / DEV_CHEMPROT
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            pmids.update(line.split("\t", 1)[0] for line in handle if line[:1].isdigit())
    return pmids


def excluded_pmids(corpora: Path) -> set[str]:
    """What every training set leaves out: ``listed_pmids`` and ``dev_pmids``."""
    return listed_pmids(corpora) | dev_pmids(corpora)
