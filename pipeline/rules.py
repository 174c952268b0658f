"""Rule and lexicon data files under ``pipeline/data``, validated into typed objects on load.

Every file is JSON; unknown keys are rejected with the list of allowed keys, so a typo in a rule file fails loudly
at start-up instead of silently switching a rule off.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.paths import DATA_DIR

Relation = Literal["ADVERSE_EFFECT", "WITHDRAWAL_EFFECT", "TREATS", "PREVENTS", "MECHANISM", "INTERACTS_WITH"]
EntityLabel = Literal["CHEMICAL", "CONDITION", "GENE_OR_PROTEIN"]
FrequencyBand = Literal["very_common", "common", "uncommon", "rare", "very_rare"]


class RuleFileError(ValueError):
    """A rule or lexicon file does not match its schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _lower_phrases(values: list[str]) -> list[str]:
    cleaned = [v.strip().lower() for v in values]
    if any(not v for v in cleaned):
        raise ValueError("phrases must be non-empty")
    return cleaned


class RelationCue(_Strict):
    phrase: str
    relation: Relation
    strength: float = Field(default=1.0, gt=0, le=1)
    hedged: bool = False
    # where the effect/target sits relative to the cue: "after" (causes X), "before" (X caused by), "either"
    effect_side: Literal["after", "before", "either"] = "either"
    # words that, right before the phrase, make it no cue ("in cases of lymphoma" names a setting, not a harm); an
    # entry of several words matches the words right before the phrase ("who have" had a heart attack)
    not_after: list[str] = []
    # words that, right after the phrase, make it no cue ("used to diagnose osteoporosis" names a test, not a treatment)
    not_before: list[str] = []
    # a side-effect cue that says only that an outcome went with the drug ("associated with", "led to"), not that it
    # harmed: an outcome the article's medicines are named for is then their benefit
    association: bool = False
    # the phrase starts with a noun that must be what the drug is ("Tucatinib is a new pill for", "Shingrix, a vaccine
    # for"), not a second medicine ("patients on warfarin also took drugs for diabetes")
    names_the_drug: bool = False

    _lower_not_after = field_validator("not_after", "not_before")(_lower_phrases)


class RelationCues(_Strict):
    cues: list[RelationCue]
    max_cue_distance: int = Field(default=12, ge=1)

    @field_validator("cues")
    @classmethod
    def _one_rule_per_relation(cls, cues: list[RelationCue]) -> list[RelationCue]:
        """A phrase may name several relations ("targets" a receptor or a condition), each at most once."""
        seen = set()
        for cue in cues:
            if (cue.phrase, cue.relation) in seen:
                raise ValueError(f"cue {cue.phrase!r} is given twice for {cue.relation}")
            seen.add((cue.phrase, cue.relation))
        return cues


class ContextRules(_Strict):
    """ConText-style cues: negation and hedging with scope terminators, exposure phase, anaphora."""

    negation_forward: list[str]
    # "no association between coffee, tea or soft drinks and glaucoma": the negation covers every pair the
    # "between" phrase names, up to the end of the clause rather than a window of words
    negation_between: list[str] = []
    negation_backward: list[str]
    negation_pseudo: list[str]
    hedge: list[str]
    hedge_pseudo: list[str]
    terminators: list[str]
    withdrawal: list[str]
    drug_anaphora: list[str]
    # "opioids and dopamine agonists have been used, but each of these is accompanied by ...": refers to every drug
    # named before it in the same sentence
    distributive_anaphora: list[str] = []
    # "used to ease symptoms", "slowed worsening of the disease": the condition the article is about, when nothing
    # after the words says which ("symptoms of depression" names its own)
    condition_anaphora: list[str] = []
    # "Lamisil works for about two out of three patients", "the drug was effective": said of a drug right after it,
    # with no condition named in the sentence, what it works for is the condition the article is about
    efficacy_predicates: list[str] = []
    # "sleeping pills", "birth control pills", "diet medications": words before a drug noun that say what medicines
    # are for without naming a condition the recognisers tag (one or two words)
    drug_class_purposes: list[str] = []
    # "the gold standard", "a petroleum engineer", "the tobacco industry": a chemical before one of these names a
    # kind of thing, not a drug
    non_drug_next_words: list[str] = []
    effect_anaphora: list[str]
    generic_effects: list[str]
    symptom_of_cues: list[str]
    non_drug_chemicals: list[str]  # chemicals named in articles that are not the subject of a drug claim
    non_drug_heads: list[str] = []  # last words that make a chemical mention a body substance ("chloride ion")
    # body substances and nutrients of non_drug_chemicals that are the medicine where a person takes them ("women
    # taking estrogen", "patients given potassium"); a placebo, a procedure or a habit never is
    taken_as_medicine: list[str] = []
    comparators: list[str] = []  # "compared with": a drug after it is the comparison arm of what comes before
    # "improved lung function", "extends survival": body functions and outcome measures that are no condition but
    # what a drug improves, and the words that must come right before one for a TREATS claim
    outcome_phrases: list[str] = []
    outcome_cues: list[str] = []
    # "statins, which lower cholesterol": body measures a drug lowers (TREATS), and the words that lower them
    measure_phrases: list[str] = []
    lowering_cues: list[str] = []
    # "raising HDL by 138%", "restored testosterone levels": measures a drug raises for the better, and the words
    raised_measures: list[str] = []
    raising_cues: list[str] = []
    # "it was premature to recommend", "it is unclear whether": adjectives that make "it" a dummy subject before
    # to/that/whether; the second list only before "that" ("it is likely to cause" names the drug)
    expletive_adjectives: list[str] = []
    expletive_that_adjectives: list[str] = []
    scope_window: int = Field(default=8, ge=1)

    _normalise = field_validator(
        "negation_forward", "negation_between", "negation_backward", "negation_pseudo", "hedge", "hedge_pseudo", "terminators",
        "withdrawal", "drug_anaphora", "distributive_anaphora", "condition_anaphora", "efficacy_predicates", "drug_class_purposes", "non_drug_next_words", "effect_anaphora", "generic_effects", "symptom_of_cues", "non_drug_chemicals",
        "non_drug_heads", "taken_as_medicine", "comparators", "outcome_phrases", "outcome_cues", "measure_phrases", "lowering_cues",
        "raised_measures", "raising_cues", "expletive_adjectives", "expletive_that_adjectives",
    )(_lower_phrases)


