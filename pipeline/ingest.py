"""Reading article corpora: folders of .txt/.md/.html files or a JSONL file, into analysable articles.

Reading is split in two so batches can be planned cheaply and read where they are processed:
:func:`plan_corpus` lists lightweight references (a file path, or a JSONL path and line number), and
:func:`read_article` turns one reference into an :class:`Article` or raises :class:`ArticleError` with a reason
that ends up in the ``articles`` table.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
DEFAULT_MAX_CHARS = 2_000_000


class CorpusError(ValueError):
    """The corpus as a whole cannot be read (missing path, unsupported file type)."""


class ArticleError(ValueError):
    """One article cannot be analysed; the message is the reason recorded for it."""


@dataclass(frozen=True)
class ArticleRef:
    """Where an article comes from: a file, or one line of a JSONL file."""

    path: str
    line: int = -1  # JSONL line number (0-based); -1 for a file
    article_id: str = ""  # known up front for files; for JSONL read from the line


@dataclass(frozen=True)
class Article:
    article_id: str
    source: str
    title: str
    url: str
    text: str  # the analysed text: every offset indexes into it
    metadata: dict = field(default_factory=dict)

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def check_corpus(corpus: Path) -> Path:
    """The corpus path if it can be read as one, else a CorpusError saying what to give instead."""
    corpus = Path(corpus)
    if not corpus.exists():
        raise CorpusError(f"corpus not found: {corpus}; give a folder of .txt/.md/.html files or a .jsonl file")
    if corpus.is_file() and corpus.suffix.lower() not in SUPPORTED_SUFFIXES | {".jsonl"}:
        raise CorpusError(f"unsupported corpus file {corpus}: expected .jsonl, .txt, .md, .html or .htm")
    if corpus.is_dir() and not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder {corpus} is not readable; check its permissions")
    return corpus


def plan_corpus(corpus: Path) -> list[ArticleRef]:
    """References to every article of a folder (recursive) or a .jsonl file, in a stable order."""
    corpus = check_corpus(corpus)
    if corpus.is_file():
        if corpus.suffix.lower() == ".jsonl":
            with corpus.open("rb") as handle:
                return [ArticleRef(str(corpus), line=i) for i, _ in enumerate(handle)]
        return [ArticleRef(str(corpus), article_id=corpus.stem)]
    refs = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix.lower() in SUPPORTED_SUFFIXES and not path.is_dir():
            relative = path.relative_to(corpus).with_suffix("")
            refs.append(ArticleRef(str(path), article_id=relative.as_posix()))
    return refs


def read_article(ref: ArticleRef, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    article = _read_jsonl_line(ref) if ref.line >= 0 else _read_file(ref)
    if not article.text.strip():
        raise ArticleError("empty text")
    if len(article.text) > max_chars:
        raise ArticleError(f"article too long: {len(article.text)} characters > limit {max_chars} (setting max_chars)")
    return article


def _read_file(ref: ArticleRef) -> Article:
    path = Path(ref.path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"cannot read file: {e.strerror or e}") from e
    text = decode_text(raw)
    if path.suffix.lower() in HTML_SUFFIXES:
        title, text = html_main_text(text)
        return Article(ref.article_id, str(path), title, "", f"{title}\n\n{text}" if title else text)
    return Article(ref.article_id, str(path), "", "", text)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; NUL bytes mean a binary file."""
    if b"\x00" in raw[:8192]:
        raise ArticleError("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as e:
            raise ArticleError(f"text is neither UTF-8 nor Windows-1252 (byte {e.start})") from e


def html_main_text(html: str) -> tuple[str, str]:
    """Title and main text of an HTML page (trafilatura drops navigation, ads and related-link blocks)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise ArticleError("no main text found in HTML")
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title or "").strip() if metadata is not None else ""
    if title and text.startswith(title):
        text = text[len(title) :].lstrip("\n")
    return title, text


def _read_jsonl_line(ref: ArticleRef) -> Article:
    with open(ref.path, "rb") as handle:
        for i, raw in enumerate(handle):
            if i == ref.line:
                break
        else:
            raise ArticleError(f"line {ref.line + 1} no longer exists")
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ArticleError(f"line {ref.line + 1}: not valid JSON ({e})") from e
    if not isinstance(record, dict):
        raise ArticleError(f"line {ref.line + 1}: expected a JSON object")
    article_id, text = record.get("id"), record.get("text")
    if article_id is None or str(article_id).strip() == "":
        raise ArticleError(f"line {ref.line + 1}: missing 'id'")
    if not isinstance(text, str):
        raise ArticleError(f"line {ref.line + 1}: missing 'text'")
    title = record.get("title") or ""
    title = title if isinstance(title, str) else str(title)
    metadata = {k: v for k, v in record.items() if k not in {"id", "text", "title", "url"}}
    analysed = f"{title}\n\n{text}" if title else text
    return Article(str(article_id), f"{ref.path}:{ref.line + 1}", title, str(record.get("url") or ""), analysed, metadata)


def jsonl_ref_id(ref: ArticleRef) -> str:
    """A placeholder id for a JSONL line that could not be read (so it still gets a row)."""
    return ref.article_id or f"{Path(ref.path).name}:line{ref.line + 1}"
