"""Unit tests for the concept linker over a tiny fixture knowledge base (never the real one)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.linker_index import (
    HASH_FILE,
    KnowledgeBaseError,
    LinkerIndexMissingError,
    alias_key,
    build_linker_index,
    read_concepts,
)
from pipeline.linking import FACTORY_NAME, load_linker_resources, main

FIXTURE_CONCEPTS = [
    {
        "concept_id": "MESH:D001418",
        "canonical_name": "baclofen",
        "aliases": ["baclofen", "Lioresal", "Gablofen"],
        "types": ["CHEMICAL"],
        "definition": "",
        "xrefs": ["DRUGBANK:DB00181", "MESH:D001418"],
    },
    {
        "concept_id": "MESH:D000082",
        "canonical_name": "acetaminophen",
        "aliases": ["paracetamol", "Tylenol"],
        "types": ["CHEMICAL"],
        "definition": "",
        "xrefs": ["DRUGBANK:DB00316"],
    },
    {
        "concept_id": "MESH:D006973",
        "canonical_name": "hypertension",
        "aliases": ["high blood pressure", "Hypertension, Pulmonary"],
        "types": ["CONDITION"],
        "definition": "",
        "xrefs": [],
    },
    {
        "concept_id": "HP:0002018",
        "canonical_name": "Nausea",
        "aliases": ["nausea", "feeling sick"],
        "types": ["CONDITION"],
        "definition": "",
        "xrefs": ["MESH:D009325", "UMLS:C0027497"],
    },
    {
        "concept_id": "MESH:D003371",
        "canonical_name": "cough",
        "aliases": ["coughing"],
        "types": ["CONDITION"],
        "definition": "",
        "xrefs": [],
    },
    {
        "concept_id": "MESH:D000068698",
        "canonical_name": "cough suppressant",
        "aliases": ["cough"],
        "types": ["CHEMICAL"],
        "definition": "",
        "xrefs": [],
    },
    {
        "concept_id": "MESH:D000319",
        "canonical_name": "beta-adrenergic blocker",
        "aliases": ["beta-blockers", "beta blocker"],
        "types": ["CHEMICAL"],
        "definition": "",
        "xrefs": [],
    },
    {  # a MeSH supplementary record: exact names only, not in the fuzzy index
        "concept_id": "MESH:C000589078",
        "canonical_name": "nirsevimab",
        "aliases": ["nirsevimab", "Beyfortus"],
        "types": ["CHEMICAL"],
        "definition": "",
        "xrefs": [],
        "fuzzy": False,
    },
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("linker")
    concepts = root / "concepts.jsonl"
    concepts.write_text("".join(json.dumps(c) + "\n" for c in FIXTURE_CONCEPTS))
    out = root / "index"
    build_linker_index(concepts, out)
    return out


@pytest.fixture(scope="module")
def nlp(index_dir):
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY_NAME, config={"index_dir": str(index_dir)})
    return nlp


def _link(nlp, words, ents):
    """A hand-built Doc with ``ents`` as (start, end, label) token spans, run through the linker."""
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return nlp.get_pipe(FACTORY_NAME)(doc)


def test_linking_exact_alias(nlp):
    doc = _link(nlp, ["Patients", "took", "Baclofen", "daily"], [(2, 3, "CHEMICAL")])
    ent = doc.ents[0]
    assert ent._.concept_id == "MESH:D001418"
    assert ent._.concept_name == "baclofen"
    assert ent._.xrefs == ("DRUGBANK:DB00181",)


def test_linking_brand_links_to_generic(nlp):
    doc = _link(nlp, ["Lioresal", "helped"], [(0, 1, "CHEMICAL")])
    assert doc.ents[0]._.concept_id == "MESH:D001418"
    assert doc.ents[0]._.concept_name == "baclofen"


def test_linking_normalised_variants_match_exactly(nlp):
    doc = _link(nlp, ["beta", "-", "blocker", "and", "pulmonary", "hypertension"], [(0, 3, "CHEMICAL"), (4, 6, "CONDITION")])
    assert [ent._.concept_id for ent in doc.ents] == ["MESH:D000319", "MESH:D006973"]
    assert alias_key("Beta-Blockers") == alias_key("beta blocker")


def test_linking_fuzzy_variant(nlp):
    doc = _link(nlp, ["some", "paracetamole", "tablets"], [(1, 2, "CHEMICAL")])
    ent = doc.ents[0]
    assert ent._.concept_id == "MESH:D000082"
    assert ent._.concept_candidates[0][0] == "MESH:D000082"
    assert 0.8 <= ent._.concept_candidates[0][1] < 1.0


def test_linking_label_restriction(nlp):
    doc = _link(nlp, ["a", "cough", "and", "a", "cough"], [(1, 2, "CONDITION"), (4, 5, "CHEMICAL")])
    assert [ent._.concept_id for ent in doc.ents] == ["MESH:D003371", "MESH:D000068698"]


def test_linking_unlinked_mention_gets_empty_id(nlp):
    doc = _link(nlp, ["xyzzyqq", "frobnicate"], [(0, 1, "CHEMICAL"), (1, 2, "CONDITION")])
    for ent in doc.ents:
        assert ent._.concept_id == ""
        assert ent._.concept_name == ""
        assert ent._.xrefs == ()


def test_linking_other_labels_untouched(nlp):
    doc = _link(nlp, ["baclofen", "adults"], [(0, 1, "DOSE"), (1, 2, "POPULATION")])
    assert [ent._.concept_id for ent in doc.ents] == ["", ""]


def test_linking_preset_concept_id_kept(nlp):
    doc = Doc(nlp.vocab, words=["Tylenol", "and", "nausea"])
    doc.ents = [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, 2, 3, label="CONDITION")]
    doc.ents[0]._.concept_id = "DRUGBANK:DB00316"
    doc.ents[1]._.concept_id = "MESH:D003371"  # deliberately not what the linker would choose
    doc = nlp.get_pipe(FACTORY_NAME)(doc)
    assert doc.ents[0]._.concept_id == "DRUGBANK:DB00316"
    assert doc.ents[1]._.concept_id == "MESH:D003371"
    assert doc.ents[1]._.concept_name == "cough"


def test_linking_exact_only_concepts_stay_out_of_the_fuzzy_index(nlp, index_dir):
    assert _link(nlp, ["Beyfortus"], [(0, 1, "CHEMICAL")]).ents[0]._.concept_id == "MESH:C000589078"
    # one letter off would be a fuzzy match (cosine > 0.8) if the record were in the index
    assert _link(nlp, ["Beyfortuss"], [(0, 1, "CHEMICAL")]).ents[0]._.concept_id != "MESH:C000589078"
    aliases = json.loads((index_dir / "concept_aliases.json").read_text())
    assert "baclofen" in aliases and "beyfortus" not in aliases and "nirsevimab" not in aliases


def test_linking_rejects_a_fuzzy_flag_that_is_not_a_boolean(tmp_path):
    bad = tmp_path / "concepts.jsonl"
    bad.write_text(json.dumps({**FIXTURE_CONCEPTS[0], "fuzzy": "no"}) + "\n")
    with pytest.raises(KnowledgeBaseError, match="fuzzy"):
        read_concepts(bad)


def test_linking_mesh_xrefs_of_hpo_concept(nlp):
    doc = _link(nlp, ["feeling", "sick"], [(0, 2, "CONDITION")])
    assert doc.ents[0]._.concept_id == "HP:0002018"
    assert "MESH:D009325" in doc.ents[0]._.xrefs


def test_linking_index_round_trip(index_dir, tmp_path):
    files = {path.name for path in index_dir.iterdir()}
    assert {"nmslib_index.bin", "tfidf_vectorizer.joblib", "tfidf_vectors_sparse.npz", "concept_aliases.json"} <= files
    assert read_concepts(index_dir / "concepts.jsonl")[0].concept_id == "MESH:D001418"
    # loading from disk in a fresh resources object gives a working candidate generator
    resources = load_linker_resources.__wrapped__(index_dir)
    [candidates] = resources.candidate_generator(["lioresal"], 5)
    assert [c.concept_id for c in candidates if max(c.similarities) > 0.99] == ["MESH:D001418"]
    # an unchanged concepts file is not rebuilt; a changed one is
    concepts = index_dir.parent / "concepts.jsonl"
    assert build_linker_index(concepts, index_dir).built is False
    changed = tmp_path / "concepts.jsonl"
    changed.write_text(concepts.read_text() + json.dumps({**FIXTURE_CONCEPTS[0], "concept_id": "MESH:D999"}) + "\n")
    report = build_linker_index(changed, tmp_path / "index")
    assert report.built and report.n_concepts == len(FIXTURE_CONCEPTS) + 1
    assert (tmp_path / "index" / HASH_FILE).read_text() != (index_dir / HASH_FILE).read_text()


def test_linking_resources_loaded_once(index_dir):
    assert load_linker_resources(index_dir.resolve()) is load_linker_resources(index_dir.resolve())


def test_linking_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(LinkerIndexMissingError, match="python -m pipeline.linking build"):
        load_linker_resources(tmp_path / "nowhere")


def test_linking_rejects_bad_kb_record(tmp_path):
    bad = tmp_path / "concepts.jsonl"
    bad.write_text(json.dumps({**FIXTURE_CONCEPTS[0], "types": ["DRUG"]}) + "\n")
    with pytest.raises(KnowledgeBaseError, match="types"):
        read_concepts(bad)
    bad.write_text(json.dumps({**FIXTURE_CONCEPTS[0], "colour": "red"}) + "\n")
    with pytest.raises(KnowledgeBaseError, match="unknown keys"):
        read_concepts(bad)


def test_linking_cli_build_skips_when_current(index_dir, capsys):
    concepts = index_dir.parent / "concepts.jsonl"
    assert main(["build", "--concepts", str(concepts), "--out", str(index_dir)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["build", "--concepts", str(index_dir.parent / "missing.jsonl"), "--out", str(index_dir)]) == 1
    assert "lexicon" in capsys.readouterr().err


def test_linking_british_spelling_finds_the_american_name(nlp):
    """"Hypertension, Pulmonary" is a fixture alias; "oedema"-style spellings are tried in American form."""
    from pipeline.linking import with_spelling_variants
    from pipeline.textnorm import us_spelling

    assert us_spelling("hypokalaemia") == "hypokalemia"
    assert us_spelling("Oedema") == "edema"
    assert us_spelling("diarrhoea") == "diarrhea"
    assert us_spelling("tumour") == "tumor"
    assert us_spelling("aerosol") == "aerosol"  # a leading "ae" is left alone
    assert with_spelling_variants(("paediatric dose",)) == ("paediatric dose", "pediatric dose")
    assert with_spelling_variants(("nausea",)) == ("nausea",)
    doc = _link(nlp, ["coughing", "and", "paracetamol"], [(0, 1, "CONDITION"), (2, 3, "CHEMICAL")])
    assert [ent._.concept_id for ent in doc.ents] == ["MESH:D003371", "MESH:D000082"]


def test_linking_head_backoff_links_a_modified_mention_to_its_head(nlp):
    doc = _link(nlp, ["severe", "persistent", "nausea", "after", "zzqxy", "nausea"], [(0, 3, "CONDITION"), (4, 6, "CONDITION")])
    first, second = doc.ents
    assert first._.concept_id == "HP:0002018"
    assert first._.concept_name == "Nausea"
    assert second._.concept_id == "HP:0002018"  # any unmatched leading word goes
    # the back-off keeps the label: "cough" is a CHEMICAL and a CONDITION name in the fixture
    doc = _link(nlp, ["chronic", "dry", "cough"], [(0, 3, "CONDITION")])
    assert doc.ents[0]._.concept_id == "MESH:D003371"
    linker = nlp.get_pipe(FACTORY_NAME)
    assert linker.link_text("severe persistent nausea", "CONDITION").method == "head"
    assert linker.link_exact("severe persistent nausea", "CONDITION").concept_id == ""  # exact lookup has no back-off
    assert linker.link_exact("nausea", "CONDITION").concept_id == "HP:0002018"


def test_linking_head_backoff_never_links_a_short_tail(nlp):
    doc = _link(nlp, ["qqzz", "x"], [(0, 2, "CONDITION")])
    assert doc.ents[0]._.concept_id == ""


def test_cid_evaluation_backs_off_to_the_closest_mesh_heading(nlp):
    """BC5CDR normalises a mention to its closest MeSH heading: the longest tail with a MeSH-bearing concept."""
    from pipeline.relation_eval import backoff_mesh_ids

    linker = nlp.get_pipe(FACTORY_NAME)
    doc = Doc(nlp.vocab, words=["severe", "persistent", "nausea", "and", "zzqy", "qqzx"])
    assert backoff_mesh_ids(linker, Span(doc, 0, 3, label="CONDITION")) == ("D009325",)
    assert backoff_mesh_ids(linker, Span(doc, 4, 6, label="CONDITION")) == ()
