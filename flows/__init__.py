"""Prefect flows that orchestrate the ``pipeline`` library: read corpora, batch, run, write tables."""
