"""Where a cue or an anaphor stops applying: clause boundaries, a group's own risk, dummy and misplaced pronouns.

Small token-level checks used by :mod:`pipeline.claims` when it pairs a drug, a relation cue and an effect.
"""
from __future__ import annotations

from typing import Protocol

from spacy.tokens import Doc, Span

from pipeline.rules import load_vocabulary

HAVE = {"have", "has", "had", "having"}


class _Mention(Protocol):
    start: int
    end: int


_RAISING = {"seems", "seemed", "appears", "appeared", "looks", "looked"}
_COPULA = {"is", "was", "'s", "’s", "be", "remains", "remained", "seems", "seemed", "appears", "appeared", "became"}
_OBJECT_EXPLETIVE_VERBS = load_vocabulary().words("object_expletive_verbs")
# "the drug", "the medication": a singular drug noun that refers back to the drug named before
_SINGULAR_MEDICINE_NOUNS = frozenset(w for w in load_vocabulary().words("medicine_nouns") if not w.endswith("s"))
_ADVERBS = {"still", "not", "too", "very", "also", "now", "quite", "so", "far", "really", "even", "may", "might",
            "would", "could", "will", "be", "n't"}


_PUTTING_VERBS = load_vocabulary().words("putting_verbs")


def at_risk(doc: Doc, cue_start: int) -> bool:
    """The cue ("risk of") follows "at" or "at high/increased/greater ...", or someone has the risk: a group's or a
    person's own risk, not a drug's (unless something puts them at risk)."""
    if doc[cue_start].lower_ not in ("risk", "risks"):
        return False
    before = [t.lower_ for t in doc[max(0, cue_start - 3) : cue_start]]
    if any(w in HAVE or w.endswith(("'s", "’s")) for w in before):
        return True  # "if they have an overall risk of ...", "a patient's risk of": the person's own risk
    if "at" not in before or not all(w in ("at", "high", "higher", "increased", "greater", "elevated", "particular",
                                           "special", "low", "lower") for w in before[before.index("at"):]):
        return False
    # "could put a baby at risk for respiratory failure": what puts someone at risk is the agent of the harm
    at = cue_start - len(before) + before.index("at")
    return not any(t.lower_ in _PUTTING_VERBS for t in doc[max(0, at - 4) : at])


def new_clause(doc: Doc, start: int, end: int) -> bool:
    """A semicolon, or a comma followed by a conjunction, between two positions: ", and aspirin ...", "...; CAM2038,
    ..." (not a coordinated noun phrase: "had a 32 percent lower risk of dying, and a 35 percent lower rate of ...")."""
    return last_clause_break(doc, start, end) is not None


def last_clause_break(doc: Doc, start: int, end: int) -> int | None:
    """The position of the last clause break (see :func:`new_clause`) between two positions, or None."""
    def noun_phrase_follows(i: int) -> bool:  # ", and a 35 percent ..."
        return doc[i + 1].lower_ == "and" and i + 2 < len(doc) and (doc[i + 2].lower_ in ("a", "an") or doc[i + 2].like_num)

    breaks = [i for i in range(start, min(end, len(doc) - 1))
              if doc[i].text == ";" or (doc[i].text == "," and doc[i + 1].lower_ in ("and", "but", "while", "whereas", "yet")
                                        and not noun_phrase_follows(i))]
    return breaks[-1] if breaks else None


def in_other_clause(doc: Doc, drug: _Mention, cue: _Mention, effect: _Mention, ents: list[Span]) -> bool:
    """Cue and effect sit in another clause than the drug: "metastasis is linked to inflammation, and aspirin ...",
    or another drug's clause lies between the cue and the effect: "X can cause ulcers, and Y can cause bleeding".
    A later clause that opens with a pronoun for the drug is the drug's: "palbociclib is given once daily, and its
    main adverse effect is neutropenia", "... , but it can cause ulcers"."""
    lo, hi = min(cue.start, effect.start), max(cue.end, effect.end)
    if hi <= drug.start and new_clause(doc, hi, drug.start):
        return True
    if drug.end <= lo:
        clause_break = last_clause_break(doc, drug.end, lo)
        if clause_break is not None and not _clause_of_the_drug(doc, clause_break, lo, drug, ents):
            return True
    return new_clause(doc, min(cue.end, effect.end), max(cue.start, effect.start)) and any(
        e.label_ == "CHEMICAL" and e.start != drug.start and lo < e.start < hi for e in ents)


