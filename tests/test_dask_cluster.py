"""The flow on a real Dask cluster (a scheduler and two single-thread workers on 127.0.0.1) gives the local tables."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from flows.extract import extract_claims, run_extract

REPO = Path(__file__).resolve().parent.parent
DASK = str(Path(sys.executable).with_name("dask"))
TEXTS = [
    "Ibuprofen can cause stomach ulcers in older adults.",
    "Metformin treats type 2 diabetes. It may lower vitamin B12 levels.",
    "Stopping paroxetine suddenly can cause dizziness.",
    "Warfarin interacts with aspirin and raises the risk of bleeding.",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_workers(address: str, n: int, timeout: float) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture()
def dask_cluster(prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONPATH=str(REPO),
               DASK_TEMPORARY_DIRECTORY=str(tmp_path / "dask"), DASK_DISTRIBUTED__WORKER__DAEMON="False")
    logs = open(tmp_path / "dask.log", "w")
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=REPO, env=env, stdout=logs, stderr=subprocess.STDOUT)]
    try:
        for i in range(2):
            procs.append(subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--nworkers", "1", "--memory-limit", "3GB", "--no-dashboard",
                 "--host", "127.0.0.1", "--death-timeout", "60", "--local-directory", str(tmp_path / f"w{i}")],
                cwd=REPO, env=env, stdout=logs, stderr=subprocess.STDOUT))
        _wait_for_workers(address, 2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        deadline = time.monotonic() + 15
        for proc in reversed(procs):
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        logs.close()


def test_dask_cluster_run_matches_local_run(dask_cluster, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(TEXTS):
        (corpus / f"a{i}.txt").write_text(text)
    summary = run_extract(str(corpus), str(tmp_path / "dask-out"), dask_address=dask_cluster, batch_size=2)
    assert summary["batches"] == 2 and summary["articles_analysed"] == 4
    extract_claims(str(corpus), str(tmp_path / "local-out"), batch_size=2)
    for table in ("articles", "mentions", "claims"):
        on_dask, local = (pd.read_parquet(tmp_path / d / f"{table}.parquet").drop(columns=["processed_at"], errors="ignore")
                          for d in ("dask-out", "local-out"))
        pd.testing.assert_frame_equal(on_dask, local)
