"""Strict mention-level evaluation of the project's NER model on the dev splits of the shared corpora.

    python -m pipeline.evaluate [--corpora DIR] [--model DIR] [--out report.json] [--stage model|pipeline|pipeline-no-dictionary]
        [--domain general|corpus]

A prediction counts as correct only when its start, end and label equal a gold mention's. Per corpus, only the
labels that corpus annotates are scored; predictions of other labels are ignored. CADEC's discontinuous
mentions cannot be predicted by a span tagger: they are left out of the gold set, and predictions overlapping
one are neither right nor wrong. The report also gives words/s of ``nlp.pipe`` on the BC5CDR dev texts.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spacy.language import Language

import pipeline.gazetteer  # noqa: F401  (registers the gazetteer component the saved model names)
import pipeline.tokenizer  # noqa: F401  (registers the tokenizer the saved model names)
from pipeline import blas
from pipeline.corpora import default_corpora_dir
from pipeline.corpora.brat import read_cadec
from pipeline.corpora.chemprot import read_chemprot
from pipeline.corpora.labels import CHEMICAL, CONDITION, GENE_OR_PROTEIN, map_label
from pipeline.corpora.pubtator import read_pubtator
from pipeline.corpora.types import Document
from pipeline.ner_domain import MODES as DOMAIN_MODES
from pipeline.ner_domain import corpus_domain, domain_for, model_domains

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "ner"

Mention = tuple[int, int, str]


class CorpusMissingError(FileNotFoundError):
    """A dev file the evaluation needs is not in the corpora folder."""


@dataclass(frozen=True)
class EvalSet:
    """A dev split, the reader that loads it, the corpus name for label mapping and the labels it scores."""

    name: str
    corpus: str
    labels: tuple[str, ...]
    files: tuple[str, ...]
    load: Callable[[Path], list[Document]]


EVAL_SETS: tuple[EvalSet, ...] = (
    EvalSet("bc5cdr", "bc5cdr", (CHEMICAL, CONDITION), ("bc5cdr/CDR_DevelopmentSet.PubTator.txt",),
            lambda root: read_pubtator(root / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt")),
    EvalSet("ncbi_disease", "ncbi_disease", (CONDITION,), ("ncbi_disease/NCBIdevelopset_corpus.txt",),
            lambda root: read_pubtator(root / "ncbi_disease" / "NCBIdevelopset_corpus.txt")),
    EvalSet("cadec", "cadec", (CHEMICAL, CONDITION), ("cadec/split/dev.id", "cadec/cadec/text"),
            lambda root: read_cadec(root / "cadec", "dev")),
    EvalSet("chemprot", "chemprot", (CHEMICAL, GENE_OR_PROTEIN),
            ("chemprot/chemprot_development/chemprot_development_abstracts.tsv",),
            lambda root: read_chemprot(root / "chemprot", "development")),
    EvalSet("biored", "biored", (CHEMICAL, CONDITION, GENE_OR_PROTEIN), ("biored/Dev.PubTator",),
            lambda root: read_pubtator(root / "biored" / "Dev.PubTator")),
)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class SetResult:
    name: str
    docs: int
    per_label: dict[str, Counts] = field(default_factory=dict)
    ignored_discontinuous: int = 0


def gold_mentions(document: Document, corpus: str, labels: Sequence[str]) -> tuple[set[Mention], list[tuple[int, int]]]:
    """Scored gold mentions (project labels) and the extents of discontinuous ones (which are not scored)."""
    gold, ignored = set(), []
    for mention in document.mentions:
        label = map_label(corpus, mention.label)
        if label not in labels:
            continue
        if mention.discontinuous:
            ignored.append((mention.start, mention.end))
        else:
            gold.add((mention.start, mention.end, label))
    return gold, ignored


def score_document(
    gold: set[Mention], predicted: Iterable[Mention], ignored: Sequence[tuple[int, int]], labels: Sequence[str]
) -> dict[str, Counts]:
    """Strict matching: (start, end, label) equality; predictions overlapping an ignored extent are skipped."""
    counts = {label: Counts() for label in labels}
    kept = {
        mention
        for mention in predicted
        if mention[2] in counts and not any(mention[0] < end and start < mention[1] for start, end in ignored)
    }
    for label in labels:
        gold_label = {m for m in gold if m[2] == label}
        pred_label = {m for m in kept if m[2] == label}
        counts[label].tp += len(gold_label & pred_label)
        counts[label].fp += len(pred_label - gold_label)
        counts[label].fn += len(gold_label - pred_label)
    return counts


def evaluate_set(nlp: Language, eval_set: EvalSet, documents: list[Document], *, domain: str = "") -> SetResult:
    result = SetResult(eval_set.name, len(documents), {label: Counts() for label in eval_set.labels})
    texts = (document.text for document in documents)
    with corpus_domain(nlp, domain):
        docs = list(nlp.pipe(texts, batch_size=64))
    for document, doc in zip(documents, docs):
        gold, ignored = gold_mentions(document, eval_set.corpus, eval_set.labels)
        result.ignored_discontinuous += len(ignored)
        predicted = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        for label, counts in score_document(gold, predicted, ignored, eval_set.labels).items():
            total = result.per_label[label]
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
    return result


def words_per_second(nlp: Language, texts: Sequence[str], *, repeats: int = 1) -> dict[str, float]:
    """Throughput of ``nlp.pipe`` on one process (words = tokens of the model's tokenizer)."""
    n_words, start = 0, time.perf_counter()
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=64):
            n_words += len(doc)
    seconds = time.perf_counter() - start
    return {"words": n_words, "seconds": round(seconds, 2), "words_per_second": round(n_words / seconds)}


