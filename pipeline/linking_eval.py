"""MeSH normalisation accuracy: each gold BC5CDR mention, linked from its gold text and label, against its MeSH id.

A mention counts as correct when the linked concept's id, or any of its MESH xrefs, is one of the gold ids
(composite ids "D001|D002" accept either). Gold mentions with id "-1" are skipped. Unlinked mentions count as
wrong. Abbreviations are resolved per document with scispaCy's ``AbbreviationDetector`` (Schwartz & Hearst 2003)
so that "PAN" in a document that defines "puromycin aminonucleoside (PAN)" is linked through its long form, as
the ``drugclaims_linker`` does in a pipeline with ``abbreviation_detector``.

    python -m pipeline.linking_eval [PUBTATOR] [--index-dir DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple, Union

import spacy
from spacy.language import Language

from pipeline import paths
from pipeline.linking import FACTORY_NAME, ConceptLinker, Link, default_index_dir, load_linker_resources

GOLD_LABELS: Dict[str, str] = {"Chemical": "CHEMICAL", "Disease": "CONDITION"}
DEFAULT_SETTINGS = {"threshold": 0.8, "k": 30, "max_entities_per_mention": 5, "resolve_abbreviations": True}


@dataclass(frozen=True)
class GoldMention:
    pmid: str
    start: int
    end: int
    text: str
    label: str
    mesh_ids: FrozenSet[str]


@dataclass(frozen=True)
class PubtatorDocument:
    pmid: str
    text: str
    mentions: Tuple[GoldMention, ...]


def read_pubtator(path: Path) -> Iterator[PubtatorDocument]:
    """Documents of a PubTator file: title + " " + abstract, and its Chemical/Disease mentions with MeSH ids."""
    pmid, parts, mentions = "", [], []
    for line in Path(path).read_text(encoding="utf8").splitlines() + [""]:
        if not line.strip():
            if pmid:
                yield PubtatorDocument(pmid, " ".join(parts), tuple(mentions))
            pmid, parts, mentions = "", [], []
        elif "|t|" in line[:20] or "|a|" in line[:20]:
            pmid, _, rest = line.partition("|")
            parts.append(rest[2:])
        else:
            cols = line.split("\t")
            if len(cols) >= 6 and cols[4] in GOLD_LABELS:
                ids = frozenset(f"MESH:{i.strip()}" for i in cols[5].replace("+", "|").split("|") if i.strip() != "-1")
                mentions.append(GoldMention(cols[0], int(cols[1]), int(cols[2]), cols[3], GOLD_LABELS[cols[4]], ids))


def linked_mesh_ids(link: Link) -> FrozenSet[str]:
    return frozenset(i for i in (link.concept_id, *link.xrefs) if i.startswith("MESH:"))


def abbreviation_long_forms(documents: Sequence[PubtatorDocument]) -> List[Dict[str, str]]:
    """Per document, short form -> long form, found by scispaCy's abbreviation detector."""
    import scispacy.abbreviation  # noqa: F401 (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    found = []
    for doc in nlp.pipe(document.text for document in documents):
        found.append({abrv.text: abrv._.long_form.text for abrv in doc._.abbreviations})
    return found


def _linker_of(nlp_or_linker: Union[Language, ConceptLinker]) -> ConceptLinker:
    if isinstance(nlp_or_linker, ConceptLinker):
        return nlp_or_linker
    for _, component in nlp_or_linker.pipeline:
        if isinstance(component, ConceptLinker):
            return component
    raise ValueError(f"The pipeline {nlp_or_linker.pipe_names} has no {FACTORY_NAME!r} component")


def mesh_normalisation_accuracy(
    pubtator_path: Path, nlp_or_linker: Union[Language, ConceptLinker], *, abbreviations: bool = True
) -> Dict[str, object]:
    """Accuracy of linked MeSH ids on the gold mentions of ``pubtator_path`` (see the module docstring)."""
    linker = _linker_of(nlp_or_linker)
    documents = list(read_pubtator(pubtator_path))
    long_forms = abbreviation_long_forms(documents) if abbreviations else [{} for _ in documents]
    gold: List[GoldMention] = []
    queries: List[Tuple[Tuple[str, ...], str]] = []
    for document, short_to_long in zip(documents, long_forms):
        for mention in document.mentions:
            if mention.mesh_ids:
                long_form = short_to_long.get(mention.text, "")
                gold.append(mention)
                queries.append(((long_form, mention.text) if long_form else (mention.text,), mention.label))
    start = time.perf_counter()
    links = linker.predict(queries)
    seconds = time.perf_counter() - start
    return _report(gold, links, seconds)


def _report(gold: Sequence[GoldMention], links: Sequence[Link], seconds: float) -> Dict[str, object]:
    correct, total, methods, method_correct = Counter(), Counter(), Counter(), Counter()
    for mention, link in zip(gold, links):
        hit = bool(linked_mesh_ids(link) & mention.mesh_ids)
        for key in ("ALL", mention.label):
            total[key] += 1
            correct[key] += hit
        methods[link.method] += 1
        method_correct[link.method] += hit
    return {
        "accuracy": round(correct["ALL"] / max(total["ALL"], 1), 4),
        "n_mentions": total["ALL"],
        "n_correct": correct["ALL"],
        "per_label": {
            label: {"accuracy": round(correct[label] / total[label], 4), "n_mentions": total[label]}
            for label in sorted(total)
            if label != "ALL"
        },
        "by_method": {
            method: {"n": n, "accuracy": round(method_correct[method] / n, 4)} for method, n in methods.most_common()
        },
        "unlinked": methods["none"],
        "seconds_per_1000_mentions": round(1000 * seconds / max(len(links), 1), 4),
    }


def default_pubtator_path() -> Path:
    return paths.shared_dir() / "corpora" / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"


def linker_from_index(index_dir: Path, **settings: object) -> ConceptLinker:
    """A linker on ``index_dir`` outside any pipeline (the evaluation needs no NER)."""
    config = {**DEFAULT_SETTINGS, **settings}
    return ConceptLinker(load_linker_resources(Path(index_dir).resolve()), **config)  # type: ignore[arg-type]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.linking_eval", description=__doc__.splitlines()[0])
    parser.add_argument("pubtator", type=Path, nargs="?", default=default_pubtator_path(), help="PubTator file")
    parser.add_argument("--index-dir", type=Path, default=default_index_dir(), help="linker index directory")
    parser.add_argument("--threshold", type=float, default=DEFAULT_SETTINGS["threshold"])
    parser.add_argument("--no-abbreviations", action="store_true", help="link short forms as written")
    args = parser.parse_args(argv)
    try:
        linker = linker_from_index(args.index_dir, threshold=args.threshold)
        report = mesh_normalisation_accuracy(args.pubtator, linker, abbreviations=not args.no_abbreviations)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
