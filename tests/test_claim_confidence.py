"""The claim-confidence features and model (pipeline/claim_confidence.py) on hand-built claims."""
from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from pipeline.claim_confidence import ArticleFacts, claim_features, confidence
from pipeline.records import Claim, Highlight
from pipeline.rules import Calibration, load_calibration


def _claim(drug="metformin", drug_id="DRUGBANK:DB00331", relation="TREATS", highlights=("drug", "effect"), **kw):
    values = dict(claim_key=f"{relation}|{drug}|diabetes", relation=relation, drug=drug, drug_id=drug_id,
                  effect="type 2 diabetes", effect_id="MESH:D003924", effect_type="CONDITION", population="",
                  mechanism="", certainty="asserted", frequency="", frequency_band="", dose="", evidence="...",
                  evidence_start=0, evidence_end=3, sentence_index=2, confidence=0.8, extractor="rules-v1",
                  n_supporting_sentences=1, highlights=tuple(Highlight(i, i + 1, r) for i, r in enumerate(highlights)))
    values.update(kw)
    return Claim(**values)


TEXT = "Metformin for diabetes\n\nMetformin lowers blood sugar. Doctors prescribe metformin. Aspirin was not studied."


def test_claim_confidence_features_read_the_claim_and_its_article():
    claims = [_claim(), _claim(effect="weight gain", claim_key="x"), _claim(drug="aspirin", drug_id="")]
    facts = ArticleFacts.of(TEXT, claims)
    features = claim_features(claims[0], 0.8, facts)
    assert features["raw_logit"] == pytest.approx(math.log(0.8 / 0.2))
    assert features["relation=TREATS"] == features["drug_source=DRUGBANK"] == features["effect_linked"] == 1.0
    assert features["drug_named"] == 1.0 and features["hedge_or_negation"] == 0.0
    assert features["drug_mentions=5"] == 1.0  # three times in the text: the bucket of 3-5
    assert features["drug_claims=2"] == 1.0 and features["drug_in_title"] == 1.0
    other = claim_features(claims[2], 0.8, facts)
    assert other["drug_source=none"] == 1.0 and other["drug_mentions=1"] == 1.0 and other["drug_in_title"] == 0.0
    anaphor = claim_features(_claim(highlights=("effect", "hedge")), 0.8, facts)
    assert anaphor["drug_named"] == 0.0 and anaphor["hedge_or_negation"] == 1.0


def test_claim_confidence_logistic_and_platt():
    features = {"raw_logit": 1.0, "drug_named": 1.0, "relation=TREATS": 1.0}
    logistic = Calibration(method="logistic", weights={"raw_logit": 0.5, "drug_named": 1.0, "unused": 9.0},
                           intercept=-0.25)
    assert confidence(logistic, 0.7, features) == pytest.approx(1 / (1 + math.exp(-1.25)))
    platt = Calibration(method="platt", a=2.0, b=-1.0)
    assert confidence(platt, 0.5) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert confidence(None, 0.42) == 0.42
    with pytest.raises(ValueError, match="features"):
        confidence(logistic, 0.7)


def test_claim_confidence_logistic_calibration_needs_weights():
    with pytest.raises(ValidationError, match="weights"):
        Calibration(method="logistic", intercept=0.1)
    with pytest.raises(ValidationError):
        Calibration(method="isotonic", a=1.0, b=0.0)


def test_claim_confidence_shipped_model_prefers_a_named_linked_drug():
    calibration = load_calibration()
    assert calibration is not None and calibration.method == "logistic"
    claims = [_claim(), _claim(drug="Tampa", drug_id="", highlights=("effect",))]
    facts = ArticleFacts.of(TEXT, claims)
    strong, weak = (confidence(calibration, 0.8, claim_features(c, 0.8, facts)) for c in claims)
    assert 0.0 < weak < strong < 1.0
