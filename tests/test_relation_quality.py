"""Quality floors of the shipped relation model on dev data with gold entities (fast: < 60 s on one core).

Floors are the measured figures minus 0.02 (docs/RELATIONS.md has the measurements). The end-to-end figures (ADE
10-fold CV, BC5CDR dev CID with predicted entities) take minutes and are produced by
``python -m pipeline.relation_eval``; they are not re-run here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.relation_eval import bc5cdr_dev_gold_entities, chemprot_dev
from pipeline.relation_model import RelationModel

CHEMPROT_DEV_F1 = 0.5603  # micro-F1 over CPR:3,4,5,6,9, gold entities, all 612 dev abstracts
BC5CDR_DEV100_F1 = 0.6066  # document-level CID F1, gold entities + gold MeSH ids, first 100 dev abstracts
FLOOR_MARGIN = 0.02


@pytest.fixture(scope="module")
def corpora(shared_dir: Path) -> Path:
    path = shared_dir / "corpora"
    needed = [
        path / "chemprot" / "chemprot_development" / "chemprot_development_gold_standard.tsv",
        path / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt",
    ]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        pytest.fail(f"relation quality test needs {missing}: set DRUGCLAIMS_SHARED to the folder holding corpora/")
    return path


@pytest.fixture(scope="module")
def model() -> RelationModel:
    return RelationModel.load()


def test_relation_quality_chemprot_dev_f1(model, corpora):
    report = chemprot_dev(model, corpora)
    floor = CHEMPROT_DEV_F1 - FLOOR_MARGIN
    assert report["f1"] >= floor, (
        f"ChemProt dev micro-F1 {report['f1']:.4f} fell below the floor {floor:.4f} "
        f"(P {report['precision']}, R {report['recall']}); retrain or revert the relation feature change"
    )


def test_relation_quality_bc5cdr_dev_cid_subset(model, corpora):
    report = bc5cdr_dev_gold_entities(model, corpora, limit=100, threshold=model.meta["cid_threshold"])
    floor = BC5CDR_DEV100_F1 - FLOOR_MARGIN
    assert report["documents"] == 100
    assert report["f1"] >= floor, (
        f"BC5CDR dev (first 100 abstracts, gold entities) CID F1 {report['f1']:.4f} fell below the floor "
        f"{floor:.4f} (P {report['precision']}, R {report['recall']})"
    )
