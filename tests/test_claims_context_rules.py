"""Enumeration completion, name filtering, one label per name, compound mechanisms, populations of a claim."""
from __future__ import annotations

from spacy.tokens import Span

from claim_helpers import claims


def test_list_items_the_recognisers_missed_become_effects(rules_nlp):
    text = ("The most common side effects of metformin in trials included nausea, cold symptoms (runny nose), "
            "sneezing, high or increased blood pressure, and dizziness.")
    effects = {c[2] for c in claims(rules_nlp, text) if c[0] == "ADVERSE_EFFECT"}
    assert {"nausea", "sneezing", "dizziness"} <= effects
    assert "high" not in effects  # a modifier shared with the next item is not an item


def test_a_list_without_any_recognised_effect_adds_nothing(rules_nlp):
    from pipeline.enumerations import missed_list_items

    doc = rules_nlp("Side effects included tables, chairs and lamps.")
    sent = next(iter(doc.sents))
    assert missed_list_items(sent, [doc[2].i], []) == []


def test_unlinked_mention_in_a_name_context_is_dropped(nlp):
    from pipeline.name_filter import in_name_context
    from pipeline.rules import load_name_context

    doc = nlp.make_doc("The drug is safe, Lenihan said.")
    ent = Span(doc, 5, 6, label="CHEMICAL")
    assert in_name_context(ent, load_name_context(), set())
    doc = nlp.make_doc("Patients took cimaglermin for a month.")
    assert not in_name_context(Span(doc, 2, 3, label="CHEMICAL"), load_name_context(), set())
    doc = nlp.make_doc("It might cause constipation, Hemila said, and nothing else.")
    assert in_name_context(Span(doc, 5, 7, label="CONDITION"), load_name_context(), set())  # speaker + verb as one
    assert not in_name_context(Span(doc, 3, 4, label="CONDITION"), load_name_context(), set())


def test_name_filter_credentials_and_other_occurrences(nlp):
    from pipeline.name_filter import NameFilter, in_name_context
    from pipeline.rules import load_name_context

    rules = load_name_context()
    doc = nlp.make_doc("Study Authors Ran Schwarzkopf MD, Jonathan Vigdorchik MD./p>")
    i = [t.i for t in doc if t.text == "Jonathan"][0]
    assert in_name_context(Span(doc, i, i + 1, label="CHEMICAL"), rules, set())  # title-case line, but "MD" follows
    split = nlp.get_pipe("drugclaims_sentences")
    doc = split(nlp.make_doc("Lead author Jonathan Vigdorchik, MD, said so. Jonathan was cited."))
    last = [t.i for t in doc if t.text == "Jonathan"][-1]
    doc.ents = [Span(doc, last, last + 1, label="CHEMICAL")]  # tagged only where its context says nothing
    assert not NameFilter(nlp, "f", rules=rules)(doc).ents
    doc = split(nlp.make_doc("Patients took Zorbamab daily. Zorbamab was well tolerated."))
    i = [t.i for t in doc if t.text == "Zorbamab"][0]
    doc.ents = [Span(doc, i, i + 1, label="CHEMICAL")]
    assert NameFilter(nlp, "f", rules=rules)(doc).ents


def test_name_filter_degrees_clitics_and_dash_datelines(nlp):
    from pipeline.name_filter import NameFilter
    from pipeline.rules import load_name_context

    name_filter = NameFilter(nlp, "f", rules=load_name_context())
    doc = nlp.make_doc("Andrea Des Marais, MPH, said women who’ve had tests can wait.")
    doc.ents = [Span(doc, 4, 5, label="CHEMICAL"), Span(doc, 9, 10, label="CHEMICAL")]  # "MPH", "’ve"
    assert [e.text for e in doc.ents] == ["MPH", "’ve"]
    assert not name_filter(doc).ents
    doc = nlp.make_doc("CINCINNATI--Following a concussion, CINCINNATI doctors tried it.")
    doc.ents = [Span(doc, 0, 1, label="CHEMICAL")]
    assert not name_filter(doc).ents


def test_name_filter_agencies_and_a_name_after_says(nlp):
    from pipeline.name_filter import NameFilter, in_name_context
    from pipeline.rules import load_name_context

    rules = load_name_context()
    doc = nlp.make_doc("The CDC and CNN reported it.")
    doc.ents = [Span(doc, 1, 2, label="CHEMICAL"), Span(doc, 3, 4, label="CHEMICAL")]
    assert not NameFilter(nlp, "f", rules=rules)(doc).ents
    doc = nlp.make_doc("Treatment reduced the viral load, says Pan.")
    assert in_name_context(Span(doc, 7, 8, label="CHEMICAL"), rules, set())


