"""Drug–effect claims from recognised mentions: relation cues, context, anaphora, slots, and grouping.

Per sentence: the drugs (named, or referred to as "it" / "the medication"), the effects (CONDITION mentions that are
not part of a population, not a disease's listed symptoms, not generic words) and the targets (GENE_OR_PROTEIN, or a
chemical right after a mechanism cue). Each drug–effect pair takes the relation of the nearest compatible cue;
stopping/withdrawal wording turns an adverse effect into a WITHDRAWAL_EFFECT. Supports of the same
(drug, relation, effect) across the article are merged into one claim whose slots come from all of them.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.claim_phrases import (
    BENEFIT_COMPOUNDS,
    CLASS_NOUNS,
    COMPOUND_MECHANISM,
    INDICATION_NOUNS,
    PEOPLE,
    RISK_WORDS,
    after_outcome_cue,
    biomarker_status,
    bodys_ability,
    called_a_treatment,
    called_a_gene,
    comparison_arm,
    comparison_group,
    compound_word_after,
    amount_of,
    described_action,
    foreign_agent_compound,
    has_condition,
    in_organisation_name,
    indication_classes,
    listed_before,
    manner_adverb,
    modifies_a_drug_noun,
    modified_anaphors,
    names_a_drug,
    names_the_class,
    not_taken,
    only_punct_between,
    people_experienced,
    people_on,
    predicate_class,
    relative_clause_between,
    resolved_on_stopping,
    risk_falls_between,
    risk_goes_down,
    sold_for,
    taken_by_people,
    used_in,
    VACCINE_NOUNS,
)
from pipeline.context import ContextMatcher, Cue, PhraseIndex, sentence_tokens
from pipeline.cue_scope import (
    at_risk, expletive_it, in_other_clause, is_pronoun, new_clause, opens_after, stopped_drug,
)
from pipeline.enumerations import missed_list_items
from pipeline.gazetteer import pipeline_table
from pipeline.mechanism_phrases import direct_mechanism_phrase, mechanism_phrase, phrase_head
from pipeline.records import Claim, Highlight
from pipeline.rules import (
    Calibration,
    ContextRules,
    RelationCue,
    RelationCues,
    load_calibration,
    load_context_rules,
    load_relation_cues,
)
from pipeline.sentences import is_heading_sentence
from pipeline.textnorm import normalise_text, normalise_token
from pipeline.tokenizer import compound_end
from pipeline.trial_rates import arm_rates

EXTRACTOR = "rules-v1"
CONDITION_RELATIONS = {"ADVERSE_EFFECT", "TREATS", "PREVENTS"}
_MODEL_FAMILY = {"ADVERSE_EFFECT": "ADVERSE_EFFECT", "WITHDRAWAL_EFFECT": "ADVERSE_EFFECT", "TREATS": "TREATS",
                 "PREVENTS": "TREATS", "MECHANISM": "MECHANISM"}
# "a reduction in death, including from heart attacks": after a condition these extend it and are no cue of their own
_EXPANDERS = {"including", "include", "includes", "such as"}
# "cancer cells", "the American Cancer Society", "a diabetes specialist": the word names something else
_NOT_A_CONDITION_AFTER = {"cell", "cells", "line", "lines", "society", "association", "foundation", "institute",
                          "center", "centre", "centers", "clinic", "clinics", "specialist", "specialists",
                          "researchers", "research", "unit", "ward", "alliance", "council", "network"}
# "steroid nasal sprays", "zinc lozenges": a plural dosage form right after a drug name makes it a class
_PLURAL_FORMS = {"sprays", "pills", "tablets", "capsules", "drops", "creams", "lozenges", "injections", "shots",
                 "patches", "inhalers", "drugs", "medications", "medicines", "supplements", "vaccines"}
# "its side effects", "its benefits": what a possessive "its" of the drug is followed by (not "its blood supply")
_ITS_DRUG_NOUNS = {"side", "adverse", "effect", "effects", "benefit", "benefits", "use", "risk", "risks", "safety",
                   "efficacy", "effectiveness", "active", "ability", "potential", "impact", "action", "actions",
                   "users", "label", "warning", "warnings", "mechanism", "long-term", "most", "main", "common",
                   "ability", "role", "success", "dose", "doses"}
_EFFECT_ANAPHOR_VERBS = {"can", "may", "might", "could", "is", "are", "was", "were", "usually", "often", "typically",
                         "also", "tends", "tend", "occurs", "occur", "happens", "happen", "includes", "include",
                         "effect", "effects", "symptom", "symptoms", "reaction", "reactions", "side", "resulted",
                         "results", "result", "led", "leads", "lead", "caused", "causes", "cause", "triggered",
                         "triggers", "produced", "produces"}
# "thyroid imbalances", "insulin resistance", "opioid overdose": the chemical names part of a condition
_CONDITION_AFTER_CHEMICAL = {"imbalance", "imbalances", "resistance", "deficiency", "deficiencies", "toxicity",
                             "poisoning", "overdose", "overdoses", "abuse", "dependence", "addiction", "levels", "level",
                             "problems", "disorder", "disorders", "tumor", "tumors", "tumour", "tumours", "cancer",
                             "cancers", "nodules", "gland", "glands"}
# "vision loss", "memory problems": the outcome word modifies a condition
_CONDITION_NOUNS_AFTER_OUTCOME = {"loss", "problems", "problem", "disorder", "disorders", "apnea", "impairment",
                                  "decline", "deficits", "deficit", "damage", "difficulties", "disturbances"}
# "HBeAg", "HBsAg": an antigen measured, not a drug
_ANTIGEN = re.compile(r"^[A-Z][A-Za-z]{0,4}Ag$")
# of the symptom_of cues, those after which the condition is what a drug treats or prevents ("relieves the symptoms
# of depression", "slowed the progression of Alzheimer's", "fewer deaths from heart disease")
_TREATED_AFTER = {"symptoms of", "signs of", "signs and symptoms of", "symptom of", "progression of",
                  "progression of their", "recurrence of", "died of", "died from", "death from", "deaths from",
                  "risk of dying from", "hospitalized for", "hospitalised for", "hospitalization for"}
_EFFICACY_WINDOW = 8  # no condition named before the predicate or in the words after it
# words between a drug and its efficacy predicate ("Lamisil, which does not work"), and words after the predicate
# that make it say how the drug works rather than that it works
_EFFICACY_GLUE = {"also", "only", "still", "really", "generally", "usually", "often", "alone", "itself", "which", "that",
                  "does", "do", "did", "doesn't", "don't", "didn't", "n't", "not", "may", "might", "can", "could",
                  "should", "will", "would", "seems", "seemed", "appears", "appeared", "to"}
_NOT_EFFICACY_AFTER = {"by", "on", "as", "with", "like", "to", "through", "via", "against", "differently",
                       "similarly", "faster", "better", "quickly", "together"}
# a negated benefit cue denies a benefit ("did not help patients with COVID-19"); other negated cues before a group's
# condition are contraindications ("should not administer X to patients with TB")
_BENEFIT_VERBS = {"help", "helps", "helped", "benefit", "benefits", "benefited", "improve", "improves", "improved"}
# an outcome cue too loose to tie an outcome to the drug by itself: "who want a better quality of life"
_LOOSE_OUTCOME_CUES = {"better", "help", "helps", "helped"}
# "zinc lozenges", "calcium supplements", "iron injections": a nutrient given as a product is taken like a medicine
_PRODUCT_NOUNS = {"lozenge", "lozenges", "supplement", "supplements", "supplementation", "tablet", "tablets", "capsule",
                  "capsules", "injection", "injections", "infusion", "infusions", "drops", "spray", "sprays"}
# a chemical joined by a hyphen to the next word modifies it ("silver-white", "glycerol-impregnated catgut",
# "thyroid-derived drug"), except where the chemical stays the agent ("aspirin-induced asthma", "platinum-based drugs")
_AGENT_COMPOUNDS = {"", "induced", "related", "associated", "caused", "triggered", "based", "containing", "like",
                    "treated", "resistant", "sensitive", "free"}
_HARM_WORDS = {"effects", "effect", "events", "event", "reactions", "reaction", "risks", "risk", "problems",
               "complications", "symptoms", "harms", "dangers", "toxicities", "toxicity"}
_COMPOUND_HINT = re.compile(r"-\s?(blocking|inhibiting|lowering|reducing|suppressing|boosting|stimulating|activating)\b", re.I)
# an adverb that takes the doubt out of a hedging cue: "clearly associated with", "definitely linked to"
_CERTAINTY_BOOSTERS = {"clearly", "definitely", "undoubtedly", "unquestionably", "conclusively"}


# "symptoms of depression", "symptoms such as", "the disease's": the words name their own condition
_CONDITION_ANAPHOR_STOPS = {"of", "such", "like", "including", "include", "included", "includes", ":", "'s", "’s",
                            "that", "which", "in", "from", "associated", "related", "caused"}
_NOT_THE_CONDITION_BEFORE = {"other", "these", "those", "such", "withdrawal", "side", "allergy", "flu", "cold", "new",
                             "more", "worse", "worsening", "severe", "serious", "menopausal"}
_RISK_DETERMINERS = {"the", "their", "his", "her", "your", "its", "a", "our"}
HARMFUL_RISE = "HARMFUL_RISE"  # label of a body measure a drug raises where lowering it is the benefit


def _boosted(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in _CERTAINTY_BOOSTERS


_PLURAL_ANAPHORS = {"drugs", "medications", "medicines", "treatments", "they"}
# "inhibits an enzyme known as neprilysin", "inhibits production of orexins": words between a mechanism verb and its target
_TARGET_LEAD_IN = {"the", "a", "an", "enzyme", "protein", "receptor", "hormone", "called", "known", "as", "named",
                   "production", "release", "action", "activity", "secretion", "effects", "effect", "of", "body's"}
_TARGET_CLASS_NOUNS = {"antagonist", "antagonists", "agonist", "agonists", "inhibitor", "inhibitors", "blocker",
                       "blockers", "receptor", "receptors", "analogue", "analog", "analogues", "analogs"}
_LIST_GLUE = {",", "and", "or", "as", "well", "such", "including", "like", "e.g.", "also", "even", "other"}


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


def _mention(span: Span, anaphor: bool = False) -> Mention:
    concept = span._.concept_id
    key = concept or normalise_text(span.text)
    return Mention(span.start, span.end, span.text, key, concept, span.label_, anaphor)


class ClaimExtractor:
    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        cues: RelationCues,
        rules: ContextRules,
        calibration: Calibration | None,
        relation_model=None,
        model_weight: float = 0.5,
        min_model_probability: float = 0.0,
    ):
        extensions.register()
        self.name = name
        self.calibration = calibration
        self.relation_model = relation_model
        self.model_weight = model_weight
        self.min_model_probability = min_model_probability
        self.context = ContextMatcher(rules)
        self.rules = rules
        self.max_distance = cues.max_cue_distance
        # a phrase may carry one rule per relation ("targets" a receptor: MECHANISM; a condition: TREATS)
        self.cue_by_phrase: dict[str, list[RelationCue]] = {}
        for cue in cues.cues:
            self.cue_by_phrase.setdefault(cue.phrase, []).append(cue)
        self.cue_index = PhraseIndex({"relation": [c.phrase for c in cues.cues]})
        self.anaphora = PhraseIndex({"drug": rules.drug_anaphora})
        self.distributive = PhraseIndex({"drug": rules.distributive_anaphora})
        self.condition_anaphora = PhraseIndex({"condition": rules.condition_anaphora})
        self.efficacy = PhraseIndex({"efficacy": rules.efficacy_predicates})
        self.effect_anaphora = PhraseIndex({"effect": rules.effect_anaphora})
        self.symptom_of = PhraseIndex({"symptom_of": rules.symptom_of_cues})
        self.outcome_index = PhraseIndex({"outcome": rules.outcome_phrases})
        self.outcome_cues = PhraseIndex({"cue": rules.outcome_cues})
        self.measure_index = PhraseIndex({"measure": rules.measure_phrases})
        self.lowering_cues = PhraseIndex({"cue": rules.lowering_cues})
        self.raised_index = PhraseIndex({"measure": rules.raised_measures})
        self.raising_cues = PhraseIndex({"cue": rules.raising_cues})
        self.lowering_words = frozenset(c for c in rules.lowering_cues if " " not in c)
        self.generic = {normalise_text(g) for g in rules.generic_effects}
        # the NER's vocabulary table (MeSH, HPO, drug names), when the pipeline has one: a one-word condition mention
        # that no vocabulary knows and the linker did not link ("bigger", "lengthy", "nation") is no effect
        self.vocabulary = pipeline_table(nlp)
        self._cue_cache_key: tuple[int, int, int] | None = None
        self._cue_cache: list[tuple[Cue, RelationCue]] = []
        self.non_drugs = {normalise_text(c) for c in rules.non_drug_chemicals}
        self.taken_medicines = {normalise_text(c) for c in rules.taken_as_medicine}
        self.non_drug_heads = frozenset(rules.non_drug_heads)
        self.non_drug_next = frozenset(rules.non_drug_next_words)
        self.class_purposes = frozenset(rules.drug_class_purposes)
        self.expletive = frozenset(rules.expletive_adjectives)
        self.expletive_that = frozenset(rules.expletive_that_adjectives)

    # ---- per-sentence pieces -------------------------------------------------------------------------------
    def tokens(self, sent: Span) -> list[str]:
        """The sentence's lower-cased token texts, computed once per sentence of the current Doc."""
        cached = self._tokens.get(sent.start)
        if cached is None:
            cached = self._tokens[sent.start] = sentence_tokens(sent)
        return cached

    def relation_cues(self, sent: Span) -> list[tuple[Cue, RelationCue]]:
        key = (id(sent.doc), sent.start, sent.end)
        if self._cue_cache_key != key:
            tokens = self.tokens(sent)
            found = self.cue_index.find(tokens, sent.start)
            found += self._cues_across_adverbs(tokens, sent.start, found)
            self._cue_cache_key = key
            self._cue_cache = [(c, rule) for c in found for rule in self.cue_by_phrase.get(c.text, ())]
        return self._cue_cache

    def _cues_across_adverbs(self, tokens: list[str], offset: int, found: list[Cue]) -> list[Cue]:
        """"interact badly with", "acts selectively on": a multi-word cue with a manner adverb inside it."""
        kept = [i for i, t in enumerate(tokens) if not manner_adverb(t)]
        if len(kept) == len(tokens):
            return []
        taken = {i for c in found for i in range(c.start, c.end)}
        out = []
        for cue in self.cue_index.find([tokens[i] for i in kept]):
            start, end = offset + kept[cue.start], offset + kept[cue.end - 1] + 1
            if end - start > cue.end - cue.start and not any(i in taken for i in range(start, end)):
                out.append(Cue(start, end, cue.kind, cue.text))
        return out

    def _effect_anaphor_opens(self, doc: Doc, tokens: list[str], start: int) -> bool:
        """"These effects can ...", "This may lead to ...": the sentence opens by referring to the previous claims (a
        bare "this"/"these" only before a modal or a copula: not "This opens the way to ...")."""
        for cue in self.effect_anaphora.find(tokens[:3], start):
            if " " in cue.text or (cue.end < len(doc) and doc[cue.end].lower_ in _EFFECT_ANAPHOR_VERBS):
                return True
        return False

    def effects(self, doc: Doc, sent: Span, ents: list[Span], treated_only: list[Span] | None = None) -> list[Span]:
        """The sentence's conditions that may be a drug's effect; those named after "symptoms of", "progression of"
        ... are appended to ``treated_only`` when given: what a drug treats or prevents, never its harm."""
        populations = _sentence_populations(doc, sent)
        disease_symptoms = self.symptom_of.find(self.tokens(sent), sent.start)
        out = []
        for ent in ents:
            if ent.label_ != "CONDITION" or normalise_text(ent.text) in self.generic:
                continue
            if not any(t.is_alpha and not t.is_stop for t in ent):
                continue  # "as", "-": a list item cut from the words around it, no condition
            if self.unknown_word(ent):
                continue
            if any(p.start <= ent.start and ent.end <= p.end for p in populations):
                continue
            if any(c.end <= ent.start <= c.end + 1 for c in disease_symptoms):
                if treated_only is not None and any(c.end <= ent.start <= c.end + 1 and c.text in _TREATED_AFTER
                                                    for c in disease_symptoms):
                    treated_only.append(ent)  # "relieves the symptoms of depression": what it treats
                continue  # "symptoms of depression": the disease, not an effect of the drug
            if ent.end < len(doc) and doc[ent.end].lower_ in _NOT_A_CONDITION_AFTER:
                continue  # "cancer cells are killed": cells, not the disease
            if has_condition(doc, ent, sent):
                continue  # "when patients ... have liver problems": who is meant, not what the drug does
            if compound_word_after(doc, ent) == "free" or in_organisation_name(doc, ent):
                continue  # "pain-free walking distance"; "the American College of Allergy, Asthma & Immunology"
            out.append(_cut_at_clause_verb(ent))
        return out

    def verb_led_measure(self, ent: Span) -> bool:
        """"raise blood pressure" tagged as one condition mention: a raising or lowering verb and a body measure, which
        the outcome rules read as they read the words untagged (a harm or a benefit, and the next items of a list)."""
        if ent.label_ != "CONDITION" or len(ent) < 2:
            return False
        words = [t.lower_ for t in ent]
        return (bool(self.raising_cues.find(words[:1]) or self.lowering_cues.find(words[:1]))
                and tuple(words[1:]) in self.measure_index.table)

    def unknown_word(self, ent: Span) -> bool:
        """A one-word condition mention that is neither linked nor in the NER's vocabulary table."""
        return (self.vocabulary is not None and len(ent) == 1 and not ent._.concept_id
                and normalise_token(ent.text) not in self.vocabulary)

    def outcomes(self, doc: Doc, sent: Span, ents: list[Span],
                 change_words: dict[tuple[int, int], Cue] | None = None) -> list[Span]:
        """"improved lung function", "extends survival": an outcome measure right after a word of improvement (at most
        one word between, "improved their vision"), not part of a recognised mention, not a condition's modifier
        ("vision loss")."""
        tokens = self.tokens(sent)
        out = []
        change_words = {} if change_words is None else change_words  # each outcome's improvement or change word
        for index, cues, any_mention, label in ((self.outcome_index, self.outcome_cues, True, "OUTCOME"),
                                                (self.measure_index, self.lowering_cues, False, "OUTCOME"),
                                                (self.raised_index, self.raising_cues, False, "OUTCOME"),
                                                # "decongestants can raise blood pressure": a harm
                                                (self.measure_index, self.raising_cues, False, HARMFUL_RISE)):
            found_cues = cues.find(tokens, sent.start)
            cue_ends = {c.end for c in found_cues}
            if not cue_ends:
                continue
            # an outcome measure may not overlap a mention; a body measure may be a body chemical ("cholesterol") or a
            # protein ("LDL", "PSA levels")
            blocked = {i for e in ents if any_mention or e.label_ == "CONDITION" or (e.label_ == "CHEMICAL" and self.is_drug(e))
                       for i in range(e.start, e.end)}
            for found in index.find(tokens, sent.start):
                if any(i in blocked for i in range(found.start, found.end)):
                    continue
                if found.end < sent.end and doc[found.end].lower_ in _CONDITION_NOUNS_AFTER_OUTCOME:
                    continue
                after_cue = after_outcome_cue(doc, sent, found.start, cue_ends)
                # "improves concentration, coordination and endurance": the next items of the same list
                listed = bool(out) and out[-1].label_ == label and listed_before(doc, out[-1], found)
                if (after_cue or listed) and not any(o.start <= found.start < o.end for o in out):
                    verb = ""
                    if label == HARMFUL_RISE:  # keeps its verb (kb_id): the claim's effect is "raise blood pressure"
                        verb = (next((c.text for c in reversed(found_cues) if c.end <= found.start), "") if after_cue
                                else out[-1].kb_id_)
                    out.append(Span(doc, found.start, found.end, label=label, kb_id=verb))
                    before = [c for c in found_cues if c.end <= found.start]
                    cue = before[-1] if after_cue and before else change_words.get((out[-2].start, out[-2].end)) if listed else None
                    if cue is not None:
                        change_words[(found.start, found.end)] = cue
        return out

    def population_conditions(self, doc: Doc, sent: Span, ents: list[Span]) -> list[Span]:
        """Conditions named inside a population mention of the sentence ("patients with bipolar disorder")."""
        populations = _sentence_populations(doc, sent)
        return [e for e in ents if e.label_ == "CONDITION" and normalise_text(e.text) not in self.generic
                and any(p.start <= e.start and e.end <= p.end for p in populations)]

    def sentence_drugs(self, sent: Span, ents: list[Span], focus: Mention | None) -> list[Mention]:
        drugs = [_mention(e) for e in ents if e.label_ == "CHEMICAL" and not predicate_class(e)]
        if drugs and self.distributive.table:
            for cue in self.distributive.find(self.tokens(sent), sent.start):
                # "..., but each of these is accompanied by side effects": every drug named before, in the clause
                # of the anaphor
                drugs.extend(d.referred_to(cue.start, cue.end) for d in list(drugs) if not d.anaphor and d.end <= cue.start)
        if focus is not None and not drugs:
            found = self.anaphora.find(self.tokens(sent), sent.start)
            found = sorted(found + modified_anaphors(sent, found), key=lambda c: c.start)
            for cue in found:
                # "these drugs" / "they" prefer the last drug class named; "it" / "the medication" the last drug
                last = cue.text.split()[-1]
                if last in _PLURAL_ANAPHORS or (len(cue.text.split()) > 1 and last.endswith("s") and not last.endswith("ss")):
                    antecedent = self.class_focus or focus
                else:  # "it binds to ...": the last single drug named, not a class ("diuretics") named since
                    antecedent = self.single_focus or focus
                if cue.text == "they" and not opens_after(cue.start, sent, antecedent):
                    continue  # a bare "they" is mostly people ("they found"): only "X ... . They ..." counts
                if cue.text == "it" and expletive_it(sent.doc, cue.end, self.expletive, self.expletive_that):
                    continue  # "it was premature to recommend", "it's unclear whether": no referent
                if cue.text == "its" and (cue.end >= sent.end or sent.doc[cue.end].lower_ not in _ITS_DRUG_NOUNS):
                    continue  # "cut off its blood supply" (the brain's); "its side effects" is the drug's
                if cue.text in ("it", "its") and self._other_referent_between(sent.doc, antecedent, cue.start):
                    continue  # "Abeta42 is insoluble, and although it is made everywhere ...": the nearer noun
                if (cue.text.startswith("both ") or cue.text.startswith("the two ")) and len(self.recent_drugs) >= 2:
                    # "The most common side effects for both drugs were ...": the last two drugs named
                    drugs.extend(d.referred_to(cue.start, cue.end) for d in self.recent_drugs[-2:])
                    break
                drugs.append(antecedent.referred_to(cue.start, cue.end))
                break
        return drugs

    def discussed_drug(self, focus: Mention) -> Mention:
        """The last drug named, unless the article names another one at least twice as often (its main drug)."""
        main = self.main_drug
        if main is None or main.key == focus.key:
            return focus
        return main if self.drug_counts[main.key] >= 2 * self.drug_counts.get(focus.key, 0) else focus

    def _other_referent_between(self, doc: Doc, antecedent: Mention, position: int) -> bool:
        """A protein or a non-drug chemical named between the drug and a later "it": the nearer candidate."""
        return any(antecedent.end <= e.start and e.end <= position
                   and (e.label_ == "GENE_OR_PROTEIN" or (e.label_ == "CHEMICAL" and not self.is_drug(e)))
                   for e in doc.ents)

    def choose_cue(
        self, cues: list[tuple[Cue, RelationCue]], drug: Mention, effect: Span, allowed: set[str], ents: list[Span]
    ) -> tuple[Cue, RelationCue, float] | None:
        best = None
        other_tokens = {i for e in ents if e.start != effect.start for i in range(e.start, e.end)}
        for cue, rule in cues:
            if rule.relation not in allowed:
                continue
            if in_other_clause(effect.doc, drug, cue, effect, ents):
                continue  # "metastasis is linked to inflammation, and aspirin ..."; "X causes ulcers, and Y bleeding"
            if drug.anaphor and drug.start > cue.start and drug.start > effect.start and is_pronoun(effect.doc, drug):
                continue  # "... reducing pain, which means it's past ...": a pronoun after both is not the agent
            if rule.relation in ("TREATS", "PREVENTS") and not drug.anaphor and cue.end <= drug.start \
                    and people_on(effect.doc, cue.end, drug.start):
                continue  # "how to treat patients on anticoagulants who suffer a major bleeding": people are treated
            if rule.relation == "INTERACTS_WITH" and not drug.anaphor and drug.start > cue.start:
                continue  # "the oil may interact with clobazam and carbamazepine": both come after the cue
            if rule.phrase.endswith((" by", " to", " of", " from")) and rule.effect_side == "before" \
                    and rule.relation == "ADVERSE_EFFECT" and not drug.anaphor and drug.start < effect.start:
                continue  # "reverse the deficit caused by heavy drinking", "pain due to sprain": the agent follows
            if rule.phrase.endswith(" by") and not drug.anaphor and drug.start < cue.start:
                continue  # "the deficit induced by heavy alcohol consumption": the agent follows "by"
            if rule.relation != "MECHANISM" and relative_clause_between(effect.doc, drug, cue):
                continue  # "blocking proteins that have been linked to inflammation": the proteins are; "neutrophils,
                # a type of white blood cell that helps fight infections": the cells fight them
            if cue.end <= effect.start:
                if rule.effect_side == "before":
                    continue
                gap = range(cue.end, effect.start)
            elif cue.start >= effect.end:
                if rule.effect_side == "after":
                    continue
                gap = range(effect.end, cue.start)
            else:
                continue
            side = "before" if cue.end <= effect.start else "after"  # the side an in-between cue must not need
            if any(r.relation != rule.relation and r.relation in allowed and r.effect_side != side
                   and gap.start <= c.start and c.end <= gap.stop for c, r in cues):
                continue  # "led to a delay in resistance": a cue between this one and the effect governs it
            doc = effect.doc
            distance = sum(1 for i in gap if i not in other_tokens and doc[i].lower_ not in _LIST_GLUE and not doc[i].is_punct)
            lo, hi = min(drug.start, effect.start), max(drug.end, effect.end)
            if not (lo <= cue.start < hi):
                distance += 3
            if distance > self.max_distance:
                continue
            score = rule.strength * (1.0 - 0.03 * distance)
            if best is None or score > best[2]:
                best = (cue, rule, score)
        return best

    def usable_cues(self, doc: Doc, cues: list[tuple[Cue, RelationCue]], ents: list[Span]) -> list[tuple[Cue, RelationCue]]:
        """The sentence's relation cues that can carry a claim (filtered once per sentence, not per pair)."""
        chemical_tokens = {i for e in ents if e.label_ == "CHEMICAL" for i in range(e.start, e.end)}
        return [(c, r) for c, r in cues if not (
            # "menstrual-related migraines": the compound's first half is the agent, and it is no drug
            foreign_agent_compound(doc, c.start, chemical_tokens) or
            # "a reduction in cardiovascular death, including from heart attacks": "including" right after a
            # condition (or a generic word: "conditions, including ADHD") extends it; it is no cue of its own
            (c.text in _EXPANDERS and (any(e.label_ == "CONDITION" and only_punct_between(doc, e.end, c.start) for e in ents)
                                       or (c.text == "including" and self._after_generic(doc, c.start))))
            # "Medicines backed by the strongest evidence include ...", "including approximately 15 million people":
            # a list word is a side-effect cue only after a word for harms ("side effects include")
            or (c.text in _EXPANDERS and r.relation == "ADVERSE_EFFECT"
                and not any(t.lower_ in _HARM_WORDS for t in doc[max(0, c.start - 6) : c.start]))
            # "participants treated with ifosfamide": who took the drug, not what it treats
            or (r.relation == "TREATS" and c.start > 0 and doc[c.start - 1].lower_ in PEOPLE)
            # "decreased ability to fight infections": the body's defence, which the drug may weaken
            or (r.relation == "TREATS" and bodys_ability(doc, c.start))
            # "patients at risk of heart attack": who is meant, not what the drug does
            or (r.relation == "ADVERSE_EFFECT" and at_risk(doc, c.start))
            # "does not get at the underlying cause of Huntington's": the disease's own cause
            or (r.relation == "ADVERSE_EFFECT" and c.start > 0 and doc[c.start - 1].lower_ in ("underlying", "root"))
            # "effectiveness in cases of lymphoma": the word before the cue makes it none (the cue's not_after words)
            or (c.start > 0 and doc[c.start - 1].lower_ in r.not_after)
            # "used to diagnose osteoporosis": the word after the cue makes it none (a test, not a treatment)
            or (c.end < len(doc) and doc[c.end].lower_ in r.not_before))]

    def _after_generic(self, doc: Doc, start: int) -> bool:
        """"conditions, including ADHD": "including" right after a generic word ("conditions", "disorders")."""
        i = start - 1
        while i >= 0 and start - i <= 2 and doc[i].is_punct:
            i -= 1
        return i >= 0 and normalise_text(doc[i].text) in self.generic and not _names_side_effect_word(doc[i].lower_)

    def certainty(self, cues: list[Cue], positions: list[int], rule: RelationCue, drug: Mention,
                  doc: Doc, cue_start: int | None = None) -> tuple[str, list[Cue]]:
        negation = self.context.negation_covering(cues, positions)
        if negation is not None:
            return "negated", [negation]
        # a hedge counts when it frames the claim: between drug and effect, or before both ("Some studies suggest"),
        # not from an earlier clause ("metastasis is linked to inflammation, and aspirin reduces inflammation")
        last, first = max([drug.start, *positions]), min([drug.start, *positions])
        hedges = [c for c in self.context.hedges(cues) if c.start < last
                  and not (c.end <= first and new_clause(doc, c.end, first)) and not _boosted(doc, c.start)]
        if hedges or (rule.hedged and not (cue_start is not None and _boosted(doc, cue_start))):
            return "hedged", hedges
        return "asserted", []

    # ---- the document ----------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._cue_cache_key = None  # a new Doc may reuse a freed Doc's id()
        self._tokens: dict[int, list[str]] = {}
        self.class_focus: Mention | None = None
        self.single_focus: Mention | None = None
        self.recent_drugs: list[Mention] = []
        supports: list[Support] = []
        focus: Mention | None = None
        previous: list[Support] = []
        ents_by_sent: dict[int, list[Span]] = defaultdict(list)
        sents = list(doc.sents)
        heading = self._heading = {sent.start: is_heading_sentence(doc, sent) for sent in sents}
        for ent in doc.ents:
            if not self.verb_led_measure(ent):
                ents_by_sent[doc[ent.start].sent.start].append(ent)
        # the article's main drug: the drug concept named most often outside headings (first named on a tie)
        named = [_mention(e) for e in doc.ents if e.label_ == "CHEMICAL" and not heading[doc[e.start].sent.start]
                 and self.is_drug(e)]
        self.drug_counts = Counter(m.key for m in named)
        self.described: dict[str, list[str]] = defaultdict(list)
        for e in doc.ents:
            if e.label_ == "CHEMICAL":
                described = described_action(doc, e)
                if described:
                    self.described[_mention(e).key].append(described)
        self.main_drug = max(reversed(named), key=lambda m: self.drug_counts[m.key]) if named else None
        conditions = [_mention(e) for e in doc.ents if e.label_ == "CONDITION" and normalise_text(e.text) not in self.generic]
        counts = Counter(m.key for m in conditions)
        # the condition the article is about: named at least twice, in the title if one is, most often (first
        # named on a tie)
        title = [e for e in doc.ents if e.label_ == "CONDITION" and e.start < sents[0].end] if sents else []
        in_title = {_mention(e).key for e in title}
        repeated = [m for m in conditions if counts[m.key] >= 2]
        self.main_condition = max(reversed(repeated), key=lambda m: (m.key in in_title, counts[m.key])) if repeated else None
        for index, sent in enumerate(sents):
            ents = self.with_indication_classes(doc, sent, ents_by_sent.get(sent.start, []))
            skip = heading[sent.start]
            found = [] if skip else self.sentence_supports(doc, index, sent, ents, focus, previous)
            if skip and index == 0 and self.main_drug is not None and (
                    names_a_drug(sent) or any(e.label_ == "CHEMICAL" and self.is_drug(e) for e in ents)):
                # the article's title: "New pill prevents strokes in atrial fibrillation patients" — its drug noun is
                # the article's main drug (a title is otherwise skipped like any heading)
                found = self.sentence_supports(doc, index, sent, ents, self.main_drug, [])
            if not skip:
                self.attach_followup_slots(doc, sent, ents, previous)
            explicit = [e for e in ents if e.label_ == "CHEMICAL" and not self.is_target(doc, e) and self.is_drug(e)]
            # a question states no claim but names what the next sentences talk about: "Remember thalidomide? The
            # medicine led to birth defects"
            if explicit and (not skip or sent.text.strip().endswith("?")):
                focus = _mention(explicit[0])
                plural = [e for e in explicit if _is_plural(e)]
                if plural:
                    self.class_focus = _mention(plural[0])
                single = [e for e in explicit if not _is_plural(e)]
                if single:
                    self.single_focus = _mention(single[0])
                for e in explicit:
                    mention = _mention(e)
                    self.recent_drugs = [d for d in self.recent_drugs if d.key != mention.key] + [mention]
            supports.extend(found)
            if found or not skip:
                previous = found
        indications = sold_for(doc)
        for support in supports:
            if support.relation == "ADVERSE_EFFECT" and support.cue is not None and support.cue.association \
                    and support.effect.end > support.effect.start \
                    and amount_of(doc[support.effect.start : support.effect.end]) in indications:
                support.relation = "TREATS"  # "Xenical is associated with a seven-pound weight loss": what it is for
        if self.relation_model is not None:
            supports = self.rescore(doc, supports)
        supports = _indication_over_harm(supports)
        doc._.claims = tuple(self.group(doc, supports))
        return doc

    def condition_anaphor_supports(self, doc, index, sent, cues, relation_cues, drug, ents) -> list[Support]:
        """"drugs have been used to ease symptoms", "slowed worsening of the disease": what the drug treats is the
        condition the article is about, when the words are not followed by what they belong to ("symptoms of")."""
        main = self.main_condition
        if main is None:
            return []
        found = []
        for cue in self.condition_anaphora.find(self.tokens(sent), sent.start):
            if cue.end < len(doc) and doc[cue.end].lower_ in _CONDITION_ANAPHOR_STOPS:
                continue
            if cue.start > 0 and doc[cue.start - 1].lower_ in _NOT_THE_CONDITION_BEFORE:
                continue  # "other symptoms", "withdrawal symptoms", "worsening symptoms": not the article's condition
            span = Span(doc, cue.start, cue.end, label="CONDITION")
            for support in self.pair_support(doc, index, sent, cues, relation_cues, drug, span, {"TREATS"}, False, ents):
                if support.certainty == "negated":
                    continue
                support.effect = replace(main, start=cue.start, end=cue.end, anaphor=True)
                found.append(support)
        return found

    def efficacy_supports(self, doc, index, sent, cues, drug: Mention, ents) -> list[Support]:
        """"The most common oral treatment, Lamisil, works for about two out of three patients": a drug said to work,
        right after its name, with no condition named before the predicate or just after it, works for the condition
        the article is about."""
        main = self.main_condition
        if main is None:
            return []
        for cue in self.efficacy.find(self.tokens(sent), sent.start):
            if any(e.label_ == "CONDITION" and e.start < cue.end + _EFFICACY_WINDOW for e in ents):
                continue  # "X works for migraine": the sentence names what it works for
            between = doc[drug.end : cue.start]
            if cue.start < drug.end or len(between) > 3 or not all(t.is_punct or t.lower_ in _EFFICACY_GLUE for t in between):
                continue
            if cue.end < sent.end and doc[cue.end].lower_ in _NOT_EFFICACY_AFTER:
                continue  # "works by blocking", "works on the brain", "works as an antioxidant": how, not for what
            rule = RelationCue(phrase=cue.text, relation="TREATS", strength=0.6)
            effect = replace(main, start=cue.start, end=cue.end, anaphor=True)
            certainty, context_cues = self.certainty(cues, [cue.start], rule, drug, doc, cue.start)
            highlights = [Highlight(doc[cue.start].idx, doc[cue.end - 1].idx + len(doc[cue.end - 1].text), "effect")]
            return [Support(index, sent, drug, effect, "TREATS", rule, (cue.start, cue.end), certainty, 0.5, highlights)]
        return []

    def with_indication_classes(self, doc: Doc, sent: Span, ents: list[Span]) -> list[Span]:
        """The sentence's mentions, with medicines named by what they are for ("blood pressure medicines") as one
        drug-class mention in place of the condition or measure inside the name."""
        if not any(t.lower_ in CLASS_NOUNS for t in sent):
            return ents
        classes = indication_classes(doc, sent, ents, self.measure_index.find(self.tokens(sent), sent.start),
                                     self.class_purposes)
        if not classes:
            return ents
        kept = [e for e in ents if not any(c.start <= e.start < c.end for c in classes)]
        return sorted(kept + classes, key=lambda e: e.start)

    def rescore(self, doc: Doc, supports: list[Support]) -> list[Support]:
        """Blend each rule support's score with the trained relation model's probability of the same relation
        family for that (drug mention, effect mention) pair; drop supports the model finds very unlikely."""
        scored = [s for s in supports if s.drug.end > s.drug.start and s.effect.label not in {"PROCESS", "TARGET", "OUTCOME"}]
        if not scored:
            return supports
        pairs = [(Span(doc, s.drug.start, s.drug.end), Span(doc, s.effect.start, s.effect.end)) for s in scored]
        kept = {id(s) for s in supports} - {id(s) for s in scored}
        for support, probs in zip(scored, self.relation_model.predict_pairs(doc, pairs)):
            family = _MODEL_FAMILY.get(support.relation)
            if family is None:
                kept.add(id(support))
                continue
            p = probs.get(family, 0.0)
            if p < self.min_model_probability:
                continue
            support.score = (1 - self.model_weight) * support.score + self.model_weight * p
            kept.add(id(support))
        return [s for s in supports if id(s) in kept]

    def is_drug(self, ent: Span) -> bool:
        """A medicine, drug class or named therapy, not a nutrient, electrolyte, body molecule, placebo or a name the
        text itself calls a gene."""
        if not any(c.isalpha() for c in ent.text):
            return False  # "51,145": a number the recogniser read as a code
        return ((_given_as_a_product(ent) or normalise_text(ent.text) not in self.non_drugs
                 and normalise_text(ent._.concept_name) not in self.non_drugs
                 or normalise_text(ent.text) in self.taken_medicines
                 and (taken_by_people(ent.doc, ent) or called_a_treatment(ent.doc, ent)))
                and ent[-1].lower_ not in self.non_drug_heads and not called_a_gene(ent)
                and not (ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in _CONDITION_AFTER_CHEMICAL)
                and not _ANTIGEN.match(ent.text)
                and compound_word_after(ent.doc, ent) in _AGENT_COMPOUNDS
                and not (ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in self.non_drug_next)
                and not in_organisation_name(ent.doc, ent))

    def is_target(self, doc: Doc, ent: Span) -> bool:
        """A chemical acted on rather than acting: "mimicking GABA", "a vitamin K antagonist"."""
        if ent.end < len(doc) and doc[ent.end].lower_ in _TARGET_CLASS_NOUNS:
            return True
        word_end = compound_end(doc, ent.end - 1)
        if word_end > ent.end and COMPOUND_MECHANISM.match(doc[ent.start : word_end].text):
            return True  # "estrogen" in "estrogen-blocking pill"
        sent = doc[ent.start].sent
        return any(
            rule.relation == "MECHANISM"
            and 0 <= ent.start - cue.end <= 4
            and all(doc[i].lower_ in _TARGET_LEAD_IN for i in range(cue.end, ent.start))
            for cue, rule in self.relation_cues(sent)
        )

    def sentence_supports(
        self, doc: Doc, index: int, sent: Span, ents: list[Span], focus: Mention | None, previous: list[Support]
    ) -> list[Support]:
        cues = self.context.cues(sent)
        relation_cues = self.relation_cues(sent)
        targets = [e for e in ents if (e.label_ == "GENE_OR_PROTEIN" and not biomarker_status(doc, e))
                   or (e.label_ == "CHEMICAL" and self.is_target(doc, e))]
        drug_ents = [e for e in ents if e.label_ == "CHEMICAL" and e not in targets and self.is_drug(e)
                     and not comparison_arm(doc, e) and not not_taken(doc, e)]
        drugs = self.sentence_drugs(sent, drug_ents, focus)
        withdrawal = any(not resolved_on_stopping(doc, c.start) for c in self.context.withdrawal(cues))
        tokens = self.tokens(sent)
        if not drugs and previous and self._effect_anaphor_opens(doc, tokens, sent.start):
            # "These effects can manifest as ...": the previous sentence's drug and exposure phase carry over
            prior = previous[0]
            drugs = [prior.drug.referred_to(sent.start)]
            withdrawal = withdrawal or prior.relation == "WITHDRAWAL_EFFECT"
        treated_only: list[Span] = []
        effects = self.effects(doc, sent, ents, treated_only)
        change_words: dict[tuple[int, int], Cue] = {}
        outcomes = self.outcomes(doc, sent, ents, change_words)
        side_effect_cues = [cue.end for cue, rule in relation_cues if _names_side_effects(rule)]
        listed = missed_list_items(sent, side_effect_cues, ents) if side_effect_cues and effects else []
        if listed:  # "side effects included nasal discomfort, colds, sneezing": the items NER missed
            effects = sorted(effects + self.effects(doc, sent, listed), key=lambda e: e.start)
            ents = sorted(ents + listed, key=lambda e: e.start)
        phrase = mechanism_phrase(sent)
        if phrase is not None and any(phrase_head(doc, phrase[0]) == t.start for t in targets):
            phrase = None  # "works by blocking the serotonin transporter": the named target gives the claim
        if phrase is not None and not drugs and doc[sent.start].lower_ in ("the", "these", "those", "such"):
            phrase = None  # "The transplants work by replacing ...": a subject that is no drug the text named
        phrase_drug = drugs[0] if drugs else None
        if phrase is None:
            conditions = {e.start for e in ents if e.label_ == "CONDITION"}
            target_starts = {t.start for t in targets}
            for candidate in drugs:
                phrase = direct_mechanism_phrase(sent, candidate.end, conditions, target_starts)
                if phrase is not None:
                    phrase_drug = candidate
                    break
        if phrase is not None and (drugs or focus is not None):
            drug = phrase_drug or focus.referred_to(sent.start)
            start, verb, target = phrase
            rule = RelationCue(phrase=verb.lower(), relation="MECHANISM", strength=0.8)
            effect = Mention(start + 1, start + 1 + len(target.split()), target, normalise_text(target), "", "PROCESS")
            certainty, _ = self.certainty(cues, [start], rule, drug, doc)
            support = Support(index, sent, drug, effect, "MECHANISM", rule, (start, start + 1), certainty, 0.7, [], mechanisms=[verb.lower()])
            supports_from_phrase = [support]
        else:
            supports_from_phrase = []
        supports_from_phrase += self.compound_mechanisms(index, sent, cues, drugs, focus)
        if index == 0 and not drugs and focus is not None and names_a_drug(sent):
            drugs = [focus.referred_to(sent.start)]  # a title naming "drug" / "pill" but not which
        if not drugs and focus is not None and effects and any(_names_side_effects(rule) for _, rule in relation_cues):
            # "Side effects included nausea and headache" in an article about one drug: the drug under discussion —
            # the article's main drug when the last one named is a passing mention (the old standard of care)
            drugs = [self.discussed_drug(focus).referred_to(sent.start)]
        if not drugs and focus is not None and effects and people_experienced(doc, sent, effects[0].start):
            # "Some patients experienced itchiness and eye redness" in an article about one drug: the drug under
            # discussion, as for a sentence naming side effects
            drugs = [self.discussed_drug(focus).referred_to(sent.start)]
        found = list(supports_from_phrase)
        relation_cues = self.usable_cues(doc, relation_cues, ents)
        for drug in drugs:
            for effect in effects:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, CONDITION_RELATIONS, withdrawal, ents))
            for effect in treated_only:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, {"TREATS", "PREVENTS"}, False, ents))
            if not any(s.drug == drug and s.relation in CONDITION_RELATIONS for s in found):
                # "probiotics could help patients suffering from bipolar disorder": the group's condition is what
                # the drug treats when the sentence names no other
                for effect in self.population_conditions(doc, sent, ents):
                    # "should not administer X to patients with TB" is a contraindication; "did not help patients with
                    # COVID-19" a benefit denied
                    found.extend(s for s in self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, {"TREATS"}, False, ents)
                                 if s.certainty != "negated" or s.cue.phrase in _BENEFIT_VERBS)
            else:
                # "it can help people with anxiety, bipolar disorder and PTSD": the group's condition heads the list
                benefits = [s for s in found if s.drug == drug and s.relation in ("TREATS", "PREVENTS")]
                for effect in self.population_conditions(doc, sent, ents):
                    if any(listed_before(doc, effect, s.effect) for s in benefits):
                        found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, {"TREATS", "PREVENTS"}, False, ents))
            if not any(s.drug == drug and s.relation in ("TREATS", "PREVENTS") for s in found):
                found.extend(self.condition_anaphor_supports(doc, index, sent, cues, relation_cues, drug, ents))
            if not any(s.drug == drug for s in found):
                found.extend(self.efficacy_supports(doc, index, sent, cues, drug, ents))
            for outcome in outcomes:
                # "Women taking estrogen had an increase in HDL": the change word itself ties the outcome to the drug
                # when no relation cue does
                change = change_words.get((outcome.start, outcome.end))
                if change is not None and change.text in _LOOSE_OUTCOME_CUES:
                    change = None  # "who want a better quality of life": no change the drug made
                own = [(change, RelationCue(phrase=change.text, relation="TREATS", strength=0.6, effect_side="after"))] \
                    if change is not None else []
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues + own, drug, outcome, {"TREATS"},
                                               withdrawal and outcome.label_ == HARMFUL_RISE, ents))
            for target in targets:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, target, {"MECHANISM"}, False, ents))
            partners = [e for e in ents if e.label_ == "CHEMICAL" and e not in targets]
            for other in partners:
                if other.start > drug.end and _mention(other).key != drug.key:
                    found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, other, {"INTERACTS_WITH"}, False, ents))
        interaction_cues = [c for c, rule in relation_cues if rule.relation == "INTERACTS_WITH"]
        if interaction_cues and focus is not None and not any(s.relation == "INTERACTS_WITH" for s in found):
            # "The oil appeared to interact negatively with clobazam and carbamazepine": the drug under discussion
            drug = focus.referred_to(sent.start)
            for other in (e for e in ents if e.label_ == "CHEMICAL" and e not in targets and self.is_drug(e)):
                if other.start >= interaction_cues[0].end:
                    found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, other, {"INTERACTS_WITH"}, False, ents))
        if (drugs and all(d.anaphor for d in drugs) and focus is not None and effects
                and not any(s.relation in CONDITION_RELATIONS for s in found)
                and any(_names_side_effects(rule) for _, rule in relation_cues)):
            # "The most common side effects were nausea ..., and the drug was well tolerated": the anaphor sits in
            # another clause; the side effects are still the drug under discussion's
            drug = focus.referred_to(sent.start)
            for effect in effects:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, CONDITION_RELATIONS, withdrawal, ents))
        return found

    def compound_mechanisms(self, index: int, sent: Span, cues: list[Cue], drugs: list[Mention], focus: Mention | None) -> list[Support]:
        """"an estrogen-blocking pill called tamoxifen", "acid-reducing drugs": the target and the action in one word."""
        if (not drugs and focus is None) or not _COMPOUND_HINT.search(sent.text):
            return []
        found = []
        doc = sent.doc
        i = sent.start
        while i < sent.end:
            end = min(compound_end(doc, i), sent.end)  # "estrogen - blocking" written as one word
            word = doc[i:end].text
            match = COMPOUND_MECHANISM.match(word)
            start, i = i, end
            if match is None or end >= sent.end:
                continue
            nxt = doc[end]
            if nxt.lower_ not in INDICATION_NOUNS and not any(d.start == nxt.i for d in drugs):
                continue  # "estrogen-blocking pill", "estrogen-blocking tamoxifen"; not "cholesterol-lowering effect"
            # "aspirin and cholesterol-lowering statins": the drug the compound describes; "an estrogen-blocking pill
            # called tamoxifen" / "tamoxifen, an estrogen-blocking pill": the one named with the class noun; "years of
            # a hormone-blocking drug" names none, and the sentence's other drugs ("adding chemo") are not it
            named = [d for d in drugs if d.start == nxt.i or 0 < d.start - nxt.i <= 3
                     or (d.end <= start and start - d.end <= 3 and all(t.text in {",", "a", "an", "the", "is", "are"}
                                                                      for t in doc[d.end:start]))]
            if named:
                drug = named[0]
            elif drugs or focus is None:
                continue
            else:
                drug = focus.referred_to(sent.start)
            target = match.group(1)
            effect = Mention(start, end, target, normalise_text(target), "", "TARGET")
            rule = RelationCue(phrase=match.group(2).lower(), relation="MECHANISM", strength=0.8)
            certainty, _ = self.certainty(cues, [start], rule, drug, doc)
            highlights = [Highlight(doc[start].idx, doc[start].idx + len(word), "effect")]
            found.append(Support(index, sent, drug, effect, "MECHANISM", rule, (start, end), certainty, 0.7,
                                 highlights, mechanisms=[word.lower()]))
        return found

    def lowered_risk(self, doc: Doc, effect: Span) -> int | None:
        """"cut heart attack risk", "lowers their stroke risk": the position of a lowering verb before the condition
        when the condition is followed by "risk"."""
        if effect.end >= len(doc) or doc[effect.end].lower_ not in ("risk", "risks"):
            return None
        i = effect.start - 1
        while i >= 0 and effect.start - i <= 2 and doc[i].lower_ in _RISK_DETERMINERS:
            i -= 1
        return i if i >= 0 and doc[i].lower_ in self.lowering_words else None

    def pair_support(self, doc, index, sent, cues, relation_cues, drug, effect, allowed, withdrawal, ents) -> list[Support]:
        if (effect.start < drug.end and drug.start < effect.end) or _mention(effect).key == drug.key:
            return []
        if self.context.comparison_between(cues, effect.end, drug.start):
            return []  # "... had died, compared with 26.5 percent for those taking enalapril": the comparison arm
        choice = self.choose_cue(relation_cues, drug, effect, allowed, ents)
        if "TREATS" in allowed and effect.end < len(doc) and doc[effect.end].lower_ in INDICATION_NOUNS \
                and names_the_class(doc, drug, effect.end):
            noun = doc[effect.end].lower_
            prevents = noun == "prevention" or noun in VACCINE_NOUNS
            indication = RelationCue(phrase=noun, relation="PREVENTS" if prevents else "TREATS", strength=0.9)
            choice = (Cue(effect.end, effect.end + 1, "relation", indication.phrase), indication, 0.9)
        if choice is None and "PREVENTS" in allowed:
            verb = self.lowered_risk(doc, effect)
            if verb is not None:  # "may cut heart attack risk by 20%"
                rule = RelationCue(phrase=doc[verb].lower_, relation="PREVENTS", strength=0.9)
                choice = (Cue(verb, verb + 1, "relation", rule.phrase), rule, 0.9)
        benefit = compound_word_after(doc, effect)
        if "TREATS" in allowed and benefit in BENEFIT_COMPOUNDS:  # "pain-relieving", "cancer-fighting"
            rule = RelationCue(phrase=benefit, relation=BENEFIT_COMPOUNDS[benefit], strength=0.9)
            choice = (Cue(effect.end + 1, effect.end + 2, "relation", benefit), rule, 0.9)
        elif "TREATS" in allowed and (choice is None or choice[1].relation not in ("TREATS", "PREVENTS")) \
                and used_in(doc, drug, effect):  # "pentoxifylline in intermittent claudication"; not over "for cancer prevention"
            rule = RelationCue(phrase="in", relation="TREATS", strength=0.8)
            choice = (Cue(drug.end, drug.end + 1, "relation", "in"), rule, 0.8)
        if choice is None:
            return []
        cue, rule, score = choice
        relation = rule.relation
        if relation == "ADVERSE_EFFECT" and any(w in RISK_WORDS for w in cue.text.split()) \
                and risk_goes_down(doc, sent, cue, effect):
            relation = "PREVENTS"  # "a 59 percent reduction in relative risk for", "the risk for X dropped by 15 percent"
        elif relation == "ADVERSE_EFFECT" and risk_falls_between(doc, cue, effect):
            relation = "PREVENTS"  # "Daily aspirin linked to steep drop in cancer risk"
        if effect.label_ == HARMFUL_RISE:
            relation = "ADVERSE_EFFECT"  # "raise blood pressure": the measure goes the wrong way
        if relation == "ADVERSE_EFFECT" and not _names_side_effects(rule):
            rates = arm_rates(doc, sent, drug.start, drug.end)
            if rates is not None and rates[0] < rates[1]:
                return []  # "13 percent of patients on X suffered heart attacks, against 15 percent on placebo": fewer
                # on the drug is no harm of it (and, for one trial's count, no proof that it prevents them)
        if relation == "ADVERSE_EFFECT" and modifies_a_drug_noun(doc, effect):
            return []  # "cough and cold medications ... have the potential for side effects": what they are for
        if withdrawal and relation == "ADVERSE_EFFECT":
            relation = "WITHDRAWAL_EFFECT"
        if relation in ("TREATS", "PREVENTS") and stopped_drug(cues, drug, cue.start):
            return []  # "discontinue the anticoagulant to avoid further bleeding": stopping it is what helps
        certainty, context_cues = self.certainty(cues, [effect.start, cue.start], rule, drug, doc, cue.start)
        if drug.anaphor:
            score *= 0.85
        highlights = [Highlight(doc[effect.start].idx, effect.end_char, "effect")]
        if drug.end > drug.start:
            highlights.append(Highlight(doc[drug.start].idx, doc[drug.end - 1].idx + len(doc[drug.end - 1].text), "drug"))
        for c in context_cues:
            role = "negation" if certainty == "negated" else "hedge"
            highlights.append(Highlight(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text), role))
        effect_mention = _mention(effect)
        if effect.label_ == HARMFUL_RISE:  # the effect is the rise: "raise blood pressure", not "blood pressure"
            text = f"{effect.kb_id_} {effect.text}".strip()
            effect_mention = replace(effect_mention, text=text, key=normalise_text(text), label="OUTCOME")
        support = Support(index, sent, drug, effect_mention, relation, rule, (cue.start, cue.end), certainty,
                          max(0.05, min(score, 1.0)), highlights)
        self.collect_slots(doc, sent, support, effect)
        if relation == "MECHANISM":
            support.mechanisms.append(cue.text)
        return [support]

    def collect_slots(self, doc: Doc, sent: Span, support: Support, effect: Span) -> None:
        for span in doc.spans.get("POPULATION", []):
            drug_only = span.start >= support.drug.start and span.end <= max(support.drug.end, support.drug.start + 1)
            # "patients taking X" is who had an effect of X, not whom X treats (the indication group)
            arm = support.relation in {"TREATS", "PREVENTS"} and span.start <= support.drug.start < span.end
            if sent.start <= span.start < sent.end and not drug_only and not arm and not span._.bare_count and not (
                span.start <= effect.start < span.end
            ) and not comparison_group(span):
                support.populations.append(span.text)
                support.highlights.append(Highlight(span.start_char, span.end_char, "population"))
        for span in doc.spans.get("FREQUENCY", []):
            if sent.start <= span.start < sent.end:
                support.frequencies.append((span.text, span._.concept_id.removeprefix("FREQ:")))
                support.highlights.append(Highlight(span.start_char, span.end_char, "frequency"))
        for span in doc.spans.get("DOSE", []):
            if sent.start <= span.start < sent.end:
                support.doses.append(span.text)
                support.highlights.append(Highlight(span.start_char, span.end_char, "dose"))

    def attach_followup_slots(self, doc: Doc, sent: Span, ents: list[Span], previous: list[Support]) -> None:
        """"It appears more often in people with X": a sentence that refers back to the previous claims
        without naming a drug or effect of its own gives them its population, frequency and dose."""
        if not previous or any(e.label_ == "CHEMICAL" for e in ents):
            return
        if not self.effect_anaphora.find(self.tokens(sent), sent.start):
            return
        for support in previous:
            before = len(support.highlights)
            self.collect_slots(doc, sent, support, sent[0:0])
            support.highlights = support.highlights[:before]

    # ---- grouping ----------------------------------------------------------------------------------------------
    def calibrated(self, raw: float) -> float:
        if self.calibration is None:
            return raw
        p = min(max(raw, 1e-4), 1 - 1e-4)
        return 1.0 / (1.0 + math.exp(-(self.calibration.a * math.log(p / (1 - p)) + self.calibration.b)))

    def article_populations(self, doc: Doc) -> list[str]:
        """Populations the article names, defining ones first ("patients with heart failure", "older adults")."""
        spans = [s for s in doc.spans.get("POPULATION", [])
                 if not s._.bare_count and not comparison_group(s) and not self._heading.get(doc[s.start].sent.start, False)]
        defined = [s for s in spans if s._.concept_id and s._.concept_id != "GROUP:animals"]  # who a drug is for
        return _unique(s.text for s in defined + spans)

    @staticmethod
    def fallback_population(populations: list[str], effect: str, relation: str) -> list[str]:
        """The study/indication population of the article when the claim's own sentences name none."""
        if not populations:
            return []
        if relation in {"TREATS", "PREVENTS"}:
            naming = [p for p in populations if normalise_text(effect) in normalise_text(p)]
            if naming:
                return naming[:1]
        return populations[:1]

    def group(self, doc: Doc, supports: list[Support]) -> list[Claim]:
        groups: dict[tuple[str, str, str], list[Support]] = defaultdict(list)
        for support in supports:
            groups[(support.drug.key, support.relation, support.effect.key)].append(support)
        mechanisms_by_drug: dict[str, list[str]] = defaultdict(list)
        for (drug_key, relation, _), members in groups.items():
            if relation == "MECHANISM":
                first = members[0]
                text = first.effect.text if first.effect.label != "PROCESS" else f"{first.mechanisms[0]} {first.effect.text}"
                if first.effect.label == "TARGET":
                    text = first.mechanisms[0]  # "estrogen-blocking"
                mechanisms_by_drug[drug_key].append(text)
        article_populations = self.article_populations(doc)
        claims = []
        for (drug_key, relation, effect_key), members in groups.items():
            certainty = _group_certainty(members)
            best = max(members, key=lambda s: (s.certainty == certainty, s.score, -s.sentence_index))
            mechanisms = _unique(m for s in members for m in s.mechanisms)
            if relation in CONDITION_RELATIONS and not mechanisms:
                mechanisms = _unique(mechanisms_by_drug.get(drug_key, []))[:2]
            if relation in CONDITION_RELATIONS and not mechanisms:
                mechanisms = _unique(self.described.get(drug_key, []))[:1]  # "the anti-TNF drug adalimumab"
            populations = _unique(p for s in members for p in s.populations)
            if not populations and relation != "MECHANISM":
                populations = self.fallback_population(article_populations, best.effect.text, relation)
            frequencies = _unique(f for s in members for f, _ in s.frequencies)
            bands = _unique(b for s in members for _, b in s.frequencies)
            confidence = 1.0
            for s in members:
                confidence *= 1.0 - s.score
            claims.append(
                Claim(
                    claim_key=f"{relation}|{drug_key}|{effect_key}",
                    relation=relation,
                    drug=best.drug.text,
                    drug_id=best.drug.concept_id,
                    effect=best.effect.text,
                    effect_id=best.effect.concept_id,
                    effect_type=best.effect.label,
                    population="; ".join(populations),
                    mechanism="; ".join(mechanisms),
                    certainty=certainty,
                    frequency="; ".join(frequencies),
                    frequency_band=";".join(_unique(b for band in bands for b in band.split(";"))),
                    dose="; ".join(_unique(d for s in members for d in s.doses)),
                    evidence=best.sent.text.strip(),
                    evidence_start=best.sent.start_char + (len(best.sent.text) - len(best.sent.text.lstrip())),
                    evidence_end=best.sent.start_char + len(best.sent.text.rstrip()),
                    sentence_index=best.sentence_index,
                    confidence=round(self.calibrated(1.0 - confidence), 4),
                    extractor=EXTRACTOR if self.relation_model is None else f"{EXTRACTOR}+relation-lr",
                    n_supporting_sentences=len({s.sentence_index for s in members}),
                    highlights=tuple(sorted(set(best.highlights), key=lambda h: (h.start, h.end, h.role))),
                )
            )
        return sorted(claims, key=lambda c: (c.evidence_start, c.relation, c.effect, c.claim_key))


