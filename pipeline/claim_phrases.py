"""Token-level checks on the words around a drug, a relation cue or an effect, used by :mod:`pipeline.claims`.

Each answers one question about a phrase ("is this chemical named as the comparison arm?", "does the risk go down?",
"is this condition part of an organisation's name?"). The vocabularies they use (people words, drug nouns, decrease
words ...) are word classes of ``data/vocabulary.json``, bound once at import; the determiners, punctuation and glue
words that belong to one check's scan stay next to it.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from pipeline.context import Cue, PhraseIndex
from pipeline.cue_scope import HAVE
from pipeline.rules import load_slot_patterns, load_vocabulary
from pipeline.tokenizer import compound_end, compound_start

# "osteoporosis drugs called bisphosphonates": a condition naming what a medicine is for
# "the shingles vaccine Shingrix", "the flu shot FluMist": what a vaccine is named for, it prevents
VACCINE_NOUNS = load_vocabulary().words("vaccine_nouns")
INDICATION_NOUNS = load_vocabulary().words("indication_nouns")

_STATUS_WORDS = load_vocabulary().words("biomarker_status_words")
_GENE_WORDS = load_vocabulary().words("gene_words")
_THERAPY_WORDS = load_vocabulary().words("gene_therapy_nouns")


def called_a_gene(ent: Span) -> bool:
    """"ApoE4, a gene mutation linked to Alzheimer's", "the APOE4 allele", "the gene BRCA1": the text says the name is
    a gene (a mention the dictionary labelled CHEMICAL), not a medicine — unless it is a gene *therapy*."""
    doc, j = ent.doc, ent.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
    while j < len(doc) and doc[j].lower_ in {"a", "an", "the"}:
        j += 1
    if j < len(doc) and doc[j].lower_ in _GENE_WORDS:
        return not (j + 1 < len(doc) and doc[j + 1].lower_ in _THERAPY_WORDS)
    return ent.start > 0 and doc[ent.start - 1].lower_ in {"gene", "allele"}


def biomarker_status(doc: Doc, ent: Span) -> bool:
    """"estrogen-receptor-positive", "HER2 negative", "BRCA-mutated": a tumour's or patient's marker status, not a
    drug's target."""
    end = compound_end(doc, ent.end - 1)
    if end > ent.end:
        return doc[end - 1].lower_ in _STATUS_WORDS
    if end < len(doc) and doc[end].lower_ in _STATUS_WORDS:  # "tumors that are estrogen-receptor positive"
        return True
    before = [t.lower_ for t in doc[max(0, ent.start - 6) : ent.start]]  # "positive for both HER2 and ER"
    return any(a in _STATUS_WORDS and b == "for" for a, b in zip(before, before[1:]))


COMPOUND_MECHANISM = re.compile(
    r"^([A-Za-z][A-Za-z0-9]{2,})-(blocking|inhibiting|lowering|reducing|suppressing|boosting|stimulating|activating)$", re.I
)
PEOPLE = load_vocabulary().words("people_words")

_LIKELY = load_vocabulary().words("likelihood_words")


def has_condition(doc: Doc, ent: Span, sent: Span) -> bool:
    """A condition people "have" ("patients who have kidney disease", "when patients ... or have liver problems"), or
    had before ("a previous preterm birth", "prior heart attacks": their history, not an effect)."""
    j = ent.start - 1
    while j > sent.start and doc[j].lower_ in {"a", "an", "the", "any", "severe", "mild", "existing", "pre-existing"}:
        j -= 1
    if j >= sent.start and doc[j].lower_ in {"previous", "prior"}:
        return True
    suffered = doc[j].lower_ == "suffered"  # "if they have already suffered a heart attack"
    if j <= sent.start or (doc[j].lower_ not in HAVE and not suffered):
        return False
    if j - 2 >= sent.start and doc[j - 1].lower_ == "to" and doc[j - 2].lower_ in _LIKELY:
        return False  # "less likely to have a stroke": the chance of an outcome, not who is meant
    subject = j - 1  # "if they have already had a heart attack"
    while subject > sent.start and doc[subject].lower_ in {"already", "ever", "previously", "recently", "also", "have",
                                                            "has", "had"}:
        subject -= 1
    if (doc[subject].lower_ in {"they", "you", "he", "she", "we"} and subject > sent.start
            and doc[subject - 1].lower_ in {"if", "when", "unless", "who", "whether"}):
        return True
    if suffered:
        return False  # "patients taking Xeljanz suffered infections": what they suffered on the drug
    if doc[j].lower_ == "had" and people_on(doc, max(sent.start, j - 12), j):
        return False  # "among women receiving talazoparib, 55 percent had anemia": what they had on the drug
    return any(doc[k].lower_ in PEOPLE for k in range(max(sent.start, j - 12), j))


BENEFIT_COMPOUNDS = load_vocabulary().relations("benefit_compounds")
_ORGANISATION_NOUNS = load_vocabulary().words("organisation_nouns")
_STAGE_WORDS = load_vocabulary().words("stage_words")


RISK_WORDS = load_vocabulary().words("risk_words")
# "the drug that", "a medicine which": a relative clause whose antecedent is the drug (or its class noun)
# what a drug is given as: "an injectable foam that targets larger varicose veins" is the drug's doing
_FORMULATION_NOUNS = load_vocabulary().words("formulation_nouns")
_DRUG_NOUNS = INDICATION_NOUNS | _FORMULATION_NOUNS | load_vocabulary().words("drug_stand_in_nouns")


