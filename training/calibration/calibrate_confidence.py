"""Fit the claim-confidence calibration (Platt scaling) on the consumer development gold.

    python training/calibration/calibrate_confidence.py [--shared DIR] [--out pipeline/data/calibration.json]

The claims extractor's raw score is mapped through sigmoid(a * logit(raw) + b) so that a claim with confidence 0.8
is right about 80% of the time on the development articles ("right" = matches a non-trap gold claim under the
claims_dev matching rules). Writes the two parameters with the Brier score and expected calibration error before
and after.
"""
from __future__ import annotations

import argparse
import json
import math
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from pipeline import load
from pipeline.claims_eval import claims_dev_articles, expected_calibration_error, read_gold, row_matches
from pipeline.paths import DATA_DIR, shared_dir
from pipeline.tables import claim_rows


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--out", type=Path, default=DATA_DIR / "calibration.json")
    args = parser.parse_args(argv)
    gold = read_gold([args.shared / "claims_dev"])
    non_trap = [g for g in gold if not g.get("trap")]
    nlp = load(calibrate=False)
    raw, label = [], []
    articles = claims_dev_articles(args.shared, gold)
    for (article_id, _), doc in zip(articles, nlp.pipe([t for _, t in articles])):
        for row in claim_rows(article_id, doc._.claims):
            pred = {"article_id": article_id, "relation": row.relation, "drug": row.drug, "effect": row.effect}
            raw.append(row.confidence)
            label.append(float(any(row_matches(pred, g) for g in non_trap)))
    raw_a, label_a = np.array(raw), np.array(label)
    model = LogisticRegression(C=1.0).fit(_logit(raw_a).reshape(-1, 1), label_a)
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])
    calibrated = 1 / (1 + np.exp(-(a * _logit(raw_a) + b)))
    report = {
        "method": "platt",
        "a": round(a, 6),
        "b": round(b, 6),
        "fitted_on": "claims_dev (consumer development gold), predictions of the rules extractor",
        "fitted": date.today().isoformat(),
        "n_predictions": len(raw),
        "share_correct": round(float(label_a.mean()), 4),
        "brier_before": round(float(np.mean((raw_a - label_a) ** 2)), 4),
        "brier_after": round(float(np.mean((calibrated - label_a) ** 2)), 4),
        "ece_before": round(expected_calibration_error(raw_a, label_a), 4),
        "ece_after": round(expected_calibration_error(calibrated, label_a), 4),
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if math.isfinite(a) else 1


if __name__ == "__main__":
    raise SystemExit(main())