def _indication_over_harm(supports: list[Support]) -> list[Support]:
    """A drug that the article says, in more sentences, treats or prevents a condition is not also claimed to cause
    it from fewer: "guselkumab ... psoriasis" in four sentences of benefit and one "patients with psoriasis ... linked
    to" is the disease's context, not a harm. (A drug both preventing and causing fractures, in as many or more
    sentences of harm, keeps both claims.)"""
    sentences: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for s in supports:
        family = "TREATS" if s.relation in ("TREATS", "PREVENTS") else s.relation
        sentences[(s.drug.key, s.effect.key, family)].add(s.sentence_index)
    return [s for s in supports if not (
        s.relation == "ADVERSE_EFFECT"
        and len(sentences[(s.drug.key, s.effect.key, "TREATS")]) > len(sentences[(s.drug.key, s.effect.key, "ADVERSE_EFFECT")]))]


# verbs of a clause that a long condition mention sometimes runs into: "damage to the nervous system reported feeling
# less pain" is the condition "damage to the nervous system" and the start of the next clause
_CLAUSE_VERBS = {"reported", "reports", "said", "says", "found", "showed", "shows", "told", "suggests", "suggested",
                 "felt", "feeling", "were", "was", "is", "are", "affects", "occurs", "occur", "happens"}


