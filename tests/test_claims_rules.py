"""Claims from hand-written sentences, through the dictionary-and-rules pipeline."""
from __future__ import annotations

import pytest

from claim_helpers import claims


def test_claims_asserted_side_effect(rules_nlp):
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers", "asserted") in claims(rules_nlp, "Ibuprofen can cause stomach ulcers.")


def test_claims_negated(rules_nlp):
    found = claims(rules_nlp, "Amoxicillin does not treat the common cold.")
    assert found and all(c[3] == "negated" for c in found)


def test_claims_hedged(rules_nlp):
    found = claims(rules_nlp, "Some studies suggest that omeprazole may raise the risk of fractures.")
    assert ("ADVERSE_EFFECT", "omeprazole", "fractures", "hedged") in found


def test_claims_a_booster_takes_the_doubt_out_of_an_association(rules_nlp):
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers", "asserted") in claims(
        rules_nlp, "Ibuprofen is clearly associated with stomach ulcers.")
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers", "hedged") in claims(
        rules_nlp, "Ibuprofen is associated with stomach ulcers.")


def test_claims_list_gives_one_claim_per_item(rules_nlp):
    found = claims(rules_nlp, "Common side effects of metformin include nausea, diarrhea and headache.")
    effects = {c[2] for c in found if c[0] == "ADVERSE_EFFECT"}
    assert {"nausea", "diarrhea", "headache"} <= effects


def test_claims_withdrawal_is_never_adverse(rules_nlp):
    found = claims(rules_nlp, "Stopping sertraline abruptly can cause dizziness and irritability.")
    relations = {c[0] for c in found}
    assert relations == {"WITHDRAWAL_EFFECT"}


def test_claims_pronoun_refers_to_the_named_drug(rules_nlp):
    found = claims(rules_nlp, "Gabapentin is used for nerve pain. It can also cause drowsiness.")
    assert ("ADVERSE_EFFECT", "gabapentin", "drowsiness", "asserted") in found


def test_claims_symptoms_of_a_disease_are_not_drug_effects(rules_nlp):
    text = "People taking sertraline should know the symptoms of depression, such as fatigue and insomnia."
    assert not [c for c in claims(rules_nlp, text) if c[2] in {"fatigue", "insomnia", "depression"} and c[0] == "ADVERSE_EFFECT"]


def test_claims_treats_and_prevents(rules_nlp):
    found = claims(rules_nlp, "Atorvastatin lowers the risk of heart attacks. Metformin is used to treat type 2 diabetes.")
    assert ("PREVENTS", "atorvastatin", "heart attacks", "asserted") in found
    assert ("TREATS", "metformin", "type 2 diabetes", "asserted") in found


def test_claims_mechanism_target(rules_nlp):
    doc = rules_nlp("Omeprazole works by blocking the proton pump in the stomach.")
    mech = [c for c in doc._.claims if c.relation == "MECHANISM"]
    assert mech and mech[0].effect.lower() == "proton pump" and "blocking" in mech[0].mechanism


def test_claims_carry_slots_and_highlights(rules_nlp):
    doc = rules_nlp("In older adults, ibuprofen at higher doses can cause bleeding in about 5% of users.")
    claim = next(c for c in doc._.claims if c.effect.lower() == "bleeding")
    assert claim.population == "older adults" and claim.dose == "higher doses"
    assert claim.frequency == "about 5%" and claim.frequency_band == "common"
    roles = {h.role for h in claim.highlights}
    assert {"drug", "effect", "population", "dose", "frequency"} <= roles
    assert doc.text[claim.evidence_start : claim.evidence_end] == claim.evidence


@pytest.mark.parametrize("text", ["Does aspirin cause stomach bleeding?", "Related: Aspirin Linked to Bleeding"])
def test_claims_questions_and_headings_state_nothing(rules_nlp, text):
    assert claims(rules_nlp, text) == []


def test_claims_works_by_phrase_gives_a_mechanism(rules_nlp):
    doc = rules_nlp("Desmopressin treats nocturia. It works by increasing the absorption of water through the kidneys.")
    mech = [c for c in doc._.claims if c.relation == "MECHANISM"]
    assert mech and mech[0].effect == "absorption of water through the kidneys" and mech[0].mechanism == "increasing"
    treats = next(c for c in doc._.claims if c.relation == "TREATS")
    assert "absorption of water" in treats.mechanism


def test_claims_population_falls_back_to_the_article_population(rules_nlp):
    text = "The trial enrolled adults with type 2 diabetes. Metformin lowered blood sugar. It can cause nausea."
    claim = next(c for c in rules_nlp(text)._.claims if c.effect == "nausea")
    assert claim.population == "adults with type 2 diabetes"


def test_claims_brand_in_parentheses_links_everywhere(rules_nlp):
    text = "Regulators approved Zonora (metformin) this week. Zonora can cause nausea."
    claims_found = [(c.drug, c.drug_id, c.effect) for c in rules_nlp(text)._.claims]
    assert any(drug == "Zonora" and drug_id and effect == "nausea" for drug, drug_id, effect in claims_found)


def test_claims_confidence_is_a_probability(rules_nlp):
    for claim in rules_nlp("Ibuprofen can cause stomach ulcers. Aspirin may be linked to bleeding.")._.claims:
        assert 0.0 <= claim.confidence <= 1.0 and claim.extractor


def test_claims_conditions_people_have_are_not_effects(rules_nlp):
    text = "Ibuprofen can cause stomach ulcers when patients drink alcohol or have kidney disease."
    effects = {c[2] for c in claims(rules_nlp, text)}
    assert "stomach ulcers" in effects and "kidney disease" not in effects


def test_claims_comparison_arm_gets_no_claim_for_the_main_arm_effect(rules_nlp):
    text = "Ibuprofen caused stomach bleeding more often than placebo did, versus 1 percent for celecoxib."
    found = claims(rules_nlp, text)
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach bleeding", "asserted") in found
    assert not [c for c in found if c[1] == "celecoxib"], found  # without the comparator rule: a claim for it


def test_claims_compound_action_word_names_the_target(rules_nlp):
    """"estrogen-blocking" is three tokens with tokenizer v2: estrogen is the target, tamoxifen the drug."""
    found = claims(rules_nlp, "Tamoxifen is an estrogen-blocking pill.")
    assert ("MECHANISM", "tamoxifen", "estrogen", "asserted") in found
    assert not [c for c in found if c[1] == "estrogen"], found


def test_claims_marker_status_is_not_a_mechanism_target(rules_nlp):
    """"estrogen-receptor positive tumors", "HER2-negative": the gene names a marker status, not a drug's target."""
    from spacy.tokens import Span

    from pipeline.claim_phrases import biomarker_status

    doc = rules_nlp.make_doc("tumors that are estrogen-receptor positive, HER2-negative cancer and the HER2 receptor")
    words = [t.text for t in doc]
    er = Span(doc, words.index("estrogen"), words.index("receptor") + 1, label="GENE_OR_PROTEIN")
    her2 = Span(doc, words.index("HER2"), words.index("HER2") + 1, label="GENE_OR_PROTEIN")
    last = len(words) - 1 - words[::-1].index("HER2")
    target = Span(doc, last, last + 2, label="GENE_OR_PROTEIN")
    assert biomarker_status(doc, er) and biomarker_status(doc, her2)
    assert not biomarker_status(doc, target)


def test_claims_plural_anaphor_refers_to_the_named_class(rules_nlp):
    found = claims(rules_nlp, "Statins lower cholesterol. The medications can cause muscle pain.")
    assert ("ADVERSE_EFFECT", "statins", "muscle pain", "asserted") in found


def test_claims_a_name_the_text_calls_a_gene_is_not_a_drug(rules_nlp):
    """The dictionary lists "ApoE4" (apolipoprotein E4) as a chemical; the sentence says it is a gene mutation."""
    text = ("Doctors may avoid giving bapineuzumab to patients with ApoE4, a gene mutation linked to Alzheimer's "
            "disease.")
    ents = {e.text: e.label_ for e in rules_nlp(text).ents}
    assert ents.get("ApoE4") == "CHEMICAL"  # the premise: without the rule this would be a drug
    assert not [c for c in claims(rules_nlp, text) if c[1] == "apoe4"]
    therapy = claims(rules_nlp, "Zolgensma, a gene therapy, can cause liver damage.")
    assert ("ADVERSE_EFFECT", "zolgensma", "liver damage", "asserted") in therapy


@pytest.mark.parametrize("text, expected", [
    ("Bisphosphonates slow bone loss in older women.", ("TREATS", "bisphosphonates", "bone loss")),
    ("Adding trametinib delays the emergence of drug resistance.", ("PREVENTS", "trametinib", "drug resistance")),
    ("Glitazones such as Avandia target insulin resistance.", ("TREATS", "avandia", "insulin resistance")),
])
def test_claims_consumer_verbs_of_benefit(rules_nlp, text, expected):
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert expected in found
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found)


