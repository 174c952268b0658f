"""Session 18's rules: which drug a describing noun, a harm's source or a risk belongs to.

Each test fails on the code before its rule, and checks that the ordinary wording still gives its claim.
"""
from __future__ import annotations

from pipeline.claim_phrases import harm_from_drug, names_the_class, other_drugs_clause, peoples_risk
from pipeline.claim_support import Mention

from claim_helpers import claims, pairs


def _mention(doc, word):
    i = next(t.i for t in doc if t.text == word)
    return Mention(i, i + 1, word, word.lower(), "", "CHEMICAL")


def test_a_describing_noun_before_a_name_describes_that_drug(nlp):
    text = "Contrave combines the antidepressant Wellbutrin and the addiction drug naltrexone."
    treats = pairs(nlp, text, "TREATS")
    assert ("naltrexone", "addiction") in treats
    assert ("wellbutrin", "addiction") not in treats
    doc = nlp(text)
    noun = next(t.i for t in doc if t.text == "drug")
    assert names_the_class(doc, _mention(doc, "naltrexone"), noun)
    assert not names_the_class(doc, _mention(doc, "Wellbutrin"), noun)
    # an apposition still names what the drug is for
    assert ("naltrexone", "addiction") in pairs(nlp, "Contrave combines bupropion with naltrexone, an addiction drug.", "TREATS")


def test_a_nearer_describing_noun_takes_the_drug(nlp):
    text = "The pain drug ibuprofen and the migraine drug sumatriptan were taken together."
    treats = pairs(nlp, text, "TREATS")
    assert ("ibuprofen", "pain") in treats and ("sumatriptan", "migraine") in treats
    assert ("sumatriptan", "pain") not in treats
    text = "The migraine drug sumatriptan and the antidepressant fluoxetine were taken together."
    assert ("fluoxetine", "migraine") not in pairs(nlp, text, "TREATS")
    # a list of names after one noun: the noun describes every one
    both = pairs(nlp, "The anti-seizure drugs divalproex and topiramate were tested.", "TREATS")
    assert {("divalproex", "seizure"), ("topiramate", "seizure")} <= both


def test_a_condition_from_a_drug_is_its_harm(nlp):
    text = "He said this reveals a policy lever for reducing overdoses from benzodiazepines and opioids."
    assert pairs(nlp, text, "TREATS") == set()
    assert {("benzodiazepines", "overdoses"), ("opioids", "overdoses")} <= pairs(nlp, text, "ADVERSE_EFFECT")
    doc = nlp("Ibuprofen relieves pain from arthritis.")
    pain = next(e for e in doc.ents if e.text == "pain")
    assert not harm_from_drug(doc, pain, _mention(doc, "Ibuprofen"))
    assert ("ibuprofen", "pain") in pairs(nlp, "Ibuprofen relieves pain from arthritis.", "TREATS")


def test_a_risk_people_have_is_no_harm_of_the_drug(nlp):
    text = ("More than 18,000 patients with atrial fibrillation and a heightened risk for stroke were randomly "
            "assigned to receive either apixaban or warfarin.")
    assert not [c for c in claims(nlp, text) if c[2] == "stroke"]
    text = "Patients should evaluate their risk for heart disease before making a decision about aspirin use."
    assert not [c for c in claims(nlp, text) if c[2] == "heart disease"]
    # a drug that changes their risk, or a risk after the drug's own clause, is the drug's harm
    assert ("aspirin", "bleeding") in pairs(nlp, "Taking aspirin raises their risk of bleeding.", "ADVERSE_EFFECT")
    text = "Warfarin reduces the risk of stroke in patients with atrial fibrillation, but it also boosts the odds of bleeding."
    assert ("warfarin", "bleeding") in pairs(nlp, text, "ADVERSE_EFFECT")
    doc = nlp("Taking aspirin raises their risk of bleeding.")
    risk = next(t.i for t in doc if t.text == "risk")
    assert not peoples_risk(doc, risk, _mention(doc, "aspirin"))


def test_addiction_and_overdose_are_conditions_a_drug_can_cause(nlp):
    assert ("oxycodone", "addiction") in pairs(nlp, "Oxycodone carries a risk of addiction.", "ADVERSE_EFFECT")
    assert ("oxycodone", "dependence") in pairs(nlp, "Oxycodone can lead to dependence.", "ADVERSE_EFFECT")
    assert ("oxycodone", "overdose") in pairs(nlp, "Taking too much oxycodone can cause an overdose.", "ADVERSE_EFFECT")


def test_a_cue_in_a_clause_on_other_drugs_is_theirs(nlp):
    text = ("Ketamine was tested. An advantage is that ketamine doesn't have the side effects of other drugs that "
            "target these same areas, such as hallucinations.")
    assert not [c for c in claims(nlp, text) if c[0] == "TREATS" and c[2] == "hallucinations"]
    doc = nlp("The side effects of other drugs that target these areas.")
    target = next(t.i for t in doc if t.text == "target")
    assert other_drugs_clause(doc, target, Mention(0, 0, "", "", "", "CHEMICAL"))
    # one of several such drugs, or "unlike other drugs that ...": the drug is of their kind
    assert ("prozac", "depression") in pairs(nlp, "Prozac is one of several drugs that treat depression.", "TREATS")
    assert ("erenumab", "migraine") in pairs(nlp, "Unlike other drugs that treat migraine, erenumab is injected monthly.",
                                             "TREATS")
