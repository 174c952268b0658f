"""Drug–effect claims from recognised mentions: the extractor component, which walks an article sentence by sentence.

Per sentence: the drugs (named, or referred to as "it" / "the medication"), the effects (CONDITION mentions that are
not part of a population, not a disease's listed symptoms, not generic words: :mod:`pipeline.claim_candidates`) and
the targets (GENE_OR_PROTEIN, or a chemical right after a mechanism cue). Each drug–effect pair takes the relation of
the nearest compatible cue (:mod:`pipeline.cue_choice`); stopping/withdrawal wording turns an adverse effect into a
WITHDRAWAL_EFFECT. The supports (:mod:`pipeline.claim_support`) of the same (drug, relation, effect) across the
article are merged into one claim whose slots come from all of them (:mod:`pipeline.claim_grouping`).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.claim_candidates import HARMFUL_RISE, CandidateFinder
from pipeline.claim_grouping import group_claims, indication_over_harm
from pipeline.claim_phrases import (
    BENEFIT_COMPOUNDS,
    COMPOUND_MECHANISM,
    INDICATION_NOUNS,
    RISK_WORDS,
    VACCINE_NOUNS,
    amount_of,
    appositive_class,
    biomarker_status,
    comparison_arm,
    comparison_group,
    compound_word_after,
    condition_goes_down,
    denied_rise,
    described_action,
    harm_from_drug,
    indication_before,
    listed_before,
    manner_adverb,
    measured_level,
    modified_anaphors,
    modifies_a_drug_noun,
    names_a_drug,
    names_the_class,
    not_taken,
    people_experienced,
    predicate_class,
    resolved_on_stopping,
    risk_falls_between,
    risk_goes_down,
    sold_for,
    stopped_because_of,
    study_stopped,
    used_in,
)
from pipeline.claim_support import CONDITION_RELATIONS, Mention, Support, mention_of, names_side_effects
from pipeline.context import ContextMatcher, Cue, PhraseIndex, sentence_tokens
from pipeline.cue_choice import choose_cue, usable_cues
from pipeline.cue_scope import expletive_it, new_clause, opens_after, stopped_drug
from pipeline.enumerations import missed_list_items
from pipeline.mechanism_phrases import (
    by_action_phrase,
    direct_mechanism_phrase,
    mechanism_phrase,
    names_the_drug,
    phrase_head,
)
from pipeline.records import Highlight
from pipeline.rules import (
    Calibration,
    ContextRules,
    RelationCue,
    RelationCues,
    load_calibration,
    load_context_rules,
    load_relation_cues,
    load_vocabulary,
)
from pipeline.sentences import is_heading_sentence
from pipeline.textnorm import normalise_text
from pipeline.tokenizer import compound_end
from pipeline.trial_rates import arm_rates

EXTRACTOR = "rules-v1"
_MODEL_FAMILY = {"ADVERSE_EFFECT": "ADVERSE_EFFECT", "WITHDRAWAL_EFFECT": "ADVERSE_EFFECT", "TREATS": "TREATS",
                 "PREVENTS": "TREATS", "MECHANISM": "MECHANISM"}
# "steroid nasal sprays", "zinc lozenges": a plural dosage form right after a drug name makes it a class
_PLURAL_FORMS = load_vocabulary().words("plural_forms")
# "its side effects", "its benefits": what a possessive "its" of the drug is followed by (not "its blood supply")
_ITS_DRUG_NOUNS = load_vocabulary().words("its_drug_nouns")
_EFFECT_ANAPHOR_VERBS = load_vocabulary().words("effect_anaphor_followers")
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
_BENEFIT_VERBS = load_vocabulary().words("benefit_verbs")
# an outcome cue too loose to tie an outcome to the drug by itself: "who want a better quality of life"
_LOOSE_OUTCOME_CUES = load_vocabulary().words("loose_outcome_cues")
_COMPOUND_HINT = re.compile(r"-\s?(blocking|inhibiting|lowering|reducing|suppressing|boosting|stimulating|activating)\b", re.I)
# an adverb that takes the doubt out of a hedging cue: "clearly associated with", "definitely linked to"
_CERTAINTY_BOOSTERS = load_vocabulary().words("certainty_boosters")
# "symptoms of depression", "symptoms such as", "the disease's": the words name their own condition
_CONDITION_ANAPHOR_STOPS = {"of", "such", "like", "including", "include", "included", "includes", ":", "'s", "’s",
                            "that", "which", "in", "from", "associated", "related", "caused"}
_NOT_THE_CONDITION_BEFORE = load_vocabulary().words("not_the_condition_before")
_RISK_DETERMINERS = {"the", "their", "his", "her", "your", "its", "a", "our"}


def _boosted(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in _CERTAINTY_BOOSTERS


_PLURAL_ANAPHORS = load_vocabulary().words("plural_anaphors")
# "inhibits an enzyme known as neprilysin", "inhibits production of orexins": words between a mechanism verb and its target
_TARGET_LEAD_IN = {"the", "a", "an", "enzyme", "protein", "receptor", "hormone", "called", "known", "as", "named",
                   "production", "release", "action", "activity", "secretion", "effects", "effect", "of", "body's"}
_TARGET_CLASS_NOUNS = load_vocabulary().words("target_class_nouns")
# first words of a sentence whose subject is some drugs, not the one under discussion
_OTHER_SUBJECT_OPENERS = {"the", "these", "those", "such", "some", "many", "other", "most", "all", "several", "certain"}


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
        self.extractor = EXTRACTOR if relation_model is None else f"{EXTRACTOR}+relation-lr"  # the claims' extractor column
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
        # which chemicals are drugs, which conditions and outcomes may be a drug's effect (lexicon checks)
        self.candidates = CandidateFinder(nlp, rules)
        self.lowering_words = frozenset(c for c in rules.lowering_cues if " " not in c)
        self._cue_cache_key: tuple[int, int, int] | None = None
        self._cue_cache: list[tuple[Cue, RelationCue]] = []
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

    def sentence_drugs(self, sent: Span, ents: list[Span], focus: Mention | None) -> list[Mention]:
        drugs = [mention_of(e) for e in ents if e.label_ == "CHEMICAL" and not predicate_class(e)]
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
                if antecedent is not self.single_focus and self.drug_group:
                    # "Doctors gave erythropoietin or darbepoetin. The drugs build red blood cells": a plural
                    # anaphor after a sentence that named several drugs refers to each of them
                    drugs.extend(d.referred_to(cue.start, cue.end) for d in self.drug_group)
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
                   and (e.label_ == "GENE_OR_PROTEIN" or (e.label_ == "CHEMICAL" and not self.candidates.is_drug(e)))
                   for e in doc.ents)

    def certainty(self, cues: list[Cue], positions: list[int], rule: RelationCue, drug: Mention,
                  doc: Doc, cue_start: int | None = None) -> tuple[str, list[Cue]]:
        negation = self.context.negation_covering(cues, positions, doc)
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
        self.drug_group: list[Mention] = []  # the drugs of the last sentence naming drugs, when it named several
        supports: list[Support] = []
        focus: Mention | None = None
        previous: list[Support] = []
        ents_by_sent: dict[int, list[Span]] = defaultdict(list)
        sents = list(doc.sents)
        heading = {sent.start: is_heading_sentence(doc, sent) for sent in sents}
        for ent in doc.ents:
            if not self.candidates.verb_led_measure(ent):
                ents_by_sent[doc[ent.start].sent.start].append(ent)
        # the article's main drug: the drug concept named most often outside headings (on a tie the one named last: taking
        # the first instead lost a right claim and hit a trap on the tuning articles, session 23)
        named = [mention_of(e) for e in doc.ents if e.label_ == "CHEMICAL" and not heading[doc[e.start].sent.start]
                 and self.candidates.is_drug(e)]
        self.drug_counts = Counter(m.key for m in named)
        self.described: dict[str, list[str]] = defaultdict(list)
        for e in doc.ents:
            if e.label_ == "CHEMICAL":
                described = described_action(doc, e)
                if described:
                    self.described[mention_of(e).key].append(described)
        self.main_drug = max(reversed(named), key=lambda m: self.drug_counts[m.key]) if named else None
        conditions = [mention_of(e) for e in doc.ents if e.label_ == "CONDITION" and not self.candidates.is_generic(e.text)]
        counts = Counter(m.key for m in conditions)
        # the condition the article is about: named at least twice, in the title if one is, most often (the one named
        # last on a tie)
        title = [e for e in doc.ents if e.label_ == "CONDITION" and e.start < sents[0].end] if sents else []
        in_title = {mention_of(e).key for e in title}
        repeated = [m for m in conditions if counts[m.key] >= 2]
        self.main_condition = max(reversed(repeated), key=lambda m: (m.key in in_title, counts[m.key])) if repeated else None
        for index, sent in enumerate(sents):
            ents = self.candidates.with_indication_classes(doc, sent, ents_by_sent.get(sent.start, []), self.tokens(sent))
            skip = heading[sent.start]
            found = [] if skip else self.sentence_supports(doc, index, sent, ents, focus, previous)
            if skip and index == 0 and self.main_drug is not None and (
                    (names_a_drug(sent) and self.drug_counts[self.main_drug.key] >= 2)
                    or any(e.label_ == "CHEMICAL" and self.candidates.is_drug(e) for e in ents)):
                # the article's title: "New pill prevents strokes in atrial fibrillation patients" — its drug noun is
                # the article's main drug (a title is otherwise skipped like any heading)
                found = self.sentence_supports(doc, index, sent, ents, self.main_drug, [])
            if not skip:
                self.attach_followup_slots(doc, sent, ents, previous)
            # the arm a drug was compared with ("compared with 5.5 percent with chemotherapy") does not become what the
            # next sentences talk about
            explicit = [e for e in ents if e.label_ == "CHEMICAL" and not self.is_target(doc, e) and self.candidates.is_drug(e)
                        and not (focus is not None and comparison_arm(doc, e))]
            # a question states no claim but names what the next sentences talk about: "Remember thalidomide? The
            # medicine led to birth defects"
            if explicit and (not skip or sent.text.strip().endswith("?")):
                focus = mention_of(explicit[0])
                plural = [e for e in explicit if _is_plural(e)]
                if plural:
                    self.class_focus = mention_of(plural[0])
                single = [e for e in explicit if not _is_plural(e)]
                if single:
                    self.single_focus = mention_of(single[0])
                chemicals = [e for e in ents if e.label_ == "CHEMICAL"]
                named = [(e, mention_of(e)) for e in explicit if not appositive_class(e, chemicals)]
                for _, mention in named:
                    self.recent_drugs = [d for d in self.recent_drugs if d.key != mention.key] + [mention]
                # several drugs and no class among them: what a later plural anaphor refers to
                group = {mention.key: mention for e, mention in named if not _is_plural(e)}
                self.drug_group = list(group.values()) if 2 <= len(group) == len({m.key for _, m in named}) else []
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
        supports = indication_over_harm(supports)
        doc._.claims = tuple(group_claims(doc, supports, described=self.described, headings=heading,
                                          calibration=self.calibration, extractor=self.extractor))
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
        drug_ents = [e for e in ents if e.label_ == "CHEMICAL" and e not in targets and self.candidates.is_drug(e)
                     and not comparison_arm(doc, e) and not not_taken(doc, e) and not measured_level(doc, e)]
        drugs = self.sentence_drugs(sent, drug_ents, focus)
        withdrawal = any(not resolved_on_stopping(doc, c.start) and not study_stopped(doc, c.start)
                         and not stopped_because_of(doc, c.start) for c in self.context.withdrawal(cues))
        tokens = self.tokens(sent)
        if not drugs and previous and self._effect_anaphor_opens(doc, tokens, sent.start):
            # "These effects can manifest as ...": the previous sentence's drug and exposure phase carry over
            prior = previous[0]
            drugs = [prior.drug.referred_to(sent.start)]
            withdrawal = withdrawal or prior.relation == "WITHDRAWAL_EFFECT"
        treated_only: list[Span] = []
        effects = self.candidates.effects(doc, sent, ents, tokens, treated_only)
        change_words: dict[tuple[int, int], Cue] = {}
        outcomes = self.candidates.outcomes(doc, sent, ents, tokens, change_words)
        side_effect_cues = [cue.end for cue, rule in relation_cues if names_side_effects(rule)]
        listed = missed_list_items(sent, side_effect_cues, ents) if side_effect_cues and effects else []
        if listed:  # "side effects included nasal discomfort, colds, sneezing": the items NER missed
            effects = sorted(effects + self.candidates.effects(doc, sent, listed, tokens), key=lambda e: e.start)
            ents = sorted(ents + listed, key=lambda e: e.start)
        phrase = mechanism_phrase(sent)
        if phrase is not None and any(phrase_head(doc, phrase[0]) == t.start for t in targets):
            phrase = None  # "works by blocking the serotonin transporter": the named target gives the claim
        if phrase is not None and not drugs and doc[sent.start].lower_ in _OTHER_SUBJECT_OPENERS:
            phrase = None  # "The transplants work by replacing ...", "Some medications work by mimicking a drug": a
            # subject that is no drug the text named
        phrase_drug = drugs[0] if drugs else None
        if phrase is None:
            conditions = {e.start for e in ents if e.label_ == "CONDITION"}
            target_starts = {t.start for t in targets}
            for candidate in drugs:
                phrase = direct_mechanism_phrase(sent, candidate.end, conditions, target_starts)
                if phrase is not None:
                    phrase_drug = candidate
                    break
            if phrase is None and drugs and not drugs[0].anaphor:
                phrase = by_action_phrase(sent, conditions)  # "lowers blood sugar by reducing glucose production"
        supports_from_phrase = []
        if phrase is not None and (drugs or focus is not None):
            drug = phrase_drug or focus.referred_to(sent.start)
            start, verb, target, end = phrase
            # not "by raising safety questions about Avastin": what is said of the drug, not how it acts
            if not (drug.end > drug.start and names_the_drug(target, drug.text)):
                rule = RelationCue(phrase=verb.lower(), relation="MECHANISM", strength=0.8)
                effect = Mention(start + 1, start + 1 + len(target.split()), target, normalise_text(target), "", "PROCESS")
                certainty, _ = self.certainty(cues, [start], rule, drug, doc)
                supports_from_phrase = [Support(index, sent, drug, effect, "MECHANISM", rule, (start, start + 1), certainty,
                                                0.7, [], mechanisms=[verb.lower()],
                                                mechanism_text=doc[start:end].text)]
        supports_from_phrase += self.compound_mechanisms(index, sent, cues, drugs, focus)
        if index == 0 and not drugs and focus is not None and names_a_drug(sent):
            drugs = [focus.referred_to(sent.start)]  # a title naming "drug" / "pill" but not which
        if not drugs and focus is not None and effects and any(names_side_effects(rule) for _, rule in relation_cues):
            # "Side effects included nausea and headache" in an article about one drug: the drug under discussion —
            # the article's main drug when the last one named is a passing mention (the old standard of care)
            drugs = [self.discussed_drug(focus).referred_to(sent.start)]
        if not drugs and focus is not None and effects and (people_experienced(doc, sent, effects[0].start)
                                                            or denied_rise(tokens, effects[0].start - sent.start)):
            # "Some patients experienced itchiness and eye redness", "There was no increase in breast cancer" in an
            # article about one drug: the drug under discussion, as for a sentence naming side effects
            drugs = [self.discussed_drug(focus).referred_to(sent.start)]
        found = list(supports_from_phrase)
        relation_cues = usable_cues(doc, relation_cues, ents, self.candidates.is_generic)
        for drug in drugs:
            for effect in effects:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, CONDITION_RELATIONS, withdrawal, ents))
            for effect in treated_only:
                found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, {"TREATS", "PREVENTS"}, False, ents))
            if not any(s.drug == drug and s.relation in CONDITION_RELATIONS for s in found):
                # "probiotics could help patients suffering from bipolar disorder": the group's condition is what
                # the drug treats when the sentence names no other
                for effect in self.candidates.population_conditions(doc, sent, ents):
                    # "should not administer X to patients with TB" is a contraindication; "did not help patients with
                    # COVID-19" a benefit denied
                    found.extend(s for s in self.pair_support(doc, index, sent, cues, relation_cues, drug, effect, {"TREATS"}, False, ents)
                                 if s.certainty != "negated" or s.cue.phrase in _BENEFIT_VERBS)
            else:
                # "it can help people with anxiety, bipolar disorder and PTSD": the group's condition heads the list
                benefits = [s for s in found if s.drug == drug and s.relation in ("TREATS", "PREVENTS")]
                for effect in self.candidates.population_conditions(doc, sent, ents):
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
                if other.start > drug.end and mention_of(other).key != drug.key:
                    found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, other, {"INTERACTS_WITH"}, False, ents))
        interaction_cues = [c for c, rule in relation_cues if rule.relation == "INTERACTS_WITH"]
        if interaction_cues and focus is not None and not any(s.relation == "INTERACTS_WITH" for s in found):
            # "The oil appeared to interact negatively with clobazam and carbamazepine": the drug under discussion
            drug = focus.referred_to(sent.start)
            for other in (e for e in ents if e.label_ == "CHEMICAL" and e not in targets and self.candidates.is_drug(e)):
                if other.start >= interaction_cues[0].end:
                    found.extend(self.pair_support(doc, index, sent, cues, relation_cues, drug, other, {"INTERACTS_WITH"}, False, ents))
        if (drugs and all(d.anaphor for d in drugs) and focus is not None and effects
                and not any(s.relation in CONDITION_RELATIONS for s in found)
                and any(names_side_effects(rule) for _, rule in relation_cues)):
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
        if (effect.start < drug.end and drug.start < effect.end) or mention_of(effect).key == drug.key:
            return []
        if self.context.comparison_between(cues, effect.end, drug.start):
            return []  # "... had died, compared with 26.5 percent for those taking enalapril": the comparison arm
        choice = choose_cue(relation_cues, drug, effect, allowed, ents, self.max_distance)
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
        elif relation == "ADVERSE_EFFECT" and effect.label_ == "CONDITION" and condition_goes_down(doc, cue, effect):
            relation = "TREATS"  # "led to significant tumor shrinkage", "had a decrease in tumour size"
        if effect.label_ == HARMFUL_RISE:
            relation = "ADVERSE_EFFECT"  # "raise blood pressure": the measure goes the wrong way
        elif relation in ("TREATS", "PREVENTS") and harm_from_drug(doc, effect, drug):
            relation = "ADVERSE_EFFECT"  # "reducing overdoses from opioids": what is reduced is the drug's harm
        if relation == "ADVERSE_EFFECT" and not names_side_effects(rule):
            rates = arm_rates(doc, sent, drug.start, drug.end)
            if rates is not None and rates[0] < rates[1]:
                relation = "PREVENTS"  # "13 percent of patients on X suffered heart attacks, against 15 percent on
                # placebo": fewer on the drug is no harm of it but what the trial says it prevents
        if relation == "ADVERSE_EFFECT" and indication_before(doc, effect):
            return []  # "first-line treatments for osteoarthritis, because of the side effects of celecoxib"
        if relation == "ADVERSE_EFFECT" and modifies_a_drug_noun(doc, effect):
            return []  # "cough and cold medications ... have the potential for side effects": what they are for
        if withdrawal and relation == "ADVERSE_EFFECT":
            relation = "WITHDRAWAL_EFFECT"
        if relation in ("TREATS", "PREVENTS") and stopped_drug(cues, drug, cue.start):
            return []  # "discontinue the anticoagulant to avoid further bleeding": stopping it is what helps
        # "no unexpected side effects, although reports of nausea were common": a negation of the cue does not reach an
        # effect the cue's clause has ended before
        positions = [effect.start] if self.context.terminator_between(cues, cue.start, effect.start) else [effect.start, cue.start]
        certainty, context_cues = self.certainty(cues, positions, rule, drug, doc, cue.start)
        if drug.anaphor:
            score *= 0.85
        highlights = [Highlight(doc[effect.start].idx, effect.end_char, "effect")]
        if drug.end > drug.start:
            highlights.append(Highlight(doc[drug.start].idx, doc[drug.end - 1].idx + len(doc[drug.end - 1].text), "drug"))
        for c in context_cues:
            role = "negation" if certainty == "negated" else "hedge"
            highlights.append(Highlight(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text), role))
        effect_mention = mention_of(effect)
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



def _is_plural(ent: Span) -> bool:
    """"diuretics", "PARP inhibitors", "steroid (nasal) sprays": a class named in the plural."""
    doc = ent.doc
    if any(t.lower_ in _PLURAL_FORMS for t in doc[ent.end : min(ent.end + 2, ent.sent.end)]):
        return True
    return ent.text.lower().endswith("s") and len(ent.text) > 4


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
