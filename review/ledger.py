"""The review ledger: every editor decision, kept in SQLite next to the tables.

The ledger is append-only. Each row is one decision on one claim (keyed by ``claim_id``) with the
reviewer, the time, the verdict, an optional reason, the edited values, a JSON snapshot of the claim
as it was shown, and a fingerprint of the claim's reviewable fields. The latest row per claim is the
verdict in force; older rows are history.

A re-run of extraction never touches the ledger. :func:`apply_review_status` reads it and sets the
``review_status`` column: a claim whose reviewable fields changed since its review becomes
``needs_rereview`` instead of silently keeping or losing the verdict.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from review.csv_safe import neutralise_cell
from review.errors import InvalidDecision, ReviewError
from review.vocab import (
    CHOICE_FIELDS,
    DECISIONS,
    EDITABLE_FIELDS,
    MAX_FIELD_CHARS,
    MAX_REASON_CHARS,
    MAX_REVIEWER_CHARS,
    REVIEWABLE_FIELDS,
)

LEDGER_FILENAME = "review_ledger.sqlite"
SCHEMA_VERSION = 1
LEDGER_COLUMNS: tuple[str, ...] = (
    "decision_id",
    "claim_id",
    "article_id",
    "reviewer",
    "decided_at",
    "decision",
    "reason",
    "edits_json",
    "claim_json",
    "fingerprint",
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id    TEXT NOT NULL,
    article_id  TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN {DECISIONS!r}),
    reason      TEXT NOT NULL DEFAULT '',
    edits_json  TEXT NOT NULL DEFAULT '{{}}',
    claim_json  TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_claim ON decisions (claim_id, decision_id);
PRAGMA user_version = {SCHEMA_VERSION};
"""


@dataclass(frozen=True)
class Decision:
    """One row of the ledger."""

    decision_id: int
    claim_id: str
    article_id: str
    reviewer: str
    decided_at: str
    decision: str
    reason: str
    edits: dict[str, str]
    claim: dict[str, object]
    fingerprint: str


def ledger_path(out_dir: Path) -> Path:
    """Where the ledger of an output folder lives."""
    return Path(out_dir) / LEDGER_FILENAME


