"""A medicine named by its purpose right before its name: the name is the drug, the purpose its condition."""
from __future__ import annotations

import spacy
from spacy.tokens import Span

from pipeline.purpose_names import condition_key, purpose_splits


def split(text, chemicals, conditions=("shingles", "weight loss")):
    doc = spacy.blank("en")(text)
    ents = [Span(doc, s, e, label="CHEMICAL") for s, e in chemicals]
    norm = [t.lower_ for t in doc]
    return {start: span.text for start, span in purpose_splits(doc, ents, norm, lambda k: k in conditions).items()}


def test_a_purpose_name_before_the_drug_name_gives_the_condition():
    assert split("the shingles vaccine , Shingrix , works", [(1, 3), (4, 5)]) == {1: "shingles"}
    assert split("a weight - loss drug : Contrave", [(1, 5), (6, 7)]) == {1: "weight - loss"}


def test_no_name_after_or_no_condition_before_keeps_the_drug():
    assert split("the shingles vaccine works well", [(1, 3)]) == {}  # the vaccine itself is the drug
    assert split("the blood thinner drug warfarin", [(1, 4), (4, 5)]) == {}  # "blood thinner" names no condition


def test_condition_keys_read_hyphens_as_spaces():
    assert condition_key(["weight", "-", "loss"]) == ["weight - loss", "weight loss"]


def test_claims_the_vaccine_named_for_a_disease_prevents_it(rules_nlp):
    found = [(c.relation, c.drug.lower(), c.effect.lower()) for c in rules_nlp("The flu vaccine FluMist is sprayed into the nose.")._.claims]
    assert ("PREVENTS", "flumist", "flu") in found
