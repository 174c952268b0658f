"""Session 23 rules, read off the errors of the tuning articles: which drug a sentence that names none is about when
the last drug named was only the comparison arm, cannabidiol as a drug of its own, and the past tense of the cue verbs
that lacked it ("eased", "helped", "triggered", "blocked" ...).

Each positive test fails on the code before its rule; each negative one pins what the rule must not reach.
"""
from __future__ import annotations

from claim_helpers import claims, pairs


def test_a_comparison_arm_named_with_a_figure_gets_no_claim(nlp):
    text = "Ibuprofen eased pain in 40 percent of patients compared with 25 percent with acetaminophen."
    assert pairs(nlp, text, "TREATS") == {("ibuprofen", "pain")}


def test_side_effects_after_a_comparison_belong_to_the_drug_under_study(nlp):
    text = ("Vemurafenib was tested in 600 people with advanced melanoma. "
            "Tumors shrank in half of those given the new drug, compared with 6 percent with chemotherapy. "
            "Side effects included skin rashes and joint pain.")
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("vemurafenib", "skin rashes"), ("vemurafenib", "joint pain")}


def test_a_comparison_arm_with_no_drug_before_it_is_still_what_follows_is_about(nlp):
    text = ("Patients did better than those given chemotherapy. "
            "Side effects included skin rashes and joint pain.")
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("chemotherapy", "skin rashes"), ("chemotherapy", "joint pain")}


def test_a_drug_after_a_figure_without_the_comparison_words_keeps_its_claim(nlp):
    assert pairs(nlp, "In 40 percent of cases treated with ibuprofen, the pain went away.", "TREATS") == {("ibuprofen", "pain")}


def test_cannabidiol_is_not_cannabis(nlp):
    doc = nlp("Cannabidiol, sold as Epidiolex, cut seizures in children, but marijuana did not. CBD is one of its "
              "compounds.")
    ids = {e.text: e._.concept_id for e in doc.ents if e.label_ == "CHEMICAL"}
    assert ids["Cannabidiol"] == ids["Epidiolex"] == ids["CBD"] != ids["marijuana"]
    doc = nlp("Cannabidiol reduced seizures in children, but marijuana did not.")
    assert {(c.drug_id, c.effect.lower()) for c in doc._.claims if c.relation == "TREATS"} == {(ids["CBD"], "seizures")}


def test_a_treatment_verb_in_the_past_tense_is_a_cue(nlp):
    assert pairs(nlp, "Ibuprofen eased pain in 40 percent of patients.", "TREATS") == {("ibuprofen", "pain")}
    assert pairs(nlp, "In the trial, montelukast helped asthma symptoms.", "TREATS") == {("montelukast", "asthma")}


def test_a_harm_verb_in_the_past_tense_is_a_cue(nlp):
    assert pairs(nlp, "In some patients, aspirin triggered asthma attacks.", "ADVERSE_EFFECT") == {("aspirin", "asthma attacks")}
    assert pairs(nlp, "In two patients, prednisone worsened their diabetes.", "ADVERSE_EFFECT") == {("prednisone", "diabetes")}


def test_other_forms_of_multi_word_cues(nlp):
    assert pairs(nlp, "Warfarin interacted with aspirin in several patients.", "INTERACTS_WITH") == {("warfarin", "aspirin")}
    text = "Taking ibuprofen daily, resulting in stomach ulcers, is risky."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("ibuprofen", "stomach ulcers")}


def test_a_harm_said_not_to_have_risen_is_the_studied_drugs_negated_side_effect(nlp):
    text = "Researchers gave tamoxifen to 300 women for four years. There was no increase in strokes."
    assert claims(nlp, text) == [("ADVERSE_EFFECT", "tamoxifen", "strokes", "negated")]


def test_a_rise_in_a_sentence_without_a_drug_is_no_claim(nlp):
    assert claims(nlp, "Researchers gave tamoxifen to 300 women. Later, flu cases rose sharply.") == []
