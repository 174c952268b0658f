"""The custom attributes this project sets on Docs and Spans, registered once, with immutable defaults."""
from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_EXTENSIONS = {
    "concept_id": "",
    "concept_name": "",
    "xrefs": (),
    "concept_candidates": (),  # ((concept_id, score), ...) from the linker
    "source": "",  # which recogniser found the mention: model, lexicon, rule, abbreviation
    "negated": False,
    "hedged": False,
    "bare_count": False,  # a POPULATION that says how many ("303 patients"), not who: not a claim's population
}
DOC_EXTENSIONS = {
    "article_id": "",
    "claims": (),  # tuple[pipeline.records.Claim, ...], set by the claims component
    "heading_sents": (),  # (start_char, end_char) of heading lines: they state no claim of their own
}


def register() -> None:
    """Idempotent: components call it when they are created, so importing stays side-effect free."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