class FrequencyTerm(_Strict):
    phrase: str
    band: FrequencyBand


class SlotPatterns(_Strict):
    """Words that make up POPULATION, DOSE and FREQUENCY mentions."""

    population_heads: list[str]
    population_modifiers: list[str]
    population_links: list[str]
    population_groups: dict[str, list[str]]
    population_stop: list[str]
    dose_words: list[str]
    dose_modifiers: list[str]
    dose_units: list[str]
    # "twice a day", "once-daily", "as needed": how often the drug is taken (written with spaces or hyphens)
    dose_regimens: list[str] = []
    # "for five years" right after a drug: how long it is taken
    duration_units: list[str] = []
    # "two weeks of daily treatment", "48 weeks of therapy": the nouns of a course of treatment after its length
    treatment_nouns: list[str] = []
    frequency_terms: list[FrequencyTerm]
    frequency_modifiers: list[str]
    # "a 22 percent lower risk", "a 38 percent reduction": words after a percentage that make it a change, not a frequency
    change_words: list[str] = []
    # "some", "nearly all", "not everyone": words that say how many people, before a people noun ("some patients")
    group_quantifiers: list[str] = []
    # the people nouns a quantifier counts ("most patients", "some cases")
    counted_people: list[str] = []
    # "sometimes", "often": how often, in words that map to no CIOMS band
    frequency_adverbs: list[str] = []


class FurnitureRules(_Strict):
    """Page furniture: lines that are not the article (related links, sign-ups, share buttons)."""

    line_patterns: list[str]
    max_link_title_words: int = Field(default=14, ge=1)
    min_trailing_titles: int = Field(default=2, ge=1)


class LexiconEntry(_Strict):
    name: str
    label: EntityLabel
    aliases: list[str] = []
    same_as: str = ""


class LexiconExtra(_Strict):
    entries: list[LexiconEntry]


class Calibration(BaseModel):
    """How a claim's raw score becomes its confidence (fitted by training/calibration/calibrate_confidence.py):
    "platt" maps the raw score alone through sigmoid(a * logit(raw) + b); "logistic" is a logistic model over the
    claim's features (pipeline/claim_confidence.py), ``weights`` by feature name plus ``intercept``."""

    model_config = ConfigDict(extra="allow", frozen=True)
    method: Literal["platt", "logistic"]
    a: float = 1.0
    b: float = 0.0
    weights: dict[str, float] = {}
    intercept: float = 0.0

    @model_validator(mode="after")
    def _has_its_parameters(self) -> Calibration:
        if self.method == "logistic" and not self.weights:
            raise ValueError("a logistic calibration needs its feature weights")
        return self


class Stoplist(_Strict):
    """Aliases never used for recognition: everyday words that a vocabulary also lists as a name."""

    chemical: list[str]
    condition: list[str]


class NameContext(_Strict):
    """Contexts that show a recognised "drug" is a person's or a place's name: "Lenihan said", "Dr. Marisa Weiss"."""

    titles: list[str]
    speech_verbs: list[str]
    colleague_words: list[str]
    venue_nouns: list[str]
    place_names: list[str] = []  # never a drug or a condition, linked or not ("DUARTE, Calif. --" datelines)
    credentials: list[str] = []  # "Jonathan Vigdorchik, MD": a degree after the name (or after the next name word)
    # words right after a name that make it an organisation's ("Aurin Biotech", "Vertex Pharmaceuticals"), linked or not
    company_words: list[str] = []
    calendar_words: list[str] = []  # "Tuesday", "March": never a drug or a condition ("(Reuters) - ... Tuesday")
    role_words: list[str] = []  # "said co-author Yuting Zhang": a person's role, never a drug or a condition
    # agencies, news services and insurers named by their short names ("CDC", "CNN", "BlueCross"): never a drug
    organisation_names: list[str] = []

    _lower = field_validator("titles", "speech_verbs", "colleague_words", "venue_nouns", "place_names",
                             "credentials", "company_words", "calendar_words", "role_words",
                             "organisation_names")(_lower_phrases)


