"""Draw the articles of ``evaluation/claims_holdout`` (run once; kept so the draw can be checked).

    python evaluation/select_holdout.py [--shared ../shared]

Candidates: fakehealth articles (300-1,400 words, title + text) with at least 4 words of the drug vocabulary below,
Cochrane plain-language summaries (at least 120 words) with at least 2, none of them in ../shared/claims_dev. The
draw is seeded; it prints 14 fakehealth and 7 Cochrane ids in draw order. split.json gives the first 7 fakehealth and
first 4 Cochrane ids to tuning and the rest to the untouched set. ``--batch 2`` draws 21 more fakehealth articles
(seed + 1, none of batch 1), all for tuning; ``--batch 3`` 28 more (seed + 2, none of batches 1-2): the first 14
for the untouched set, the rest for tuning; ``--batch 4`` 28 more (seed + 3, none of batches 1-3), the
untouched set until it too was measured and then tuned on; ``--batch 5`` 28 more (seed + 4), the untouched set of sessions 7-11; ``--batch 6`` 28 more (seed + 5),
annotated in session 12, the untouched set since (batch 5 then moved to tuning); ``--batch 7`` 28 more
(seed + 6), annotated later in session 12 and added to the untouched set, as was ``--batch 8`` (seed + 7); batches 9
and 10 (seeds + 8, + 9) in session 13. ``--batch 11`` (session 15, seed + 10) draws from the rest without the
articles whose extractor output was read in a 250-article sample of unannotated articles (sessions 13 and 15; their
ids are in ``read_in_samples.json``). The filter is a word count, not the extractor, so articles about devices, tests
or non-drug therapies come in as they would in a real feed. Session 16 read the extractor's output on 60 more
unannotated fakehealth articles and 30 Cochrane summaries (``read_in_samples_16.json``); ``--batch 12`` (session 16,
seed + 11) leaves those out too. Session 17 read the side-effect, treatment and mechanism claims of 240 more
(``read_in_samples_17.json``), which ``--batch 13`` (seed + 12) leaves out, and then, after drawing batch 13, the
side-effect claims of 80 more and the treatment and mechanism claims of 80 more (``read_in_samples_17b.json``, 160
ids), left out from batch 14 on. ``--batch 15`` (session 19, seed + 14), ``--batch 16`` and ``--batch 17`` (session
20, seeds + 15, + 16), ``--batch 18`` (session 21, seed + 17) and ``--batch 19`` (session 22, seed + 18) are drawn the
same way as batch 14.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.paths import shared_dir  # noqa: E402

SEED = 20261126
LATER_BATCH_SIZES = (21, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28)  # batches 2-20, fakehealth only, seeds SEED + 1 ...
# articles whose extractor output was read in a sample, and the first batch that no longer draws them (sessions 13
# and 15: batch 11; session 16: batch 12; session 17: batches 13 and 14)
READ_IN_SAMPLES = ((11, "read_in_samples.json"), (12, "read_in_samples_16.json"), (13, "read_in_samples_17.json"),
                   (14, "read_in_samples_17b.json"))
DRUG_WORDS = re.compile(r"\b(drugs?|medications?|medicines?|pills?|tablets?|doses?|FDA|prescri\w*|vaccines?|"
                        r"injections?)\b", re.I)


def candidates(path: Path, exclude: set[str], min_words: int, min_hits: int, max_words: int = 1400) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    for record in records:
        if record["id"] in exclude:
            continue
        text = (record.get("title") or "") + "\n\n" + (record.get("text") or "")
        if min_words <= len(text.split()) <= max_words and len(DRUG_WORDS.findall(text)) >= min_hits:
            out.append(record["id"])
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--batch", type=int, choices=range(1, len(LATER_BATCH_SIZES) + 2), default=1)
    args = parser.parse_args()
    shared = args.shared
    dev = {p.name.split(".")[0] for p in (shared / "claims_dev").glob("*.claims.jsonl")}
    news = candidates(shared / "articles/fakehealth/fakehealth.jsonl", dev, 300, 4)
    summaries = candidates(shared / "articles/cochrane_pls/cochrane_pls.jsonl", dev, 120, 2)
    rng = random.Random(SEED)
    batches = [{"fakehealth": rng.sample(news, 14), "cochrane": rng.sample(summaries, 7)}]
    rest = [i for i in news if i not in set(batches[0]["fakehealth"])]
    read = [(first, set(json.loads((Path(__file__).resolve().parent / name).read_text(encoding="utf-8"))))
            for first, name in READ_IN_SAMPLES]
    for offset, size in enumerate(LATER_BATCH_SIZES, 1):
        excluded = set().union(*(ids for first, ids in read if offset + 1 >= first))
        pool = [i for i in rest if i not in excluded]
        drawn = random.Random(SEED + offset).sample(pool, size)
        batches.append({"fakehealth": drawn})
        rest = [i for i in rest if i not in set(drawn)]
    print(json.dumps(batches[args.batch - 1], indent=1))


if __name__ == "__main__":
    main()
