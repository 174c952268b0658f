"""Concept linking: the ``drugclaims_linker`` spaCy component over the project's knowledge base.

Each ``doc.ents`` span labelled CHEMICAL, CONDITION or GENE_OR_PROTEIN gets ``span._.concept_id`` (a CURIE, ""
when unlinked), ``span._.concept_name``, ``span._.xrefs`` (tuple of CURIEs) and ``span._.concept_candidates``
(tuple of ``(concept_id, score)``). A ``concept_id`` set earlier in the pipeline (the lexicon ruler) is kept.

Resolution order per mention, restricted to concepts whose type matches the mention's label:
1. exact alias match after light normalisation (:func:`pipeline.linker_index.alias_key`), then word-order-free;
   the abbreviation's long form (scispaCy's ``abbreviation_detector``, when in the pipeline) is tried first, and
   each form's American spelling after it ("hypokalaemia" -> "hypokalemia", :func:`pipeline.textnorm.us_spelling`);
2. scispaCy's :class:`CandidateGenerator` (char-3-gram TF-IDF, nmslib HNSW) with ``threshold`` on the best
   alias cosine similarity, as scispaCy's ``EntityLinker`` does (no definition filter: few concepts have one);
3. an exact match to a concept of another type (a "CONDITION" mention of a drug name, say);
4. the mention without its leading words, exact matches only ("severe headache" -> headache; method "head").
Ties prefer concepts with a MeSH id, then concepts of the fuzzy index (MeSH supplementary records are exact-only),
then those whose canonical name is the matched alias.

The knowledge base and index are loaded once per process (at construction, cached by index directory).
Build them with ``python -m pipeline.linking build`` (see docs/LINKING.md).
"""
from __future__ import annotations

import argparse
import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from scispacy.candidate_generation import CandidateGenerator, MentionCandidate
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions, paths
from pipeline.textnorm import us_spelling
from pipeline.linker_index import (
    Concept,
    ExactIndex,
    alias_key,
    bag_key,
    build_linker_index,
    load_lookup,
    require_index,
    scispacy_kb,
)

FACTORY_NAME = "drugclaims_linker"
LINKED_LABELS: Tuple[str, ...] = ("CHEMICAL", "CONDITION", "GENE_OR_PROTEIN")
_MAX_CACHE = 200_000


def register_extensions() -> None:
    """The Span extensions this component writes are registered, once, in :mod:`pipeline.extensions`."""
    extensions.register()


def default_concepts_path() -> Path:
    return paths.concepts_path()


def default_index_dir() -> Path:
    return paths.cache_dir() / "linker"


class Link(NamedTuple):
    concept_id: str
    concept_name: str
    xrefs: Tuple[str, ...]
    candidates: Tuple[Tuple[str, float], ...]
    method: str  # exact | bag | fuzzy | other_type | none


UNLINKED = Link("", "", (), (), "none")


class _SingleThreadIndex:
    """nmslib index proxy: queries on one thread (the machine is shared; batches here are small)."""

    def __init__(self, index) -> None:
        self._index = index

    def knnQueryBatch(self, vectors, k: int):  # noqa: N802 (nmslib's name, called by scispaCy)
        return self._index.knnQueryBatch(vectors, k=k, num_threads=1)


@dataclass(frozen=True)
class LinkerResources:
    concepts: Mapping[str, Concept]
    exact: ExactIndex
    candidate_generator: CandidateGenerator


@functools.lru_cache(maxsize=4)
def load_linker_resources(index_dir: Path, ef_search: int = 100) -> LinkerResources:
    """Load the knowledge base and ANN index from ``index_dir`` (once per process and directory)."""
    linker_paths = require_index(index_dir)
    concepts, exact = load_lookup(index_dir)
    aliases, vectorizer, ann_index = linker_paths.load(ef_search=ef_search)
    generator = CandidateGenerator(
        ann_index=_SingleThreadIndex(ann_index),
        tfidf_vectorizer=vectorizer,
        ann_concept_aliases_list=aliases,
        kb=scispacy_kb(concepts),
    )
    return LinkerResources({c.concept_id: c for c in concepts}, exact, generator)


