"""Dictionary recognition of CHEMICAL, CONDITION and GENE_OR_PROTEIN mentions over the project's knowledge base.

The phrase table (built once by :mod:`pipeline.lexicon_build`) maps a normalised token sequence to a concept.
Recognition is a greedy longest-match scan with a hash lookup per candidate length: linear in the text, no
per-pattern work at start-up beyond reading the table. Mentions found by a statistical NER earlier in the pipeline
are kept; dictionary mentions fill the gaps and give concept ids to model mentions with the same extent.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline import extensions, paths
from pipeline.context import longest_by_first_token
from pipeline.purpose_names import purpose_splits
from pipeline.rules import load_vocabulary
from pipeline.sentences import in_furniture
from pipeline.textnorm import normalised_forms, written_in_capitals
from pipeline.tokenizer import compound_end

# "GABA-B receptors", "D2 receptor", "mu-opioid receptors": a target named by its receptor/transporter head word
_TARGET_HEADS = load_vocabulary().words("target_heads")
_TARGET_MODIFIER = re.compile(r"^(?:[A-Z0-9][A-Za-z0-9()\-/]*|[a-z]+-[A-Za-z0-9\-]+)$")
# investigational drug codes: a sponsor's 1-5 capitals, an optional hyphen, 3-7 digits ("MK-4305", "LY2189265",
# "ABT-199", "AZD1222"); not enzyme families or bacterial serotypes, not trial registrations (8 digits)
_DRUG_CODE = re.compile(r"^[A-Z]{1,5}-?[0-9]{3,7}[A-Z]?$")
_NOT_DRUG_CODES = {"P450", "CYP450", "O157", "O104", "SARS", "ISO9001"}
# "a drug, called 17-HP, that", "an experimental medicine named Zorblimab": the text says the name is a drug's
_NAMING_NOUNS = load_vocabulary().words("naming_nouns")
_NAMING_WORDS = load_vocabulary().words("naming_verbs")
_NAME_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/]*$")
# "adrenergic receptors", "analgesic effect", "opioid system": a drug-class word that qualifies what follows names
# neither a drug taken nor one studied
_QUALIFIED_HEADS = load_vocabulary().words("qualified_heads")
# "heart trouble", "kidney problems": a body part and a word for trouble name a harm in consumer wording
_BODY_PARTS = load_vocabulary().words("body_problem_parts")
# the token a body part starts with: "urinary" of "urinary-tract", or the whole word where the tokenizer keeps it whole
_BODY_PART_FIRST_WORDS = {part.split("-")[0] for part in _BODY_PARTS} | set(_BODY_PARTS)
_BODY_PROBLEMS = load_vocabulary().words("body_problem_nouns")
# "Kava can cause", "Ginger relieved": the verb of the clause a drug's name opens
_VERB_AFTER_A_NAME = load_vocabulary().words("verb_after_a_name")


_CLASS_ADJECTIVE_ENDINGS = ("ic", "oid", "ive", "ant")  # analgesic, opioid, sedative, stimulant; not aspirin's effects


def qualifies_what_follows(span: Span) -> bool:
    """A one-word drug-class adjective before what it qualifies ("adrenergic receptors", "analgesic effect")."""
    doc = span.doc
    return (len(span) == 1 and span.end < len(doc) and doc[span.end].lower_ in _QUALIFIED_HEADS
            and span[0].lower_.endswith(_CLASS_ADJECTIVE_ENDINGS))


class LexiconMissingError(FileNotFoundError):
    """The lexicon cache has not been built."""


@dataclass(frozen=True)
class ConceptInfo:
    concept_id: str
    name: str
    label: str
    xrefs: tuple[str, ...]


def runs_from_a_drug_into_its_verb(ent: Span, names: list[Span]) -> bool:
    """A model CONDITION mention that starts with a dictionary drug name and runs on into the verb after it ("Kava
    can cause", "Ginger relieved" for a herb the model never saw): the name is the mention, not a condition."""
    if ent.label_ != "CONDITION":
        return False
    return any(n.label_ == "CHEMICAL" and n.start == ent.start and n.end < ent.end
               and ent.doc[n.end].lower_ in _VERB_AFTER_A_NAME for n in names)


def load_phrase_table(path: Path) -> dict[str, tuple[str, str, bool]]:
    """Normalised phrase -> (concept id, label, whether the text must write it in capitals)."""
    if not path.exists():
        raise LexiconMissingError(f"lexicon not built: {path} is missing; run `make lexicon` (python -m pipeline.lexicon_build)")
    table = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            table[row["phrase"]] = (row["concept_id"], row["label"], bool(row.get("capitals")))
    return table


_ID_PREFIX = '{"concept_id": "'  # how lexicon_build writes each record


def load_concepts(path: Path, wanted: set[str] | None = None) -> dict[str, ConceptInfo]:
    """The knowledge base's concepts, or only the ``wanted`` ids (the ruler needs those its phrases name, not the
    0.2 M linker-only MeSH records: their lines are skipped without parsing)."""
    if not path.exists():
        raise LexiconMissingError(f"knowledge base not built: {path} is missing; run `make lexicon`")
    concepts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if wanted is not None and line.startswith(_ID_PREFIX):
                if line[len(_ID_PREFIX) : line.index('"', len(_ID_PREFIX))] not in wanted:
                    continue
            row = json.loads(line)
            if wanted is not None and row["concept_id"] not in wanted:
                continue
            concepts[row["concept_id"]] = ConceptInfo(row["concept_id"], row["canonical_name"], row["types"][0], tuple(row["xrefs"]))
    return concepts


def longest_matches(norm: list[str], table: dict, max_len: int,
                    first_lengths: dict[str, int] | None = None) -> list[tuple[int, int, object]]:
    """Greedy longest match over normalised tokens: (start, end, table value); a phrase starts and ends with a
    letter or digit. Shared by this ruler and the NER's gazetteer."""
    found, i, n = [], 0, len(norm)
    while i < n:
        word = norm[i]
        longest = max_len if first_lengths is None else first_lengths.get(word, 0)
        if not longest or not word or not word[0].isalnum():
            i += 1
            continue
        for length in range(min(max_len, longest, n - i), 0, -1):
            if not norm[i + length - 1] or not norm[i + length - 1][-1].isalnum():
                continue
            hit = table.get(" ".join(norm[i : i + length]))
            if hit is not None:
                found.append((i, i + length, hit))
                i += length
                break
        else:
            i += 1
    return found


def find_phrases(norm: list[str], table: dict[str, tuple[str, str, bool]], max_len: int,
                 first_lengths: dict[str, int] | None = None) -> list[tuple[int, int, str, str, bool]]:
    """Greedy longest match over normalised tokens: (start, end, concept_id, label, capitals only)."""
    return [(start, end, *hit) for start, end, hit in longest_matches(norm, table, max_len, first_lengths)]


_CLASS_MODIFIER_STOP = {"unlike", "like", "with", "without", "and", "or", "other", "such", "as", "new", "older", "newer",
                        "these", "those", "some", "many", "most", "both", "certain", "called", "known", "selective",
                        "potent", "first", "second", "drug", "drugs", "an", "a", "the"}
_CLASS_HEADS = load_vocabulary().words("drug_class_heads")


def find_drug_classes(doc: Doc) -> list[Span]:
    """"aromatase inhibitors", "BRAF inhibitor", "beta blockers": drug classes named by their target."""
    spans = []
    for token in doc:
        if token.lower_ in _CLASS_HEADS and token.i > 0:
            start = token.i
            while (
                start > 0
                and start > token.i - 3
                and (doc[start - 1].is_alpha or "-" in doc[start - 1].text)
                and not doc[start - 1].is_stop
                and doc[start - 1].lower_ not in _CLASS_MODIFIER_STOP
                # "anyone considering angiotensin receptor blockers": a verb's -ing form, unless it is the second half
                # of a compound ("angiotensin-converting enzyme inhibitors")
                and not (doc[start - 1].lower_.endswith("ing") and not (start >= 2 and doc[start - 2].text == "-"))
            ):
                start -= 1
            if start < token.i:
                spans.append(Span(doc, start, token.i + 1, label="CHEMICAL"))
    return spans


def find_drug_codes(doc: Doc) -> list[Span]:
    """Code names of drugs in development, which no vocabulary lists; the model's mentions win where it has one."""
    return [Span(doc, t.i, t.i + 1, label="CHEMICAL") for t in doc
            if _DRUG_CODE.match(t.text) and t.text not in _NOT_DRUG_CODES and not t.text.startswith(("NCT", "ISRCTN"))
            and not grant_number(doc, t.i)]


_GRANT_ACTIVITY = re.compile(r"^[A-Z]\d\d$")  # NIH activity codes: R01, U54, P30, K23
_GRANT_WORDS = load_vocabulary().words("grant_words")


def grant_number(doc: Doc, i: int) -> bool:
    """"National Institutes of Health (R01 EY020488)", "grant AG012345": a funding number, not a drug code."""
    before = [t.text for t in doc[max(0, i - 3) : i]]
    return bool(before and _GRANT_ACTIVITY.match(before[-1])) or any(w.lower() in _GRANT_WORDS for w in before)


def find_named_drugs(doc: Doc) -> list[Span]:
    """A name the text introduces as a drug's ("a drug, called 17-HP, that ..."): one written word that starts with a
    capital or a digit, right after "called"/"named"/"dubbed"/"known as" after a drug noun, and followed by
    punctuation or a function word (not "a treatment called CAR T-cell therapy", where the name runs on)."""
    spans = []
    for token in doc:
        word = token.lower_
        if word == "as" and token.i > 0 and doc[token.i - 1].lower_ == "known":
            before = token.i - 2
        elif word in _NAMING_WORDS:
            before = token.i - 1
        else:
            continue
        if before >= 0 and doc[before].text == ",":
            before -= 1
        start = token.i + 1
        if before < 0 or doc[before].lower_ not in _NAMING_NOUNS or start >= len(doc):
            continue
        first = doc[start].text
        if not (first[:1].isupper() or first[:1].isdigit()) or doc[start].is_stop:
            continue
        end = compound_end(doc, start)
        if end < len(doc) and not (doc[end].is_punct or doc[end].is_stop):
            continue
        if not _NAME_CHARS.match(doc[start:end].text):
            continue
        spans.append(Span(doc, start, end, label="CHEMICAL"))
    return spans


def find_brand_aliases(doc: Doc) -> list[tuple[Span, Span]]:
    """"Noctiva (desmopressin acetate)": a capitalised name right before a parenthesised known drug is its brand."""
    pairs = []
    for ent in doc.ents:
        if ent.label_ != "CHEMICAL" or ent.start < 2 or ent.end >= len(doc):
            continue
        opening, closing, name = doc[ent.start - 1], doc[ent.end], doc[ent.start - 2]
        if opening.text == "(" and closing.text == ")" and name.text[:1].isupper() and name.is_alpha and not name.is_stop:
            pairs.append((Span(doc, name.i, name.i + 1, label="CHEMICAL"), ent))
    return pairs


def find_targets(doc: Doc) -> list[Span]:
    """Receptor/transporter/channel names not in the dictionary ("GABA-B receptors")."""
    spans = []
    for token in doc:
        if token.lower_ in _TARGET_HEADS and token.i > 0:
            start = token.i
            while start > 0 and _TARGET_MODIFIER.match(doc[start - 1].text) and doc[start - 1].lower_ not in {"the", "a", "an"}:
                start -= 1
            if start < token.i:
                spans.append(Span(doc, start, token.i + 1, label="GENE_OR_PROTEIN"))
    return spans


def find_body_problems(doc: Doc) -> list[Span]:
    """Consumer names of a harm by the body part it strikes: "heart trouble", "kidney problems", "urinary-tract
    problems", "bone damage" (CONDITION). Dictionary names and model mentions win where they overlap."""
    spans = []
    i, n = 0, len(doc)
    while i < n:
        end = compound_end(doc, i)  # "urinary-tract" is three tokens
        if doc[i].lower_ not in _BODY_PART_FIRST_WORDS:
            i = end  # most words: no body part starts with them, and the written word need not be built
            continue
        written = "".join(t.text for t in doc[i:end]).lower()
        if written in _BODY_PARTS and end < n and doc[end].lower_ in _BODY_PROBLEMS:
            spans.append(Span(doc, i, end + 1, label="CONDITION"))
            i = end + 1
            continue
        i = end
    return spans


class LexiconRuler:
    def __init__(self, nlp: Language, name: str, *, phrases_path: str, concepts_path: str, max_len: int):
        extensions.register()
        self.name = name
        lexicon = paths.lexicon_dir()
        self.table = load_phrase_table(Path(phrases_path) if phrases_path else lexicon / "phrases.jsonl")
        wanted = {concept_id for concept_id, _, _ in self.table.values()}
        self.concepts = load_concepts(Path(concepts_path) if concepts_path else lexicon / "concepts.jsonl", wanted)
        self.max_len = max_len
        self.first_lengths = longest_by_first_token(phrase.split(" ") for phrase in self.table)
        self._norm_cache: dict[int, str] = {}
        from pipeline.gazetteer import pipeline_table  # here: the gazetteer module imports this one

        # the NER's vocabulary table, when the pipeline has one: condition names the lexicon lacks ("shingles")
        self.vocabulary = pipeline_table(nlp) or {}

    def is_condition(self, key: str) -> bool:
        hit = self.table.get(key)
        if hit is not None:
            return hit[1] == "CONDITION"
        return self.vocabulary.get(key) == "D"

    def __call__(self, doc: Doc) -> Doc:
        norm = normalised_forms(doc, self._norm_cache)
        lexicon_spans = []
        for start, end, concept_id, label, capitals in find_phrases(norm, self.table, self.max_len, self.first_lengths):
            span = Span(doc, start, end, label=label, kb_id=concept_id)
            if capitals and not written_in_capitals(span.text):
                continue
            if label == "CHEMICAL" and qualifies_what_follows(span):
                continue
            lexicon_spans.append(span)
        lexicon_spans.extend(find_targets(doc))
        lexicon_spans.extend(find_body_problems(doc))
        lexicon_spans.extend(find_drug_classes(doc))
        lexicon_spans.extend(find_drug_codes(doc))
        lexicon_spans.extend(find_named_drugs(doc))
        lexicon_spans = [s for s in lexicon_spans if not in_furniture(doc, s)]
        model_ents = [e for e in doc.ents if not in_furniture(doc, e) and not self.acronym_in_lower_case(e, norm)]
        by_extent = {(s.start, s.end): s for s in lexicon_spans}
        for ent in model_ents:
            if not ent._.source:
                ent._.source = "model"
        # model mentions first: they win overlaps, except where a dictionary name strictly contains one of them
        # ("poly ADP ribose polymerase" over a model's "ADP"); a name that would swallow two or more model mentions
        # does not ("heparin-induced thrombocytopenia": the drug and its effect; "nausea and vomiting");
        # dictionary mentions fill the gaps
        containers = [
            c for c in lexicon_spans
            if c.kb_id_ and sum(c.start <= e.start and e.end <= c.end for e in model_ents) <= 1
        ]
        model_ents = [e for e in model_ents if not any(c.start <= e.start and e.end <= c.end and len(c) > len(e) for c in containers)]
        model_ents = [e for e in model_ents if not runs_from_a_drug_into_its_verb(e, containers)]
        taken = {i for ent in model_ents for i in range(ent.start, ent.end)}
        gaps = [s for s in filter_spans(lexicon_spans) if not any(i in taken for i in range(s.start, s.end))]
        merged = sorted(model_ents + gaps, key=lambda s: s.start)
        splits = purpose_splits(doc, merged, norm, self.is_condition)
        if splits:  # "the shingles vaccine, Shingrix": the name is the drug, "shingles" what it is for
            merged = [splits.get(e.start, e) for e in merged]
        doc.ents = merged
        for ent in doc.ents:
            match = by_extent.get((ent.start, ent.end))
            if match is not None and match.label_ == ent.label_ and match.kb_id_:
                self.annotate(ent, match.kb_id_)
                if not ent._.source:
                    ent._.source = "lexicon"
            elif not ent._.source:
                ent._.source = "rule"
        self.add_brands(doc)
        return doc

    def acronym_in_lower_case(self, ent: Span, norm: list[str]) -> bool:
        """A model mention in lower case of a name the vocabularies write only in capitals: "hearing aids" is not
        AIDS, however often the corpora wrote it."""
        hit = self.table.get(" ".join(norm[ent.start : ent.end]))
        return hit is not None and hit[2] and hit[1] == ent.label_ and not written_in_capitals(ent.text)

    def annotate(self, ent: Span, concept_id: str) -> None:
        info = self.concepts.get(concept_id)
        if info is None or ent._.concept_id:
            return
        ent._.concept_id = info.concept_id
        ent._.concept_name = info.name
        ent._.xrefs = info.xrefs

    def add_brands(self, doc: Doc) -> None:
        """Tag each brand found as "Brand (generic)" everywhere it occurs, with the generic's concept."""
        pairs = find_brand_aliases(doc)
        if not pairs:
            return
        generic_of = {brand.text: drug for brand, drug in pairs}
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        new = [Span(doc, t.i, t.i + 1, label="CHEMICAL") for t in doc if t.text in generic_of and t.i not in taken]
        if not new:
            return
        doc.ents = sorted(list(doc.ents) + new, key=lambda s: s.start)
        starts = {s.start for s in new}
        for ent in doc.ents:
            if ent.start in starts:
                drug = generic_of[ent.text]
                ent._.source = "rule"
                ent._.concept_id, ent._.concept_name, ent._.xrefs = drug._.concept_id, drug._.concept_name, drug._.xrefs


@Language.factory(
    "drugclaims_lexicon_ruler",
    default_config={"phrases_path": "", "concepts_path": "", "max_len": 8},
)
def make_lexicon_ruler(nlp: Language, name: str, *, phrases_path: str, concepts_path: str, max_len: int) -> LexiconRuler:
    return LexiconRuler(nlp, name, phrases_path=phrases_path, concepts_path=concepts_path, max_len=max_len)
