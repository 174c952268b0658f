"""drugclaims' NLP library: ``from pipeline import load; nlp = load()`` gives the pipeline the flow uses."""
from __future__ import annotations

from pipeline.loader import PIPELINE_NAME, load, pipeline_version

__all__ = ["load", "pipeline_version", "PIPELINE_NAME"]
__version__ = "0.1.0"
