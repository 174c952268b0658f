"""ADE 10-fold cross-validation by the standard protocol: every test fold gets an NER that never saw it.

    python training/relation/ade_protocol.py --shared ../shared --base-ner DIR --work DIR [--folds 0,1,...] \
        [--steps 2000] [--out report.json]

The shipped NER was trained on ADE folds 1-9, so the shipped pipeline's 10-fold figure is optimistic on those folds and
honest on fold 0 only. Here, for each test fold K:

1. ``WORK/foldK/train.spacy``: the ADE sentences of the nine other folds (OVERLAPS.md and dev-split PMIDs removed, as
   in training/scripts/convert.py); ``dev.spacy``: fold K+1's sentences (in training too: spaCy wants a dev set for its
   log; the model kept is the last one, not the best on dev, so nothing is selected on it).
2. ``WORK/foldK/ner``: BASE_NER fine-tuned on them for STEPS steps (training/configs/ner.cfg with the three components
   sourced from BASE_NER). BASE_NER must not have seen ADE at all: ``convert.py ... --repeat ade=0`` then
   ``train.py`` (the shipped recipe without ADE).
3. Fold K end to end with the whole pipeline on that NER (``pipeline.load(ner_model=...)``), the relation classifier
   retrained on the other nine folds (``pipeline.relation_eval.ade_cross_validation(only_folds=[K])``).

Steps whose output exists are skipped. Micro P/R/F1 over the folds run goes to --out and stdout. One thread; about
2 min of fine-tuning and 1.5 min of evaluation per fold on this 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training" / "scripts"))

SPERT = Path("ade_corpus_v2") / "spert_10fold"


def fine_tune_config(base_config: str, base_ner: Path, steps: int) -> str:
    """training/configs/ner.cfg with gazetteer, tok2vec and ner sourced from ``base_ner`` and ``steps`` steps."""
    sourced = f'source = "{base_ner.resolve()}"\n'
    config, n = re.subn(r"\[components\.gazetteer\]\n.*?(?=\n\[components\.tok2vec\]\n)",
                        "[components.gazetteer]\n" + sourced, base_config, flags=re.S)
    config, m = re.subn(r"\[components\.tok2vec\]\n.*?(?=\n\[corpora\])",
                        "[components.tok2vec]\n" + sourced + "\n[components.ner]\n" + sourced, config, flags=re.S)
    if (n, m) != (1, 1):
        raise SystemExit("ade_protocol: training/configs/ner.cfg no longer has the expected component sections")
    config = re.sub(r"(?m)^max_steps = \d+$", f"max_steps = {steps}", config)
    return re.sub(r"(?m)^patience = \d+$", f"patience = {steps}", config)


@cache
def training_corpora(corpora: Path):
    """(tokenizer, training documents per corpus with OVERLAPS.md and dev PMIDs removed, the matcher that sets
    unannotated types to missing, as in convert.py): read once for all folds."""
    import convert

    nlp = convert.blank_nlp()
    train = convert.load_split(corpora, "train")
    convert.remove_excluded(corpora, train)
    return nlp, train, convert.build_gazetteer(nlp, train)


def write_fold_data(corpora: Path, fold: int, folds: int, out: Path) -> dict:
    import convert
    from spacy.tokens import DocBin

    nlp, train, matcher = training_corpora(corpora)
    test = convert.held_out_ade_sentences(corpora / SPERT / f"ade_split_{fold}_test.json")
    dev = convert.held_out_ade_sentences(corpora / SPERT / f"ade_split_{(fold + 1) % folds}_test.json")

    def key(document) -> str:
        return "".join(document.text.split())

    stats = {}
    out.mkdir(parents=True, exist_ok=True)
    for split, documents in (("train", [d for d in train["ade"] if key(d) not in test]),
                             ("dev", [d for d in train["ade"] if key(d) in dev])):
        doc_bin, counts = DocBin(store_user_data=False), Counter()
        for document in documents:
            doc_bin.add(convert.to_doc(nlp, "ade", document, matcher, counts, None))
        doc_bin.to_disk(out / f"{split}.spacy")
        stats[split] = dict(counts)
    return stats


def run_fold(args, fold: int) -> dict:
    from pipeline import load
    from pipeline.relation_eval import ade_cross_validation, ade_original_sentences

    work = args.work / f"fold{fold}"
    if not (work / "train.spacy").exists():
        stats = write_fold_data(args.corpora, fold, args.n_folds, work)
        (work / "data_stats.json").write_text(json.dumps(stats, indent=1) + "\n")
    model = work / "ner" / "model-last"
    if not (model / "meta.json").exists():
        config = work / "fine_tune.cfg"
        config.write_text(fine_tune_config((REPO / "training/configs/ner.cfg").read_text(), args.base_ner, args.steps))
        subprocess.run([sys.executable, str(REPO / "training/scripts/train.py"), str(config), str(work / "train.spacy"),
                        str(work / "dev.spacy"), str(work / "ner")], check=True, cwd=REPO)
    result_path = work / "result.json"
    if not result_path.exists():
        nlp = load(ner_model=model)
        started = time.perf_counter()
        report = ade_cross_validation(nlp, args.corpora / SPERT, folds=args.n_folds, only_folds=[fold],
                                      originals=ade_original_sentences(args.corpora))
        result = {**report["per_fold"][0], "overlap_match": report["overlap_match_micro"],
                  "seconds": round(time.perf_counter() - started)}
        result_path.write_text(json.dumps(result, indent=1) + "\n")
    return json.loads(result_path.read_text())


def main(argv: list[str] | None = None) -> int:
    from pipeline.paths import shared_dir
    from pipeline.relation_eval import prf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--base-ner", type=Path, required=True, help="an NER trained without any ADE sentence")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--folds", default="0,1,2,3,4,5,6,7,8,9", help="test folds to run (comma-separated)")
    parser.add_argument("--n-folds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=2000, help="fine-tuning steps (the last model is kept)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.corpora = (args.shared or shared_dir()).resolve() / "corpora"
    if not (args.base_ner / "meta.json").exists():
        parser.error(f"--base-ner {args.base_ner}: no spaCy model there")
    results = [run_fold(args, int(k)) for k in args.folds.split(",")]
    tp, pred, gold = (sum(r[k] for r in results) for k in ("tp", "pred", "gold"))
    report = {"protocol": "ADE 10-fold CV, NER fine-tuned per fold from an ADE-free base, strict spans",
              "base_ner": str(args.base_ner), "steps": args.steps, "micro": prf(tp, pred, gold),
              "mean_fold_f1": round(sum(r["f1"] for r in results) / len(results), 4), "per_fold": results}
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n")
    for r in results:
        print(f"fold {r['fold']}: P {r['precision']:.4f} R {r['recall']:.4f} F1 {r['f1']:.4f} "
              f"(overlap {r['overlap_match']['f1']:.4f})")
    print(f"micro over {len(results)} folds: {json.dumps(report['micro'])}; mean fold F1 {report['mean_fold_f1']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