def with_spelling_variants(forms: Tuple[str, ...]) -> Tuple[str, ...]:
    """The forms followed by their American spellings where they differ ("hypokalaemia", "hypokalemia")."""
    variants = [us_spelling(form) for form in forms]
    return tuple(dict.fromkeys([*forms, *variants]))


def _has_mesh(concept: Concept) -> bool:
    return concept.concept_id.startswith("MESH:") or any(x.startswith("MESH:") for x in concept.xrefs)


class ConceptLinker:
    """Links entity spans to the knowledge base; see the module docstring for the resolution order."""

    def __init__(
        self,
        resources: LinkerResources,
        *,
        threshold: float,
        k: int,
        max_entities_per_mention: int,
        resolve_abbreviations: bool,
    ) -> None:
        register_extensions()
        self.resources = resources
        self.threshold = threshold
        self.k = k
        self.max_entities_per_mention = max_entities_per_mention
        self.resolve_abbreviations = resolve_abbreviations
        self._cache: Dict[Tuple[Tuple[str, ...], str], Link] = {}

    def __call__(self, doc: Doc) -> Doc:
        ents = [ent for ent in doc.ents if ent.label_ in LINKED_LABELS]
        preset = [ent for ent in ents if ent._.concept_id]
        todo = [ent for ent in ents if not ent._.concept_id]
        links = self.predict([(self._forms(ent), ent.label_) for ent in todo])
        self.set_annotations(todo, links)
        for ent in preset:
            self._complete_preset(ent)
        return doc

    def predict(self, mentions: Sequence[Tuple[Tuple[str, ...], str]]) -> List[Link]:
        """Link ``(forms, label)`` pairs; ``forms`` are alternative texts tried in order (long form first)."""
        links: List[Optional[Link]] = [self._cache.get((forms, label)) for forms, label in mentions]
        fuzzy: List[int] = []
        for i, (forms, label) in enumerate(mentions):
            if links[i] is None:
                links[i] = self._exact(forms, label, other_types=False)
                if links[i] is None:
                    fuzzy.append(i)
        if fuzzy:
            batch = self.resources.candidate_generator([mentions[i][0][0] for i in fuzzy], self.k)
            for i, candidates in zip(fuzzy, batch):
                forms, label = mentions[i]
                links[i] = (
                    self._best_fuzzy(candidates, label)
                    or self._exact(forms, label, other_types=True)
                    or self._head(forms, label)
                    or UNLINKED
                )
        if len(self._cache) > _MAX_CACHE:
            self._cache.clear()
        for (forms, label), link in zip(mentions, links):
            self._cache[(forms, label)] = link  # type: ignore[assignment]
        return links  # type: ignore[return-value]

    def link_text(self, text: str, label: str, *, long_form: str = "") -> Link:
        forms = (long_form, text) if long_form else (text,)
        return self.predict([(with_spelling_variants(forms), label)])[0]

    def link_exact(self, text: str, label: str) -> Link:
        """Exact (or spelling-variant) name lookup only, no fuzzy search: UNLINKED when no name matches."""
        return self._exact(with_spelling_variants((text,)), label, other_types=False) or UNLINKED

    @staticmethod
    def set_annotations(spans: Iterable[Span], links: Iterable[Link]) -> None:
        for span, link in zip(spans, links):
            span._.concept_id = link.concept_id
            span._.concept_name = link.concept_name
            span._.xrefs = link.xrefs
            span._.concept_candidates = link.candidates

    def _forms(self, ent: Span) -> Tuple[str, ...]:
        if self.resolve_abbreviations and Span.has_extension("long_form"):
            long_form = ent._.long_form
            if long_form is not None and str(long_form) != ent.text:
                return with_spelling_variants((str(long_form), ent.text))
        return with_spelling_variants((ent.text,))

    def _complete_preset(self, ent: Span) -> None:
        concept = self.resources.concepts.get(ent._.concept_id)
        if concept is None:
            return
        if not ent._.concept_name:
            ent._.concept_name = concept.canonical_name
        if not ent._.xrefs:
            ent._.xrefs = concept.xrefs

    def _matches_label(self, concept_id: str, label: str) -> bool:
        return label in self.resources.concepts[concept_id].types

    def _exact(self, forms: Sequence[str], label: str, *, other_types: bool) -> Optional[Link]:
        exact = self.resources.exact
        for form in forms:
            key = alias_key(form)
            for method, ids in (("exact", exact.by_key.get(key, ())), ("bag", exact.by_bag.get(bag_key(form), ()))):
                typed = [i for i in ids if self._matches_label(i, label) != other_types]
                if typed:
                    ranked = sorted(typed, key=lambda i: self._rank(i, key))
                    method = "other_type" if other_types else method
                    return self._link(ranked[0], tuple((i, 1.0) for i in ranked), method)
        return None

    def _head(self, forms: Sequence[str], label: str) -> Optional[Link]:
        """The mention without its leading words ("severe headache" -> "headache", "delayed hippocampal damage" ->
        "hippocampal damage"), longest remainder first: a broader concept beats none when nothing else matched."""
        for form in forms:
            words = form.split()
            for k in range(1, len(words)):
                rest = " ".join(words[k:])
                if len(alias_key(rest)) < 4:
                    break
                link = self._exact((rest,), label, other_types=False)
                if link is not None:
                    return link._replace(method="head")
        return None

    def _best_fuzzy(self, candidates: Sequence[MentionCandidate], label: str) -> Optional[Link]:
        scored = [
            (max(c.similarities), c.concept_id)
            for c in candidates
            if self._matches_label(c.concept_id, label) and max(c.similarities) >= self.threshold
        ]
        if not scored:
            return None
        scored.sort(key=lambda pair: (-round(pair[0], 4), self._rank(pair[1], "")))
        return self._link(scored[0][1], tuple((i, round(s, 4)) for s, i in scored), "fuzzy")

    def _rank(self, concept_id: str, key: str) -> Tuple[bool, bool, bool, str]:
        concept = self.resources.concepts[concept_id]
        return (not _has_mesh(concept), not concept.fuzzy, alias_key(concept.canonical_name) != key, concept_id)

    def _link(self, concept_id: str, candidates: Tuple[Tuple[str, float], ...], method: str) -> Link:
        concept = self.resources.concepts[concept_id]
        return Link(
            concept_id, concept.canonical_name, concept.xrefs, candidates[: self.max_entities_per_mention], method
        )


