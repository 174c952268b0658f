"""The project's tokenizer (scispaCy's rules plus the compound splits the annotated corpora need)."""
from __future__ import annotations

import pytest
import spacy

from pipeline import tokenizer
from pipeline.rules import load_name_context, load_slot_patterns
from pipeline.slots import find_doses, find_populations


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": tokenizer.TOKENIZER_NAME}}})


def _tokens(nlp, text):
    return [t.text for t in nlp(text)]


def test_v2_splits_slash_and_hyphen_compounds_the_corpora_annotate_inside(nlp):
    assert _tokens(nlp, "urticaria/angioedema") == ["urticaria", "/", "angioedema"]
    assert _tokens(nlp, "ADR-nephropathy") == ["ADR", "-", "nephropathy"]
    assert _tokens(nlp, "baclofen-induced seizures") == ["baclofen", "-", "induced", "seizures"]
    assert _tokens(nlp, "5 mg/kg") == ["5", "mg", "/", "kg"]


def test_v2_keeps_short_and_numeric_compounds_whole(nlp):
    assert _tokens(nlp, "follow-up of COVID-19") == ["follow-up", "of", "COVID-19"]
    assert _tokens(nlp, "a 1-in-100 risk") == ["a", "1-in-100", "risk"]


def test_v3_splits_a_bracketed_short_form_before_a_hyphen_compound(nlp):
    assert _tokens(nlp, "Methamphetamine (MA)-induced toxicity") == [
        "Methamphetamine", "(", "MA", ")", "-", "induced", "toxicity"]
    assert _tokens(nlp, "puromycin aminonucleoside (PAN)/saline") == [
        "puromycin", "aminonucleoside", "(", "PAN", ")", "/", "saline"]
    # stereo descriptors and charges stay whole
    assert _tokens(nlp, "(+)-cibenzoline and (R)-warfarin") == ["(+)", "-", "cibenzoline", "and", "(R)", "-", "warfarin"]
    assert _tokens(nlp, "Ca(2+)-dependent") == ["Ca(2+)", "-", "dependent"]
    v2 = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": tokenizer.TOKENIZER_V2}}})
    assert "(MA)" in [t.text for t in v2("Methamphetamine (MA)-induced toxicity")]  # what v3 mends


def test_v1_still_loads_for_pipelines_saved_with_it():
    v1 = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": tokenizer.TOKENIZER_V1}}})
    assert [t.text for t in v1("urticaria/angioedema after baclofen-induced ADR-nephropathy")] == [
        "urticaria/angioedema", "after", "baclofen", "-", "induced", "ADR-nephropathy"]


def test_split_compound_matches_the_tokenizer(nlp):
    for word in ["middle-aged", "mg/kg", "estrogen-blocking", "follow-up", "co-authors", "non-steroidal"]:
        assert tokenizer.split_compound(word) == _tokens(nlp, word), word


def test_compound_bounds_join_tokens_written_without_spaces(nlp):
    doc = nlp("middle-aged and high - risk adults")
    assert tokenizer.compound_start(doc, 3) == 0  # "middle - aged" ends at token 2
    assert tokenizer.compound_end(doc, 0) == 3
    assert tokenizer.compound_start(doc, 7) == 6  # spaced hyphen: "risk" alone
    assert tokenizer.compound_end(doc, 4) == 5


def test_slot_rules_see_hyphenated_modifiers_as_one_word(nlp):
    patterns = load_slot_patterns()
    doc = nlp("Middle-aged women and high-risk adults took 5 mg/kg of it.")
    assert [s.text for s in find_populations(doc, patterns)] == ["Middle-aged women", "high-risk adults"]
    assert [s.text for s in find_doses(doc, patterns)] == ["5 mg/kg"]


def test_hyphenated_colleague_words_still_mark_a_person_name(nlp):
    from pipeline.name_filter import in_name_context
    from spacy.tokens import Span

    doc = nlp("Lenihan and his co-authors wrote it.")
    ent = Span(doc, 0, 1, label="CHEMICAL")
    assert in_name_context(ent, load_name_context(), set())


def test_v2_keeps_web_addresses_whole_and_the_shipped_model_uses_it(nlp):
    """Path words of a link ("drugs", "safety") must never become mentions now that "/" and "-" split words."""
    assert _tokens(nlp, "see https://www.fda.gov/drugs/drug-safety.") == ["see", "https://www.fda.gov/drugs/drug-safety", "."]
    assert _tokens(nlp, "(www.nhs.uk/medicines/ibuprofen)") == ["(", "www.nhs.uk/medicines/ibuprofen", ")"]
    from pipeline.loader import NER_MODEL_DIR

    shipped = spacy.load(NER_MODEL_DIR)
    assert [t.text for t in shipped.tokenizer("HTTPS://x.org/a-b and urticaria/angioedema")] == [
        "HTTPS://x.org/a-b", "and", "urticaria", "/", "angioedema"]
