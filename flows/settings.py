"""Process settings for running Prefect offline inside the project (no server to start, no telemetry)."""
from __future__ import annotations

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def configure_prefect_env() -> None:
    """Defaults only: a user's own PREFECT_* settings win. Call before importing prefect."""
    os.environ.setdefault("PREFECT_HOME", str(REPO_DIR / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DASK_TEMPORARY_DIRECTORY", str(REPO_DIR / ".dask"))
