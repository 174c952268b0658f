import json

import pytest

from pipeline import rules


def test_rules_all_shipped_files_validate():
    assert rules.load_relation_cues().cues
    assert rules.load_context_rules().negation_forward
    assert rules.load_slot_patterns().frequency_terms
    assert rules.load_furniture_rules().line_patterns
    assert rules.load_lexicon_extra()
    assert "CONDITION" in rules.load_stoplist()


def test_rules_unknown_key_is_rejected_with_allowed_keys(tmp_path):
    (tmp_path / "furniture.json").write_text(json.dumps({"line_patterns": [], "max_link_title_word": 3}))
    with pytest.raises(rules.RuleFileError) as err:
        rules._load("furniture.json", rules.FurnitureRules, tmp_path)
    assert "max_link_title_word" in str(err.value) and "allowed keys" in str(err.value)


def test_rules_bad_relation_is_rejected(tmp_path):
    (tmp_path / "cues.json").write_text(json.dumps({"cues": [{"phrase": "causes", "relation": "CAUSES"}]}))
    with pytest.raises(rules.RuleFileError):
        rules._load("cues.json", rules.RelationCues, tmp_path)


def test_rules_missing_and_broken_files_say_which(tmp_path):
    with pytest.raises(rules.RuleFileError, match="missing"):
        rules._load("nope.json", rules.Stoplist, tmp_path)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(rules.RuleFileError, match="not valid JSON"):
        rules._load("bad.json", rules.Stoplist, tmp_path)


def test_rules_a_phrase_may_name_several_relations_but_each_once(tmp_path):
    two = [{"phrase": "targets", "relation": "MECHANISM"}, {"phrase": "targets", "relation": "TREATS"}]
    assert len(rules.RelationCues(cues=two).cues) == 2
    (tmp_path / "cues.json").write_text(json.dumps({"cues": two + [{"phrase": "targets", "relation": "TREATS"}]}))
    with pytest.raises(rules.RuleFileError, match="given twice"):
        rules._load("cues.json", rules.RelationCues, tmp_path)


def _vocabulary(tmp_path, classes, **top):
    (tmp_path / "vocabulary.json").write_text(json.dumps({"word_classes": classes, **top}))
    return rules._load("vocabulary.json", rules.Vocabulary, tmp_path)


def test_rules_shipped_vocabulary_loads_and_is_what_the_code_uses():
    from pipeline.claim_phrases import BENEFIT_COMPOUNDS, INDICATION_NOUNS, RISK_WORDS, VACCINE_NOUNS

    vocabulary = rules.load_vocabulary()
    decrease = vocabulary.words("decrease_words")
    assert isinstance(decrease, frozenset) and {"reduced", "halved"} <= decrease
    assert RISK_WORDS == vocabulary.words("risk_words") and "incidence" in RISK_WORDS
    assert VACCINE_NOUNS <= INDICATION_NOUNS
    assert BENEFIT_COMPOUNDS == vocabulary.relations("benefit_compounds")
    assert BENEFIT_COMPOUNDS["preventing"] == "PREVENTS"


def test_rules_every_vocabulary_class_is_used_by_the_code():
    from pipeline.paths import PACKAGE_DIR

    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE_DIR.glob("*.py"))
    vocabulary = rules.load_vocabulary()
    unused = [name for name in vocabulary.word_classes if f'.words("{name}")' not in source]
    unused += [name for name in vocabulary.word_relations if f'.relations("{name}")' not in source]
    assert not unused, f"word classes no module asks for: {unused}"


def test_rules_vocabulary_rejects_unknown_keys_and_bad_words(tmp_path):
    good = {"about": "words that say a risk falls", "words": ["lower", "fell"]}
    assert _vocabulary(tmp_path, {"decrease_words": good}).words("decrease_words") == {"lower", "fell"}
    with pytest.raises(rules.RuleFileError) as err:
        _vocabulary(tmp_path, {"decrease_words": good}, word_lists={})
    assert "word_lists" in str(err.value) and "allowed keys: word_classes, word_relations" in str(err.value)
    with pytest.raises(rules.RuleFileError, match="lower-case"):
        _vocabulary(tmp_path, {"decrease_words": {**good, "words": ["lower", "Fell"]}})
    with pytest.raises(rules.RuleFileError, match="lower-case"):
        _vocabulary(tmp_path, {"decrease_words": {**good, "words": ["lower", " "]}})
    with pytest.raises(rules.RuleFileError, match=r"words given twice: \['lower'\]"):
        _vocabulary(tmp_path, {"decrease_words": {**good, "words": ["lower", "fell", "lower"]}})
    with pytest.raises(rules.RuleFileError, match="at least one word"):
        _vocabulary(tmp_path, {"decrease_words": {**good, "words": []}})
    with pytest.raises(rules.RuleFileError, match="about"):
        _vocabulary(tmp_path, {"decrease_words": {"words": ["lower"]}})
    with pytest.raises(rules.RuleFileError, match="snake_case"):
        _vocabulary(tmp_path, {"Decrease words": good})
    relations = {"benefit_compounds": {"about": "x", "words": {"relieving": "CURES"}}}
    with pytest.raises(rules.RuleFileError):
        _vocabulary(tmp_path, {"decrease_words": good}, word_relations=relations)


def test_rules_vocabulary_names_its_classes_when_one_is_missing(tmp_path):
    vocabulary = _vocabulary(tmp_path, {"decrease_words": {"about": "falls", "words": ["lower"]},
                                        "risk_words": {"about": "risk", "words": ["risk"]}})
    with pytest.raises(rules.RuleFileError, match="no word class 'increase_words'; its word classes are: "
                                                 "decrease_words, risk_words"):
        vocabulary.words("increase_words")
    with pytest.raises(rules.RuleFileError, match="no word relations 'benefit_compounds'"):
        vocabulary.relations("benefit_compounds")