def test_claims_targets_a_receptor_is_still_a_mechanism(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Tamoxifen targets estrogen receptors in breast tissue.")}
    assert ("MECHANISM", "tamoxifen", "estrogen receptors") in found


def test_claims_sentence_opening_they_refers_to_the_drug_just_named(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Aromatase inhibitors reduce breast cancer recurrence. They might also "
                                              "be associated with a greater risk of high blood pressure.")}
    assert ("ADVERSE_EFFECT", "aromatase inhibitors", "high blood pressure") in found


def test_claims_they_far_from_the_drug_is_not_the_drug(rules_nlp):
    found = claims(rules_nlp, "Statins lower cholesterol. Patients were followed for ten years. They reported "
                              "muscle pain.")
    assert not any(c[2] == "muscle pain" for c in found)


def test_claims_the_cue_next_to_the_effect_governs_it(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Treatment with trametinib led to a longer delay in drug resistance.")}
    assert ("PREVENTS", "trametinib", "drug resistance") in found
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found)
    found = {c[:3] for c in claims(rules_nlp, "Lisinopril, which is used to treat high blood pressure, may cause dizziness.")}
    assert ("ADVERSE_EFFECT", "lisinopril", "dizziness") in found and ("TREATS", "lisinopril", "dizziness") not in found


def test_claims_cancer_cells_are_not_the_disease(rules_nlp):
    found = claims(rules_nlp, "Chemotherapy kills cancer cells but can cause nausea.")
    assert not any(c[2] == "cancer" for c in found)
    assert ("ADVERSE_EFFECT", "chemotherapy", "nausea") in {c[:3] for c in found}


def test_claims_dummy_it_refers_to_nothing(rules_nlp):
    found = claims(rules_nlp, "Gabapentin is used for nerve pain. It is too early to say whether weight gain follows.")
    assert not any(c[2] == "weight gain" for c in found)
    found = claims(rules_nlp, "Gabapentin is used for nerve pain. It is known to cause drowsiness.")
    assert ("ADVERSE_EFFECT", "gabapentin", "drowsiness", "asserted") in found


def test_claims_a_pronoun_after_the_cue_and_effect_is_not_the_agent(rules_nlp):
    found = claims(rules_nlp, "Ibuprofen is sold over the counter. Braces help by reducing back pain, which means "
                              "it is past the acute stage.")
    assert not any(c[2] == "back pain" for c in found)
    found = claims(rules_nlp, "Doctors studied lisinopril. The most common side effects were headache and nausea "
                              "after receiving the drug.")
    assert {("ADVERSE_EFFECT", "lisinopril", "headache"), ("ADVERSE_EFFECT", "lisinopril", "nausea")} <= {c[:3] for c in found}