_AGENT_SUFFIXES = load_vocabulary().words("agent_suffixes")


def compound_first_half(doc: Doc, cue_start: int) -> int | None:
    """The last token before the hyphen when the cue is the second half of a compound ("levodopa-induced",
    "menstrual-related"), or None."""
    if doc[cue_start].lower_ not in _AGENT_SUFFIXES or cue_start < 2 or doc[cue_start - 1].text != "-":
        return None
    return cue_start - 2


def foreign_agent_compound(doc: Doc, cue_start: int, chemical_tokens: set[int]) -> bool:
    """"menstrual-related migraines", "exercise-induced asthma": a cue written as the second half of a compound whose
    first half names no chemical and no drug noun ("drug-related", "statin-induced" keep the cue)."""
    before = compound_first_half(doc, cue_start)
    return before is not None and before not in chemical_tokens and doc[before].lower_ not in _DRUG_NOUNS


_OBJECTLESS_PARTICIPLES = load_vocabulary().words("objectless_participles")
_PARTICIPLE_FOLLOWERS = load_vocabulary().words("participle_followers")


def adjective_participle(doc: Doc, cue_start: int, chemical_tokens: set[int]) -> bool:
    """"EGCG and related compounds", "associated costs": a participle that takes no object, right before a word that
    is no preposition, and not the second half of a compound nor after a chemical ("opioid related deaths"): an
    adjective, which links nothing."""
    if doc[cue_start].lower_ not in _OBJECTLESS_PARTICIPLES or cue_start + 1 >= len(doc):
        return False
    if cue_start > 0 and (doc[cue_start - 1].text in ("-", "–") or cue_start - 1 in chemical_tokens):
        return False
    following = doc[cue_start + 1]
    return following.is_alpha and following.lower_ not in _PARTICIPLE_FOLLOWERS


_CAUSE_RANKERS = load_vocabulary().words("cause_rankers")
_COPULAS = {"is", "was", "are", "were", "remains", "remain", "remained"}


def ranked_cause_subject(doc: Doc, cue_start: int) -> int | None:
    """"age-related macular degeneration, the most common cause of severe vision loss", "DNA damage is the basic cause
    of cancer": the last token of what the ranked noun "cause of" is said of (in apposition or before a copula), or
    None when the cue is no such noun."""
    if doc[cue_start].lower_ not in ("cause", "causes") or cue_start + 1 >= len(doc) or doc[cue_start + 1].lower_ != "of":
        return None
    i = cue_start - 1
    while i >= 0 and doc[i].lower_ in _CAUSE_RANKERS:
        i -= 1
    if i == cue_start - 1 or i < 1 or not (doc[i].text == "," or doc[i].lower_ in _COPULAS):
        return None
    return i - 1


def agent_of_compound(doc: Doc, cue_start: int, ents: list[Span]) -> int | None:
    """The token of the chemical a compound cue names as its agent ("levodopa-induced", "statin-related"), or None
    when the cue is no such compound."""
    before = compound_first_half(doc, cue_start)
    if before is None:
        return None
    return before if any(e.label_ == "CHEMICAL" and e.start <= before < e.end for e in ents) else None


# what opens the words between a drug and a noun naming what it is ("Tucatinib is a ...", "Shingrix, a ..."), and the
# words that may follow inside the noun phrase
_IS_A = {",", "(", "is", "was", "are", "were", "remains", "became", "becomes", "-", "–", "—"}
_NAMING_WORDS = _IS_A | {"a", "an", "the", "one", "of", "its", "their", "first", "new", "another", "also", "now", "still"}


def says_what_it_is(words: list[str], max_other: int) -> bool:
    """The lower-cased words from right after a drug up to a noun phrase that names what the drug is: a copula or an
    apposition first ("is", ",", "-"), then at most ``max_other`` words that are no article or naming glue (the
    noun's adjectives, and the noun itself when ``words`` include it)."""
    return bool(words) and words[0] in _IS_A and sum(w not in _NAMING_WORDS for w in words) <= max_other


def names_the_drug_before(doc: Doc, drug, head: int) -> bool:
    """"lithium - a mood stabiliser that ...", "Serevent, a long-acting beta agonist that ...": the noun at ``head``
    ends a copula or apposition right after the drug (an article first, at most three other words with the noun),
    so a relative clause it opens is said of the drug."""
    between = [t.lower_ for t in doc[drug.end : head + 1]]
    return 2 <= len(between) <= 7 and any(w in ("a", "an") for w in between[1:3]) and says_what_it_is(between, 3)


def relative_clause_between(doc: Doc, drug, cue, after_comma: bool = True) -> bool:
    """"X works by blocking proteins that have been linked to inflammation": a relative clause ("that", "which")
    opened by another noun between the drug and the cue, whose subject the cue's effect belongs to."""
    if drug.end <= drug.start or drug.end >= cue.start:
        return False
    for k in range(drug.end + 1, cue.start):
        if doc[k].lower_ not in ("that", "which"):
            continue
        # "brain inflammation, which has been linked to Alzheimer's": a "which" after a comma too (``after_comma``)
        comma = after_comma and doc[k - 1].text == "," and doc[k].lower_ == "which" and k - 2 >= drug.end
        head = k - 2 if comma else k - 1
        if doc[head].is_alpha and doc[head].is_lower and doc[head].lower_ not in _DRUG_NOUNS \
                and doc[head].lower_ not in _COMPLEMENT_HEADS and not _class_said_of_the_drug(doc, head) \
                and not names_the_drug_before(doc, drug, head):
            return True
    return False


