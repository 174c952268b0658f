"""POPULATION, DOSE and FREQUENCY mentions: rule-based, from the word lists in ``data/slot_patterns.json``.

They live in span groups (``doc.spans["POPULATION"]`` ...) rather than ``doc.ents`` because a population
("people with multiple sclerosis") contains a CONDITION mention, and both are needed.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.rules import SlotPatterns, load_slot_patterns, load_vocabulary
from pipeline.tokenizer import compound_end, compound_start

SLOT_LABELS = ("POPULATION", "DOSE", "FREQUENCY")
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                 "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000}
_TENS = {word for word, value in _WORD_NUMBERS.items() if 20 <= value <= 90}  # "twenty-eight": a tens word, a unit
_UNITS = {word for word, value in _WORD_NUMBERS.items() if value < 10}
_NUMBER = re.compile(r"^(?:\d+(?:[.,]\d+)?|" + "|".join(_WORD_NUMBERS) + r")$", re.I)
_NUMBER_UNIT = re.compile(r"^\d+(?:\.\d+)?(mg|mcg|µg|g|ml|iu)(/(day|d|kg|dl))?$", re.I)
_PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
_TRAILING_GLUE = {"and", "or", "the", "a", "an", "of", "with", "their", "its", "both", "either"}
_BOUNDARY = {".", ",", ";", ":", "(", ")", "!", "?", "—", "–", '"', "“", "”"}
# "more frequently in women", "more often": a comparison, not a frequency; "how often", "as often as": no frequency
_COMPARING = {"more", "less", "most", "least"}
_NOT_ADVERB_AFTER = _COMPARING | {"how", "as", "so", "too"}


def band_for_share(share: float) -> str:
    """CIOMS frequency bands from a proportion of people (0.05 = 5%)."""
    if share >= 0.10:
        return "very_common"
    if share >= 0.01:
        return "common"
    if share >= 0.001:
        return "uncommon"
    if share >= 0.0001:
        return "rare"
    return "very_rare"


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    try:
        return float(text)
    except ValueError:
        return None


def _read_number(lows: list[str], texts: list[str], i: int) -> tuple[float, int] | None:
    """(value, end) for a number starting at token ``i``: digits ("28", "2,000") or words, tens joined to units by a
    hyphen or a space ("twenty-eight", "twenty eight"); None when token ``i`` is no number."""
    if not _NUMBER.match(texts[i]):
        return None
    value = _number(texts[i])
    if value is None:
        return None
    n = len(lows)
    if lows[i] in _TENS:
        j = i + 1 + (1 if i + 1 < n and lows[i + 1] == "-" else 0)
        if j < n and lows[j] in _UNITS:
            return value + _WORD_NUMBERS[lows[j]], j + 1
    return value, i + 1


_FRACTION_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                          "fifths": 5, "tenth": 10, "tenths": 10}


def _fraction_of(lows: list[str], i: int) -> tuple[float, int] | None:
    """(share, end) for a fraction of a group starting at token ``i``: "half of", "a third of", "two-thirds of",
    "one quarter of"; None otherwise (not "half the risk": a fraction of people needs "of")."""
    n, end, numerator = len(lows), i, 1.0
    if lows[i] == "half":
        denominator, end = 2, i + 1
    else:
        if lows[i] in ("a", "one"):
            numerator = 1.0
        elif lows[i] in _WORD_NUMBERS and _WORD_NUMBERS[lows[i]] < 10:
            numerator = float(_WORD_NUMBERS[lows[i]])
        else:
            return None
        j = i + 1 + (1 if i + 1 < n and lows[i + 1] == "-" else 0)
        if j >= n or lows[j] not in _FRACTION_DENOMINATORS or lows[j] == "half":
            return None
        denominator, end = _FRACTION_DENOMINATORS[lows[j]], j + 1
    if end >= n or lows[end] != "of" or numerator >= denominator:
        return None
    return numerator / denominator, end


def find_frequencies(doc: Doc, patterns: SlotPatterns) -> list[tuple[Span, str]]:
    """(span, band) for frequency words, ranges ("infrequent to rare"), percentages and "1 in 100"."""
    terms = {t.phrase: t.band for t in patterns.frequency_terms}
    changes = set(patterns.change_words)
    modifiers = set(patterns.frequency_modifiers)
    quantifiers: dict[str, list[list[str]]] = {}  # by first word, longest first
    for phrase in sorted((q.split() for q in patterns.group_quantifiers), key=len, reverse=True):
        quantifiers.setdefault(phrase[0], []).append(phrase)
    people = set(patterns.counted_people)
    adverbs = set(patterns.frequency_adverbs)
    found: list[tuple[Span, str]] = []
    i, n = 0, len(doc)
    lows, texts = [t.lower_ for t in doc], [t.text for t in doc]  # read once: a Token is built on every doc[i]
    while i < n:
        low = lows[i]
        two = f"{low} {lows[i + 1]}" if i + 1 < n else ""
        match_len, band = (2, terms[two]) if two in terms else ((1, terms[low]) if low in terms else (0, ""))
        if match_len and i > 0 and lows[i - 1] in _COMPARING and two not in terms:
            match_len = 0  # "more frequently in women": a comparison, not a frequency
        if match_len:
            end = i + match_len
            # a range: "infrequent to rare", "common or very common"
            if end + 1 < n and lows[end] in {"to", "or"}:
                nxt2 = f"{lows[end + 1]} {lows[end + 2]}" if end + 2 < n else ""
                if nxt2 in terms:
                    band, end = f"{band};{terms[nxt2]}", end + 3
                elif lows[end + 1] in terms:
                    band, end = f"{band};{terms[lows[end + 1]]}", end + 2
            found.append((Span(doc, i, end, label="FREQUENCY"), band))
            i = end
            continue
        if low in adverbs and not (i > 0 and lows[i - 1] in _NOT_ADVERB_AFTER):
            found.append((Span(doc, i, i + 1, label="FREQUENCY"), ""))  # "sometimes cause": how often, no band
            i += 1
            continue
        if (group_end := _quantified_group(lows, i, quantifiers, people)) is not None:
            # "some patients", "nearly all of the volunteers", "not everyone": how many, in words; no band
            found.append((Span(doc, i, group_end, label="FREQUENCY"), ""))
            i = group_end
            continue
        share = None
        end = i
        number = _read_number(lows, texts, i)  # "28", "twenty-eight"
        if _PERCENT.match(texts[i]):
            share, end = _number(texts[i][:-1]), i + 1
        elif number is not None and number[1] < n and lows[number[1]] in {"%", "percent", "per"}:
            share, after = number
            end = after + 1 + (1 if lows[after] == "per" and after + 1 < n and lows[after + 1] == "cent" else 0)
        if share is not None:
            share = share / 100
        elif (fraction := _fraction_of(lows, i)) is not None:
            share, end = fraction
        elif number is not None and number[1] + 1 < n:
            k = number[1]  # the token after the (first) number
            every = 1 if k + 3 < n and lows[k + 2] == "every" else 0  # "six out of every 1,000"
            the = 1 if k + 2 < n and lows[k + 1] in ("the", "those") else 0  # "twenty of the 44 children"
            if lows[k] == "in" and _NUMBER.match(texts[k + 1]):
                a, b, end = number[0], _number(texts[k + 1]), k + 2
            elif lows[k] == "out" and k + 2 + every < n and lows[k + 1] == "of" and _NUMBER.match(texts[k + 2 + every]):
                a, b, end = number[0], _number(texts[k + 2 + every]), k + 3 + every
            elif lows[k] == "of" and k + 1 + the < n and texts[k + 1 + the].isdigit() and (_number(texts[k + 1 + the]) or 0) > 1:
                a, b, end = number[0], _number(texts[k + 1 + the]), k + 2 + the
            else:
                a = b = None
            if a is not None and b:
                share = a / b
        if share is not None and 0 <= share <= 1:
            start = i
            while start > 0 and lows[start - 1] in modifiers:
                start -= 1
            band = "" if relative_change(lows, start, end, changes) else band_for_share(share)
            found.append((Span(doc, start, end, label="FREQUENCY"), band))
            i = end
            continue
        i += 1
    return found




def _quantified_group(lows: list[str], i: int, quantifiers: dict[str, list[list[str]]], people: set[str]) -> int | None:
    """End of a quantified group of people starting at token ``i``: a quantifier ("some", "nearly all", "a few"; by
    first word, longest first), optionally "of the" / "of those" and one describing word, then a people noun ("some
    patients", "nearly all of the volunteers", "some older women"); a quantifier that names people itself ("not
    everyone") stands alone."""
    n = len(lows)
    for words in quantifiers.get(lows[i], ()):
        end = i + len(words)
        if lows[i:end] != words:
            continue
        if words[-1] in people:
            return end
        if end + 1 < n and lows[end] == "of" and lows[end + 1] in ("the", "those", "these"):
            end += 2
        if end < n and lows[end] in people:
            return end + 1
        if end + 1 < n and lows[end + 1] in people and lows[end].isalpha() and lows[end] not in people:
            return end + 2
        return None
    return None


def relative_change(lows: list[str], start: int, end: int, changes: set[str]) -> bool:
    """"cut the risk by 38 percent", "a 22 percent lower risk", "a 38 percent reduction": a percentage that says how much
    something changed, not how often it happens (``changes``: the slot patterns' ``change_words``); it is kept as the
    words but gets no frequency band."""
    before = lows[start - 1] if start > 0 else ""
    return before == "by" or (end < len(lows) and lows[end] in changes)


def find_doses(doc: Doc, patterns: SlotPatterns) -> list[Span]:
    """DOSE mentions: amounts ("40 mg", "75 milligrams a day"), dose phrases ("higher doses", "low-dose", "long-term
    use", "weekly injections"), regimens ("twice a day", "once-daily", "as needed"), the length of a course ("two weeks
    of daily treatment") and "daily" right before a drug ("daily aspirin")."""
    words, mods, units = set(patterns.dose_words), set(patterns.dose_modifiers), set(patterns.dose_units)
    durations, treatment_nouns = set(patterns.duration_units), set(patterns.treatment_nouns)
    regimens: dict[str, list[tuple[str, ...]]] = {}  # by first word, longest first
    for phrase in sorted({tuple(_regimen_tokens(r)) for r in patterns.dose_regimens}, key=len, reverse=True):
        regimens.setdefault(phrase[0], []).append(phrase)
    spans, i, n = [], 0, len(doc)
    lows, texts = [t.lower_ for t in doc], [t.text for t in doc]
    mod_prefixes = {m[:k] for m in mods for k in range(1, len(m) + 1)}  # a modifier can start at token i
    while i < n:
        regimen = next((r for r in regimens.get(lows[i], ()) if tuple(lows[i : i + len(r)]) == r), None)
        if regimen:
            spans.append(Span(doc, i, i + len(regimen), label="DOSE"))
            i += len(regimen)
            continue
        number = _NUMBER.match(texts[i])
        if _NUMBER_UNIT.match(texts[i]):  # "40mg"
            end = i + 1
        elif number and i + 1 < n and lows[i + 1] in units:  # "40 mg"
            end = i + 2
        elif number and i + 2 < n and texts[i + 1] == "-" and lows[i + 2] in units:  # "120-milligram"
            end = i + 3
        else:
            end = 0
        if end:
            if end + 1 < n and lows[end] in {"a", "per", "/"} and lows[end + 1] in {"day", "week", "kg", "dose"}:
                end += 2
            elif end < n and lows[end] == "daily":  # "81 mg daily"
                end += 1
            spans.append(Span(doc, i, end, label="DOSE"))
            i = end
            continue
        course = _course_length(doc, i, durations, treatment_nouns, mods) if number else 0
        if course:
            spans.append(Span(doc, i, course, label="DOSE"))
            i = course
            continue
        duration = _duration_after_drug(doc, i, durations) if lows[i] == "for" else 0
        if duration:
            spans.append(Span(doc, i, duration, label="DOSE"))
            i = duration
            continue
        if lows[i] not in mod_prefixes:
            i += 1
            continue
        word_end = compound_end(doc, i)  # "long-term" is three tokens
        written = "".join(texts[i:word_end]).lower()
        modifier, _, head = written.partition("-")
        if written in mods and word_end < n and lows[word_end] in words:
            spans.append(Span(doc, i, word_end + 1, label="DOSE"))
            i = word_end + 1
            continue
        if modifier in mods and head in words:  # "low-dose aspirin", "high-dose chemotherapy"
            spans.append(Span(doc, i, word_end, label="DOSE"))
            i = word_end
            continue
        if written == "daily" and _drug_follows(doc, word_end, mods, words):  # "daily aspirin", "daily low-dose aspirin"
            spans.append(Span(doc, i, word_end, label="DOSE"))
        i += 1
    return spans


_DURATION_LEAD = {"at", "least", "up", "to", "about", "nearly", "more", "than", "over", "a", "an"}


def _duration_after_drug(doc: Doc, i: int, units: set[str]) -> int:
    """One past "for five years" in "Taking tamoxifen for five years", "given rivaroxaban for at least a year": how
    long the drug is taken, right after its name; 0 when token ``i`` starts no such phrase."""
    if doc[i].lower_ != "for" or i == 0 or doc[i - 1].ent_type_ != "CHEMICAL":
        return 0
    j = i + 1
    while j < min(len(doc), i + 4) and doc[j].lower_ in _DURATION_LEAD and doc[j].lower_ not in ("a", "an"):
        j += 1
    if j < len(doc) and (_NUMBER.match(doc[j].text) or doc[j].lower_ in ("a", "an")):
        j += 1
        if j < len(doc) and doc[j].lower_ in units:
            return j + 1
    return 0


def _course_length(doc: Doc, i: int, units: set[str], nouns: set[str], mods: set[str]) -> int:
    """One past "two weeks of daily treatment", "48 weeks of therapy", "three months of EGCG treatment": how long a
    course of the drug lasted, from the number at ``i``; 0 when no such phrase starts there."""
    n = len(doc)
    if not (i + 3 < n and doc[i + 1].lower_ in units and doc[i + 2].lower_ == "of"):
        return 0
    j = i + 3
    while j < n and doc[j].lower_ in mods:  # "of daily treatment"
        j += 1
    if j < n and doc[j].ent_type_ == "CHEMICAL" and doc[j].ent_iob_ == "B":  # "of EGCG treatment", "of tamoxifen"
        j += 1
        while j < n and doc[j].ent_iob_ == "I":
            j += 1
        return j + 1 if j < n and doc[j].lower_ in nouns else j
    return j + 1 if j < n and doc[j].lower_ in nouns else 0


def _regimen_tokens(phrase: str) -> list[str]:
    """"once-daily" as the tokenizer writes it: "once", "-", "daily"."""
    return phrase.lower().replace("-", " - ").split()


def _drug_follows(doc: Doc, start: int, mods: set[str], words: set[str]) -> bool:
    """A CHEMICAL mention starts at ``start``, or right after a dose compound there ("low-dose")."""
    if start < len(doc) and doc[start].ent_type_ != "CHEMICAL":
        end = compound_end(doc, start)
        modifier, _, head = "".join(t.text for t in doc[start:end]).lower().partition("-")
        if not (modifier in mods and head in words):
            return False
        start = end
    return start < len(doc) and doc[start].ent_type_ == "CHEMICAL" and doc[start].ent_iob_ == "B"


def find_populations(doc: Doc, patterns: SlotPatterns) -> list[Span]:
    """Head noun with modifiers ("older adults") or a defining phrase ("people with multiple sclerosis")."""
    heads, mods, stop = set(patterns.population_heads), set(patterns.population_modifiers), set(patterns.population_stop)
    links = sorted((tuple(link.split()) for link in patterns.population_links), key=len, reverse=True)
    groups = group_words(patterns)
    spans, n = [], len(doc)
    lows, texts = [t.lower_ for t in doc], [t.text for t in doc]
    i = 0
    while i < n:
        if lows[i] not in heads:
            i += 1
            continue
        start = i
        while start > 0:
            word_start = compound_start(doc, start)  # "middle-aged", "high-risk" are three tokens
            if doc[word_start:start].text.lower() in mods:
                start = word_start
            elif _NUMBER.match(texts[start - 1]):
                start -= 1
                if start > 0 and lows[start - 1] == "type":
                    start -= 1  # "Type 1 diabetic patients", not "1 diabetic patients"
            else:
                break
        end = i + 1
        link = next((lk for lk in links if tuple(lows[end : end + len(lk)]) == lk), None)
        if link is not None:
            j = end + len(link)
            k = j
            while k < n and texts[k] not in _BOUNDARY and not doc[k].is_space and (lows[k] not in stop or k == j):
                k += 1
            while k > j and (lows[k - 1] in _TRAILING_GLUE or doc[k - 1].is_punct):
                k -= 1  # "adults with depression and ..." ends before the conjunction
            if k - j >= 1:
                end = k
        defined = end > i + 1 or start < i
        if defined or lows[i] in groups:
            spans.append(Span(doc, start, end, label="POPULATION"))
        i = max(end, i + 1)
    return spans


_CAUSE_LINKS = {("from",), ("due", "to"), ("caused", "by"), ("resulting", "from"), ("associated", "with")}
_QUANTIFIERS = {"various", "other", "certain", "several", "many", "some", "different", "a", "an", "the"}
_CLASS_NOUNS = load_vocabulary().words("condition_class_nouns")


def find_condition_groups(doc: Doc, heads: set[str] = frozenset()) -> list[Span]:
    """"pain from various neurological disorders", "breast cancer survivors": a condition naming whom a claim is about."""
    spans = []
    ents = list(doc.ents)
    for ent in ents:
        if ent.label_ == "CONDITION" and ent.end < len(doc) and doc[ent.end].lower_ in heads:
            spans.append(Span(doc, ent.start, ent.end + 1, label="POPULATION"))
    for prev, ent in zip(ents, ents[1:]):
        if prev.label_ != "CONDITION" or ent.label_ != "CONDITION":
            continue
        between = [t.lower_ for t in doc[prev.end : ent.start]]
        while between and between[-1] in _QUANTIFIERS:
            between.pop()
        if tuple(between) in _CAUSE_LINKS:
            start = ent.start
            while start > prev.end and doc[start - 1].lower_ in _QUANTIFIERS:
                start -= 1
            # "pain from various neurological disorders" names a group of patients; "inflammation from water
            # retention" names a cause, not whom the claim is about
            if start < ent.start or doc[ent.end - 1].lower_ in _CLASS_NOUNS:
                spans.append(Span(doc, start, ent.end, label="POPULATION"))
    return spans


def group_words(patterns: SlotPatterns) -> set[str]:
    """Every word that names a population group ("women", "older", "pregnant")."""
    return {w for words in patterns.population_groups.values() for w in words}


def is_bare_count(span: Span, heads: set[str], groups: set[str]) -> bool:
    """"303 patients", "three groups", "those": a population span that says how many, not who."""
    words = [t.lower_ for t in span]
    return all(_NUMBER.match(w) or w in heads for w in words) and not any(w in groups for w in words)


def population_group(span: Span, patterns: SlotPatterns) -> str:
    """A normalised group where obvious: age group, sex, pregnancy; else "condition-defined" or ""."""
    words = {t.lower_ for t in span}
    text = span.text.lower()
    for group, cues in patterns.population_groups.items():
        if any((c in words) if " " not in c else (c in text) for c in cues):
            return group
    if any(ent.label_ == "CONDITION" for ent in span.doc.ents if ent.start >= span.start and ent.end <= span.end):
        return "condition-defined"
    return ""


class SlotRecognizer:
    def __init__(self, nlp: Language, name: str, *, patterns: SlotPatterns):
        extensions.register()
        self.name = name
        self.patterns = patterns
        self.heads = set(patterns.population_heads)
        self.groups = group_words(patterns)

    def __call__(self, doc: Doc) -> Doc:
        frequencies = find_frequencies(doc, self.patterns)
        for span, band in frequencies:
            span._.concept_id = f"FREQ:{band}" if band else ""  # a relative change ("by 38 percent") has no band
            span._.concept_name = band.replace(";", " to ").replace("_", " ")
        doc.spans["FREQUENCY"] = [span for span, _ in frequencies]
        doc.spans["DOSE"] = find_doses(doc, self.patterns)
        populations = sorted(find_populations(doc, self.patterns) + find_condition_groups(doc, self.heads), key=lambda s: s.start)
        for span in populations:
            span._.bare_count = is_bare_count(span, self.heads, self.groups)
            group = population_group(span, self.patterns)
            if group:
                span._.concept_id = "GROUP:" + group.replace(" ", "_").replace("-", "_")
                span._.concept_name = group
        doc.spans["POPULATION"] = populations
        for label in SLOT_LABELS:
            for span in doc.spans[label]:
                span._.source = "rule"
        return doc


@Language.factory("drugclaims_slots", default_config={})
def make_slot_recognizer(nlp: Language, name: str) -> SlotRecognizer:
    return SlotRecognizer(nlp, name, patterns=load_slot_patterns())
