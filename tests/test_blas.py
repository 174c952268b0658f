"""The shipped NER computes with numpy's BLAS (pipeline/blas.py), and gives the same mentions as with BLIS."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy
import pytest
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from pipeline import blas
from pipeline.loader import NER_MODEL_DIR

TEXTS = [
    "Pilocarpine (PILO) induced status epilepticus in rats; PILO-treated animals developed seizures.",
    "Stopping paroxetine abruptly can cause dizziness, nausea and irritability.",
    "Celecoxib inhibits cyclooxygenase-2 (COX-2) and may raise the risk of heart attack in older adults.",
]


def _mentions(nlp) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(TEXTS)]


def _component_ops(nlp):
    return {name: proc.model.ops for name, proc in nlp.pipeline if hasattr(proc, "model")}


def test_choice_follows_the_environment(monkeypatch):
    monkeypatch.delenv(blas.ENV_VAR, raising=False)
    assert blas.cpu_ops().use_blis is False
    monkeypatch.setenv(blas.ENV_VAR, "BLIS")
    assert blas.cpu_ops().use_blis is True
    monkeypatch.setenv(blas.ENV_VAR, "mkl")
    with pytest.raises(ValueError, match=blas.ENV_VAR):
        blas.cpu_ops()


def test_training_callback_sets_the_process_ops(monkeypatch):
    monkeypatch.delenv(blas.ENV_VAR, raising=False)
    before = get_current_ops()
    try:
        set_current_ops(NumpyOps(use_blis=True))
        marker = object()
        assert blas.create_cpu_blas_callback()(marker) is marker
        ops = get_current_ops()
        assert isinstance(ops, NumpyOps) and ops.use_blis is False
    finally:
        set_current_ops(before)


def test_numpy_blas_multiplies_like_blis():
    rng = numpy.random.default_rng(0)
    x, w = rng.random((37, 96), dtype="float32"), rng.random((128, 96), dtype="float32")
    numpy_product = NumpyOps(use_blis=False).gemm(x, w, trans2=True)
    blis_product = NumpyOps(use_blis=True).gemm(x, w, trans2=True)
    assert numpy.allclose(numpy_product, blis_product, rtol=1e-5, atol=1e-4)


def test_shipped_model_loads_on_numpy_blas_and_finds_the_same_mentions(monkeypatch):
    monkeypatch.delenv(blas.ENV_VAR, raising=False)
    process_ops = get_current_ops()
    numpy_nlp = blas.load_model(NER_MODEL_DIR)
    assert get_current_ops() is process_ops  # the process's ops are left as they were
    assert {ops.use_blis for ops in _component_ops(numpy_nlp).values()} == {False}
    monkeypatch.setenv(blas.ENV_VAR, "blis")
    blis_nlp = blas.load_model(NER_MODEL_DIR)
    assert {ops.use_blis for ops in _component_ops(blis_nlp).values()} == {True}
    found = _mentions(numpy_nlp)
    assert found == _mentions(blis_nlp)
    assert any(label == "CHEMICAL" for doc in found for _, _, label in doc)


def test_an_analysing_process_holds_blas_to_one_thread():
    code = ("import numpy\nfrom threadpoolctl import threadpool_info\nfrom pipeline import blas\n"
            "threads = lambda: max(p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas')\n"
            "before = threads()\nblas.one_thread_per_process()\nprint(before, threads())\n")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["2", "1"]