def _class_said_of_the_drug(doc: Doc, i: int) -> bool:
    """"Sertraline is an antidepressant that helps with anxiety": the noun ends a chemical mention (a drug class) that
    the sentence says the drug is."""
    return any(e.label_ == "CHEMICAL" and e.start <= i < e.end and predicate_class(e) for e in doc.ents)


def predicate_class(ent: Span) -> bool:
    """"It acts as a muscle relaxant", "Sertraline is an antidepressant": a class named as what the subject is, not a
    second drug."""
    before = [t.lower_ for t in ent.doc[max(ent.sent.start, ent.start - 3) : ent.start]]
    return len(before) >= 2 and before[-1] in {"a", "an"} and before[-2] in {"as", "is", "was", "are", "be", "being"}


def appositive_class(ent: Span, chemicals: list[Span]) -> bool:
    """"miconazole (an antifungal)", "clobetasol, a steroid,": a name right after another chemical's, set off by a
    bracket or comma, that describes that chemical rather than naming a second drug."""
    doc = ent.doc
    for other in chemicals:
        if other.end < ent.start <= other.end + 3:
            between = [t.text.lower() for t in doc[other.end : ent.start]]
            # a bracket, or a comma and an article: not the next item of a list ("aspirin, naproxen or celecoxib")
            if between and all(w in {"(", ",", "a", "an", "the"} for w in between) and (
                    between[0] == "(" or (between[0] == "," and len(between) > 1)):
                return True
    return False


_COMPLEMENT_HEADS = load_vocabulary().words("complement_heads")


_NOT_MANNER = load_vocabulary().words("not_manner_adverbs")


def manner_adverb(token: str) -> bool:
    return len(token) >= 5 and token.endswith("ly") and token.isalpha() and token not in _NOT_MANNER


_COMPARISON_WORDS = {"unlike", "than", "versus", "vs", "vs."}


def comparison_arm(doc: Doc, ent: Span) -> bool:
    """"unlike the steroid nasal sprays", "compared with warfarin", "fewer side effects than aspirin": a drug named
    as the comparison, whose own effects the sentence does not state (unless a clause of its own follows: "than the
    standard drug tamoxifen, which works by blocking estrogen")."""
    if ent.end + 1 < len(doc) and doc[ent.end].text == "," and doc[ent.end + 1].lower_ in ("which", "whose"):
        return False
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 5 and doc[i].is_alpha and doc[i].is_lower and doc[i].lower_ not in _COMPARISON_WORDS \
            and doc[i].lower_ not in ("with", "to"):
        i -= 1  # "than the old standby drug warfarin"
    if i < 0:
        return False
    if doc[i].lower_ in _COMPARISON_WORDS:
        return True
    return (i >= 1 and doc[i - 1].lower_ == "compared" and doc[i].lower_ in ("with", "to")) or _compared_with_a_figure(doc, ent)


def _compared_with_a_figure(doc: Doc, ent: Span) -> bool:
    """"compared with 5.5 percent with chemotherapy", "compared to 12% for those on warfarin": the arm is named after
    the figure it is compared with."""
    figure = False
    for i in range(ent.start - 1, max(0, ent.start - 9), -1):
        if doc[i].lower_ in ("with", "to") and doc[i - 1].lower_ == "compared":
            return figure
        if doc[i].like_num or doc[i].text == "%":
            figure = True
        elif not (doc[i].is_alpha and doc[i].is_lower):
            return False
    return False


_DECREASE = load_vocabulary().words("decrease_words")


def risk_goes_down(doc: Doc, sent: Span, cue, effect: Span) -> bool:
    """A risk cue whose risk is said to fall: a decrease word just before it ("a reduction in relative risk for") or
    after the effect ("the risk for X was found to have dropped")."""
    before = doc[max(sent.start, cue.start - 4) : cue.start]
    after = doc[effect.end : min(sent.end, effect.end + 8)]
    return any(t.lower_ in _DECREASE for t in before) or any(t.lower_ in _DECREASE for t in after)


def risk_falls_between(doc: Doc, cue, effect: Span) -> bool:
    """A decrease word between a harm cue and the effect, which a risk word follows: "linked to a steep drop in cancer
    risk", "associated with lower stroke risk"."""
    if cue.end > effect.start or effect.end >= len(doc) or doc[effect.end].lower_ not in RISK_WORDS:
        return False
    return any(t.lower_ in _DECREASE for t in doc[cue.end : effect.start])


_CONDITION_DECREASE = load_vocabulary().words("condition_decrease_nouns")


