"""Which relation cue of a sentence ties a drug to an effect: the sentence's cues that can carry a claim at all
(``usable_cues``), then, per (drug, effect) pair, the nearest cue of an allowed relation on the side its rule names,
not cut off by another clause, another cue or a relative clause (``choose_cue``)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from pipeline.claim_phrases import (
    PEOPLE,
    adjective_participle,
    agent_of_compound,
    bodys_ability,
    foreign_agent_compound,
    only_punct_between,
    other_drugs_clause,
    people_on,
    peoples_risk,
    ranked_cause_subject,
    relative_clause_between,
    says_what_it_is,
)
from pipeline.claim_support import Mention, names_side_effect_word, names_side_effects
from pipeline.context import Cue
from pipeline.cue_scope import at_risk, in_other_clause, is_pronoun
from pipeline.rules import RelationCue, load_vocabulary

# "a reduction in death, including from heart attacks": after a condition these extend it and are no cue of their own
_EXPANDERS = {"including", "include", "includes", "such as"}
_HARM_WORDS = load_vocabulary().words("harm_words")
_ASSOCIATED_NOUNS = load_vocabulary().words("associated_nouns")
_FREQUENCY_ADVERBS = load_vocabulary().words("frequency_adverbs")
# words that do not count towards a cue's distance from its effect: list punctuation and glue
_LIST_GLUE = {",", "and", "or", "as", "well", "such", "including", "like", "e.g.", "also", "even", "other"}


# a lowering cue whose object is the body's ability ("lower the immune system's ability to fight infections")
_WEAKENING = load_vocabulary().words("decrease_words") | load_vocabulary().words("weakened_words")
# words before a drug that make it the setting of a benefit named before it, not its agent
_SETTING_WORDS = load_vocabulary().words("setting_words")
# verbs by which a noun for the drugs of a purpose ("treatments for X") names them after it
_LIST_VERBS = load_vocabulary().words("list_verbs")


def usable_cues(doc: Doc, cues: list[tuple[Cue, RelationCue]], ents: list[Span],
                is_generic: Callable[[str], bool]) -> list[tuple[Cue, RelationCue]]:
    """The sentence's relation cues that can carry a claim (filtered once per sentence, not per pair); ``is_generic``
    tells a word that names no particular condition ("conditions", "disorders"; ``CandidateFinder.is_generic``)."""
    chemical_tokens = {i for e in ents if e.label_ == "CHEMICAL" for i in range(e.start, e.end)}
    return [(c, r) for c, r in cues if not (
        # "menstrual-related migraines": the compound's first half is the agent, and it is no drug
        foreign_agent_compound(doc, c.start, chemical_tokens) or
        # "EGCG and related compounds": an objectless participle before a noun is an adjective
        adjective_participle(doc, c.start, chemical_tokens) or
        # "a reduction in cardiovascular death, including from heart attacks": "including" right after a
        # condition (or a generic word: "conditions, including ADHD") extends it; it is no cue of its own
        (c.text in _EXPANDERS and (any(e.label_ == "CONDITION" and only_punct_between(doc, e.end, c.start) for e in ents)
                                   or (c.text == "including" and _after_generic(doc, c.start, is_generic))))
        # "Medicines backed by the strongest evidence include ...", "including approximately 15 million people":
        # a list word is a side-effect cue only after a word for harms ("side effects include")
        or (c.text in _EXPANDERS and r.relation == "ADVERSE_EFFECT"
            and not any(t.lower_ in _HARM_WORDS for t in doc[max(0, c.start - 6) : c.start]))
        # "adolescents diagnosed with disorders linked to obesity": the cue qualifies the bare generic word before it
        # and names no drug after it ("the risks linked to hormone therapy" keeps its cue)
        or (r.relation == "ADVERSE_EFFECT" and _after_generic(doc, c.start, is_generic)
            and not any(e.label_ == "CONDITION" and e.start < c.start <= e.end for e in ents)
            and not any(e.label_ == "CHEMICAL" and c.end <= e.start <= c.end + 2 for e in ents))
        # "macular degeneration, the most common cause of vision loss": the cause is what the noun is said of
        or (r.relation == "ADVERSE_EFFECT" and _cause_of_another(doc, c.start, chemical_tokens))
        # "risk factors associated with heart disease", "urinary symptoms commonly associated with enlarged prostates":
        # the association is the noun's
        or (r.association and _said_of_a_noun(doc, c.start, ents))
        # "participants treated with ifosfamide": who took the drug, not what it treats
        or (r.relation == "TREATS" and c.start > 0 and doc[c.start - 1].lower_ in PEOPLE)
        # "decreased ability to fight infections": the body's defence, which the drug may weaken
        or (r.relation == "TREATS" and bodys_ability(doc, c.start))
        # "patients at risk of heart attack": who is meant, not what the drug does
        or (r.relation == "ADVERSE_EFFECT" and at_risk(doc, c.start))
        # "does not get at the underlying cause of Huntington's": the disease's own cause
        or (r.relation == "ADVERSE_EFFECT" and c.start > 0 and doc[c.start - 1].lower_ in ("underlying", "root"))
        # "effectiveness in cases of lymphoma": the word before the cue makes it none (the cue's not_after words)
        or (c.start > 0 and _preceded_by(doc, c.start, r.not_after))
        # "used to diagnose osteoporosis": the word after the cue makes it none (a test, not a treatment)
        or (c.end < len(doc) and doc[c.end].lower_ in r.not_before))]


def _preceded_by(doc: Doc, start: int, phrases: list[str]) -> bool:
    """One of ``phrases`` (lower case, one word or several) ends right before ``start``."""
    for phrase in phrases:
        words = phrase.split(" ")
        if start >= len(words) and all(doc[start - len(words) + k].lower_ == w for k, w in enumerate(words)):
            return True
    return False


# words that end a benefit's object: a verb of its own ("and is associated with") or a new clause
_CLAUSE_WORDS = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "and", "but", "which", "that",
                 "who", ",", ";", ":", "(", "also"}


def _benefit_object_before(doc: Doc, cues: list[tuple[Cue, RelationCue]], drug: Mention, cue: Cue) -> bool:
    """A benefit cue after the drug whose object (at most five words, no verb or clause of its own) runs up to the
    association cue: the association qualifies that object, not the drug."""
    return any(r.relation in ("TREATS", "PREVENTS") and drug.end <= c.start and c.end < cue.start <= c.end + 5
               and not any(t.lower_ in _CLAUSE_WORDS for t in doc[c.end : cue.start]) for c, r in cues)


def _said_of_a_noun(doc: Doc, start: int, ents: list[Span]) -> bool:
    """An association cue right after one of the associated nouns ("risk factors associated with"), past adverbs of
    frequency ("symptoms commonly associated with"), that is no part of a mention."""
    i = start - 1
    while i >= 0 and doc[i].lower_ in _FREQUENCY_ADVERBS:
        i -= 1
    return i >= 0 and doc[i].lower_ in _ASSOCIATED_NOUNS and not any(e.start <= i < e.end for e in ents)


def _cause_of_another(doc: Doc, start: int, chemical_tokens: set[int]) -> bool:
    """A ranked "cause of" said of something that is no chemical and no pronoun ("DNA damage is the basic cause of
    cancer"); "Acetaminophen overdose is the leading cause of ..." and "It is a common cause of ..." keep the cue."""
    subject = ranked_cause_subject(doc, start)
    if subject is None:
        return False
    return doc[subject].lower_ not in ("it", "they") and not any(j in chemical_tokens for j in range(subject - 2, subject + 1))


def _after_generic(doc: Doc, start: int, is_generic: Callable[[str], bool]) -> bool:
    """"conditions, including ADHD": "including" right after a generic word ("conditions", "disorders")."""
    i = start - 1
    while i >= 0 and start - i <= 2 and doc[i].is_punct:
        i -= 1
    return i >= 0 and is_generic(doc[i].text) and not names_side_effect_word(doc[i].lower_)


def choose_cue(
    cues: list[tuple[Cue, RelationCue]], drug: Mention, effect: Span, allowed: set[str], ents: list[Span],
    max_distance: int,
) -> tuple[Cue, RelationCue, float] | None:
    """The best cue for the pair and its score (the rule's strength less 0.03 per word between cue and effect that
    is no other mention or list glue, 3 more when the cue is outside the pair), or None when no cue of an allowed
    relation is within ``max_distance``."""
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
        if rule.relation in ("TREATS", "PREVENTS") and not drug.anaphor and cue.end <= drug.start \
                and drug.start > 0 and effect.doc[drug.start - 1].lower_ in _SETTING_WORDS:
            continue  # "Ondansetron prevents vomiting after chemotherapy", "reduce hair loss during chemotherapy": the
            # drug after the benefit is when it happens, not what brings it
        if rule.names_the_drug and not names_what_the_drug_is(effect.doc, drug, cue):
            continue  # "patients on warfarin also took drugs for diabetes": the drugs for diabetes are others
        if rule.relation == "INTERACTS_WITH" and not drug.anaphor and drug.start > cue.start:
            continue  # "the oil may interact with clobazam and carbamazepine": both come after the cue
        if rule.phrase.endswith((" by", " to", " of", " from")) and rule.effect_side == "before" \
                and rule.relation == "ADVERSE_EFFECT" and (drug.start < cue.start or drug.end <= drug.start):
            continue  # "reverse the deficit caused by heavy drinking", "pain due to sprain", "do not take glaucoma
            # eye drops as directed due to forgetfulness", "men feel depressed because of this problem" (a drug
            # carried over from earlier sentences): the agent follows the cue
        if rule.association and cue.end <= effect.start and drug.end <= cue.start and any(
                e.label_ == "CONDITION" and e.start != effect.start and drug.end <= e.start
                and only_punct_between(effect.doc, e.end, cue.start) for e in ents):
            continue  # "to treat hallucinations and delusions associated with psychosis": the conditions go together
        if rule.relation == "ADVERSE_EFFECT" and effect.end <= cue.start and cue.end <= drug.start and any(
                r.relation in ("TREATS", "PREVENTS") and r.relation in allowed and cue.end <= c.start and c.end <= drug.start
                for c, r in cues):
            continue  # "Rickets is caused by a lack of vitamin D and can be treated with vitamin D supplements": the
            # benefit cue nearer the drug governs it
        if rule.association and drug.end <= cue.start and _benefit_object_before(effect.doc, cues, drug, cue):
            continue  # "teprotumumab reduces the eye bulging associated with Graves' disease": the bulging is
            # associated with the disease; the drug relieves it
        if other_drugs_clause(effect.doc, cue.start, drug):
            continue  # "the side effects of other drugs that target these same areas": what the others do
        if rule.relation == "ADVERSE_EFFECT" and peoples_risk(effect.doc, cue.start, drug):
            continue  # "patients with a heightened risk for stroke were assigned to apixaban": who they are
        if rule.phrase.endswith(" by") and not drug.anaphor and drug.start < cue.start:
            continue  # "the deficit induced by heavy alcohol consumption": the agent follows "by"
        agent = agent_of_compound(effect.doc, cue.start, ents)
        if not drug.anaphor and agent is not None and not drug.start <= agent < drug.end \
                and effect.doc[agent].lower_ not in drug.text.lower():
            continue  # "Gocovri ... to control levodopa-induced dyskinesia": the compound names its own agent (not
            # "atorvastatin ... statin-induced muscle pain": the agent is the drug's class)
        # (after a comma only for cues that do not name side effects: "GABA receptors, which are found throughout
        # the brain and are associated with side effects, including ...": the drugs' side effects)
        if rule.relation != "MECHANISM" and relative_clause_between(effect.doc, drug, cue, not names_side_effects(rule)):
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
        if rule.relation in ("TREATS", "PREVENTS") and cue.text.lower() in _WEAKENING \
                and any(effect.doc[i].lower_ in ("ability", "capacity") for i in gap):
            continue  # "can lower the immune system's ability to fight infections": the body's defence is lowered
        side = "before" if cue.end <= effect.start else "after"  # the side an in-between cue must not need
        if any(r.relation != rule.relation and r.relation in allowed and r.effect_side != side
               and gap.start <= c.start and c.end <= gap.stop for c, r in cues):
            continue  # "led to a delay in resistance": a cue between this one and the effect governs it
        doc = effect.doc
        distance = sum(1 for i in gap if i not in other_tokens and doc[i].lower_ not in _LIST_GLUE and not doc[i].is_punct)
        lo, hi = min(drug.start, effect.start), max(drug.end, effect.end)
        if not (lo <= cue.start < hi):
            distance += 3
        if distance > max_distance:
            continue
        score = rule.strength * (1.0 - 0.03 * distance)
        if best is None or score > best[2]:
            best = (cue, rule, score)
    return best


def names_what_the_drug_is(doc: Doc, drug: Mention, cue: Cue) -> bool:
    """"Tucatinib is a new pill for", "Shingrix, a vaccine for", "It is the first drug for": the cue's noun is the drug
    (a copula or an apposition right after the drug, at most two other words, such as adjectives, before the noun);
    or the drug follows the cue's phrase and a verb that says what it is ("treatments for hair loss include ...")."""
    if drug.end > drug.start and cue.end < drug.start <= cue.end + 16:
        # "Current treatments for hair loss are limited to two drugs, minoxidil and finasteride", "Drugs for migraine
        # include triptans": the cue's noun is the subject and the drug is what it is said to be
        between = [t.lower_ for t in doc[cue.end : drug.start]]
        return any(w in _LIST_VERBS for w in between) and not any(w in (".", ";", ":") for w in between)
    if drug.end <= drug.start or drug.end > cue.start or cue.start - drug.end > 6:
        return False
    return says_what_it_is([t.lower_ for t in doc[drug.end : cue.start]], 2)
