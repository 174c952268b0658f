"""Writing the output tables: typed, validated, atomic (a reader never sees a half-written file)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from pipeline.records import ArticleRow, ClaimRow, MentionRow
from pipeline.schemas import TABLE_SCHEMAS

ROW_TYPES = {"articles": ArticleRow, "mentions": MentionRow, "claims": ClaimRow}
_DTYPES = {int: "int64", bool: "bool", float: "float64", str: "string"}
SORT_KEYS = {
    "articles": ["article_id"],
    "mentions": ["article_id", "start_char", "end_char", "label"],
    "claims": ["article_id", "evidence_start", "relation", "claim_id"],
}


def empty_table(table: str) -> pd.DataFrame:
    return typed(pd.DataFrame(columns=list(ROW_TYPES[table].__dataclass_fields__)), table)


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Pin the column types from the row dataclass (Parquet types never depend on the data)."""
    fields = ROW_TYPES[table].__dataclass_fields__
    frame = frame[list(fields)].copy()
    for name, field in fields.items():
        kind = field.type if isinstance(field.type, type) else {"int": int, "bool": bool, "float": float}.get(field.type, str)
        frame[name] = frame[name].fillna("") if kind is str else frame[name]
        frame[name] = frame[name].astype(_DTYPES[kind])
    return frame


def combine(parts: list[Path], table: str) -> pd.DataFrame:
    frames = [pd.read_parquet(p) for p in parts if Path(p).exists()]
    frames = [f for f in frames if len(f)]
    frame = pd.concat(frames, ignore_index=True) if frames else empty_table(table)
    frame = typed(frame, table)
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


def atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_table(frame: pd.DataFrame, out_dir: Path, table: str) -> dict[str, str]:
    """Validate, then write ``table``.parquet and formula-safe ``table``.csv."""
    from review.csv_safe import write_csv

    TABLE_SCHEMAS[table].validate(frame)
    parquet, csv = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
    atomic_write(parquet, lambda p: frame.to_parquet(p, index=False))
    atomic_write(csv, lambda p: write_csv(frame, p))
    return {"parquet": str(parquet), "csv": str(csv)}


def write_run_record(out_dir: Path, run_id: str, record: dict) -> Path:
    run_dir = out_dir / "runs" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "run.json"
    atomic_write(path, lambda p: p.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str)))
    return path
