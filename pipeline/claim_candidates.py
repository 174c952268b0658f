"""A sentence's candidates for a claim: which chemicals are drugs, which conditions may be a drug's effect, which
outcome measures a drug may improve or harm, and which conditions name who a drug is for. Lexicon checks only (the
context rules' lists and the NER's vocabulary table); which pairs become claims is :mod:`pipeline.claims`' business."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.claim_phrases import (
    CLASS_NOUNS,
    after_outcome_cue,
    called_a_gene,
    called_a_treatment,
    compound_word_after,
    has_condition,
    in_organisation_name,
    indication_classes,
    listed_before,
    named_as_a_medicine,
    taken_by_people,
)
from pipeline.context import Cue, PhraseIndex
from pipeline.gazetteer import pipeline_table
from pipeline.rules import ContextRules, load_vocabulary
from pipeline.textnorm import normalise_text, normalise_token

HARMFUL_RISE = "HARMFUL_RISE"  # label of a body measure a drug raises where lowering it is the benefit

# "cancer cells", "the American Cancer Society", "a diabetes specialist": the word names something else
_NOT_A_CONDITION_AFTER = load_vocabulary().words("not_a_condition_after")
# "thyroid imbalances", "insulin resistance", "opioid overdose": the chemical names part of a condition
_CONDITION_AFTER_CHEMICAL = load_vocabulary().words("condition_after_chemical")
# "vision loss", "memory problems": the outcome word modifies a condition
_CONDITION_NOUNS_AFTER_OUTCOME = load_vocabulary().words("condition_nouns_after_outcome")
# "HBeAg", "HBsAg": an antigen measured, not a drug
_ANTIGEN = re.compile(r"^[A-Z][A-Za-z]{0,4}Ag$")
# "NCT01348451", "ISRCTN12345678": a trial's registry number, which the recogniser may read as a development code
# "U.S.", "U.K.1,2" (with a footnote's numbers): a country's initials, which the recogniser sometimes reads as a code
_DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.){2,}[\d,]*$")
_TRIAL_REGISTRY_ID = re.compile(r"^(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|EudraCT)$", re.I)
# of the symptom_of cues, those after which the condition is what a drug treats or prevents ("relieves the symptoms
# of depression", "slowed the progression of Alzheimer's", "fewer deaths from heart disease")
_TREATED_AFTER = load_vocabulary().words("treated_after_cues")
# "zinc lozenges", "calcium supplements", "iron injections": a nutrient given as a product is taken like a medicine
_PRODUCT_NOUNS = load_vocabulary().words("product_nouns")
# a chemical joined by a hyphen to the next word modifies it ("silver-white", "glycerol-impregnated catgut",
# "thyroid-derived drug"), except where the chemical stays the agent ("aspirin-induced asthma", "platinum-based drugs")
_AGENT_COMPOUNDS = load_vocabulary().words("agent_compound_words") | {""}  # "": no word joined after the hyphen
# verbs of a clause that a long condition mention sometimes runs into: "damage to the nervous system reported feeling
# less pain" is the condition "damage to the nervous system" and the start of the next clause
_CLAUSE_VERBS = load_vocabulary().words("clause_verbs")
_PERCENT_WORDS = load_vocabulary().words("percent_words")
_PROFESSIONS = load_vocabulary().words("profession_nouns")
_GENERIC_MODIFIERS = load_vocabulary().words("effect_modifiers") | load_vocabulary().words("generic_effect_modifiers")


class CandidateFinder:
    """The lexicon side of claim extraction, built once per pipeline from the context rules and the NER's vocabulary."""

    def __init__(self, nlp: Language, rules: ContextRules):
        self.symptom_of = PhraseIndex({"symptom_of": rules.symptom_of_cues})
        self.outcome_index = PhraseIndex({"outcome": rules.outcome_phrases})
        self.outcome_cues = PhraseIndex({"cue": rules.outcome_cues})
        self.measure_index = PhraseIndex({"measure": rules.measure_phrases})
        self.lowering_cues = PhraseIndex({"cue": rules.lowering_cues})
        self.raised_index = PhraseIndex({"measure": rules.raised_measures})
        self.raising_cues = PhraseIndex({"cue": rules.raising_cues})
        self.generic = {normalise_text(g) for g in rules.generic_effects}
        # the NER's vocabulary table (MeSH, HPO, drug names), when the pipeline has one: a one-word condition mention
        # that no vocabulary knows and the linker did not link ("bigger", "lengthy", "nation") is no effect
        self.vocabulary = pipeline_table(nlp)
        self.non_drugs = {normalise_text(c) for c in rules.non_drug_chemicals}
        self.taken_medicines = {normalise_text(c) for c in rules.taken_as_medicine}
        self.non_drug_heads = frozenset(rules.non_drug_heads)
        self.non_drug_next = frozenset(rules.non_drug_next_words)
        self.class_purposes = frozenset(rules.drug_class_purposes)

    def is_generic(self, text: str) -> bool:
        """"condition", "side effects", "problems": a word the context rules list as naming no particular effect, also
        after modifiers that name none either ("debilitating side effects")."""
        words = normalise_text(text).split()
        while len(words) > 1 and words[0] in _GENERIC_MODIFIERS:
            words = words[1:]
        return " ".join(words) in self.generic

    def effects(self, doc: Doc, sent: Span, ents: list[Span], tokens: list[str],
                treated_only: list[Span] | None = None) -> list[Span]:
        """The sentence's conditions that may be a drug's effect (``tokens``: the sentence's lower-cased words); those
        named after "symptoms of", "progression of" ... are appended to ``treated_only`` when given: what a drug
        treats or prevents, never its harm."""
        populations = sentence_populations(doc, sent)
        disease_symptoms = self.symptom_of.find(tokens, sent.start)
        out = []
        for ent in ents:
            if ent.label_ != "CONDITION":
                continue
            ent = cut_at_dash(ent)
            if self.is_generic(ent.text):
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
            if ent[0].like_num and all(t.like_num or t.lower_ in _PERCENT_WORDS or t.is_punct for t in ent):
                continue  # "a 57 percent reduced risk": a figure the recogniser read as a condition
            cut = cut_at_clause_verb(ent)
            if len(cut) < len(ent) and cut[-1].lower_ in _PROFESSIONS:
                continue  # "fatigue, doctors say": who says it, not a condition
            out.append(cut)
        return out

    def verb_led_measure(self, ent: Span) -> bool:
        """"raise blood pressure", "reduction in systolic blood pressure" tagged as one condition mention: a raising or
        lowering word and a body measure, which the outcome rules read as they read the words untagged (a harm or a
        benefit, and the next items of a list)."""
        if ent.label_ != "CONDITION" or len(ent) < 2:
            return False
        words = [t.lower_ for t in ent]
        cues = self.raising_cues.find(words) + self.lowering_cues.find(words)  # "raise", "reduction in"
        return any(c.start == 0 and tuple(words[c.end:]) in self.measure_index.table for c in cues)

    def unknown_word(self, ent: Span) -> bool:
        """A one-word condition mention that is neither linked nor in the NER's vocabulary table."""
        return (self.vocabulary is not None and len(ent) == 1 and not ent._.concept_id
                and normalise_token(ent.text) not in self.vocabulary)

    def outcomes(self, doc: Doc, sent: Span, ents: list[Span], tokens: list[str],
                 change_words: dict[tuple[int, int], Cue] | None = None) -> list[Span]:
        """"improved lung function", "extends survival": an outcome measure right after a word of improvement (at most
        one word between, "improved their vision"), not part of a recognised mention, not a condition's modifier
        ("vision loss"). Each outcome's change word is put in ``change_words`` (by span) when given."""
        out = []
        change_words = {} if change_words is None else change_words
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
        populations = sentence_populations(doc, sent)
        return [e for e in ents if e.label_ == "CONDITION" and not self.is_generic(e.text)
                and any(p.start <= e.start and e.end <= p.end for p in populations)]

    def with_indication_classes(self, doc: Doc, sent: Span, ents: list[Span], tokens: list[str]) -> list[Span]:
        """The sentence's mentions, with medicines named by what they are for ("blood pressure medicines") as one
        drug-class mention in place of the condition or measure inside the name."""
        if not any(t.lower_ in CLASS_NOUNS for t in sent):
            return ents
        classes = indication_classes(doc, sent, ents, self.measure_index.find(tokens, sent.start), self.class_purposes)
        if not classes:
            return ents
        kept = [e for e in ents if not any(c.start <= e.start < c.end for c in classes)]
        return sorted(kept + classes, key=lambda e: e.start)

    def is_drug(self, ent: Span) -> bool:
        """A medicine, drug class or named therapy, not a nutrient, electrolyte, body molecule, placebo or a name the
        text itself calls a gene."""
        if not any(c.isalpha() for c in ent.text):
            return False  # "51,145": a number the recogniser read as a code
        return ((given_as_a_product(ent) or normalise_text(ent.text) not in self.non_drugs
                 and normalise_text(ent._.concept_name) not in self.non_drugs
                 or normalise_text(ent.text) in self.taken_medicines
                 and (taken_by_people(ent.doc, ent) or called_a_treatment(ent.doc, ent)
                      or named_as_a_medicine(ent.doc, ent)))
                and ent[-1].lower_ not in self.non_drug_heads and not called_a_gene(ent)
                and not (ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in _CONDITION_AFTER_CHEMICAL)
                and not _ANTIGEN.match(ent.text) and not _TRIAL_REGISTRY_ID.match(ent.text)
                and not _DOTTED_INITIALS.match(ent.text)
                and compound_word_after(ent.doc, ent) in _AGENT_COMPOUNDS
                and not (ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in self.non_drug_next)
                and not in_organisation_name(ent.doc, ent) and not negated_prefix(ent))


