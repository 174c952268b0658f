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
    # INFO reaches the Prefect API (per-batch logs in the UI); the console shows warnings and errors only
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DASK_TEMPORARY_DIRECTORY", str(REPO_DIR / ".dask"))
    # the local server Prefect starts for a flow gets 20 s by default; a busy 2-core machine (a second flow, a test
    # suite) has needed longer, and the run then fails before it starts
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def quiet_run_errors_on_console() -> None:
    """The CLI reports a failed run in one line: drop Prefect's own console copy of flow/task-run errors."""
    import logging

    def keep(record: logging.LogRecord) -> bool:
        return not (record.name.startswith(("prefect.flow_runs", "prefect.task_runs")) and record.levelno >= logging.ERROR)

    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler":
            handler.addFilter(keep)


def share_api_with_workers() -> str:
    """Worker processes started from here must report to this process's Prefect API, not start their own.

    Uses the configured API (``PREFECT_API_URL``, a test harness) or starts Prefect's local server now (as the first
    flow would), and exports its URL so spawned Dask workers inherit it. Returns the URL.
    """
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()
        url = server.api_url
    os.environ["PREFECT_API_URL"] = url
    return url


def keep_malloc_defaults_in_workers() -> None:
    """Local Dask workers keep glibc's default allocator tuning.

    Dask's nanny exports ``MALLOC_TRIM_THRESHOLD_=65536`` to the workers it spawns. Setting that variable also
    switches off glibc's adaptive mmap threshold, so every NumPy buffer above 128 kB is mapped and unmapped again:
    the page faults made each spaCy worker ~35 % slower than the same work in one process here. The flow already
    returns freed memory after every batch (``flows.batch.release_freed_memory``), so the variable buys nothing.
    The thread-count variables (one BLAS thread per worker) are kept.
    """
    import dask
    import distributed  # noqa: F401  (loads distributed's defaults first, so they cannot put the value back)

    dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})  # None: not exported


def tune_local_workers(n_workers: int) -> None:
    """Settings for a local cluster the flow (or the benchmark) starts itself, inherited by its worker processes:
    glibc's allocator defaults kept (above), Dask's statistical profiler off (it samples the worker's stack every
    10 ms; nobody reads it here), and each worker pinned to its own CPU (``flows.worker_setup``)."""
    import dask

    from flows.worker_setup import PIN_KEY

    keep_malloc_defaults_in_workers()
    preload = list(dask.config.get("distributed.worker.preload", []) or [])
    if "flows.worker_setup" not in preload:
        preload.append("flows.worker_setup")
    dask.config.set({
        "distributed.worker.profile.enabled": False,
        "distributed.worker.preload": preload,
        PIN_KEY: n_workers,
    })


def local_cluster_kwargs(n_workers: int) -> dict:
    """Prepare this process for a local Dask cluster of ``n_workers`` (Prefect API shared with the workers, worker
    settings of :func:`tune_local_workers`) and return the ``LocalCluster`` arguments the flow and the benchmark use."""
    share_api_with_workers()
    tune_local_workers(n_workers)
    return {"n_workers": n_workers, "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}
