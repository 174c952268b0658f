"""Claim-level evaluation against gold ``*.claims.jsonl`` files, with the matching rules of
``../shared/claims_dev/README.md`` (so figures are comparable across systems).

    python -m pipeline.claims_eval OUTPUT_DIR GOLD_DIR_OR_FILE...
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.textnorm import normalise_text

RELATION_FAMILY = {"TREATS": "TREATS/PREVENTS", "PREVENTS": "TREATS/PREVENTS"}


def string_matches(predicted: str, aliases: Iterable[str]) -> bool:
    """Equal after normalisation, or one a contiguous token run of the other with the shorter ≥ 4 characters."""
    p = normalise_text(predicted)
    if not p:
        return False
    for alias in aliases:
        a = normalise_text(alias)
        if not a:
            continue
        if p == a:
            return True
        shorter, longer = (p, a) if len(p) <= len(a) else (a, p)
        if len(shorter) >= 4 and f" {shorter} " in f" {longer} ":
            return True
    return False


def slot_matches(value: str, aliases: list[str]) -> bool:
    """A slot value (possibly several '; '-joined phrases) matches when any of its phrases matches."""
    return any(string_matches(part, aliases) for part in [value, *value.split(";")] if part.strip())


def family(relation: str) -> str:
    return RELATION_FAMILY.get(relation, relation)


def row_matches(pred: dict, gold: dict, *, any_relation: bool = False) -> bool:
    return (
        pred["article_id"] == gold["article_id"]
        and (any_relation or family(pred["relation"]) == family(gold["relation"]))
        and string_matches(pred["drug"], gold["drug"])
        and string_matches(pred["effect"], gold["effect"])
    )


@dataclass
class ClaimScores:
    n_predicted: int = 0
    n_matched_predictions: int = 0
    n_core: int = 0
    n_core_found: int = 0
    trap_hits: list[dict] = field(default_factory=list)
    certainty_right: int = 0
    certainty_total: int = 0
    population_right: int = 0
    population_total: int = 0
    mechanism_right: int = 0
    mechanism_total: int = 0
    frequency_right: int = 0
    frequency_total: int = 0
    dose_right: int = 0
    dose_total: int = 0
    missed_core: list[dict] = field(default_factory=list)
    unmatched_predictions: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.n_matched_predictions / self.n_predicted if self.n_predicted else 0.0

    @property
    def recall(self) -> float:
        return self.n_core_found / self.n_core if self.n_core else 0.0

    def summary(self) -> dict:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "predictions": self.n_predicted,
            "precision": round(self.precision, 4),
            "core_rows": self.n_core,
            "recall": round(self.recall, 4),
            "trap_hits": len(self.trap_hits),
            "certainty_accuracy": ratio(self.certainty_right, self.certainty_total),
            "population_accuracy": ratio(self.population_right, self.population_total),
            "mechanism_accuracy": ratio(self.mechanism_right, self.mechanism_total),
            "frequency_accuracy": ratio(self.frequency_right, self.frequency_total),
            "dose_accuracy": ratio(self.dose_right, self.dose_total),
        }


SLOTS = ("population", "mechanism", "frequency", "dose")  # scored over matched core rows whose gold lists one


def hits_trap(row: dict, traps: list[dict], non_trap: list[dict], matches: Callable[..., bool]) -> bool:
    """The claims_dev trap rule: ``row`` matches a trap with the same relation, or a trap under any relation while
    matching no non-trap row under any relation (``matches``: :func:`row_matches` for a prediction, a gold-row
    matcher for a second annotation)."""
    return any(matches(row, t) for t in traps) or (
        any(matches(row, t, any_relation=True) for t in traps)
        and not any(matches(row, g, any_relation=True) for g in non_trap))


def deduplicate(predictions: list[dict]) -> list[dict]:
    seen, out = set(), []
    for pred in predictions:
        key = (pred["article_id"], normalise_text(pred["drug"]), pred["relation"], normalise_text(pred["effect"]))
        if key not in seen:
            seen.add(key)
            out.append(pred)
    return out


def score_claims(predictions: list[dict], gold: list[dict], article_ids: Iterable[str] | None = None) -> ClaimScores:
    """Predictions are rows of the ``claims`` table (dicts); gold rows follow CLAIMS_GUIDELINES.md.

    ``article_ids``: the annotated articles, when some of them have no gold row (an article without any drug claim,
    an empty ``.claims.jsonl``): every prediction on them is then a false positive. By default, the gold rows' ids.
    """
    scores = ClaimScores()
    articles = set(article_ids) if article_ids is not None else {g["article_id"] for g in gold}
    predictions = deduplicate([p for p in predictions if p["article_id"] in articles])
    non_trap = [g for g in gold if not g.get("trap")]
    traps = [g for g in gold if g.get("trap")]
    scores.n_predicted = len(predictions)
    for pred in predictions:
        matched = any(row_matches(pred, g) for g in non_trap)
        scores.n_matched_predictions += matched
        if not matched:
            scores.unmatched_predictions.append(pred)
        if hits_trap(pred, traps, non_trap, row_matches):
            scores.trap_hits.append(pred)
    for row in (g for g in non_trap if g.get("core")):
        scores.n_core += 1
        matches = [p for p in predictions if row_matches(p, row)]
        if not matches:
            scores.missed_core.append(row)
            continue
        scores.n_core_found += 1
        scores.certainty_total += 1
        scores.certainty_right += any(p["certainty"] == row["certainty"] for p in matches)
        for slot in SLOTS:
            if row.get(slot):
                setattr(scores, f"{slot}_total", getattr(scores, f"{slot}_total") + 1)
                right = any(slot_matches(p.get(slot, ""), row[slot]) for p in matches)
                setattr(scores, f"{slot}_right", getattr(scores, f"{slot}_right") + right)
    return scores


def expected_calibration_error(prob, label, bins: int = 10) -> float:
    """Share-weighted gap between mean confidence and accuracy over equal-width confidence bins."""
    import numpy as np

    prob, label = np.asarray(prob, dtype=float), np.asarray(label, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (prob >= lo) & ((prob < hi) | (hi == 1))
        if mask.any():
            total += mask.mean() * abs(prob[mask].mean() - label[mask].mean())
    return float(total)


def _gold_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.claims.jsonl`` files of gold folders, or the files themselves."""
    return [file for path in map(Path, paths)
            for file in (sorted(path.glob("*.claims.jsonl")) if path.is_dir() else [path])]


