"""Which matrix-multiplication library the trained models compute with on the CPU.

thinc's CPU backend multiplies matrices with BLIS by default. On the machines this project runs on (2-core AMD EPYC
virtual machines) BLIS 1.3 is 2.5-3.6 times slower than the OpenBLAS that numpy ships for the tok2vec's matrix
shapes, and the tok2vec is two thirds of the pipeline's time; ``NumpyOps(use_blis=False)`` makes thinc multiply with
numpy (OpenBLAS) instead. The results are the same up to float rounding (entities identical on 300 articles,
docs/BENCHMARKS.md). ``DRUGCLAIMS_BLAS=blis`` keeps thinc's default.

Models take the ops that are current when they are built, so a pipeline is loaded with :func:`load_model`; training
configs name the ``drugclaims.cpu_blas.v1`` callback in ``[nlp.before_creation]``, which sets the ops for the training
process.
"""
from __future__ import annotations

import os
from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import NumpyOps, Ops, set_current_ops, use_ops
from threadpoolctl import threadpool_limits

ENV_VAR = "DRUGCLAIMS_BLAS"
CALLBACK_NAME = "drugclaims.cpu_blas.v1"


def use_blis() -> bool:
    choice = os.environ.get(ENV_VAR, "numpy").strip().lower()
    if choice not in {"numpy", "blis"}:
        raise ValueError(f"{ENV_VAR} must be 'numpy' or 'blis', not {choice!r}")
    return choice == "blis"


def cpu_ops() -> Ops:
    return NumpyOps(use_blis=use_blis())


def load_model(path: Path | str, **kwargs) -> Language:
    """``spacy.load`` with the models built on :func:`cpu_ops` (the process's current ops are left as they were)."""
    with use_ops("numpy", use_blis=use_blis()):
        return spacy.load(path, **kwargs)


def one_thread_per_process() -> None:
    """Hold this process's BLAS libraries to one thread, for good: the flow scales with processes (one model per
    process, one CPU each, as Dask's nanny does for its workers with ``OPENBLAS_NUM_THREADS=1``); a BLAS thread pool
    per process would have the processes fight over the cores."""
    threadpool_limits(limits=1, user_api="blas")


@spacy.registry.callbacks(CALLBACK_NAME)
def create_cpu_blas_callback():
    """``[nlp.before_creation]`` callback of the training configs: the whole training process uses :func:`cpu_ops`."""

    def set_cpu_blas(lang_cls):
        set_current_ops(cpu_ops())
        return lang_cls

    return set_cpu_blas