def test_name_filter_a_short_form_defined_as_an_organisation(nlp):
    doc = nlp("Researchers at the Children's Hospital of Philadelphia (CHOP) tested it. CHOP researchers treated hemophilia B.")
    assert "CHOP" not in {e.text for e in doc.ents}
    doc = nlp("Cyclophosphamide, doxorubicin, vincristine and prednisone (CHOP) treat lymphoma. CHOP is given every three weeks.")
    assert "CHOP" in {e.text for e in doc.ents if e.label_ == "CHEMICAL"}


def test_name_filter_a_first_name_after_a_role_even_when_linked(nlp):
    doc = nlp("Treatments for depression fail, said senior author Ruben Abagyan, PhD. Researchers gave aspirin to patients.")
    assert "Ruben" not in {e.text for e in doc.ents}
    assert "aspirin" in {e.text for e in doc.ents}


def test_claims_an_agency_name_holds_no_drug():
    import spacy

    from pipeline.claim_phrases import in_organisation_name

    doc = spacy.blank("en")("According to the Centers for Disease Control and Prevention, it works.")
    assert in_organisation_name(doc, doc[8:9])  # "Prevention"


def test_claims_a_test_named_after_a_chemical_is_no_drug(nlp):
    assert not [c for c in nlp("The most common adverse reactions were vaginal discharge and abnormal Pap smear.")._.claims
                if c.drug.lower() == "pap"]


def test_name_filter_keeps_linked_mentions(nlp):
    doc = nlp("Aspirin can cause bleeding, Smith said. Aspirin said to help, according to a headline.")
    assert any(e.text == "Aspirin" and e.label_ == "CHEMICAL" for e in doc.ents)


def test_one_label_per_name_and_missed_occurrences_added(nlp):
    from pipeline.propagation import Propagation

    doc = nlp.make_doc("The drug zorbamab was tested. Zorbamab binds HER2. Later zorbamab was stopped.")
    doc.ents = [Span(doc, 2, 3, label="GENE_OR_PROTEIN"), Span(doc, 11, 12, label="GENE_OR_PROTEIN")]
    doc = Propagation(nlp, "p")(doc)
    labels = {(e.start, e.label_) for e in doc.ents}
    # "the drug zorbamab" outweighs one protein reading; the sentence-initial occurrence is added
    assert (2, "CHEMICAL") in labels and (6, "CHEMICAL") in labels and (11, "CHEMICAL") in labels


def test_compound_mechanism_gives_target_and_action(rules_nlp):
    found = rules_nlp("The study involved an estrogen-blocking pill called tamoxifen, used for breast cancer.")._.claims
    mechanism = [c for c in found if c.relation == "MECHANISM"]
    assert mechanism and mechanism[0].effect.lower() == "estrogen" and mechanism[0].mechanism == "estrogen-blocking"
    assert not any(c.relation == "MECHANISM" for c in rules_nlp("A cholesterol-lowering effect of statins was seen.")._.claims)


def test_purpose_is_not_a_mechanism(rules_nlp):
    found = rules_nlp("Aspirin was studied. The trial was designed to see if aspirin is safe.")._.claims
    assert not any(c.relation == "MECHANISM" for c in found)


def test_claim_population_from_its_own_sentence(rules_nlp):
    text = ("Metformin is used by adults with type 2 diabetes. But patients in both drug groups faced a higher "
            "risk of side effects, including diarrhea and headache.")
    found = [c for c in rules_nlp(text)._.claims if c.relation == "ADVERSE_EFFECT" and c.effect == "diarrhea"]
    assert found and found[0].population == "patients in both drug groups"


def test_bare_counts_and_treatment_arms_are_not_the_indication_population(rules_nlp):
    text = ("Metformin treats type 2 diabetes in adults with type 2 diabetes. Metformin (303 patients) or placebo "
            "(61 patients) was given, and metformin treats type 2 diabetes.")
    doc = rules_nlp(text)
    bare = [s.text for s in doc.spans["POPULATION"] if s._.bare_count]
    assert "303 patients" in bare
    treats = [c for c in doc._.claims if c.relation == "TREATS"]
    assert treats and all("303" not in c.population for c in treats)


def test_population_span_stops_before_a_reporting_verb(rules_nlp):
    doc = rules_nlp("A review of the pill for women with low sexual desire says the drug does little.")
    assert "women with low sexual desire" in [s.text for s in doc.spans["POPULATION"]]


def test_cause_phrase_is_not_a_population(rules_nlp):
    doc = rules_nlp("Baclofen relieves pain from various neurological disorders. It caused brain swelling from water retention.")
    populations = [s.text for s in doc.spans["POPULATION"]]
    assert "various neurological disorders" in populations
    assert "water retention" not in populations


def test_list_items_that_are_clauses_are_no_effects(rules_nlp):
    text = "The most common side effects of pentoxifylline were nausea, dizziness, and the drug was well tolerated."
    effects = {c[2] for c in claims(rules_nlp, text) if c[0] == "ADVERSE_EFFECT"}
    assert "nausea" in effects and not any("tolerated" in e for e in effects), effects