def _cut_at_clause_verb(ent: Span) -> Span:
    """The condition mention up to a clause verb inside it (not its first word: "feeling full" is a symptom)."""
    for k in range(1, len(ent)):
        if ent[k].lower_ in _CLAUSE_VERBS:
            end = ent.start + k
            while end > ent.start + 1 and (ent.doc[end - 1].is_punct or ent.doc[end - 1].lower_ in ("and", "or", "who", "that")):
                end -= 1
            return Span(ent.doc, ent.start, end, label=ent.label_)
    return ent


def _given_as_a_product(ent: Span) -> bool:
    return ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in _PRODUCT_NOUNS


def _group_certainty(members: list[Support]) -> str:
    """The certainty most supporting sentences give the claim; a tie goes to the strongest support."""
    votes = defaultdict(float)
    for s in members:
        votes[s.certainty] += 1.0 + 0.01 * s.score
    return max(votes, key=votes.get)


def _is_plural(ent: Span) -> bool:
    """"diuretics", "PARP inhibitors", "steroid (nasal) sprays": a class named in the plural."""
    doc = ent.doc
    if any(t.lower_ in _PLURAL_FORMS for t in doc[ent.end : min(ent.end + 2, ent.sent.end)]):
        return True
    return ent.text.lower().endswith("s") and len(ent.text) > 4


