"""MeSH tables -> typed terms -> knowledge-base concepts (tiny fixture tables; the real ones are fetched by make)."""
from __future__ import annotations

import pytest

from pipeline.lexicon_build import Concept, attach_mesh
from pipeline.mesh_vocab import MeshTerm, MeshVocabularyError, fetch, label_for_trees, mesh_terms, read_terms

DESCRIPTORS = "\t".join(["D008687", "Metformin", "Dimethylbiguanidine|Metformin Hydrochloride|Hydrochloride, Metformin",
                         "D02.078.370.141.450|D02.241.223.100.450", "6031"]) + "\n" + \
    "\t".join(["D012640", "Seizures", "Seizure|Convulsions", "C10.597.742|C23.888.592.742", "1"]) + "\n" + \
    "\t".join(["D000003", "Abattoirs", "Slaughterhouse", "J01.576.423.200.700.100", "2"]) + "\n" + \
    "\t".join(["D004791", "Enzymes", "", "D08.811", "3"]) + "\n" + \
    "\t".join(["D003866", "Depressive Disorder", "Depression|Depressive Syndrome", "F03.600.300", "4"]) + "\n"
SUPPLEMENTARY = "\t".join(["C000006", "insulin, neutral", "neutral insulin", "D008687"]) + "\n" + \
    "\t".join(["C000020", "N-acetylneuraminoyllactose", "", "D000003,D999999"]) + "\n" + \
    "\t".join(["C537000", "Seizures, Familial Febrile, 5", "FEB5", "*D012640"]) + "\n"


@pytest.fixture
def tables(tmp_path):
    (tmp_path / "d.tsv").write_text(DESCRIPTORS)
    (tmp_path / "s.tsv").write_text(SUPPLEMENTARY)
    return tmp_path / "d.tsv", tmp_path / "s.tsv"


def test_label_for_trees():
    assert label_for_trees(["C10.597", "D02.1"]) == "CONDITION"
    assert label_for_trees(["F03.600"]) == "CONDITION"
    assert label_for_trees(["D02.078"]) == "CHEMICAL"
    assert label_for_trees(["D08.811.277", "D12.776.1"]) == "GENE_OR_PROTEIN"
    assert label_for_trees(["F01.145", "J01.576"]) is None
    assert label_for_trees([]) is None


def test_read_terms_types_names_and_supplementary_records(tables):
    terms = {t.mesh_id: t for t in read_terms(*tables)}
    assert set(terms) == {"MESH:D008687", "MESH:D012640", "MESH:D004791", "MESH:D003866", "MESH:C000006", "MESH:C537000"}
    metformin = terms["MESH:D008687"]
    assert metformin.label == "CHEMICAL" and not metformin.supplementary
    assert metformin.synonyms == ("Metformin", "Dimethylbiguanidine", "Metformin Hydrochloride")  # inverted form left out
    assert terms["MESH:D004791"].label == "GENE_OR_PROTEIN"
    assert terms["MESH:D003866"].label == "CONDITION"
    assert terms["MESH:C000006"].supplementary and terms["MESH:C000006"].label == "CHEMICAL"
    assert terms["MESH:C000006"].synonyms == ("neutral insulin",)
    assert terms["MESH:C537000"].label == "CONDITION" and terms["MESH:C537000"].synonyms == ("FEB5",)


def test_read_terms_rejects_a_line_that_is_not_a_record(tmp_path):
    (tmp_path / "d.tsv").write_text("not a record\n")
    (tmp_path / "s.tsv").write_text("")
    with pytest.raises(MeshVocabularyError, match="d.tsv:1"):
        read_terms(tmp_path / "d.tsv", tmp_path / "s.tsv")


def test_mesh_terms_refuses_tables_that_are_not_the_verified_ones(tmp_path):
    (tmp_path / "mesh_id_label_mappings.tsv").write_text(DESCRIPTORS)
    with pytest.raises(MeshVocabularyError, match="mesh_vocab fetch"):
        mesh_terms(tmp_path)


def test_fetch_failure_is_one_clear_error(tmp_path):
    with pytest.raises(MeshVocabularyError, match="could not download"):
        fetch(tmp_path / "mesh", python="/bin/false")


def test_attach_mesh_joins_named_concepts_and_keeps_one_mesh_id_each():
    drug = Concept("DRUGBANK:DB00331", "metformin", "CHEMICAL", "drug", aliases={"metformin", "glucophage"})
    hpo = Concept("HP:0001250", "seizure", "CONDITION", "hpo", aliases={"seizure"}, xrefs={"MESH:D012640"})
    other = Concept("HP:0000716", "depressivity", "CONDITION", "hpo", aliases={"depression"}, xrefs={"MESH:D000001"})
    terms = [
        MeshTerm("MESH:D008687", "Metformin", "CHEMICAL", ("Metformin", "Dimethylbiguanidine"), False),
        MeshTerm("MESH:D012640", "Seizures", "CONDITION", ("Seizures", "Convulsions"), False),
        MeshTerm("MESH:D003866", "Depressive Disorder", "CONDITION", ("Depressive Disorder", "Depression"), False),
        MeshTerm("MESH:C000006", "insulin, neutral", "CHEMICAL", ("neutral insulin",), True),
        MeshTerm("MESH:C999999", "metformin combination", "CHEMICAL", ("metformin",), True),
    ]
    concepts = {c.concept_id: c for c in attach_mesh([drug, hpo, other], terms)}
    # joined by name: the drug gets the descriptor's id and its entry terms (for the linker, not as phrases)
    assert "MESH:D008687" in drug.xrefs and "dimethylbiguanidine" in drug.kb_only_aliases
    assert drug.aliases == {"metformin", "glucophage"}
    # joined by id
    assert "convulsions" in hpo.kb_only_aliases and "MESH:D012640" not in concepts
    # a concept with another MeSH id already does not take a second one: the descriptor stands alone
    assert "MESH:D003866" not in other.xrefs and concepts["MESH:D003866"].source == "mesh"
    # supplementary records stand alone (joined by id only) and are exact-only
    assert concepts["MESH:C000006"].fuzzy is False and concepts["MESH:C000006"].to_json()["fuzzy"] is False
    assert concepts["MESH:C999999"].fuzzy is False and "MESH:C999999" not in drug.xrefs
    assert "fuzzy" not in drug.to_json()
