"""String normalisation shared by the lexicon, the claim grouping and the evaluation."""
from __future__ import annotations

import re
from collections.abc import Iterable

_NON_WORD = re.compile(r"[^a-z0-9%' \-]")


def normalise_token(token: str) -> str:
    """Lowercase, straight apostrophes, and a plural 's' dropped from words longer than 3 characters."""
    token = token.lower().replace("\u2019", "'")
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    return token


def normalise_tokens(tokens: Iterable[str]) -> list[str]:
    return [normalise_token(t) for t in tokens if t.strip()]


def normalise_text(text: str) -> str:
    """The claims_dev matching rule: lowercase, keep a-z 0-9 % ' - and spaces, depluralise each word."""
    text = _NON_WORD.sub(" ", text.lower().replace("\u2019", "'"))
    return " ".join(t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in text.split())
