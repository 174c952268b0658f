"""Items of an enumeration of effects that the entity recognisers missed.

"The most common side effects included nasal discomfort, colds, sneezing and nosebleeds": when a side-effect
cue introduces a comma/"and" list and at least one item is a recognised CONDITION, the other short items of the
same list are effects too (the writer listed them as such). Each item becomes a CONDITION span that the claims
component treats like a recognised effect; it is not added to ``doc.ents`` (the mentions table keeps what the
recognisers found).
"""
from __future__ import annotations

from spacy.tokens import Span

from pipeline.rules import load_vocabulary

LIST_START = {"include", "includes", "included", "including", "were", "was", "are", "is", ":", "as", "like"}
SEPARATORS = {",", ";", "and", "or", "and/or"}
LEADING = {"and", "or", "a", "an", "the", "some", "occasional", "other"}
# a word that ends the list: the sentence moves on to another clause
LIST_END = {".", ")", "compared", "than", "but", "which", "who", "that", "while", "although", "though", "among",
            "in", "for", "when", "if", "because", "after", "before", "during", "versus", "vs", "—", "–", "according"}
# "and the drug was well tolerated", "twice as many did so": a clause, not an item
CLAUSE_WORDS = {"was", "were", "is", "are", "be", "been", "did", "do", "does", "had", "has", "have", "so", "it", "they",
                "drug", "drugs", "medication", "treatment", "observed", "seen", "reported", "noted", "said", "says", "company", "any"}
PREPOSITIONS = {"of", "in", "on", "at", "for", "with", "from", "to", "by", "into"}
NOT_ITEMS = {"others", "more", "etc", "many", "few", "other", "symptoms", "problems", "effects", "side", "events"}
# "high or increased blood pressure": a modifier shared with the next item is not an item of its own
MODIFIERS = load_vocabulary().words("effect_modifiers")
MAX_ITEM_TOKENS = 4
MAX_LEAD_TOKENS = 12


def _start(sent: Span, cue_end: int, conditions: list[Span]) -> int | None:
    """Where the list begins: after a listing word ("included", ":") or at the first recognised item."""
    doc = sent.doc
    limit = min(sent.end, cue_end + MAX_LEAD_TOKENS)
    first_condition = next((c.start for c in conditions if cue_end <= c.start < limit), None)
    for i in range(cue_end, limit):
        if first_condition is not None and i >= first_condition:
            break
        if doc[i].lower_ in LIST_START:
            return i + 1 + (doc[i].lower_ == "as" and i + 1 < sent.end and doc[i + 1].lower_ == "well")
    if first_condition is not None and cue_end <= first_condition:
        return first_condition
    return None


def _items(sent: Span, start: int) -> list[tuple[int, int]]:
    """Token ranges of the list's items from ``start`` until the list ends."""
    doc = sent.doc
    items, begin, i = [], start, start
    while i <= sent.end:
        token = doc[i] if i < sent.end else None
        if token is not None and token.text == "(":  # "cold symptoms (nasopharyngitis)": part of the item
            close = next((j for j in range(i + 1, sent.end) if doc[j].text == ")"), None)
            if close is None:
                break
            if i > begin and i - begin <= MAX_ITEM_TOKENS + 2:
                items.append((begin, i))
            i = begin = close + 1
            if i < sent.end and doc[i].lower_ in SEPARATORS:
                begin = i + 1
                i += 1
            continue
        if token is None or token.lower_ in SEPARATORS or token.lower_ in LIST_END or token.is_space:
            if i > begin:
                if i - begin > MAX_ITEM_TOKENS + 2:
                    break  # a clause, not a list item: the list is over
                items.append((begin, i))
            if token is None or token.lower_ in LIST_END:
                break
            begin = i + 1
        i += 1
    return items


def _names_an_effect_of(doc, begin: int, end: int, ents: list[Span]) -> bool:
    """"thyroid imbalances", "elevated lipase": an item whose only recognised mentions are chemicals or proteins
    that its other words turn into an effect (a modifier before a protein, a noun after a chemical)."""
    inside = [e for e in ents if begin <= e.start and e.end <= end]
    if not inside or any(e.label_ == "CONDITION" for e in ents if e.start < end and begin < e.end):
        return False
    if any(e.start < begin or e.end > end for e in ents if e.start < end and begin < e.end):
        return False  # a mention that runs over the item's edge: not an item of its own
    last = max(e.end for e in inside)
    if last < end:  # "thyroid imbalances": the head noun follows the chemical
        return all(doc[i].is_alpha and doc[i].is_lower for i in range(last, end))
    while begin < end and doc[begin].lower_ in LEADING:
        begin += 1
    first = min(e.start for e in inside)  # "elevated lipase": a change in a protein's level
    return inside[-1].label_ == "GENE_OR_PROTEIN" and first > begin and all(doc[i].lower_ in MODIFIERS for i in range(begin, first))


def missed_list_items(sent: Span, cue_ends: list[int], ents: list[Span]) -> list[Span]:
    """CONDITION spans for the unrecognised items of effect lists introduced by the cues ending at ``cue_ends``."""
    doc = sent.doc
    conditions = [e for e in ents if e.label_ == "CONDITION"]
    covered = {i for e in ents for i in range(e.start, e.end)}
    found: list[Span] = []
    for cue_end in cue_ends:
        start = _start(sent, cue_end, conditions)
        if start is None:
            continue
        items = _items(sent, start)
        recognised = [it for it in items if any(i in covered for i in range(*it))]
        if not recognised or len(items) < 2:
            continue  # not shown to be a list of effects
        for begin, end in items:
            if any(i in covered for i in range(begin, end)) and not _names_an_effect_of(doc, begin, end, ents):
                continue
            while begin < end and doc[begin].lower_ in LEADING:
                begin += 1
            words = doc[begin:end]
            if not 1 <= len(words) <= MAX_ITEM_TOKENS:
                continue
            if any(not (t.is_alpha or t.text in {"-", "/"} or "-" in t.text or "/" in t.text) for t in words):
                continue
            if all(t.lower_ in MODIFIERS for t in words) or any(t.lower_ in CLAUSE_WORDS for t in words):
                continue
            if words[0].lower_ in PREPOSITIONS:
                continue  # "bone death, or osteonecrosis, of the jaw": the rest of an item, not one of its own
            if any(t.is_title and t.i != sent.start for t in words) or words[-1].lower_ in NOT_ITEMS:
                continue  # a name, or a word that is not an effect
            if any(s.start == begin for s in found):
                continue
            found.append(Span(doc, begin, end, label="CONDITION"))
    return found
