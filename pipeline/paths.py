"""Where the project finds its shared corpora, its build cache and its packaged data."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
MODELS_DIR = PACKAGE_DIR / "models"


def shared_dir() -> Path:
    """The folder of public corpora and articles: ``$DRUGCLAIMS_SHARED`` or ``../shared`` beside the repository."""
    return Path(os.environ.get("DRUGCLAIMS_SHARED", REPO_DIR.parent / "shared")).resolve()


def cache_dir() -> Path:
    """The git-ignored build cache (lexicons, linker index): ``$DRUGCLAIMS_CACHE`` or ``<repo>/.cache``."""
    return Path(os.environ.get("DRUGCLAIMS_CACHE", REPO_DIR / ".cache")).resolve()


def lexicon_dir() -> Path:
    return cache_dir() / "lexicon"


def concepts_path() -> Path:
    """The knowledge base every recogniser and linker reads (JSONL, scispaCy's KB format plus xrefs)."""
    return lexicon_dir() / "concepts.jsonl"
