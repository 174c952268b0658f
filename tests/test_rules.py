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
