"""Session 20: "reported" as a side-effect cue when the people who took the drug report the effect ("5% of patients
taking erenumab reported constipation"), not when researchers, a study or a meeting do, and not inside
"self-reported". The first test fails on the code before the cue; the others guard its exclusions."""
from __future__ import annotations

from claim_helpers import claims

BASE = "Researchers tested erenumab in 900 people with migraine. Erenumab is given as a monthly shot. "


def test_people_taking_the_drug_reported_an_effect(nlp):
    found = claims(nlp, BASE + "Five percent of patients taking erenumab reported constipation.")
    assert ("ADVERSE_EFFECT", "erenumab", "constipation", "asserted") in found


def test_what_researchers_or_a_meeting_reported_is_no_side_effect(nlp):
    for text in ("Researchers reported constipation in some patients.",
                 "Patients taking erenumab reported fewer headaches.",
                 "Scientists from the Mayo Clinic reported Monday at Digestive Diseases Week that erenumab works."):
        assert not any(c[0] == "ADVERSE_EFFECT" and c[1] == "erenumab" for c in claims(nlp, BASE + text)), text


def test_self_reported_symptoms_fewer_with_the_drug_are_a_benefit(nlp):
    found = claims(nlp, BASE + "Those who got erenumab had fewer self-reported respiratory symptoms.")
    assert not any(c[0] == "ADVERSE_EFFECT" and c[2] == "respiratory symptoms" for c in found), found
