"""The linker's knowledge base and its character 3-gram TF-IDF / HNSW index, built once at set-up.

The knowledge base is the project's ``concepts.jsonl`` (one concept a line: ``concept_id``, ``canonical_name``,
``aliases``, ``types``, ``definition``, ``xrefs``), written by ``pipeline.lexicon_build``. The index files are the
ones scispaCy's :class:`~scispacy.candidate_generation.LinkerPaths` names, so scispaCy's own loader and
:class:`~scispacy.candidate_generation.CandidateGenerator` read them; they are built here because scispaCy's
``create_tfidf_ann_index`` refuses to run on Python 3.11 and hard-codes ``min_df=10``.

Alias matching before the fuzzy index uses :func:`alias_key`: case-folded, punctuation and hyphens as spaces,
plural endings stripped, so "Beta-blockers", "beta blocker" and "beta-blocker" share one key.
"""
from __future__ import annotations

import gc
import hashlib
import json
import pickle
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Tuple

import joblib
import nmslib
import numpy
import scipy.sparse
from scispacy.candidate_generation import LinkerPaths
from scispacy.linking_utils import Entity, KnowledgeBase
from sklearn.feature_extraction.text import TfidfVectorizer

CONCEPT_TYPES: FrozenSet[str] = frozenset({"CHEMICAL", "CONDITION", "GENE_OR_PROTEIN"})
REQUIRED_KEYS: Tuple[str, ...] = ("concept_id", "canonical_name", "aliases", "types")
OPTIONAL_KEYS: Tuple[str, ...] = ("definition", "xrefs", "source", "fuzzy")
KB_FILE = "concepts.jsonl"
HASH_FILE = "concepts.sha256"
LOOKUP_FILE = "lookup.pickle"  # the validated concepts and exact-match tables, ready to load (0.2 M concepts: ~1 s)
# Bump when the index layout or the build settings change, so that old caches are rebuilt.
INDEX_FORMAT = "drugclaims-linker-index-v2"
HNSW_PARAMS: Mapping[str, int] = {"M": 30, "efConstruction": 200, "post": 0}

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


class KnowledgeBaseError(ValueError):
    """A concepts file that cannot be used as the linker's knowledge base."""


class LinkerIndexMissingError(FileNotFoundError):
    """The linker index has not been built (or not in the directory given)."""


@dataclass(frozen=True)
class Concept:
    concept_id: str
    canonical_name: str
    aliases: Tuple[str, ...]
    types: Tuple[str, ...]
    definition: str
    xrefs: Tuple[str, ...]
    fuzzy: bool = True  # False: matched by exact alias only, left out of the fuzzy (TF-IDF/HNSW) index


def _singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def alias_key(text: str) -> str:
    """Light normalisation for exact alias lookup: case-fold, punctuation/hyphens to spaces, singular tokens."""
    tokens = _SEPARATORS.sub(" ", text.casefold()).split()
    return " ".join(_singular(token) for token in tokens)


def bag_key(text: str) -> str:
    """Word-order-free key: "Hypertension, Pulmonary" and "pulmonary hypertension" share it."""
    return " ".join(sorted(alias_key(text).split()))


def index_alias(text: str) -> str:
    """The form an alias takes in the TF-IDF index (the vectorizer lower-cases anyway; this deduplicates)."""
    return " ".join(text.lower().split())


