"""Review ledger: decisions persist, re-review flag, CSV export, validation."""

import csv
import time

import pandas as pd
import pytest

from review.errors import InvalidDecision
from review.ledger import (
    LEDGER_COLUMNS,
    Ledger,
    apply_review_status,
    claim_fingerprint,
    export_ledger_csv,
    ledger_path,
    record_decision,
)
from review.testing import fixture_claims


def _claim(claims: pd.DataFrame, claim_id: str) -> dict:
    return claims.set_index("claim_id", drop=False).loc[claim_id].to_dict()


def _statuses(claims: pd.DataFrame, out_dir) -> dict:
    result = apply_review_status(claims, out_dir)
    return dict(zip(result["claim_id"], result["review_status"]))


def test_ledger_apply_without_ledger_is_read_only(tmp_path):
    claims = fixture_claims()
    result = apply_review_status(claims, tmp_path)
    assert set(result["review_status"]) == {"unreviewed"}
    assert not ledger_path(tmp_path).exists()
    assert list(result.columns) == list(claims.columns)
    assert claims["review_status"].tolist() == ["unreviewed"] * len(claims)  # input untouched


def test_ledger_decisions_persist(tmp_path):
    claims = fixture_claims()
    record_decision(tmp_path, _claim(claims, "c-aspirin-bleeding"), decision="accepted", reviewer="ana")
    record_decision(
        tmp_path, _claim(claims, "c-metformin-diabetes"), decision="rejected", reviewer="ben", reason="off-label"
    )
    reopened = Ledger(ledger_path(tmp_path))
    latest = reopened.latest()
    assert latest["c-aspirin-bleeding"].decision == "accepted"
    assert latest["c-aspirin-bleeding"].reviewer == "ana"
    assert latest["c-metformin-diabetes"].reason == "off-label"
    assert latest["c-aspirin-bleeding"].claim["drug"] == "Aspirin"  # snapshot of the claim as it was
    assert _statuses(claims, tmp_path) == {
        "c-aspirin-bleeding": "accepted",
        "c-metformin-diabetes": "rejected",
        "c-ibuprofen-nausea": "unreviewed",
    }


def test_ledger_latest_decision_wins_and_history_is_kept(tmp_path):
    claim = _claim(fixture_claims(), "c-aspirin-bleeding")
    ledger = Ledger.for_folder(tmp_path)
    ledger.record(claim, decision="accepted", reviewer="ana")
    ledger.record(claim, decision="edited", reviewer="ben", edits={"certainty": "asserted"}, reason="says 'causes'")
    assert [d.decision for d in ledger.decisions()] == ["accepted", "edited"]
    assert ledger.latest()["c-aspirin-bleeding"].edits == {"certainty": "asserted"}
    assert _statuses(fixture_claims(), tmp_path)["c-aspirin-bleeding"] == "edited"


def test_ledger_needs_rereview_when_claim_changed(tmp_path):
    claims = fixture_claims()
    for claim_id in ("c-aspirin-bleeding", "c-metformin-diabetes"):
        record_decision(tmp_path, _claim(claims, claim_id), decision="accepted", reviewer="ana")
    rerun = claims.copy()
    rerun.loc[rerun["claim_id"] == "c-aspirin-bleeding", "effect"] = "gastrointestinal bleeding"
    rerun.loc[rerun["claim_id"] == "c-metformin-diabetes", "confidence"] = 0.5  # not a reviewable field
    statuses = _statuses(rerun, tmp_path)
    assert statuses["c-aspirin-bleeding"] == "needs_rereview"
    assert statuses["c-metformin-diabetes"] == "accepted"
    # a fresh decision on the changed claim clears the flag
    record_decision(tmp_path, _claim(rerun, "c-aspirin-bleeding"), decision="accepted", reviewer="ana")
    assert _statuses(rerun, tmp_path)["c-aspirin-bleeding"] == "accepted"


def test_ledger_fingerprint_same_for_missing_and_empty_values():
    claim = _claim(fixture_claims(), "c-aspirin-bleeding")
    assert claim_fingerprint({**claim, "dose": ""}) == claim_fingerprint({**claim, "dose": None})
    assert claim_fingerprint({**claim, "dose": ""}) == claim_fingerprint({**claim, "dose": float("nan")})
    assert claim_fingerprint(claim) != claim_fingerprint({**claim, "certainty": "asserted"})


def test_ledger_export_csv(tmp_path):
    claims = fixture_claims()
    record_decision(
        tmp_path, _claim(claims, "c-ibuprofen-nausea"), decision="rejected", reviewer="ana", reason="=HYPERLINK(1)"
    )
    path = export_ledger_csv(tmp_path, tmp_path / "export" / "ledger.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == LEDGER_COLUMNS
    assert rows[0]["claim_id"] == "c-ibuprofen-nausea"
    assert rows[0]["decision"] == "rejected"
    assert rows[0]["reason"] == "'=HYPERLINK(1)"  # neutralised in CSV
    assert Ledger.for_folder(tmp_path).latest()["c-ibuprofen-nausea"].reason == "=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("decision", "edits", "reviewer", "reason", "message"),
    [
        ("edited", {"relation": "CURES"}, "ana", "", "relation 'CURES' is not one of"),
        ("edited", {"certainty": "maybe"}, "ana", "", "certainty 'maybe' is not one of"),
        ("edited", {"effect": "x" * 301}, "ana", "", "the limit is 300"),
        ("edited", {"evidence": "new"}, "ana", "", "cannot edit evidence"),
        ("edited", {"drug": ""}, "ana", "", "drug cannot be empty"),
        ("edited", {}, "ana", "", "needs at least one changed field"),
        ("accepted", {"effect": "x"}, "ana", "", "takes no edits"),
        ("approved", None, "ana", "", "is not one of accepted, rejected, edited"),
        ("accepted", None, "  ", "", "reviewer is empty"),
        ("accepted", None, "ana", "r" * 2001, "the limit is 2000"),
        ("accepted", None, "ana", "bad\x00byte", "control characters"),
    ],
)
def test_ledger_validation_errors(tmp_path, decision, edits, reviewer, reason, message):
    claim = _claim(fixture_claims(), "c-aspirin-bleeding")
    with pytest.raises(InvalidDecision, match=message):
        record_decision(tmp_path, claim, decision=decision, reviewer=reviewer, reason=reason, edits=edits)
    assert Ledger.for_folder(tmp_path).decisions() == []


def test_ledger_apply_review_status_is_fast(tmp_path):
    base = fixture_claims()
    claims = pd.concat([base] * 7000, ignore_index=True)
    claims["claim_id"] = [f"c{i}" for i in range(len(claims))]
    ledger = Ledger.for_folder(tmp_path)
    for claim in claims.head(30).to_dict("records"):
        ledger.record(claim, decision="accepted", reviewer="ana")
    started = time.perf_counter()
    result = apply_review_status(claims, tmp_path)
    elapsed = time.perf_counter() - started
    assert (result["review_status"] == "accepted").sum() == 30
    assert elapsed < 3.0, f"apply_review_status took {elapsed:.2f}s for {len(claims)} claims"


def test_ledger_cli_exports_csv(tmp_path, capsys):
    from review.ledger import main

    assert main([str(tmp_path)]) == 1
    assert "no ledger" in capsys.readouterr().err
    record_decision(tmp_path, _claim(fixture_claims(), "c-aspirin-bleeding"), decision="accepted", reviewer="ana")
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / "review_ledger.csv").read_text(encoding="utf-8").startswith(",".join(LEDGER_COLUMNS))
