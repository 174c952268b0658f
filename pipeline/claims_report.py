"""Claim-level figures of the shipped pipeline on annotated consumer articles, one block per gold set.

    python -m pipeline.claims_report [--shared ../shared] [--gold DIR ...] [--out report.json] [--errors]

Gold sets (folders of ``<article_id>.claims.jsonl``; an empty file is an article without any drug claim):
``../shared/claims_dev`` (15 fakehealth articles, the rules were tuned on them) and the project's own
``evaluation/claims_holdout`` (fakehealth and Cochrane articles annotated blind to the extractor's output; see its
README for which of them stayed untouched by tuning). The article texts are read in place from ``../shared/articles``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.claims_eval import gold_article_ids, gold_set, predict_claims, score_claims, shared_articles
from pipeline.paths import shared_dir

HOLDOUT = Path(__file__).resolve().parent.parent / "evaluation" / "claims_holdout"


def holdout_split(path: Path = HOLDOUT) -> dict[str, list[str]]:
    """{"tuning": [...], "untouched": [...]}: the holdout articles whose errors were read to improve the rules, and
    those never looked at with the extractor's output (``split.json`` beside the annotations)."""
    return json.loads((path / "split.json").read_text(encoding="utf-8"))


def score_gold_set(nlp, shared: Path, gold_paths: list[Path], ids: list[str] | None = None):
    """Scores of the pipeline on the articles of ``gold_paths`` (restricted to ``ids`` when given)."""
    ids, gold = gold_set(gold_paths, ids)
    return score_claims(predict_claims(nlp, shared_articles(shared, ids)), gold, ids)


def _errors(scores) -> dict:
    short = lambda r: {k: r[k] for k in ("article_id", "drug", "relation", "effect") if k in r}  # noqa: E731
    return {"missed_core": [short(r) | {"evidence": r.get("evidence", "")} for r in scores.missed_core],
            "unmatched_predictions": [short(p) | {"evidence": p.get("evidence", "")} for p in scores.unmatched_predictions],
            "trap_hits": [short(p) for p in scores.trap_hits]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--gold", type=Path, nargs="*", default=None,
                        help="gold folders (default: ../shared/claims_dev and evaluation/claims_holdout)")
    parser.add_argument("--out", type=Path, help="write the report as JSON here too")
    parser.add_argument("--errors", action="store_true", help="list missed core rows and unmatched predictions")
    args = parser.parse_args(argv)

    from pipeline import load

    nlp = load()
    report = {}
    if args.gold:
        sets = {str(path): ([path], None) for path in args.gold}
    else:
        split = holdout_split()
        sets = {"claims_dev": ([args.shared / "claims_dev"], None),
                "holdout_untouched": ([HOLDOUT], split["untouched"]),
                "holdout_tuning": ([HOLDOUT], split["tuning"])}
    for name, (paths, ids) in sets.items():
        scores = score_gold_set(nlp, args.shared, paths, ids)
        report[name] = scores.summary() | {"articles": len(ids or gold_article_ids(paths))}
        if args.errors:
            report[name]["errors"] = _errors(scores)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