def condition_goes_down(doc: Doc, cue, effect: Span) -> bool:
    """A harm cue whose condition is said to shrink: a decrease noun right after it ("led to significant tumor
    shrinkage") or a decrease word with "in"/"of" just before it, after the cue ("had a decrease in tumour size")."""
    if effect.end < len(doc) and doc[effect.end].lower_ in _CONDITION_DECREASE:
        return True
    i = _before_stage_words(doc, effect.start, cue.end)  # "regression of early-stage breast cancer"
    if cue.end > effect.start or i < 1 or doc[i].lower_ not in ("in", "of"):
        return False
    return any(t.lower_ in _DECREASE or t.lower_ in _CONDITION_DECREASE for t in doc[max(cue.end, i - 3) : i])


def indication_before(doc: Doc, effect: Span) -> bool:
    """"first-line treatments for osteoarthritis", "a drug for early-stage breast cancer": the condition a medicine
    is for, named after an indication noun and "for" (stage words between)."""
    i = _before_stage_words(doc, effect.start, 0)
    return i >= 1 and doc[i].lower_ == "for" and doc[i - 1].lower_ in INDICATION_NOUNS


def _before_stage_words(doc: Doc, start: int, floor: int) -> int:
    """The last token before ``start`` that is no stage word ("early-stage", "metastatic"), not going below ``floor``."""
    i = start - 1
    while i > floor and (doc[i].lower_ in _STAGE_WORDS or doc[i].text == "-" or doc[i].lower_ == "stage"):
        i -= 1
    return i


_LEVEL_NOUNS = load_vocabulary().words("level_nouns")


def measured_level(doc: Doc, ent: Span) -> bool:
    """"higher levels of the male sex hormone testosterone", "blood concentrations of vitamin D": a chemical measured in
    the body (at most four lower-case words between "of" and the name), not a drug someone took."""
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 4 and doc[i].is_alpha and doc[i].is_lower and doc[i].lower_ != "of":
        i -= 1
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in _LEVEL_NOUNS


def only_punct_between(doc: Doc, start: int, end: int) -> bool:
    return 0 <= end - start <= 2 and all(t.is_punct for t in doc[start:end])


_NOT_TAKEN = load_vocabulary().words("not_taken_verbs")
_LACKING = load_vocabulary().words("lacking_words")


_DEFICIENCY_NOUNS = load_vocabulary().words("deficiency_nouns")
_LACKED_WINDOW = 8  # tokens: "defects in a different blood-clotting agent, Factor VIII"


def _lacked(doc: Doc, start: int) -> bool:
    """"a lack of vitamin D", "defects in a different blood-clotting agent, Factor VIII": a deficiency noun and "of" /
    "in" before the chemical, with no list word or clause end between (the body's lack, not a medicine taken)."""
    for i in range(start - 1, max(start - 1 - _LACKED_WINDOW, 0), -1):
        word = doc[i].lower_
        if word in ("and", "or", "than", "with", "by", "from", "to") or (doc[i].is_punct and word not in (",", "-")):
            return False
        if word in ("of", "in") and doc[i - 1].lower_ in _DEFICIENCY_NOUNS:
            return True
    return False


def not_taken(doc: Doc, ent: Span) -> bool:
    """"women who skipped chemo had less than a 1 percent chance of cancer recurring": what happened without it; "the
    low omega-3 fatty acids group": what happened with too little of it."""
    if ent.start > 0 and doc[ent.start - 1].lower_ in _LACKING:
        return True
    if _lacked(doc, ent.start):
        return True
    i = ent.start - 1
    while i >= 0 and doc[i].lower_ in ("the", "their", "her", "his", "a", "any"):
        i -= 1
    return i >= 0 and doc[i].lower_ in _NOT_TAKEN


_ON_DRUG = load_vocabulary().words("on_drug_words")
_PEOPLE_WHO = {"who", "were", "are", "was", "is", "already", "currently", "also", "still"}


_TAKING = load_vocabulary().words("taking_verbs")
# between the taking word and the substance: "taking low-dose estrogen", "women on both forms of estrogen"
_TAKEN_LEAD = {"the", "a", "an", "their", "her", "his", "extra", "supplemental", "oral", "daily", "low-dose",
               "high-dose", "both", "forms", "form", "doses", "dose", "of", "some", "more"}


_TREATMENT_LEAD = {"the", "a", "an", "first", "first-line", "standard", "main", "best", "usual", "only", "preferred",
                   "emergency", "mainstay", "of"}


def called_a_treatment(doc: Doc, ent: Span) -> bool:
    """"Epinephrine is the first treatment for anaphylaxis": the text calls the substance a treatment."""
    i = ent.end
    if i >= len(doc) or doc[i].lower_ not in ("is", "was", "remains", "are"):
        return False
    i += 1
    while i < min(len(doc), ent.end + 5) and doc[i].lower_ in _TREATMENT_LEAD:
        i += 1
    return i < len(doc) and doc[i].lower_ in INDICATION_NOUNS


_MEDICINE_MODIFIERS = load_vocabulary().words("medicine_modifiers")


def named_as_a_medicine(doc: Doc, ent: Span) -> bool:
    """"supplemental estrogen", "synthetic estrogen", "too much caffeine": a word right before the substance says it
    is taken as a medicine or a dose ("much" only after "too": not "how much caffeine")."""
    if ent.start == 0:
        return False
    before = doc[ent.start - 1].lower_
    if before == "much":
        return ent.start >= 2 and doc[ent.start - 2].lower_ == "too"
    return before in _MEDICINE_MODIFIERS


