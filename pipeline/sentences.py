"""Sentence boundaries, headings and page furniture.

Consumer articles are laid out in lines: a heading, a bullet or a "related article" link is its own line and never
part of the next sentence. Within a line, a sentence ends at . ! ? before a capital, digit, quote or bullet, except
after an abbreviation (scispaCy's list plus everyday ones). This is several times faster than pySBD and keeps the
line structure that pySBD flattens.

Furniture (related-article titles at the foot of a page, sign-up and share lines) is found on the line structure and
recorded in ``doc.spans["furniture"]``; later components ignore what lies inside it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from scispacy.consts import ABBREVIATIONS
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.rules import FurnitureRules, load_furniture_rules

_EXTRA_ABBREVIATIONS = {
    "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "e.g.", "i.e.", "vs.", "etc.", "approx.", "u.s.", "u.k.", "jan.",
    "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "inc.", "ltd.", "co.",
    "max.", "ph.d.", "m.d.", "jr.", "sr.", "dept.", "univ.", "ca.", "cf.",
}
ABBREVIATION_SET = frozenset(a.lower() for a in ABBREVIATIONS) | _EXTRA_ABBREVIATIONS
_SENT_END = {".", "!", "?"}
_BULLETS = {"•", "-", "*", "–", "—", "·", "▪", "●"}


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped)
            lines.append(Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def is_heading(line: Line, *, max_words: int = 14) -> bool:
    """A short line without sentence-final punctuation (titles, section heads, link titles)."""
    text = line.text.lstrip("".join(_BULLETS) + " ")
    return bool(text) and len(text.split()) <= max_words and text[-1] not in ".!;:,\"'”)" and not text[0].islower()


def furniture_lines(lines: list[Line], rules: FurnitureRules) -> list[Line]:
    """Lines that are not article content: pattern matches anywhere, and a trailing run of link-like titles."""
    patterns = [re.compile(p, re.IGNORECASE) for p in rules.line_patterns]
    found = [line for line in lines if any(p.search(line.text) for p in patterns)]
    trailing: list[Line] = []
    for line in reversed(lines):
        if line.text[0] in _BULLETS:
            break  # a bulleted list is article content
        if is_heading(line, max_words=rules.max_link_title_words) or line in found:
            trailing.append(line)
        else:
            break
    if len([line for line in trailing if line not in found]) >= rules.min_trailing_titles and len(trailing) < len(lines):
        found.extend(line for line in trailing if line not in found)
    return sorted(found, key=lambda line: line.start)


def _is_sentence_end(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.text not in _SENT_END and not (len(token.text) > 1 and token.text[-1] in _SENT_END and token.text.lower() not in ABBREVIATION_SET):
        return False
    if i + 1 >= len(doc):
        return False
    prev = doc[i - 1].text.lower() + "." if i > 0 and token.text == "." else ""
    if prev in ABBREVIATION_SET or (i > 0 and len(doc[i - 1].text) == 1 and doc[i - 1].text.isupper()):
        return False
    nxt = doc[i + 1]
    if nxt.is_space:
        return False  # a line break: set_sentence_starts starts the next sentence after it
    first = nxt.text[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘(" or nxt.text in _BULLETS


def sentence_start_indices(doc: Doc) -> list[int]:
    """Token indices that start a sentence: after a line break, and after sentence-final punctuation."""
    starts = [0]
    n = len(doc)
    for token in doc[:-1]:
        i = token.i
        if "\n" in token.text or "\n" in token.whitespace_:
            starts.append(i + 1)
        elif token.text[-1] in "!?." and _is_sentence_end(doc, i):
            # closing quotes/brackets stay with the sentence they end
            j = i + 1
            while j < n and doc[j].text in {'"', "\u201d", "\u2019", "'", ")"} and not doc[j - 1].whitespace_:
                j += 1
            if j < n:
                starts.append(j)
    return starts


_NOT_START = numpy.uint64(0xFFFFFFFFFFFFFFFF)  # -1 as spaCy stores it: "not a sentence start"


def set_sentence_starts(doc: Doc) -> None:
    """Write all boundaries at once through the array API (per-token setters are ~50x slower)."""
    if len(doc) == 0:
        return
    values = numpy.full(len(doc), _NOT_START, dtype="uint64")
    values[sentence_start_indices(doc)] = 1
    doc.from_array([SENT_START], values)


class SentenceSegmenter:
    """Sets sentence starts, and records furniture lines and headings."""

    def __init__(self, nlp: Language, name: str, *, furniture_rules: FurnitureRules):
        extensions.register()
        self.name = name
        self.rules = furniture_rules

    def __call__(self, doc: Doc) -> Doc:
        set_sentence_starts(doc)
        lines = split_lines(doc.text)
        furniture = furniture_lines(lines, self.rules)
        spans = [doc.char_span(line.start, line.end, alignment_mode="expand") for line in furniture]
        doc.spans["furniture"] = [s for s in spans if s is not None]
        doc._.heading_sents = tuple((line.start, line.end) for line in lines if is_heading(line))
        return doc


@Language.factory("drugclaims_sentences", default_config={})
def make_sentence_segmenter(nlp: Language, name: str) -> SentenceSegmenter:
    return SentenceSegmenter(nlp, name, furniture_rules=load_furniture_rules())


def in_furniture(doc: Doc, span: Span) -> bool:
    return any(f.start_char <= span.start_char < f.end_char for f in doc.spans.get("furniture", []))


_ET_AL = re.compile(r"\b[A-Z][A-Za-z'\-]+ [A-Z]{0,3},? et al\b")
_AUTHOR = re.compile(r"\b[A-Z][A-Za-z'\-]+ [A-Z]{1,3}[,.]")


def is_reference(sent: Span) -> bool:
    """A citation: "Amin AP, Patterson M, House JA, Giersiefen H, ... Costs associated with ..." (three or more
    "Surname INITIALS," in a row) or "Sulkowski MS, et al. Daclatasvir plus sofosbuvir for ..."."""
    return len(_AUTHOR.findall(sent.text)) >= 3 or bool(_ET_AL.search(sent.text))


def is_heading_sentence(doc: Doc, sent: Span) -> bool:
    """Headings, questions and reference-list lines state no claim of their own."""
    text = sent.text.strip()
    start = sent.start_char
    in_heading = any(line_start <= start < line_end for line_start, line_end in doc._.heading_sents)
    return in_heading or text.endswith("?") or in_furniture(doc, sent) or is_reference(sent)
