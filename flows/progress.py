"""The command line's progress bar (rich, on stderr): articles done / total, rate, ETA.

The flow only logs progress records (``extra={"done": n, "total": N}``) to a logger; this module draws them.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f} articles/s" if task.speed else "-- articles/s")


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: Progress):
        super().__init__(logging.INFO)
        self.progress = progress
        self.task = None

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "done", None), getattr(record, "total", None)
        if done is None or total is None:
            return
        if self.task is None:
            self.task = self.progress.add_task("analysing", total=total or None)
        self.progress.update(self.task, completed=done, total=total or None)


@contextmanager
def progress_bar(logger_name: str, *, enabled: bool = True) -> Iterator[None]:
    """Draw the progress records of ``logger_name`` on stderr while the block runs (only when stderr is a TTY)."""
    console = Console(file=sys.stderr)
    if not enabled or not console.is_terminal:
        yield
        return
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TextColumn("ETA"),
        TimeRemainingColumn(), TimeElapsedColumn(), console=console, transient=False,
    )
    logger = logging.getLogger(logger_name)
    handler = _ProgressHandler(progress)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with progress:
            yield
    finally:
        logger.removeHandler(handler)
