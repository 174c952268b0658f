"""Session 21 rules, read off the errors of the 107 articles moved from the untouched set to tuning (batches 9-12):
a body substance named as a medicine ("supplemental estrogen", "too much caffeine"), a relative clause said of a noun
in apposition to the drug ("lithium - a mood stabiliser that ..."), something that puts people at risk, a purpose noun
whose drugs are named after it ("treatments for hair loss include ..."), a person's history ("who have had a heart
attack") and consumer names of conditions in the lexicon.

Each positive test fails on the code before its rule; each negative one pins what the rule must not reach.
"""
from __future__ import annotations

from claim_helpers import claims, pairs


def test_a_supplemental_body_substance_is_the_medicine(nlp):
    text = "The previous therapy was supplemental estrogen, which proved to have side effects like blood clots."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("estrogen", "blood clots")}


def test_too_much_of_a_substance_is_a_dose_of_it(nlp):
    text = "Too much caffeine could cause jitteriness and anxiety in some people."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("caffeine", "jitteriness"), ("caffeine", "anxiety")}


def test_how_much_of_a_substance_is_no_medicine(nlp):
    assert claims(nlp, "How much caffeine is in coffee can cause confusion.") == []


def test_a_relative_clause_of_a_noun_in_apposition_is_said_of_the_drug(nlp):
    text = "Lithium - a mood stabiliser that can protect against both depression and mania - remains in use."
    assert pairs(nlp, text, "PREVENTS") == {("lithium", "depression"), ("lithium", "mania")}


def test_a_relative_clause_of_another_noun_still_belongs_to_that_noun(nlp):
    assert claims(nlp, "Patients took aspirin with proteins that have been linked to inflammation.") == []


def test_what_puts_people_at_risk_causes_the_harm(nlp):
    text = "Using antidepressants late in pregnancy could put a baby at risk for respiratory failure."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("antidepressants", "respiratory failure")}


def test_people_at_risk_are_still_who_is_meant(nlp):
    assert pairs(nlp, "Patients at high risk of heart attack took aspirin.", "ADVERSE_EFFECT") == set()


def test_treatments_for_a_condition_named_before_the_drugs(nlp):
    text = ("Current treatments for hair loss are limited to two FDA-approved drugs, minoxidil and finasteride, which "
            "have mixed results.")
    assert pairs(nlp, text, "TREATS") == {("minoxidil", "hair loss"), ("finasteride", "hair loss")}


def test_drugs_for_a_condition_taken_by_patients_on_another_drug_are_others(nlp):
    assert claims(nlp, "Patients on warfarin also took drugs for diabetes.") == []


def test_who_have_had_a_condition_is_their_history(nlp):
    text = "Studies found that aspirin can help patients who have had (or are at risk for) a heart attack."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == set()
    assert pairs(nlp, text, "TREATS") | pairs(nlp, text, "PREVENTS") == {("aspirin", "heart attack")}


def test_consumer_names_of_conditions(nlp):
    found = pairs(nlp, "Cyclosporine is prescribed to treat transplant rejection. Aspirin is used for clogged arteries.",
                  "TREATS")
    assert found == {("cyclosporine", "transplant rejection"), ("aspirin", "clogged arteries")}


def test_what_people_on_a_drug_have_had_is_still_its_harm(nlp):
    text = "Patients on IVIG did well, and a few have had mild skin rashes."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("ivig", "mild skin rashes")}


def test_a_silver_bullet_is_no_drug(nlp):
    text = "For people with chronic back pain, a silver bullet has yet to be found. Side effects included headache."
    assert claims(nlp, text) == []


def test_what_a_person_has_had_is_their_history(nlp):
    text = "If a person wants to take a low-dose aspirin, especially if a person has had cancer, they should see a doctor."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == set()


def test_a_harm_more_common_with_the_drug_is_its_side_effect(nlp):
    text = "Acute pancreatitis was uncommon but higher with Januvia, 23 versus 12."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == {("januvia", "acute pancreatitis")}


def test_heart_rate_and_focus_are_outcomes_a_drug_changes(nlp):
    text = ("Beta-blockers were created to reduce heart rate and blood pressure. "
            "For most people with ADHD, stimulants can temporarily boost focus and motivation.")
    found = pairs(nlp, text, "TREATS")
    assert {("beta-blockers", "heart rate"), ("beta-blockers", "blood pressure"), ("stimulants", "focus"),
            ("stimulants", "motivation")} <= found


