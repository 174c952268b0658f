"""The NER's corpus-domain feature (pipeline/ner_domain.py): set in training by the augmenter, at run time by the
gazetteer's ``domain`` setting, and never for a model trained without domains."""
from __future__ import annotations

import pytest
from spacy.training import Example

from pipeline import gazetteer, ner_domain
from pipeline.loader import _blank


def test_a_corpus_name_becomes_a_morphological_feature_value():
    assert ner_domain.morph_value("bc5cdr") == "Domain=Bc5cdr"
    assert ner_domain.morph_value("ncbi_disease") == "Domain=NcbiDisease"
    for bad in ("BC5CDR", "ncbi disease", "a=b", ""):
        with pytest.raises(ner_domain.UnknownDomainError):
            ner_domain.morph_value(bad)


def test_set_domain_marks_every_token_and_no_domain_marks_none():
    nlp = _blank()
    doc = ner_domain.set_domain(nlp.make_doc("Severe hepatitis after isoniazid."), "ade")
    assert {str(t.morph) for t in doc} == {"Domain=Ade"}
    plain = ner_domain.set_domain(nlp.make_doc("Severe hepatitis after isoniazid."), "")
    assert {str(t.morph) for t in plain} == {""}


def test_the_augmenter_gives_the_text_the_model_reads_its_reference_domain():
    nlp = _blank()
    augment = ner_domain.create_domain_augmenter(level=0.0)
    reference = nlp.make_doc("Cisplatin nephrotoxicity in children.")
    reference.user_data[ner_domain.USER_DATA_KEY] = "bc5cdr"
    [example] = augment(nlp, Example(nlp.make_doc(reference.text), reference))
    assert {str(t.morph) for t in example.predicted} == {"Domain=Bc5cdr"}
    unmarked = nlp.make_doc("Cisplatin nephrotoxicity in children.")  # a document drawn to stay without a domain
    [example] = augment(nlp, Example(nlp.make_doc(unmarked.text), unmarked))
    assert {str(t.morph) for t in example.predicted} == {""}
    lowered = ner_domain.create_domain_augmenter(level=1.0)
    [example] = lowered(nlp, Example(nlp.make_doc(reference.text), reference))
    assert example.predicted.text == "cisplatin nephrotoxicity in children."
    assert {str(t.morph) for t in example.predicted} == {"Domain=Bc5cdr"}


def test_the_gazetteer_sets_the_domain_it_is_asked_for_and_refuses_others():
    nlp = _blank()
    component = gazetteer.Gazetteer(nlp, "gazetteer", path="", domains=("bc5cdr", "ade"))
    assert {str(t.morph) for t in component(nlp.make_doc("lithium toxicity"))} == {""}
    component.domain = "ade"
    doc = component(nlp.make_doc("lithium toxicity"))
    assert [(t.tag_, str(t.morph)) for t in doc] == [("B-C", "Domain=Ade"), ("", "Domain=Ade")]
    with pytest.raises(ner_domain.UnknownDomainError, match="trained with bc5cdr, ade"):
        component.domain = "cadec"
    untrained = gazetteer.Gazetteer(nlp, "gazetteer", path="")
    with pytest.raises(ner_domain.UnknownDomainError, match="no domains"):
        untrained.domain = "bc5cdr"


def test_the_evaluation_sets_a_corpus_domain_only_for_a_model_trained_with_it():
    nlp = _blank()
    nlp.add_pipe(gazetteer.FACTORY_NAME, name=gazetteer.COMPONENT_NAME, config={"domains": ["bc5cdr"]})
    assert ner_domain.model_domains(nlp) == ("bc5cdr",)
    with ner_domain.corpus_domain(nlp, "bc5cdr"):
        assert {str(t.morph) for t in nlp("Cisplatin nephrotoxicity.")} == {"Domain=Bc5cdr"}
    assert {str(t.morph) for t in nlp("Cisplatin nephrotoxicity.")} == {""}
    with ner_domain.corpus_domain(nlp, "cadec"):  # no such domain: the model runs without one
        assert {str(t.morph) for t in nlp("Lipitor and muscle pain.")} == {""}
    with pytest.raises(ner_domain.UnknownDomainError):
        nlp.add_pipe(gazetteer.FACTORY_NAME, name="bad", config={"domains": ["Not A Corpus"]})


def test_an_evaluation_mode_gives_each_corpus_its_own_domain_or_none():
    assert ner_domain.domain_for("corpus", "bc5cdr") == "bc5cdr"
    assert ner_domain.domain_for("general", "bc5cdr") == ""
    with pytest.raises(ValueError, match="unknown domain mode"):
        ner_domain.domain_for("bc5cdr", "bc5cdr")
