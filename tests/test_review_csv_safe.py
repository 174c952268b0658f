"""CSV formula neutralisation: CSV only, Parquet keeps the original value."""

import pandas as pd

from review.csv_safe import neutralise_cell, neutralise_frame, write_csv


def test_csv_safe_neutralises_formula_prefixes():
    for value in ("=1+1", "+1", "-x", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert neutralise_cell(value) == "'" + value
    for value in ("aspirin", "", " =x", "'quoted", 5, -3, 1.5, True, None):
        assert neutralise_cell(value) == value


def test_csv_safe_keeps_numbers_and_parquet_values(tmp_path):
    frame = pd.DataFrame(
        {
            "text": pd.array(['=HYPERLINK("http://x")', "fine", None], dtype="string"),
            "obj": ["@cmd", "-5 mg", "ok"],
            "n": [-1, 2, 3],
            "x": [-0.5, 1.0, 2.0],
        }
    )
    write_csv(frame, tmp_path / "t.csv")
    frame.to_parquet(tmp_path / "t.parquet")
    from_csv = pd.read_csv(tmp_path / "t.csv", dtype={"text": "string", "obj": "string"})
    assert from_csv["text"].tolist()[:2] == ['\'=HYPERLINK("http://x")', "fine"]
    assert from_csv["obj"].tolist() == ["'@cmd", "'-5 mg", "ok"]
    assert from_csv["n"].tolist() == [-1, 2, 3]
    assert from_csv["x"].tolist() == [-0.5, 1.0, 2.0]
    assert pd.read_parquet(tmp_path / "t.parquet")["text"].tolist()[0] == '=HYPERLINK("http://x")'
    assert neutralise_frame(frame)["n"].dtype == frame["n"].dtype