def read_gold(paths: Iterable[Path]) -> list[dict]:
    rows = []
    for file in _gold_files(paths):
        rows.extend(json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip())
    return rows


def gold_article_ids(paths: Iterable[Path]) -> list[str]:
    """The articles a set of gold files annotates, named by the files (``<article_id>.claims.jsonl``), empty ones too."""
    return [file.name[: -len(".claims.jsonl")] for file in _gold_files(paths)]


def gold_set(paths: list[Path], ids: list[str] | None = None) -> tuple[list[str], list[dict]]:
    """(article ids, gold rows) of gold files, restricted to ``ids`` when given (all annotated articles otherwise)."""
    ids = ids if ids is not None else gold_article_ids(paths)
    wanted = set(ids)
    return ids, [g for g in read_gold(paths) if g["article_id"] in wanted]


def confidence_labels(predictions: list[dict], gold: list[dict]) -> tuple[list[float], list[float]]:
    """Confidence and right (1.0) or wrong (0.0) of each de-duplicated prediction against the non-trap gold rows."""
    non_trap = [g for g in gold if not g.get("trap")]
    rows = deduplicate(predictions)
    return [r["confidence"] for r in rows], [float(any(row_matches(r, g) for g in non_trap)) for r in rows]


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description="Score a claims table against gold claims.jsonl files.")
    parser.add_argument("output", type=Path, help="output folder holding claims.parquet")
    parser.add_argument("gold", type=Path, nargs="+", help="gold .claims.jsonl files or folders of them")
    args = parser.parse_args(argv)
    predictions = pd.read_parquet(args.output / "claims.parquet").to_dict("records")
    scores = score_claims(predictions, read_gold(args.gold))
    json.dump(scores.summary(), sys.stdout, indent=2)
    print()
    return 0


def predict_claims(nlp, articles: list[tuple[str, str]]) -> list[dict]:
    """Claims-table rows for (article_id, analysed text) pairs, straight from the pipeline."""
    from dataclasses import asdict

    from pipeline.tables import claim_rows

    rows = []
    for (article_id, _), doc in zip(articles, nlp.pipe([text for _, text in articles])):
        rows.extend(asdict(r) for r in claim_rows(article_id, doc._.claims))
    return rows


ARTICLE_FILES = ("fakehealth/fakehealth.jsonl", "cochrane_pls/cochrane_pls.jsonl")


def shared_articles(shared: Path, ids: Iterable[str]) -> list[tuple[str, str]]:
    """Articles of ``../shared/articles`` (fakehealth news, Cochrane summaries) by id, as (id, analysed text): title +
    blank line + text (the contract's rule for JSONL with a title), in the order of ``ids``; an id found in neither
    file raises KeyError (a gold file naming a missing article must not be scored as if it had no claims)."""
    wanted, found = list(dict.fromkeys(ids)), {}
    for name in ARTICLE_FILES:
        with (shared / "articles" / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("id") in wanted:
                    title = record.get("title") or ""
                    found[record["id"]] = f"{title}\n\n{record['text']}" if title else record["text"]
    missing = [i for i in wanted if i not in found]
    if missing:
        raise KeyError(f"articles not in {shared / 'articles'}: {missing}")
    return [(i, found[i]) for i in wanted]


def claims_dev_articles(shared: Path, gold: list[dict]) -> list[tuple[str, str]]:
    """The articles a set of gold rows annotates, as (id, title + blank line + text)."""
    return shared_articles(shared, (g["article_id"] for g in gold))


if __name__ == "__main__":
    raise SystemExit(main())
