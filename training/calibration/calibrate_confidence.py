"""Fit the claim-confidence calibration (Platt scaling) on the consumer gold the rules were tuned on.

    python training/calibration/calibrate_confidence.py [--shared DIR] [--out pipeline/data/calibration.json]

The claims extractor's raw score is mapped through sigmoid(a * logit(raw) + b) so that a claim with confidence 0.8
is right about 80% of the time ("right" = matches a non-trap gold claim under the claims_dev matching rules). Fitted
on ../shared/claims_dev and the tuning articles of evaluation/claims_holdout (fitting on claims_dev alone, where 95%
of predictions are right, made the confidence too high for unseen articles); the untouched holdout articles are
only scored. Writes the two parameters with the Brier score and expected calibration error before and after, per set.
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
from pipeline.claims_eval import confidence_labels, expected_calibration_error, gold_set, predict_claims, shared_articles
from pipeline.claims_report import HOLDOUT, holdout_split
from pipeline.paths import DATA_DIR, shared_dir


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _raw_and_labels(nlp, shared: Path, paths: list[Path], ids: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Raw confidence and right/wrong of each (de-duplicated) predicted claim on a gold set's articles."""
    ids, gold = gold_set(paths, ids)
    raw, label = confidence_labels(predict_claims(nlp, shared_articles(shared, ids)), gold)
    return np.array(raw), np.array(label)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--out", type=Path, default=DATA_DIR / "calibration.json")
    args = parser.parse_args(argv)
    nlp = load(calibrate=False)
    split = holdout_split()
    sets = {"claims_dev": ([args.shared / "claims_dev"], None), "holdout_tuning": ([HOLDOUT], split["tuning"]),
            "holdout_untouched": ([HOLDOUT], split["untouched"])}
    data = {name: _raw_and_labels(nlp, args.shared, paths, ids) for name, (paths, ids) in sets.items()}
    fit_raw = np.concatenate([data[n][0] for n in ("claims_dev", "holdout_tuning")])
    fit_label = np.concatenate([data[n][1] for n in ("claims_dev", "holdout_tuning")])
    model = LogisticRegression(C=1.0).fit(_logit(fit_raw).reshape(-1, 1), fit_label)
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])

    def calibrated(raw: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(a * _logit(raw) + b)))

    report = {
        "method": "platt",
        "a": round(a, 6),
        "b": round(b, 6),
        "fitted_on": "claims_dev + evaluation/claims_holdout tuning articles, predictions of the rules extractor",
        "fitted": date.today().isoformat(),
        "n_predictions": int(len(fit_raw)),
        "share_correct": round(float(fit_label.mean()), 4),
        "brier_before": round(float(np.mean((fit_raw - fit_label) ** 2)), 4),
        "brier_after": round(float(np.mean((calibrated(fit_raw) - fit_label) ** 2)), 4),
        "ece_before": round(expected_calibration_error(fit_raw, fit_label), 4),
        "ece_after": round(expected_calibration_error(calibrated(fit_raw), fit_label), 4),
        "per_set": {name: {"n_predictions": int(len(raw)), "share_correct": round(float(lab.mean()), 4),
                           "ece_after": round(expected_calibration_error(calibrated(raw), lab), 4)}
                    for name, (raw, lab) in data.items()},
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if math.isfinite(a) else 1


if __name__ == "__main__":
    raise SystemExit(main())
