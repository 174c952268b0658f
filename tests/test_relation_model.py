"""Relation classifier: features on a hand-built Doc, the shipped model's outputs, save/load round trip."""
from __future__ import annotations

import numpy as np
import pytest
from spacy.tokens import Span

from pipeline.relation_eval import tokenizer_nlp
from pipeline.relation_features import index_doc, normalise, pair_features, span_tuple
from pipeline.relation_model import COARSE_LABELS, RelationModel, RelationModelError


@pytest.fixture(scope="module")
def tok():
    return tokenizer_nlp()


def _doc(tok, text: str, mentions: list[tuple[str, str]]):
    doc = tok(text)
    spans = []
    for string, label in mentions:
        start = text.index(string)
        spans.append(doc.char_span(start, start + len(string), label=label))
    doc.ents = spans
    return doc, spans


def test_relation_features_normalise():
    assert normalise("Induced") == "induc"
    assert normalise("2.5mg") == "0.0mg"
    assert normalise("the") == "the"


def test_relation_features_pair_on_hand_built_doc(tok):
    doc, (drug, effect) = _doc(tok, "Aspirin caused severe nausea in two patients.", [("Aspirin", "CHEMICAL"), ("nausea", "CONDITION")])
    feats = pair_features(index_doc(doc), span_tuple(drug), span_tuple(effect))
    assert "T=CHEMICAL|CONDITION|CO" in feats
    assert "B=caus" in feats and "B=severe" in feats
    assert "S=0" in feats
    assert "CUEB=ADE|CO" in feats
    assert "CW=aspirin" in feats


def test_relation_features_other_entities_masked(tok):
    doc, (drug, _, effect) = _doc(
        tok, "Ibuprofen and naproxen cause ulcers.", [("Ibuprofen", "CHEMICAL"), ("naproxen", "CHEMICAL"), ("ulcers", "CONDITION")]
    )
    feats = pair_features(index_doc(doc), span_tuple(drug), span_tuple(effect))
    assert "B=<CHEMICAL>" in feats and "B=naproxen" not in feats


def test_relation_model_probabilities_sum_to_one(tok):
    model = RelationModel.load()
    doc, (drug, effect) = _doc(tok, "Metformin is used to treat type 2 diabetes.", [("Metformin", "CHEMICAL"), ("type 2 diabetes", "CONDITION")])
    [probs] = model.predict_pairs(doc, [(drug, effect)])
    assert set(probs) == set(COARSE_LABELS)
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-6)
    assert all(0.0 <= p <= 1.0 for p in probs.values())


def test_relation_model_loaded_once():
    assert RelationModel.load() is RelationModel.load()


def test_relation_model_adverse_sentence_scores_adverse_effect(tok):
    model = RelationModel.load()
    doc, (drug, effect) = _doc(
        tok, "Carbamazepine-induced Stevens-Johnson syndrome was diagnosed in a 34-year-old woman.",
        [("Carbamazepine", "CHEMICAL"), ("Stevens-Johnson syndrome", "CONDITION")],
    )
    [probs] = model.predict_pairs(doc, [(drug, effect)])
    assert max(probs, key=probs.get) == "ADVERSE_EFFECT", probs


def test_relation_model_mechanism_action(tok):
    model = RelationModel.load()
    doc, (drug, gene) = _doc(
        tok, "Celecoxib is a selective inhibitor of COX-2.", [("Celecoxib", "CHEMICAL"), ("COX-2", "GENE_OR_PROTEIN")]
    )
    [pred] = model.predict_details(doc, [(drug, gene)])
    assert pred.label == "MECHANISM" and pred.action == "inhibitor", pred


def test_relation_model_empty_pairs(tok):
    doc, _ = _doc(tok, "Nothing here.", [])
    assert RelationModel.load().predict_pairs(doc, []) == []


def test_relation_model_save_load_round_trip(tmp_path):
    features = [["B=caus", "T=a"], ["B=treat", "T=a"], ["B=inhibit", "T=b"], ["B=and", "T=a"]] * 5
    labels = ["ADVERSE_EFFECT", "TREATS", "MECHANISM:inhibitor", "NONE"] * 5
    model = RelationModel(meta={"note": "fixture"}).fit(features, labels)
    model.save(tmp_path / "rel")
    loaded = RelationModel.from_disk(tmp_path / "rel")
    assert loaded.meta["note"] == "fixture"
    np.testing.assert_allclose(loaded.fine_probabilities(features), model.fine_probabilities(features), atol=1e-5)


def test_relation_model_missing_model_raises(tmp_path):
    with pytest.raises(RelationModelError, match="make -C training/relation"):
        RelationModel.from_disk(tmp_path / "absent")


