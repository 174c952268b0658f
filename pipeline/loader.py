"""Assemble the extraction pipeline: trained NER (when shipped) + scispaCy components + the project's rules."""
from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

# Registering the components is the only import-time effect, and it happens here, in one place.
import scispacy.abbreviation  # noqa: F401  registers "abbreviation_detector"
from pipeline import (  # noqa: F401
    abbreviations, claim_phrases, claims, context, cue_scope, enumerations, gazetteer, lexicon_ruler, linking,
    name_filter, paths, propagation, sentences, slots, textnorm, tokenizer,
)
from pipeline import blas, lexicon_build, linker_index, mesh_vocab
from pipeline.linker_index import index_is_current
from pipeline.paths import DATA_DIR, MODELS_DIR

from pipeline import PIPELINE_NAME
NER_MODEL_DIR = MODELS_DIR / "ner"


def _blank() -> Language:
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": tokenizer.TOKENIZER_NAME}}})


def load(
    *, ner_model: Path | None = NER_MODEL_DIR, use_linker: bool = True, calibrate: bool = True, claims: dict | None = None
) -> Language:
    """The full pipeline. ``ner_model=None`` (or a missing model) gives the dictionary-and-rules pipeline;
    ``calibrate=False`` leaves claim confidences uncalibrated (used to fit the calibration)."""
    # scispaCy's abbreviation detector keeps an empty global matcher by design; its W036 warning is noise here
    warnings.filterwarnings("ignore", message=r"\[W036\]")
    if ner_model is not None and (Path(ner_model) / "config.cfg").exists():
        nlp = blas.load_model(ner_model)
    else:
        nlp = _blank()
    nlp.add_pipe("drugclaims_sentences", first=True)
    nlp.add_pipe("drugclaims_lexicon_ruler")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("drugclaims_abbreviations")
    if use_linker:
        _add_linker(nlp)
    nlp.add_pipe("drugclaims_name_filter")
    nlp.add_pipe("drugclaims_propagation")
    nlp.add_pipe("drugclaims_slots")
    nlp.add_pipe("drugclaims_context")
    nlp.add_pipe("drugclaims_claims", config={"calibrate": calibrate, **(claims or {})})
    nlp.meta["name"] = PIPELINE_NAME
    return nlp


def _add_linker(nlp: Language) -> None:
    """scispaCy's linker over the project's KB links the mentions the dictionary did not (`make lexicon` builds it)."""
    if index_is_current(paths.concepts_path(), linking.default_index_dir()):
        nlp.add_pipe(linking.FACTORY_NAME)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Package version + a fingerprint of the rules, lexicon data and shipped model: changes when output may."""
    from pipeline import __version__

    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.json")) + sorted(p for p in MODELS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for module in (claims, claim_phrases, cue_scope, context, slots, sentences, lexicon_ruler, abbreviations, enumerations,
                   name_filter, propagation, tokenizer, textnorm, gazetteer, linking, linker_index, lexicon_build,
                   mesh_vocab):  # last 3: KB
        digest.update(Path(module.__file__).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
