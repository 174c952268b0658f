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


def test_what_drugs_pose_are_their_harms(nlp):
    text = ("The most expedient thing to do is prescribe a sleeping pill. But the drugs can pose problems, ranging from "
            "dependence or abuse to cognitive impairment during the day.")
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("sleeping pill", "dependence"), ("sleeping pill", "cognitive impairment")}


def test_risks_such_as_name_harms(nlp):
    assert pairs(nlp, "Opioids carry risks including addiction and overdose.", "ADVERSE_EFFECT") == {
        ("opioids", "addiction"), ("opioids", "overdose")}


def test_risks_a_drug_cuts_are_no_harms_of_it(nlp):
    text = "Statins cut risks such as heart attacks."
    assert not pairs(nlp, text, "ADVERSE_EFFECT")
    assert pairs(nlp, text, "PREVENTS") == {("statins", "heart attacks")}


def test_a_predicate_after_a_comma_and_shares_the_subject(nlp):
    text = ("About one-quarter of adults take statins to lower cholesterol. The drugs cost up to $200 per month, and "
            "sometimes cause side effects including muscle pain and nausea.")
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("statins", "muscle pain"), ("statins", "nausea")}


def test_a_clause_with_its_own_subject_is_not_the_drugs(nlp):
    assert not pairs(nlp, "Aspirin is cheap, and the heat can also cause rashes.", "ADVERSE_EFFECT")


def test_anti_condition_drugs_are_a_drug_class(nlp):
    assert pairs(nlp, "The anti-vomiting drugs induced sleepiness in recipients.", "ADVERSE_EFFECT") == {
        ("anti-vomiting drugs", "sleepiness")}


def test_a_condition_drug_named_after_anti_with_a_space_is_no_class(nlp):
    assert claims(nlp, "Patients were anti vomiting drugs and sleepiness.") == []


def test_cardiovascular_risk_and_fasting_blood_sugar_are_body_measures(nlp):
    assert pairs(nlp, "Statins reduce cardiovascular risk.", "TREATS") == {("statins", "cardiovascular risk")}
    assert pairs(nlp, "People who took curcumin had reduced fasting blood sugar.", "TREATS") == {
        ("curcumin", "fasting blood sugar")}


def test_what_the_body_lacks_is_no_drug_of_a_claim(nlp):
    text = ("Hemophilia A is the type which is caused by defects in a different blood-clotting agent, Factor VIII.")
    assert claims(nlp, text) == []
    assert claims(nlp, "A lack of vitamin D causes rickets.") == []


def test_a_lack_of_one_thing_leaves_the_next_listed_drug_a_drug(nlp):
    assert pairs(nlp, "Lack of sleep and aspirin use can cause bleeding.", "ADVERSE_EFFECT") == {("aspirin", "bleeding")}


def test_a_benefit_cue_nearer_the_drug_governs_it(nlp):
    text = "Ulcers caused by ibuprofen can be treated with omeprazole."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("ibuprofen", "ulcers")}


def test_lowering_the_bodys_ability_to_fight_is_no_benefit(nlp):
    assert not pairs(nlp, "Ilaris can lower the immune system's ability to fight infections.", "TREATS")


def test_boosting_the_bodys_ability_to_fight_stays_a_benefit(nlp):
    assert pairs(nlp, "Echinacea boosts the body's ability to fight infections.", "TREATS") == {("echinacea", "infections")}


def test_what_made_people_leave_a_study_is_a_side_effect(nlp):
    text = "Only one participant treated with tenofovir withdrew from the study due to nausea."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("tenofovir", "nausea")}
    assert not pairs(nlp, text, "TREATS")


def test_a_reason_for_stopping_is_no_withdrawal_effect(nlp):
    text = "Five patients on lisinopril discontinued treatment due to cough."
    assert claims(nlp, text) == [("ADVERSE_EFFECT", "lisinopril", "cough", "asserted")]


def test_a_later_clause_opening_with_the_drug_is_the_drugs(nlp):
    text = "Celexa did not find a reduction in repetitive behaviors, but the drug did reduce irritability."
    assert pairs(nlp, text, "TREATS") == {("celexa", "irritability")}


def test_a_later_clause_about_other_drugs_is_not_the_drugs(nlp):
    assert claims(nlp, "Celexa helped some children, but the drugs of the other group caused nausea.") == []


def test_work_done_by_people_is_no_mechanism(nlp):
    text = "Grob says work by his group and others has shown that psilocybin can ease anxiety."
    assert not pairs(nlp, text, "MECHANISM")


def test_people_are_no_mechanism_target(nlp):
    text = "Psychedelics are thought to work by allowing individuals to have a spiritual experience."
    assert not pairs(nlp, text, "MECHANISM")


def test_a_gerund_after_works_by_stays_a_mechanism(nlp):
    assert pairs(nlp, "Metformin works by reducing glucose production in the liver.", "MECHANISM") == {
        ("metformin", "glucose production")}


def test_the_mechanism_slot_keeps_the_articles_words(nlp):
    text = ("For most people with ADHD, stimulants can boost focus by increasing the availability of these chemical "
            "messengers.")
    treats = [c for c in nlp(text)._.claims if c.relation == "TREATS"]
    assert [(c.effect, c.mechanism) for c in treats] == [
        ("focus", "increasing the availability of these chemical messengers")]