def negated_prefix(ent: Span) -> bool:
    """"non-steroidal anti-inflammatory drugs", "non-opioid painkillers": the mention is what the drugs are not."""
    doc = ent.doc
    return ent.start >= 2 and doc[ent.start - 1].text == "-" and doc[ent.start - 2].lower_ == "non"


# nouns in -ly that are no adverb ("congenital anomaly", "blood supply")
_LY_NOUNS = load_vocabulary().words("ly_nouns")


def cut_at_clause_verb(ent: Span) -> Span:
    """The condition mention up to a clause verb, modal or adverb in -ly inside it (not its first word: "feeling full"
    is a symptom, "severely damaged liver" a condition; "HIV test periodically", "pain might ease" are cut)."""
    for k in range(1, len(ent)):
        lower = ent[k].lower_
        if lower in _CLAUSE_VERBS or (len(lower) >= 6 and lower.endswith("ly") and ent[k].is_alpha
                                      and lower not in _LY_NOUNS):
            end = ent.start + k
            while end > ent.start + 1 and (ent.doc[end - 1].is_punct or ent.doc[end - 1].lower_ in ("and", "or", "who", "that")):
                end -= 1
            return Span(ent.doc, ent.start, end, label=ent.label_)
    return ent


def cut_at_dash(ent: Span) -> Span:
    """"debilitating side effects — become a necessity": a dash inside a condition mention ends it (a parenthetical
    dash is no part of a condition's name)."""
    for k in range(1, len(ent)):
        if ent[k].text in ("—", "–", "--"):
            return Span(ent.doc, ent.start, ent.start + k, label=ent.label_)
    return ent


def given_as_a_product(ent: Span) -> bool:
    """"zinc lozenges", "iron injections": the chemical is named with a product form."""
    return ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in _PRODUCT_NOUNS


def sentence_populations(doc: Doc, sent: Span) -> list[Span]:
    """The POPULATION spans that start in the sentence."""
    return [p for p in doc.spans.get("POPULATION", []) if sent.start <= p.start < sent.end]
