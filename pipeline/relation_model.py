"""The trained relation classifier: does the text state that a chemical causes, treats or acts on another entity?

Linear models (scikit-learn ``LogisticRegression``, one head per relation type, see :class:`RelationModel`) over
hashed sparse features (:mod:`pipeline.relation_features`). It predicts fine labels — ``NONE``, ``ADVERSE_EFFECT``, ``TREATS`` and one
``MECHANISM:<action>`` per ChemProt action — and reports the coarse labels (``NONE``, ``ADVERSE_EFFECT``,
``TREATS``, ``MECHANISM``) as probabilities that sum to 1; the mechanism action is the most probable
``MECHANISM:<action>`` label.

Usage::

    model = RelationModel.load()              # cached: loaded once per process
    probs = model.predict_pairs(doc, [(drug_span, effect_span)])
    probs[0]["ADVERSE_EFFECT"]                # float in [0, 1]
    model.predict_details(doc, pairs)         # typed records with the mechanism action

Saved as ``<dir>/model.joblib`` (the classifier) + ``<dir>/meta.json`` (labels, feature settings, data counts, dev
figures). Training: ``training/relation/train_relation.py``.
"""
from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, Span

from pipeline.paths import MODELS_DIR
from pipeline.relation_features import FEATURE_VERSION, DocIndex, index_doc, pair_features, span_tuple

DEFAULT_MODEL_DIR = MODELS_DIR / "relation"
COARSE_LABELS = ("NONE", "ADVERSE_EFFECT", "TREATS", "MECHANISM")
ACTIONS = ("activator", "inhibitor", "agonist", "antagonist", "substrate", "other")
FINE_LABELS = ("NONE", "ADVERSE_EFFECT", "TREATS") + tuple(f"MECHANISM:{a}" for a in ACTIONS)
N_FEATURES = 2**19
MODEL_FORMAT = 2  # 2: one head per relation type


class RelationModelError(Exception):
    """The relation model is missing or does not match this code."""


@dataclass(frozen=True)
class PairPrediction:
    """One pair's prediction: the coarse label and its probabilities, and the mechanism action when relevant."""

    label: str
    probabilities: dict[str, float]  # coarse label -> probability, sums to 1
    action: str  # most probable MECHANISM action ("" when the label is not MECHANISM)
    action_probability: float  # P(MECHANISM:<action>), absolute


def coarse_label(fine: str) -> str:
    return fine.split(":", 1)[0]


HEADS = ("ADVERSE_EFFECT", "TREATS", "MECHANISM")