def test_relation_model_rejects_unknown_labels():
    with pytest.raises(RelationModelError, match="unknown training labels"):
        RelationModel().fit([["a"], ["b"]], ["CAUSES", "NONE"])


def test_relation_eval_cli_documented():
    from pipeline import relation_eval

    assert "python -m pipeline.relation_eval" in relation_eval.__doc__
    with pytest.raises(SystemExit) as exit_info:
        relation_eval.main(["--help"])
    assert exit_info.value.code == 0


def test_relation_span_pairs_accept_spans_from_ents(tok):
    doc, (drug, effect) = _doc(tok, "Warfarin can cause bleeding.", [("Warfarin", "CHEMICAL"), ("bleeding", "CONDITION")])
    assert isinstance(drug, Span)
    [probs] = RelationModel.load().predict_pairs(doc, [(doc.ents[0], doc.ents[1])])
    assert probs["ADVERSE_EFFECT"] > probs["TREATS"]


def test_read_spert_maps_tokens_back_onto_the_published_sentence(tmp_path):
    import json

    from pipeline.relation_eval import read_spert

    record = {"tokens": ["Intravenous", "azithromycin", "-", "induced", "ototoxicity", "."],
              "entities": [{"type": "Adverse-Effect", "start": 4, "end": 5}, {"type": "Drug", "start": 1, "end": 2}],
              "relations": [{"type": "Adverse-Effect", "head": 0, "tail": 1}], "orig_id": 0}
    other = {**record, "tokens": ["IFN", "-", "alpha", "toxicity"], "orig_id": 1,
             "entities": [{"type": "Drug", "start": 0, "end": 3}, {"type": "Adverse-Effect", "start": 3, "end": 4}],
             "relations": [{"type": "Adverse-Effect", "head": 1, "tail": 0}]}
    path = tmp_path / "ade.json"
    path.write_text(json.dumps([record, other]))
    originals = {"Intravenousazithromycin-inducedototoxicity.": "Intravenous azithromycin-induced ototoxicity."}
    published, spaced = read_spert(path, originals)
    assert published.text == "Intravenous azithromycin-induced ototoxicity."
    assert [published.text[m.start:m.end] for m in published.mentions] == ["ototoxicity", "azithromycin"]
    assert published.relations == {("1", "0"): "ADVERSE_EFFECT"}
    # no published sentence known: the tokens joined by spaces, spans still on token boundaries
    assert spaced.text == "IFN - alpha toxicity"
    assert [spaced.text[m.start:m.end] for m in spaced.mentions] == ["IFN - alpha", "toxicity"]
    assert read_spert(path)[0].text == "Intravenous azithromycin - induced ototoxicity ."


def test_ade_cross_validation_can_run_chosen_folds_only(tmp_path):
    """``only_folds`` (the per-fold NER protocol of training/relation/ade_protocol.py) scores a fold exactly as the
    full cross-validation does."""
    import json

    from pipeline.loader import _blank
    from pipeline.relation_eval import ade_cross_validation

    sentences = [("Cisplatin", "nephrotoxicity", None), ("Lithium", "tremor", None), ("warfarin", "bleeding", "Aspirin"),
                 ("Amiodarone", "hypothyroidism", None), ("heparin", "thrombocytopenia", "Insulin"),
                 ("Isoniazid", "hepatitis", None)]
    records, patterns = [], []
    for i, (drug, effect, other) in enumerate(sentences):
        tokens = ([other, "and"] if other else []) + [drug, "caused", effect, "."]
        entities = [{"type": "Drug", "start": tokens.index(drug), "end": tokens.index(drug) + 1},
                    {"type": "Adverse-Effect", "start": tokens.index(effect), "end": tokens.index(effect) + 1}]
        records.append({"tokens": tokens, "entities": entities, "orig_id": i,
                        "relations": [{"type": "Adverse-Effect", "head": 1, "tail": 0}]})
        patterns += [{"label": "CHEMICAL", "pattern": name} for name in (drug, other) if name]
        patterns.append({"label": "CONDITION", "pattern": effect})
    (tmp_path / "ade_full.json").write_text(json.dumps(records))
    for k in range(2):
        (tmp_path / f"ade_split_{k}_test.json").write_text(json.dumps(records[3 * k:3 * k + 3]))
    nlp = _blank()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    full = ade_cross_validation(nlp, tmp_path, folds=2)
    one = ade_cross_validation(nlp, tmp_path, folds=2, only_folds=[1])
    assert [f["fold"] for f in full["per_fold"]] == [0, 1]
    assert one["per_fold"] == [full["per_fold"][1]]
    assert one["micro"]["gold"] == 3 and full["micro"]["gold"] == 6
    assert one["per_fold"][0]["pred"] > 0  # the fold is really classified, not empty
