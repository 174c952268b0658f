"""Relation corpora (ADE, BC5CDR, BioRED, ChemProt) as labelled mention pairs, and the relation evaluations.

    python -m pipeline.relation_eval [--shared DIR] [--out report.json] [--folds 10] [--model DIR] [--ner DIR]
        [--domain general|corpus]

(a) ADE 10-fold cross-validation (SpERT folds), end to end: entities from the project's pipeline (CHEMICAL -> Drug,
    CONDITION -> Adverse-Effect) run on each sentence as published (DRUG-AE.rel; SpERT's tokens mapped back onto it);
    a predicted (drug, effect) relation is correct when both mention spans match a gold relation's spans exactly
    (SpERT's token boundaries) — SpERT's strict protocol. The relation classifier is retrained on the 9 other folds
    for each test fold.
(b) BC5CDR dev chemical-induced disease, document level, predicted entities: (pmid, chemical MeSH, disease MeSH)
    triples, MeSH ids from the linker (``ent._.concept_id`` / ``ent._.xrefs``), mention-pair probabilities aggregated
    by max per concept pair.
(c) ChemProt dev, gold entities: micro-F1 over CPR:3,4,5,6,9 (the BioCreative VI evaluation).

A pair of a Doc is labelled with a *fine* label of :data:`pipeline.relation_model.FINE_LABELS`.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.corpora.overlaps import excluded_pmids
from pipeline.linking import FACTORY_NAME as LINKER
from pipeline.relation_features import DocIndex, index_doc, pair_features

# Corpus type names -> the project's NER labels.
LABEL_MAP = {
    "Drug": "CHEMICAL", "Adverse-Effect": "CONDITION", "Chemical": "CHEMICAL", "Disease": "CONDITION",
    "ChemicalEntity": "CHEMICAL", "DiseaseOrPhenotypicFeature": "CONDITION", "GeneOrGeneProduct": "GENE_OR_PROTEIN",
    "CHEMICAL": "CHEMICAL", "GENE-Y": "GENE_OR_PROTEIN", "GENE-N": "GENE_OR_PROTEIN",
    # NCBI disease (only used for the evaluation's MeSH dictionary)
    "SpecificDisease": "CONDITION", "DiseaseClass": "CONDITION", "Modifier": "CONDITION",
    "CompositeMention": "CONDITION",
}
CPR_ACTION = {"CPR:3": "activator", "CPR:4": "inhibitor", "CPR:5": "agonist", "CPR:6": "antagonist", "CPR:9": "substrate"}
ACTION_CPR = {v: k for k, v in CPR_ACTION.items()}
BIORED_CD = {"Positive_Correlation": "ADVERSE_EFFECT", "Negative_Correlation": "TREATS"}
BIORED_CG = {"Bind": "MECHANISM:other", "Positive_Correlation": "MECHANISM:other",
             "Negative_Correlation": "MECHANISM:other"}
ALL_TYPES = frozenset({"ADVERSE_EFFECT", "TREATS", "MECHANISM"})
ADE_ONLY = frozenset({"ADVERSE_EFFECT"})
MAX_SENT_GAP = 2  # document-level pairs: same sentence, up to 2 sentences apart, or one mention in the title


class RelationDataError(Exception):
    """A corpus file the relation training or evaluation needs is missing or malformed."""


@dataclass(frozen=True)
class GoldMention:
    start: int  # character offsets, end exclusive
    end: int
    label: str  # project label: CHEMICAL, CONDITION, GENE_OR_PROTEIN
    keys: tuple[str, ...]  # concept ids (PubTator), term id (ChemProt) or mention index (ADE)


@dataclass
class RelDoc:
    """A text with gold mentions and gold relations between mention keys: (chem key, other key) -> fine label."""

    doc_id: str
    text: str
    mentions: list[GoldMention]
    relations: dict[tuple[str, str], str] = field(default_factory=dict)
    ignore: set[tuple[str, str]] = field(default_factory=set)  # related, but by a type we do not learn
    same_sentence_only: bool = False
    annotates: frozenset[str] = ALL_TYPES  # relation types the corpus annotates (unrelated = not these types)


@dataclass(frozen=True)
class PairExample:
    doc_id: str
    chem: GoldMention
    other: GoldMention
    label: str
    features: list[str]
    annotates: frozenset[str] = ALL_TYPES


# ----------------------------------------------------------------------------------------------------------------
# readers
# ----------------------------------------------------------------------------------------------------------------
def _need(path: Path) -> Path:
    if not path.exists():
        raise RelationDataError(f"missing corpus file {path}: pass --shared <folder holding corpora/>")
    return path


def overlap_pmids(corpora: Path) -> set[str]:
    """PMIDs removed from all relation training data: those OVERLAPS.md lists and those of every dev split
    (:func:`pipeline.corpora.overlaps.excluded_pmids`)."""
    _need(corpora / "OVERLAPS.md")
    return excluded_pmids(corpora)


def _token_starts(tokens: list[str], original: str | None) -> tuple[str, list[int]]:
    """The text and each token's start: the original sentence when the tokens spell it, else tokens joined by spaces."""
    if original is not None:
        starts, pos = [], 0
        for token in tokens:
            while pos < len(original) and original[pos].isspace():
                pos += 1
            if original[pos : pos + len(token)] != token:
                break
            starts.append(pos)
            pos += len(token)
        else:
            return original, starts
    starts, pos = [], 0
    for token in tokens:
        starts.append(pos)
        pos += len(token) + 1
    return " ".join(tokens), starts


