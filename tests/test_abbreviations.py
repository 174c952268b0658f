def test_abbreviations_short_form_takes_the_long_forms_concept(rules_nlp):
    doc = rules_nlp("Baclofen mimics gamma-aminobutyric acid (GABA). GABA calms nerve cells.")
    gaba = [e for e in doc.ents if e.text == "GABA"]
    long_form = next(e for e in doc.ents if e.text == "gamma-aminobutyric acid")
    assert len(gaba) == 2
    assert all(e._.concept_id == long_form._.concept_id and e.label_ == long_form.label_ for e in gaba)


def test_abbreviations_unknown_long_form_changes_nothing(rules_nlp):
    doc = rules_nlp("The Widget Assessment Tool (WAT) was used. WAT scores rose.")
    assert not [e for e in doc.ents if e.text == "WAT"]


def test_abbreviations_plain_words_in_brackets_are_no_short_form(rules_nlp):
    """Schwartz & Hearst also pair "aspirin (one study)"; every later "one study" must not become aspirin."""
    doc = rules_nlp("Trials compared pentoxifylline with aspirin (one study) and nifedipine (one study). "
                    "One study was small.")
    assert not any("study" in e.text.lower() for e in doc.ents), [(e.text, e.label_) for e in doc.ents]


def test_abbreviations_acronym_after_comma_or_takes_the_mentions_label(rules_nlp):
    doc = rules_nlp("Age-related macular degeneration, or AMD, is the leading cause of vision loss. AMD is common.")
    assert [e.label_ for e in doc.ents if e.text == "AMD"] == ["CONDITION", "CONDITION"]


def test_abbreviations_a_disease_inside_a_proteins_long_form_does_not_make_it_a_disease(rules_nlp):
    from spacy.tokens import Span

    from pipeline.abbreviations import _covering_entity

    doc = rules_nlp.make_doc("Wiskott-Aldrich syndrome protein (WASP) is lost in Wiskott-Aldrich syndrome.")
    end = [t.i for t in doc if t.text == "protein"][0]
    disease = Span(doc, 0, end, label="CONDITION")  # "Wiskott-Aldrich syndrome", without "protein"
    doc.ents = [disease]
    assert _covering_entity(doc, doc[0 : end + 1]) is None
    assert _covering_entity(doc, doc[0:end]) == disease
