"""Shared fixtures: the real pipeline (loaded once), the shared corpora folder, a Prefect test harness."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.settings import configure_prefect_env

configure_prefect_env()

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    from pipeline.paths import shared_dir as resolve

    path = resolve()
    if not (path / "seeds").is_dir():
        pytest.fail(f"shared data folder not found at {path}: set DRUGCLAIMS_SHARED or place ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def nlp():
    from pipeline import load

    return load()


@pytest.fixture(scope="session")
def rules_nlp():
    """The dictionary-and-rules pipeline without the trained NER and linker (fast unit checks)."""
    from pipeline import load

    return load(ner_model=None, use_linker=False)


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def env(monkeypatch):
    return monkeypatch


def pytest_configure(config):
    os.environ.setdefault("DRUGCLAIMS_SHARED", str(REPO.parent / "shared"))
