"""Knowledge-base names taken from the training annotations (pipeline.lexicon_build.corpus_concepts)."""
from __future__ import annotations

from pathlib import Path

from pipeline.lexicon_build import corpus_concepts

STOP = {"CHEMICAL": frozenset(), "CONDITION": frozenset(), "GENE_OR_PROTEIN": frozenset()}


def _pubtator(path: Path, pmid: str, rows: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{pmid}|t|Title", f"{pmid}|a|Abstract"]
    lines += [f"{pmid}\t0\t{len(text)}\t{text}\t{kind}\t{ids}" for text, kind, ids in rows]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")


def test_composite_mentions_name_no_concept_and_dev_abstracts_are_left_out(tmp_path):
    corpora = tmp_path / "corpora"
    _pubtator(corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", "100", [
        ("edema", "Disease", "D004487"),
        ("bone marrow oedema", "Disease", "D001855|D004487"),  # composite: two concepts in one mention
        ("myelosuppression", "Disease", "D001855"),
    ])
    _pubtator(corpora / "biored" / "Train.PubTator", "200", [("haloperidol", "ChemicalEntity", "D006220")])
    _pubtator(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", "200", [])  # BioRED's 200 is a dev abstract
    concepts = {c.concept_id: c for c in corpus_concepts(tmp_path, STOP)}
    assert concepts["MESH:D004487"].aliases == {"edema"}
    assert concepts["MESH:D001855"].aliases == {"myelosuppression"}
    assert "MESH:D006220" not in concepts
