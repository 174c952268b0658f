"""PubMed ids kept out of training (pipeline.corpora.overlaps): OVERLAPS.md's and every dev split's."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.corpora.overlaps import dev_pmids, excluded_pmids, listed_pmids


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_listed_and_dev_ids_are_read_from_their_files(tmp_path):
    _write(tmp_path / "OVERLAPS.md", "# Overlap 2024\n\n## a ∩ b: 2 PMIDs\n\n1234567 7654321\n")
    _write(tmp_path / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt",
           "111111|t|Title\n111111|a|Text\n111111\t0\t5\tTitle\tChemical\tD1\n\n222222|t|T\n222222|a|A\n")
    _write(tmp_path / "biored" / "Dev.PubTator", "333333|t|T\n333333|a|A\n")
    _write(tmp_path / "chemprot" / "chemprot_development" / "chemprot_development_abstracts.tsv",
           "444444\tTitle\tAbstract\n")
    assert listed_pmids(tmp_path) == {"1234567", "7654321"}  # "2024" in a heading is not an id
    assert dev_pmids(tmp_path) == {"111111", "222222", "333333", "444444"}
    assert excluded_pmids(tmp_path) == listed_pmids(tmp_path) | dev_pmids(tmp_path)
    assert excluded_pmids(tmp_path / "absent") == set()


def test_no_training_set_holds_a_dev_abstract(shared_dir):
    """BioRED train shares 44 abstracts with BC5CDR dev: the relation training data must not contain them."""
    from pipeline.relation_eval import read_pubtator_relations, training_mesh_docs

    corpora = shared_dir / "corpora"
    bc5_dev = corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"
    if not bc5_dev.exists():
        pytest.fail(f"needs {bc5_dev}: set DRUGCLAIMS_SHARED to the folder holding corpora/")
    dev = {d.doc_id for d in read_pubtator_relations(bc5_dev)}
    biored_train = {d.doc_id for d in read_pubtator_relations(corpora / "biored" / "Train.PubTator")}
    assert len(dev & biored_train) > 0  # the overlap this guards against exists in the data
    assert dev <= excluded_pmids(corpora)
    assert not dev & {d.doc_id for d in training_mesh_docs(corpora)}
