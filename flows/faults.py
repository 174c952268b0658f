"""Named points of a run where a test can kill the process (crash-safety tests): ``DRUGCLAIMS_KILL_AT=<point>``.

Points: ``planned`` (corpus scanned), ``batch-staged`` (a batch's parts staged), ``tables-pending`` (every new table
written beside the old ones, not yet committed), ``tables-committing`` (the first new table moved into place).
"""
from __future__ import annotations

import os
import signal

KILL_ENV = "DRUGCLAIMS_KILL_AT"


def checkpoint(point: str) -> None:
    """SIGKILL this process when ``$DRUGCLAIMS_KILL_AT`` names ``point`` (a no-op otherwise)."""
    if os.environ.get(KILL_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
