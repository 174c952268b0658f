"""A medicine named by its purpose right before its name: "the new shingles vaccine, Shingrix", "a weight-loss drug:
Contrave", "the flu vaccine FluMist".

The NER reads "shingles vaccine" and "weight-loss drug" as one CHEMICAL mention (the external vocabularies list them
as drug classes). When the name of the medicine follows, the name is the drug and the words before the purpose
noun are the condition it is for: the mention becomes a CONDITION over those words, and the claims read "shingles
vaccine, Shingrix" as they read "the osteoporosis drug Fosamax". Without a name after it ("the flu shot reduces
hospital stays") the mention stays the drug.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from pipeline.rules import load_vocabulary

PURPOSE_NOUNS = load_vocabulary().words("purpose_nouns")
_APPOSITION = {",", ":", "—", "–", "-"}


def condition_key(norm: list[str]) -> list[str]:
    """Lookup keys for normalised words: as written and with hyphens read as spaces ("weight - loss" -> "weight
    loss")."""
    keys = [" ".join(norm)]
    plain = [w for w in norm if w != "-"]
    if plain != norm:
        keys.append(" ".join(plain))
    return keys


def purpose_splits(doc: Doc, ents: list[Span], norm: list[str], is_condition: Callable[[str], bool]) -> dict[int, Span]:
    """For each CHEMICAL mention "<condition> <purpose noun>" followed by another CHEMICAL mention (the drug's name,
    right after it or after one comma, colon or dash), the CONDITION span over the condition words, by the mention's
    start."""
    name_starts = {s.start for s in ents if s.label_ == "CHEMICAL"}
    out = {}
    for ent in ents:
        if ent.label_ != "CHEMICAL" or len(ent) < 2 or doc[ent.end - 1].lower_ not in PURPOSE_NOUNS:
            continue
        j = ent.end
        if j < len(doc) and doc[j].text in _APPOSITION:
            j += 1
        if j not in name_starts:
            continue
        if any(is_condition(key) for key in condition_key(norm[ent.start : ent.end - 1])):
            out[ent.start] = Span(doc, ent.start, ent.end - 1, label="CONDITION")
    return out
