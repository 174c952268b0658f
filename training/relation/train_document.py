"""Train the document-level chemical-induced-disease model on BC5CDR train; write pipeline/models/relation/document.json.

    python training/relation/train_document.py --shared ../shared [--relation-model DIR] [--out FILE] [--folds 5]

The model (pipeline.relation_document) reads the pair classifier's scores of a document's predicted mentions, so it
is trained on what it will see: BC5CDR train abstracts run through the project's pipeline. Its inputs for a training
abstract must not come from models that saw that abstract's labels, so the training abstracts are split into
``--folds`` folds and, for the abstracts of fold k, the pair classifier is retrained without fold k, the evaluation's
MeSH dictionary and the relation prior are built without fold k. The training abstracts still see an NER model
trained on them (95 % of their gold pairs have both concepts among the predicted ones, 73 % on dev), so a threshold
chosen on them is too low for new text: the decision threshold is tuned on BC5CDR dev with predicted entities, like
the max rule's (the out-of-fold threshold on train is recorded too).
PubMed ids listed in OVERLAPS.md and those of every dev split are left out. One thread.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_relation import corpora_dir, training_docs, training_examples  # noqa: E402

from pipeline.relation_document import FEATURES, DocumentRelationModel, RelationPrior, concept_pair_features  # noqa: E402
from pipeline.relation_eval import (  # noqa: E402
    ADE_ONLY,
    bc5cdr_end_to_end,
    best_threshold,
    mesh_dictionary,
    read_pubtator_relations,
    prior_documents,
    run_bc5cdr_documents,
    set_prf,
    training_mesh_docs,
    tokenizer_nlp,
)
from pipeline.relation_model import RelationModel  # noqa: E402


def out_of_fold_inputs(corpora: Path, mesh_docs: list, *, folds: int, relation_model: RelationModel, ner: Path):
    """(fold, pmid, features per concept pair, gold pairs) for every BC5CDR train abstract, out of fold;
    ``mesh_docs``: the MeSH dictionary's annotated documents (:func:`training_mesh_docs`)."""
    from pipeline import load

    docs = training_docs(corpora, corpora_names=("ade", "bc5cdr", "biored", "chemprot"))
    bc5, biored = docs["bc5cdr"], docs["biored"]
    fold_of = {d.doc_id: i % folds for i, d in enumerate(bc5)}
    examples, _ = training_examples(corpora, docs, ner=ner, nlp=tokenizer_nlp())
    nlp = load()
    weight = float(relation_model.meta.get("cross_sentence_weight", 1.0))
    rows = []
    for k in range(folds):
        held = {pmid for pmid, f in fold_of.items() if f == k}
        kept = [e for e in examples if e.doc_id not in held]
        model = RelationModel(c=float(relation_model.meta.get("c", 1.0)),
                              balanced=tuple(relation_model.meta.get("balanced_heads", ("TREATS",)))).fit(
            [e.features for e in kept], [e.label for e in kept], [e.annotates for e in kept])
        model.meta["cross_sentence_weight"] = weight
        dictionary = mesh_dictionary(d for d in mesh_docs if d.doc_id not in held)
        prior = RelationPrior.from_documents(prior_documents(
            [d for d in bc5 if d.doc_id not in held] + [d for d in biored if d.doc_id not in held]))
        fold_docs = [d for d in bc5 if d.doc_id in held]
        gold = {d.doc_id: {k2 for k2, lab in d.relations.items() if lab == "ADVERSE_EFFECT"} for d in fold_docs}
        for pmid, mentions, records in run_bc5cdr_documents(model, nlp, fold_docs, dictionary):
            rows.append((k, pmid, concept_pair_features(mentions, records, prior, cross_sentence_weight=weight),
                         gold[pmid]))
        print(f"fold {k}: {len(fold_docs)} abstracts", flush=True)
    return rows, bc5, biored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="folder holding corpora/")
    parser.add_argument("--relation-model", type=Path, default=REPO / "pipeline" / "models" / "relation",
                        help="the trained pair classifier (its settings are reused for the out-of-fold copies)")
    parser.add_argument("--out", type=Path, default=None, help="default: <relation-model>/document.json")
    parser.add_argument("--ner", type=Path, default=REPO / "pipeline" / "models" / "ner")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args(argv)
    corpora = corpora_dir(args.shared)
    t0 = time.time()
    relation_model = RelationModel.from_disk(args.relation_model)
    mesh_docs = training_mesh_docs(corpora)
    rows, bc5, biored = out_of_fold_inputs(corpora, mesh_docs, folds=args.folds, relation_model=relation_model,
                                           ner=args.ner)
    keys = [(pmid, a, b) for _, pmid, feats, _ in rows for a, b in feats]
    folds_of = [k for k, _, feats, _ in rows for _ in feats]
    X = [f for _, _, feats, _ in rows for f in feats.values()]
    y = [(a, b) in gold for _, _, feats, gold in rows for a, b in feats]
    gold = {(pmid, a, b) for _, pmid, _, g in rows for a, b in g}
    weight = float(relation_model.meta.get("cross_sentence_weight", 1.0))
    scored = []
    for k in range(args.folds):  # out-of-fold predictions of the document model, for its threshold
        train = [i for i, f in enumerate(folds_of) if f != k]
        test = [i for i, f in enumerate(folds_of) if f == k]
        fold_model = DocumentRelationModel.fit([X[i] for i in train], [y[i] for i in train], prior=RelationPrior(),
                                               cross_sentence_weight=weight, c=args.c)
        scored.extend(zip([keys[i] for i in test], fold_model.probabilities([X[i] for i in test]).tolist()))
    threshold, oof = best_threshold(dict(scored), gold)
    weighted_max = FEATURES.index("weighted_max")
    max_rule = set_prf({key for key, feats in zip(keys, X)
                        if feats[weighted_max] >= relation_model.meta.get("cid_threshold", 0.5)}, gold)
    prior = RelationPrior.from_documents(prior_documents(bc5 + biored))
    meta = {
        "trained": datetime.date.today().isoformat(), "c": args.c, "folds": args.folds,
        "training": {"bc5cdr_train_abstracts": len(bc5), "biored_train_abstracts_in_prior": len(biored),
                     "concept_pairs": len(X), "positive_pairs": int(sum(y)), "gold_pairs": len(gold)},
        "out_of_fold_train": {**oof, "threshold": threshold},
        "out_of_fold_train_max_rule": max_rule,
        "note": "BC5CDR train abstracts through the project pipeline; pair classifier, MeSH dictionary and prior "
                "rebuilt without each fold; out_of_fold_train: the document model's own out-of-fold figures there",
    }
    model = DocumentRelationModel.fit(X, y, prior=prior, cross_sentence_weight=weight, threshold=threshold, c=args.c,
                                      meta=meta)
    from pipeline import load

    dev_docs = read_pubtator_relations(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", annotates=ADE_ONLY)
    dev = bc5cdr_end_to_end(relation_model, load(), dev_docs, threshold=relation_model.meta.get("cid_threshold", 0.5),
                            dictionary=mesh_dictionary(mesh_docs), document_model=model)
    model.threshold = dev["document_model"]["best_threshold_on_dev"]["threshold"]
    model.meta["threshold_source"] = "best F1 on BC5CDR dev, predicted entities (tuned there, like the max rule's)"
    model.meta["bc5cdr_dev_end_to_end"] = {"document_model": dev["document_model"]["best_threshold_on_dev"],
                                           "document_model_at_train_threshold": {
                                               k: v for k, v in dev["document_model"].items() if k != "best_threshold_on_dev"},
                                           "max_rule": {k: dev[k] for k in ("precision", "recall", "f1", "threshold")}}
    out = args.out or args.relation_model / "document.json"
    model.save(out)
    print(f"out-of-fold on train: document model F1 {oof['f1']} at {threshold} (max rule {max_rule['f1']}); "
          f"BC5CDR dev: document model F1 {dev['document_model']['best_threshold_on_dev']['f1']} at {model.threshold}, "
          f"max rule {dev['f1']}; saved {out} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
