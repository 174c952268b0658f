"""The dictionary ruler on a tiny fixture lexicon and hand-built Docs."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Span

import pipeline.tokenizer  # noqa: F401
from pipeline import lexicon_ruler, propagation, sentences  # noqa: F401  registers the factories
from pipeline.lexicon_ruler import LexiconMissingError, find_drug_classes, find_drug_codes, find_phrases, find_targets
from pipeline.textnorm import normalise_token


@pytest.fixture()
def fixture_lexicon(tmp_path):
    concepts = [
        {"concept_id": "DRUGBANK:DB00181", "canonical_name": "baclofen", "aliases": ["baclofen", "lioresal"], "types": ["CHEMICAL"], "definition": "", "xrefs": ["MESH:D001418"]},
        {"concept_id": "HP:0001250", "canonical_name": "seizure", "aliases": ["seizure"], "types": ["CONDITION"], "definition": "", "xrefs": []},
        {"concept_id": "HP:0002315", "canonical_name": "headache", "aliases": ["headache"], "types": ["CONDITION"], "definition": "", "xrefs": []},
        {"concept_id": "X:1", "canonical_name": "severe headache", "aliases": ["severe headache"], "types": ["CONDITION"], "definition": "", "xrefs": []},
        {"concept_id": "X:2", "canonical_name": "baclofen-induced seizure", "aliases": ["baclofen-induced seizure"], "types": ["CONDITION"], "definition": "", "xrefs": []},
        {"concept_id": "HP:0010865", "canonical_name": "oppositional defiant disorder", "aliases": ["odd"], "types": ["CONDITION"], "definition": "", "xrefs": []},
        {"concept_id": "X:3", "canonical_name": "opioids", "aliases": ["opioid"], "types": ["CHEMICAL"], "definition": "", "xrefs": []},
    ]
    phrases = [
        {"phrase": "baclofen", "concept_id": "DRUGBANK:DB00181", "label": "CHEMICAL"},
        {"phrase": "lioresal", "concept_id": "DRUGBANK:DB00181", "label": "CHEMICAL"},
        {"phrase": "seizure", "concept_id": "HP:0001250", "label": "CONDITION"},
        {"phrase": "headache", "concept_id": "HP:0002315", "label": "CONDITION"},
        {"phrase": "severe headache", "concept_id": "X:1", "label": "CONDITION"},
        {"phrase": "baclofen - induced seizure", "concept_id": "X:2", "label": "CONDITION"},
        {"phrase": "odd", "concept_id": "HP:0010865", "label": "CONDITION", "capitals": True},
        {"phrase": "opioid", "concept_id": "X:3", "label": "CHEMICAL"},
    ]
    (tmp_path / "concepts.jsonl").write_text("\n".join(json.dumps(c) for c in concepts))
    (tmp_path / "phrases.jsonl").write_text("\n".join(json.dumps(p) for p in phrases))
    return tmp_path


def _nlp(lexicon):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})
    nlp.add_pipe("drugclaims_sentences")
    nlp.add_pipe("drugclaims_lexicon_ruler", config={"phrases_path": str(lexicon / "phrases.jsonl"), "concepts_path": str(lexicon / "concepts.jsonl")})
    return nlp


def test_lexicon_ruler_longest_match_plural_and_brand(fixture_lexicon):
    doc = _nlp(fixture_lexicon)("Lioresal (baclofen) can cause seizures and a severe headache.")
    found = [(e.text, e.label_, e._.concept_id, e._.source) for e in doc.ents]
    assert ("Lioresal", "CHEMICAL", "DRUGBANK:DB00181", "lexicon") in found
    assert ("seizures", "CONDITION", "HP:0001250", "lexicon") in found
    assert ("severe headache", "CONDITION", "X:1", "lexicon") in found
    assert doc.ents[0]._.xrefs == ("MESH:D001418",)


def test_lexicon_ruler_name_never_swallows_two_model_mentions(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    text = "Baclofen-induced seizures were reported."
    assert [t.text for t in nlp.make_doc(text)][:4] == ["Baclofen", "-", "induced", "seizures"]
    # no model mentions: the dictionary's compound name is the mention
    doc = nlp(text)
    assert [(e.text, e._.concept_id) for e in doc.ents] == [("Baclofen-induced seizures", "X:2")]
    # the model saw the drug and its effect: both stay (the claim is baclofen -> seizures)
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, 3, 4, label="CONDITION")]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Baclofen", "CHEMICAL"), ("seizures", "CONDITION")]


def test_lexicon_ruler_keeps_model_mentions_and_fills_gaps(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    doc = nlp.make_doc("Baclofen withdrawal causes seizures.")
    doc.ents = [Span(doc, 0, 2, label="CONDITION")]  # a model's (wrong) longer mention wins the overlap
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.text, e._.source) for e in doc.ents] == [("Baclofen withdrawal", "model"), ("seizures", "lexicon")]


def test_lexicon_ruler_find_phrases_greedy():
    table = {"a b": ("C1", "CHEMICAL", False), "a": ("C2", "CHEMICAL", False), "b c d": ("C3", "CONDITION", True)}
    assert find_phrases(["a", "b", "c", "d"], table, 8) == [(0, 2, "C1", "CHEMICAL", False)]
    assert find_phrases(["x", "b", "c", "d"], table, 8) == [(1, 4, "C3", "CONDITION", True)]


def test_lexicon_ruler_acronym_names_need_capitals_in_the_text(fixture_lexicon):
    """HPO writes oppositional defiant disorder "ODD": the acronym names it, the everyday "odds" does not."""
    nlp = _nlp(fixture_lexicon)
    doc = nlp("The odds of an odd seizure were low in children with ODD or ODDs.")
    assert [(e.text, e.label_, e._.concept_id) for e in doc.ents] == [
        ("seizure", "CONDITION", "HP:0001250"), ("ODD", "CONDITION", "HP:0010865"), ("ODDs", "CONDITION", "HP:0010865")]


def test_lexicon_ruler_class_adjective_before_what_it_qualifies_is_no_drug(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    nlp.add_pipe("drugclaims_propagation")
    doc = nlp("Opioid use rose. Baclofen acts on the opioid system and has opioid effects, unlike opioid painkillers.")
    assert [(e.text, e.start) for e in doc.ents] == [("Opioid", 0), ("Baclofen", 4), ("opioid", 16)]
    doc = nlp("Baclofen effects were small.")  # a drug's name, not a class adjective
    assert [e.text for e in doc.ents] == ["Baclofen"]


def test_propagation_does_not_copy_an_acronym_to_the_word_in_lower_case(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    nlp.add_pipe("drugclaims_propagation")
    doc = nlp.make_doc("AIDS patients need hearing aids. AIDS was rare; aids were not.")
    doc.ents = [Span(doc, 0, 1, label="CONDITION")]  # the model's mention
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [e.text for e in doc.ents] == ["AIDS", "AIDS"]  # the second by propagation, no lower-case "aids"


def test_lexicon_ruler_drops_model_mention_of_an_acronym_written_in_lower_case(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    for text, kept in [("An odd seizure.", []), ("Children with ODD.", ["ODD"])]:
        doc = nlp.make_doc(text)
        i = 1 if text.startswith("An") else 2
        doc.ents = [Span(doc, i, i + 1, label="CONDITION")]  # the model's mention
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        assert [e.text for e in doc.ents if e.text.lower() == "odd"] == kept


def test_written_in_capitals():
    from pipeline.textnorm import written_in_capitals

    assert all(map(written_in_capitals, ["ODD", "ARMS", "ARMs", "5-FU", "NSAIDs"]))
    assert not any(map(written_in_capitals, ["odds", "Arms", "X", "5s", "Ss"]))


def test_lexicon_ruler_rule_targets_and_classes():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})
    doc = nlp("It binds GABA-B receptors, unlike aromatase inhibitors.")
    assert [s.text for s in find_targets(doc)] == ["GABA-B receptors"]
    assert [s.text for s in find_drug_classes(doc)] == ["aromatase inhibitors"]


def test_lexicon_ruler_drug_codes_but_not_enzymes_serotypes_or_trial_ids():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})
    doc = nlp("MK-4305 and LY2189265 beat ABT-199; CYP450, E. coli O157, trial NCT01234567 and COVID-19 did not.")
    assert [s.text for s in find_drug_codes(doc)] == ["MK-4305", "LY2189265", "ABT-199"]
    assert {s.label_ for s in find_drug_codes(doc)} == {"CHEMICAL"}
    doc = nlp("Funded by the National Institutes of Health (R01 EY020488) and grant AG012345; patients took MK-4305.")
    assert [s.text for s in find_drug_codes(doc)] == ["MK-4305"]  # funding numbers are no drug codes


def test_lexicon_ruler_missing_lexicon_says_how_to_build(tmp_path):
    with pytest.raises(LexiconMissingError, match="make lexicon"):
        _nlp(tmp_path)


def test_lexicon_ruler_normalisation():
    assert normalise_token("Seizures") == "seizure" and normalise_token("virus") == "virus" and normalise_token("loss") == "loss"


def test_normalised_forms_equal_token_by_token_normalisation_and_bound_their_cache():
    from pipeline.textnorm import normalised_forms

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})
    doc = nlp("Seizures  and seizures\n\nin Viruses' patients")
    cache: dict[int, str] = {}
    expected = [normalise_token(t.text) if not t.is_space else "" for t in doc]
    assert normalised_forms(doc, cache) == expected and "" in expected
    assert normalised_forms(doc, cache) == expected  # from the cache
    assert normalised_forms(doc, cache, limit=1) == expected and len(cache) <= len(set(t.orth for t in doc))


def test_lexicon_consumer_names_of_vaccines_and_effects(rules_nlp):
    doc = rules_nlp("Flu shots protect against influenza. Cytokine release syndrome and post-traumatic stress "
                    "disorder were reported, as were nasal allergies.")
    found = {(e.text.lower(), e.label_) for e in doc.ents}
    assert {("flu shots", "CHEMICAL"), ("cytokine release syndrome", "CONDITION"),
            ("post-traumatic stress disorder", "CONDITION"), ("nasal allergies", "CONDITION")} <= found, found


def test_lexicon_consumer_harms(rules_nlp):
    doc = rules_nlp("Users reported a bad taste, physical dependence and skin redness.")
    found = {e.text.lower() for e in doc.ents if e.label_ == "CONDITION"}
    assert {"bad taste", "physical dependence", "skin redness"} <= found, found


def test_a_name_the_text_introduces_as_a_drug_is_a_chemical(rules_nlp):
    from pipeline.lexicon_ruler import find_named_drugs

    doc = rules_nlp.make_doc("The FDA approved a drug, called 17-HP, that helps. A compound known as WZ4002 can slow "
                             "tumor growth. Doctors tried a treatment called CAR T-cell therapy. A drug called for caution.")
    assert [s.text for s in find_named_drugs(doc)] == ["17-HP", "WZ4002"]


def test_a_named_drug_is_propagated_to_its_other_occurrences(rules_nlp):
    doc = rules_nlp("The FDA approved a drug, called 17-HP, that helps. 17-HP is given weekly.")
    assert [e.text for e in doc.ents if e.label_ == "CHEMICAL"] == ["17-HP", "17-HP"]


def test_lexicon_ruler_model_condition_running_from_a_drug_name_into_its_verb(fixture_lexicon):
    nlp = _nlp(fixture_lexicon)
    doc = nlp.make_doc("Baclofen can cause seizures. Baclofen withdrawal causes seizures.")
    # the model's (wrong) "Baclofen can cause" runs from the name into the verb; "Baclofen withdrawal" does not
    doc.ents = [Span(doc, 0, 3, label="CONDITION"), Span(doc, 5, 7, label="CONDITION")]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Baclofen", "CHEMICAL"), ("seizures", "CONDITION"), ("Baclofen withdrawal", "CONDITION"), ("seizures", "CONDITION")]


def test_lexicon_herbal_remedies_are_drugs(rules_nlp):
    doc = rules_nlp("Butterbur prevents migraine, St. John's wort eases mild depression and kava can cause liver "
                    "damage. Ginger is a spice.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Butterbur", "CHEMICAL"), ("St. John's wort", "CHEMICAL"), ("kava", "CHEMICAL")} <= found, found
    # a food is a drug only as a product ("ginger supplements"), not as the spice
    assert ("Ginger", "CHEMICAL") not in found
    relations = {(c.drug, c.relation, c.effect) for c in doc._.claims}
    assert {("Butterbur", "PREVENTS", "migraine"), ("kava", "ADVERSE_EFFECT", "liver damage")} <= relations, relations


def test_lexicon_alias_with_an_abbreviated_word_matches_as_written():
    from pipeline.lexicon_build import alias_keys
    from pipeline.tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    assert alias_keys("st. john's wort", nlp) == {"st . john 's wort", "st. john 's wort"}
    assert alias_keys("kava", nlp) == {"kava"}


def test_lexicon_body_part_and_a_word_for_trouble_is_a_condition():
    from pipeline.lexicon_ruler import find_body_problems
    from pipeline.tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    doc = nlp.make_doc("It carries a risk of heart trouble, kidney problems and urinary-tract problems, not of heart "
                       "surgery or a kidney donor.")
    assert [(s.text, s.label_) for s in find_body_problems(doc)] == [
        ("heart trouble", "CONDITION"), ("kidney problems", "CONDITION"), ("urinary-tract problems", "CONDITION")]


def test_lexicon_body_problems_give_claims(rules_nlp):
    doc = rules_nlp("Lupron carries a risk of bone damage, stunted growth and heart trouble.")
    assert ("Lupron", "ADVERSE_EFFECT", "heart trouble") in {(c.drug, c.relation, c.effect) for c in doc._.claims}


def test_lexicon_consumer_harms_of_sleep_and_injected_drugs(rules_nlp):
    # one-word conditions the model tags but nothing links were dropped as unknown words ("grogginess")
    doc = rules_nlp("Lupron can cause grogginess. Humira can cause injection site reactions.")
    assert {(c.drug, c.effect) for c in doc._.claims} == {("Lupron", "grogginess"), ("Humira", "injection site reactions")}
