"""Acceptance on the seed article: every core claim, no trap, and the slots a careful reader takes from it."""
from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from pipeline.claims_eval import row_matches, score_claims, slot_matches
from pipeline.tables import claim_rows

SEED = "000_29db5dc6d72720a4"


@pytest.fixture(scope="module")
def seed(shared_dir, nlp):
    text = (shared_dir / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    gold = [json.loads(line) for line in (shared_dir / "seeds" / f"{SEED}.claims.jsonl").read_text().splitlines() if line.strip()]
    doc = nlp(text)
    article_id = gold[0]["article_id"]
    rows = [asdict(r) for r in claim_rows(article_id, doc._.claims)]
    return doc, rows, gold


def _matching(rows, gold_row):
    return [r for r in rows if row_matches(r, gold_row)]


def test_seed_every_core_claim_found_with_its_relation(seed):
    _, rows, gold = seed
    scores = score_claims(rows, gold)
    missed = [(g["relation"], g["effect"][0]) for g in scores.missed_core]
    assert not missed, f"core claims not found: {missed}"
    assert scores.recall == 1.0


def test_seed_no_trap_claim(seed):
    _, rows, gold = seed
    scores = score_claims(rows, gold)
    assert scores.trap_hits == [], [(p["relation"], p["drug"], p["effect"]) for p in scores.trap_hits]


def test_seed_depression_claim_slots(seed):
    _, rows, gold = seed
    depression = next(g for g in gold if g["relation"] == "ADVERSE_EFFECT" and g.get("core"))
    matches = _matching(rows, depression)
    assert matches
    claim = max(matches, key=lambda r: r["confidence"])
    assert claim["certainty"] == "hedged"
    assert "infrequent to rare" in claim["frequency"]
    assert "higher doses" in claim["dose"]
    assert slot_matches(claim["population"], depression["population"]), claim["population"]


def test_seed_spasticity_claim_population(seed):
    _, rows, gold = seed
    spasticity = next(g for g in gold if g["relation"] == "TREATS" and "spasticity" in g["effect"])
    matches = _matching(rows, spasticity)
    assert matches
    populations = " ".join(r["population"] for r in matches).lower()
    assert "multiple sclerosis" in populations and "spinal cord" in populations


def test_seed_gaba_b_mechanism(seed):
    _, rows, gold = seed
    mechanism = [r for r in rows if r["relation"] == "MECHANISM" and "gaba-b" in r["effect"].lower()]
    assert mechanism and mechanism[0]["drug"].lower() == "baclofen"
    assert "binding" in mechanism[0]["mechanism"]


def test_seed_foot_of_page_links_yield_nothing(seed):
    doc, rows, _ = seed
    furniture_start = doc.text.index("Inositol: Benefits")
    assert all(r["evidence_start"] < furniture_start for r in rows)
    assert not [e for e in doc.ents if e.start_char >= furniture_start]


def test_seed_precision_is_high(seed):
    _, rows, gold = seed
    assert score_claims(rows, gold).precision >= 0.8
