"""Items of effect lists that the recognisers missed or mislabelled (pipeline.enumerations)."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from pipeline.enumerations import missed_list_items


def _doc(words: list[str], ents: list[tuple[int, int, str]]) -> tuple[Doc, list[Span]]:
    doc = Doc(spacy.blank("en").vocab, words=words)
    spans = [Span(doc, start, end, label=label) for start, end, label in ents]
    doc.ents = spans
    return doc, spans


# "Patients developed side effects such as skin rashes , diarrhea , thyroid imbalances or hepatitis ."
LIST = ["Patients", "developed", "side", "effects", "such", "as", "skin", "rashes", ",", "diarrhea", ",",
        "thyroid", "imbalances", "or", "hepatitis", "."]
CUE_END = 4  # after "side effects"


def _items(words, ents):
    doc, spans = _doc(words, ents)
    return [(s.text, s.label_) for s in missed_list_items(doc[:], [CUE_END], spans)]


def test_unrecognised_item_of_an_effect_list_is_an_effect():
    ents = [(6, 8, "CONDITION"), (14, 15, "CONDITION")]
    assert ("diarrhea", "CONDITION") in _items(LIST, ents)
    assert ("thyroid imbalances", "CONDITION") in _items(LIST, ents)


def test_item_whose_chemical_is_a_modifier_of_its_head_noun_is_an_effect():
    ents = [(6, 8, "CONDITION"), (9, 10, "CONDITION"), (11, 12, "CHEMICAL"), (14, 15, "CONDITION")]
    assert _items(LIST, ents) == [("thyroid imbalances", "CONDITION")]


def test_item_that_is_only_a_chemical_stays_a_chemical():
    words = LIST[:11] + ["aspirin", "or", "hepatitis", "."]
    ents = [(6, 8, "CONDITION"), (9, 10, "CONDITION"), (11, 12, "CHEMICAL"), (13, 14, "CONDITION")]
    assert _items(words, ents) == []


def test_raised_protein_level_in_a_list_is_an_effect_but_a_bare_protein_is_not():
    words = LIST[:11] + ["elevated", "lipase", "or", "hepatitis", "."]
    ents = [(6, 8, "CONDITION"), (9, 10, "CONDITION"), (12, 13, "GENE_OR_PROTEIN"), (14, 15, "CONDITION")]
    assert _items(words, ents) == [("elevated lipase", "CONDITION")]
    words = LIST[:11] + ["lipase", "or", "hepatitis", "."]
    ents = [(6, 8, "CONDITION"), (9, 10, "CONDITION"), (11, 12, "GENE_OR_PROTEIN"), (13, 14, "CONDITION")]
    assert _items(words, ents) == []
