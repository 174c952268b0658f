"""How far two annotations of the same articles agree, claim by claim: the reproducibility of the consumer gold.

    python -m pipeline.claims_agreement [--reference DIR] [--second DIR] [--extractor] [--shared ../shared]

Both sides are gold files (``<article_id>.claims.jsonl``, CLAIMS_GUIDELINES.md), so both carry alias lists: two rows
agree when their relations are of one family (TREATS and PREVENTS count as one, as in the claims_dev matching rules)
and some drug alias of one matches the other's drug aliases and some effect alias its effect aliases, with the
string rule of :func:`pipeline.claims_eval.string_matches`. Read in each direction, as the extractor is read against
the gold: the share of one annotation's core rows that the other lists at all (its recall), the share of the other's
non-trap rows that one lists (its precision), and the other's rows that hit one's traps. ``--extractor`` scores the
shipped pipeline against each annotation of the same articles, for comparison.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.claims_eval import family, gold_article_ids, hits_trap, read_gold, string_matches

SECOND = Path(__file__).resolve().parent.parent / "evaluation" / "claims_second"
HOLDOUT = SECOND.parent / "claims_holdout"


def rows_agree(a: dict, b: dict, *, any_relation: bool = False) -> bool:
    """Two gold rows name the same claim: one article, one relation family, overlapping drug and effect aliases."""
    return (
        a["article_id"] == b["article_id"]
        and (any_relation or family(a["relation"]) == family(b["relation"]))
        and any(string_matches(d, b["drug"]) for d in a["drug"])
        and any(string_matches(e, b["effect"]) for e in a["effect"])
    )


@dataclass
class Agreement:
    """``other`` read against ``reference`` as if it were the extractor's output."""

    reference_core: int = 0
    core_listed: int = 0  # reference core rows that some non-trap row of the other matches
    core_listed_as_core: int = 0  # ... that a core row of the other matches
    certainty_right: int = 0  # of the listed core rows, those where a matching row has the same certainty
    other_rows: int = 0  # non-trap rows of the other
    other_rows_matched: int = 0  # ... that a non-trap reference row matches
    other_rows_on_traps: int = 0  # ... that hit a reference trap (the claims_dev trap rule)

    @property
    def recall(self) -> float:
        return self.core_listed / self.reference_core if self.reference_core else 0.0

    @property
    def precision(self) -> float:
        return self.other_rows_matched / self.other_rows if self.other_rows else 0.0

    def summary(self) -> dict:
        return {**asdict(self), "recall": round(self.recall, 4), "precision": round(self.precision, 4)}


def agreement(reference: list[dict], other: list[dict]) -> Agreement:
    """How ``other`` (gold rows) agrees with ``reference`` (gold rows of the same articles)."""
    scores = Agreement()
    ref_rows = [r for r in reference if not r.get("trap")]
    ref_traps = [r for r in reference if r.get("trap")]
    other_rows = [r for r in other if not r.get("trap")]
    for row in (r for r in ref_rows if r.get("core")):
        scores.reference_core += 1
        matches = [o for o in other_rows if rows_agree(o, row)]
        if matches:
            scores.core_listed += 1
            scores.core_listed_as_core += any(o.get("core") for o in matches)
            scores.certainty_right += any(o["certainty"] == row["certainty"] for o in matches)
    for row in other_rows:
        scores.other_rows += 1
        scores.other_rows_matched += any(rows_agree(row, r) for r in ref_rows)
        scores.other_rows_on_traps += hits_trap(row, ref_traps, ref_rows, rows_agree)
    return scores


def paired_gold(reference_dir: Path, second_dir: Path) -> tuple[list[str], list[dict], list[dict]]:
    """(article ids, reference rows, second rows) of the articles the second folder annotates; an article it holds
    that the reference folder lacks raises FileNotFoundError."""
    ids = gold_article_ids([second_dir])
    missing = [i for i in ids if not (reference_dir / f"{i}.claims.jsonl").exists()]
    if missing:
        raise FileNotFoundError(f"{reference_dir} has no annotation of {missing}")
    reference = read_gold(reference_dir / f"{i}.claims.jsonl" for i in ids)
    return ids, reference, read_gold([second_dir])


def main(argv: list[str] | None = None) -> int:
    from pipeline.paths import shared_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=HOLDOUT, help="the first annotation (default: claims_holdout)")
    parser.add_argument("--second", type=Path, default=SECOND, help="the second annotation (default: claims_second)")
    parser.add_argument("--extractor", action="store_true", help="also score the shipped pipeline against both")
    parser.add_argument("--shared", type=Path, default=shared_dir())
    args = parser.parse_args(argv)
    ids, reference, second = paired_gold(args.reference, args.second)
    report = {"articles": len(ids),
              "second_against_reference": agreement(reference, second).summary(),
              "reference_against_second": agreement(second, reference).summary()}
    if args.extractor:
        from pipeline import load
        from pipeline.claims_eval import predict_claims, score_claims, shared_articles

        predictions = predict_claims(load(), shared_articles(args.shared, ids))
        report["extractor_against_reference"] = score_claims(predictions, reference, ids).summary()
        report["extractor_against_second"] = score_claims(predictions, second, ids).summary()
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
