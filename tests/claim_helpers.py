"""What the claim-rule tests compare: each claim of a text as (relation, drug, effect, certainty), lower-cased."""
from __future__ import annotations


def claims(nlp, text):
    return [(c.relation, c.drug.lower(), c.effect.lower(), c.certainty) for c in nlp(text)._.claims]
