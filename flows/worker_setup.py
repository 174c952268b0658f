"""Set-up of the flow's local Dask workers, run in each worker process as a Dask preload (``dask_setup``).

When the flow starts its own local cluster with no more workers than the CPUs this process may use, worker *i* is
pinned to the *i*-th of those CPUs (every thread of the process, and the threads it starts later inherit it).
Measured on the 2-core machine, 800 articles on two workers: 38.1-39.1 s pinned against 41.1-43.2 s unpinned —
unpinned, the operating system keeps moving the workers, Prefect's server and the flow process between the two
cores, and each move costs the worker its warm caches. Existing clusters (``--dask-address``) are not touched.
"""
from __future__ import annotations

import os

import dask

PIN_KEY = "drugclaims.pin-local-workers"  # the number of local workers, set by flows.settings.tune_local_workers


def pin_cpu(index: int, n_workers: int) -> int | None:
    """The CPU worker ``index`` of ``n_workers`` is pinned to, or None (too many workers, or no affinity API)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if n_workers < 2 or n_workers > len(cpus) or not 0 <= index < n_workers:
        return None
    return cpus[index]


def dask_setup(worker) -> None:
    n_workers = int(dask.config.get(PIN_KEY, 0) or 0)
    if not isinstance(worker.name, int):
        return
    cpu = pin_cpu(worker.name, n_workers)
    if cpu is None:
        return
    for thread_id in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(thread_id), {cpu})
        except OSError:  # a thread that ended meanwhile
            pass
