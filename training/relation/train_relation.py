"""Train the relation classifier on ADE, BC5CDR train, BioRED train and ChemProt train; write pipeline/models/relation.

    python training/relation/train_relation.py --shared ../shared --out pipeline/models/relation [--c 1.0]

PubMed ids listed in OVERLAPS.md and those of every dev split are removed from every training corpus. Dev splits (ChemProt dev, BC5CDR dev, BioRED
dev) are used only to report figures and to pick the document-level CID threshold; test splits are never read.
Runs on one thread.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.relation_eval import (  # noqa: E402
    ade_sentence_pmids,
    bc5cdr_gold_entity_scores,
    best_threshold,
    biored_dev,
    chemprot_eval,
    corpus_examples,
    gold_cid,
    overlap_pmids,
    read_chemprot_relations,
    read_pubtator_relations,
    predicted_entity_examples,
    read_ade_negatives,
    read_spert,
    ade_original_sentences,
    tokenizer_nlp,
    ADE_ONLY,
)
from pipeline.relation_model import RelationModel  # noqa: E402


def corpora_dir(shared: Path) -> Path:
    """``shared``/corpora; exits with status 2 and a message when it holds no corpora."""
    corpora = shared.resolve() / "corpora"
    if not (corpora / "INDEX.md").exists():
        print(f"no corpora at {corpora}: pass --shared <folder holding corpora/>", file=sys.stderr)
        raise SystemExit(2)
    return corpora


def training_docs(corpora: Path, *, corpora_names: tuple[str, ...]) -> dict:
    """Relation docs per training corpus, overlap PMIDs removed."""
    drop = overlap_pmids(corpora)
    docs = {}
    if "ade" in corpora_names:
        pmid_of = ade_sentence_pmids(corpora)
        ade = read_spert(corpora / "ade_corpus_v2" / "spert_10fold" / "ade_full.json", ade_original_sentences(corpora))
        docs["ade"] = [d for d in ade if pmid_of.get("".join(d.text.split()), "") not in drop]
    if "bc5cdr" in corpora_names:
        bc5 = read_pubtator_relations(corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", annotates=ADE_ONLY)
        docs["bc5cdr"] = [d for d in bc5 if d.doc_id not in drop]
    if "biored" in corpora_names:
        biored = read_pubtator_relations(corpora / "biored" / "Train.PubTator")
        docs["biored"] = [d for d in biored if d.doc_id not in drop]
    if "chemprot" in corpora_names:
        docs["chemprot"] = [d for d in read_chemprot_relations(corpora, "training") if d.doc_id not in drop]
    return docs


def training_examples(corpora: Path, docs: dict, *, ner: Path, nlp=None) -> tuple[list, dict]:
    """Every labelled training pair of ``docs`` (:func:`training_docs`: gold mentions of each corpus; with the NER
    model at ``ner``, also pairs of its mentions in ADE's relation and negative sentences) and the counts per corpus."""
    nlp = nlp or tokenizer_nlp()
    examples, counts = [], {}
    for name, reldocs in docs.items():
        exs = corpus_examples(nlp, reldocs)
        examples.extend(exs)
        counts[name] = {"documents": len(reldocs), "pairs": len(exs), "labels": dict(Counter(e.label for e in exs))}
        print(f"{name}: {counts[name]}", flush=True)
    if "ade" in docs and (ner / "config.cfg").exists():
        from pipeline import load

        ner_nlp = load(ner_model=ner, use_linker=False)
        drop = overlap_pmids(corpora)
        negatives = [d for d in read_ade_negatives(corpora) if d.doc_id.split("#")[0] not in drop]
        for name, reldocs in (("ade_ner_mentions", docs["ade"]), ("ade_negative_sentences", negatives)):
            exs = [e for d, doc in zip(reldocs, ner_nlp.pipe(d.text for d in reldocs))
                   for e in predicted_entity_examples(doc, d)]
            examples.extend(exs)
            counts[name] = {"documents": len(reldocs), "pairs": len(exs), "labels": dict(Counter(e.label for e in exs))}
            print(f"{name}: {counts[name]}", flush=True)
    return examples, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="folder holding corpora/")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--balanced", default="TREATS", help="comma-separated heads trained with balanced class weights")
    parser.add_argument("--corpora", default="ade,bc5cdr,biored,chemprot", help="comma-separated training corpora")
    parser.add_argument("--ner", type=Path, default=Path(__file__).resolve().parents[2] / "pipeline" / "models" / "ner",
                        help="NER model whose mentions give extra ADE pairs (NONE for mentions ADE does not relate)")
    args = parser.parse_args(argv)
    corpora = corpora_dir(args.shared)
    t0 = time.time()
    nlp = tokenizer_nlp()
    docs = training_docs(corpora, corpora_names=tuple(args.corpora.split(",")))
    examples, counts = training_examples(corpora, docs, ner=args.ner, nlp=nlp)
    t_feat = time.time() - t0
    balanced = tuple(h for h in args.balanced.split(",") if h)
    model = RelationModel(c=args.c, balanced=balanced).fit(
        [e.features for e in examples], [e.label for e in examples], [e.annotates for e in examples]
    )
    t_fit = time.time() - t0 - t_feat
    print(f"features {t_feat:.0f}s, fit {t_fit:.0f}s", flush=True)

    chemprot_docs = read_chemprot_relations(corpora, "development")
    chemprot_examples = corpus_examples(nlp, chemprot_docs)
    grid = [chemprot_eval(model, chemprot_docs, chemprot_examples, threshold=t / 20) for t in range(2, 11)]
    chemprot = max(grid, key=lambda r: r["f1"])
    chemprot["note"] = "mechanism threshold tuned on this dev set"
    bc5_docs = read_pubtator_relations(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", annotates=ADE_ONLY)
    bc5_examples = corpus_examples(nlp, bc5_docs)
    tuned = []
    for weight in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        scores = bc5cdr_gold_entity_scores(model, bc5_examples, cross_sentence_weight=weight)
        tuned.append((weight, *best_threshold(scores, gold_cid(bc5_docs))))
    weight, threshold, bc5 = max(tuned, key=lambda t: t[2]["f1"])
    bc5["cross_sentence_weight"] = weight
    dev = {"chemprot_dev_gold_entities": chemprot,
           "bc5cdr_dev_gold_entities": {**bc5, "threshold": threshold, "note": "threshold and cross-sentence weight tuned on this dev set"}}
    model.meta["cross_sentence_weight"] = weight
    dev["biored_dev_gold_entities"] = biored_dev(model, corpora)
    print("BioRED dev F1 " + ", ".join(f"{k} {v['f1']}" for k, v in dev["biored_dev_gold_entities"].items()
                                       if isinstance(v, dict)))
    print(f"ChemProt dev F1 {chemprot['f1']}  BC5CDR dev (gold entities) CID F1 {bc5['f1']} at {threshold}")
    model.meta.update(
        trained=datetime.date.today().isoformat(), c=args.c, balanced_heads=list(balanced), classifier="LogisticRegression(saga) per relation type: ADVERSE_EFFECT, TREATS (binary), MECHANISM (actions)",
        training_counts=counts, dev=dev, cid_threshold=threshold, cross_sentence_weight=weight, threshold=0.5, mechanism_threshold=chemprot["threshold"],
        train_seconds=round(time.time() - t0, 1), removed_overlap_pmids="OVERLAPS.md (all listed PMIDs) and every dev split's PMIDs",
    )
    model.save(args.out)
    print(f"saved {args.out} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