class RelationModel:
    """Hashed pair features -> one logistic-regression head per relation type, combined into one distribution.

    The corpora are partially annotated: BC5CDR and ADE mark adverse effects only, so their unrelated pairs include
    treatment statements; ChemProt marks mechanisms only. Each head is therefore trained only on the examples of
    corpora that annotate its type (plus the positives of the other types, which are mutually exclusive with it):
    ``ADVERSE_EFFECT`` and ``TREATS`` are binary, ``MECHANISM`` is multinomial over NONE and the actions. The head
    scores s_i are combined as independent events: P(NONE) ∝ Π(1 − s_j), P(i) ∝ s_i Π_{j≠i}(1 − s_j).
    """

    def __init__(self, *, heads: dict[str, LogisticRegression | None] | None = None, meta: dict | None = None,
                 c: float = 1.0, balanced: tuple[str, ...] = ()):
        self.hasher = FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)
        self.c = c
        self.balanced = balanced  # heads trained with class_weight="balanced" (rare positives)
        self.heads: dict[str, LogisticRegression | None] = dict(heads or dict.fromkeys(HEADS))
        self.meta = dict(meta or {})

    # -- training -----------------------------------------------------------------------------------------------
    def vectorise(self, feature_lists: list[list[str]]):
        matrix = self.hasher.transform(feature_lists)
        matrix.data[:] = 1.0  # binary features: a repeated feature string counts once
        return matrix

    def fit(self, feature_lists: list[list[str]], labels: list[str],
            annotated: list[frozenset[str]] | None = None) -> "RelationModel":
        """``annotated[i]``: the relation types the corpus of example i annotates (default: all of them)."""
        unknown = set(labels) - set(FINE_LABELS)
        if unknown:
            raise RelationModelError(f"unknown training labels {sorted(unknown)}; allowed: {FINE_LABELS}")
        annotated = annotated or [frozenset(HEADS)] * len(labels)
        matrix = self.vectorise(feature_lists)
        for head in HEADS:
            rows = [i for i, (label, types) in enumerate(zip(labels, annotated))
                    if head in types or coarse_label(label) not in ("NONE", head)]
            targets = [self._head_target(head, labels[i]) for i in rows]
            if len(set(targets)) < 2:
                self.heads[head] = None  # no data for this type: it always scores 0
                continue
            weight = "balanced" if head in self.balanced else None
            classifier = LogisticRegression(C=self.c, max_iter=300, solver="saga", tol=1e-3, random_state=0,
                                            class_weight=weight)
            self.heads[head] = classifier.fit(matrix[rows], targets)
        return self

    @staticmethod
    def _head_target(head: str, label: str) -> str:
        if head == "MECHANISM":
            return label if label.startswith("MECHANISM:") else "NONE"
        return head if label == head else "NONE"

    # -- prediction ---------------------------------------------------------------------------------------------
    def fine_probabilities(self, feature_lists: list[list[str]]) -> np.ndarray:
        """(n_pairs, len(FINE_LABELS)) probabilities summing to 1 per row (see the class docstring)."""
        out = np.zeros((len(feature_lists), len(FINE_LABELS)))
        if not feature_lists:
            return out
        matrix = self.vectorise(feature_lists)
        scores, actions = {}, np.zeros((len(feature_lists), len(ACTIONS)))
        for head in HEADS:
            classifier = self.heads.get(head)
            if classifier is None:
                scores[head] = np.zeros(len(feature_lists))
                continue
            probs = classifier.predict_proba(matrix)
            classes = list(classifier.classes_)
            scores[head] = 1.0 - probs[:, classes.index("NONE")]
            if head == "MECHANISM":
                for column, label in enumerate(classes):
                    if label != "NONE":
                        actions[:, ACTIONS.index(label.split(":", 1)[1])] = probs[:, column]
        none = np.prod([1.0 - scores[h] for h in HEADS], axis=0)
        weights = {h: scores[h] * np.prod([1.0 - scores[o] for o in HEADS if o != h], axis=0) for h in HEADS}
        total = none + sum(weights.values())
        out[:, 0] = none / total
        out[:, 1] = weights["ADVERSE_EFFECT"] / total
        out[:, 2] = weights["TREATS"] / total
        share = actions / np.maximum(actions.sum(axis=1, keepdims=True), 1e-12)
        out[:, 3:] = share * (weights["MECHANISM"] / total)[:, None]
        return out

    def pair_feature_lists(
        self, doc: Doc, pairs: list[tuple[Span, Span]], *, index: DocIndex | None = None
    ) -> list[list[str]]:
        index = index or index_doc(doc)
        # the first span is the drug/chemical whatever its label (brand, class...): training always saw CHEMICAL
        return [pair_features(index, (chem.start, chem.end, "CHEMICAL"), span_tuple(other)) for chem, other in pairs]

    def predict_pairs(self, doc: Doc, pairs: list[tuple[Span, Span]]) -> list[dict[str, float]]:
        """Coarse label probabilities (summing to 1) for each (chemical span, other span) pair of ``doc``."""
        return [p.probabilities for p in self.predict_details(doc, pairs)]

    def predict_pairs_from_features(self, feature_lists: list[list[str]]) -> list[dict[str, float]]:
        """Coarse probabilities for precomputed feature lists (evaluation on gold-entity examples)."""
        return [self._record(row).probabilities for row in self.fine_probabilities(feature_lists)]

    def predict_details(self, doc: Doc, pairs: list[tuple[Span, Span]]) -> list[PairPrediction]:
        fine = self.fine_probabilities(self.pair_feature_lists(doc, pairs))
        return [self._record(row) for row in fine]

    @staticmethod
    def _record(row: np.ndarray) -> PairPrediction:
        coarse = dict.fromkeys(COARSE_LABELS, 0.0)
        for label, value in zip(FINE_LABELS, row):
            coarse[coarse_label(label)] += float(value)
        label = max(coarse, key=coarse.__getitem__)
        mech = [(float(row[i]), FINE_LABELS[i].split(":", 1)[1]) for i in range(3, len(FINE_LABELS))]
        action_probability, action = max(mech)
        if label != "MECHANISM":
            action = ""
        return PairPrediction(label, coarse, action, action_probability)

    def predict_document(
        self, doc: Doc, pairs: list[tuple[Span, Span]], keys: list[tuple[Hashable, Hashable]]
    ) -> dict[Hashable, dict[str, float]]:
        """Document-level scores per concept pair: ``keys[i]`` is the (chemical, other) concept key of ``pairs[i]``
        (e.g. ``(ent._.concept_id or ent.text.lower(), ...)``). See :func:`aggregate_pair_scores`."""
        index = index_doc(doc)
        same = [index.sent_of[a.start] == index.sent_of[b.start] for a, b in pairs]
        probs = self.predict_pairs(doc, pairs)
        weight = float(self.meta.get("cross_sentence_weight", 1.0))
        return aggregate_pair_scores(zip(keys, probs, same), cross_sentence_weight=weight)

    # -- persistence --------------------------------------------------------------------------------------------
    def save(self, path: Path | str) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self._compact()
        joblib.dump(self.heads, path / "model.joblib", compress=3)
        meta = {**self.meta, "labels": list(FINE_LABELS), "coarse_labels": list(COARSE_LABELS),
                "feature_version": FEATURE_VERSION, "n_features": N_FEATURES, "model_format": MODEL_FORMAT, "hashing": "FeatureHasher binary"}
        (path / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def _compact(self) -> None:
        """float32 weights: halves the file, no measurable change in predictions."""
        for classifier in self.heads.values():
            if classifier is not None:
                classifier.coef_ = classifier.coef_.astype(np.float32)
                classifier.intercept_ = classifier.intercept_.astype(np.float32)

    @classmethod
    def from_disk(cls, path: Path | str) -> "RelationModel":
        path = Path(path)
        if not (path / "model.joblib").exists() or not (path / "meta.json").exists():
            raise RelationModelError(
                f"no relation model at {path}: run `make -C training/relation all` to train one"
            )
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if (meta.get("feature_version"), meta.get("n_features"), meta.get("model_format")) != (
            FEATURE_VERSION, N_FEATURES, MODEL_FORMAT
        ):
            raise RelationModelError(
                f"relation model at {path} has feature version {meta.get('feature_version')} / format "
                f"{meta.get('model_format')}, this code needs {FEATURE_VERSION} / {MODEL_FORMAT}: "
                "retrain it (make -C training/relation all)"
            )
        return cls(heads=joblib.load(path / "model.joblib"), meta=meta)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "RelationModel":
        """The model at ``path`` (default: the shipped one), loaded once per process and per path."""
        return _cached(str(Path(path or DEFAULT_MODEL_DIR).resolve()))

    @property
    def threshold(self) -> float:
        """Probability above which a relation is reported (tuned on dev at training time; 0.5 when absent)."""
        return float(self.meta.get("threshold", 0.5))


def aggregate_pair_scores(
    items: Iterable[tuple[Hashable, dict[str, float], bool]], *, cross_sentence_weight: float
) -> dict[Hashable, dict[str, float]]:
    """Document-level relation scores: for each key and relation label, the maximum over its mention pairs, where a
    pair whose mentions lie in different sentences counts ``cross_sentence_weight`` times its probability (evidence
    across sentences is weaker; the weight is tuned on BC5CDR dev). Scores are per label, not a distribution, for
    the relation labels the probabilities carry (``NONE`` left out)."""
    out: dict[Hashable, dict[str, float]] = {}
    for key, probs, same_sentence in items:
        factor = 1.0 if same_sentence else cross_sentence_weight
        best = out.setdefault(key, {})
        for label, p in probs.items():
            if label != "NONE":
                best[label] = max(best.get(label, 0.0), factor * p)
    return out


@lru_cache(maxsize=4)
def _cached(path: str) -> RelationModel:
    return RelationModel.from_disk(path)