def _text(value: object) -> str:
    """A table cell as text: missing values (None, NaN, NA) become ''."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def claim_fingerprint(claim: Mapping[str, object]) -> str:
    """SHA-256 over the reviewable fields of a claim, stable across runs and file formats."""
    payload = json.dumps(
        [_text(claim.get(field)) for field in REVIEWABLE_FIELDS], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def claim_snapshot(claim: Mapping[str, object]) -> dict[str, object]:
    """A JSON-able copy of the claim as the reviewer saw it."""
    return {str(key): _json_value(value) for key, value in claim.items()}


def _check_text(name: str, value: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidDecision(f"{name} must be text, got {type(value).__name__}.")
    if len(value) > limit:
        raise InvalidDecision(f"{name} is {len(value)} characters long; the limit is {limit}. Shorten it.")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise InvalidDecision(f"{name} contains control characters; remove them.")
    return value


def validate_decision(
    decision: str, *, reviewer: str, reason: str = "", edits: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Check a decision and return its edits, cleaned. Raises :class:`InvalidDecision`."""
    if decision not in DECISIONS:
        raise InvalidDecision(f"decision {decision!r} is not one of {', '.join(DECISIONS)}.")
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise InvalidDecision("reviewer is empty; give the name of the person deciding.")
    _check_text("reviewer", reviewer, MAX_REVIEWER_CHARS)
    _check_text("reason", reason, MAX_REASON_CHARS)
    edits = dict(edits or {})
    unknown = sorted(set(edits) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidDecision(f"cannot edit {', '.join(unknown)}; editable fields are {', '.join(EDITABLE_FIELDS)}.")
    cleaned: dict[str, str] = {}
    for field in EDITABLE_FIELDS:
        if field not in edits:
            continue
        value = _check_text(field, edits[field], MAX_FIELD_CHARS).strip()
        choices = CHOICE_FIELDS.get(field)
        if choices is not None and value not in choices:
            raise InvalidDecision(f"{field} {value!r} is not one of {', '.join(choices)}.")
        if field in ("drug", "effect") and not value:
            raise InvalidDecision(f"{field} cannot be empty.")
        cleaned[field] = value
    if decision == "edited" and not cleaned:
        raise InvalidDecision("an 'edited' decision needs at least one changed field.")
    if decision != "edited" and cleaned:
        raise InvalidDecision(f"a {decision!r} decision takes no edits; use 'edited' to change fields.")
    return cleaned


class Ledger:
    """The SQLite ledger of one output folder. Opens a short-lived connection per operation."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_folder(cls, out_dir: Path) -> Ledger:
        return cls(ledger_path(out_dir))

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
        else:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            if write:
                with conn:
                    conn.executescript(_SCHEMA)
            else:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise ReviewError(
                        f"{self.path} was written by a newer version (schema {version}); upgrade the tool."
                    )
            yield conn
        finally:
            conn.close()

    def record(
        self,
        claim: Mapping[str, object],
        *,
        decision: str,
        reviewer: str,
        reason: str = "",
        edits: Mapping[str, str] | None = None,
        decided_at: datetime | None = None,
    ) -> Decision:
        """Validate and append one decision on ``claim``; returns the stored row."""
        claim_id = _text(claim.get("claim_id"))
        if not claim_id:
            raise InvalidDecision("the claim has no claim_id; only claims from claims.parquet can be reviewed.")
        cleaned = validate_decision(decision, reviewer=reviewer, reason=reason, edits=edits)
        when = (decided_at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        snapshot = claim_snapshot(claim)
        row = (
            claim_id,
            _text(claim.get("article_id")),
            reviewer.strip(),
            when,
            decision,
            reason.strip(),
            json.dumps(cleaned, ensure_ascii=False, sort_keys=True),
            json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            claim_fingerprint(claim),
        )
        with self._connect(write=True) as conn, conn:
            cursor = conn.execute(
                "INSERT INTO decisions (claim_id, article_id, reviewer, decided_at, decision, reason,"
                " edits_json, claim_json, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            decision_id = int(cursor.lastrowid)
        return _decision_from_row((decision_id, *row))

    def decisions(self) -> list[Decision]:
        """Every decision, oldest first (empty when the ledger does not exist)."""
        if not self.path.exists():
            return []
        with self._connect(write=False) as conn:
            rows = conn.execute(f"SELECT {', '.join(LEDGER_COLUMNS)} FROM decisions ORDER BY decision_id")
            return [_decision_from_row(r) for r in rows]

    def latest(self) -> dict[str, Decision]:
        """The decision in force for each reviewed claim."""
        if not self.path.exists():
            return {}
        with self._connect(write=False) as conn:
            rows = conn.execute(
                f"SELECT {', '.join(LEDGER_COLUMNS)} FROM decisions WHERE decision_id IN"
                " (SELECT MAX(decision_id) FROM decisions GROUP BY claim_id)"
            )
            return {r[1]: _decision_from_row(r) for r in rows}

    def _latest_fingerprints(self) -> dict[str, tuple[str, str]]:
        with self._connect(write=False) as conn:
            rows = conn.execute(
                "SELECT claim_id, decision, fingerprint FROM decisions WHERE decision_id IN"
                " (SELECT MAX(decision_id) FROM decisions GROUP BY claim_id)"
            )
            return {claim_id: (decision, fingerprint) for claim_id, decision, fingerprint in rows}


def _decision_from_row(row: tuple) -> Decision:
    values = dict(zip(LEDGER_COLUMNS, row))
    return Decision(
        decision_id=int(values["decision_id"]),
        claim_id=values["claim_id"],
        article_id=values["article_id"],
        reviewer=values["reviewer"],
        decided_at=values["decided_at"],
        decision=values["decision"],
        reason=values["reason"],
        edits=json.loads(values["edits_json"]),
        claim=json.loads(values["claim_json"]),
        fingerprint=values["fingerprint"],
    )


def record_decision(
    out_dir: Path,
    claim: Mapping[str, object],
    *,
    decision: str,
    reviewer: str,
    reason: str = "",
    edits: Mapping[str, str] | None = None,
) -> Decision:
    """Append a decision on ``claim`` to the ledger of ``out_dir``."""
    return Ledger.for_folder(out_dir).record(claim, decision=decision, reviewer=reviewer, reason=reason, edits=edits)


def review_statuses(claims: pd.DataFrame, latest: Mapping[str, tuple[str, str]]) -> list[str]:
    """The review status of each claim, given the (decision, fingerprint) in force per claim id.

    Only reviewed claims are fingerprinted, so the cost grows with the ledger, not the table.
    """
    ids = [_text(v) for v in claims["claim_id"]] if "claim_id" in claims.columns else [""] * len(claims)
    statuses = ["unreviewed"] * len(ids)
    reviewed = [i for i, claim_id in enumerate(ids) if claim_id in latest]
    if not reviewed:
        return statuses
    present = [f for f in REVIEWABLE_FIELDS if f in claims.columns]
    for i, values in zip(reviewed, claims.iloc[reviewed][present].itertuples(index=False, name=None)):
        decision, fingerprint = latest[ids[i]]
        current = claim_fingerprint(dict(zip(present, values)))
        statuses[i] = decision if current == fingerprint else "needs_rereview"
    return statuses


def _status_column(claims: pd.DataFrame, statuses: list[str]) -> pd.Series:
    """The statuses as a column, keeping the input's text dtype when it has one."""
    current = claims["review_status"] if "review_status" in claims.columns else None
    dtype = current.dtype if current is not None and pd.api.types.is_string_dtype(current) else None
    return pd.Series(statuses, index=claims.index, dtype=dtype)


def apply_review_status(claims: pd.DataFrame, out_dir: Path) -> pd.DataFrame:
    """Return a copy of ``claims`` with ``review_status`` filled from the ledger of ``out_dir``.

    Statuses: unreviewed, accepted, rejected, edited, or needs_rereview when the claim's reviewable
    fields changed since the decision in force. Read-only: when the folder has no ledger every claim
    is 'unreviewed' and nothing is created. Other columns, the row order and the index are kept.
    """
    ledger = Ledger.for_folder(out_dir)
    latest = ledger._latest_fingerprints() if ledger.path.exists() and len(claims) else {}
    result = claims.copy()
    result["review_status"] = _status_column(claims, review_statuses(claims, latest))
    return result


def ledger_csv_text(out_dir: Path) -> str:
    """Every decision of the ledger of ``out_dir`` as CSV text, oldest first, formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LEDGER_COLUMNS)
    for d in Ledger.for_folder(out_dir).decisions():
        row = (
            d.decision_id,
            d.claim_id,
            d.article_id,
            d.reviewer,
            d.decided_at,
            d.decision,
            d.reason,
            json.dumps(d.edits, ensure_ascii=False, sort_keys=True),
            json.dumps(d.claim, ensure_ascii=False, sort_keys=True),
            d.fingerprint,
        )
        writer.writerow([neutralise_cell(v) for v in row])
    return buffer.getvalue()


def export_ledger_csv(out_dir: Path, path: Path) -> Path:
    """Write every decision of the ledger of ``out_dir`` to ``path`` as UTF-8 CSV; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ledger_csv_text(out_dir), encoding="utf-8", newline="")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m review.ledger", description="Export the review ledger of an output folder to CSV."
    )
    parser.add_argument("out_dir", type=Path, help="output folder holding review_ledger.sqlite")
    parser.add_argument("--csv", type=Path, help="where to write (default: OUT_DIR/review_ledger.csv)")
    args = parser.parse_args(argv)
    if not ledger_path(args.out_dir).exists():
        print(f"error: no ledger at {ledger_path(args.out_dir)}; review some claims first.", file=sys.stderr)
        return 1
    print(export_ledger_csv(args.out_dir, args.csv or args.out_dir / "review_ledger.csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
