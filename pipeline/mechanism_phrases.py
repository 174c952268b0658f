"""How a drug acts, said in words rather than by naming a target: "works by preventing ovulation", "By inhibiting
transcription, ICEC0942 shuts down ...", "Ipilimumab targets the CTLA-4 checkpoint", "Provenge trains the patient's
immune system to attack the tumor".

Each function returns ``(verb index, verb text, phrase)`` or None; the claims extractor turns the phrase into a
MECHANISM claim of the sentence's drug (the phrase is the claim's effect, the verb its mechanism word).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.claim_phrases import RISK_WORDS
from pipeline.rules import load_vocabulary

# "works by", "acts by", "designed to": a frame whose next verb says how the drug acts
MECHANISM_FRAMES = {("works", "by"), ("work", "by"), ("working", "by"), ("acts", "by"), ("act", "by"),
                    ("functions", "by"), ("designed", "to"), ("which", "inhibits"), ("that", "inhibits"),
                    ("that", "blocks"), ("which", "blocks")}
ACTION_VERBS = load_vocabulary().words("action_verbs")
# verbs that say how a drug acts when the drug is their subject and their object is no condition ("ipilimumab
# targets the CTLA-4 checkpoint"); "boosts" / "trains" only with the immune system as object
DIRECT_VERBS = load_vocabulary().words("direct_mechanism_verbs")
_IMMUNE_ONLY = load_vocabulary().words("immune_only_verbs")
_PARTICLES = {"to", "with", "on"}
# words allowed between a drug and its verb: "XL184 is believed to block", "it also inhibits", "may help block"
_SUBJECT_GAP = {"also", "may", "might", "can", "could", "which", "that", "is", "are", "was", "believed", "thought",
                "appears", "appear", "seems", "seem", "to", "help", "helps", "further", "then", "directly"}
PHRASE_STOP = {",", ".", ";", ":", "(", ")", "which", "that", "and", "but", "so", "thereby", "while", "because", "in",
               "to", "—", "–", "--", "is", "are", "was", "were", "has", "have", "had", "helps", "help", "can", "could",
               "may", "might", "will", "would", "if"}
_PRONOUNS = {"it", "them", "they", "this", "these", "those", "that", "its", "their", "itself", "themselves"}
_DETERMINERS = {"the", "a", "an"}
_PREPOSITIONS = {"at", "by", "through", "in", "with", "from", "of"}
_TRAILING = _PREPOSITIONS | _DETERMINERS  # words a phrase does not end on
MAX_PHRASE = 10  # tokens; "growth-factor" is three
_DOSE_WORDS = load_vocabulary().words("dose_words")
# nouns that say where without saying what: the phrase goes on through "in" ("points in the growth-factor pathway")
_VAGUE_NOUNS = load_vocabulary().words("vague_place_nouns")
_PEOPLE = load_vocabulary().words("people_words")


def phrase_head(doc: Doc, verb: int) -> int:
    """The first word after a mechanism verb and its determiners: "blocking [the] serotonin transporter"."""
    i = verb + 1
    while i < len(doc) and doc[i].lower_ in _DETERMINERS:
        i += 1
    return i


def _adverb(token) -> bool:
    return token.lower_.endswith("ly") and token.is_alpha and len(token) > 3


def _phrase_end(doc: Doc, start: int, limit: int) -> int:
    """The end of the object phrase from ``start``: up to a clause word, or through "at which" / "by which" when
    the phrase names a rate or way ("the rate at which blood clots break down")."""
    k = start
    while k < limit and k - start < MAX_PHRASE and not doc[k].is_space:
        word = doc[k].lower_
        if word in PHRASE_STOP:
            if word in ("which", "that") and k > start and doc[k - 1].lower_ in _PREPOSITIONS:
                k += 1
                continue
            if word == "in" and k > start and doc[k - 1].lower_ in _VAGUE_NOUNS:
                k += 1  # "different points in the same growth-factor pathway"
                continue
            if word == "to" and k > start and doc[k - 1].lower_ in ("ability", "system"):
                k += 1  # "trains the immune system to attack the tumor"
                continue
            break
        k += 1
    while k > start and doc[k - 1].lower_ in _TRAILING:
        k -= 1
    return k


def _rate_at_which(doc: Doc, i: int) -> bool:
    """"the rate at which blood clots break down": a process, not a risk."""
    return i + 2 < len(doc) and doc[i + 1].lower_ in _PREPOSITIONS and doc[i + 2].lower_ == "which"


def _object_span(doc: Doc, sent: Span, verb: int) -> tuple[int, int] | None:
    """The token span of a mechanism verb's object phrase, or None (no object, a pronoun, or a risk)."""
    j = phrase_head(doc, verb)
    if j >= sent.end or doc[j].lower_ in _PRONOUNS or (doc[j].lower_ in RISK_WORDS and not _rate_at_which(doc, j)):
        return None  # "designed to lower the risk of heart attack": a benefit, which the relation cues give
    if doc[j].lower_ in _PEOPLE:
        return None  # "work by allowing individuals to have a mystical experience": people are no drug target
    k = _phrase_end(doc, j, sent.end)
    return (j, k) if k > j else None


