"""Reading article corpora: folders of .txt/.md/.html files or a JSONL file, into analysable articles.

Reading is split in two so batches can be planned cheaply and read where they are processed:
:func:`plan_corpus` lists lightweight references (a file path, or a JSONL path, line number and byte offset),
:func:`scan_corpus` reads each one once to learn its id and content hash (for incremental runs), and
:func:`read_article` turns one reference into an :class:`Article` or raises :class:`ArticleError` with a reason
that ends up in the ``articles`` table. Nothing in a corpus is skipped silently: unreadable entries (dangling
symlinks, folders or FIFOs named like articles, binary or over-long files, broken JSONL lines, duplicate ids)
become failures with a reason.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# spaCy's NER needs about 1 GB of temporary memory per 100k characters of one Doc: longer articles are refused.
DEFAULT_MAX_CHARS = 200_000
# Files (or JSONL lines) larger than this are refused before they are read, so memory stays bounded.
DEFAULT_MAX_FILE_BYTES = 20_000_000


class CorpusError(ValueError):
    """The corpus as a whole cannot be read (missing path, unsupported file type)."""


class ArticleError(ValueError):
    """One article cannot be analysed; the message is the reason recorded for it.

    ``article_id`` is the article's id when it could be read (a JSONL line with an ``id`` but no ``text``).
    """

    def __init__(self, reason: str, *, article_id: str = ""):
        super().__init__(reason)
        self.article_id = article_id


@dataclass(frozen=True)
class ArticleRef:
    """Where an article comes from: a file, or one line of a JSONL file."""

    path: str
    line: int = -1  # JSONL line number (0-based); -1 for a file
    article_id: str = ""  # known up front for files; for JSONL read from the line
    offset: int = -1  # byte offset of the JSONL line (-1: unknown, scan from the start)


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


@dataclass(frozen=True)
class ScannedArticle:
    """One corpus entry after a cheap read: its id, source and content hash, or why it cannot be read."""

    ref: ArticleRef
    article_id: str
    source: str
    content_sha256: str = ""
    error: str = ""


def clean_name(name: str) -> str:
    """A path or id as valid Unicode (undecodable bytes in file names become U+FFFD)."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte (JSON "\ud800")
        return name.encode("utf-8", "replace").decode("utf-8")


def check_corpus(corpus: Path) -> Path:
    """The corpus path if it can be read as one, else a CorpusError saying what to give instead."""
    corpus = Path(corpus)
    if not corpus.exists():
        raise CorpusError(f"corpus not found: {corpus}; give a folder of .txt/.md/.html files or a .jsonl file")
    if corpus.is_file() and corpus.suffix.lower() not in SUPPORTED_SUFFIXES | {".jsonl"}:
        raise CorpusError(f"unsupported corpus file {corpus}: expected .jsonl, .txt, .md, .html or .htm")
    if not corpus.is_file() and not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is neither a file nor a folder; give a folder or a .jsonl file")
    if corpus.is_dir() and not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder {corpus} is not readable; check its permissions")
    if corpus.is_file() and not os.access(corpus, os.R_OK):
        raise CorpusError(f"corpus file {corpus} is not readable; check its permissions")
    return corpus


def plan_corpus(corpus: Path) -> list[ArticleRef]:
    """References to every article of a folder (recursive) or a .jsonl file, in a stable order."""
    corpus = check_corpus(corpus)
    if corpus.is_file():
        if corpus.suffix.lower() == ".jsonl":
            return list(_jsonl_refs(corpus))
        return [ArticleRef(str(corpus), article_id=clean_name(corpus.stem))]
    return [ArticleRef(str(path), article_id=clean_name(rel)) for path, rel in _folder_entries(corpus)]


