"""Optional step (vectors): static word vectors from unannotated text, for the NER's embedding layer.

    python training/scripts/vectors.py CORPORA_DIR ARTICLES_DIR OUT_DIR [--dims 100] [--max-words 50000]

Text: the *training* splits of the NER corpora (BC5CDR, NCBI disease, ChemProt, BioRED, ADE, PsyTAR; PubMed ids of
OVERLAPS.md removed) and the shared consumer articles (fakehealth, cochrane_pls) except the articles the consumer
development gold (claims_dev) annotates. No dev or test split is read. Tokens are the project tokenizer's,
lower-cased, digits mapped to 0.

Method (no extra dependency): a word-context co-occurrence matrix (window ±4, weight 1/distance), positive PMI with
context-distribution smoothing (alpha 0.75), truncated SVD, rows scaled by sqrt(singular values) and L2-normalised
(Levy, Goldberg & Dagan 2015). Words seen fewer than 3 times are left out. OUT_DIR is a blank spaCy pipeline whose
vocabulary holds the vectors under the lower-case, Title-case and UPPER-case form of each word (spaCy's static vector
layer looks tokens up by their exact text), usable as ``[initialize] vectors``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy
import scipy.sparse
from sklearn.decomposition import TruncatedSVD

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from convert import blank_nlp, load_split  # noqa: E402

from pipeline.claims_eval import read_gold  # noqa: E402
from pipeline.corpora.overlaps import excluded_pmids  # noqa: E402

WINDOW = 4
MIN_COUNT = 3
ALPHA = 0.75
_DIGITS = re.compile(r"\d")


def corpus_texts(corpora: Path) -> list[str]:
    """The texts of the NER training split (convert.py's readers), OVERLAPS.md and dev-split ids removed."""
    drop = excluded_pmids(corpora)
    return [d.text for docs in load_split(corpora, "train").values() for d in docs if d.doc_id.split("#")[0] not in drop]


def article_texts(articles: Path, claims_dev: Path) -> list[str]:
    held = {row["article_id"] for row in read_gold([claims_dev])}
    texts = []
    for source in ("fakehealth/fakehealth.jsonl", "cochrane_pls/cochrane_pls.jsonl"):
        with (articles / source).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("id") not in held:
                    texts.append(f"{record.get('title') or ''}\n\n{record.get('text') or ''}")
    return texts


def sentences_of_tokens(texts: list[str]) -> list[list[str]]:
    nlp = blank_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        words = [_DIGITS.sub("0", t.lower_) for t in doc if not t.is_space]
        if words:
            out.append(words)
    return out


def ppmi_svd(token_lists: list[list[str]], dims: int, max_words: int) -> tuple[list[str], numpy.ndarray]:
    counts = Counter(w for words in token_lists for w in words)
    vocab = [w for w, n in counts.most_common(max_words) if n >= MIN_COUNT]
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for words in token_lists:
        ids = [index.get(w, -1) for w in words]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for d in range(1, WINDOW + 1):
                if i + d >= len(ids):
                    break
                b = ids[i + d]
                if b >= 0:
                    rows += [a, b]
                    cols += [b, a]
                    vals += [1.0 / d, 1.0 / d]
    n = len(vocab)
    cooc = scipy.sparse.coo_matrix((numpy.asarray(vals, dtype=numpy.float64), (rows, cols)), shape=(n, n)).tocsr()
    cooc.sum_duplicates()
    total = cooc.sum()
    word_p = numpy.asarray(cooc.sum(axis=1)).ravel() / total
    context = numpy.asarray(cooc.sum(axis=0)).ravel() ** ALPHA
    context_p = context / context.sum()
    coo = cooc.tocoo()
    pmi = numpy.log((coo.data / total) / (word_p[coo.row] * context_p[coo.col]))
    keep = pmi > 0
    ppmi = scipy.sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=7, random_state=0)
    u = svd.fit_transform(ppmi)  # = U * S
    vectors = u / numpy.sqrt(numpy.maximum(svd.singular_values_, 1e-9))  # U * sqrt(S)
    vectors /= numpy.maximum(numpy.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return vocab, vectors.astype(numpy.float32)


def save_pipeline(vocab: list[str], vectors: numpy.ndarray, out: Path) -> int:
    from spacy.vectors import Vectors

    nlp = blank_nlp()
    table = Vectors(data=vectors, keys=[nlp.vocab.strings.add(w) for w in vocab])
    for row, word in enumerate(vocab):
        for form in {word.title(), word.upper()} - {word}:
            table.add(nlp.vocab.strings.add(form), row=row)
    nlp.vocab.vectors = table
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return table.n_keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims-dev", type=Path, default=None, help="claims_dev folder (default: beside articles)")
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--max-words", type=int, default=50000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    texts = corpus_texts(args.corpora) + article_texts(args.articles, args.claims_dev or args.articles.parent / "claims_dev")
    token_lists = sentences_of_tokens(texts)
    n_tokens = sum(len(t) for t in token_lists)
    vocab, vectors = ppmi_svd(token_lists, args.dims, args.max_words)
    n_keys = save_pipeline(vocab, vectors, args.out)
    stats = {"texts": len(texts), "tokens": n_tokens, "words": len(vocab), "keys": n_keys, "dims": args.dims,
             "seconds": round(time.perf_counter() - started, 1)}
    (args.out / "vectors_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