def _phrase_from(doc: Doc, sent: Span, verb: int) -> tuple[int, str, str, int] | None:
    span = _object_span(doc, sent, verb)
    return None if span is None else (verb, doc[verb].text, doc[span[0] : span[1]].text, span[1])


def mechanism_phrase(sent: Span) -> tuple[int, str, str, int] | None:
    """"works by increasing the absorption of water through the kidneys" -> (start, "increasing", "absorption of
    water", the object's end token); adverbs may sit inside the frame ("works primarily by preventing ovulation", "works by significantly
    reducing the rate at which blood clots break down"); "By inhibiting transcription, X shuts down ..." too."""
    doc = sent.doc
    tokens = [t for t in sent if not _adverb(t)]
    for i in range(len(tokens) - 2):
        if (tokens[i].lower_, tokens[i + 1].lower_) not in MECHANISM_FRAMES:
            continue
        verb = tokens[i + 2] if tokens[i + 1].lower_ in {"by", "to"} else tokens[i + 1]
        if tokens[i + 1].lower_ == "by" and not verb.lower_.endswith("ing"):
            continue  # "work by his group and others has shown ...": the noun "work", done by people
        if tokens[i + 1].lower_ == "to" and verb.lower_ not in ACTION_VERBS:
            continue  # "designed to see if a new drug is safe": a purpose, not how the drug acts
        found = _phrase_from(doc, sent, verb.i)
        if found is not None:
            return found
    if len(sent) > 2 and sent[0].lower_ == "by" and _action_gerund(sent[1].lower_):
        return _phrase_from(doc, sent, sent[1].i)  # "By inhibiting transcription, ICEC0942 shuts down ..."
    return None


def by_action_phrase(sent: Span, condition_starts: set[int]) -> tuple[int, str, str, int] | None:
    """"used to lower blood sugar levels by reducing glucose production in the liver": "by" and an action gerund after
    a verb say how a benefit comes about. Not "by increasing the dose" (how much is given) and not an object holding a
    condition ("help by reducing back pain": the relation cues pair a condition with the drug). The caller asks only
    for a sentence that names its drug."""
    doc = sent.doc
    tokens = [t for t in sent if not _adverb(t)]
    for i in range(1, len(tokens) - 2):
        if tokens[i].lower_ != "by" or not _action_gerund(tokens[i + 1].lower_) or not tokens[i - 1].is_alpha:
            continue
        verb = tokens[i + 1].i
        span = _object_span(doc, sent, verb)
        if span is None or doc[span[0]].lower_ in _DOSE_WORDS or any(j in condition_starts for j in range(*span)):
            continue
        return verb, doc[verb].text, doc[span[0] : span[1]].text, span[1]
    return None


def names_the_drug(phrase: str, drug: str) -> bool:
    """"safety questions about Avastin", "costs associated with TNFi maintenance": a mechanism phrase that names the
    drug after a preposition says something about the drug, not how it acts (not "binds CGRP molecules", where the
    drug's own name is its target's)."""
    words, name = phrase.lower().split(), drug.lower().split()
    return any(words[k : k + len(name)] == name and words[k - 1] in ("about", "with", "of", "for", "on")
               for k in range(1, len(words) - len(name) + 1))


def _action_gerund(word: str) -> bool:
    """"inhibiting", "targeting", "stimulating", "stopping": the -ing form of a verb that says how a drug acts."""
    if not word.endswith("ing"):
        return False
    stem = word[:-3]
    return any(form in ACTION_VERBS or form in DIRECT_VERBS for form in (stem, stem + "e", stem[:-1]))


def direct_mechanism_phrase(
    sent: Span, drug_end: int, condition_starts: set[int], target_starts: set[int]
) -> tuple[int, str, str, int] | None:
    """A mechanism verb right after a drug named in the sentence, with an object that is no condition: "Ipilimumab
    targets the CTLA-4 checkpoint", "The new drug stabilizes dopamine signaling", "ICEC0942 inhibits transcription".
    An object holding a condition or a named target is left to the relation cues ("blocks pain", "inhibits a protein
    called MET")."""
    doc = sent.doc
    i = drug_end
    while i < sent.end and i - drug_end < 4 and (doc[i].lower_ in _SUBJECT_GAP or _adverb(doc[i])):
        i += 1
    if i >= sent.end or doc[i].lower_ not in DIRECT_VERBS:
        return None
    verb = i
    head = phrase_head(doc, verb + 1 if verb + 1 < sent.end and doc[verb + 1].lower_ in _PARTICLES else verb)
    if head >= sent.end or doc[head].lower_ in RISK_WORDS or doc[head].lower_ in _PRONOUNS:
        return None
    end = _phrase_end(doc, head, sent.end)
    named = next((i for i in range(head, end) if i in condition_starts or i in target_starts), None)
    if named is not None:
        # "stimulates the immune system to attack prostate cancer": the phrase went on through "to" into what the
        # system is trained against; the mechanism is the part before it
        to = next((i for i in range(head + 1, named) if doc[i].lower_ == "to"), None)
        if to is None:
            return None  # "blocks pain": a condition, which the relation cues pair with the drug
        end = to
    if end <= head:
        return None
    phrase = doc[head:end].text
    if doc[verb].lower_ in _IMMUNE_ONLY and "immune" not in phrase.lower():
        return None
    return verb, doc[verb].text, phrase, end
