"""Step 1 (convert): read the training corpora, map labels, mark unannotated types as missing, write .spacy files.

    python training/scripts/convert.py CORPORA_DIR OUT_DIR

Writes OUT_DIR/train.spacy (BC5CDR, NCBI disease, ADE, PsyTAR, ChemProt, BioRED train splits), OUT_DIR/dev.spacy
(BC5CDR, NCBI disease and BioRED dev splits; used for model selection only) and OUT_DIR/stats.json (document,
mention, alignment and missing-token counts). PubMed ids listed in OVERLAPS.md and those of every dev split
(BioRED train holds 44 BC5CDR dev abstracts) are removed from training (pipeline.corpora.overlaps).
CADEC is never read here (its licence allows evaluation only).

Missing labels: a corpus that does not annotate a label (ANNOTATED in pipeline.corpora.labels) says nothing
about it, so every token sequence matching a training mention string of that label (a gazetteer built from all
training corpora) is set to missing instead of "O": the model is not taught those as negatives.
ADE and PsyTAR annotate drugs only partially: drug names from the drug-named-entity-recognition lexicon are added
there as silver CHEMICAL mentions (counted as silver_chemical).
Gold mentions that do not align to token boundaries (e.g. "BHA" inside "(BHA)-induced") are dropped and counted,
and the tokens they touch are set to missing as well.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from drug_named_entity_recognition import find_drugs
from spacy.tokens import Doc, DocBin, Span

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pipeline.tokenizer  # noqa: E402,F401  (registers the tokenizer)
from pipeline import ner_domain  # noqa: E402
from pipeline.corpora.ade import read_ade  # noqa: E402
from pipeline.corpora.chemprot import read_chemprot  # noqa: E402
from pipeline.corpora.overlaps import excluded_pmids  # noqa: E402
from pipeline.corpora.labels import ANNOTATED, NER_LABELS, map_label  # noqa: E402
from pipeline.corpora.psytar import read_psytar  # noqa: E402
from pipeline.corpora.pubtator import read_pubtator  # noqa: E402
from pipeline.corpora.types import Document  # noqa: E402

# PsyTAR does not annotate drug names: names the lexicon below lacks (nicknames of the reviewed drugs) are matched.
PSYTAR_DRUG_NAMES = ("effexor xr", "lexi", "lexy")


# Corpora whose drug annotation is partial (only drugs in an adverse-effect statement, or none at all): drug names
# found by the drug-named-entity-recognition lexicon (brands, generics, classes) are added as silver CHEMICAL.
SILVER_DRUG_CORPORA = frozenset({"ade", "psytar"})
SILVER_DRUG_STOPLIST = frozenset(
    {"at 10", "generics", "caps", "pecans", "serotonin effects", "neurotransmitters", "arima", "flax seed"}
)


def silver_drug_spans(doc: Doc) -> list[Span]:
    """Drug-name spans from the drug-named-entity-recognition lexicon (case-insensitive, whole tokens)."""
    spans = []
    for _, start, end in find_drugs([token.text for token in doc], is_ignore_case=True):
        span = Span(doc, start, end, label="CHEMICAL")
        if span.text.lower() not in SILVER_DRUG_STOPLIST and not any(t.like_num for t in span):
            spans.append(span)
    return spans


def blank_nlp() -> spacy.Language:
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})


def load_split(corpora: Path, split: str) -> dict[str, list[Document]]:
    """Documents per corpus for ``train`` or ``dev``, plus alignment stats for the string-aligned corpora."""
    if split == "train":
        ade, ade_stats = read_ade(corpora / "ade_corpus_v2" / "original" / "DRUG-AE.rel")
        psytar, psytar_stats = read_psytar(corpora / "psytar" / "PsyTAR_dataset.xlsx", PSYTAR_DRUG_NAMES)
        load_split.alignment = {"ade": vars(ade_stats), "psytar": {k: dict(v) for k, v in vars(psytar_stats).items()}}
        return {
            "bc5cdr": read_pubtator(corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt"),
            "ncbi_disease": read_pubtator(corpora / "ncbi_disease" / "NCBItrainset_corpus.txt"),
            "ade": ade,
            "psytar": psytar,
            "chemprot": read_chemprot(corpora / "chemprot", "training"),
            "biored": read_pubtator(corpora / "biored" / "Train.PubTator"),
        }
    return {
        "bc5cdr": read_pubtator(corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"),
        "ncbi_disease": read_pubtator(corpora / "ncbi_disease" / "NCBIdevelopset_corpus.txt"),
        "biored": read_pubtator(corpora / "biored" / "Dev.PubTator"),
    }


def build_gazetteer(nlp: spacy.Language, corpora: dict[str, list[Document]]) -> PhraseMatcher:
    """A lower-case phrase matcher per label over all training mention strings (stop words and 1-2 chars left out)."""
    strings: dict[str, set[str]] = defaultdict(set)
    for corpus, documents in corpora.items():
        for document in documents:
            for mention in document.mentions:
                label = map_label(corpus, mention.label)
                text = document.text[mention.start : mention.end].strip()
                if label and len(text) > 2 and text.lower() not in STOP_WORDS:
                    strings[label].add(text.lower())
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, texts in strings.items():
        matcher.add(label, list(nlp.tokenizer.pipe(sorted(texts))))
    return matcher


def to_doc(
    nlp: spacy.Language,
    corpus: str,
    document: Document,
    matcher: PhraseMatcher,
    counts: Counter,
    only_label: str | None = None,
) -> Doc:
    doc = nlp.make_doc(document.text)
    spans, misaligned = [], []
    for mention in document.mentions:
        label = map_label(corpus, mention.label)
        if label is None or (only_label is not None and label != only_label):
            continue
        counts["mentions"] += 1
        span = doc.char_span(mention.start, mention.end, label=label, alignment_mode="strict")
        if span is None:  # inside a token such as "(BHA)-induced" or "p62/SQSTM1": neither taught nor negated
            counts["dropped_misaligned"] += 1
            misaligned.append(doc.char_span(mention.start, mention.end, alignment_mode="expand"))
            continue
        spans.append(span)
    kept = spacy.util.filter_spans(spans)
    counts["dropped_overlapping"] += len(spans) - len(kept)
    counts["kept"] += len(kept)
    if corpus in SILVER_DRUG_CORPORA and only_label in (None, "CHEMICAL"):
        gold_tokens = {i for span in kept for i in range(span.start, span.end)}
        silver = [s for s in silver_drug_spans(doc) if not gold_tokens.intersection(range(s.start, s.end))]
        silver = spacy.util.filter_spans(silver)
        counts["silver_chemical"] += len(silver)
        kept = sorted([*kept, *silver], key=lambda span: span.start)
    taken = {i for span in kept for i in range(span.start, span.end)}
    unannotated = set(NER_LABELS) - ANNOTATED[corpus] if only_label is None else {only_label} - ANNOTATED[corpus]
    missing = [span for span in misaligned if span is not None and not taken.intersection(range(span.start, span.end))]
    for match_id, start, end in matcher(doc):
        if nlp.vocab.strings[match_id] in unannotated and not taken.intersection(range(start, end)):
            missing.append(Span(doc, start, end))
    missing = spacy.util.filter_spans(missing)
    counts["missing_tokens"] += sum(len(span) for span in missing)
    counts["tokens"] += len(doc)
    counts["docs"] += 1
    doc.set_ents(kept, missing=missing, default="outside")
    return doc


def held_out_ade_sentences(fold_file: Path) -> set[str]:
    """Whitespace-free texts of the sentences of one SpERT ADE test fold (to train an NER that never saw them)."""
    return {"".join(record["tokens"]) for record in json.loads(fold_file.read_text(encoding="utf-8"))}


def remove_excluded(corpora: Path, train: dict[str, list[Document]]) -> Counter:
    """Drops from ``train`` (in place) the documents whose PubMed id OVERLAPS.md or a dev split lists; returns how many
    per corpus."""
    removed_ids, removed = excluded_pmids(corpora), Counter()
    for corpus, documents in train.items():
        kept = [d for d in documents if d.doc_id.split("#")[0] not in removed_ids]
        removed[corpus] = len(documents) - len(kept)
        train[corpus] = kept
    return removed


def convert(corpora: Path, out_dir: Path, only_label: str | None = None, hold_out_ade: Path | None = None,
            repeat: dict[str, int] | None = None, domain_dropout: float | None = None) -> dict:
    """``domain_dropout``: store each training document's corpus as its domain (pipeline/ner_domain.py), except for
    this share of them (drawn per copy of a repeated document), which stay without one; ``None``: no domains."""
    nlp = blank_nlp()
    draw = random.Random(0).random
    train = load_split(corpora, "train")
    if hold_out_ade is not None:  # the ADE cross-validation's test fold stays unseen
        held = held_out_ade_sentences(hold_out_ade)
        train["ade"] = [d for d in train["ade"] if "".join(d.text.split()) not in held]
    alignment = load_split.alignment
    unknown = set(repeat or {}) - set(train)
    if unknown:
        raise SystemExit(f"--repeat names no training corpus: {sorted(unknown)} (corpora: {sorted(train)})")
    dev = load_split(corpora, "dev")
    removed = remove_excluded(corpora, train)
    if only_label is not None:  # a single-label component: only the corpora that annotate that label
        train = {c: docs for c, docs in train.items() if only_label in ANNOTATED[c]}
        dev = {c: docs for c, docs in dev.items() if only_label in ANNOTATED[c]}
    matcher = build_gazetteer(nlp, train)
    stats: dict = {"removed_overlap_docs": dict(removed), "alignment": alignment, "train": {}, "dev": {}}
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, corpora_docs in (("train", train), ("dev", dev)):
        doc_bin = DocBin(store_user_data=domain_dropout is not None)
        for corpus, documents in corpora_docs.items():
            counts: Counter = Counter()
            times = (repeat or {}).get(corpus, 1) if split == "train" else 1
            for document in documents:
                doc = to_doc(nlp, corpus, document, matcher, counts, only_label)
                for _ in range(times):  # a corpus repeated N times weighs N times as much in every epoch
                    if domain_dropout is not None:  # the user data is serialised by add(), one draw per copy
                        with_domain = split == "dev" or draw() >= domain_dropout
                        doc.user_data[ner_domain.USER_DATA_KEY] = corpus if with_domain else ""
                        counts["with_domain"] += with_domain
                    doc_bin.add(doc)
            counts["repeated"] = times
            stats[split][corpus] = dict(counts)
        doc_bin.to_disk(out_dir / f"{split}.spacy")
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, help="the shared corpora folder (../shared/corpora)")
    parser.add_argument("out_dir", type=Path, help="where train.spacy, dev.spacy and stats.json go")
    parser.add_argument("--only-label", default=None, choices=NER_LABELS,
                        help="write data for a single-label component (the 'separate components' comparison)")
    parser.add_argument("--hold-out-ade", type=Path, default=None,
                        help="a SpERT test-fold file (ade_split_K_test.json): its ADE sentences are left out of train")
    parser.add_argument("--domain-dropout", type=float, default=None, metavar="P",
                        help="store each training document's corpus as its domain (pipeline/ner_domain.py), leaving "
                             "a share P of them without one")
    parser.add_argument("--repeat", action="append", default=[], metavar="CORPUS=N",
                        help="add a training corpus's documents N times (e.g. bc5cdr=2; ade=0 leaves a corpus out); repeatable")
    args = parser.parse_args(argv)
    repeat = {}
    for item in args.repeat:
        name, _, times = item.partition("=")
        if not name or not times.isdigit():
            parser.error(f"--repeat wants CORPUS=N with N >= 0, got {item!r}")
        repeat[name] = int(times)
    if args.domain_dropout is not None and not 0 <= args.domain_dropout < 1:
        parser.error(f"--domain-dropout wants a share in [0, 1), got {args.domain_dropout}")
    stats = convert(args.corpora, args.out_dir, args.only_label, args.hold_out_ade, repeat, args.domain_dropout)
    json.dump(stats, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