def taken_by_people(doc: Doc, ent: Span) -> bool:
    """"women taking estrogen", "patients given potassium", "women on both forms of estrogen": a person takes the
    substance (a body substance or nutrient is then the medicine of the claim); not "a vitamin placebo"."""
    if ent.end < len(doc) and doc[ent.end].lower_ in ("placebo", "placebos"):
        return False
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 4 and doc[i].lower_ in _TAKEN_LEAD:
        i -= 1
    if i < 0:
        return False
    if doc[i].lower_ in _TAKING:
        return True
    # "women on estrogen", "patients who were on estrogen"; not "its effect on estrogen"
    return doc[i].lower_ == "on" and people_on(doc, max(0, i - 5), i + 1)


def modifies_a_drug_noun(doc: Doc, effect) -> bool:
    """"cough and cold medications", "migraine drugs": the condition names what the medicines are for."""
    i = effect.end
    if i < len(doc) and doc[i].lower_ in ("and", "or"):  # "cough and cold medications", not "nausea, and the drug"
        i += 1
        while i < min(len(doc), effect.end + 3) and doc[i].lower_ not in INDICATION_NOUNS and doc[i].is_alpha \
                and doc[i].lower_ not in ("the", "a", "an", "this", "these", "its", "their"):
            i += 1
    return i < len(doc) and doc[i].lower_ in INDICATION_NOUNS and doc[i].lower_ not in ("prevention", "management")


_EXPERIENCE_VERBS = load_vocabulary().words("experience_verbs")


_DENIED_RISES = PhraseIndex({"denied_rise": sorted(load_vocabulary().words("denied_rise_phrases"))})


def denied_rise(tokens: list[str], effect_offset: int) -> bool:
    """"There was no increase in breast cancer, stroke or blood clots": a harm said not to have risen, the phrase before
    the first effect (``effect_offset``: its index in the sentence's lower-cased ``tokens``)."""
    return bool(_DENIED_RISES.find(tokens[:effect_offset]))


def people_experienced(doc: Doc, sent: Span, effect_start: int) -> bool:
    """"Some patients experienced itchiness ...", "participants reported mild headaches": people, an experience verb
    (at most one word between, "patients also reported") and the effect at most two words after the verb (not
    "experienced some lasting reversal of symptoms such as ...")."""
    for i in range(sent.start, min(effect_start, sent.end) - 1):
        if doc[i].lower_ not in PEOPLE:
            continue
        for j in range(i + 1, min(i + 3, effect_start)):
            if doc[j].lower_ in _EXPERIENCE_VERBS and effect_start - j <= 3:
                return True
    return False


def people_on(doc: Doc, start: int, end: int) -> bool:
    """"patients on anticoagulants", "people taking statins", "patients who were already taking statins" between a
    cue and the drug."""
    for i in range(start, min(end, len(doc) - 1)):
        if doc[i].lower_ not in PEOPLE:
            continue
        j = i + 1
        while j < min(end, i + 5) and doc[j].lower_ in _PEOPLE_WHO:
            j += 1
        if j < len(doc) and doc[j].lower_ in _ON_DRUG:
            return True
    return False


# the drug nouns: "the bone drugs" refers back; "blood pressure medicines" names a class by its purpose
CLASS_NOUNS = load_vocabulary().words("medicine_nouns")
_NOT_ANAPHOR_MODIFIERS = {"other", "same", "two", "three", "four", "several", "many", "some", "most", "such", "any",
                          "existing", "current", "standard", "usual", "traditional", "older", "first"}


def modified_anaphors(sent: Span, found: list[Cue]) -> list[Cue]:
    """"the bone drugs", "these cholesterol drugs": a definite drug noun with one modifier refers back like "the
    drugs" does (not "the other drugs", "the standard drug")."""
    doc, taken = sent.doc, {i for c in found for i in range(c.start, c.end)}
    out = []
    for i in range(sent.start, sent.end - 2):
        det, mod, head = doc[i], doc[i + 1], doc[i + 2]
        if det.lower_ in ("the", "these", "this") and mod.is_alpha and mod.is_lower and head.lower_ in CLASS_NOUNS \
                and mod.lower_ not in _NOT_ANAPHOR_MODIFIERS and not any(j in taken for j in range(i, i + 3)):
            out.append(Cue(i, i + 3, "drug", f"{det.lower_} {head.lower_}"))
    return out


_RISK_LEVEL_WORDS = load_vocabulary().words("risk_level_words")
_RISK_CHANGE_VERBS = load_vocabulary().words("risk_change_verbs")
_POSSESSIVE_PERSONS = {"their", "his", "her"}


def peoples_risk(doc: Doc, cue_start: int, drug) -> bool:
    """"evaluate their risk for cardiovascular disease", "patients with atrial fibrillation and a heightened risk for
    stroke": the risk is a trait of people, not a harm of the drug (not "aspirin raises their risk of bleeding")."""
    if doc[cue_start].lower_ not in RISK_WORDS:
        return False
    i = cue_start - 1
    while i >= 0 and doc[i].lower_ in _RISK_LEVEL_WORDS:
        i -= 1
    if i < 0:
        return False
    if doc[i].lower_ in _POSSESSIVE_PERSONS:
        return i == 0 or doc[i - 1].lower_ not in _RISK_CHANGE_VERBS
    # "patients with <conditions> and a heightened risk": only the conditions they have between "with" and the risk
    for j in range(i, max(0, i - 8), -1):
        if doc[j].lower_ == "with":
            return doc[j - 1].lower_ in PEOPLE
        if drug.start <= j < drug.end or doc[j].is_sent_start or not (
                doc[j].ent_type_ == "CONDITION" or doc[j].lower_ in {"and", "or", ","}):
            return False
    return False