def ignored_files(corpus: Path) -> list[str]:
    """Files of a corpus folder that are not articles (by suffix): reported, never read."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        return []
    ignored = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                ignored.append(clean_name(str(Path(root, name).relative_to(corpus))))
    return ignored


def _folder_entries(corpus: Path) -> Iterator[tuple[Path, str]]:
    """(path, relative id) of every entry named like an article, folders included (they fail when read)."""
    found = []
    for root, dirs, files in os.walk(corpus):  # symlinked folders are not followed (no loops)
        for name in files + dirs:
            path = Path(root, name)
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append((path, path.relative_to(corpus).with_suffix("").as_posix()))
    return iter(sorted(found, key=lambda item: item[1]))


def _jsonl_refs(path: Path) -> Iterator[ArticleRef]:
    offset = 0
    with path.open("rb") as handle:
        for i, raw in enumerate(handle):
            yield ArticleRef(str(path), line=i, offset=offset)
            offset += len(raw)


def scan_corpus(refs: list[ArticleRef], *, max_chars: int = DEFAULT_MAX_CHARS,
                max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[ScannedArticle]:
    """Read every reference once (texts are not kept): its id and content hash, or its failure reason."""
    for ref in refs:
        try:
            article = read_article(ref, max_chars=max_chars, max_file_bytes=max_file_bytes)
        except ArticleError as e:
            article_id = e.article_id or ref.article_id or jsonl_ref_id(ref)
            yield ScannedArticle(ref, article_id, clean_name(_source(ref)), error=str(e))
            continue
        yield ScannedArticle(ref, article.article_id, article.source, article.content_sha256)


def _source(ref: ArticleRef) -> str:
    return f"{ref.path}:{ref.line + 1}" if ref.line >= 0 else ref.path


def read_article(ref: ArticleRef, *, max_chars: int = DEFAULT_MAX_CHARS,
                 max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Article:
    article = _read_jsonl_line(ref, max_file_bytes) if ref.line >= 0 else _read_file(ref, max_file_bytes)
    _check_unicode(article)
    if not article.text.strip():
        raise ArticleError("empty text", article_id=article.article_id)
    if len(article.text) > max_chars:
        raise ArticleError(f"article too long: {len(article.text)} characters > limit {max_chars} (setting max_chars)",
                           article_id=article.article_id)
    return article


def _check_unicode(article: Article) -> None:
    try:
        article.article_id.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ArticleError(f"article_id contains invalid Unicode (lone surrogate at position {e.start})") from e
    for name in ("title", "url", "text"):
        try:
            getattr(article, name).encode("utf-8")
        except UnicodeEncodeError as e:
            raise ArticleError(f"{name} contains invalid Unicode (lone surrogate at position {e.start})",
                               article_id=article.article_id) from e
    try:
        json.dumps(article.metadata, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError as e:
        raise ArticleError("metadata contains invalid Unicode (lone surrogate)", article_id=article.article_id) from e


def _read_file(ref: ArticleRef, max_file_bytes: int) -> Article:
    path = Path(ref.path)
    try:
        info = path.stat()
    except OSError as e:
        reason = "dangling symlink" if path.is_symlink() else "cannot read file"
        raise ArticleError(f"{reason}: {e.strerror or e}") from e
    if stat.S_ISDIR(info.st_mode):
        raise ArticleError("is a folder, not a file (named like an article)")
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError("not a regular file (FIFO, socket or device); not read")
    if info.st_size > max_file_bytes:
        raise ArticleError(f"file too large: {info.st_size} bytes > limit {max_file_bytes} (setting max_file_bytes)")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"cannot read file: {e.strerror or e}") from e
    text = decode_text(raw)
    source = clean_name(str(path))
    if path.suffix.lower() in HTML_SUFFIXES:
        title, text = html_main_text(text)
        return Article(ref.article_id, source, title, "", f"{title}\n\n{text}" if title else text)
    return Article(ref.article_id, source, "", "", text)


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


def _jsonl_line_bytes(ref: ArticleRef, max_file_bytes: int) -> bytes:
    try:
        with open(ref.path, "rb") as handle:
            if ref.offset >= 0:
                handle.seek(ref.offset)
                raw = handle.readline(max_file_bytes + 1)
            else:
                for i, raw in enumerate(handle):
                    if i == ref.line:
                        break
                else:
                    raw = b""
    except OSError as e:
        raise ArticleError(f"cannot read file: {e.strerror or e}") from e
    if not raw:
        raise ArticleError(f"line {ref.line + 1} no longer exists")
    if len(raw) > max_file_bytes:
        raise ArticleError(f"line {ref.line + 1}: longer than {max_file_bytes} bytes (setting max_file_bytes)")
    return raw


def _read_jsonl_line(ref: ArticleRef, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Article:
    raw = _jsonl_line_bytes(ref, max_file_bytes)
    if not raw.strip():
        raise ArticleError(f"line {ref.line + 1}: blank line")
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
        raise ArticleError(f"line {ref.line + 1}: missing 'text'", article_id=clean_name(str(article_id)))
    title = record.get("title") or ""
    title = title if isinstance(title, str) else str(title)
    metadata = {k: v for k, v in record.items() if k not in {"id", "text", "title", "url"}}
    analysed = f"{title}\n\n{text}" if title else text
    return Article(str(article_id), f"{ref.path}:{ref.line + 1}", title, str(record.get("url") or ""), analysed, metadata)


def jsonl_ref_id(ref: ArticleRef) -> str:
    """A placeholder id for a JSONL line that could not be read (so it still gets a row)."""
    return ref.article_id or f"{Path(ref.path).name}:line{ref.line + 1}"
