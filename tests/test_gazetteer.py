"""The NER's dictionary features: external vocabulary names marked token by token."""
from __future__ import annotations

import pytest

from pipeline import gazetteer
from pipeline.context import longest_by_first_token
from pipeline.loader import _blank


def _marks(table: dict[str, str], words: list[str]) -> list[str]:
    return gazetteer.mark_tokens(words, table, longest_by_first_token(p.split(" ") for p in table))


def test_longest_name_wins_and_marks_begin_and_inside():
    table = {"heart failure": "D", "congestive heart failure": "D", "lithium": "C", "lithium carbonate": "C"}
    words = ["congestive", "heart", "failure", "and", "lithium", "carbonate", "lithium"]
    assert _marks(table, words) == ["B-D", "I-D", "I-D", "", "B-C", "I-C", "B-C"]


def test_a_name_typed_differently_by_two_vocabularies_keeps_both_types():
    assert _marks({"insulin": "CG"}, ["the", "insulin", "dose"]) == ["", "B-CG", ""]


def test_unusable_names_are_not_phrases():
    assert not gazetteer._usable(["was"])  # a stop word
    assert not gazetteer._usable(["ab"])  # two characters
    assert not gazetteer._usable(["(", "x", ")"])  # starts with punctuation
    assert not gazetteer._usable(["a"] * (gazetteer.MAX_TOKENS + 1))
    assert gazetteer._usable(["aspirin"]) and gazetteer._usable(["heart", "failure"])


def test_a_table_of_another_version_is_refused(tmp_path):
    path = tmp_path / "gazetteer.tsv"
    path.write_text("# something else\naspirin\tC\n", encoding="utf-8")
    with pytest.raises(gazetteer.GazetteerMissingError, match="make lexicon"):
        gazetteer.load_table(path)
    with pytest.raises(gazetteer.GazetteerMissingError, match="not built"):
        gazetteer.load_table(tmp_path / "missing.tsv")


def test_the_built_gazetteer_marks_vocabulary_names_in_text():
    nlp = _blank()
    component = gazetteer.Gazetteer(nlp, "gazetteer", path="")
    doc = component(nlp.make_doc("Tricuspid valve regurgitation and lithium carbonate toxicity in a newborn infant."))
    assert [(t.text, t.tag_) for t in doc][:6] == [
        ("Tricuspid", "B-D"), ("valve", "I-D"), ("regurgitation", "I-D"), ("and", ""), ("lithium", "B-C"),
        ("carbonate", "I-C")]
    assert all(not t.tag_ for t in doc[6:])


def test_the_shipped_model_reads_the_table_it_was_trained_with():
    import spacy

    from pipeline.loader import NER_MODEL_DIR

    nlp = spacy.load(NER_MODEL_DIR)
    assert nlp.pipe_names[0] == "gazetteer"
    assert nlp.meta["gazetteer_sha256"] == gazetteer.table_digest(), (
        "the built gazetteer differs from the one the shipped NER was trained with: rebuild it with the pinned "
        "vocabularies (make lexicon) or retrain (make train)")


def test_the_table_is_rebuilt_identically_without_any_corpus(tmp_path, monkeypatch):
    """Built from the installed vocabularies alone: no shared corpus (so no training annotation) goes into it, and
    the same inputs give the same bytes, the ones the shipped model was trained with."""
    monkeypatch.setenv("DRUGCLAIMS_SHARED", str(tmp_path / "no-shared-folder"))
    out = gazetteer.build(tmp_path / "gazetteer.tsv", force=True)
    assert gazetteer.table_digest(out) == gazetteer.table_digest()


def test_a_short_form_defined_after_a_marked_name_takes_its_types_everywhere():
    texts = ["Pilocarpine", "(", "PILO", ")", "and", "aspirin", "(", "NOT", ")", ".", "PILO", "again", "pilo"]
    marks = ["B-C", "", "", "", "", "B-C", "", "", "", "", "", "", ""]
    out = gazetteer.short_form_marks(texts, marks)
    # "NOT" does not begin with the name's first letter; "pilo" in lower case is another word
    assert out == ["B-C", "", "B-C", "", "", "B-C", "", "", "", "", "B-C", "", ""]
    multi = gazetteer.short_form_marks(["status", "epilepticus", "(", "SE", ")", "SE"], ["B-D", "I-D", "", "", "", ""])
    assert multi == ["B-D", "I-D", "", "B-D", "", "B-D"]
    assert gazetteer.short_form_marks(["x", "(", "PILO", ")"], ["", "", "", ""]) == ["", "", "", ""]
