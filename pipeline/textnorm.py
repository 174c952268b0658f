"""String normalisation shared by the lexicon, the claim grouping and the evaluation."""
from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.attrs import ORTH

_NON_WORD = re.compile(r"[^a-z0-9%' \-]")


def normalise_token(token: str) -> str:
    """Lowercase, straight apostrophes, and a plural 's' dropped from words longer than 3 characters."""
    token = token.lower().replace("\u2019", "'")
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    return token


def normalised_forms(doc, cache: dict[int, str], limit: int = 200_000) -> list[str]:
    """``normalise_token`` of each token of a spaCy Doc ("" for whitespace tokens), computed once per word type:
    ``cache`` (orth id -> form) is the caller's and is emptied when it holds more than ``limit`` types. Reading the
    orth ids as an array avoids creating a Token object per position, which costs more than the lookups."""
    if len(cache) > limit:
        cache.clear()
    strings, forms = doc.vocab.strings, []
    for orth in doc.to_array(ORTH).tolist():
        form = cache.get(orth)
        if form is None:
            text = strings[orth]
            form = cache[orth] = "" if text.isspace() else normalise_token(text)
        forms.append(form)
    return forms


def normalise_tokens(tokens: Iterable[str]) -> list[str]:
    return [normalise_token(t) for t in tokens if t.strip()]


def normalise_text(text: str) -> str:
    """The claims_dev matching rule: lowercase, keep a-z 0-9 % ' - and spaces, depluralise each word."""
    text = _NON_WORD.sub(" ", text.lower().replace("\u2019", "'"))
    return " ".join(t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in text.split())


# British -> American medical spellings; used only as an extra form for exact knowledge-base lookup, so a rule that
# also fires on an unrelated word ("toe") can only fail to find a name, never change what the text says.
_US_SPELLINGS = [
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # haemorrhage, anaemia, paediatric, paraesthesia, leukaemia
    (re.compile(r"(?<![a-z])oe(?=[dsn])|(?<=[a-z])oe(?=[a-z])"), "e"),  # oedema, oesophagus, oestrogen, diarrhoea, foetal
    (re.compile(r"(?<=[a-z]{3})our\b"), "or"),  # tumour, behaviour, colour
    (re.compile(r"isation\b"), "ization"),  # immunisation, hospitalisation
]


def us_spelling(text: str) -> str:
    """The American spelling of a British medical term ("hypokalaemia" -> "hypokalemia"); the text itself if none."""
    lower = out = text.lower()
    for pattern, replacement in _US_SPELLINGS:
        out = pattern.sub(replacement, out)
    return out if out != lower else text


def written_in_capitals(text: str) -> bool:
    """An acronym as written: "ODD", "ARMS", "5-FU", and its plural "ARMs" (two or more letters, none in lower case
    but a plural's final s)."""
    if text.endswith("s") and len(text) > 1 and not text[-2].islower():
        text = text[:-1]
    return sum(ch.isalpha() for ch in text) >= 2 and not any(ch.islower() for ch in text)

