"""What claims are built from: a drug or effect as a claim uses it (``Mention``) and one sentence's evidence for a
(drug, relation, effect) triple (``Support``). The extractor (:mod:`pipeline.claims`) finds supports; the grouping
(:mod:`pipeline.claim_grouping`) merges them into claim records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span

from pipeline.records import Highlight
from pipeline.rules import RelationCue, load_vocabulary
from pipeline.textnorm import normalise_text

CONDITION_RELATIONS = {"ADVERSE_EFFECT", "TREATS", "PREVENTS"}
_SIDE_EFFECT_WORDS = load_vocabulary().words("side_effect_words")


@dataclass(frozen=True)
class Mention:
    """A drug or effect as used by a claim: the span, or the antecedent's span when referred to by anaphora."""

    start: int
    end: int
    text: str
    key: str
    concept_id: str
    label: str
    anaphor: bool = False

    def referred_to(self, start: int, end: int | None = None) -> Mention:
        """This drug as named by an anaphor ("it", "the medication") at ``start:end`` (empty: not named at all)."""
        return replace(self, start=start, end=start if end is None else end, anaphor=True)


@dataclass
class Support:
    """One sentence's evidence for a claim, with the slots found around it."""

    sentence_index: int
    sent: Span
    drug: Mention
    effect: Mention
    relation: str
    cue: RelationCue | None
    cue_span: tuple[int, int]
    certainty: str
    score: float
    highlights: list[Highlight]
    populations: list[str] = field(default_factory=list)
    frequencies: list[tuple[str, str]] = field(default_factory=list)
    doses: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    # a mechanism phrase as the article words it, verb to object ("increasing the availability of dopamine"): the
    # mechanism slot of the drug's other claims
    mechanism_text: str = ""


def mention_of(span: Span, anaphor: bool = False) -> Mention:
    """The span as a claim's drug or effect: keyed by its linked concept, else by its normalised text."""
    concept = span._.concept_id
    key = concept or normalise_text(span.text)
    return Mention(span.start, span.end, span.text, key, concept, span.label_, anaphor)


def names_side_effect_word(word: str) -> bool:
    """"effects", "reactions", "symptoms": a word for what a drug does to people besides its purpose."""
    return word in _SIDE_EFFECT_WORDS


def names_side_effects(rule: RelationCue) -> bool:
    """A cue that names side effects ("side effects include", "adverse events such as")."""
    return rule.relation == "ADVERSE_EFFECT" and ("side effect" in rule.phrase or "adverse" in rule.phrase)