def _sentence_populations(doc: Doc, sent: Span) -> list[Span]:
    return [p for p in doc.spans.get("POPULATION", []) if sent.start <= p.start < sent.end]


def _names_side_effect_word(word: str) -> bool:
    return word in ("effects", "effect", "events", "event", "reactions", "reaction", "symptoms", "symptom")


def _names_side_effects(rule: RelationCue) -> bool:
    return rule.relation == "ADVERSE_EFFECT" and ("side effect" in rule.phrase or "adverse" in rule.phrase)


def _unique(values) -> list:
    seen, out = set(), []
    for value in values:
        key = normalise_text(value) if isinstance(value, str) else value
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


@Language.factory(
    "drugclaims_claims",
    default_config={"calibrate": True, "use_relation_model": True, "model_weight": 0.5, "min_model_probability": 0.0},
)
def make_claim_extractor(
    nlp: Language, name: str, *, calibrate: bool, use_relation_model: bool, model_weight: float, min_model_probability: float
) -> ClaimExtractor:
    calibration = load_calibration() if calibrate else None
    relation_model = None
    if use_relation_model:
        from pipeline.relation_model import RelationModel

        relation_model = RelationModel.load()
    return ClaimExtractor(
        nlp, name, cues=load_relation_cues(), rules=load_context_rules(), calibration=calibration,
        relation_model=relation_model, model_weight=model_weight, min_model_probability=min_model_probability,
    )
