"""drugclaims' NLP library: ``from pipeline import load; nlp = load()`` gives the pipeline the flow uses."""
from __future__ import annotations

__version__ = "0.1.0"
PIPELINE_NAME = "drugclaims"


def load(**settings):
    """The full extraction pipeline (trained NER, dictionary, abbreviations, linker, slots, context, claims).

    Keyword settings are those of :func:`pipeline.loader.load`.
    """
    from pipeline.loader import load as _load

    return _load(**settings)


def pipeline_version() -> str:
    """Package version + fingerprint of rules, lexicon data, model and code that shape the output."""
    from pipeline.loader import pipeline_version as _version

    return _version()


__all__ = ["load", "pipeline_version", "PIPELINE_NAME", "__version__"]
