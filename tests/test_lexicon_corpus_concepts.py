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


def test_names_written_only_in_capitals_are_marked_and_phrase_rows_carry_the_mark(tmp_path):
    import spacy

    from pipeline.lexicon_build import phrase_rows

    corpora = tmp_path / "corpora"
    _pubtator(corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", "100", [
        ("ARMS", "Disease", "D000071056"),  # anorectal malformations: never the everyday "arms"
        ("ARMs", "Disease", "D000071056"),  # an acronym's plural is still written in capitals
        ("AIDS", "Disease", "D000163"),
        ("aids", "Disease", "D000163"),  # written in lower case too: a plain name
        ("haloperidol", "Chemical", "D006220"),
    ])
    concepts = corpus_concepts(tmp_path, STOP)
    by_id = {c.concept_id: c for c in concepts}
    assert by_id["MESH:D000071056"].capital_aliases == {"arms"}
    assert by_id["MESH:D000163"].capital_aliases == set()
    assert by_id["MESH:D006220"].capital_aliases == set()
    rows = {r["phrase"]: r for r in phrase_rows(concepts, spacy.blank("en"))}
    assert rows["arm"].get("capitals") is True  # normalised: "arms" -> "arm"
    assert "capitals" not in rows["aid"] and "capitals" not in rows["haloperidol"]
