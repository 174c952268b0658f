"""Document-level relations between concepts: does this abstract say chemical C induces disease D?

BC5CDR's chemical-induced-disease task asks, per document, which (chemical MeSH id, disease MeSH id) pairs the text
supports, whether or not one sentence states them. The pair classifier (:mod:`pipeline.relation_model`) scores each
pair of *mentions*; this module turns a document's mention-pair scores into one score per *concept* pair with a
small logistic regression over what the document shows about the pair:

* the pair classifier's evidence: best same-sentence and cross-sentence ADVERSE_EFFECT probability, how many mention
  pairs, how close, the mean probability;
* the document's shape: title mentions, how often each concept is named, whether it is the most named of its type,
  how many chemicals and diseases the document names, where each is first named;
* prior knowledge from the training annotations (:class:`RelationPrior`): whether the pair was annotated as
  chemical-induced in a training abstract, how often it co-occurred without being related, and how often the
  chemical (the disease) takes part in any annotated relation when named — the curated-knowledge features CID
  systems use, here taken only from the project's training splits.

Usage::

    model = DocumentRelationModel.load()                    # shipped model, cached per process
    scores = model.score(mentions, pair_records)            # {(chem id, disease id): probability}
    related = {k for k, p in scores.items() if p >= model.threshold}

``mentions`` are :class:`ConceptMention` (label, concept ids, sentence number; sentence 0 is the title) and
``pair_records`` :class:`PairRecord` (the chemical's and the disease's concept ids and sentences and the pair
classifier's ADVERSE_EFFECT probability). Saved as one JSON file (coefficients, feature scaling, threshold, prior,
training figures). Training: ``training/relation/train_document.py``.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.paths import MODELS_DIR

DEFAULT_PATH = MODELS_DIR / "relation" / "document.json"
FORMAT = 1
FEATURES = (
    "same_sentence_max", "cross_sentence_max", "weighted_max", "log_same_pairs", "log_cross_pairs", "min_sentence_gap",
    "mean_probability", "chemical_in_title", "disease_in_title", "log_chemical_mentions", "log_disease_mentions",
    "chemical_most_named", "disease_most_named", "log_chemicals", "log_diseases", "chemical_first_sentence",
    "disease_first_sentence", "prior_related", "log_prior_related", "prior_unrelated_only", "log_prior_unrelated",
    "prior_chemical_rate", "prior_disease_rate", "log_prior_disease_docs", "log_prior_chemical_docs",
)
CHEMICAL, DISEASE = "CHEMICAL", "CONDITION"


class DocumentModelError(Exception):
    """The document-level model is missing, malformed or of another format."""


@dataclass(frozen=True)
class ConceptMention:
    label: str  # CHEMICAL or CONDITION
    ids: tuple[str, ...]  # concept ids (MeSH); empty when unnormalised
    sentence: int  # 0 = title


@dataclass(frozen=True)
class PairRecord:
    chemical_ids: tuple[str, ...]
    disease_ids: tuple[str, ...]
    chemical_sentence: int
    disease_sentence: int
    probability: float  # the pair classifier's P(ADVERSE_EFFECT)


@dataclass
class RelationPrior:
    """Counts over annotated training documents (concept ids as in the annotation)."""

    related: dict[tuple[str, str], int] = field(default_factory=dict)  # pair annotated as chemical-induced
    cooccurring: dict[tuple[str, str], int] = field(default_factory=dict)  # pair named in the same document
    chemical_docs: dict[str, int] = field(default_factory=dict)
    chemical_related: dict[str, int] = field(default_factory=dict)
    disease_docs: dict[str, int] = field(default_factory=dict)
    disease_related: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_documents(cls, documents: Iterable[tuple[Iterable[str], Iterable[str], Iterable[tuple[str, str]]]]):
        """``documents``: (chemical ids, disease ids, related (chemical, disease) pairs) per training document."""
        prior = cls(*(defaultdict(int) for _ in range(6)))
        for chemicals, diseases, related in documents:
            chemicals, diseases, related = set(chemicals), set(diseases), set(related)
            for a in chemicals:
                prior.chemical_docs[a] += 1
                prior.chemical_related[a] += any(x == a for x, _ in related)
            for b in diseases:
                prior.disease_docs[b] += 1
                prior.disease_related[b] += any(y == b for _, y in related)
            for a in chemicals:
                for b in diseases:
                    prior.cooccurring[(a, b)] += 1
                    prior.related[(a, b)] += (a, b) in related
        for name in ("related", "cooccurring", "chemical_docs", "chemical_related", "disease_docs", "disease_related"):
            setattr(prior, name, {k: v for k, v in getattr(prior, name).items() if v})
        return prior

    def to_json(self) -> dict:
        pairs = sorted(self.cooccurring)
        return {
            "pairs": [[a, b, self.cooccurring[(a, b)], self.related.get((a, b), 0)] for a, b in pairs],
            "chemicals": {k: [v, self.chemical_related.get(k, 0)] for k, v in sorted(self.chemical_docs.items())},
            "diseases": {k: [v, self.disease_related.get(k, 0)] for k, v in sorted(self.disease_docs.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> "RelationPrior":
        pairs = {(a, b): (n, r) for a, b, n, r in data["pairs"]}
        return cls(
            related={k: r for k, (_, r) in pairs.items() if r},
            cooccurring={k: n for k, (n, _) in pairs.items()},
            chemical_docs={k: v[0] for k, v in data["chemicals"].items()},
            chemical_related={k: v[1] for k, v in data["chemicals"].items() if v[1]},
            disease_docs={k: v[0] for k, v in data["diseases"].items()},
            disease_related={k: v[1] for k, v in data["diseases"].items() if v[1]},
        )


def concept_pair_features(
    mentions: list[ConceptMention], records: list[PairRecord], prior: RelationPrior, *, cross_sentence_weight: float
) -> dict[tuple[str, str], list[float]]:
    """One feature vector (in :data:`FEATURES` order) per (chemical id, disease id) pair that some record joins."""
    evidence: dict[tuple[str, str], list] = {}
    for r in records:
        same = r.chemical_sentence == r.disease_sentence
        gap = abs(r.chemical_sentence - r.disease_sentence)
        for a in r.chemical_ids:
            for b in r.disease_ids:
                e = evidence.setdefault((a, b), [0.0, 0.0, 0, 0, 99, 0.0])
                e[0 if same else 1] = max(e[0 if same else 1], r.probability)
                e[2 if same else 3] += 1
                e[4] = min(e[4], gap)
                e[5] += r.probability
    count: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    kinds: dict[str, set[str]] = {CHEMICAL: set(), DISEASE: set()}
    for m in mentions:
        for k in m.ids:
            count[k] += 1
            first[k] = min(first.get(k, m.sentence), m.sentence)
            kinds.setdefault(m.label, set()).add(k)
    top = {label: max((count[k] for k in ids), default=0) for label, ids in kinds.items()}
    out = {}
    for (a, b), (same_max, cross_max, n_same, n_cross, gap, total) in evidence.items():
        related, together = prior.related.get((a, b), 0), prior.cooccurring.get((a, b), 0)
        out[(a, b)] = [
            same_max, cross_max, max(same_max, cross_sentence_weight * cross_max), math.log1p(n_same),
            math.log1p(n_cross), min(gap, 5), total / (n_same + n_cross),
            float(first.get(a, 99) == 0), float(first.get(b, 99) == 0), math.log1p(count[a]), math.log1p(count[b]),
            float(count[a] == top[CHEMICAL]), float(count[b] == top[DISEASE]),
            math.log1p(len(kinds[CHEMICAL])), math.log1p(len(kinds[DISEASE])),
            min(first.get(a, 10), 10), min(first.get(b, 10), 10),
            float(related > 0), math.log1p(related), float(together > 0 and related == 0), math.log1p(together - related),
            (prior.chemical_related.get(a, 0) + 0.2) / (prior.chemical_docs.get(a, 0) + 1),
            (prior.disease_related.get(b, 0) + 0.2) / (prior.disease_docs.get(b, 0) + 1),
            math.log1p(prior.disease_docs.get(b, 0)), math.log1p(prior.chemical_docs.get(a, 0)),
        ]
    return out


class DocumentRelationModel:
    """Logistic regression over :data:`FEATURES` (standardised), with its decision threshold and prior."""

    def __init__(self, *, coef, intercept: float, mean, scale, threshold: float, prior: RelationPrior,
                 cross_sentence_weight: float, meta: dict | None = None):
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = float(intercept)
        self.mean = np.asarray(mean, dtype=float)
        self.scale = np.asarray(scale, dtype=float)
        self.threshold = float(threshold)
        self.prior = prior
        self.cross_sentence_weight = float(cross_sentence_weight)
        self.meta = dict(meta or {})

    @classmethod
    def fit(cls, X, y, *, prior: RelationPrior, cross_sentence_weight: float, threshold: float = 0.5,
            c: float = 1.0, meta: dict | None = None) -> "DocumentRelationModel":
        from sklearn.linear_model import LogisticRegression

        X = np.asarray(X, dtype=float)
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        classifier = LogisticRegression(C=c, max_iter=5000).fit((X - mean) / scale, np.asarray(y, dtype=int))
        return cls(coef=classifier.coef_[0], intercept=classifier.intercept_[0], mean=mean, scale=scale,
                   threshold=threshold, prior=prior, cross_sentence_weight=cross_sentence_weight, meta=meta)

    def probabilities(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float).reshape(-1, len(FEATURES))
        return 1.0 / (1.0 + np.exp(-(((X - self.mean) / self.scale) @ self.coef + self.intercept)))

    def score(self, mentions: list[ConceptMention], records: list[PairRecord]) -> dict[tuple[str, str], float]:
        """{(chemical id, disease id): probability that the document states the chemical induces the disease}."""
        features = concept_pair_features(mentions, records, self.prior, cross_sentence_weight=self.cross_sentence_weight)
        if not features:
            return {}
        keys = list(features)
        return dict(zip(keys, self.probabilities([features[k] for k in keys]).tolist()))

    # -- persistence --------------------------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        data = {
            "format": FORMAT, "features": list(FEATURES), "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6), "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
            "threshold": self.threshold, "cross_sentence_weight": self.cross_sentence_weight, "meta": self.meta,
            "prior": self.prior.to_json(),
        }
        Path(path).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path | str) -> "DocumentRelationModel":
        path = Path(path)
        if not path.exists():
            raise DocumentModelError(f"no document-level relation model at {path}: run `make -C training/relation all`")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DocumentModelError(f"{path} is not valid JSON: {exc}") from exc
        if data.get("format") != FORMAT or data.get("features") != list(FEATURES):
            raise DocumentModelError(f"{path} has format {data.get('format')} / other features than this code: retrain "
                                     "it (make -C training/relation all)")
        return cls(coef=data["coef"], intercept=data["intercept"], mean=data["mean"], scale=data["scale"],
                   threshold=data["threshold"], prior=RelationPrior.from_json(data["prior"]),
                   cross_sentence_weight=data["cross_sentence_weight"], meta=data.get("meta"))

    @classmethod
    def load(cls, path: Path | str | None = None) -> "DocumentRelationModel":
        """The model at ``path`` (default: the shipped one), loaded once per process and per path."""
        return _cached(str(Path(path or DEFAULT_PATH).resolve()))


@lru_cache(maxsize=4)
def _cached(path: str) -> DocumentRelationModel:
    return DocumentRelationModel.from_disk(path)