_RELATIVE_PRONOUNS = {"that", "which"}
_OTHER_WORDS = {"other", "older", "existing"}


def other_drugs_clause(doc: Doc, cue_start: int, drug) -> bool:
    """"the drug doesn't have the side effects of other drugs that target these same areas": the cue is what the
    other drugs do (a relative clause on "other drugs"), unless the claim's drug is named inside that phrase."""
    i = cue_start - 1
    if i < 2 or doc[i].lower_ not in _RELATIVE_PRONOUNS or doc[i - 1].lower_ not in INDICATION_NOUNS:
        return False
    other = [j for j in range(max(0, i - 3), i - 1) if doc[j].lower_ in _OTHER_WORDS]
    if not other or (other[0] > 0 and doc[other[0] - 1].lower_ in {"like", "unlike"}):
        return False  # "Unlike other drugs that treat migraine, erenumab ...": the drug is one of their kind
    return not (drug.end > drug.start and i - 4 <= drug.start < i)


_HARM_SOURCE_WORDS = {"from"}
_CONJUNCT_GLUE = {"and", "or", ",", "the", "a", "an", "other", "prescription"}


def harm_from_drug(doc: Doc, effect: Span, drug) -> bool:
    """"a policy lever for reducing overdoses from benzodiazepines and opioids": the condition comes from the drug
    named right after it, so the drug's claim is the harm, whatever lowers it."""
    i = effect.end
    if drug.end <= drug.start or i >= len(doc) or doc[i].lower_ not in _HARM_SOURCE_WORDS or drug.start <= i:
        return False
    return all(t.lower_ in _CONJUNCT_GLUE or t.ent_type_ == "CHEMICAL" for t in doc[i + 1 : drug.start]) \
        and drug.start - i <= 6


def names_the_class(doc: Doc, drug, noun: int) -> bool:
    """The drug is the one an indication noun describes: "anti-seizure drugs (divalproex, topiramate)", "osteoporosis
    drugs called bisphosphonates", "Fosamax, an osteoporosis drug" — not a drug of another group in the sentence."""
    if drug.end <= drug.start:
        return True  # an anaphor ("the osteoporosis drug")
    if drug.start > noun:
        between = doc[noun + 1 : drug.start]
        # "the pain drug ibuprofen and the cholesterol drug atorvastatin": a nearer describing noun takes the drug;
        # "the migraine drug sumatriptan and the antidepressant fluoxetine": "and the" opens another noun phrase
        return len(between) <= 10 and not any(t.text in {")", ";"} or t.is_sent_start or t.lower_ in INDICATION_NOUNS
                                              or (t.lower_ in _NEW_PHRASE_DETERMINERS and t.i > noun + 1
                                                  and doc[t.i - 1].lower_ in _COORDINATORS)
                                              for t in between)
    # "the antidepressant Wellbutrin and the addiction drug naltrexone": a noun right before a drug's name describes
    # that drug, not one named earlier
    return noun - drug.end <= 5 and not _starts_a_chemical(doc, noun + 1)


_COORDINATORS = {"and", "or", "but", "while", "whereas"}
_NEW_PHRASE_DETERMINERS = {"the", "a", "an", "another"}


def _starts_a_chemical(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].ent_iob_ == "B" and doc[i].ent_type_ == "CHEMICAL"


_OUTCOME_LEAD = {"their", "his", "her", "patients'", "the", "in", "of", "overall", "both", "high", "bad", "levels", "level"}


def after_outcome_cue(doc: Doc, sent: Span, start: int, cue_ends: set[int]) -> bool:
    """An improvement word right before the outcome, or before at most two lead tokens (a determiner or a
    possessive): "improved their vision", "boost men's energy levels"."""
    i = start
    for _ in range(3):
        if i in cue_ends:
            return True
        if i - 1 < sent.start:
            return False
        if doc[i - 1].lower_ in _OUTCOME_LEAD or doc[i - 1].lower_ in _POSSESSIVE:
            i -= 1
        elif i < start and doc[i].lower_ in _POSSESSIVE:  # the noun before "'s" ("men" in "men 's")
            i -= 1
        else:
            return False
    return i in cue_ends


_POSSESSIVE = {"'s", "’s", "'"}


_TITLE_DRUG_NOUNS = load_vocabulary().words("title_drug_nouns")


def names_a_drug(sent: Span) -> bool:
    return any(t.lower_ in _TITLE_DRUG_NOUNS for t in sent)


def listed_before(doc: Doc, first: Span, then) -> bool:
    """``first`` is the item just before ``then`` in a list ("anxiety, bipolar disorder")."""
    return first.end < then.start and all(t.text in {",", "and", "or"} for t in doc[first.end : then.start])


def compound_word_after(doc: Doc, ent: Span) -> str:
    """"pain-free", "pain-relieving": the word joined to the mention by a hyphen (split off by the tokenizer), or ""."""
    end = ent.end
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and not doc[end - 1].whitespace_:
        return doc[end + 1].lower_
    return ""


