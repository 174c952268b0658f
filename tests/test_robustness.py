"""Nothing lost, nothing stops: bad input, SIGKILL at several points, two runs on one folder, determinism."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from flows.extract import extract_claims, main
from flows.outdir import output_lock
from flows.tables_io import write_table

REPO = Path(__file__).resolve().parent.parent
TABLES = ("articles", "mentions", "claims")
GOOD = "Ibuprofen can cause stomach ulcers in older adults."
EMPTY_HTML = ("<html><head><title>Menu</title><script>var a = 1;</script></head><body><nav><ul><li><a href='/'>Home</a>"
              "</li><li><a href='/d'>Drugs</a></li></ul></nav><footer>Copyright 2026</footer></body></html>")


def bad_folder(root: Path) -> tuple[Path, dict[str, str]]:
    """A folder of every bad input; returns it and the expected status or error fragment per article id."""
    corpus = root / "bad"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x7fELF\x00\x01\x02" * 50)
    (corpus / "latin1.txt").write_bytes("Caf\u00e9: aspirin can cause stomach bleeding.".encode("cp1252"))
    (corpus / "invalid.txt").write_bytes(b"Aspirin \x81\x8d\x8f\x90\x9d only undefined bytes")
    with open(corpus / "huge.txt", "wb") as handle:  # 50 MB: refused by size before it is read
        handle.truncate(50 * 1024 * 1024)
    (corpus / "nav_only.html").write_text(EMPTY_HTML)
    (corpus / "dangling.txt").symlink_to(corpus / "missing-target.txt")
    (corpus / "linked.txt").symlink_to(corpus / "good.txt")
    (corpus / "folder.txt").mkdir()
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "odd name (1) \u00fc\u2013#%.txt").write_text("Metformin treats type 2 diabetes.")
    (corpus / os.fsdecode(b"bytes\xff.txt")).write_text("Warfarin can cause bleeding.")
    (corpus / "copy_of_good.txt").write_text(GOOD)
    (corpus / "notes.csv").write_text("not an article")
    return corpus, {
        "good": "ok", "latin1": "ok", "linked": "ok", "copy_of_good": "ok", "odd name (1) \u00fc\u2013#%": "ok",
        "bytes\ufffd": "ok", "empty": "empty text", "binary": "binary file", "invalid": "neither UTF-8 nor Windows-1252",
        "huge": "file too large", "nav_only": "no main text", "dangling": "dangling symlink",
        "folder": "is a folder", "fifo": "not a regular file",
    }


def bad_jsonl(root: Path) -> tuple[Path, dict[str, str]]:
    lines = [
        json.dumps({"id": "j1", "text": GOOD}),
        "{broken json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "j2"}),
        json.dumps({"id": "d", "text": GOOD}),
        json.dumps({"id": "d", "text": "Second copy with other text."}),
        json.dumps({"id": "d", "text": GOOD}),
        "",
        json.dumps(["not", "an", "object"]),
        '{"id": "surrogate", "text": "bad \\ud800 text"}',
        json.dumps({"id": "j3", "title": "Aspirin", "text": "Aspirin prevents heart attacks.", "url": "u"}),
    ]
    path = root / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, {
        "j1": "ok", "bad.jsonl:line2": "not valid JSON", "bad.jsonl:line3": "missing 'id'", "j2": "missing 'text'",
        "d": "ok", "d#dup2": "duplicate article id 'd'", "d#dup3": "duplicate article id 'd'",
        "bad.jsonl:line8": "blank line", "bad.jsonl:line9": "expected a JSON object", "surrogate": "invalid Unicode",
        "j3": "ok",
    }


def check_statuses(out: Path, expected: dict[str, str], summary: dict) -> None:
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    assert sorted(articles.index) == sorted(expected)
    failures = {f["article_id"]: f["error"] for f in summary["failures"]}
    for article_id, want in expected.items():
        row = articles.loc[article_id]
        if want == "ok":
            assert row["status"] == "ok", (article_id, row["error"])
        else:
            assert row["status"] == "failed" and want in row["error"], (article_id, row["error"])
            assert want in failures[article_id]


def test_robustness_bad_folder_every_entry_has_a_status(prefect_harness, tmp_path):
    corpus, expected = bad_folder(tmp_path)
    summary = extract_claims(str(corpus), str(tmp_path / "out"), batch_size=4)
    check_statuses(tmp_path / "out", expected, summary)
    assert ["copy_of_good", "good", "linked"] in [sorted(ids) for ids in summary["duplicate_content"]]
    assert summary["ignored_files"] == ["notes.csv"]


def test_robustness_bad_jsonl_every_line_has_a_status(prefect_harness, tmp_path):
    corpus, expected = bad_jsonl(tmp_path)
    summary = extract_claims(str(corpus), str(tmp_path / "out"), batch_size=4)
    check_statuses(tmp_path / "out", expected, summary)


def test_robustness_boundary_errors_are_one_line(prefect_harness, tmp_path, capsys, monkeypatch):
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    os.mkfifo(tmp_path / "pipe")
    assert main([str(tmp_path / "pipe"), "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path), "--batch-size", "zero"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error: corpus not found" in err and "neither a file nor a folder" in err
    assert "--batch-size must be a whole number" in err and "Traceback" not in err

    from flows import batch

    def broken():
        raise OSError("[E050] Can't find model 'pipeline/models/ner'")

    monkeypatch.setattr(batch, "_pipeline", broken)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(GOOD)
    assert main([str(tmp_path / "c"), "--out", str(tmp_path / "o2"), "--no-progress"]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "cannot load the NLP pipeline" in lines[0] and "make lexicon" in lines[0]


def normalised(out: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet").drop(columns=["processed_at"], errors="ignore") for t in TABLES}


def test_robustness_deterministic_tables(prefect_harness, tmp_path):
    corpus, _ = bad_jsonl(tmp_path)
    first, second = tmp_path / "one", tmp_path / "two"
    extract_claims(str(corpus), str(first), batch_size=3)
    files = {p.name: p.read_bytes() for p in first.glob("*.*") if p.suffix in {".csv", ".parquet"}}
    extract_claims(str(corpus), str(first), batch_size=5, force=True)  # everything re-analysed, same bytes
    assert {p.name: p.read_bytes() for p in first.glob("*.*") if p.suffix in {".csv", ".parquet"}} == files
    extract_claims(str(corpus), str(second), batch_size=2)  # another folder: equal apart from processed_at
    for table, frame in normalised(first).items():
        pd.testing.assert_frame_equal(frame, normalised(second)[table])
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
    assert stamp.sub("T", (first / "articles.csv").read_text()) == stamp.sub("T", (second / "articles.csv").read_text())
    for table in ("mentions", "claims"):
        assert (first / f"{table}.csv").read_bytes() == (second / f"{table}.csv").read_bytes()
    rewritten = {}
    for folder in (first, second):  # Parquet bytes depend on nothing but the values
        frame = pd.read_parquet(folder / "articles.parquet").assign(processed_at="T")
        target = tmp_path / f"rewrite-{folder.name}"
        target.mkdir()
        write_table(frame.astype({"processed_at": "string"}), target, "articles")
        rewritten[folder.name] = (target / "articles.parquet").read_bytes()
    assert rewritten["one"] == rewritten["two"]


def _api_env() -> dict:
    from prefect.settings import PREFECT_API_URL

    return dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONPATH=str(REPO))


def _cli(corpus: Path, out: Path, *extra: str, env: dict, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.extract", str(corpus), "--out", str(out), "--batch-size", "2",
                           "--no-progress", *extra], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def test_robustness_sigkill_at_every_point_then_rerun(prefect_harness, tmp_path):
    corpus, out, reference = tmp_path / "corpus", tmp_path / "out", tmp_path / "reference"
    corpus.mkdir()
    for name, text in {"a": GOOD, "b": "Metformin treats type 2 diabetes.", "c": "Warfarin can cause bleeding."}.items():
        (corpus / f"{name}.txt").write_text(text)
    extract_claims(str(corpus), str(out), batch_size=2)
    previous = {p.name: p.read_bytes() for p in out.glob("*.*") if p.suffix in {".csv", ".parquet"}}
    (corpus / "b.txt").write_text("Metformin can cause nausea. Aspirin prevents heart attacks.")
    (corpus / "c.txt").unlink()
    (corpus / "d.txt").write_text("Paroxetine withdrawal can cause dizziness.")
    env = _api_env()
    for point in ("planned", "batch-staged", "tables-pending", "tables-committing"):
        proc = _cli(corpus, out, env=dict(env, DRUGCLAIMS_KILL_AT=point))
        assert proc.returncode == -signal.SIGKILL, (point, proc.stderr[-2000:])
        if point != "tables-committing":  # killed before the commit: the previous complete tables are in place
            assert {p.name: p.read_bytes() for p in out.glob("*.*") if p.suffix in {".csv", ".parquet"}} == previous
    summary = extract_claims(str(corpus), str(out), batch_size=2)  # completes (or finishes) the interrupted commit
    assert any("interrupted run" in note for note in summary["recovered"])
    assert not list((out / ".pending").glob("*")) and not list((out / ".staging").glob("*"))
    extract_claims(str(corpus), str(reference), batch_size=2)
    ref_frames = normalised(reference)
    ref_frames["articles"] = ref_frames["articles"]
    got = normalised(out)
    assert got["articles"].set_index("article_id").loc["c", "in_corpus"] == False  # noqa: E712 - removed, marked
    got["articles"] = got["articles"][got["articles"]["in_corpus"]].reset_index(drop=True)
    for table in TABLES:
        pd.testing.assert_frame_equal(got[table], ref_frames[table])
        key = {"articles": "article_id", "mentions": "mention_id", "claims": "claim_id"}[table]
        assert not got[table][key].duplicated().any()


def test_robustness_second_run_on_one_folder_refuses_or_waits(prefect_harness, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    with output_lock(out):
        proc = _cli(corpus, out, env=_api_env(), timeout=120)
    assert proc.returncode == 3
    assert proc.stderr.strip().startswith("error: another run is writing") and "Traceback" not in proc.stderr
    assert not (out / "articles.parquet").exists()

    def hold(seconds: float, ready: threading.Event) -> None:
        with output_lock(out):
            ready.set()
            time.sleep(seconds)

    ready = threading.Event()
    holder = threading.Thread(target=hold, args=(1.5, ready))
    holder.start()
    ready.wait(10)
    started = time.monotonic()
    summary = extract_claims(str(corpus), str(out), wait_lock=30)
    holder.join()
    assert time.monotonic() - started >= 1.0 and summary["articles"] == 1
