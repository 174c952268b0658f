def test_abbreviations_short_form_takes_the_long_forms_concept(rules_nlp):
    doc = rules_nlp("Baclofen mimics gamma-aminobutyric acid (GABA). GABA calms nerve cells.")
    gaba = [e for e in doc.ents if e.text == "GABA"]
    long_form = next(e for e in doc.ents if e.text == "gamma-aminobutyric acid")
    assert len(gaba) == 2
    assert all(e._.concept_id == long_form._.concept_id and e.label_ == long_form.label_ for e in gaba)


def test_abbreviations_unknown_long_form_changes_nothing(rules_nlp):
    doc = rules_nlp("The Widget Assessment Tool (WAT) was used. WAT scores rose.")
    assert not [e for e in doc.ents if e.text == "WAT"]
