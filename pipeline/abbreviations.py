"""Abbreviations count as their long form: "gamma-aminobutyric acid (GABA)" makes every "GABA" the same concept.

scispaCy's ``abbreviation_detector`` (Schwartz & Hearst, 2003) finds the short/long pairs; this component copies the
long form's label and concept onto each occurrence of the short form.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline import extensions


def looks_like_abbreviation(short: Span) -> bool:
    """A short form writes capitals or digits ("GABA", "5-HT", "VX-770"): Schwartz & Hearst's search also pairs plain
    words in brackets with the words before them ("aspirin (one study)"), which would make every "one study" a drug."""
    return any(ch.isupper() or ch.isdigit() for ch in short.text)


def _initials_match(acronym: str, long_ent: Span) -> bool:
    """"AMD" for "Age-related macular degeneration": the letters are word initials of the long form, in order, and
    the first letters agree."""
    initials = [w[0].lower() for t in long_ent for w in t.text.replace("-", " ").split() if w[:1].isalnum()]
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    it = iter(initials)
    return all(any(c == i for i in it) for c in letters)


def or_acronyms(doc: Doc) -> list[tuple[Span, Span]]:
    """"Age-related macular degeneration, or AMD, is ...": an acronym given after ", or" names the mention before it
    (the pattern the bracket-based detector does not see)."""
    found = []
    for ent in doc.ents:
        i = ent.end
        if i + 2 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ == "or":
            short = doc[i + 2 : i + 3]
            word = short.text
            if 2 <= len(word) <= 8 and word.isupper() and word.isalpha() and _initials_match(word, ent):
                found.append((short, ent))
    return found


def _covering_entity(doc: Doc, long_form: Span) -> Span | None:
    """The mention the long form names: the longest one inside it that ends where it ends (its head word).
    "Wiskott-Aldrich syndrome protein (WASP)", "breast cancer 1 (BRCA1)": a disease name inside a gene's or
    protein's long form does not make the short form a disease."""
    candidates = [e for e in doc.ents if e.start >= long_form.start and e.end == long_form.end]
    return max(candidates, key=len) if candidates else None


class AbbreviationResolver:
    def __init__(self, nlp: Language, name: str):
        extensions.register()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        pairs = [(short, _covering_entity(doc, short._.long_form))
                 for short in getattr(doc._, "abbreviations", None) or [] if looks_like_abbreviation(short)]
        pairs += or_acronyms(doc)
        if not pairs:
            return doc
        new_ents, annotations = [], []
        for short, long_ent in pairs:
            if long_ent is None:
                continue
            existing = {(e.start, e.end): e for e in doc.ents}
            first = short[0].text
            for i in range(len(doc) - len(short) + 1):
                if doc[i].text != first or doc[i : i + len(short)].text != short.text:
                    continue
                key = (i, i + len(short))
                span = existing.get(key) or Span(doc, i, i + len(short), label=long_ent.label_)
                if span.label_ != long_ent.label_:
                    span = Span(doc, i, i + len(short), label=long_ent.label_)
                new_ents.append(span)
                annotations.append((span, long_ent))
        if not new_ents:
            return doc
        keep = [e for e in doc.ents if not any(e.start < n.end and n.start < e.end for n in new_ents)]
        doc.ents = sorted(keep + filter_spans(new_ents), key=lambda s: s.start)
        for span, long_ent in annotations:
            for ent in doc.ents:
                if ent.start == span.start and ent.end == span.end:
                    ent._.concept_id = long_ent._.concept_id
                    ent._.concept_name = long_ent._.concept_name
                    ent._.xrefs = long_ent._.xrefs
                    ent._.source = ent._.source or "abbreviation"
        return doc


@Language.factory("drugclaims_abbreviations", default_config={})
def make_abbreviation_resolver(nlp: Language, name: str) -> AbbreviationResolver:
    return AbbreviationResolver(nlp, name)
