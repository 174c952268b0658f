"""A claim's confidence: the probability that an editor finds it right, from the claim's raw rule score and what the
article says around it.

The raw score (one minus the product of the supports' miss chances) ranks claims only by how strong their cues are.
Claims about a drug the article names once, in passing, with an unlinked name, or with a drug that only an anaphor
points to, are wrong more often than their cues suggest; claims about the article's main drug, named in the title and
linked to a knowledge-base concept, are right more often. The calibration (``pipeline/data/calibration.json``, fitted
by ``training/calibration/calibrate_confidence.py``) is either a logistic model over the features below or, as before,
Platt scaling of the raw score alone.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from pipeline.records import Claim
from pipeline.rules import Calibration
from pipeline.textnorm import normalise_text


@dataclass(frozen=True)
class ArticleFacts:
    """What the features read from the whole article: its title in lower case, how often its text names each claim's
    drug (lower-cased name, counted once per article, not once per claim) and how many of its claims name each drug
    (by normalised name)."""

    title: str
    drug_mentions: dict[str, int]
    claims_per_drug: Counter

    @classmethod
    def of(cls, text: str, claims: list[Claim]) -> ArticleFacts:
        lower = text.lower()
        mentions = {drug: lower.count(drug) for drug in {c.drug.lower() for c in claims}}
        return cls(lower.split("\n\n", 1)[0], mentions, Counter(normalise_text(c.drug) for c in claims))


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f"{edges[-1]}+"


def _logit(p: float, clip: float) -> float:
    p = min(max(p, clip), 1 - clip)
    return math.log(p / (1 - p))


def claim_features(claim: Claim, raw: float, article: ArticleFacts) -> dict[str, float]:
    """The features of one claim; ``raw`` is its uncalibrated score."""
    roles = {h.role for h in claim.highlights}
    drug = claim.drug.lower()
    source = claim.drug_id.split(":", 1)[0] if claim.drug_id else "none"
    return {
        "raw_logit": _logit(raw, 1e-3),
        f"relation={claim.relation}": 1.0,
        f"effect_type={claim.effect_type}": 1.0,
        f"drug_source={source}": 1.0,
        "effect_linked": float(bool(claim.effect_id)),
        # the drug is named in the evidence sentence (not only referred to by "it" / "the drug")
        "drug_named": float("drug" in roles),
        "hedge_or_negation": float(bool(roles & {"hedge", "negation"})),
        "drug_capitalised": float(claim.drug[:1].isupper()),
        f"drug_mentions={_bucket(article.drug_mentions.get(drug, 0), (1, 2, 5))}": 1.0,
        f"drug_claims={_bucket(article.claims_per_drug[normalise_text(claim.drug)], (1, 2, 3, 5))}": 1.0,
        "drug_in_title": float(drug in article.title),
    }


def confidence(calibration: Calibration | None, raw: float, features: dict[str, float] | None = None) -> float:
    """The calibrated confidence: the logistic model over ``features`` (which it then needs), Platt scaling of
    ``raw``, or ``raw`` itself without a calibration."""
    if calibration is None:
        return raw
    if calibration.method == "logistic":
        if features is None:
            raise ValueError("the logistic calibration needs the claim's features")
        z = calibration.intercept + sum(calibration.weights.get(name, 0.0) * value for name, value in features.items())
    else:
        z = calibration.a * _logit(raw, 1e-4) + calibration.b  # clipped as when the Platt fit was made
    return 1.0 / (1.0 + math.exp(-z))

