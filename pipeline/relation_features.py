"""Sparse features for a (chemical mention, other mention) pair in a Doc, for the relation classifier.

Features are computed from the Doc's tokens only (no tagger, parser or lemmatizer: the project's Docs have none):
lower-cased forms with digits folded to ``0`` and a crude suffix stemmer. The same function serves training (corpus
texts tokenised with the project tokenizer, gold mentions) and inference (``doc.ents`` of the pipeline), so the two
see identical feature strings. The feature set follows the classic feature-based relation extractors (Zhou et al.
2005, "Exploring various knowledge in relation extraction"): words between the mentions, words around them, entity
types and order, distance, sentence distance, and cue-word classes.

Feature strings are hashed by the model (``sklearn.feature_extraction.FeatureHasher``), so adding a feature needs no
vocabulary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

FEATURE_VERSION = 1
_DIGITS = re.compile(r"\d")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ness", "ities", "ity", "ally", "ly", "ies", "ed", "es", "s")
MAX_BETWEEN = 12  # same-sentence pairs further apart keep only the first and last MAX_BETWEEN/2 between-words

# Cue classes: a token whose normalised form starts with one of the stems fires the class.
CUE_STEMS: dict[str, tuple[str, ...]] = {
    "ADE": (
        "induc", "caus", "associat", "relat", "toxic", "follow", "develop", "due", "secondar", "complicat",
        "adverse", "side", "after", "reaction", "occur", "result", "provok", "precipit", "attribut", "exacerbat",
        "aggravat", "lead", "risk", "onset", "hypersensitiv", "overdos", "intoxic",
    ),
    "TREAT": (
        "treat", "therap", "prevent", "reduc", "improv", "efficac", "effectiv", "manag", "alleviat", "relie",
        "protect", "attenuat", "benefi", "ameliorat", "cure", "remiss", "control", "revers", "prophyla", "indicat",
        "respons", "antagoniz",
    ),
    "MECH": (
        "inhibit", "block", "agonist", "antagonist", "activat", "bind", "bound", "substrate", "metaboli", "upregul",
        "up-regul", "downregul", "down-regul", "suppress", "stimulat", "express", "increas", "decreas", "enhanc",
        "potentiat", "catalyz", "oxid", "hydroxyl", "phosphoryl", "affinit", "selectiv", "receptor", "enzym",
        "transport", "uptake", "modulat", "induc", "ic50", "ki",
    ),
    "NEG": ("no", "not", "without", "neither", "nor", "absence", "fail", "unlikely", "ruled"),
}


@dataclass(frozen=True)
class DocIndex:
    """Per-Doc lookups computed once and shared by every pair of the Doc."""

    norms: tuple[str, ...]
    sent_of: tuple[int, ...]  # sentence number of each token
    ent_label_at: tuple[str, ...]  # label of the entity covering each token, "" outside entities


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case, digits folded to 0, crude suffix stripping (kept when at least 4 characters remain); cached: a
    document's words repeat across its tokens and across documents."""
    form = _DIGITS.sub("0", text.lower())
    if form.isalpha():
        for suffix in _SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 4:
                return form[: -len(suffix)]
    return form


def index_doc(doc: Doc, entities: list[Span] | tuple[Span, ...] | None = None) -> DocIndex:
    """Token norms, sentence numbers and entity labels; ``entities`` defaults to ``doc.ents``."""
    norms = tuple(normalise(token.text) for token in doc)
    if doc.has_annotation("SENT_START"):
        sent_of, current = [], -1
        for token in doc:
            current += bool(token.is_sent_start) or token.i == 0
            sent_of.append(current)
    else:
        sent_of = [0] * len(doc)
    labels = [""] * len(doc)
    for ent in doc.ents if entities is None else entities:
        for i in range(ent.start, ent.end):
            labels[i] = ent.label_
    return DocIndex(norms, tuple(sent_of), tuple(labels))


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _cues(norms: list[str]) -> set[str]:
    found = set()
    for norm in norms:
        for name, stems in CUE_STEMS.items():
            if norm.startswith(stems):
                found.add(name)
    return found