_RESOLVED_WORDS = load_vocabulary().words("resolved_words")
_STOPPING_GLUE = {"when", "after", "once", "on", "upon", "they", "he", "she", "patients", "the", "treatment", "was",
                  "were", "drug", "medication", "it"}


def resolved_on_stopping(doc: Doc, start: int) -> bool:
    """"kidney insufficiencies that reversed when they stopped", "rashes that went away after stopping": the effect
    ended with the drug — no withdrawal effect."""
    i = start - 1
    while i >= max(0, start - 5) and doc[i].lower_ in _STOPPING_GLUE:
        i -= 1
    return i >= 0 and i < start - 1 and doc[i].lower_ in _RESOLVED_WORDS


_STUDY_NOUNS = load_vocabulary().words("study_nouns")


def stopped_because_of(doc: Doc, start: int) -> bool:
    """"discontinued treatment due to cough", "stopped the drug because of headaches": what made people stop is a side
    effect of taking the drug, not an effect of stopping it (the reason follows the stopping word within four words)."""
    words = [t.lower_ for t in doc[start : start + 6]]
    return any(words[i : i + 2] in (["due", "to"], ["because", "of"]) for i in range(1, len(words) - 1))


def study_stopped(doc: Doc, start: int) -> bool:
    """"a big federal study was stopped because ...", "the trial was halted": the stopping word's subject, at most
    three words before it, is the research, not a drug."""
    return any(t.lower_ in _STUDY_NOUNS for t in doc[max(0, start - 3) : start])


_WEAKENED = load_vocabulary().words("weakened_words")
_BODY_OWNERS = load_vocabulary().words("body_owner_words")


def bodys_ability(doc: Doc, cue_start: int) -> bool:
    """"decreased ability to fight infections", "the immune system's ability to fight": the cue names the body's
    defence, which a drug may weaken (not "has shown the ability to tame eczema")."""
    i = cue_start
    if i <= 2 or doc[i - 2].lower_ not in ("ability", "capacity") or doc[i - 1].lower_ != "to":
        return False
    before = doc[i - 3].lower_
    return before in _WEAKENED or (before in ("'s", "’s") and doc[i - 4].lower_ in _BODY_OWNERS)


COMPARATOR_WORDS = load_vocabulary().words("comparator_words")


def comparison_group(span: Span) -> bool:
    """"patients taking the placebo", "patients given dummy shots", "the control group": the arm a drug was compared
    with, not whom a claim is about."""
    return any(t.lower_ in COMPARATOR_WORDS for t in span)


def in_organisation_name(doc: Doc, ent: Span) -> bool:
    """"American College of Allergy, Asthma & Immunology", "National Institute of Mental Health", "London School of
    Hygiene and Tropical Medicine": the mention is part of a capitalised organisation's name."""
    if not ent.text[:1].isupper():
        return False
    i = ent.start - 1
    while i >= max(0, ent.start - 8):
        word = doc[i]
        if word.lower_ in _ORGANISATION_NOUNS and word.is_title:
            return True
        if not (word.is_title or word.is_upper or word.text in {",", "&", "and", "of", "for", "on"}):
            return False
        i -= 1
    return False


def used_in(doc: Doc, drug, effect: Span) -> bool:
    """"aspirin in acute postoperative pain", "pentoxifylline in intermittent claudication", "prescribe metformin for
    type 2 diabetes": a drug named with the condition it is used in or for (review and trial wording); only words of
    stage or severity between."""
    if drug.end <= drug.start or drug.end >= len(doc):
        return False
    after = _after_duration(doc, drug.end)  # "had taken bisphosphonates for years for osteopenia"
    if after >= len(doc):
        return False
    if doc[after].lower_ == "for":  # "doctors prescribe metformin for type 2 diabetes": a verb of use before it
        before = [t.lower_ for t in doc[max(0, drug.start - 2) : drug.start]]
        if not any(w in _USE_VERBS for w in before):
            return False
    elif doc[after].lower_ != "in" or after > drug.end:
        return False
    return effect.start > after and all(t.lower_ in _STAGE_WORDS for t in doc[after + 1 : effect.start])


_DURATION_UNITS = frozenset(load_slot_patterns().duration_units)
_DURATION_COUNTS = load_vocabulary().words("number_words") | {"a", "an", "several", "many", "few", "some"}


def _after_duration(doc: Doc, i: int) -> int:
    """The token after "for years", "for five years", "for a few months" starting at ``i``; else ``i``."""
    if i >= len(doc) or doc[i].lower_ != "for":
        return i
    j = i + 1
    while j < len(doc) and j - i <= 3 and (doc[j].like_num or doc[j].lower_ in _DURATION_COUNTS):
        j += 1
    return j + 1 if j < len(doc) and doc[j].lower_ in _DURATION_UNITS else i


_USE_VERBS = load_vocabulary().words("use_verbs")


_LEAD_INS = {",", "(", "an", "a", "the"}
_DESCRIBING_NOUNS = INDICATION_NOUNS | _LEAD_INS | load_vocabulary().words("describing_nouns")


# "anti-" + what a drug acts against when that is a mechanism, not an indication ("anti-seizure", "anti-cancer" say
# what the drug is for): a named target written with capitals or digits ("anti-TNF", "anti-PD-1") or one of these
_ANTI_MECHANISMS = load_vocabulary().words("anti_mechanisms")


