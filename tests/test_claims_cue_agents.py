"""Whose a harm cue is: session 17's rules, from the extractor's side-effect claims on 80 unannotated articles.

Each harm word must be said of the drug. These sentences put the cue on something else (a condition, another
agent, a dummy pronoun, a measured hormone) or use the word in another sense (an adjective, an auxiliary verb,
a passive "developed"); each test also checks that the ordinary wording still gives its claim.
"""
from __future__ import annotations

from pipeline.claim_candidates import cut_at_dash
from pipeline.claim_phrases import adjective_participle, condition_goes_down, measured_level, ranked_cause_subject

from claim_helpers import claims


def harms(nlp, text):
    return [c for c in claims(nlp, text) if c[0] == "ADVERSE_EFFECT"]


def test_an_objectless_participle_before_a_noun_is_an_adjective(rules_nlp):
    doc = rules_nlp.make_doc("EGCG and related compounds; statin-related pain; related to pain; opioid related deaths")
    related = [t.i for t in doc if t.lower_ == "related"]
    opioid = {related[3] - 1}
    assert [adjective_participle(doc, i, opioid) for i in related] == [True, False, False, False]
    text = "Studies found that EGCG and related compounds from tea suppress cognitive dysfunction and neurotoxicity."
    assert not [c for c in harms(rules_nlp, text) if c[1] == "egcg"]
    assert [c for c in harms(rules_nlp, "Ibuprofen is related to stomach ulcers.") if c[1:3] == ("ibuprofen", "stomach ulcers")]


def test_had_before_a_past_participle_is_an_auxiliary(rules_nlp):
    text = "Women who suffered thigh fractures had taken bisphosphonates for years for osteopenia."
    assert not [c for c in harms(rules_nlp, text) if c[2] == "osteopenia"]
    assert [c for c in harms(rules_nlp, "Two of the patients on clozapine had seizures.") if c[2] == "seizures"]


def test_a_drug_given_for_some_years_for_a_condition_treats_it(rules_nlp):
    found = claims(rules_nlp, "Doctors prescribed alendronate for five years for osteoporosis.")
    assert ("TREATS", "alendronate", "osteoporosis", "asserted") in found


def test_making_it_hard_to_breathe_has_no_drug_in_it(nlp):
    text = ("Kalydeco helps the protein work. As a result, sticky mucus builds up in a patient's lungs, causing "
            "infections and making it hard to breathe.")
    assert not [c for c in harms(nlp, text) if c[2] in ("hard to breathe", "infections")]
    assert ("ADVERSE_EFFECT", "kalydeco", "dizziness", "asserted") in claims(
        nlp, "Kalydeco helps the protein work. It can cause dizziness.")


def test_the_agent_of_due_to_follows_it(rules_nlp):
    text = "Many patients do not take glaucoma eye drops as directed due to forgetfulness."
    assert not harms(rules_nlp, text)
    assert ("ADVERSE_EFFECT", "aspirin", "stomach bleeding", "asserted") in claims(
        rules_nlp, "She had stomach bleeding due to aspirin.")


def test_a_ranked_cause_of_belongs_to_what_it_is_said_of(rules_nlp):
    doc = rules_nlp.make_doc("Glaucoma, the most common cause of blindness, and X is a leading cause of Y.")
    causes = [t.i for t in doc if t.lower_ == "cause"]
    assert [doc[ranked_cause_subject(doc, i)].text for i in causes] == ["Glaucoma", "X"]
    assert ranked_cause_subject(rules_nlp.make_doc("It can cause of"), 2) is None
    text = ("Ranibizumab is used to treat macular degeneration, the most common cause of severe vision loss in the "
            "elderly.")
    assert not harms(rules_nlp, text)
    text = "Paracetamol is the leading cause of acute liver failure."
    assert ("ADVERSE_EFFECT", "paracetamol", "acute liver failure", "asserted") in claims(rules_nlp, text)


