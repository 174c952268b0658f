"""Session 20: a plural anaphor after a sentence that named several drugs refers to each of them, and a class named in
apposition to a drug ("miconazole (an antifungal)") is that drug, not another one.

The tests of a list of drugs and of "both drugs" fail on the code before the rule; the others check that a class named
last, or one drug named since the list, keeps the plural or single anaphor's old antecedent.
"""
from __future__ import annotations

from pipeline.claim_phrases import appositive_class

from claim_helpers import pairs


def test_the_drugs_after_a_list_of_drugs_are_each_of_them(nlp):
    text = "Ibuprofen is widely used. Patients took aspirin, naproxen or celecoxib. These drugs can cause stomach bleeding."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("aspirin", "stomach bleeding"), ("naproxen", "stomach bleeding"),
                                                  ("celecoxib", "stomach bleeding")}


def test_a_class_named_last_is_what_the_plural_anaphor_means(nlp):
    # the last sentence naming drugs named a class: "these drugs" is the class, as before
    text = "Patients took aspirin or naproxen. Doctors often prescribe statins. These drugs can cause muscle pain."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("statins", "muscle pain")}


def test_one_drug_named_since_the_list_ends_the_group(nlp):
    text = "Patients took aspirin or naproxen. Later, everyone took celecoxib. It can cause stomach bleeding."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("celecoxib", "stomach bleeding")}


def test_both_drugs_skips_a_class_in_apposition(nlp):
    text = ("Two compounds, miconazole (an antifungal) and clobetasol (a steroid), stimulated the cells. Both drugs were "
            "effective in reversing paralysis.")
    assert pairs(nlp, text, "TREATS") == {("miconazole", "paralysis"), ("clobetasol", "paralysis")}


def test_appositive_class_needs_a_bracket_or_a_comma_and_an_article(nlp):
    doc = nlp("Clobetasol, a steroid, and miconazole (a steroid) were tested with aspirin, naproxen or celecoxib.")
    chemicals = [e for e in doc.ents if e.label_ == "CHEMICAL"]
    described = [(e.text, e.start) for e in chemicals if appositive_class(e, chemicals)]
    assert [text for text, _ in described] == ["steroid", "steroid"]