def test_claims_the_condition_of_the_group_helped_is_treated(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Probiotics could help millions of patients suffering from bipolar disorder.")}
    assert ("TREATS", "probiotics", "bipolar disorder") in found
    found = {c[:3] for c in claims(rules_nlp, "Metformin caused nausea in people with type 2 diabetes.")}
    assert ("ADVERSE_EFFECT", "metformin", "nausea") in found
    assert not any(c[2] == "type 2 diabetes" for c in found)


def test_claims_fewer_is_a_benefit_and_places_are_not_entities(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Women taking the supplement melatonin reported fewer hot flashes.")}
    assert ("TREATS", "melatonin", "hot flashes") in found
    doc = rules_nlp("DUARTE, Calif. -- Aspirin lowers the risk of breast cancer, the American Cancer Society says.")
    assert not any(e.text == "Calif." for e in doc.ents)
    assert not any(c.effect == "Cancer" for c in doc._.claims)  # the society, not the disease


@pytest.mark.parametrize("text, expected, absent", [
    ("People who took aspirin were 29% less likely to develop pancreatic cancer.",
     ("PREVENTS", "aspirin", "pancreatic cancer", "asserted"), "ADVERSE_EFFECT"),
    ("Patients taking empagliflozin had a 38 percent reduction in heart failure.",
     ("PREVENTS", "empagliflozin", "heart failure", "asserted"), "ADVERSE_EFFECT"),
])
def test_claims_less_likely_and_reductions_are_benefits(rules_nlp, text, expected, absent):
    found = claims(rules_nlp, text)
    assert expected in found and not any(c[0] == absent for c in found)


def test_claims_a_group_at_risk_and_another_clause_give_no_claim(rules_nlp):
    found = claims(rules_nlp, "Empagliflozin cut deaths in patients with diabetes at risk of heart attack and stroke.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found)
    found = {c[:3] for c in claims(rules_nlp, "Ibuprofen can cause stomach ulcers, and aspirin can cause bleeding.")}
    assert ("ADVERSE_EFFECT", "aspirin", "bleeding") in found and ("ADVERSE_EFFECT", "ibuprofen", "bleeding") not in found
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers") in found


def test_claims_including_after_an_effect_extends_its_relation(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Patients taking empagliflozin had a 38 percent reduction in "
                                              "cardiovascular death, including from heart attacks and strokes.")}
    assert {("PREVENTS", "empagliflozin", "heart attacks"), ("PREVENTS", "empagliflozin", "strokes")} <= found
    found = {c[:3] for c in claims(rules_nlp, "Metformin can cause stomach problems, including nausea and diarrhea.")}
    assert {("ADVERSE_EFFECT", "metformin", "nausea"), ("ADVERSE_EFFECT", "metformin", "diarrhea")} <= found


def test_claims_who_was_treated_is_not_what_was_treated(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Four studies reported an increased risk of kidney damage for "
                                              "participants treated with ifosfamide.")}
    assert ("ADVERSE_EFFECT", "ifosfamide", "kidney damage") in found and ("TREATS", "ifosfamide", "kidney damage") not in found
    found = {c[:3] for c in claims(rules_nlp, "About 4 in 10 people had moderate pain relief with capsaicin cream.")}
    assert ("TREATS", "capsaicin", "pain") in found and ("ADVERSE_EFFECT", "capsaicin", "pain") not in found


def test_claims_a_persons_own_risk_and_generic_lists_give_no_adverse_effect(rules_nlp):
    found = claims(rules_nlp, "Patients are urged to consider statins if they have an overall risk of 7.5 percent "
                              "of developing a heart attack.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found)
    found = {c[:3] for c in claims(rules_nlp, "Modafinil has been used for impulsive conditions, including ADHD.")}
    assert ("TREATS", "modafinil", "adhd") in found and ("ADVERSE_EFFECT", "modafinil", "adhd") not in found


def test_claims_a_hedge_in_an_earlier_clause_does_not_hedge_the_claim(rules_nlp):
    found = claims(rules_nlp, "Heart disease is linked to obesity, and ibuprofen relieves joint pain.")
    assert ("TREATS", "ibuprofen", "joint pain", "asserted") in found
    assert ("ADVERSE_EFFECT", "omeprazole", "fractures", "hedged") in claims(
        rules_nlp, "Some studies suggest that omeprazole may raise the risk of fractures.")


def test_claims_it_has_been_estimated_that_refers_to_nothing(rules_nlp):
    found = claims(rules_nlp, "Gabapentin is a new drug. It has been estimated that the lifetime risk of fractures "
                              "for a 60-year-old woman is 44 percent.")
    assert not any(c[2] == "fractures" for c in found)


# ---- session 7: rules found on the project's own held-out consumer articles (evaluation/claims_holdout) -----------

def test_claims_pain_free_is_an_outcome_not_a_condition(rules_nlp):
    found = claims(rules_nlp, "Pentoxifylline improved pain-free walking distance.")
    assert not any(c[2] == "pain" for c in found), found


def test_claims_benefit_compound_is_a_treats_cue(rules_nlp):
    found = claims(rules_nlp, "The review assessed the pain-relieving effectiveness and the adverse effects of aspirin.")
    assert ("TREATS", "aspirin", "pain") in {c[:3] for c in found}
    assert not any(c[0] == "ADVERSE_EFFECT" and c[2] == "pain" for c in found), found


def test_claims_drug_in_condition_is_what_it_is_used_for(rules_nlp):
    found = claims(rules_nlp, "This review studied single doses of aspirin in acute postoperative pain.")
    assert any(c[0] == "TREATS" and c[1] == "aspirin" and "pain" in c[2] for c in found), found
    # "in trials" is not a condition: the list after "included" stays side effects
    found = claims(rules_nlp, "Side effects of metformin in trials included nausea and dizziness.")
    assert ("ADVERSE_EFFECT", "metformin", "nausea") in {c[:3] for c in found}


def test_claims_side_effects_go_to_the_drug_under_discussion_past_a_later_anaphor(rules_nlp):
    text = ("Researchers saw large differences in the effects of pentoxifylline. The most common side effects were "
            "nausea and headache, and the drug was well tolerated.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert {("ADVERSE_EFFECT", "pentoxifylline", "nausea"), ("ADVERSE_EFFECT", "pentoxifylline", "headache")} <= found


def test_claims_condition_in_an_organisations_name_is_no_effect(rules_nlp):
    text = "Antihistamines treat hay fever, according to the American College of Allergy, Asthma & Immunology."
    assert not any(c[2] == "asthma" for c in claims(rules_nlp, text))


def test_claims_an_ion_is_not_the_drug_under_discussion(rules_nlp):
    text = ("Ivacaftor improved lung function. The sweat test suggested an effect on chloride ions. "
            "The main side effects were headache and rash.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert ("ADVERSE_EFFECT", "ivacaftor", "headache") in found
    assert not any("chloride" in c[1] for c in found), found


def test_claims_a_plural_dosage_form_makes_a_class_for_these_drugs(rules_nlp):
    text = ("Antihistamines are cheap. Doctors like steroid nasal sprays. "
            "These drugs can cause nosebleeds.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert any(c[0] == "ADVERSE_EFFECT" and c[1].startswith("steroid") for c in found), found
    assert not any(c[1] == "antihistamines" for c in found), found


def test_claims_possible_to_is_a_dummy_it(rules_nlp):
    text = "Ibuprofen was studied. With a saliva test it is possible to predict who will develop Alzheimer's disease."
    assert not claims(rules_nlp, text)


def test_claims_shortened_is_a_benefit(rules_nlp):
    found = claims(rules_nlp, "In three trials zinc acetate lozenges shortened colds by 40%.")
    assert any(c[0] == "TREATS" and c[2].startswith("cold") for c in found), found


def test_claims_passive_by_cue_needs_its_agent_after_by(rules_nlp):
    found = claims(rules_nlp, "Tandospirone reversed the memory loss caused by heavy drinking.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found), found


def test_claims_it_turns_out_refers_to_nothing(rules_nlp):
    text = ("Lampalizumab was tested in 129 patients. It turns out that many carry a gene variant known to increase "
            "the risk of getting macular degeneration.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in claims(rules_nlp, text))


def test_claims_compound_mechanism_goes_to_the_drug_it_describes(rules_nlp):
    found = claims(rules_nlp, "All patients took aspirin and cholesterol-lowering statins.")
    mechanisms = {(c[1], c[2]) for c in found if c[0] == "MECHANISM"}
    assert mechanisms and all(d != "aspirin" for d, _ in mechanisms), found


def test_claims_relative_clause_of_another_noun_is_not_the_drugs(rules_nlp):
    found = claims(rules_nlp, "Dupilumab works by blocking proteins that have been linked to inflammation.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found), found
    found = claims(rules_nlp, "Ibuprofen is a drug that can cause stomach ulcers.")
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers") in {c[:3] for c in found}


def test_claims_lowering_a_risk_is_a_benefit_not_a_mechanism(rules_nlp):
    found = claims(rules_nlp, "Statins are designed to lower the risk of heart attack.")
    assert any(c[0] == "PREVENTS" and "heart attack" in c[2] for c in found), found
    assert not any(c[0] == "MECHANISM" for c in found), found


def test_calendar_words_and_company_names_are_never_drugs(nlp):
    doc = nlp("(Reuters) - A new asthma drug slashed attacks by 87 percent, Regeneron said on Tuesday. "
              "Aurin Biotech develops agents for the treatment of Alzheimer's disease.")
    assert not any(e.text in {"Tuesday", "Aurin"} for e in doc.ents), [(e.text, e.label_) for e in doc.ents]


def test_claims_a_manner_adverb_inside_a_cue_does_not_break_it(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Tandospirone acts selectively on a serotonin receptor.")}
    assert ("MECHANISM", "tandospirone", "serotonin receptor") in found


def test_claims_interaction_after_the_cue_belongs_to_the_drug_under_discussion(rules_nlp):
    text = ("Cannabidiol may interact badly with some anti-seizure medications. The oil appeared to interact "
            "negatively with two other drugs, clobazam and carbamazepine.")
    found = {c[:3] for c in claims(rules_nlp, text) if c[0] == "INTERACTS_WITH"}
    assert {("INTERACTS_WITH", "cannabidiol", "clobazam"), ("INTERACTS_WITH", "cannabidiol", "carbamazepine")} <= found
    assert not any(d == "clobazam" for _, d, _ in found), found


def test_claims_condition_of_the_group_heads_a_list_of_benefits(rules_nlp):
    text = "Ketamine is a drug. There is growing evidence it can help people with anxiety, bipolar disorder and depression."
    found = {c for c in claims(rules_nlp, text) if c[0] == "TREATS"}
    assert {e for _, _, e, _ in found} >= {"anxiety", "bipolar disorder", "depression"}, found
    assert all(c[3] == "hedged" for c in found), found


def test_claims_a_drug_named_as_the_comparison_is_not_the_agent(rules_nlp):
    text = ("Some decongestant sprays such as Afrin — unlike the steroid nasal sprays — can be used for only a few days "
            "because they otherwise cause rebound congestion.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert not any(d.startswith("steroid") for _, d, _ in found), found


def test_claims_a_bare_this_carries_claims_over_only_before_a_verb_of_effect(rules_nlp):
    text = "Bapineuzumab caused brain swelling. This resulted in headache and hallucinations."
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert ("ADVERSE_EFFECT", "bapineuzumab", "headache") in found, found
    text = ("Tandospirone reversed the deficit. This opens the way to ask if anxiety is associated with memory loss.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in claims(rules_nlp, text))


def test_claims_the_sprays_refers_to_the_class_not_the_last_single_drug(rules_nlp):
    text = ("Steroid nasal sprays work well. Older antihistamines, such as Benadryl, remain available. "
            "Some children using the sprays may experience nosebleeds.")
    found = {c[:3] for c in claims(rules_nlp, text) if c[0] == "ADVERSE_EFFECT"}
    assert found and not any(d == "benadryl" for _, d, _ in found), found


def test_claims_with_or_without_and_not_100_percent_are_no_negation(rules_nlp):
    found = claims(rules_nlp, "Men with or without bone metastases were treated with leuprolide for prostate cancer.")
    assert found and all(c[3] != "negated" for c in found), found
    found = claims(rules_nlp, "Zidovudine is not 100% effective in preventing HIV infection.")
    assert found and all(c[3] != "negated" for c in found), found


def test_claims_a_falling_risk_is_a_benefit(rules_nlp):
    for text in ("Taking bisphosphonates was associated with a 59 percent reduction in relative risk for colorectal cancer.",
                 "Users of NSAIDs have a lower risk of skin cancer, [including] malignant melanoma and basal cell carcinoma."):
        found = claims(rules_nlp, text)
        assert found and not any(c[0] == "ADVERSE_EFFECT" for c in found), found
        assert any(c[0] == "PREVENTS" for c in found), found


def test_claims_the_cause_after_due_to_is_not_the_drug_before(rules_nlp):
    text = "Ibuprofen with acetaminophen relieved arm or leg pain due to sprain or fracture."
    assert not any(c[0] == "ADVERSE_EFFECT" for c in claims(rules_nlp, text))


def test_claims_condition_prevention_and_a_person_who_had_it(rules_nlp):
    found = claims(rules_nlp, "Doctors urge people to take aspirin for cancer prevention.")
    assert ("PREVENTS", "aspirin", "cancer") in {c[:3] for c in found}, found
    found = claims(rules_nlp, "Guidelines urge people to take aspirin to prevent strokes if they have already had a heart attack.")
    assert not any(c[0] == "ADVERSE_EFFECT" and "heart attack" in c[2] for c in found), found


def test_claims_a_chemical_naming_a_condition_is_no_drug(rules_nlp):
    text = ("Ipilimumab improved survival. Many patients developed side effects such as skin rashes, diarrhea, "
            "thyroid imbalances or hepatitis.")
    found = claims(rules_nlp, text)
    assert not any(c[1] == "thyroid" for c in found), found


def test_claims_the_underlying_cause_of_a_disease_is_no_side_effect(rules_nlp):
    found = claims(rules_nlp, "Still, pridopidine does not get at the underlying cause of Huntington's disease.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found), found


def test_claims_an_improved_outcome_measure_is_what_the_drug_treats(rules_nlp):
    found = claims(rules_nlp, "The drug ivacaftor improved lung function and extended survival in the trial.")
    effects = {c[2] for c in found if c[0] == "TREATS" and c[1] == "ivacaftor"}
    assert {"lung function", "survival"} <= effects, found
    # an outcome word modifying a condition is the condition's, and no improvement word means no claim
    found = claims(rules_nlp, "Ivacaftor was studied for vision loss. Researchers measured lung function.")
    assert not any(c[2] in {"vision", "lung function"} for c in found), found


def test_claims_made_him_nauseous_is_a_side_effect(rules_nlp):
    found = claims(rules_nlp, "Chemotherapy made him nauseous.")
    assert any(c[0] == "ADVERSE_EFFECT" and c[2] == "nauseous" for c in found), found


def test_claims_a_rate_similar_to_placebo_is_negated(rules_nlp):
    found = claims(rules_nlp, "With ustekinumab, side effects such as serious infections were similar to placebo.")
    assert found and all(c[3] == "negated" for c in found if c[0] == "ADVERSE_EFFECT"), found


def test_claims_reference_lines_roles_and_hyphen_modifiers_make_no_claims(nlp):
    doc = nlp("Amin AP, Patterson M, House JA, Giersiefen H, Spertus JA. Costs associated with access site and "
              "diabetes mellitus. \"It causes a lot of uncertainty,\" said co-author Yuting Zhang. Patients develop "
              "thick, red skin with flaky, silver-white scales.")
    assert not doc._.claims, [(c.drug, c.relation, c.effect) for c in doc._.claims]


def test_claims_a_compound_mechanism_without_a_named_drug_is_nobodys(rules_nlp):
    text = "The usual treatment is surgery followed by years of a hormone-blocking drug, and adding chemo does little."
    assert not any(c[0] == "MECHANISM" for c in claims(rules_nlp, text))


def test_claims_skipped_drug_and_people_on_a_drug_are_not_agents(rules_nlp):
    found = claims(rules_nlp, "Women who skipped chemotherapy had a low chance of breast cancer recurring.")
    assert not any(c[1] == "chemotherapy" for c in found), found
    found = claims(rules_nlp, "Doctors must decide how to treat patients on warfarin who suffer a major bleeding event.")
    assert not any(c[0] == "TREATS" for c in found), found


def test_claims_no_contraindication_as_a_negated_treatment(rules_nlp):
    found = claims(rules_nlp, "Doctors should not administer brodalumab to patients with active tuberculosis.")
    assert not any(c[0] == "TREATS" and c[3] == "negated" for c in found), found


def test_claims_both_drugs_and_the_bone_drugs_refer_back(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Nivolumab was compared with ipilimumab. The most common side effects "
                                              "for both drugs were fatigue and diarrhea.")}
    assert {("ADVERSE_EFFECT", "nivolumab", "fatigue"), ("ADVERSE_EFFECT", "ipilimumab", "fatigue")} <= found, found
    found = {c[:3] for c in claims(rules_nlp, "Alendronate is a bisphosphonate. The most serious side effect of the "
                                              "bone drugs is bone death, or osteonecrosis, of the jaw.")}
    assert ("ADVERSE_EFFECT", "alendronate", "osteonecrosis") in found, found
    assert not any(e.startswith("of ") for _, _, e in found), found


def test_claims_a_coordinated_noun_phrase_is_no_new_clause(rules_nlp):
    text = ("Those taking empagliflozin had a 32 percent lower risk of dying from any cause, and a 35 percent lower "
            "rate of hospitalizations from heart failure.")
    assert ("PREVENTS", "empagliflozin", "heart failure") in {c[:3] for c in claims(rules_nlp, text)}


def test_claims_a_lowered_body_measure_is_what_the_drug_treats(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Standard treatments included statins, which lower cholesterol.")}
    assert ("TREATS", "statins", "cholesterol") in found, found
    # a measure named without a lowering word makes no claim
    assert not any(c[2] == "cholesterol" for c in claims(rules_nlp, "Statins were given; cholesterol was measured."))


def test_claims_side_effects_without_a_drug_go_to_the_articles_main_drug(rules_nlp):
    text = ("Sofosbuvir cured hepatitis C in children. Sofosbuvir was given for 12 weeks. In adults, sofosbuvir is "
            "already approved. The old standard of care was ribavirin. The most common side effects were headache "
            "and fatigue.")
    found = {c[:3] for c in claims(rules_nlp, text) if c[0] == "ADVERSE_EFFECT"}
    assert ("ADVERSE_EFFECT", "sofosbuvir", "headache") in found, found
    assert not any(d == "ribavirin" for _, d, _ in found), found


def test_claims_a_list_word_is_a_side_effect_cue_only_after_a_word_for_harms(rules_nlp):
    text = ("Medicines backed by the strongest evidence include anti-seizure drugs (topiramate), blood pressure "
            "drugs (metoprolol) and triptans for migraines.")
    found = claims(rules_nlp, text)
    assert not any(c[0] == "ADVERSE_EFFECT" for c in found), found
    assert not any(c[1] == "metoprolol" and c[2] == "seizure" for c in found), found  # "anti-seizure drugs (topiramate)"


def test_claims_semicolons_separate_the_items_of_a_pipeline_list(rules_nlp):
    text = ("Candidates include Probuphine, a buprenorphine implant for opioid addiction; and a risperidone implant "
            "for schizophrenia.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert not any(d in {"probuphine", "buprenorphine"} and e == "schizophrenia" for _, d, e in found), found


def test_claims_et_al_reference_lines_and_countries_make_no_claims(nlp):
    doc = nlp("7 Sulkowski MS, et al. Daclatasvir plus sofosbuvir for chronic HCV infection. According to the "
              "Anxiety and Depression Association of America, 15 million adults suffer from major depressive disorder.")
    assert not doc._.claims, [(c.drug, c.relation, c.effect) for c in doc._.claims]


def test_claims_outcomes_after_a_possessive_and_in_a_list(rules_nlp):
    found = {c[2] for c in claims(rules_nlp, "Testosterone replacement therapy can boost men's energy levels.") if c[0] == "TREATS"}
    assert "energy levels" in found, found
    found = {c[2] for c in claims(rules_nlp, "Ivacaftor improves concentration, coordination and endurance.") if c[0] == "TREATS"}
    assert {"concentration", "coordination", "endurance"} <= found, found


def test_claims_a_measure_raised_for_the_better_is_what_the_drug_treats(rules_nlp):
    found = {c[:3] for c in claims(rules_nlp, "Enclomiphene restored blood testosterone levels to normal.")}
    assert ("TREATS", "enclomiphene", "blood testosterone levels") in found, found
    found = claims(rules_nlp, "Ibuprofen raised the risk of stomach bleeding.")
    assert all(c[0] == "ADVERSE_EFFECT" for c in found) and found, found


def test_claims_a_title_naming_a_drug_noun_states_the_main_drugs_claim(rules_nlp):
    text = ("New pill prevents strokes in atrial fibrillation patients\n\nRivaroxaban was studied in 14,000 patients. "
            "Rivaroxaban worked as well as warfarin.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert ("PREVENTS", "rivaroxaban", "strokes") in found, found
    # a title without a drug noun stays a heading
    text = "Strokes in atrial fibrillation\n\nRivaroxaban was studied in 14,000 patients."
    assert not claims(rules_nlp, text)


def test_claims_protective_and_curative_wording(rules_nlp):
    assert ("PREVENTS", "denosumab", "fractures", "asserted") in claims(
        rules_nlp, "Denosumab can protect weakened bones from fractures.")
    assert ("PREVENTS", "aspirin", "colorectal cancer", "hedged") in claims(
        rules_nlp, "Aspirin may offer some protection against colorectal cancer.")
    assert ("PREVENTS", "warfarin", "blood clots", "asserted") in claims(
        rules_nlp, "People take warfarin to avoid blood clots.")
    assert ("TREATS", "sumatriptan", "migraine", "asserted") in claims(
        rules_nlp, "Sumatriptan has proved successful in curing migraine attacks once they begin.")


def test_claims_a_clause_opening_with_the_drugs_pronoun_is_the_drugs(rules_nlp):
    assert ("ADVERSE_EFFECT", "palbociclib", "neutropenia", "asserted") in claims(
        rules_nlp, "Palbociclib is taken once daily, and its main adverse effect is neutropenia.")
    # without the pronoun the later clause is about something else
    assert not any(c[2] == "pneumonia" for c in claims(
        rules_nlp, "Amoxicillin is taken three times a day, and smoking is linked to pneumonia."))


def test_claims_a_relative_clause_of_another_noun_is_not_the_drugs(nlp, rules_nlp):
    found = claims(nlp, "Palbociclib causes neutropenia, a low count of neutrophils, a type of white blood cell that "
                        "helps fight infections.")
    assert ("ADVERSE_EFFECT", "palbociclib", "neutropenia", "asserted") in found
    assert not any(c[2] == "infections" for c in found)
    assert not claims(nlp, "Palbociclib harms neutrophils, the cells that fight infections.")
    # a formulation of the drug is the drug: "a foam that targets varicose veins"
    assert ("TREATS", "polidocanol", "varicose veins", "asserted") in claims(
        rules_nlp, "Doctors use polidocanol to make an injectable foam that targets varicose veins.")


def test_claims_a_reason_to_stop_the_drug_is_not_its_benefit(rules_nlp):
    found = claims(rules_nlp, "Doctors may discontinue the warfarin to avoid further bleeding.")
    assert not any(c[0] in ("TREATS", "PREVENTS") and c[2] == "bleeding" for c in found)
    found = claims(rules_nlp, "Patients should stop taking ibuprofen to prevent stomach bleeding.")
    assert not any(c[0] in ("TREATS", "PREVENTS") and c[2] == "stomach bleeding" for c in found)


def test_claims_a_compound_cue_needs_the_drug_as_its_first_half(nlp):
    found = claims(nlp, "Experts recommend propranolol and timolol, and for menstrual-related migraines, frovatriptan.")
    assert not any(c[0] == "ADVERSE_EFFECT" and "migraine" in c[2] for c in found)
    assert ("ADVERSE_EFFECT", "statin", "muscle pain", "asserted") in claims(nlp, "Statin-related muscle pain is common.")


def test_claims_body_measures_may_be_proteins_and_people_on_a_drug_are_not_its_agent(nlp):
    found = claims(nlp, "Anacetrapib had an impact on cholesterol, lowering LDL by 40% and raising HDL by 138%, in "
                        "patients who were already taking statins.")
    assert {("TREATS", "anacetrapib", "ldl"), ("TREATS", "anacetrapib", "hdl")} <= {c[:3] for c in found}
    assert not any(c[1] == "statins" for c in found)


def test_claims_a_raised_measure_that_should_be_low_is_a_harm(nlp):
    found = claims(nlp, "Decongestants can raise blood pressure.")
    assert ("ADVERSE_EFFECT", "decongestants", "raise blood pressure", "asserted") in found
    # the verb is the rise's own, also for the next item of a list and when another cue is nearer the drug
    found = claims(nlp, "Some decongestants can cause jitters and raise blood pressure and blood sugar.")
    assert {("ADVERSE_EFFECT", "decongestants", "raise blood pressure"),
            ("ADVERSE_EFFECT", "decongestants", "raise blood sugar")} <= {c[:3] for c in found}
    assert ("TREATS", "anacetrapib", "hdl", "asserted") in claims(nlp, "Anacetrapib raised HDL.")
    row = next(c for c in nlp("Decongestants can raise blood pressure.")._.claims)
    assert row.effect_type == "OUTCOME"


def test_claims_a_previous_condition_is_history_not_an_effect(nlp):
    found = claims(nlp, "Hydroxyprogesterone reduces the risk of premature birth among women who are at high risk "
                        "because they had a previous preterm birth.")
    assert ("PREVENTS", "hydroxyprogesterone", "premature birth", "asserted") in found
    assert not any(c[2] == "preterm birth" for c in found)


def test_claims_a_lowered_condition_risk_is_prevention(nlp):
    assert ("PREVENTS", "aspirin", "heart attack", "hedged") in claims(nlp, "Aspirin may cut heart attack risk by 20%.")


def test_claims_what_people_on_the_drug_had_is_an_effect_not_their_history(nlp):
    assert ("ADVERSE_EFFECT", "talazoparib", "anemia", "asserted") in claims(
        nlp, "Among women receiving talazoparib, 55 percent had anemia.")
    assert not any(c[2] == "kidney disease" for c in claims(
        nlp, "Patients taking metformin who have kidney disease need lower doses."))


def test_claims_what_patients_experienced_belongs_to_the_drug_under_discussion(nlp):
    text = ("Bimatoprost is given as a ring placed in the eye. Some patients experienced itchiness and eye redness, "
            "which is not unusual.")
    found = claims(nlp, text)
    assert ("ADVERSE_EFFECT", "bimatoprost", "itchiness") in {c[:3] for c in found}
    improved = claims(nlp, "Natalizumab was given monthly. Forty percent of participants experienced some lasting "
                           "reversal of symptoms such as vision loss and muscle weakness.")
    assert not any(c[0] == "ADVERSE_EFFECT" for c in improved)


def test_claims_mechanism_verbs_in_every_form(nlp):
    assert ("MECHANISM", "antihistamines", "histamine") in {c[:3] for c in claims(nlp, "Antihistamines target histamine.")}


def test_claims_a_condition_naming_what_medicines_are_for_is_no_side_effect(nlp):
    text = ("Vicks VapoRub is a popular rub. Oral cough and cold medications are not effective for children and have "
            "the potential for side effects.")
    assert not any(c[0] == "ADVERSE_EFFECT" and c[2] in ("cough", "cold") for c in claims(nlp, text))
    listed = claims(nlp, "Pentoxifylline was studied. The most commonly reported side effects were gastrointestinal "
                         "symptoms, mainly nausea, and the drug was well tolerated.")
    assert ("ADVERSE_EFFECT", "pentoxifylline", "nausea") in {c[:3] for c in listed}


def test_claims_a_nutrient_given_as_a_product_is_a_drug(rules_nlp):
    found = claims(rules_nlp, "Zinc lozenges can cause constipation.")
    assert ("ADVERSE_EFFECT", "zinc", "constipation", "asserted") in found
    assert not claims(rules_nlp, "Zinc in the blood can cause constipation.")  # the body's zinc is no medicine


def test_claims_consumer_verbs_blamed_for_and_quelled(rules_nlp):
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers", "hedged") in claims(  # blame is an attribution
        rules_nlp, "Ibuprofen has been blamed for stomach ulcers.")
    assert ("TREATS", "ibuprofen", "migraine", "asserted") in claims(rules_nlp, "Ibuprofen quelled her migraine.")


def test_claims_an_effect_attributed_to_the_drug_is_a_hedged_side_effect(rules_nlp):
    found = claims(rules_nlp, "She took ibuprofen for a year. She suffered nausea and headaches, all of which she "
                              "attributes to the drug.")
    assert ("ADVERSE_EFFECT", "ibuprofen", "nausea", "hedged") in found
    assert ("ADVERSE_EFFECT", "ibuprofen", "headaches", "hedged") in found


def test_claims_an_anti_word_describing_the_drug_is_its_mechanism(nlp):
    from pipeline.claim_phrases import described_action

    doc = nlp("The anti-TNF drug adalimumab treats rheumatoid arthritis.")
    assert [c.mechanism for c in doc._.claims if c.drug == "adalimumab"] == ["anti-TNF"]
    doc = nlp("The nonsteroidal anti-inflammatory drug ibuprofen may prevent Alzheimer's disease.")
    drug = [e for e in doc.ents if e.text == "ibuprofen"][0]
    assert described_action(doc, drug) == "anti-inflammatory"
    doc = nlp("Ibuprofen treats pain.")
    assert described_action(doc, doc.ents[0]) == ""


def test_claims_an_anti_word_naming_an_indication_is_no_mechanism(nlp):
    from pipeline.claim_phrases import described_action

    doc = nlp("Doctors prescribe the anti-seizure drug topiramate to prevent migraine.")
    drug = [e for e in doc.ents if e.text == "topiramate"][0]
    assert described_action(doc, drug) == ""
    doc = nlp("The anti-PD-1 antibody nivolumab treats melanoma.")
    drug = [e for e in doc.ents if e.text == "nivolumab"][0]
    assert described_action(doc, drug) == "anti-PD-1"


def test_claims_in_cases_of_names_a_setting_not_a_harm(rules_nlp):
    found = claims(rules_nlp, "Early trials of ibuprofen have shown promise of effectiveness in cases of migraine.")
    assert ("TREATS", "ibuprofen", "migraine", "hedged") in found
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT"]
    assert ("ADVERSE_EFFECT", "ibuprofen", "stomach ulcers", "asserted") in claims(
        rules_nlp, "Ibuprofen led to cases of stomach ulcers.")


def test_claims_an_outcome_the_drug_is_sold_for_is_no_side_effect(rules_nlp):
    text = ("Orlistat, a weight loss medication, is associated with a seven-pound weight loss after a year.")
    found = claims(rules_nlp, text)
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT" and "weight loss" in c[2]], found
    assert [c for c in found if c[0] == "TREATS" and "weight loss" in c[2]], found
    # a harm cue keeps its meaning: "asthma medications" does not make worsened asthma a benefit
    text = "Children on asthma medications had worse asthma when receiving ibuprofen."
    assert not [c for c in claims(rules_nlp, text) if c[0] == "TREATS" and c[1] == "ibuprofen"]


def test_claim_phrases_amount_of_an_effect():
    import spacy

    from pipeline.claim_phrases import amount_of

    nlp = spacy.blank("en")
    assert amount_of(nlp("a seven-pound weight loss")[:]) == "weight loss"
    assert amount_of(nlp("18-22 pound weight loss")[:]) == "weight loss"
    assert amount_of(nlp("low blood pressure")[:]) == "low blood pressure"


def test_claims_medicines_named_by_what_they_are_for_are_a_drug_class(rules_nlp):
    found = claims(rules_nlp, "Some people react poorly to higher doses of blood pressure medicines and experience side "
                              "effects, such as dizziness, falls and weakness.")
    assert {("blood pressure medicines", e) for e in ("dizziness", "falls", "weakness")} <= {(c[1], c[2]) for c in found
                                                                                             if c[0] == "ADVERSE_EFFECT"}
    # one drug, the article's own ("a diabetes drug"), and "non-glaucoma medications" are no class
    for text in ("The new diabetes drug caused nausea in some patients.",
                 "The device could also deliver non-glaucoma medications for dry eye and allergies."):
        assert not any(c[1].endswith(("diabetes drug", "glaucoma medications")) for c in claims(rules_nlp, text)), text


def test_claims_each_of_these_refers_to_every_drug_named_before(rules_nlp):
    found = claims(rules_nlp, "Potent drugs including opioids and dopamine agonists have been used, but each of these "
                              "is accompanied by side effects such as dizziness and nausea.")
    pairs = {(c[1], c[2]) for c in found if c[0] == "ADVERSE_EFFECT"}
    assert {("opioids", "dizziness"), ("dopamine agonists", "dizziness"), ("opioids", "nausea")} <= pairs


def test_claims_symptoms_without_an_owner_are_the_articles_condition(rules_nlp):
    text = ("Restless legs syndrome keeps people awake. Restless legs syndrome affects millions. "
            "Ropinirole has been used to ease symptoms.")
    assert ("TREATS", "ropinirole", "restless legs syndrome") in {c[:3] for c in claims(rules_nlp, text)}
    # "other symptoms" after a list of harms are not the article's condition
    text = ("Restless legs syndrome keeps people awake. Restless legs syndrome affects millions. "
            "Ropinirole resulted in headache or other symptoms.")
    assert not any(c[0] == "TREATS" for c in claims(rules_nlp, text))


def test_lexicon_withdrawn_brands_link_to_their_generic(rules_nlp):
    doc = rules_nlp("Vioxx and Bextra were linked to heart attacks; Meridia too.")
    names = {e.text: e._.concept_name.lower() for e in doc.ents if e.label_ == "CHEMICAL"}
    assert names.get("Vioxx") == "rofecoxib" and names.get("Bextra") == "valdecoxib"
    assert names.get("Meridia") == "sibutramine"


def test_claims_a_condition_the_drug_treats_in_more_sentences_is_no_side_effect_of_it(rules_nlp):
    text = ("Guselkumab cleared psoriasis in most patients. Guselkumab treats psoriasis better than adalimumab. "
            "Guselkumab also improved psoriasis of the scalp. In the trial, guselkumab was linked to psoriasis flares "
            "in two patients.")
    found = {c[:3] for c in claims(rules_nlp, text)}
    assert ("TREATS", "guselkumab", "psoriasis") in found
    assert not any(c[0] == "ADVERSE_EFFECT" and c[2] == "psoriasis" for c in found)
    # as many sentences of harm as of benefit: both claims stay ("bisphosphonates prevent fractures ... cause
    # atypical fractures")
    text = "Bisphosphonates prevent fractures. Bisphosphonates can cause fractures of the thigh bone."
    relations = {c[0] for c in claims(rules_nlp, text) if "fracture" in c[2]}
    assert {"PREVENTS", "ADVERSE_EFFECT"} <= relations or {"TREATS", "ADVERSE_EFFECT"} <= relations


def test_claims_a_chemical_naming_a_kind_of_thing_is_no_drug(rules_nlp):
    text = ("Levodopa has long been considered the gold standard, improving quality of life. "
            "The 53-year-old petroleum engineer said the knee pain was gone.")
    drugs = {c[1] for c in claims(rules_nlp, text)}
    assert "gold" not in drugs and "petroleum" not in drugs
    assert "yeast" not in {c[1] for c in claims(rules_nlp, "Yeast can cause toenail fungus.")}


def test_lexicon_consumer_condition_names(rules_nlp):
    assert ("TREATS", "tamsulosin", "enlarged prostate") in {c[:3] for c in claims(
        rules_nlp, "Tamsulosin is used to treat an enlarged prostate.")}
    assert ("ADVERSE_EFFECT", "fenfluramine", "heart valve problems") in {c[:3] for c in claims(
        rules_nlp, "Fenfluramine was linked to heart valve problems.")}
    doc = rules_nlp("The pill prevents unwanted pregnancy.")
    assert [e.text for e in doc.ents if e.label_ == "CONDITION"] == ["unwanted pregnancy"]


def test_claims_little_evidence_hedges(rules_nlp):
    assert ("PREVENTS", "echinacea", "colds", "hedged") in claims(rules_nlp, "There is little evidence that echinacea prevents colds.")
    assert ("PREVENTS", "vitamin c", "colds", "negated") in claims(rules_nlp, "There is no evidence that vitamin C prevents colds.")


def test_claims_a_dosage_form_refers_back_to_the_drug(rules_nlp):
    found = claims(rules_nlp, "Diclofenac gel is rubbed on the skin. In clinical trials, the gel was linked to redness and rash.")
    assert {("ADVERSE_EFFECT", "diclofenac", "redness"), ("ADVERSE_EFFECT", "diclofenac", "rash")} <= {c[:3] for c in found}


def test_claims_a_test_used_to_diagnose_treats_nothing(rules_nlp):
    assert not [c for c in claims(rules_nlp, "Bone density scans with technetium are used to diagnose osteoporosis.")
                if c[0] == "TREATS"]
    assert ("TREATS", "metformin", "type 2 diabetes", "asserted") in claims(rules_nlp, "Metformin is used to treat type 2 diabetes.")


def test_claims_a_school_name_holds_no_drug():
    import spacy

    from pipeline.claim_phrases import in_organisation_name

    doc = spacy.blank("en")("A professor at the London School of Hygiene and Tropical Medicine said so.")
    assert in_organisation_name(doc, doc[7:8])  # "Hygiene"
    doc = spacy.blank("en")("Good Hygiene stops infections.")
    assert not in_organisation_name(doc, doc[1:2])


def test_claims_a_word_for_the_people_is_no_effect(rules_nlp):
    # "obese", "worried" describe who is meant or how they feel about a drug, not what it does
    assert not [c for c in claims(rules_nlp, "Orlistat treats obese patients.") if c[2] == "obese"]


def test_claims_the_placebo_arm_is_no_population():
    import spacy
    from spacy.tokens import Span

    from pipeline.claim_phrases import comparison_group

    doc = spacy.blank("en")("Patients taking the placebo and patients with gout were compared.")
    assert comparison_group(Span(doc, 0, 4))
    assert not comparison_group(Span(doc, 5, 8))


def test_claims_more_consumer_verbs_of_benefit(rules_nlp):
    assert ("TREATS", "amoxicillin", "pneumonia", "asserted") in claims(rules_nlp, "Amoxicillin defeats pneumonia in young kids.")
    assert ("TREATS", "imatinib", "leukemia", "asserted") in claims(rules_nlp, "Imatinib fights leukemia.")
    assert ("PREVENTS", "aspirin", "stroke", "asserted") in claims(rules_nlp, "Aspirin guards against stroke.")


def test_claims_the_two_drugs_refers_back_to_both_drugs_named(rules_nlp):
    found = claims(rules_nlp, "Doctors prescribe Risperdal and Abilify. The two drugs carry significant risk for weight gain and diabetes.")
    assert {("ADVERSE_EFFECT", "risperdal", "weight gain"), ("ADVERSE_EFFECT", "abilify", "diabetes")} <= {c[:3] for c in found}


def test_claims_an_effect_that_ended_on_stopping_is_no_withdrawal_effect(rules_nlp):
    found = claims(rules_nlp, "Paroxetine can cause nausea and rash, which went away after stopping the drug.")
    assert ("ADVERSE_EFFECT", "paroxetine", "nausea", "asserted") in found
    assert not [c for c in found if c[0] == "WITHDRAWAL_EFFECT"]
    assert ("WITHDRAWAL_EFFECT", "sertraline", "dizziness", "asserted") in claims(rules_nlp, "Stopping sertraline abruptly can cause dizziness.")


def test_claims_a_number_or_a_unit_is_no_drug(rules_nlp):
    from spacy.tokens import Span

    extractor = rules_nlp.get_pipe("drugclaims_claims")
    doc = rules_nlp("They identified 51,145 people; blood pressure fell by 8 mmHg.")
    unit = [t.i for t in doc if t.text == "mmHg"][0]
    assert not extractor.candidates.is_drug(Span(doc, 2, 3, label="CHEMICAL"))  # "51,145"
    assert not extractor.candidates.is_drug(Span(doc, unit, unit + 1, label="CHEMICAL"))
    assert extractor.candidates.is_drug(Span(doc, 0, 1, label="CHEMICAL"))  # any word is, as far as these checks go


def test_claims_the_bodys_ability_to_fight_is_no_cue_of_the_drug(nlp):
    found = claims(nlp, "Other serious side effects of Ilaris include decreased ability to fight infections and allergic reactions.")
    assert ("ADVERSE_EFFECT", "ilaris", "allergic reactions", "asserted") in found
    assert not [c for c in found if c[0] == "TREATS"]
    assert ("TREATS", "amoxicillin", "infections", "asserted") in claims(nlp, "Amoxicillin is used to fight infections.")


def test_claims_half_as_likely_is_a_lower_risk(nlp):
    assert ("PREVENTS", "zostavax", "shingles", "asserted") in claims(
        nlp, "Adults given Zostavax were half as likely to develop shingles.")


def test_claims_odds_and_chance_are_risks(rules_nlp):
    assert ("ADVERSE_EFFECT", "warfarin", "bleeding", "asserted") in claims(rules_nlp, "Warfarin raises the odds of bleeding.")
    assert ("PREVENTS", "statins", "heart attack", "asserted") in claims(rules_nlp, "Statins reduce the chance of a heart attack.")


def test_claims_a_body_substance_people_take_is_the_medicine(nlp):
    found = claims(nlp, "Women taking estrogen reported fewer hot flashes, night sweats and mood swings.")
    assert {("TREATS", "estrogen", e, "asserted") for e in ("hot flashes", "night sweats", "mood swings")} <= set(found)
    found = claims(nlp, "Women on both forms of estrogen reported fewer hot flashes.")
    assert ("TREATS", "estrogen", "hot flashes", "asserted") in found
    # named, not taken: the hormone is what the sentence measures
    assert not [c for c in claims(nlp, "Low estrogen is linked to hot flashes.") if c[1] == "estrogen"]
    # a placebo made of a vitamin is still a placebo
    assert not [c for c in claims(nlp, "The rest received a vitamin placebo that mimics a hallucinogenic drug.")
                if c[1] == "vitamin"]


def test_claims_a_change_word_ties_a_measure_to_the_drug(nlp):
    found = claims(nlp, 'Women taking tamoxifen had an increase in HDL or "good" cholesterol, and a decrease in LDL.')
    assert ("TREATS", "tamoxifen", "hdl", "asserted") in found
    assert ("TREATS", "tamoxifen", "ldl", "asserted") in found
    found = claims(nlp, "Xeljanz was associated with an increase in levels of cholesterol.")
    assert [c for c in found if c[0] == "ADVERSE_EFFECT" and c[1] == "xeljanz" and "cholesterol" in c[2]]
    # "better" says what people want, not what the drug changed
    assert not [c for c in claims(nlp, 'Any warfarin alternative will appeal to people "who want a better quality of life".')
                if c[0] == "TREATS"]


def test_claims_people_taking_a_drug_suffered_from_an_effect(nlp):
    assert ("ADVERSE_EFFECT", "xeljanz", "infections", "asserted") in claims(
        nlp, "More patients taking Xeljanz suffered from infections than those receiving placebo.")
    # people who suffered from a condition are who took the drug
    assert not [c for c in claims(nlp, "Patients who suffered from migraines were given topiramate.")
                if c[0] == "ADVERSE_EFFECT"]


def test_claims_fewer_events_on_the_drug_than_on_placebo_are_no_harm(nlp):
    text = ("13.0 percent of patients on Victoza suffered from heart attacks or strokes, against 14.9 percent of "
            "those on placebo.")
    found = claims(nlp, text)
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT"]
    assert ("PREVENTS", "victoza", "heart attacks", "asserted") in found  # what the trial says it prevents
    text = ("0.95 percent of those who received evolocumab had suffered a heart attack, compared with 2.18 percent in "
            "the group that did not take the drug.")
    assert ("PREVENTS", "evolocumab", "heart attack", "asserted") in claims(nlp, text)
    text = "20 percent of patients on Xeljanz suffered from infections, against 12 percent of those on placebo."
    assert ("ADVERSE_EFFECT", "xeljanz", "infections", "asserted") in claims(nlp, text)


def test_arm_rates_reads_the_two_percentages():
    import spacy

    from pipeline.trial_rates import arm_rates

    doc = spacy.blank("en")("13.0 percent of patients on Victoza had strokes , against 14.9 percent of those on placebo .")
    sent = doc[:]
    assert arm_rates(doc, sent, 5, 6) == (13.0, 14.9)
    doc = spacy.blank("en")("13.0 percent of patients on Victoza had strokes , against 14.9 percent of those on Byetta .")
    assert arm_rates(doc, doc[:], 5, 6) is None  # another drug's arm: no comparison with nothing
    doc = spacy.blank("en")("13.0 percent of patients on Victoza had strokes , against 14.9 percent of those on "
                            "standard treatment .")
    assert arm_rates(doc, doc[:], 5, 6) == (13.0, 14.9)  # the usual care the drug is added to


def test_claims_more_likely_to_is_a_higher_risk(rules_nlp):
    assert ("ADVERSE_EFFECT", "warfarin", "bleeding", "asserted") in claims(
        rules_nlp, "Patients on warfarin were more likely to die of bleeding.")
    assert ("PREVENTS", "warfarin", "stroke", "asserted") in claims(
        rules_nlp, "Patients on warfarin were less likely to have a stroke.")


def test_claims_a_drug_that_works_works_for_the_articles_condition(nlp):
    lead = "Toenail fungus is common. Toenail fungus is hard to treat. "
    assert ("TREATS", "lamisil", "toenail fungus", "asserted") in claims(
        nlp, lead + "The most common oral treatment, Lamisil, works for about two out of three patients.")
    assert ("TREATS", "lamisil", "toenail fungus", "negated") in claims(nlp, lead + "Lamisil doesn't work for everyone.")
    # how it works is no indication
    assert not [c for c in claims(nlp, lead + "Lamisil works by blocking an enzyme.") if c[0] == "TREATS"]
    # a condition named after the predicate is what it works for
    assert not [c for c in claims(nlp, lead + "Lamisil works well against athlete's foot.") if c[2] == "toenail fungus"]


def test_claims_less_of_a_condition_is_a_benefit(nlp):
    found = claims(nlp, "Patients who smoked marijuana reported less pain and less anxiety.")
    assert ("TREATS", "marijuana", "pain", "asserted") in found
    assert ("TREATS", "marijuana", "anxiety", "asserted") in found
    # "less likely", "less severe": not a benefit word of its own
    assert not [c for c in claims(nlp, "Ibuprofen is less likely than aspirin to cause stomach ulcers.")
                if c[0] == "TREATS"]


def test_claims_a_condition_mention_ends_at_a_clause_verb(nlp):
    from spacy.tokens import Span

    from pipeline.claim_candidates import cut_at_clause_verb

    doc = nlp.make_doc("damage to the nervous system reported feeling less pain")
    cut = cut_at_clause_verb(Span(doc, 0, len(doc), label="CONDITION"))
    assert cut.text == "damage to the nervous system"
    doc = nlp.make_doc("feeling full")
    assert cut_at_clause_verb(Span(doc, 0, 2, label="CONDITION")).text == "feeling full"


def test_claims_a_drop_in_risk_after_a_link_is_a_benefit(nlp):
    found = claims(nlp, "Daily aspirin linked to steep drop in cancer risk.")
    assert ("PREVENTS", "aspirin", "cancer", "asserted") in found or ("PREVENTS", "aspirin", "cancer", "hedged") in found
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT"]


def test_claims_a_condition_people_already_suffered_is_their_history(nlp):
    text = ("Guidelines urge people to take low doses of aspirin to prevent heart disease, or if they have already "
            "suffered a heart attack.")
    assert not [c for c in claims(nlp, text) if c[0] == "ADVERSE_EFFECT" and c[2] == "heart attack"]


def test_claims_symptoms_of_a_condition_a_drug_relieves_are_the_condition(nlp):
    assert ("TREATS", "sertraline", "depression", "asserted") in claims(nlp, "Sertraline relieves the symptoms of depression.")
    # never a harm: "can cause symptoms of depression" in a list of a disease's signs stays out
    assert not [c for c in claims(nlp, "Symptoms of depression include fatigue. Baclofen can cause symptoms of depression.")
                if c[0] == "ADVERSE_EFFECT" and c[2] == "depression"]


def test_claims_everyday_wordings_of_use_and_harm(nlp):
    assert ("TREATS", "metformin", "type 2 diabetes", "asserted") in claims(nlp, "Doctors prescribe metformin for type 2 diabetes.")
    assert ("TREATS", "sertraline", "anxiety", "asserted") in claims(
        nlp, "Sertraline is an antidepressant that helps with anxiety and depression.")
    found = claims(nlp, "Amoxicillin will not work for colds or flu.")
    assert ("TREATS", "amoxicillin", "colds", "negated") in found
    assert ("TREATS", "hydroxychloroquine", "covid-19", "negated") in claims(
        nlp, "Hydroxychloroquine did not help patients with COVID-19.")
    assert [c for c in claims(nlp, "Some people taking statins report muscle aches.")
            if c[:3] == ("ADVERSE_EFFECT", "statins", "muscle aches")]
    # a contraindication stays no claim
    assert not [c for c in claims(nlp, "Doctors should not give Siliq to patients with tuberculosis.") if c[0] == "TREATS"]
    # "self-reported" is no report of a harm
    assert not [c for c in claims(nlp, "Patients on the drug had fewer self-reported respiratory symptoms.")
                if c[0] == "ADVERSE_EFFECT"]


def test_claims_an_effect_common_with_a_drug(nlp):
    found = claims(nlp, "Drowsiness is common with antihistamines such as diphenhydramine.")
    assert ("ADVERSE_EFFECT", "diphenhydramine", "drowsiness", "asserted") in found


def test_claims_a_question_names_the_drug_the_next_sentence_means(nlp):
    found = claims(nlp, "Remember thalidomide? The medicine led to birth defects in some 10,000 kids.")
    assert ("ADVERSE_EFFECT", "thalidomide", "birth defects", "asserted") in found
    # the question itself states nothing
    assert not claims(nlp, "Can aspirin prevent cancer?")


def test_claims_a_substance_called_a_treatment_is_the_medicine(nlp):
    assert ("TREATS", "epinephrine", "anaphylaxis", "asserted") in claims(nlp, "Epinephrine is the first treatment for anaphylaxis.")
    # an organ named before a condition is no drug: "thyroid tumors"
    assert not [c for c in claims(nlp, "Semaglutide carries a boxed warning about thyroid tumors.") if c[1] == "thyroid"]


def test_claims_because_ends_a_negation(nlp):
    found = claims(nlp, "Pregnant women should not take isotretinoin because it causes birth defects.")
    assert ("ADVERSE_EFFECT", "isotretinoin", "birth defects", "asserted") in found


def test_claims_people_taking_a_drug_get_an_effect(nlp):
    assert ("ADVERSE_EFFECT", "atorvastatin", "muscle pain", "asserted") in claims(
        nlp, "About 5% of people taking atorvastatin get muscle pain.")
    text = "If patients don't take all their antibiotics, their germs can get stronger, developing drug resistance."
    assert not [c for c in claims(nlp, text) if c[0] == "ADVERSE_EFFECT"]


def test_claims_an_effect_that_occurs_in_people_taking_a_drug(nlp):
    found = claims(nlp, "Headache occurs in about 1 in 10 people taking sumatriptan.")
    assert ("ADVERSE_EFFECT", "sumatriptan", "headache", "asserted") in found


def test_claims_a_measure_that_rises_on_stopping_is_a_withdrawal_effect(nlp):
    found = claims(nlp, "Discontinuing clonidine abruptly may cause a rapid rise in blood pressure.")
    assert [c for c in found if c[0] == "WITHDRAWAL_EFFECT" and "blood pressure" in c[2]]


def test_claims_a_drug_named_as_a_medicine_for_a_condition(rules_nlp):
    assert ("TREATS", "tucatinib", "breast cancer", "asserted") in claims(rules_nlp, "Tucatinib is a new pill for breast cancer.")
    assert ("TREATS", "tucatinib", "breast cancer", "asserted") in claims(
        rules_nlp, "Tucatinib, a drug for breast cancer, was approved.")
    assert ("PREVENTS", "fluzone", "influenza", "asserted") in claims(rules_nlp, "Fluzone is a vaccine for influenza.")


def test_claims_another_medicine_for_a_condition_is_not_the_drug(rules_nlp):
    assert not [c for c in claims(rules_nlp, "Patients on warfarin also took drugs for diabetes.") if c[2] == "diabetes"]


def test_claims_some_patients_is_how_many_not_a_doubt(rules_nlp):
    """In the consumer gold, "some people/patients experienced X" is asserted 17 times, hedged 4 times."""
    found = claims(rules_nlp, "Bimatoprost lowers eye pressure. Some patients experienced itchiness and eye redness.")
    assert ("ADVERSE_EFFECT", "bimatoprost", "itchiness", "asserted") in found
    assert ("ADVERSE_EFFECT", "omeprazole", "fractures", "hedged") in claims(
        rules_nlp, "Some studies suggest that omeprazole raises the risk of fractures.")


def test_claims_no_doubt_is_no_negation(rules_nlp):
    assert ("ADVERSE_EFFECT", "aspirin", "stomach bleeding", "asserted") in claims(
        rules_nlp, "There is no doubt that aspirin can cause stomach bleeding.")
    assert ("ADVERSE_EFFECT", "aspirin", "stomach bleeding", "negated") in claims(
        rules_nlp, "There is no evidence that aspirin causes stomach bleeding.")


def test_claims_a_condition_on_the_reader_hedges(rules_nlp):
    """"if you experience X" (hedged in all 7 consumer-gold rows that say it)."""
    found = claims(rules_nlp, "If you experience dizziness or nausea while taking metformin, call your doctor.")
    assert ("ADVERSE_EFFECT", "metformin", "dizziness", "hedged") in found


def test_claims_a_negated_cue_does_not_reach_past_its_clause(rules_nlp):
    found = claims(rules_nlp, "Trials of ulipristal showed no unexpected side effects, although reports of nausea and headache were common.")
    assert ("ADVERSE_EFFECT", "ulipristal", "nausea", "asserted") in found
    assert ("ADVERSE_EFFECT", "aspirin", "nausea", "negated") in claims(rules_nlp, "Aspirin showed no side effects such as nausea.")


def test_claims_a_trial_registry_number_is_no_drug(rules_nlp):
    from spacy.tokens import Span

    extractor = rules_nlp.get_pipe("drugclaims_claims")
    doc = rules_nlp("The trial NCT01348451 tested a pill called EXP-3179 for ALS.")
    assert not extractor.candidates.is_drug(Span(doc, 2, 3, label="CHEMICAL"))
    assert extractor.candidates.is_drug(Span(doc, 7, 8, label="CHEMICAL"))  # a development code stays a drug


def test_claims_a_non_prefix_names_what_the_drugs_are_not(rules_nlp):
    from spacy.tokens import Span

    extractor = rules_nlp.get_pipe("drugclaims_claims")
    doc = rules_nlp("Patients took non-opioid painkillers or opioid painkillers.")
    assert [t.text for t in doc[2:5]] == ["non", "-", "opioid"]
    assert not extractor.candidates.is_drug(Span(doc, 4, 6, label="CHEMICAL"))  # "opioid painkillers" after "non-"
    assert extractor.candidates.is_drug(Span(doc, 7, 9, label="CHEMICAL"))


def test_claims_a_compound_cue_belongs_to_the_chemical_it_names(rules_nlp):
    found = claims(rules_nlp, "Amantadine is used to control levodopa-induced dyskinesia.")
    assert ("ADVERSE_EFFECT", "levodopa", "dyskinesia", "asserted") in found
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT" and c[1] == "amantadine"]
    found = claims(rules_nlp, "Patients taking atorvastatin reported statin-induced muscle pain.")
    assert ("ADVERSE_EFFECT", "atorvastatin", "muscle pain", "asserted") in found  # the agent is the drug's class


def test_claims_a_drug_class_does_not_start_with_a_verb(rules_nlp):
    doc = rules_nlp("Anyone considering angiotensin receptor blockers should ask a doctor. "
                    "Angiotensin-converting enzyme inhibitors lower blood pressure.")
    names = {e.text for e in doc.ents if e.label_ == "CHEMICAL"}
    assert "angiotensin receptor blockers" in names and "considering angiotensin receptor blockers" not in names
    assert "Angiotensin-converting enzyme inhibitors" in names


def test_claims_drug_makers_and_body_hormones_are_no_drugs(nlp):
    found = claims(nlp, "The FDA approved two melanoma drugs from GlaxoSmithKline on Wednesday. "
                        "Angiotensin causes blood vessels to constrict, raising blood pressure. "
                        "Plastic surgeons say the laser treats cellulite.")
    assert not [c for c in found if c[1] in ("glaxosmithkline", "angiotensin", "plastic")], found


def test_claims_a_cue_after_a_bare_generic_word_qualifies_that_word(rules_nlp):
    found = claims(rules_nlp, "Vitamin D may help adolescents diagnosed with disorders linked to obesity, such as "
                              "high blood pressure.")
    assert not [c for c in found if c[0] == "ADVERSE_EFFECT"], found
    assert ("ADVERSE_EFFECT", "avandia", "heart problems", "hedged") in claims(
        rules_nlp, "Heart problems associated with Avandia led to warnings.")  # a condition mention ends there
    assert ("ADVERSE_EFFECT", "hormone therapy", "breast cancer", "hedged") in claims(
        rules_nlp, "Breast cancer is among the risks linked to hormone therapy.")  # a drug after the cue keeps it


def test_claims_a_condition_before_a_profession_names_the_profession(rules_nlp):
    assert not claims(rules_nlp, '"Bisphosphonates are absolutely effective," says an orthopedic trauma surgeon.')