# words between a conjunction and the verb of a predicate that shares the sentence's subject
_PREDICATE_LEAD = {"sometimes", "often", "also", "usually", "occasionally", "rarely", "can", "may", "might", "could",
                   "will", "would", "should", "must", "still", "even", "frequently", "commonly"}


def _clause_of_the_drug(doc: Doc, clause_break: int, end: int, drug: _Mention, ents: list[Span]) -> bool:
    """The clause after ``clause_break`` is still about the drug, no other chemical being named between the drug and
    the clause: it opens (after its conjunction) with "it", "its", "they" or "the drug" (a singular drug noun), or it
    has no subject of its own — at most a few adverbs or modals, then ``end``, where the cue or the effect starts ("The
    drugs run up to $200 per month, and sometimes cause side effects including ...")."""
    if any(e.label_ == "CHEMICAL" and drug.end <= e.start < clause_break for e in ents):
        return False
    first = clause_break + 1 + (doc[clause_break].text == ",")  # past the conjunction
    if first + 1 < end and doc[first].lower_ == "the" and doc[first + 1].lower_ in _SINGULAR_MEDICINE_NOUNS:
        return True  # "..., but the drug did reduce irritability": a drug noun that refers back
    if first < end and doc[first].lower_ in ("it", "its", "they"):
        return True
    i = first
    while i < end and doc[i].lower_ in _PREDICATE_LEAD:
        i += 1
    return i == end and i > clause_break + 1


def is_pronoun(doc: Doc, mention: _Mention) -> bool:
    return mention.end - mention.start == 1 and doc[mention.start].lower_ in ("it", "its", "they")


def expletive_it(doc: Doc, after: int, adjectives: frozenset[str], that_only: frozenset[str]) -> bool:
    """'it' + copula + (adverbs) + an evaluative adjective + to/that/whether: "it was still premature to recommend"."""
    if after >= 2 and doc[after - 2].lower_ in _OBJECT_EXPLETIVE_VERBS and after + 1 < len(doc) \
            and doc[after].is_alpha and doc[after + 1].lower_ in ("to", "for"):
        return True  # "making it hard to breathe", "made it possible for": a dummy object
    i = after
    while i < len(doc) and doc[i].lower_ in _ADVERBS:
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ in ("turns", "turned") and doc[i + 1].lower_ == "out":
        return True  # "it turns out that ..."
    if i + 1 < len(doc) and doc[i].lower_ in _RAISING and doc[i + 1].lower_ in ("that", "as"):
        return True  # "it seems that", "it appears as if" (not "it appears to reduce")
    if i + 1 < len(doc) and doc[i].lower_ in ("has", "had", "have") and doc[i + 1].lower_ == "been":
        i += 1  # "it has been estimated that"
    if i >= len(doc) or doc[i].lower_ not in _COPULA and doc[i].lower_ != "been":
        return False
    i += 1
    while i < len(doc) and (doc[i].lower_ in _ADVERBS or doc[i].is_quote):
        i += 1
    if i + 1 >= len(doc):
        return False
    word = doc[i].lower_
    following = next((t.lower_ for t in doc[i + 1 : i + 3] if not t.is_quote), "")
    if word in that_only or word.endswith("ed") or word in ("shown", "known", "thought"):
        return following == "that"  # "it was reported that", "it has been shown that"
    return word in adjectives and following in ("to", "that", "whether", "if", "how", "why")


def opens_after(start: int, sent: Span, antecedent: _Mention) -> bool:
    """The anaphor opens ``sent`` and the antecedent is named in the sentence just before it."""
    if start != sent.start or sent.start == 0:
        return False
    return antecedent.start >= sent.doc[sent.start - 1].sent.start


def stopped_drug(cues: list, drug: _Mention, cue_start: int) -> bool:
    """A withdrawal word right before the drug (at most two words between) or shortly before the relation cue:
    "discontinue the anticoagulant to avoid further bleeding", "stop taking aspirin to ...": what follows is a reason
    to stop it, not its benefit."""
    withdrawal = [c for c in cues if c.kind == "withdrawal"]
    if not getattr(drug, "anaphor", False) and any(0 <= drug.start - c.end <= 2 for c in withdrawal):
        return True
    return any(0 <= cue_start - c.end <= 3 for c in withdrawal)
