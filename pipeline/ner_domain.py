"""Which corpus's annotation convention the NER follows: a domain feature on every token.

The training corpora disagree on boundaries: BC5CDR leaves "severe" and "acute" outside most disease names, ADE keeps
them in its adverse effects, NCBI and PsyTAR have their own habits (docs/NER.md). One model trained on all of them
learns a compromise. With the domain feature, each training document carries its corpus's name in ``Token.morph``
(``Domain=Bc5cdr``), which the tok2vec embeds like any other token attribute; a share of the documents carries no
domain, so the model also learns the convention-free mode that the product runs in (no domain set). The evaluation
sets a corpus's own domain when it scores that corpus (``python -m pipeline.evaluate --domain corpus``).

At run time the domain is a setting of the gazetteer component, which runs before the tok2vec:
``nlp.get_pipe("gazetteer").domain = "bc5cdr"``; ``""`` (the default) leaves the tokens without one.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.training.augment import make_lowercase_variant

FEATURE = "Domain"
# how an evaluation runs a model: "general" without a domain, as the product does; "corpus" in each corpus's own
MODES = ("general", "corpus")
USER_DATA_KEY = "drugclaims_domain"  # where a training Doc (DocBin with user data) keeps its domain
AUGMENTER_NAME = "drugclaims.domain_augmenter.v1"


class UnknownDomainError(ValueError):
    """A domain name that is not a plain lower-case corpus name."""


def morph_value(domain: str) -> str:
    """``"ncbi_disease"`` -> ``"Domain=NcbiDisease"`` (a morphological feature value has no underscore)."""
    if not domain.replace("_", "").isalnum() or domain != domain.lower():
        raise UnknownDomainError(f"domain {domain!r}: use a corpus name such as 'bc5cdr' or 'ncbi_disease'")
    return f"{FEATURE}=" + "".join(part.capitalize() for part in domain.split("_"))


def set_domain(doc: Doc, domain: str) -> Doc:
    """Every token of ``doc`` carries ``domain`` (``""``: none)."""
    if domain:
        value = morph_value(domain)
        for token in doc:
            token.set_morph(value)
    return doc


@spacy.registry.augmenters(AUGMENTER_NAME)
def create_domain_augmenter(level: float) -> Callable[[Language, Example], Iterator[Example]]:
    """Corpus augmenter: lower-cases a share ``level`` of the examples, drawing as spaCy's ``lower_case.v1`` does (so
    it can replace it by a config override), and gives the text the model reads the domain its reference Doc was
    stored with. ``level = 0`` draws nothing (the dev corpus: the training run's random numbers stay the same)."""

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        domain = example.reference.user_data.get(USER_DATA_KEY, "")
        if level and random.random() < level:
            example = make_lowercase_variant(nlp, example)
        set_domain(example.predicted, domain)
        yield example

    return augment


def domain_for(mode: str, corpus: str) -> str:
    """The domain an evaluation in ``mode`` (:data:`MODES`) gives the model on ``corpus``."""
    if mode not in MODES:
        raise ValueError(f"unknown domain mode {mode!r}: one of {', '.join(MODES)}")
    return corpus if mode == "corpus" else ""


def _domain_component(nlp: Language):
    """The component that sets the domain (the NER model's gazetteer), or None."""
    return next((proc for _, proc in nlp.pipeline if hasattr(proc, "domains")), None)


def model_domains(nlp: Language) -> tuple[str, ...]:
    """The corpus domains the NER of ``nlp`` was trained with (the gazetteer's ``domains`` setting; may be empty)."""
    component = _domain_component(nlp)
    return tuple(component.domains) if component is not None else ()


@contextmanager
def corpus_domain(nlp: Language, domain: str):
    """The NER follows ``domain``'s convention inside the block; a no-op for ``""`` and for a domain the model was
    not trained with (CADEC, or any corpus for a model trained without domains)."""
    component = _domain_component(nlp)
    if not domain or component is None or domain not in component.domains:
        yield
        return
    before, component.domain = component.domain, domain
    try:
        yield
    finally:
        component.domain = before