def _masked(index: DocIndex, start: int, end: int) -> list[str]:
    """Norms of tokens ``start..end``, entity tokens replaced by their label (runs collapsed)."""
    out: list[str] = []
    for i in range(max(start, 0), min(end, len(index.norms))):
        label = index.ent_label_at[i]
        if label:
            token = f"<{label}>"
            if not out or out[-1] != token:
                out.append(token)
        elif index.norms[i].strip():
            out.append(index.norms[i])
    return out


def pair_features(index: DocIndex, chem: tuple[int, int, str], other: tuple[int, int, str]) -> list[str]:
    """Feature strings for a pair given as (start token, end token, label) for the chemical and the other mention."""
    c_start, c_end, c_label = chem
    o_start, o_end, o_label = other
    chem_first = c_start <= o_start
    order = "CO" if chem_first else "OC"
    first_end, second_start = (c_end, o_start) if chem_first else (o_end, c_start)
    first_start, second_end = (c_start, o_end) if chem_first else (o_start, c_end)
    types = f"{c_label}|{o_label}|{order}"
    sent_gap = abs(index.sent_of[c_start] - index.sent_of[min(o_start, len(index.sent_of) - 1)])
    gap = max(second_start - first_end, 0)
    feats = [f"T={types}", f"D={_bucket(gap, (0, 1, 2, 3, 5, 8, 12, 20, 40))}|{order}",
             f"S={_bucket(sent_gap, (0, 1, 2))}", f"TS={types}|{_bucket(sent_gap, (0, 1, 2))}"]
    feats += [f"CW={w}" for w in index.norms[c_start:c_end]]
    feats += [f"OW={w}|{o_label}" for w in index.norms[o_start:o_end]]
    feats.append("OH=" + index.norms[o_end - 1] + "|" + o_label)
    for k in (1, 2):
        left = index.norms[first_start - k] if first_start - k >= 0 else "<S>"
        right = index.norms[second_end + k - 1] if second_end + k - 1 < len(index.norms) else "</S>"
        feats += [f"L{k}={left}", f"R{k}={right}"]
        c_left = index.norms[c_start - k] if c_start - k >= 0 else "<S>"
        c_right = index.norms[c_end + k - 1] if c_end + k - 1 < len(index.norms) else "</S>"
        o_left = index.norms[o_start - k] if o_start - k >= 0 else "<S>"
        o_right = index.norms[o_end + k - 1] if o_end + k - 1 < len(index.norms) else "</S>"
        feats += [f"CL{k}={c_left}", f"CR{k}={c_right}", f"OL{k}={o_left}", f"OR{k}={o_right}"]
    if sent_gap == 0:
        between = _masked(index, first_end, second_start)
        if len(between) > MAX_BETWEEN:
            half = MAX_BETWEEN // 2
            between = between[:half] + ["..."] + between[-half:]
        feats += [f"B={w}" for w in between]
        feats += [f"BO={w}|{order}" for w in between]
        feats += [f"BB={a}_{b}" for a, b in zip(between, between[1:])]
        feats.append("BN=" + _bucket(sum(w.startswith("<") for w in between), (0, 1, 2, 4)))
        if len(between) <= 4:
            feats.append("BS=" + "_".join(between) + "|" + order)
        if not between:
            feats.append("ADJ|" + order)
        feats += [f"CUEB={c}|{order}" for c in _cues(between)]
        sent = index.sent_of[c_start]
        lo, hi = first_start, second_end
        while lo > 0 and index.sent_of[lo - 1] == sent:
            lo -= 1
        while hi < len(index.norms) and index.sent_of[hi] == sent:
            hi += 1
        feats += [f"CUES={c}" for c in _cues(list(index.norms[lo:hi]))]
    else:
        if index.sent_of[c_start] == 0:
            feats.append("X=CT")
        if index.sent_of[min(o_start, len(index.sent_of) - 1)] == 0:
            feats.append("X=OT")
        feats += [f"XC={c}" for c in _cues(list(index.norms[max(c_start - 4, 0) : c_end + 4]))]
        feats += [f"XO={c}" for c in _cues(list(index.norms[max(o_start - 4, 0) : o_end + 4]))]
    return feats


def span_tuple(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label_)
