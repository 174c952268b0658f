"""scispaCy's rule-based tokenizer, registered so that saved pipelines can name it in their config.

A trained pipeline saved by this project has ``[nlp.tokenizer] @tokenizers = "drugclaims.scispacy_tokenizer.v3"``;
importing this module (``pipeline`` does it) makes ``spacy.load`` able to rebuild that tokenizer.

v1 splits a hyphen only before a few suffixes ("baclofen-induced"); v2 (the project's tokenizer since the NER model
trained with it) also splits "/" between words or numbers ("urticaria/angioedema", "mg/kg") and a hyphen before a
lower-case word of three letters or more ("ADR-nephropathy", "anti-inflammatory"), because the annotated corpora
mark mentions inside such compounds (4.2 % of BC5CDR dev gold mentions cannot be matched by v1's tokens, 1.5 % by
v2's), and keeps web addresses whole. v3 (session 12) also splits a bracketed word from its brackets before a hyphen
compound: "Methamphetamine (MA)-induced" gave the one token "(MA)", hiding the abbreviation and its mentions (19
BC5CDR dev gold chemicals inside such brackets, more as the short form's later occurrences). v1 and v2 stay
registered so that pipelines saved with them still load unchanged.
"""
from __future__ import annotations

import re
from typing import Callable

import spacy
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

TOKENIZER_V1 = "drugclaims.scispacy_tokenizer.v1"
TOKENIZER_V2 = "drugclaims.scispacy_tokenizer.v2"
TOKENIZER_NAME = "drugclaims.scispacy_tokenizer.v3"  # the project's tokenizer

# "baclofen-induced", "statin-related", "drug-associated": the drug is its own token, as the corpora annotate it.
_HYPHEN_SUFFIX_INFIXES = [
    r"(?<=[A-Za-z0-9])-(?=(?:induced|related|associated|mediated|dependent|treated|exposed|naive|withdrawal)\b)"
]
# v2: "urticaria/angioedema", "Li/DVP", "mg/kg"; "ADR-nephropathy", "non-steroidal" (not "follow-up", "COVID-19").
_COMPOUND_INFIXES = [
    r"(?<=[A-Za-z0-9\)\]])/(?=[A-Za-z0-9\(\[])",
    r"(?<=[A-Za-z0-9\)\]])-(?=[a-z]{3,})",
]


# v3: a bracketed word written against a hyphen compound keeps scispaCy's brackets whole ("(MA)-induced" was one token
# "(MA)", so the abbreviation "MA" and the mention inside never came out): split after the opening bracket and before
# the closing one (zero-width splits; the hyphen after is split by the v2 rule).
_BRACKET_WORD = r"[A-Za-z0-9][A-Za-z0-9+,\-]{1,14}"  # two to fifteen characters: not "(R)", "(+)", "(-)"
_BRACKET_INFIXES = [
    r"(?<=^\()(?=" + _BRACKET_WORD + r"\)[-/][A-Za-z])",
    # the closing bracket of a word that the opening one starts (fixed-width lookbehinds, one per length)
    "(?:" + "|".join(rf"(?<=^\([A-Za-z0-9][A-Za-z0-9+,\-]{{{n}}})" for n in range(1, 15)) + r")(?=\)[-/][A-Za-z])",
]


# v2: a web address stays one token ("https://www.fda.gov/drugs/drug-safety"), so its path words are never read as
# drug or effect mentions now that "/" and "-" split words. A compiled pattern, so it is saved with the pipeline.
_URL = r"(?i)^(?:(?:https?|ftp)://|www\d{0,3}\.)\S+$"


def _builder(extra_infixes: list[str], url_pattern: str | None = None) -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        # scispaCy's builder copies token_match/url_match from the language's default tokenizer,
        # which does not exist yet while spaCy is constructing the Language: give it one first.
        nlp.tokenizer = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        tokenizer = combined_rule_tokenizer(nlp)
        scispacy_infixes = tokenizer.infix_finditer.__self__.pattern  # type: ignore[attr-defined]
        tokenizer.infix_finditer = compile_infix_regex([scispacy_infixes, *extra_infixes]).finditer
        if url_pattern is not None:
            tokenizer.url_match = re.compile(url_pattern).match
        return tokenizer

    return make


@spacy.registry.tokenizers(TOKENIZER_V1)
def create_tokenizer_v1() -> Callable[[Language], Tokenizer]:
    """scispaCy's tokenizer with the "-induced" family of hyphen splits."""
    return _builder(_HYPHEN_SUFFIX_INFIXES)


@spacy.registry.tokenizers(TOKENIZER_V2)
def create_tokenizer_v2() -> Callable[[Language], Tokenizer]:
    """v1 plus "/" between words and a hyphen before a lower-case word, web addresses whole."""
    return _builder([*_HYPHEN_SUFFIX_INFIXES, *_COMPOUND_INFIXES], _URL)


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """v2 plus a bracketed word split from its brackets before a hyphen compound ("(MA)-induced"): the project's
    tokenizer."""
    return _builder([*_HYPHEN_SUFFIX_INFIXES, *_COMPOUND_INFIXES, *_BRACKET_INFIXES], _URL)


_COMPOUND_SPLIT = re.compile("(" + "|".join(_COMPOUND_INFIXES) + ")")  # the v2 splits, as capturing separators


def split_compound(word: str) -> list[str]:
    """A written word ("middle-aged", "mg/kg") as v2 tokens: ["middle", "-", "aged"]; for rule phrases given as text."""
    return [part for part in _COMPOUND_SPLIT.split(word) if part]


def compound_start(doc, end: int) -> int:
    """First token of the written word that ends at token ``end - 1``: ``middle - aged`` with no spaces is one word."""
    start = end - 1
    while start >= 2 and doc[start - 1].text in {"-", "/"} and not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_:
        start -= 2
    return start


def compound_end(doc, start: int) -> int:
    """One past the last token of the written word that starts at token ``start``."""
    end = start + 1
    while end + 1 < len(doc) and doc[end].text in {"-", "/"} and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 2
    return end
