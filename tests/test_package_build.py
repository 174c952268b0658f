"""The package builds from pyproject.toml and runs from a fresh virtual environment, away from the checkout."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def test_package_build_fresh_venv_runs_the_flow(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)], check=True, timeout=600)
    wheel = next(wheels.glob("drugclaims-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True, timeout=600)
    # the pinned dependencies come from the project's environment (a plain path entry: its .pth files, the
    # editable install among them, are not processed), so the package itself is the freshly installed wheel
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "zz_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "DRUGCLAIMS_CACHE": str(REPO / ".cache"), "PREFECT_HOME": str(tmp_path / "prefect")}
    where = subprocess.run([str(python), "-c", "import pipeline, review, flows; print(pipeline.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where, where
    out = tmp_path / "out"
    proc = subprocess.run([str(python), "-m", "flows.extract", str(REPO / "corpus"), "--out", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "claims" in proc.stdout
    claims = pd.read_parquet(out / "claims.parquet")
    assert len(claims) > 20
    assert (out / "review.html").exists()
