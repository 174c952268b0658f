"""Fixed vocabularies and limits shared by the ledger, the app and the report."""

RELATIONS: tuple[str, ...] = (
    "ADVERSE_EFFECT",
    "WITHDRAWAL_EFFECT",
    "TREATS",
    "PREVENTS",
    "MECHANISM",
    "INTERACTS_WITH",
)
CERTAINTIES: tuple[str, ...] = ("asserted", "hedged", "negated")
DECISIONS: tuple[str, ...] = ("accepted", "rejected", "edited")
REVIEW_STATUSES: tuple[str, ...] = ("unreviewed", "accepted", "rejected", "edited", "needs_rereview")
HIGHLIGHT_ROLES: tuple[str, ...] = (
    "drug",
    "effect",
    "population",
    "hedge",
    "frequency",
    "dose",
    "negation",
    "mechanism",
)

# Fields a reviewer checks; their fingerprint decides whether a verdict still applies.
REVIEWABLE_FIELDS: tuple[str, ...] = (
    "relation",
    "drug",
    "effect",
    "population",
    "mechanism",
    "certainty",
    "frequency",
    "dose",
    "evidence",
)
# Fields a reviewer may correct (the evidence is the article's text and is never edited).
EDITABLE_FIELDS: tuple[str, ...] = tuple(f for f in REVIEWABLE_FIELDS if f != "evidence")
CHOICE_FIELDS: dict[str, tuple[str, ...]] = {"relation": RELATIONS, "certainty": CERTAINTIES}

MAX_FIELD_CHARS = 300
MAX_REASON_CHARS = 2000
MAX_REVIEWER_CHARS = 100
