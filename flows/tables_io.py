"""Writing the output tables: typed, validated, atomic (a reader never sees a half-written file).

All tables of a run are committed together: each is written into ``OUT/.pending/<run_id>/`` first, then a
``COMMIT`` marker is written, then the files are moved into place with ``os.replace``. A run killed before the
marker leaves the previous tables untouched (the pending folder is discarded by the next run); a run killed
after it is completed by the next run (:func:`recover_pending`), so the set of tables is always one run's.

Tables are written chunk by chunk (:class:`TableWriter`): a run never holds a whole mentions or claims table in
memory, so memory does not grow with the corpus. Parquet row groups have a fixed size, so the same rows give the
same bytes however they arrived in chunks.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import MISSING
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.faults import checkpoint
from pipeline.records import ArticleRow, ClaimRow, MentionRow
from pipeline.schemas import TABLE_SCHEMAS

ROW_TYPES = {"articles": ArticleRow, "mentions": MentionRow, "claims": ClaimRow}
_DTYPES = {int: "int64", bool: "bool", float: "float64", str: "string"}
_DEFAULTS = {int: 0, bool: False, float: 0.0, str: ""}
SORT_KEYS = {
    "articles": ["article_id"],
    "mentions": ["article_id", "start_char", "end_char", "label"],
    "claims": ["article_id", "evidence_start", "relation", "claim_id"],
}
# rows per Parquet row group (and the most rows a writer holds): the articles table carries each article's text
ROW_GROUP_ROWS = {"articles": 1_000, "mentions": 50_000, "claims": 20_000}
PENDING = ".pending"
COMMIT = "COMMIT"


def _kind(field) -> type:
    return field.type if isinstance(field.type, type) else {"int": int, "bool": bool, "float": float}.get(field.type, str)


def empty_table(table: str) -> pd.DataFrame:
    return typed(pd.DataFrame(columns=list(ROW_TYPES[table].__dataclass_fields__)), table)


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Pin the column types from the row dataclass (Parquet types never depend on the data)."""
    fields = ROW_TYPES[table].__dataclass_fields__
    frame = frame[list(fields)].copy()
    for name, field in fields.items():
        kind = _kind(field)
        frame[name] = frame[name].fillna("") if kind is str else frame[name]
        frame[name] = frame[name].astype(_DTYPES[kind])
    return frame


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table written by an older version, with columns added since then filled with their defaults."""
    frame = frame.copy()
    for name, field in ROW_TYPES[table].__dataclass_fields__.items():
        if name not in frame.columns:
            frame[name] = _DEFAULTS[_kind(field)] if field.default is MISSING else field.default
    return typed(frame, table)


def sort_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    _fsync(tmp)
    os.replace(tmp, path)


class TableWriter:
    """One table as Parquet + formula-safe CSV, written chunk by chunk; each chunk is validated first.

    Chunks must arrive in table order. Uniqueness rules of the schema are checked within each chunk (the ids
    are derived from the article id, and an article's rows are never split between chunks by the merge).
    """

    def __init__(self, folder: Path, table: str):
        self.table = table
        self.rows = 0
        self.parquet_path, self.csv_path = Path(folder) / f"{table}.parquet", Path(folder) / f"{table}.csv"
        self.schema = pa.Schema.from_pandas(empty_table(table), preserve_index=False)
        self._parquet = pq.ParquetWriter(self.parquet_path, self.schema)
        self._csv = open(self.csv_path, "w", encoding="utf-8", newline="")
        self._held: list[pd.DataFrame] = []
        self._held_rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        from review.csv_safe import neutralise_frame

        frame = typed(frame, self.table)
        TABLE_SCHEMAS[self.table].validate(frame)
        if not len(frame):
            return
        neutralise_frame(frame).to_csv(self._csv, index=False, header=self.rows == 0)
        self.rows += len(frame)
        self._held.append(frame)
        self._held_rows += len(frame)
        while self._held_rows >= ROW_GROUP_ROWS[self.table]:
            self._write_row_group(ROW_GROUP_ROWS[self.table])

    def _write_row_group(self, n: int) -> None:
        held = pd.concat(self._held, ignore_index=True) if len(self._held) > 1 else self._held[0]
        head, rest = held.iloc[:n], held.iloc[n:]
        self._parquet.write_table(pa.Table.from_pandas(head, schema=self.schema, preserve_index=False), row_group_size=n)
        self._held = [rest.reset_index(drop=True)] if len(rest) else []
        self._held_rows = len(rest)

    def close(self) -> None:
        if self._held_rows:
            self._write_row_group(self._held_rows)
        if self.rows == 0:
            empty_table(self.table).to_csv(self._csv, index=False)
        self._parquet.close()
        self._csv.close()
        for path in (self.parquet_path, self.csv_path):
            _fsync(path)


def write_table(frame: pd.DataFrame, out_dir: Path, table: str) -> dict[str, str]:
    """Validate, then write ``table``.parquet and formula-safe ``table``.csv (each file atomically)."""
    from review.csv_safe import write_csv

    TABLE_SCHEMAS[table].validate(frame)
    parquet, csv = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
    atomic_write(parquet, lambda p: frame.to_parquet(p, index=False))
    atomic_write(csv, lambda p: write_csv(frame, p))
    return {"parquet": str(parquet), "csv": str(csv)}


def commit_streams(tables: dict[str, Iterable[pd.DataFrame]], out_dir: Path, run_id: str) -> dict[str, int]:
    """Write every table from its chunks beside the old ones, then move them all into place together.

    Returns the rows written per table. A chunk that fails validation raises before anything is committed.
    """
    pending = Path(out_dir) / PENDING / run_id
    pending.mkdir(parents=True, exist_ok=True)
    names, rows = [], {}
    for table, chunks in tables.items():
        writer = TableWriter(pending, table)
        try:
            for chunk in chunks:
                writer.write(chunk)
        finally:
            writer.close()
        names += [writer.parquet_path.name, writer.csv_path.name]
        rows[table] = writer.rows
    checkpoint("tables-pending")
    atomic_write(pending / COMMIT, lambda p: p.write_text(json.dumps(names)))
    _finish(pending, Path(out_dir))
    return rows


def table_paths(out_dir: Path, tables: Iterable[str]) -> dict[str, dict[str, str]]:
    return {t: {"parquet": str(Path(out_dir) / f"{t}.parquet"), "csv": str(Path(out_dir) / f"{t}.csv")} for t in tables}


def _finish(pending: Path, out_dir: Path) -> None:
    names = json.loads((pending / COMMIT).read_text())
    for i, name in enumerate(names):
        if (pending / name).exists():
            os.replace(pending / name, out_dir / name)
        if i == 0:
            checkpoint("tables-committing")
    shutil.rmtree(pending)


def recover_pending(out_dir: Path) -> list[str]:
    """Complete a committed-but-unfinished table write of a killed run; discard an uncommitted one."""
    done = []
    root = Path(out_dir) / PENDING
    for pending in sorted(root.iterdir()) if root.exists() else []:
        if (pending / COMMIT).exists():
            _finish(pending, Path(out_dir))
            done.append(f"completed the table commit of interrupted run {pending.name}")
        else:
            shutil.rmtree(pending, ignore_errors=True)
            done.append(f"discarded the unfinished tables of interrupted run {pending.name}")
    return done


def write_run_record(out_dir: Path, run_id: str, record: dict) -> Path:
    run_dir = out_dir / "runs" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "run.json"
    atomic_write(path, lambda p: p.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str)))
    return path
