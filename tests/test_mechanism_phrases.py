"""How a drug acts, said in words: the phrase functions on plain token spans, and the claims they give."""
from __future__ import annotations

import pytest
import spacy

from pipeline.mechanism_phrases import direct_mechanism_phrase, mechanism_phrase


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def phrase(blank, text):
    found = mechanism_phrase(blank(text)[:])
    return None if found is None else (found[1], found[2])


def direct(blank, text, drug_end, conditions=(), targets=()):
    found = direct_mechanism_phrase(blank(text)[:], drug_end, set(conditions), set(targets))
    return None if found is None else (found[1], found[2])


def test_frame_with_an_adverb_inside(blank):
    assert phrase(blank, "The pill works primarily by preventing ovulation of a woman's egg.") == (
        "preventing", "ovulation of a woman's egg")
    assert phrase(blank, "It works by significantly reducing the rate at which blood clots break down.") == (
        "reducing", "rate at which blood clots break down")


def test_frame_stops_at_a_clause_and_skips_pronouns_and_risks(blank):
    assert phrase(blank, "Drugs designed to kill them help fuel resistance.") is None
    assert phrase(blank, "The drug is designed to lower the risk of heart attack.") is None
    assert phrase(blank, "The drug is designed to see if it is safe.") is None


def test_fronted_by_gerund_only_for_verbs_of_action(blank):
    assert phrase(blank, "By inhibiting transcription, the drug shuts down the spread of cancer.") == (
        "inhibiting", "transcription")
    assert phrase(blank, "By targeting different points in the same growth-factor pathway, the drugs delay resistance.") == (
        "targeting", "different points in the same growth-factor pathway")
    assert phrase(blank, "By using both methods to visualize the cervix, researchers compared them.") is None


def test_direct_verb_after_the_drug(blank):
    assert direct(blank, "Ipilimumab targets the CTLA-4 checkpoint on T cells.", 1) == ("targets", "CTLA-4 checkpoint on T cells")
    assert direct(blank, "XL184 is believed to block the formation of blood vessels that feed tumors.", 1) == (
        "block", "formation of blood vessels")
    assert direct(blank, "Drugs that block the enzyme are pills.", 1) == ("block", "enzyme")  # stops at the verb
    assert direct(blank, "Pridopidine stabilizes dopamine signaling in areas of the brain.", 1) == (
        "stabilizes", "dopamine signaling")


def test_direct_verb_leaves_conditions_targets_and_other_subjects_alone(blank):
    assert direct(blank, "Ibuprofen blocks pain signals.", 1, conditions=[2]) is None  # a condition: the cues' TREATS
    assert direct(blank, "Lupron inhibits a protein called MET.", 1, targets=[5]) is None  # the named target's claim
    assert direct(blank, "Aspirin, doctors say, blocks clotting.", 1) is None  # too far from the drug
    assert direct(blank, "The vaccine boosts energy levels.", 2) is None  # "boosts": only the immune system
    assert direct(blank, "The vaccine boosts the immune response.", 2) == ("boosts", "immune response")


def test_claims_mechanism_said_in_words(rules_nlp):
    found = [(c.relation, c.drug.lower(), c.effect.lower()) for c in rules_nlp(
        "Ulipristal works primarily by preventing ovulation. Ipilimumab targets the CTLA-4 checkpoint on T cells.")._.claims]
    assert ("MECHANISM", "ulipristal", "ovulation") in found
    assert ("MECHANISM", "ipilimumab", "ctla-4 checkpoint on t cells") in found


def test_direct_verb_object_cut_before_what_it_is_trained_against(blank):
    # "Provenge stimulates the immune system to attack prostate cancer": the condition starts at token 7
    assert direct(blank, "Provenge stimulates the immune system to attack prostate cancer .", 1, conditions=[7]) == (
        "stimulates", "immune system")
    # with no "to" before the condition, the condition is the object: the relation cues' business
    assert direct(blank, "Aspirin blocks pain .", 1, conditions=[2]) is None