def read_spert(path: Path, originals: dict[str, str] | None = None) -> list[RelDoc]:
    """SpERT JSON; mention keys are the entity indices. The text is the original sentence when ``originals``
    (whitespace-free sentence -> sentence, :func:`ade_original_sentences`) has it, else the tokens joined by single
    spaces ("IFN - alpha", which no real text contains). Gold spans stay on SpERT's token boundaries either way."""
    docs = []
    for record in json.loads(_need(path).read_text(encoding="utf-8")):
        tokens = record["tokens"]
        text, starts = _token_starts(tokens, (originals or {}).get("".join(tokens)))
        mentions = []
        for i, ent in enumerate(record["entities"]):
            start = starts[ent["start"]]
            end = starts[ent["end"] - 1] + len(tokens[ent["end"] - 1])
            mentions.append(GoldMention(start, end, LABEL_MAP[ent["type"]], (str(i),)))
        relations = {}
        for rel in record["relations"]:
            head = record["entities"][rel["head"]]
            pair = (rel["head"], rel["tail"]) if head["type"] == "Drug" else (rel["tail"], rel["head"])
            relations[(str(pair[0]), str(pair[1]))] = "ADVERSE_EFFECT"
        docs.append(RelDoc(f"ade{record['orig_id']}", text, mentions, relations, same_sentence_only=True,
                           annotates=ADE_ONLY))
    return docs