def test_drugs_that_have_been_developed_for_conditions_do_not_cause_them(rules_nlp):
    text = ("We need trials in patients without the chronic conditions for which the drugs have been developed, such "
            "as rheumatoid arthritis.")
    assert not harms(rules_nlp, "Anti-inflammatory drugs may ease depression. " + text)
    assert [c for c in harms(rules_nlp, "Three patients on isoniazid developed hepatitis.") if c[2] == "hepatitis"]


def test_a_condition_that_shrinks_is_treated(rules_nlp):
    doc = rules_nlp.make_doc("led to tumor shrinkage ; had a decrease in tumour size ; led to tumour growth")
    tumors = [doc[i : i + 1] for i, t in enumerate(doc) if t.lower_ in ("tumor", "tumour")]
    cues = [doc[i : i + 1] for i, t in enumerate(doc) if t.lower_ in ("led", "had")]
    assert [condition_goes_down(doc, c, e) for c, e in zip(cues, tumors)] == [True, True, False]
    found = claims(rules_nlp, "Treatment with cabozantinib led to significant tumor shrinkage in ovarian cancer.")
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT" and c[2] == "tumor"]
    assert [c for c in found if c[0] == "TREATS" and c[2] == "tumor"]


def test_conditions_associated_with_each_other_are_no_drug_claim(rules_nlp):
    text = "Pimavanserin is the first drug approved to treat hallucinations associated with Parkinson's disease."
    found = claims(rules_nlp, text)
    assert ("TREATS", "pimavanserin", "hallucinations", "asserted") in found
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT"]


def test_a_measured_level_names_no_drug(rules_nlp):
    doc = rules_nlp.make_doc("higher levels of the male hormone testosterone and men who took testosterone")
    mentions = [doc[i : i + 1] for i, t in enumerate(doc) if t.lower_ == "testosterone"]
    assert [measured_level(doc, m) for m in mentions] == [True, False]
    text = "Girls with acne had higher levels of testosterone, a marker of polycystic ovary syndrome."
    assert not [c for c in claims(rules_nlp, text) if c[1] == "testosterone"]


def test_a_guideline_is_no_drug(nlp):
    text = ('New radiation guidelines were issued. "The guideline is timely," said Dr. Andrews. Side effects can '
            "include redness of the skin and swelling.")
    assert not [c for c in claims(nlp, text) if "guideline" in c[1]]


def test_a_dash_ends_a_condition_and_modified_side_effects_name_none(rules_nlp):
    doc = rules_nlp.make_doc("debilitating side effects — become a necessity")
    assert cut_at_dash(doc[0:7]).text == "debilitating side effects"
    text = ("Steroids like prednisone — which can cause cataracts, depression and other debilitating side effects — "
            "become a necessity.")
    effects = {c[2] for c in harms(rules_nlp, text) if c[1] == "prednisone"}
    assert {"cataracts", "depression"} <= effects
    assert not [e for e in effects if "side effect" in e or "necessity" in e]


def test_no_association_between_negates_every_pair_it_names(nlp):
    text = ("The team found no associations between coffee, iced tea, decaffeinated tea or soft drink consumption and "
            "the likelihood of having glaucoma.")
    found = [c for c in claims(nlp, text) if c[2] == "glaucoma"]
    assert found and all(c[3] == "negated" for c in found)
    text = "The team found a link between tea consumption and the likelihood of having glaucoma."
    assert [c for c in claims(nlp, text) if c[2] == "glaucoma" and c[3] != "negated"]


def test_an_association_after_a_noun_is_that_nouns(rules_nlp):
    text = "The study assessed how avocado consumption affected risk factors associated with cardiovascular disease."
    assert not harms(rules_nlp, text)
    assert [c for c in harms(rules_nlp, "Avocado consumption is associated with cardiovascular disease.")
            if c[2] == "cardiovascular disease"]


