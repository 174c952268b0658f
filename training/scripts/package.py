"""Step 4 (package): copy the trained pipeline into the package as ``pipeline/models/ner``.

    python training/scripts/package.py MODEL_DIR OUT_DIR [--report DEV_REPORT_JSON] [--stats STATS_JSON]

Sets the pipeline's meta (name, version, sources, dev figures) and saves it with ``nlp.to_disk``; the result
loads with ``spacy.load(OUT_DIR)`` once ``pipeline.tokenizer`` is imported.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pipeline.blas  # noqa: E402,F401
import pipeline.gazetteer  # noqa: E402,F401
import pipeline.tokenizer  # noqa: E402,F401

SOURCES = [
    {"name": "BC5CDR (train)", "url": "https://biocreative.bioinformatics.udel.edu/tasks/biocreative-v/track-3-cdr/"},
    {"name": "NCBI disease corpus (train)", "url": "https://www.ncbi.nlm.nih.gov/CBBresearch/Dogan/DISEASE/"},
    {"name": "ADE-Corpus-V2", "author": "Gurulingappa et al. 2012"},
    {"name": "PsyTAR", "author": "Zolnoori et al. 2019", "license": "CC BY 4.0"},
    {"name": "ChemProt (training)", "author": "Krallinger et al. 2017"},
    {"name": "BioRED (train)", "author": "Luo et al. 2022"},
]


def package(model_dir: Path, out_dir: Path, report: Path | None, stats: Path | None) -> None:
    nlp = spacy.load(model_dir)
    nlp.meta.update(
        {
            "name": "drugclaims_ner",
            "version": "0.1.0",
            "description": "CHEMICAL, CONDITION, GENE_OR_PROTEIN NER (gazetteer features + tok2vec + ner, scispaCy "
            "tokenizer); see docs/NER.md",
            "license": "see docs/NER.md (training corpora terms)",
            "sources": SOURCES,
        }
    )
    if report is not None and report.exists():
        nlp.meta["dev_evaluation"] = json.loads(report.read_text())["sets"]
    if stats is not None and stats.exists():
        nlp.meta["training_data"] = json.loads(stats.read_text())
    # the gazetteer is read from the build cache at load time: record the table the model was trained with
    nlp.meta["gazetteer_sha256"] = pipeline.gazetteer.table_digest()
    nlp.meta.pop("performance", None)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    nlp.to_disk(out_dir)
    # the BLAS callback of the training config sets the training process's ops; the product's loader chooses them
    config = spacy.util.load_config(out_dir / "config.cfg", interpolate=False)
    config["nlp"]["before_creation"] = None
    # the table is the build cache's (an experiment may have trained with another path)
    config["components"]["gazetteer"]["path"] = ""
    config.to_disk(out_dir / "config.cfg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--stats", type=Path, default=None)
    args = parser.parse_args()
    package(args.model_dir, args.out_dir, args.report, args.stats)


if __name__ == "__main__":
    main()