def test_a_drug_after_the_benefit_is_its_setting(nlp):
    found = claims(nlp, "Ondansetron prevents vomiting after chemotherapy.")
    assert {(c[0], c[1], c[2]) for c in found} == {("PREVENTS", "ondansetron", "vomiting")}


def test_a_surname_the_linker_reads_as_a_drug_is_a_person(nlp):
    text = "Lam and his colleagues evaluated whether light therapy improved mood with and without fluoxetine."
    assert {c[1] for c in claims(nlp, text)} == {"fluoxetine"}
    assert [e.text for e in nlp("Dr. Lam said lamivudine treats hepatitis B.").ents if e.label_ == "CHEMICAL"] == ["lamivudine"]


def test_a_country_s_initials_are_no_drug(nlp):
    text = "Chronic pain is the number one cause of disability in the U.S.1,2 SCS is an alternative. It reduced pain."
    assert claims(nlp, text) == []


def test_fewer_cases_of_a_disease_is_what_the_drug_prevents(nlp):
    text = "Aspirin was associated with a 64% decrease in fatal cases of esophageal cancer."
    found = claims(nlp, text)
    assert {(c[0], c[1], c[2]) for c in found} == {("PREVENTS", "aspirin", "esophageal cancer")}


def test_a_condition_mention_ends_at_an_adverb_or_a_modal(nlp):
    from pipeline.claim_candidates import cut_at_clause_verb

    doc = nlp.make_doc("patients should get an HIV test periodically while the nerve pain might ease")
    assert cut_at_clause_verb(doc[4:7]).text == "HIV test"
    assert cut_at_clause_verb(doc[9:13]).text == "nerve pain"
    assert cut_at_clause_verb(nlp.make_doc("congenital anomaly")[0:2]).text == "congenital anomaly"


def test_advice_to_get_a_test_is_no_side_effect(nlp):
    text = "For the same reason, patients should get an HIV test periodically while on the drug Truvada."
    assert pairs(nlp, text, "ADVERSE_EFFECT") == set()


def test_no_difference_between_the_drug_and_placebo_in_a_harm_is_a_denied_side_effect(nlp):
    text = ("There was also no significant difference between Januvia and placebo in infections, cancer, kidney failure "
            "or severe hypoglycemia, researchers reported.")
    found = {(c[0], c[1], c[2], c[3]) for c in claims(nlp, text)}
    assert {("ADVERSE_EFFECT", "januvia", "infections", "negated"),
            ("ADVERSE_EFFECT", "januvia", "kidney failure", "negated")} <= found


def test_a_short_form_the_article_never_defines_is_the_condition_it_spells(nlp):
    doc = nlp("Rheumatoid arthritis is common. Methotrexate is the first drug for RA. Patients in the UK took it.")
    assert [(e.text, e.label_) for e in doc.ents if e.text in ("RA", "UK")] == [("RA", "CONDITION")]
    assert ("TREATS", "methotrexate", "ra", "asserted") in claims(nlp, doc.text)


def test_cardiovascular_events_are_a_condition_and_cutting_one_prevents_it(nlp):
    text = ("Taking omega-3 fatty acids did not significantly reduce rates of serious heart attacks and other "
            "cardiovascular events. In the trial, aspirin cut heart attacks by a third.")
    found = {(c[0], c[1], c[2], c[3]) for c in claims(nlp, text)}
    assert ("TREATS", "omega-3 fatty acids", "cardiovascular events", "negated") in found
    assert ("PREVENTS", "aspirin", "heart attacks", "asserted") in found


def test_by_an_action_after_a_benefit_says_how_the_drug_works(nlp):
    text = ("Metformin is often used for type 2 diabetes to lower blood sugar levels by reducing glucose production "
            "in the liver.")
    found = {(c[0], c[1], c[2]) for c in claims(nlp, text)}
    assert ("MECHANISM", "metformin", "glucose production") in found
    assert not [c for c in claims(nlp, "The effect of aspirin was strengthened by increasing the dose.")
                if c[0] == "MECHANISM"]


def test_a_phrase_about_the_drug_itself_is_no_mechanism(nlp):
    text = "The finding could hurt Avastin by raising safety questions about Avastin."
    assert not [c for c in claims(nlp, text) if c[0] == "MECHANISM"]
