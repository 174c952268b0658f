"""Formula-safe CSV: cells a spreadsheet would run as a formula get a leading apostrophe.

Only CSV is neutralised; Parquet keeps every value as extracted. A text cell whose first character is
one of ``= + - @``, a tab or a carriage return is written as ``'`` + the original value (the OWASP
"CSV injection" advice). Numbers, booleans and missing values are written unchanged, so a negative
number stays a number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"


def neutralise_cell(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISING_PREFIX + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised; other columns are untouched."""
    result = frame.copy()
    for column in result.columns:
        series = result[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            result[column] = series.map(neutralise_cell, na_action="ignore")
    return result


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV with formula-safe text cells."""
    path = Path(path)
    neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8")
    return path
