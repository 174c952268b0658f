"""ConText cues and scopes on hand-built sentences."""
import spacy

import pipeline.tokenizer  # noqa: F401
from pipeline.context import ContextMatcher
from pipeline.rules import load_context_rules


def _sent(text):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": pipeline.tokenizer.TOKENIZER_NAME}}})
    doc = nlp(text)
    return doc[:]


def _index(span, word):
    return next(t.i for t in span if t.text == word)


def test_context_forward_negation_scope_stops_at_terminator():
    matcher = ContextMatcher(load_context_rules())
    span = _sent("Aspirin does not cause nausea but it causes bleeding")
    cues = matcher.cues(span)
    assert matcher.negation_covering(cues, [_index(span, "nausea")]) is not None
    assert matcher.negation_covering(cues, [_index(span, "bleeding")]) is None


def test_context_pseudo_negation_is_not_negation():
    matcher = ContextMatcher(load_context_rules())
    span = _sent("While not everyone experiences this side effect it causes fatigue")
    assert matcher.negation_covering(matcher.cues(span), [_index(span, "fatigue")]) is None
    assert matcher.hedges(matcher.cues(span))  # "not everyone" hedges


def test_context_hedge_and_withdrawal_cues():
    matcher = ContextMatcher(load_context_rules())
    cues = matcher.cues(_sent("Stopping it abruptly may lead to seizures"))
    assert matcher.hedges(cues) and matcher.withdrawal(cues)
    assert not matcher.hedges(matcher.cues(_sent("Withdrawal symptoms may include anxiety")))


def test_context_backward_negation():
    matcher = ContextMatcher(load_context_rules())
    span = _sent("Liver damage was not observed in the trial")
    assert matcher.negation_covering(matcher.cues(span), [_index(span, "damage")]) is not None


def test_context_component_marks_mentions(rules_nlp):
    doc = rules_nlp("Ibuprofen does not cause insomnia. Ibuprofen may cause nausea.")
    flags = {e.text: (e._.negated, e._.hedged) for e in doc.ents}
    assert flags["insomnia"] == (True, False)
    assert flags["nausea"] == (False, True)


def test_context_negation_in_a_concessive_clause_ends_at_its_comma():
    matcher = ContextMatcher(load_context_rules())
    span = _sent("Thalidomide, though never approved in the United States, led to birth defects")
    cues = matcher.cues(span)
    assert matcher.negation_covering(cues, [_index(span, "defects")], span.doc) is None
    assert matcher.negation_covering(cues, [_index(span, "United")], span.doc) is not None
    plain = _sent("Thalidomide was never approved and led to birth defects")
    assert matcher.negation_covering(matcher.cues(plain), [_index(plain, "defects")], plain.doc) is not None


def test_context_no_worse_than_is_no_negation(rules_nlp):
    doc = rules_nlp("With an NSAID, cancer pain was reduced to no worse than mild pain after two weeks.")
    claim = next(c for c in doc._.claims if c.drug == "NSAID")
    assert claim.relation == "TREATS" and claim.certainty == "asserted"