def _drug_ae_sentences(corpora: Path) -> dict[str, tuple[str, str]]:
    """Whitespace-free sentence -> (PMID, the sentence as published), from DRUG-AE.rel."""
    out = {}
    with open(_need(corpora / "ade_corpus_v2" / "original" / "DRUG-AE.rel"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.split("|")
            if len(fields) >= 2:
                out["".join(fields[1].split())] = (fields[0], fields[1].strip())
    return out


def ade_original_sentences(corpora: Path) -> dict[str, str]:
    """Whitespace-free sentence -> the sentence as published."""
    return {key: sentence for key, (_, sentence) in _drug_ae_sentences(corpora).items()}


def ade_sentence_pmids(corpora: Path) -> dict[str, str]:
    """Whitespace-free sentence -> PMID (SpERT JSON has no PMIDs)."""
    return {key: pmid for key, (pmid, _) in _drug_ae_sentences(corpora).items()}


def read_ade_negatives(corpora: Path) -> list[RelDoc]:
    """ADE-NEG.txt: sentences stating no adverse drug effect (no entity annotation): pairs found in them by the NER
    are negatives for ADVERSE_EFFECT only (many are treatment statements)."""
    docs = []
    lines = _need(corpora / "ade_corpus_v2" / "original" / "ADE-NEG.txt").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        pmid, _, rest = line.partition(" ")
        text = rest.partition(" ")[2] if rest.startswith("NEG ") else ""
        if text.strip():
            docs.append(RelDoc(f"{pmid}#neg{i}", text, [], same_sentence_only=True, annotates=ADE_ONLY))
    return docs


def read_pubtator_relations(path: Path, *, annotates: frozenset[str] = ALL_TYPES) -> list[RelDoc]:
    """PubTator with concept ids and relation lines (BC5CDR: ``CID``, pass ``annotates=ADE_ONLY``; BioRED: typed)."""
    docs, current = [], None
    with open(_need(path), encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    raw_mentions: list[tuple[int, int, str, tuple[str, ...]]] = []
    raw_relations: list[tuple[str, str, str]] = []
    title = abstract = ""

    def flush() -> None:
        if current is None:
            return
        text = f"{title} {abstract}"
        mentions = [GoldMention(s, e, LABEL_MAP[t], ids) for s, e, t, ids in raw_mentions if t in LABEL_MAP]
        doc = _typed_relations(current, text, mentions, raw_relations)
        doc.annotates = annotates
        docs.append(doc)

    for line in lines + [""]:
        if not line.strip():
            flush()
            current, raw_mentions, raw_relations, title, abstract = None, [], [], "", ""
            continue
        if "|t|" in line[:30]:
            current, title = line.split("|t|", 1)
            continue
        if "|a|" in line[:30]:
            abstract = line.split("|a|", 1)[1]
            continue
        fields = line.split("\t")
        if len(fields) >= 6 and fields[1].isdigit():
            ids = tuple(i for i in re.split(r"[|,;]", fields[5]) if i and i != "-1")
            raw_mentions.append((int(fields[1]), int(fields[2]), fields[4], ids))
        elif len(fields) >= 4:
            raw_relations.append((fields[1], fields[2], fields[3]))
    return docs


def _typed_relations(pmid: str, text: str, mentions: list[GoldMention], raw: list[tuple[str, str, str]]) -> RelDoc:
    kind_of: dict[str, str] = {}
    for m in mentions:
        for key in m.keys:
            kind_of.setdefault(key, m.label)
    doc = RelDoc(pmid, text, mentions)
    for rel_type, a, b in raw:
        if kind_of.get(a) != "CHEMICAL":
            a, b = b, a
        if kind_of.get(a) != "CHEMICAL":
            continue
        other = kind_of.get(b)
        if rel_type == "CID":
            label = "ADVERSE_EFFECT"
        elif other == "CONDITION":
            label = BIORED_CD.get(rel_type)
        elif other == "GENE_OR_PROTEIN":
            label = BIORED_CG.get(rel_type)
        else:
            continue
        if label is None:
            doc.ignore.add((a, b))
        else:
            doc.relations[(a, b)] = label
    return doc


def read_chemprot_relations(corpora: Path, split: str) -> list[RelDoc]:
    """ChemProt ``training``/``development``: gold CPR:3,4,5,6,9 as MECHANISM:<action>; other groups ignored."""
    base = corpora / "chemprot" / f"chemprot_{split}"
    mentions: dict[str, list[GoldMention]] = defaultdict(list)
    for line in _need(base / f"chemprot_{split}_entities.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 6:
            mentions[f[0]].append(GoldMention(int(f[3]), int(f[4]), LABEL_MAP[f[2]], (f[1],)))
    gold: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for line in _need(base / f"chemprot_{split}_gold_standard.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 4:
            gold[f[0]][(f[2].split(":")[1], f[3].split(":")[1])] = f"MECHANISM:{CPR_ACTION[f[1]]}"
    docs = []
    for line in _need(base / f"chemprot_{split}_abstracts.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 3:
            text = f"{f[1]}\t{chr(9).join(f[2:])}"
            docs.append(RelDoc(f[0], text, mentions.get(f[0], []), gold.get(f[0], {}), same_sentence_only=True,
                               annotates=frozenset({"MECHANISM"})))
    return docs


# ----------------------------------------------------------------------------------------------------------------
# docs and pair examples
# ----------------------------------------------------------------------------------------------------------------
def tokenizer_nlp() -> Language:
    """The project tokenizer + sentence segmenter: what training texts are tokenised with."""
    import spacy

    from pipeline import sentences, tokenizer  # noqa: F401  registers the tokenizer and the segmenter

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": tokenizer.TOKENIZER_NAME}}})
    nlp.add_pipe("drugclaims_sentences")
    return nlp


def gold_spans(doc: Doc, mentions: list[GoldMention]) -> list[Span | None]:
    """Token spans of the gold mentions (expanded to token boundaries); ``doc.ents`` set to a non-overlapping subset."""
    spans = [doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand") for m in mentions]
    doc.ents = filter_spans([s for s in spans if s is not None])
    return spans


def candidate_pairs(index: DocIndex, chems: list[Span], others: list[Span], *, same_sentence_only: bool):
    """(chem, other) pairs that do not overlap and lie in the pair window."""
    for chem in chems:
        for other in others:
            if chem.start < other.end and other.start < chem.end:
                continue
            s1, s2 = index.sent_of[chem.start], index.sent_of[other.start]
            if s1 != s2 and (same_sentence_only or (abs(s1 - s2) > MAX_SENT_GAP and 0 not in (s1, s2))):
                continue
            yield chem, other


def doc_examples(doc: Doc, reldoc: RelDoc) -> list[PairExample]:
    """Every candidate pair of a gold document with its fine label; pairs related by an unlearnt type are left out."""
    spans = gold_spans(doc, reldoc.mentions)
    index = index_doc(doc)
    by_span = {}
    for mention, span in zip(reldoc.mentions, spans):
        if span is not None:
            by_span[(span.start, span.end, span.label_)] = mention
    chems = [s for s in spans if s is not None and s.label_ == "CHEMICAL"]
    others = [s for s in spans if s is not None and s.label_ != "CHEMICAL"]
    chems = list({(s.start, s.end): s for s in chems}.values())
    others = list({(s.start, s.end, s.label_): s for s in others}.values())
    out = []
    for chem, other in candidate_pairs(index, chems, others, same_sentence_only=reldoc.same_sentence_only):
        cm, om = by_span[(chem.start, chem.end, chem.label_)], by_span[(other.start, other.end, other.label_)]
        keys = [(a, b) for a in cm.keys for b in om.keys]
        labels = [reldoc.relations[k] for k in keys if k in reldoc.relations]
        if not labels and any(k in reldoc.ignore for k in keys):
            continue
        label = labels[0] if labels else "NONE"
        feats = pair_features(index, (chem.start, chem.end, "CHEMICAL"), (other.start, other.end, other.label_))
        out.append(PairExample(reldoc.doc_id, cm, om, label, feats, reldoc.annotates))
    return out


def corpus_examples(nlp: Language, reldocs: list[RelDoc]) -> list[PairExample]:
    out = []
    for reldoc, doc in zip(reldocs, nlp.pipe(r.text for r in reldocs)):
        out.extend(doc_examples(doc, reldoc))
    return out


# ----------------------------------------------------------------------------------------------------------------
# metrics
# ----------------------------------------------------------------------------------------------------------------
def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def set_prf(pred: set, gold: set) -> dict[str, float]:
    return prf(len(pred & gold), len(pred), len(gold))


def chemprot_predictions(model, examples: list[PairExample], *, threshold: float) -> set[tuple[str, str, str, str]]:
    """(pmid, CPR group, arg1, arg2) for pairs whose most probable ChemProt action has probability >= threshold."""
    from pipeline.relation_model import FINE_LABELS

    columns = [FINE_LABELS.index(f"MECHANISM:{a}") for a in ACTION_CPR]
    probs = model.fine_probabilities([e.features for e in examples])[:, columns]
    pred = set()
    for example, row in zip(examples, probs):
        best = int(row.argmax())
        if row[best] >= threshold:
            action = list(ACTION_CPR)[best]
            pred.add((example.doc_id, ACTION_CPR[action], example.chem.keys[0], example.other.keys[0]))
    return pred


def chemprot_gold(docs: list[RelDoc]) -> set[tuple[str, str, str, str]]:
    return {(d.doc_id, ACTION_CPR[lab.split(":")[1]], a, b) for d in docs for (a, b), lab in d.relations.items()}


def chemprot_eval(model, docs: list[RelDoc], examples: list[PairExample], *, threshold: float | None = None) -> dict:
    """Micro P/R/F1 over CPR:3,4,5,6,9 with gold entities (gold relations outside the candidate pairs count as FN).

    ``threshold`` defaults to the model's ``mechanism_threshold`` (tuned on ChemProt dev at training time).
    """
    threshold = model.meta.get("mechanism_threshold", 0.5) if threshold is None else threshold
    pred, gold = chemprot_predictions(model, examples, threshold=threshold), chemprot_gold(docs)
    report = set_prf(pred, gold)
    report["threshold"] = threshold
    report["per_class"] = {c: set_prf({p for p in pred if p[1] == c}, {g for g in gold if g[1] == c}) for c in CPR_ACTION}
    return report


def cid_triples(scored: Iterable[tuple[str, tuple[str, ...], tuple[str, ...], dict[str, float], bool]], *,
                cross_sentence_weight: float) -> dict[tuple[str, str, str], float]:
    """(pmid, chem id, disease id) -> document-level ADVERSE_EFFECT score (see ``aggregate_pair_scores``)."""
    from pipeline.relation_model import aggregate_pair_scores

    items = ((((pmid, c, d)), probs, same) for pmid, chems, diseases, probs, same in scored
             for c in chems for d in diseases)
    return {k: v["ADVERSE_EFFECT"] for k, v in aggregate_pair_scores(items, cross_sentence_weight=cross_sentence_weight).items()}


def gold_cid(docs: list[RelDoc]) -> set[tuple[str, str, str]]:
    return {(d.doc_id, a, b) for d in docs for (a, b), lab in d.relations.items() if lab == "ADVERSE_EFFECT"}


def best_threshold(scores: dict, gold: set) -> tuple[float, dict]:
    """The threshold in 0.05..0.95 with the best F1 (used to tune on dev)."""
    best = (0.5, set_prf({k for k, p in scores.items() if p >= 0.5}, gold))
    for step in range(1, 20):
        t = step / 20
        report = set_prf({k for k, p in scores.items() if p >= t}, gold)
        if report["f1"] > best[1]["f1"]:
            best = (t, report)
    return best


def bc5cdr_gold_entity_scores(model, examples: list[PairExample], *, cross_sentence_weight: float | None = None) -> dict:
    weight = model.meta.get("cross_sentence_weight", 1.0) if cross_sentence_weight is None else cross_sentence_weight
    probs = model.predict_pairs_from_features([e.features for e in examples])
    scored = ((e.doc_id, e.chem.keys, e.other.keys, p, "S=0" in e.features) for e, p in zip(examples, probs))
    return cid_triples(scored, cross_sentence_weight=weight)


# ----------------------------------------------------------------------------------------------------------------
# end-to-end evaluations with the project's pipeline
# ----------------------------------------------------------------------------------------------------------------
def mesh_ids(ent: Span) -> tuple[str, ...]:
    """MeSH descriptor/supplementary ids of a linked mention (``MESH:D012345`` -> ``D012345``)."""
    return _mesh_ids_of(ent._.concept_id, ent._.xrefs)


def _mesh_ids_of(concept_id: str, xrefs: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.split(":", 1)[1] for i in (concept_id, *xrefs) if i.startswith("MESH:")))


def _key(text: str) -> str:
    """Lower-case, letters and digits only, a final plural ``s`` dropped: "Thrombo-embolisms" -> "thromboembolism"."""
    key = re.sub(r"[^0-9a-z]", "", text.lower())
    return key[:-1] if key.endswith("s") and len(key) > 4 else key


def mesh_dictionary(reldocs: Iterable[RelDoc]) -> dict[str, tuple[str, ...]]:
    """Mention string (lower-cased) -> its most frequent MeSH id set in gold training annotations.

    BC5CDR's end-to-end systems normalised with tools trained on the training set (tmChem, DNorm); this is the
    simplest such normaliser, used only as the evaluation's MeSH mapping, next to the project's linker.
    """
    counts: dict[str, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
    for reldoc in reldocs:
        for m in reldoc.mentions:
            ids = tuple(k for k in m.keys if re.fullmatch(r"[CD]\d+", k))
            if ids and m.label in ("CHEMICAL", "CONDITION"):
                counts[_key(reldoc.text[m.start : m.end])][ids] += 1
    return {text: max(by_ids, key=by_ids.__getitem__) for text, by_ids in counts.items()}


def backoff_mesh_ids(linker, ent: Span) -> tuple[str, ...]:
    """MeSH ids of the longest tail of the mention that names a MeSH-bearing concept exactly ("Left bundle branch
    block" -> "bundle branch block" -> D002037): BC5CDR normalises a mention to its closest MeSH heading."""
    words = ent.text.split()
    for k in range(len(words)):
        link = linker.link_exact(" ".join(words[k:]), ent.label_)
        ids = _mesh_ids_of(link.concept_id, link.xrefs)
        if ids:
            return ids
    return ()


def doc_mesh_ids(doc: Doc, dictionary: dict[str, tuple[str, ...]], linker=None) -> dict[tuple[int, int], tuple[str, ...]]:
    """MeSH ids per entity (start, end): training dictionary, else the linker's MeSH ids, else (with ``linker``) the
    MeSH ids of the mention's longest tail that has them, else the ids of the abbreviation's long form or of a
    same-text mention elsewhere in the document."""
    out: dict[tuple[int, int], tuple[str, ...]] = {}
    by_text: dict[str, tuple[str, ...]] = {}
    for ent in doc.ents:
        ids = dictionary.get(_key(ent.text)) or mesh_ids(ent)
        if not ids and linker is not None:
            ids = backoff_mesh_ids(linker, ent)
        out[(ent.start, ent.end)] = ids
        if ids:
            by_text.setdefault(_key(ent.text), ids)
    long_forms = {_key(short.text): _key(short._.long_form.text) for short in getattr(doc._, "abbreviations", [])}
    for ent in doc.ents:
        if not out[(ent.start, ent.end)]:
            text = _key(ent.text)
            long_form = long_forms.get(text, "")
            out[(ent.start, ent.end)] = by_text.get(text) or dictionary.get(long_form) or by_text.get(long_form, ())
    return out


def predicted_pairs(doc: Doc, *, same_sentence_only: bool, index: DocIndex | None = None) -> list[tuple[Span, Span]]:
    index = index or index_doc(doc)
    chems = [e for e in doc.ents if e.label_ == "CHEMICAL"]
    conditions = [e for e in doc.ents if e.label_ == "CONDITION"]
    return list(candidate_pairs(index, chems, conditions, same_sentence_only=same_sentence_only))


def document_inputs(index: DocIndex, doc: Doc, ids: dict[tuple[int, int], tuple[str, ...]],
                    pairs: list[tuple[Span, Span]], probs: list[dict[str, float]]):
    """The document-level model's inputs (:mod:`pipeline.relation_document`) for a Doc with predicted entities:
    its CHEMICAL/CONDITION mentions with their concept ids and sentence numbers, and its scored mention pairs."""
    from pipeline.relation_document import ConceptMention, PairRecord

    mentions = [ConceptMention(e.label_, ids[(e.start, e.end)], index.sent_of[e.start])
                for e in doc.ents if e.label_ in ("CHEMICAL", "CONDITION")]
    records = [PairRecord(ids[(c.start, c.end)], ids[(d.start, d.end)], index.sent_of[c.start], index.sent_of[d.start],
                          p["ADVERSE_EFFECT"]) for (c, d), p in zip(pairs, probs)]
    return mentions, records


def prior_documents(reldocs: Iterable[RelDoc]):
    """(chemical ids, disease ids, chemical-induced pairs) of annotated documents: a :class:`RelationPrior`'s input."""
    for d in reldocs:
        chems = {k for m in d.mentions if m.label == "CHEMICAL" for k in m.keys}
        diseases = {k for m in d.mentions if m.label == "CONDITION" for k in m.keys}
        yield chems, diseases, {k for k, lab in d.relations.items() if lab == "ADVERSE_EFFECT"}


def run_bc5cdr_documents(model, nlp: Language, docs: list[RelDoc], dictionary: dict[str, tuple[str, ...]]):
    """Per document: (pmid, mentions, records) with predicted entities, MeSH ids (:func:`doc_mesh_ids`) and the
    pair classifier's probabilities."""
    linker = nlp.get_pipe(LINKER) if LINKER in nlp.pipe_names else None
    for reldoc, doc in zip(docs, nlp.pipe(d.text for d in docs)):
        ids = doc_mesh_ids(doc, dictionary, linker)
        index = index_doc(doc)  # once per Doc: the pairs, their features and the model inputs all read it
        pairs = predicted_pairs(doc, same_sentence_only=False, index=index)
        probs = model.predict_pairs_from_features(model.pair_feature_lists(doc, pairs, index=index))
        yield (reldoc.doc_id, *document_inputs(index, doc, ids, pairs, probs))


def bc5cdr_end_to_end(model, nlp: Language, docs: list[RelDoc], *, threshold: float,
                      dictionary: dict[str, tuple[str, ...]], document_model=None) -> dict:
    """BC5CDR CID, predicted entities: the max rule over mention pairs (``threshold``) and, with ``document_model``,
    the document-level model at its own threshold (chosen on training documents)."""
    documents = list(run_bc5cdr_documents(model, nlp, docs, dictionary))
    scores = cid_triples(((pmid, r.chemical_ids, r.disease_ids, {"ADVERSE_EFFECT": r.probability},
                           r.chemical_sentence == r.disease_sentence) for pmid, _, records in documents for r in records),
                         cross_sentence_weight=model.meta.get("cross_sentence_weight", 1.0))
    gold = gold_cid(docs)
    report = set_prf({k for k, p in scores.items() if p >= threshold}, gold)
    report["threshold"] = threshold
    tuned_t, tuned = best_threshold(scores, gold)
    report["best_threshold_on_dev"] = {"threshold": tuned_t, **tuned}
    report["candidate_recall"] = round(len(set(scores) & gold) / len(gold), 4) if gold else 0.0
    if document_model is not None:
        doc_scores = {(pmid, a, b): p for pmid, mentions, records in documents
                      for (a, b), p in document_model.score(mentions, records).items()}
        report["document_model"] = {**set_prf({k for k, p in doc_scores.items() if p >= document_model.threshold}, gold),
                                    "threshold": document_model.threshold}
        tuned_t, tuned = best_threshold(doc_scores, gold)
        report["document_model"]["best_threshold_on_dev"] = {"threshold": tuned_t, **tuned}
    return report


def predicted_entity_examples(doc: Doc, reldoc: RelDoc) -> list[PairExample]:
    """Pairs of the NER's own mentions in a gold sentence: ADVERSE_EFFECT when both spans match a gold relation
    exactly, NONE when they overlap no gold relation (the NER's extra mentions: indications, patient conditions),
    left out when the boundaries are only partly right."""
    ments = {m.keys[0]: m for m in reldoc.mentions}
    gold = [(ments[a], ments[b]) for a, b in reldoc.relations]
    index = index_doc(doc)
    out = []
    for chem, eff in predicted_pairs(doc, same_sentence_only=reldoc.same_sentence_only, index=index):
        exact = any((c.start, c.end, e.start, e.end) == (chem.start_char, chem.end_char, eff.start_char, eff.end_char)
                    for c, e in gold)
        partial = any(c.start < chem.end_char and chem.start_char < c.end and e.start < eff.end_char
                      and eff.start_char < e.end for c, e in gold)
        if partial and not exact:
            continue
        chem_m = GoldMention(chem.start_char, chem.end_char, "CHEMICAL", ())
        eff_m = GoldMention(eff.start_char, eff.end_char, eff.label_, ())
        feats = pair_features(index, (chem.start, chem.end, "CHEMICAL"), (eff.start, eff.end, eff.label_))
        label = "ADVERSE_EFFECT" if exact else "NONE"
        out.append(PairExample(reldoc.doc_id, chem_m, eff_m, label, feats, reldoc.annotates))
    return out


def _overlaps(a: tuple, b: tuple) -> bool:
    """Both mentions of two (doc, c_start, c_end, e_start, e_end) relations overlap."""
    return a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]


def _relaxed_prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def ade_cross_validation(nlp: Language, folder: Path, *, folds: int, threshold: float = 0.5, c: float = 1.0,
                         negatives: list[RelDoc] | None = None, originals: dict[str, str] | None = None,
                         only_folds: Iterable[int] | None = None) -> dict:
    """SpERT-protocol 10-fold CV, end to end (predicted entities), strict span matching; see the module docstring.

    ``negatives`` (ADE-NEG sentences, which belong to no fold) add NER-mention pairs as ADVERSE_EFFECT negatives to
    every fold's training data. ``only_folds`` runs those test folds of the ``folds`` only (the fine-tuned protocol
    of ``training/relation/ade_protocol.py`` runs each fold with its own NER)."""
    from pipeline.relation_model import RelationModel

    full = read_spert(folder / "ade_full.json", originals)
    by_id = {d.doc_id: d for d in full}
    fold_ids = [[f"ade{r['orig_id']}" for r in json.loads(_need(folder / f"ade_split_{k}_test.json").read_text())]
                for k in range(folds)]
    tok = tokenizer_nlp()
    examples = {d.doc_id: doc_examples(doc, d) for d, doc in zip(full, tok.pipe(d.text for d in full))}
    predicted = dict(zip(by_id, nlp.pipe(d.text for d in full)))
    from_predicted = {i: predicted_entity_examples(predicted[i], by_id[i]) for i in by_id}
    negative_examples = [e for d, doc in zip(negatives or [], nlp.pipe(d.text for d in negatives or []))
                         for e in predicted_entity_examples(doc, d)]
    per_fold, totals, gold_ent_totals, relaxed = [], [0, 0, 0], [0, 0, 0], [0, 0, 0, 0]
    wanted = set(range(folds) if only_folds is None else only_folds)
    for k, test_ids in enumerate(fold_ids):
        if k not in wanted:
            continue
        test = set(test_ids)
        train = [e for doc_id, exs in examples.items() if doc_id not in test for e in exs]
        train += [e for doc_id, exs in from_predicted.items() if doc_id not in test for e in exs]
        train += negative_examples
        model = RelationModel(c=c).fit([e.features for e in train], [e.label for e in train], [e.annotates for e in train])
        pred, gold, pred_gold_ents = set(), set(), set()
        for doc_id in test_ids:
            reldoc, doc = by_id[doc_id], predicted[doc_id]
            ments = {m.keys[0]: m for m in reldoc.mentions}
            gold |= {(doc_id, ments[a].start, ments[a].end, ments[b].start, ments[b].end) for a, b in reldoc.relations}
            pairs = predicted_pairs(doc, same_sentence_only=True)
            for (chem, eff), probs in zip(pairs, model.predict_pairs(doc, pairs)):
                if probs["ADVERSE_EFFECT"] >= threshold:
                    pred.add((doc_id, chem.start_char, chem.end_char, eff.start_char, eff.end_char))
            gold_exs = examples[doc_id]
            for e, row in zip(gold_exs, model.predict_pairs_from_features([x.features for x in gold_exs])):
                if row["ADVERSE_EFFECT"] >= threshold:
                    pred_gold_ents.add((doc_id, e.chem.start, e.chem.end, e.other.start, e.other.end))
        fold = set_prf(pred, gold)
        fold_gold = set_prf(pred_gold_ents, gold)
        relaxed[0] += sum(any(_overlaps(p, g) for g in gold if g[0] == p[0]) for p in pred)
        relaxed[1] += len(pred)
        relaxed[2] += sum(any(_overlaps(p, g) for p in pred if p[0] == g[0]) for g in gold)
        relaxed[3] += len(gold)
        per_fold.append({"fold": k, **fold, "gold_entities_f1": fold_gold["f1"]})
        for i, key in enumerate(("tp", "pred", "gold")):
            totals[i] += fold[key]
            gold_ent_totals[i] += fold_gold[key]
    mean_f1 = sum(f["f1"] for f in per_fold) / len(per_fold)
    return {
        "folds": folds, "threshold": threshold, "mean_fold_f1": round(mean_f1, 4), "micro": prf(*totals),
        "gold_entities_micro": prf(*gold_ent_totals), "overlap_match_micro": _relaxed_prf(*relaxed),
        "per_fold": per_fold,
        "note": "entities from the project's NER, which was trained on all of ADE (entity part optimistic); "
                "relation correct when drug and effect spans both match the gold spans exactly",
    }


def chemprot_dev(model, corpora: Path, nlp: Language | None = None) -> dict:
    docs = read_chemprot_relations(corpora, "development")
    return chemprot_eval(model, docs, corpus_examples(nlp or tokenizer_nlp(), docs))


def bc5cdr_dev_gold_entities(model, corpora: Path, *, limit: int | None = None, threshold: float) -> dict:
    docs = read_pubtator_relations(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", annotates=ADE_ONLY)[:limit]
    scores = bc5cdr_gold_entity_scores(model, corpus_examples(tokenizer_nlp(), docs))
    gold = gold_cid(docs)
    report = set_prf({k for k, p in scores.items() if p >= threshold}, gold)
    report.update(threshold=threshold, documents=len(docs))
    return report


def biored_dev(model, corpora: Path, *, threshold: float = 0.5) -> dict:
    """BioRED dev, gold entities, document level: per coarse label P/R/F1 over (pmid, chemical id, other id).

    A concept pair is predicted with the label of its highest aggregated score when that score >= ``threshold``;
    pairs BioRED relates by a type we do not learn (Association, Cotreatment, ...) are left out of both sides.
    """
    from pipeline.relation_model import aggregate_pair_scores, coarse_label

    docs = read_pubtator_relations(_need(corpora / "biored" / "Dev.PubTator"))
    examples = corpus_examples(tokenizer_nlp(), docs)
    probs = model.predict_pairs_from_features([e.features for e in examples])
    items = (((e.doc_id, a, b), p, "S=0" in e.features) for e, p in zip(examples, probs)
             for a in e.chem.keys for b in e.other.keys)
    scores = aggregate_pair_scores(items, cross_sentence_weight=model.meta.get("cross_sentence_weight", 1.0))
    ignored = {(d.doc_id, a, b) for d in docs for a, b in d.ignore}
    pred = {(k, max(v, key=v.get)) for k, v in scores.items() if max(v.values()) >= threshold and k not in ignored}
    gold = {((d.doc_id, a, b), coarse_label(lab)) for d in docs for (a, b), lab in d.relations.items()}
    report = {label: set_prf({p for p in pred if p[1] == label}, {g for g in gold if g[1] == label})
              for label in ("ADVERSE_EFFECT", "TREATS", "MECHANISM")}
    report["all"] = set_prf(pred, gold)
    report["threshold"] = threshold
    return report


def training_mesh_docs(corpora: Path) -> list[RelDoc]:
    """BC5CDR, BioRED and NCBI-disease train (overlap PMIDs removed): the source of the evaluation's MeSH dictionary."""
    drop = overlap_pmids(corpora)
    docs = read_pubtator_relations(corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", annotates=ADE_ONLY)
    docs += read_pubtator_relations(corpora / "biored" / "Train.PubTator")
    docs += read_pubtator_relations(corpora / "ncbi_disease" / "NCBItrainset_corpus.txt")
    return [d for d in docs if d.doc_id not in drop]


def relation_eval(shared: Path, *, folds: int, model_dir: Path | None = None, ner_model: Path | None = None,
                  domain: str = "general") -> dict:
    """All three evaluations; returns the report. ``ner_model``: the NER of the end-to-end figures (default: shipped);
    ``domain``: ``"corpus"`` runs an NER trained with domains in ADE's and BC5CDR's own (pipeline/ner_domain.py),
    ``"general"`` without one, as the product does."""
    from pipeline.ner_domain import corpus_domain, domain_for

    from pipeline import load
    from pipeline.relation_document import DocumentRelationModel
    from pipeline.relation_model import DEFAULT_MODEL_DIR, RelationModel

    corpora = shared / "corpora"
    model = RelationModel.load(model_dir)
    document_model_path = Path(model_dir or DEFAULT_MODEL_DIR) / "document.json"
    nlp = load(ner_model=ner_model) if ner_model is not None else load()
    report: dict = {"model": str(model_dir or "shipped"), "model_meta_date": model.meta.get("trained"),
                    "ner_model": str(ner_model or "shipped"), "domain": domain}

    t0 = time.time()
    report["chemprot_dev"] = chemprot_dev(model, corpora)
    bc5 = read_pubtator_relations(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", annotates=ADE_ONLY)
    dictionary = mesh_dictionary(training_mesh_docs(corpora))
    document_model = DocumentRelationModel.load(document_model_path) if document_model_path.exists() else None
    with corpus_domain(nlp, domain_for(domain, "bc5cdr")):
        report["bc5cdr_dev_end_to_end"] = bc5cdr_end_to_end(
            model, nlp, bc5, threshold=model.meta.get("cid_threshold", 0.5), dictionary=dictionary,
            document_model=document_model,
        )
    report["bc5cdr_dev_gold_entities"] = bc5cdr_dev_gold_entities(model, corpora, threshold=model.meta.get("cid_threshold", 0.5))
    report["biored_dev_gold_entities"] = biored_dev(model, corpora)
    with corpus_domain(nlp, domain_for(domain, "ade")):
        report["ade_cv"] = ade_cross_validation(nlp, corpora / "ade_corpus_v2" / "spert_10fold", folds=folds,
                                                originals=ade_original_sentences(corpora))
    report["seconds"] = round(time.time() - t0, 1)
    return report


def format_table(report: dict) -> str:
    rows = [("ADE CV end-to-end (mean fold F1)", report["ade_cv"]["mean_fold_f1"], 0.78),
            ("ADE CV end-to-end (micro F1)", report["ade_cv"]["micro"]["f1"], 0.78),
            ("ADE CV end-to-end, overlap match (F1)", report["ade_cv"]["overlap_match_micro"]["f1"], None),
            ("ADE CV gold entities (micro F1)", report["ade_cv"]["gold_entities_micro"]["f1"], None),
            ("BC5CDR dev CID end-to-end F1 (max rule)", report["bc5cdr_dev_end_to_end"]["f1"], 0.55),
            *([("BC5CDR dev CID end-to-end F1 (doc model)", report["bc5cdr_dev_end_to_end"]["document_model"]["f1"], 0.55)]
              if "document_model" in report["bc5cdr_dev_end_to_end"] else []),
            ("BC5CDR dev CID gold entities F1", report["bc5cdr_dev_gold_entities"]["f1"], None),
            ("ChemProt dev micro F1 (gold ents)", report["chemprot_dev"]["f1"], 0.55),
            ("BioRED dev ADVERSE_EFFECT F1 (gold ents)", report["biored_dev_gold_entities"]["ADVERSE_EFFECT"]["f1"], None),
            ("BioRED dev TREATS F1 (gold ents)", report["biored_dev_gold_entities"]["TREATS"]["f1"], None),
            ("BioRED dev MECHANISM F1 (gold ents)", report["biored_dev_gold_entities"]["MECHANISM"]["f1"], None)]
    lines = [f"{'evaluation':40} {'F1':>7} {'target':>7}"]
    lines += [f"{name:40} {value:7.4f} {'' if t is None else f'{t:.2f}':>7}" for name, value, t in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from pipeline.ner_domain import MODES as DOMAIN_MODES
    from pipeline.paths import shared_dir
    from pipeline.relation_model import RelationModelError

    parser = argparse.ArgumentParser(prog="python -m pipeline.relation_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="folder holding corpora/ (default: ../shared)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--folds", type=int, default=10, help="ADE folds to run (2 for a quick check)")
    parser.add_argument("--model", type=Path, default=None, help="relation model folder (default: shipped)")
    parser.add_argument("--ner", type=Path, default=None,
                        help="NER model folder for the end-to-end figures (default: shipped)")
    parser.add_argument("--domain", choices=DOMAIN_MODES, default="general",
                        help="general: the NER without a corpus domain, as the product runs it (default); corpus: ADE's "
                             "and BC5CDR's own domains, for an NER trained with domains (pipeline/ner_domain.py)")
    args = parser.parse_args(argv)
    if args.ner is not None and not (args.ner / "config.cfg").exists():
        parser.error(f"--ner {args.ner}: no spaCy model there")
    shared = (args.shared or shared_dir()).resolve()
    try:
        report = relation_eval(shared, folds=args.folds, model_dir=args.model, ner_model=args.ner, domain=args.domain)
    except (RelationDataError, RelationModelError) as e:
        print(f"relation_eval: {e}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(format_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
