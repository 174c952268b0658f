"""Claim-level quality on the consumer development gold (../shared/claims_dev): floors that a regression breaks.

The issue's targets are precision 0.80, recall 0.70, no trap, certainty 0.80 and population/mechanism 0.60; these
floors lock in what the shipped pipeline measures now (see README figures) so nothing silently gets worse. The rules
were tuned on these articles, so the figures are development figures, not an estimate on unseen articles.
"""
from __future__ import annotations

import pytest

from pipeline.claims_eval import claims_dev_articles, predict_claims, read_gold, score_claims

# Session 5 (NER trained without dev abstracts, BC5CDR counted twice): P 0.895, R 0.738, certainty 0.841,
# population 0.760, mechanism 0.667 (24 of 36). Session 6 (consumer verbs of benefit, 'They' opening a sentence, the
# nearest cue governing an effect, clause and scope rules, lexicon additions): P 0.942, R 0.779, certainty 0.850,
# population 0.745, mechanism 0.667 (26 of 39); the target for the slots is 0.60. Session 7 (rules from the
# project's held-out tuning articles, article titles read): P 0.956, R 0.800, certainty 0.862, population 0.741
# (40 of 54), mechanism 0.683 (28 of 41). Session 9 (NER with defined short forms, relation models retrained, a
# certainty booster): P 0.962, R 0.814, certainty 0.864, population 0.759, mechanism 0.698 (30 of 43). Session 10
# (general cue and scope rules from the held-out tuning articles): P 0.9625, R 0.821 (119 of 145), certainty 0.866,
# population 0.764, mechanism 0.698.
# Session 14 (rules from the tuning articles' errors and everyday wordings): P 0.964 (160 of 166), R 0.841 (122 of
# 145), certainty 0.869, population 0.754, mechanism 0.682; the recall floor rises to 0.81.
# Session 16: frequency and dose scored too (same rule as population; the gold lists them on 52 and 40 of the 145 core
# rows): frequency 0.614 (27 of 44 matched rows), dose 0.079 -> 0.474 (18 of 38) with dose phrases, regimens and the
# dose the article ties to the drug's name.
# Session 20: dose 0.474 -> 0.526 (20 of 38) with the dose of the next or previous sentence about the drug; the dose
# floor rises to 0.49.
# Session 22: mechanism 0.682 -> 0.750 with the mechanism phrase as the article words it (determiners kept); floor
# 0.65 -> 0.72.
FLOORS = {"precision": 0.93, "recall": 0.81, "certainty_accuracy": 0.84, "population_accuracy": 0.72,
          "mechanism_accuracy": 0.72, "frequency_accuracy": 0.55, "dose_accuracy": 0.49, "max_trap_hits": 0}


@pytest.fixture(scope="module")
def scores(shared_dir, nlp):
    gold = read_gold([shared_dir / "claims_dev"])
    articles = claims_dev_articles(shared_dir, gold)
    assert len(articles) == len({g["article_id"] for g in gold}), "claims_dev articles missing from fakehealth.jsonl"
    return score_claims(predict_claims(nlp, articles), gold)


def test_claims_dev_precision_floor(scores):
    assert scores.precision >= FLOORS["precision"], scores.summary()


def test_claims_dev_recall_floor(scores):
    assert scores.recall >= FLOORS["recall"], scores.summary()


def test_claims_dev_certainty_floor(scores):
    assert scores.certainty_right / scores.certainty_total >= FLOORS["certainty_accuracy"], scores.summary()


def test_claims_dev_population_floor(scores):
    assert scores.population_right / scores.population_total >= FLOORS["population_accuracy"], scores.summary()


def test_claims_dev_mechanism_floor(scores):
    assert scores.mechanism_right / scores.mechanism_total >= FLOORS["mechanism_accuracy"], scores.summary()


def test_claims_dev_frequency_and_dose_floors(scores):
    assert scores.frequency_right / scores.frequency_total >= FLOORS["frequency_accuracy"], scores.summary()
    assert scores.dose_right / scores.dose_total >= FLOORS["dose_accuracy"], scores.summary()


def test_claims_dev_trap_hits_ceiling(scores):
    assert len(scores.trap_hits) <= FLOORS["max_trap_hits"], [(p["drug"], p["relation"], p["effect"]) for p in scores.trap_hits]


def test_claims_dev_confidence_is_conservative_on_tuned_articles(shared_dir, nlp):
    """The shipped confidence on the development gold, which the rules were tuned on. Until session 11 the
    calibration was a Platt fit on claims_dev plus the tuning holdout articles (session 7: ECE 0.101 here), which made
    it overconfident on new articles (session 12, batch 6: mean 0.86 against 63% right). Its level is now the
    precision measured on unseen articles (0.653; 0.675 since session 13), so here, where 96% of the predictions are
    right, it is conservative: never above the share right, and right predictions score higher than wrong ones.
    Session 12: ECE 0.282 here, 0.065 on the untouched holdout articles; session 13: 0.256 here, 0.105 there."""
    import numpy as np

    from pipeline.claims_eval import expected_calibration_error, row_matches

    gold = read_gold([shared_dir / "claims_dev"])
    non_trap = [g for g in gold if not g.get("trap")]
    rows = predict_claims(nlp, claims_dev_articles(shared_dir, gold))
    prob = np.array([r["confidence"] for r in rows])
    right = np.array([float(any(row_matches(r, g) for g in non_trap)) for r in rows])
    assert ((prob >= 0) & (prob <= 1)).all()
    assert prob.mean() <= right.mean(), (prob.mean(), right.mean())
    assert prob[right == 1].mean() > prob[right == 0].mean()
    ece = expected_calibration_error(prob, right)
    assert ece <= 0.32, ece
