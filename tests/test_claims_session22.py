"""Session 22 rules, read off the errors of the tuning articles: a lowering noun before a body measure ("reductions
in LDL cholesterol"), the long name of LDL cholesterol, and an association that qualifies what a drug relieves
("reduces the eye bulging associated with Graves' disease").

Each positive test fails on the code before its rule; each negative one pins what the rule must not reach.
"""
from __future__ import annotations

from claim_helpers import claims, pairs


def test_a_reduction_in_a_body_measure_is_what_the_drug_lowers(nlp):
    text = "Patients who received AMG145 had 41 percent reductions in LDL cholesterol."
    assert pairs(nlp, text, "TREATS") == {("amg145", "ldl cholesterol")}


def test_the_long_name_of_ldl_cholesterol_is_a_body_measure(nlp):
    text = "Given in the abdomen, AMG145 reduced low-density lipoprotein (LDL) cholesterol levels among volunteers."
    assert pairs(nlp, text, "TREATS") == {("amg145", "low-density lipoprotein")}


def test_an_association_after_what_a_drug_relieves_is_not_the_drugs(nlp):
    text = "The experimental drug teprotumumab significantly reduces the eye bulging associated with Graves' disease."
    assert not pairs(nlp, text, "ADVERSE_EFFECT")


def test_an_association_in_a_clause_of_its_own_is_still_the_drugs(nlp):
    text = "Aspirin reduces pain and is linked to stomach bleeding."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("aspirin", "stomach bleeding")}
    assert pairs(nlp, text, "TREATS") == {("aspirin", "pain")}


def test_a_lowering_noun_without_a_drug_gives_no_claim(nlp):
    assert claims(nlp, "There was a drop in blood sugar during the night.") == []