def parse_concept(record: Mapping[str, object], *, where: str) -> Concept:
    """Validate one knowledge-base record into a :class:`Concept`; unknown keys and bad types are rejected."""
    missing = [key for key in REQUIRED_KEYS if key not in record]
    unknown = sorted(set(record) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if missing or unknown:
        raise KnowledgeBaseError(
            f"{where}: missing keys {missing}, unknown keys {unknown}; allowed: {list(REQUIRED_KEYS + OPTIONAL_KEYS)}"
        )
    types = tuple(record["types"])  # type: ignore[arg-type]
    bad_types = sorted(set(types) - CONCEPT_TYPES)
    if not types or bad_types:
        raise KnowledgeBaseError(f"{where}: types {list(types)} must be a non-empty subset of {sorted(CONCEPT_TYPES)}")
    concept_id = str(record["concept_id"])
    if ":" not in concept_id:
        raise KnowledgeBaseError(f"{where}: concept_id {concept_id!r} is not a CURIE (PREFIX:ID)")
    xrefs = tuple(str(x) for x in record.get("xrefs") or () if str(x) != concept_id)  # type: ignore[union-attr]
    fuzzy = record.get("fuzzy", True)
    if not isinstance(fuzzy, bool):
        raise KnowledgeBaseError(f"{where}: fuzzy must be true or false, got {fuzzy!r}")
    return Concept(
        concept_id=concept_id,
        canonical_name=str(record["canonical_name"]),
        aliases=tuple(str(a) for a in record["aliases"] if str(a).strip()),  # type: ignore[union-attr]
        types=types,
        definition=str(record.get("definition") or ""),
        xrefs=tuple(dict.fromkeys(xrefs)),
        fuzzy=fuzzy,
    )


def read_concepts(path: Path) -> List[Concept]:
    """Read and validate ``concepts.jsonl``; a later record with an already-seen concept_id is an error."""
    concepts: Dict[str, Concept] = {}
    with Path(path).open(encoding="utf8") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            where = f"{path}:{line_number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise KnowledgeBaseError(f"{where}: not valid JSON ({e.msg})") from e
            concept = parse_concept(record, where=where)
            if concept.concept_id in concepts:
                raise KnowledgeBaseError(f"{where}: duplicate concept_id {concept.concept_id}")
            concepts[concept.concept_id] = concept
    return list(concepts.values())


def concept_names(concept: Concept) -> List[str]:
    return list(dict.fromkeys((concept.canonical_name, *concept.aliases)))


def scispacy_kb(concepts: Iterable[Concept]) -> KnowledgeBase:
    """A scispaCy KnowledgeBase whose aliases are in :func:`index_alias` form, as the ANN alias list is.

    Only the concepts of the fuzzy index: the others are never a candidate of the ANN search."""
    entities = (
        Entity(
            concept_id=c.concept_id,
            canonical_name=index_alias(c.canonical_name),
            aliases=[index_alias(name) for name in concept_names(c)],
            types=list(c.types),
            definition=c.definition or None,
        )
        for c in concepts
        if c.fuzzy
    )
    return KnowledgeBase(entities)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    with Path(path).open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_is_current(concepts_jsonl: Path, out_dir: Path) -> bool:
    """True when ``out_dir`` holds a complete index built from exactly this ``concepts.jsonl``."""
    out_dir = Path(out_dir)
    hash_path = out_dir / HASH_FILE
    if not out_dir.is_dir() or not hash_path.is_file() or not (out_dir / KB_FILE).is_file():
        return False
    if not LinkerPaths.from_directory(out_dir).is_locally_cached() or not (out_dir / LOOKUP_FILE).is_file():
        return False
    return hash_path.read_text().strip() == file_sha256(concepts_jsonl)


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    built: bool
    n_concepts: int
    n_aliases: int


def build_linker_index(
    concepts_jsonl: Path, out_dir: Path, *, threads: int = 1, force: bool = False
) -> BuildReport:
    """Build the TF-IDF char-3-gram vectorizer, the nmslib HNSW index and the alias list into ``out_dir``.

    Skipped (``built=False``) when ``out_dir`` already holds an index of this exact ``concepts.jsonl``.
    The concepts file is copied next to the index, so the directory alone is enough to link.
    """
    concepts_jsonl, out_dir = Path(concepts_jsonl), Path(out_dir)
    if not concepts_jsonl.is_file():
        raise KnowledgeBaseError(
            f"{concepts_jsonl} does not exist: build the lexicon first (python -m pipeline.lexicon_build)"
        )
    if not force and index_is_current(concepts_jsonl, out_dir):
        aliases = json.loads((out_dir / "concept_aliases.json").read_text())
        n_concepts = sum(1 for line in (out_dir / KB_FILE).open(encoding="utf8") if line.strip())
        return BuildReport(out_dir, False, n_concepts, len(aliases))
    concepts = read_concepts(concepts_jsonl)
    aliases = sorted({index_alias(name) for c in concepts if c.fuzzy for name in concept_names(c)} - {""})
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), min_df=1, dtype=numpy.float32)
    vectors = vectorizer.fit_transform(aliases).tocsr()
    non_empty = numpy.asarray(vectors.getnnz(axis=1) > 0)
    aliases = [alias for alias, keep in zip(aliases, non_empty) if keep]
    vectors = vectors[non_empty]
    index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
    index.addDataPointBatch(vectors)
    index.createIndex({**HNSW_PARAMS, "indexThreadQty": threads}, print_progress=False)

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / HASH_FILE).unlink(missing_ok=True)  # an interrupted build must not look current
    paths = LinkerPaths.from_directory(out_dir)
    joblib.dump(vectorizer, paths.tfidf_vectorizer)
    scipy.sparse.save_npz(paths.tfidf_vectors, vectors.astype(numpy.float32))
    Path(paths.concept_aliases_list).write_text(json.dumps(aliases))
    index.saveIndex(paths.ann_index)
    with (out_dir / LOOKUP_FILE).open("wb") as handle:
        pickle.dump((concepts, exact_index(concepts)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    shutil.copyfile(concepts_jsonl, out_dir / KB_FILE)
    (out_dir / HASH_FILE).write_text(file_sha256(concepts_jsonl) + "\n")
    return BuildReport(out_dir, True, len(concepts), len(aliases))


@dataclass(frozen=True)
class ExactIndex:
    """Exact-match lookup tables over the knowledge base: alias key -> concept ids (sorted)."""

    by_key: Mapping[str, Tuple[str, ...]]
    by_bag: Mapping[str, Tuple[str, ...]]


def exact_index(concepts: Iterable[Concept]) -> ExactIndex:
    by_key: Dict[str, set] = defaultdict(set)
    by_bag: Dict[str, set] = defaultdict(set)
    for concept in concepts:
        for name in concept_names(concept):
            key = alias_key(name)
            if key:
                by_key[key].add(concept.concept_id)
                by_bag[bag_key(name)].add(concept.concept_id)
    return ExactIndex(
        by_key={key: tuple(sorted(ids)) for key, ids in by_key.items()},
        by_bag={key: tuple(sorted(ids)) for key, ids in by_bag.items()},
    )


def load_lookup(index_dir: Path) -> Tuple[List[Concept], ExactIndex]:
    """The concepts and exact-match tables the build stored next to the index (written by this project's build from
    the validated concepts.jsonl; a cache file, never downloaded)."""
    collecting = gc.isenabled()
    gc.disable()  # 0.2 M objects, none of them cyclic: the collector would only slow the load down (3.0 s -> 0.8 s)
    try:
        with (Path(index_dir) / LOOKUP_FILE).open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own build output in our own cache
    finally:
        if collecting:
            gc.enable()


def require_index(index_dir: Path) -> LinkerPaths:
    """The index's LinkerPaths, or a clear error saying how to build it."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir() or not (index_dir / KB_FILE).is_file():
        raise LinkerIndexMissingError(
            f"No linker index in {index_dir}: run `python -m pipeline.linking build` (part of `make`) first"
        )
    paths = LinkerPaths.from_directory(index_dir)
    if not paths.is_locally_cached() or not (index_dir / LOOKUP_FILE).is_file():
        raise LinkerIndexMissingError(
            f"Linker index in {index_dir} is incomplete: rerun `python -m pipeline.linking build --force`"
        )
    return paths
