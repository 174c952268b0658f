"""What the claim-rule tests compare: each claim of a text as (relation, drug, effect, certainty), lower-cased, or
the (drug, effect) pairs of one relation."""
from __future__ import annotations


def claims(nlp, text):
    return [(c.relation, c.drug.lower(), c.effect.lower(), c.certainty) for c in nlp(text)._.claims]


def pairs(nlp, text, relation):
    """The (drug, effect) pairs of a text's claims of one relation, lower-cased."""
    return {(c[1], c[2]) for c in claims(nlp, text) if c[0] == relation}
