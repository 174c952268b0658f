"""The output folder: one run at a time (an ``fcntl.flock`` lock file), and recovery after a killed run."""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.tables_io import recover_pending

LOCK_NAME = ".lock"
STAGING = ".staging"


class OutputLockedError(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def output_lock(out_dir: Path, *, wait_s: float = 0.0) -> Iterator[Path]:
    """Hold ``OUT/.lock`` for the whole run; wait up to ``wait_s`` seconds for another run, else refuse."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    handle = open(path, "a+")
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as e:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise OutputLockedError(
                        f"another run is writing {out_dir} (lock {path}, held by pid {holder}); wait for it to finish "
                        f"or give --wait-lock SECONDS"
                    ) from e
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock (also when the process dies)


def prepare(out_dir: Path) -> list[str]:
    """Under the lock: finish or discard a killed run's table commit, drop its staged batches. Returns what it did."""
    done = recover_pending(out_dir)
    staging = Path(out_dir) / STAGING
    if staging.exists():
        for stale in sorted(staging.iterdir()):
            shutil.rmtree(stale, ignore_errors=True)
            done.append(f"removed staged batches of an interrupted run: {stale.name}")
    return done