_CLASS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _vocabulary_words(words: list[str]) -> list[str]:
    """Words as they are matched (lower-cased token text): rejected, not normalised, so the file reads as the code
    sees it."""
    if not words:
        raise ValueError("a word class needs at least one word")
    bad = [w for w in words if not w.strip() or w != w.strip().lower() or "  " in w]
    if bad:
        raise ValueError(f"words must be lower-case, non-blank and without outer or double spaces: {bad}")
    seen, twice = set(), []
    for w in words:
        if w in seen and w not in twice:
            twice.append(w)
        seen.add(w)
    if twice:
        raise ValueError(f"words given twice: {twice}")
    return words


def _one_line(about: str) -> str:
    if not about.strip() or "\n" in about:
        raise ValueError("'about' must be one non-empty line")
    return about


class WordClass(_Strict):
    """A closed set of words that name one semantic class ("decrease_words"), and what the code uses it for."""

    about: str
    words: list[str]

    _about = field_validator("about")(_one_line)
    _words = field_validator("words")(_vocabulary_words)


class WordRelations(_Strict):
    """Words that each carry a relation ("relieving" -> TREATS), and what the code uses them for."""

    about: str
    words: dict[str, Relation]

    _about = field_validator("about")(_one_line)

    @field_validator("words")
    @classmethod
    def _check_words(cls, words: dict[str, Relation]) -> dict[str, Relation]:
        _vocabulary_words(list(words))
        return words


def _class_names(classes: dict) -> dict:
    bad = [name for name in classes if not _CLASS_NAME.match(name)]
    if bad:
        raise ValueError(f"class names must be snake_case: {bad}")
    return classes


class Vocabulary(_Strict):
    """Word classes of the rule-based components (drug nouns, people words, decrease words ...): ``words(name)``
    gives one class as a frozenset, ``relations(name)`` one word -> relation map; modules bind them once at import."""

    word_classes: dict[str, WordClass]
    word_relations: dict[str, WordRelations] = {}

    _names = field_validator("word_classes", "word_relations")(_class_names)

    def words(self, name: str) -> frozenset[str]:
        if name not in self.word_classes:
            raise RuleFileError(f"the vocabulary has no word class {name!r}; "
                                f"its word classes are: {', '.join(sorted(self.word_classes))}")
        return frozenset(self.word_classes[name].words)

    def relations(self, name: str) -> dict[str, Relation]:
        if name not in self.word_relations:
            raise RuleFileError(f"the vocabulary has no word relations {name!r}; "
                                f"its word relations are: {', '.join(sorted(self.word_relations))}")
        return dict(self.word_relations[name].words)


def _load(name: str, model: type[BaseModel], directory: Path = DATA_DIR):
    path = directory / name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except FileNotFoundError as e:
        raise RuleFileError(f"rule file {path} is missing; reinstall the package") from e
    except json.JSONDecodeError as e:
        raise RuleFileError(f"rule file {path} is not valid JSON: {e}") from e
    except ValidationError as e:
        allowed = ", ".join(model.model_fields)
        raise RuleFileError(f"rule file {path} does not match its schema (allowed keys: {allowed}):\n{e}") from e


@lru_cache(maxsize=None)
def load_relation_cues() -> RelationCues:
    return _load("relation_cues.json", RelationCues)


@lru_cache(maxsize=None)
def load_context_rules() -> ContextRules:
    return _load("context_rules.json", ContextRules)


@lru_cache(maxsize=None)
def load_slot_patterns() -> SlotPatterns:
    return _load("slot_patterns.json", SlotPatterns)


@lru_cache(maxsize=None)
def load_furniture_rules() -> FurnitureRules:
    return _load("furniture.json", FurnitureRules)


@lru_cache(maxsize=None)
def load_name_context() -> NameContext:
    return _load("name_context.json", NameContext)


@lru_cache(maxsize=None)
def load_vocabulary() -> Vocabulary:
    return _load("vocabulary.json", Vocabulary)


def load_calibration() -> Calibration | None:
    """None until a calibration has been fitted (claims then carry the raw score)."""
    if not (DATA_DIR / "calibration.json").exists():
        return None
    return _load("calibration.json", Calibration)


def load_lexicon_extra() -> list[dict]:
    return [e.model_dump() for e in _load("lexicon_extra.json", LexiconExtra).entries]


def load_stoplist() -> dict[str, frozenset[str]]:
    """Stop words per entity family: ``{"CHEMICAL": ..., "CONDITION": ...}`` (GENE_OR_PROTEIN uses CHEMICAL's)."""
    stoplist = _load("stoplist.json", Stoplist)
    chemical = frozenset(w.lower() for w in stoplist.chemical)
    return {"CHEMICAL": chemical, "GENE_OR_PROTEIN": chemical, "CONDITION": frozenset(w.lower() for w in stoplist.condition)}
