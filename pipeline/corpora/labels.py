"""How each corpus's entity types map onto the project's NER labels, and which labels each corpus annotates.

``ANNOTATED`` lists, per training corpus, the project labels whose absence in a text is informative. For the
other labels a corpus says nothing, so training marks their likely positions as missing rather than as "O".
ADE and PsyTAR annotate only the drugs and effects that take part in an adverse-effect statement, so no label is
complete there.
"""
from __future__ import annotations

CHEMICAL = "CHEMICAL"
CONDITION = "CONDITION"
GENE_OR_PROTEIN = "GENE_OR_PROTEIN"
NER_LABELS = (CHEMICAL, CONDITION, GENE_OR_PROTEIN)

LABEL_MAPS: dict[str, dict[str, str]] = {
    "bc5cdr": {"Chemical": CHEMICAL, "Disease": CONDITION},
    "ncbi_disease": {
        "SpecificDisease": CONDITION,
        "DiseaseClass": CONDITION,
        "Modifier": CONDITION,
        "CompositeMention": CONDITION,
    },
    "ade": {"drug": CHEMICAL, "effect": CONDITION},
    "psytar": {"ADR": CONDITION, "WD": CONDITION, "SSI": CONDITION, "DI": CONDITION, "drug": CHEMICAL},
    "chemprot": {"CHEMICAL": CHEMICAL, "GENE-Y": GENE_OR_PROTEIN, "GENE-N": GENE_OR_PROTEIN},
    "biored": {
        "ChemicalEntity": CHEMICAL,
        "DiseaseOrPhenotypicFeature": CONDITION,
        "GeneOrGeneProduct": GENE_OR_PROTEIN,
    },
    "cadec": {"ADR": CONDITION, "Symptom": CONDITION, "Disease": CONDITION, "Finding": CONDITION, "Drug": CHEMICAL},
}

ANNOTATED: dict[str, frozenset[str]] = {
    "bc5cdr": frozenset({CHEMICAL, CONDITION}),
    "ncbi_disease": frozenset({CONDITION}),
    "ade": frozenset(),
    "psytar": frozenset(),
    "chemprot": frozenset({CHEMICAL, GENE_OR_PROTEIN}),
    "biored": frozenset({CHEMICAL, CONDITION, GENE_OR_PROTEIN}),
}


def map_label(corpus: str, corpus_label: str) -> str | None:
    """The project label for a corpus type, or None when the type is not used (e.g. BioRED OrganismTaxon)."""
    if corpus not in LABEL_MAPS:
        raise KeyError(f"unknown corpus {corpus!r}; known: {sorted(LABEL_MAPS)}")
    return LABEL_MAPS[corpus].get(corpus_label)