def _anti_mechanism(text: str) -> bool:
    target = text[5:]
    return len(target) > 1 and (any(c.isupper() or c.isdigit() for c in target) or target.lower() in _ANTI_MECHANISMS)


def described_action(doc: Doc, ent: Span) -> str:
    """"the anti-TNF drug adalimumab", "aflibercept, an anti-VEGF agent", "anti-VEGF drugs": the "anti-" word the
    text describes a drug with says what it acts against (its mechanism), or ""."""
    for k in range(ent.start, ent.end):  # "anti-VEGF drugs", "nonsteroidal anti-inflammatory drug"
        if doc[k].lower_.startswith("anti") and (k == ent.start or doc[k - 1].whitespace_):
            text = doc[k : min(compound_end(doc, k), ent.end)].text
            if text.lower().startswith("anti-") and _anti_mechanism(text):
                return text
    i = ent.start - 1
    while i >= max(0, ent.start - 4) and doc[i].lower_ in _DESCRIBING_NOUNS:
        i -= 1
    if i >= 0 and i < ent.start - 1:  # a noun between: "anti-TNF drug adalimumab", not "anti-TNF adalimumab"
        text = doc[compound_start(doc, i + 1) : i + 1].text
        if text.lower().startswith("anti-") and _anti_mechanism(text):
            return text
    j = ent.end
    while j < min(len(doc), ent.end + 3) and doc[j].lower_ in _LEAD_INS:
        j += 1
    if j > ent.end and j < len(doc):
        end = compound_end(doc, j)
        text = doc[j:end].text
        if text.lower().startswith("anti-") and _anti_mechanism(text) and end < len(doc) and doc[end].lower_ in _DESCRIBING_NOUNS:
            return text
    return ""


def _words(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def sold_for(doc: Doc) -> set[str]:
    """What the article's medicines are named for: the condition or outcome right before a drug noun ("weight loss
    medication", "weight-loss drugs", "migraine pills"), hyphens read as spaces."""
    return {_words(e.text) for e in doc.ents if e.label_ == "CONDITION" and e.end < len(doc)
            and doc[e.end].lower_ in INDICATION_NOUNS and doc[e.end].lower_ not in {"prevention", "management"}}


_AMOUNT_WORDS = load_vocabulary().words("amount_units")
_NUMBER_WORDS = load_vocabulary().words("number_words")


def amount_of(span: Span) -> str:
    """The effect without leading amounts: "seven-pound weight loss", "an 18-22 pound weight loss" → "weight loss"."""
    words = _words(span.text).split()
    while words and (any(c.isdigit() for c in words[0]) or words[0] in _AMOUNT_WORDS or words[0] in _NUMBER_WORDS
                     or words[0] in {"a", "an", "the"}):
        words = words[1:]
    return " ".join(words)



_SINGULAR_CLASS_NOUNS = load_vocabulary().words("singular_medicine_nouns")  # "medication", "medicine" are also mass nouns: "ADHD medication"


def indication_classes(doc: Doc, sent: Span, ents: list[Span], measures: list[Cue], purposes: frozenset[str]) -> list[Span]:
    """"blood pressure medicines", "ADHD medication", "sleeping pills", "birth control pills": medicines named by what
    they are for — a drug class (CHEMICAL spans over the modifier and the noun). Only in a sentence that names no
    drug of its own: "the peanut allergy drug Palforzia" names Palforzia, and its allergy is what Palforzia treats."""
    if any(e.label_ == "CHEMICAL" for e in ents):
        return []
    out = []
    conditions = {e.end: e for e in ents if e.label_ == "CONDITION"}
    measure_ends = {c.end: c.start for c in measures}
    for i in range(sent.start + 1, sent.end):
        if doc[i].lower_ not in CLASS_NOUNS:
            continue
        start, purpose = None, False
        if i - 2 >= sent.start and f"{doc[i - 2].lower_} {doc[i - 1].lower_}" in purposes:
            start, purpose = i - 2, True
        elif doc[i - 1].lower_ in purposes:
            start, purpose = i - 1, True
        elif i in conditions:
            start = conditions[i].start
        elif i in measure_ends:
            start = measure_ends[i]
        if start is None or any(o.start <= i < o.end for o in out):
            continue
        if doc[i].lower_ in _SINGULAR_CLASS_NOUNS and not purpose:
            continue  # "a diabetes drug", "Lilly's diabetes drug": one drug, the article's own ("a sleeping pill" is a kind)
        if start - 2 >= sent.start and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti" \
                and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
            start -= 2  # "anti-seizure drugs": the drugs against what the modifier says
        elif start > sent.start and doc[start - 1].text in ("-", "non", "anti"):
            continue  # "non-glaucoma medications": not what the modifier says
        if start > sent.start and doc[start - 1].lower_ in _ON_DRUG:
            continue  # "not unusual for patients taking glaucoma medication": who is meant, not the claim's drug
        if i + 1 < len(doc) and (doc[i + 1].is_title or doc[i + 1].is_upper) and doc[i + 1].is_alpha:
            continue  # "the allergy drug Palforzia" (a name the recognisers missed)
        out.append(Span(doc, start, i + 1, label="CHEMICAL"))
    return out