def check_corpora(root: Path, eval_sets: Sequence[EvalSet] = EVAL_SETS) -> None:
    missing = [f for s in eval_sets for f in s.files if not (root / f).exists()]
    if missing:
        raise CorpusMissingError(
            f"dev files missing under {root}: {', '.join(missing)}. Point --corpora (or $DRUGCLAIMS_SHARED) at the "
            "shared corpora folder described in ../shared/corpora/INDEX.md."
        )


def load_model(model_dir: Path | str = DEFAULT_MODEL) -> Language:
    return blas.load_model(model_dir)


ENTITY_STAGES = ("model", "pipeline", "pipeline-no-dictionary")
CLAIM_STAGES = ("drugclaims_slots", "drugclaims_context", "drugclaims_claims")


def load_entity_stage(stage: str, model_dir: Path | str = DEFAULT_MODEL) -> Language:
    """What writes the mentions: ``model`` is the trained NER alone; ``pipeline`` the shipped pipeline's entity layer
    (NER, dictionary ruler, abbreviations, linker, name filter, document propagation; claim stages off), i.e. the
    ``mentions`` table; ``pipeline-no-dictionary`` the same without the dictionary ruler, whose consumer drug
    classes ("chemotherapy", "opioids") the PubMed corpora do not annotate."""
    if stage == "model":
        return load_model(model_dir)
    if stage not in ENTITY_STAGES:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(ENTITY_STAGES)}")
    from pipeline.loader import load

    nlp = load(ner_model=Path(model_dir))
    for name in CLAIM_STAGES + (("drugclaims_lexicon_ruler",) if stage == "pipeline-no-dictionary" else ()):
        nlp.disable_pipe(name)
    return nlp


def evaluate(nlp: Language, corpora: Path, *, eval_sets: Sequence[EvalSet] = EVAL_SETS, domain: str = "general") -> dict:
    """The JSON-able report: per set and label tp/fp/fn/P/R/F1, plus words/s on the BC5CDR dev texts.

    ``domain``: ``"general"`` runs the NER without a domain, as the product does; ``"corpus"`` gives a model trained
    with domains each corpus's own (a corpus it was not trained on, CADEC, stays without one)."""
    domain_for(domain, "")  # an unknown mode fails before any corpus is read
    check_corpora(corpora, eval_sets)
    report: dict = {"model": {"name": nlp.meta.get("name"), "version": nlp.meta.get("version"),
                              "pipeline": nlp.pipe_names, "domains": list(model_domains(nlp))},
                    "corpora": str(corpora), "domain": domain, "sets": {}}
    bc5cdr_texts: list[str] = []
    for eval_set in eval_sets:
        documents = eval_set.load(corpora)
        if eval_set.name == "bc5cdr":
            bc5cdr_texts = [document.text for document in documents]
        result = evaluate_set(nlp, eval_set, documents, domain=domain_for(domain, eval_set.corpus))
        report["sets"][eval_set.name] = {
            "docs": result.docs,
            "ignored_discontinuous": result.ignored_discontinuous,
            "labels": {label: counts.as_dict() for label, counts in result.per_label.items()},
        }
    if bc5cdr_texts:
        report["speed_bc5cdr_dev"] = words_per_second(nlp, bc5cdr_texts)
    return report


def format_table(report: dict) -> str:
    lines = [f"{'corpus':<14}{'label':<17}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}"]
    for name, result in report["sets"].items():
        for label, c in result["labels"].items():
            lines.append(f"{name:<14}{label:<17}{c['p']:>7.3f}{c['r']:>7.3f}{c['f1']:>7.3f}{c['tp'] + c['fn']:>7}")
    if "speed_bc5cdr_dev" in report:
        speed = report["speed_bc5cdr_dev"]
        lines.append(f"nlp.pipe on BC5CDR dev: {speed['words_per_second']:,} words/s ({speed['words']:,} words)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Strict mention-level NER evaluation on the shared dev splits.")
    parser.add_argument("--corpora", type=Path, default=None, help="shared corpora folder (default: "
                        "$DRUGCLAIMS_SHARED/corpora or <repo>/../shared/corpora)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="spaCy pipeline directory to evaluate")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--stage", choices=ENTITY_STAGES, default="model",
                        help="model: the trained NER alone (default); pipeline: the mentions the shipped pipeline "
                             "writes; pipeline-no-dictionary: the same without the dictionary ruler")
    parser.add_argument("--domain", choices=DOMAIN_MODES, default="general",
                        help="general: the NER without a corpus domain, as the product runs it (default); corpus: "
                             "each corpus's own domain, for a model trained with domains (pipeline/ner_domain.py)")
    args = parser.parse_args(argv)
    corpora = args.corpora or default_corpora_dir()
    try:
        check_corpora(corpora)
    except CorpusMissingError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    report = evaluate(load_entity_stage(args.stage, args.model), corpora, domain=args.domain)
    report["stage"] = args.stage
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(format_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
