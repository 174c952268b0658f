"""scispaCy's rule-based tokenizer, registered so that saved pipelines can name it in their config.

A trained pipeline saved by this project has ``[nlp.tokenizer] @tokenizers = "drugclaims.scispacy_tokenizer.v1"``;
importing this module (``pipeline`` does it) makes ``spacy.load`` able to rebuild that tokenizer.
"""
from __future__ import annotations

from typing import Callable

import spacy
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

TOKENIZER_NAME = "drugclaims.scispacy_tokenizer.v1"

# "baclofen-induced", "statin-related", "drug-associated": the drug is its own token, as the corpora annotate it.
_HYPHEN_SUFFIX_INFIXES = [
    r"(?<=[A-Za-z0-9])-(?=(?:induced|related|associated|mediated|dependent|treated|exposed|naive|withdrawal)\b)"
]


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """Return the factory spaCy calls with the ``nlp`` object to build scispaCy's tokenizer."""

    def make(nlp: Language) -> Tokenizer:
        # scispaCy's builder copies token_match/url_match from the language's default tokenizer,
        # which does not exist yet while spaCy is constructing the Language: give it one first.
        nlp.tokenizer = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        tokenizer = combined_rule_tokenizer(nlp)
        scispacy_infixes = tokenizer.infix_finditer.__self__.pattern  # type: ignore[attr-defined]
        tokenizer.infix_finditer = compile_infix_regex([scispacy_infixes, *_HYPHEN_SUFFIX_INFIXES]).finditer
        return tokenizer

    return make
