"""Pinning of the flow's own local Dask workers (flows.worker_setup)."""
from __future__ import annotations

import os

import pytest

from flows.worker_setup import pin_cpu


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity API on this platform")
def test_pin_cpu_gives_each_local_worker_its_own_cpu_or_none():
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2:
        assert [pin_cpu(i, 2) for i in range(2)] == cpus[:2]
    assert pin_cpu(0, len(cpus) + 1) is None  # more workers than CPUs: the OS schedules them
    assert pin_cpu(0, 1) is None  # one worker: nothing to separate
    assert pin_cpu(5, 2) is None


def test_tune_local_workers_sets_what_the_workers_inherit():
    import copy

    import dask
    import distributed  # noqa: F401  (its defaults join dask.config on import: load them before the snapshot)

    from flows.settings import tune_local_workers
    from flows.worker_setup import PIN_KEY

    saved = copy.deepcopy(dask.config.config)
    try:
        tune_local_workers(2)
        assert "flows.worker_setup" in dask.config.get("distributed.worker.preload")
        assert dask.config.get("distributed.worker.profile.enabled") is False
        assert dask.config.get(PIN_KEY) == 2
        assert dask.config.get("distributed.nanny.pre-spawn-environ").get("MALLOC_TRIM_THRESHOLD_") is None
    finally:
        dask.config.config.clear()
        dask.config.config.update(saved)
