"""Readers for the annotated corpora in ``../shared/corpora``, one module per file format.

Every reader returns :class:`~pipeline.corpora.types.Document` objects whose mentions carry the corpus's own
type names; :mod:`pipeline.corpora.labels` maps those onto the project's labels.
"""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.corpora.types import Document, Mention

__all__ = ["Document", "Mention", "default_corpora_dir"]


def default_corpora_dir() -> Path:
    """``$DRUGCLAIMS_SHARED/corpora``, defaulting to ``<repo>/../shared/corpora``."""
    shared = os.environ.get("DRUGCLAIMS_SHARED")
    root = Path(shared) if shared else Path(__file__).resolve().parents[2].parent / "shared"
    return root / "corpora"
