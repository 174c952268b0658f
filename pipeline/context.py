"""ConText-style context: negation and hedging cues with scopes, withdrawal (exposure-phase) cues.

The algorithm follows Harkema et al. (2009), "ConText: an algorithm for determining negation, experiencer, and
temporal status from clinical reports": a cue opens a scope running forward (or backward) up to a terminator or a
window of tokens; pseudo-cues ("not only", "may include") are matched first and block the cues they contain.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.rules import ContextRules, load_context_rules
from pipeline.tokenizer import split_compound


@dataclass(frozen=True)
class Cue:
    start: int  # token index in the doc
    end: int
    kind: str  # negation_forward, negation_between, negation_backward, hedge, withdrawal, terminator
    text: str


def longest_by_first_token(phrases: Iterable[Sequence[str]]) -> dict[str, int]:
    """The longest phrase (in tokens) starting with each first token: a token that starts none is skipped at once."""
    out: dict[str, int] = {}
    for tokens in phrases:
        if tokens:
            out[tokens[0]] = max(out.get(tokens[0], 0), len(tokens))
    return out


class PhraseIndex:
    """Longest-match lookup of lowercased token sequences."""

    def __init__(self, phrases_by_kind: dict[str, list[str]]):
        self.table: dict[tuple[str, ...], str] = {}
        for kind, phrases in phrases_by_kind.items():
            for phrase in phrases:
                self.table.setdefault(tuple(_split(phrase)), kind)
        self.first_lengths = longest_by_first_token(self.table)

    def find(self, tokens: list[str], offset: int = 0) -> list[Cue]:
        """Longest phrases, left to right, not overlapping."""
        found, free_from, n = [], 0, len(tokens)
        first_lengths, table = self.first_lengths, self.table
        for i, token in enumerate(tokens):
            longest = first_lengths.get(token)
            if not longest or i < free_from:
                continue
            for length in range(min(longest, n - i), 0, -1):
                kind = table.get(tuple(tokens[i : i + length]))
                if kind is not None:
                    found.append(Cue(offset + i, offset + i + length, kind, " ".join(tokens[i : i + length])))
                    free_from = i + length
                    break
        return found


def _split(phrase: str) -> list[str]:
    """Split a cue phrase the way the tokenizer splits text: words, apostrophe clitics and punctuation."""
    out = []
    for word in phrase.replace("\u2019", "'").split():
        if word.endswith("'s") and len(word) > 2:
            out.extend([word[:-2], "'s"])
        elif word.endswith("n't") and len(word) > 3:
            out.extend([word[:-3], "n't"])
        else:
            out.extend(split_compound(word))
    return out


def sentence_tokens(sent: Span) -> list[str]:
    return [t.lower_.replace("\u2019", "'") for t in sent]


# the terminators (context_rules.json) that open a concessive clause; "even though" is found as "though"
_CONCESSIVE = {"though", "although", "whereas"}


class ContextMatcher:
    """Finds cues in a sentence and answers scope questions about token positions."""

    def __init__(self, rules: ContextRules):
        self.rules = rules
        self.index = PhraseIndex(
            {
                "pseudo": rules.negation_pseudo + rules.hedge_pseudo,
                "negation_backward": rules.negation_backward,
                "negation_forward": rules.negation_forward,
                "negation_between": rules.negation_between,
                "hedge": rules.hedge,
                "terminator": rules.terminators,
                "withdrawal": rules.withdrawal,
                "comparator": rules.comparators,
            }
        )

    def cues(self, sent: Span) -> list[Cue]:
        return [c for c in self.index.find(sentence_tokens(sent), sent.start) if c.kind != "pseudo"]

    def terminator_between(self, cues: list[Cue], a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return any(c.kind == "terminator" and lo <= c.start < hi for c in cues)

    def negation_covering(self, cues: list[Cue], positions: list[int], doc: Doc | None = None) -> Cue | None:
        """A negation cue whose scope covers any of the token positions (effect, relation cue). With the ``doc``, a
        negation inside a concessive clause ("though never approved in the US, it led to birth defects") ends at the
        clause's comma."""
        window = self.rules.scope_window
        for cue in cues:
            if cue.kind == "negation_forward":
                end = cue.end + window
                if doc is not None and self._in_concessive_clause(cues, cue, doc):
                    end = next((i for i in range(cue.end, min(end, len(doc))) if doc[i].text == ","), end)
                if any(cue.end <= p <= end and not self.terminator_between(cues, cue.end, p) for p in positions):
                    return cue
            elif cue.kind == "negation_between":
                if any(cue.end <= p and not self.terminator_between(cues, cue.end, p) for p in positions):
                    return cue
            elif cue.kind == "negation_backward":
                if any(cue.start - window <= p < cue.start and not self.terminator_between(cues, p, cue.start) for p in positions):
                    return cue
        return None

    @staticmethod
    def _in_concessive_clause(cues: list[Cue], negation: Cue, doc: Doc) -> bool:
        """"though / although / whereas ... not": a concessive terminator before the negation, no comma between."""
        for c in cues:
            if c.kind == "terminator" and c.text in _CONCESSIVE and c.end <= negation.start:
                if not any(doc[i].text == "," for i in range(c.end, negation.start)):
                    return True
        return False

    def hedges(self, cues: list[Cue]) -> list[Cue]:
        return [c for c in cues if c.kind == "hedge"]

    def withdrawal(self, cues: list[Cue]) -> list[Cue]:
        return [c for c in cues if c.kind == "withdrawal"]

    @staticmethod
    def comparison_between(cues: list[Cue], effect_end: int, drug_start: int) -> bool:
        """"A cut deaths, compared with B": a comparator cue after the effect and before the drug."""
        return any(c.kind == "comparator" and effect_end <= c.start < drug_start for c in cues)


class ContextAnnotator:
    """Sets ``span._.negated`` and ``span._.hedged`` on every entity mention."""

    def __init__(self, nlp: Language, name: str, *, rules: ContextRules):
        extensions.register()
        self.name = name
        self.matcher = ContextMatcher(rules)

    def __call__(self, doc: Doc) -> Doc:
        for sent in doc.sents:
            ents = [e for e in doc.ents if sent.start <= e.start < sent.end]
            if not ents:
                continue
            cues = self.matcher.cues(sent)
            hedged = bool(self.matcher.hedges(cues))
            for ent in ents:
                ent._.negated = self.matcher.negation_covering(cues, [ent.start], doc) is not None
                ent._.hedged = hedged
        return doc


@Language.factory("drugclaims_context", default_config={})
def make_context_annotator(nlp: Language, name: str) -> ContextAnnotator:
    return ContextAnnotator(nlp, name, rules=load_context_rules())