@Language.factory(
    FACTORY_NAME,
    default_config={
        "index_dir": "",
        "threshold": 0.8,
        "k": 30,
        "max_entities_per_mention": 5,
        "ef_search": 100,
        "resolve_abbreviations": True,
    },
    assigns=["span._.concept_id", "span._.concept_name", "span._.xrefs", "span._.concept_candidates"],
    requires=["doc.ents"],
)
def make_drugclaims_linker(
    nlp: Language,
    name: str,
    *,
    index_dir: str,
    threshold: float,
    k: int,
    max_entities_per_mention: int,
    ef_search: int,
    resolve_abbreviations: bool,
) -> ConceptLinker:
    """``index_dir`` "" means the set-up cache (``$DRUGCLAIMS_CACHE/linker`` or ``<repo>/.cache/linker``)."""
    directory = Path(index_dir) if index_dir else default_index_dir()
    return ConceptLinker(
        load_linker_resources(directory.resolve(), ef_search),
        threshold=threshold,
        k=k,
        max_entities_per_mention=max_entities_per_mention,
        resolve_abbreviations=resolve_abbreviations,
    )


def build(concepts: Path, out: Path, *, threads: int, force: bool) -> str:
    report = build_linker_index(concepts, out, threads=threads, force=force)
    state = "built" if report.built else "up to date, skipped"
    return f"linker index {state}: {report.out_dir} ({report.n_concepts} concepts, {report.n_aliases} aliases)"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.linking", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the linker index from the lexicon's concepts.jsonl")
    build_parser.add_argument("--concepts", type=Path, default=default_concepts_path(), help="concepts.jsonl")
    build_parser.add_argument("--out", type=Path, default=default_index_dir(), help="index directory")
    build_parser.add_argument("--threads", type=int, default=1, help="threads for the HNSW build")
    build_parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    try:
        message = build(args.concepts, args.out, threads=args.threads, force=args.force)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
