"""Event rates of two trial arms named in one sentence.

"13.0 percent of patients on Victoza died from cardiovascular causes or suffered non-fatal heart attacks or strokes,
against 14.9 percent of those on placebo": the events the sentence counts are fewer on the drug, so they are no
harm of it, whatever verb counts them, but what the trial says the drug prevents.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.claim_phrases import COMPARATOR_WORDS  # the comparison arm takes no medicine: a placebo or nothing
from pipeline.rules import load_vocabulary

_PERCENT = load_vocabulary().words("percent_words")
_COMPARISON = {"against", "versus", "vs", "vs.", "compared", "than"}
# the other arm: no medicine (a placebo, "the group that did not take the drug") or the usual care the drug is added
# to ("standard treatment")
_OTHER_ARM = COMPARATOR_WORDS | load_vocabulary().words("usual_care_words") | {"not", "no"}
_WINDOW = 10


def _rate(doc: Doc, i: int) -> float | None:
    """The number at token i when a percent word follows it ("13.0 percent", "14.9 %")."""
    if i + 1 >= len(doc) or doc[i + 1].lower_ not in _PERCENT:
        return None
    try:
        return float(doc[i].text.replace(",", ""))
    except ValueError:
        return None


def arm_rates(doc: Doc, sent: Span, drug_start: int, drug_end: int) -> tuple[float, float] | None:
    """(the drug arm's rate, the other arm's rate) when a percentage comes at most ten tokens before the drug and a
    comparison word after the drug leads to a percentage of a placebo, control or standard-care arm; else None."""
    own = None
    for i in range(max(sent.start, drug_start - _WINDOW), drug_start):
        rate = _rate(doc, i)
        if rate is not None:
            own = rate
    if own is None:
        return None
    for i in range(drug_end, sent.end):
        if doc[i].lower_ not in _COMPARISON:
            continue
        for j in range(i + 1, min(sent.end, i + _WINDOW)):
            other = _rate(doc, j)
            if other is not None:
                arm = doc[j + 2 : min(sent.end, j + 2 + _WINDOW)]
                return (own, other) if any(t.lower_ in _OTHER_ARM for t in arm) else None
        return None
    return None