def test_a_relative_clause_after_a_comma_belongs_to_its_noun(nlp):
    text = ("It may be due to the drug's ability to reduce brain inflammation, which has been linked to Alzheimer's "
            "disease and major depression.")
    assert not harms(nlp, "Curcumin improved memory. " + text)
    text = ("Lunesta affects GABA receptors, which are found throughout the brain and are associated with side "
            "effects, including thinking disturbances.")
    assert [c for c in harms(nlp, text) if c[1] == "lunesta" and c[2] == "thinking disturbances"]


def test_a_stopped_study_is_no_withdrawal(rules_nlp):
    text = ("A federal study was stopped because women taking estrogen pills had higher rates of breast cancer.")
    found = [c for c in claims(rules_nlp, text) if c[2] == "breast cancer"]
    assert found and {c[0] for c in found} == {"ADVERSE_EFFECT"}
    found = claims(rules_nlp, "Stopping sertraline abruptly can cause dizziness.")
    assert ("WITHDRAWAL_EFFECT", "sertraline", "dizziness", "asserted") in found


def test_what_causes_a_disease_is_no_drug(rules_nlp):
    text = "Sertraline eased depression. It provides clues to understanding what causes depression."
    assert not harms(rules_nlp, text)
    assert harms(rules_nlp, "Sertraline eased depression. It causes nausea.")


def test_a_figure_and_a_speaker_are_no_conditions(nlp):
    found = claims(nlp, "Those on beta blockers also had a 57 percent reduced risk of getting a secondary cancer.")
    assert not [c for c in found if "percent" in c[2]]
    text = ("Cancer patients, due to the side effects of chemotherapy, often suffer from severe mental and physical "
            "fatigue, doctors say.")
    assert not [c for c in claims(nlp, text) if "doctor" in c[2]]


def test_a_title_drug_noun_needs_a_drug_the_article_discusses(rules_nlp):
    once = ("Minimally invasive treatment reduces knee pain\n\nThe procedure may let patients avoid the opioid pain "
            "medications linked to the epidemic.")
    assert not [c for c in claims(rules_nlp, once) if c[2] == "knee pain"]
    twice = ("New pill reduces knee pain\n\nThe pill, celecoxib, was tested in 300 patients. Celecoxib was taken "
             "daily.")
    assert [c for c in claims(rules_nlp, twice) if c[1] == "celecoxib" and c[2] == "knee pain"]


def test_some_medications_working_by_a_mechanism_are_no_named_drug(rules_nlp):
    text = ("Cocaine vaccines are being tested. Some medications currently available to treat addictions work by "
            "mimicking a drug in the brain.")
    assert not [c for c in claims(rules_nlp, text) if c[0] == "MECHANISM"]


def test_the_condition_a_treatment_is_for_is_no_side_effect(rules_nlp):
    text = ("Regulators recommend chondroitin as first-line treatments for osteoarthritis, because of the side effects "
            "associated with celecoxib.")
    assert not [c for c in harms(rules_nlp, text) if c[2] == "osteoarthritis"]


def test_a_cancer_that_regresses_is_treated(rules_nlp):
    text = "The vaccine stimulates the immune system, leading to regression of early-stage breast cancer."
    found = [c for c in claims(rules_nlp, "Researchers tested a dendritic cell vaccine. " + text) if c[2] == "breast cancer"]
    assert found and {c[0] for c in found} == {"TREATS"}


def test_a_group_low_in_a_nutrient_did_not_take_it(rules_nlp):
    text = "Lesions raised the risk for stroke and dementia in the low omega-3 fatty acids group."
    assert not [c for c in claims(rules_nlp, text) if "omega-3" in c[1]]


def test_symptoms_commonly_associated_with_a_condition(rules_nlp):
    text = "Finasteride offers men a treatment for urinary symptoms commonly associated with enlarged prostates."
    assert not harms(rules_nlp, text)
