"""One name, one entity type per article: mentions the recognisers found are made consistent across the document.

The statistical NER decides each occurrence from its context, so one article can call "cimaglermin" a chemical
twice, a protein five times and miss it at the start of a sentence. Here every surface form (case-insensitive)
gets the label most of its occurrences have (chemical on a tie: the article's drug is what claims are about), and
occurrences that no recogniser marked are added with that label and the concept of a linked occurrence.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline import extensions
from pipeline.lexicon_ruler import qualifies_what_follows
from pipeline.rules import load_vocabulary
from pipeline.textnorm import written_in_capitals

FACTORY_NAME = "drugclaims_propagation"
MIN_CHARS = 4
LABEL_PREFERENCE = {"CHEMICAL": 2, "GENE_OR_PROTEIN": 1, "CONDITION": 0}
DRUG_NOUNS = load_vocabulary().words("drug_vote_nouns")
DRUG_VOTE = 3


NAMING = {",", "called", "named", "known", "as", "the", "new", "experimental"}


def _vote(ent: Span) -> tuple[str, int]:
    """"the drug cimaglermin", "the new drug, called TAK-875": the article says what it is."""
    doc = ent.doc
    i = ent.start - 1
    while i >= max(0, ent.start - 4) and doc[i].lower_ in NAMING:
        i -= 1
    if i >= 0 and doc[i].lower_ in DRUG_NOUNS:
        return "CHEMICAL", DRUG_VOTE
    return ent.label_, 1


def _copy(span: Span, like: Span, label: str, source: str) -> Span:
    new = Span(span.doc, span.start, span.end, label=label)
    for name in ("concept_id", "concept_name", "xrefs", "concept_candidates"):
        setattr(new._, name, getattr(like._, name))
    new._.source = source
    return new


def _form(span: Span) -> tuple[str, ...]:
    return tuple(t.lower_ for t in span)


class Propagation:
    def __init__(self, nlp: Language, name: str):
        extensions.register()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not ents:
            return doc
        forms = [_form(ent) for ent in ents]
        by_form: dict[tuple[str, ...], list[Span]] = defaultdict(list)
        for ent, form in zip(ents, forms):
            if len(ent.text) >= MIN_CHARS and any(c.isalpha() for c in ent.text):  # "17-HP", "5-HT2A" too
                by_form[form].append(ent)
        labels = {}
        for form, spans in by_form.items():
            counts = Counter()
            for span in spans:
                label, weight = _vote(span)
                counts[label] += weight
            labels[form] = max(counts, key=lambda lab: (counts[lab], LABEL_PREFERENCE.get(lab, -1)))
        linked = {form: next((s for s in spans if s._.concept_id and s.label_ == labels[form]), spans[0])
                  for form, spans in by_form.items()}
        result = [
            _copy(ent, linked[form], labels[form], ent._.source) if form in labels and ent.label_ != labels[form] else ent
            for ent, form in zip(ents, forms)
        ]
        changed = any(a is not b for a, b in zip(result, ents))
        covered = {i for e in ents for i in range(e.start, e.end)}
        first_tokens = defaultdict(list)
        for form in labels:
            first_tokens[form[0]].append(form)
        acronyms = {form for form, spans in by_form.items() if all(written_in_capitals(s.text) for s in spans)}
        added = []
        for token in doc:
            if token.i in covered or token.lower_ not in first_tokens:
                continue
            for form in first_tokens[token.lower_]:
                end = token.i + len(form)
                if end <= len(doc) and _form(doc[token.i : end]) == form and not any(i in covered for i in range(token.i, end)):
                    if labels[form] == "CHEMICAL" and qualifies_what_follows(doc[token.i : end]):
                        break  # "the opioid system" names no drug, whatever "opioid" meant elsewhere
                    if form in acronyms and not written_in_capitals(doc[token.i : end].text):
                        break  # "AIDS" recognised does not make "hearing aids" a disease
                    added.append(_copy(Span(doc, token.i, end), linked[form], labels[form], "propagated"))
                    break
        covered |= {i for e in added for i in range(e.start, e.end)}
        added += _initials(doc, result, covered)
        if added:
            result = filter_spans(result + added)
            changed = True
        if changed:
            doc.ents = sorted(result, key=lambda e: e.start)
        return doc


# words a name's initials leave out ("disease of the heart", "hand, foot and mouth disease")
_NOT_INITIALLED = load_vocabulary().words("not_initialled_words")


def _initials(doc: Doc, ents: list[Span], covered: set[int]) -> list[Span]:
    """"MS" in an article that names multiple sclerosis, without defining the short form: a word in capitals that
    spells the initials of a condition the article names (words and punctuation only, two to five words besides
    those of ``_NOT_INITIALLED``) is that condition wherever no recogniser marked it."""
    by_initials: dict[str, Span] = {}
    for ent in ents:
        if ent.label_ != "CONDITION" or not all(t.is_alpha or t.is_punct for t in ent):
            continue  # "type 2 diabetes": a number has no initial
        words = [t for t in ent if t.lower_ not in _NOT_INITIALLED and not t.is_punct]
        if 2 <= len(words) <= 5:
            by_initials.setdefault("".join(t.text[0] for t in words).upper(), ent)
    if not by_initials:
        return []
    return [_copy(Span(doc, token.i, token.i + 1), by_initials[token.text], "CONDITION", "propagated")
            for token in doc if token.i not in covered and token.text in by_initials and token.is_upper]


@Language.factory(FACTORY_NAME, default_config={})
def make_propagation(nlp: Language, name: str) -> Propagation:
    return Propagation(nlp, name)
