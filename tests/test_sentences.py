from pipeline.rules import load_furniture_rules
from pipeline.sentences import furniture_lines, is_heading, is_heading_sentence, split_lines

ARTICLE = (
    "Statins and Muscle Pain\n\n"
    "Atorvastatin lowers cholesterol. It can cause muscle pain, e.g. in older adults.\n\n"
    "Side effects include:\n  • Headache\n  • Nausea\n\n"
    "Sign up for our newsletter to get updates in your inbox\n\n"
    "What Is Gout and How Is It Treated?\n\n"
    "Ten Foods That Lower Blood Pressure\n\n"
    "Vitamin D: Benefits and Risks"
)


def test_sentences_split_on_lines_and_punctuation(rules_nlp):
    doc = rules_nlp(ARTICLE)
    sents = [s.text.strip() for s in doc.sents]
    assert "Atorvastatin lowers cholesterol." in sents
    assert "It can cause muscle pain, e.g. in older adults." in sents
    assert "• Headache" in sents and "• Nausea" in sents


def test_sentences_headings_and_questions_state_no_claims(rules_nlp):
    doc = rules_nlp(ARTICLE)
    by_text = {s.text.strip(): s for s in doc.sents}
    assert is_heading_sentence(doc, by_text["Statins and Muscle Pain"])
    assert not is_heading_sentence(doc, by_text["Atorvastatin lowers cholesterol."])


def test_sentences_trailing_link_titles_and_signup_are_furniture():
    lines = split_lines(ARTICLE)
    furniture = [line.text for line in furniture_lines(lines, load_furniture_rules())]
    assert furniture[0].startswith("Sign up for our newsletter")
    assert "Vitamin D: Benefits and Risks" in furniture and "Ten Foods That Lower Blood Pressure" in furniture
    assert not any("Atorvastatin" in f for f in furniture)


def test_sentences_heading_detection():
    line = split_lines("Understanding Baclofen's Purpose and Action")[0]
    assert is_heading(line)
    assert not is_heading(split_lines("Baclofen relieves spasms.")[0])


def test_sentences_end_after_a_unit(rules_nlp):
    # "mg" and "min" are written without a period; one after them ends the sentence
    doc = rules_nlp("It was compared with ibuprofen 400 mg. Dizziness was common. The rate was 3.5 mL/kg/min. The "
                    "trial ran for a year, approx. 12 months.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["It was compared with ibuprofen 400 mg.", "Dizziness was common.", "The rate was 3.5 mL/kg/min.",
                     "The trial ran for a year, approx. 12 months."]
