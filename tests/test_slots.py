import pytest

from pipeline.rules import load_slot_patterns
from pipeline.slots import band_for_share, find_doses, find_frequencies, find_populations


@pytest.fixture(scope="module")
def patterns():
    return load_slot_patterns()


def test_slots_frequency_words_ranges_and_numbers(rules_nlp, patterns):
    doc = rules_nlp.make_doc("It is an infrequent to rare event; about 5% of users and 1 in 100 people get it; nausea is very common.")
    found = {span.text: band for span, band in find_frequencies(doc, patterns)}
    assert found["infrequent to rare"] == "uncommon;rare"
    assert found["about 5%"] == "common"
    assert found["1 in 100"] == "common"
    assert found["very common"] == "very_common"


def test_slots_comparative_is_not_a_frequency(rules_nlp, patterns):
    doc = rules_nlp.make_doc("It appears more frequently in women.")
    assert find_frequencies(doc, patterns) == []


def test_slots_band_thresholds():
    assert band_for_share(0.2) == "very_common"
    assert band_for_share(0.02) == "common"
    assert band_for_share(0.002) == "uncommon"
    assert band_for_share(0.0002) == "rare"
    assert band_for_share(0.00001) == "very_rare"


def test_slots_doses(rules_nlp, patterns):
    doc = rules_nlp.make_doc("At higher doses, or 200 mg a day, and 10mg/day, bleeding is more likely.")
    assert [s.text for s in find_doses(doc, patterns)] == ["higher doses", "200 mg a day", "10mg/day"]


def test_slots_populations(rules_nlp, patterns):
    doc = rules_nlp.make_doc("It is used in individuals with multiple sclerosis or spinal cord injuries. Older adults and pregnant women should ask.")
    texts = [s.text for s in find_populations(doc, patterns)]
    assert "individuals with multiple sclerosis or spinal cord injuries" in texts
    assert "Older adults" in texts and "pregnant women" in texts


def test_slots_population_groups_are_normalised(rules_nlp):
    doc = rules_nlp("Older adults and pregnant women should avoid it. People with asthma may wheeze.")
    groups = {s.text: s._.concept_name for s in doc.spans["POPULATION"]}
    assert groups["Older adults"] == "older adults"
    assert groups["pregnant women"] == "pregnancy"
    assert groups["People with asthma"] == "condition-defined"


def test_slots_animal_subjects_are_a_population_not_a_count(rules_nlp):
    doc = rules_nlp("Their studies in adult mice show that the drug reversed the damage. 300 patients took part.")
    spans = {s.text: s for s in doc.spans["POPULATION"]}
    assert spans["adult mice"]._.concept_name == "animals" and not spans["adult mice"]._.bare_count
    assert spans["300 patients"]._.bare_count


def test_slots_dose_compounds_regimens_and_use(rules_nlp, patterns):
    doc = rules_nlp.make_doc("Long-term use of low-dose aspirin, a 120-milligram dose three times daily, 81 mg daily, "
                             "a once-daily pill taken twice a day or as needed; a daily routine.")
    assert [s.text for s in find_doses(doc, patterns)] == [
        "Long-term use", "low-dose", "120-milligram", "three times daily", "81 mg daily", "once-daily", "twice a day",
        "as needed"]  # "daily routine": no drug after "daily"


def test_slots_daily_and_duration_next_to_a_drug(rules_nlp, patterns):
    doc = rules_nlp("Daily aspirin can cause bleeding. Taking tamoxifen for five years cut deaths; for two years, "
                    "nothing changed.")
    assert [s.text for s in find_doses(doc, patterns)] == ["Daily", "for five years"]


def test_slots_fractions_shares_of_a_group_and_out_of_every(rules_nlp, patterns):
    doc = rules_nlp.make_doc("About two-thirds of patients, half of the women, twenty of the 44 children and six out "
                             "of every 1,000 people had it; it cut the risk by half the risk. It was most commonly reported.")
    found = {span.text: band for span, band in find_frequencies(doc, patterns)}
    assert found == {"About two-thirds": "very_common", "half": "very_common", "twenty of the 44": "very_common",
                     "six out of every 1,000": "uncommon", "most commonly": "very_common"}


def test_slots_a_dose_tied_to_the_drug_holds_for_its_claims(nlp):
    doc = nlp("Doctors recommend aspirin (81 milligrams) for some adults. Aspirin can cause stomach bleeding.")
    claim = next(c for c in doc._.claims if c.effect == "stomach bleeding")
    assert claim.dose == "81 milligrams"


def test_slots_a_relative_change_has_no_frequency_band(rules_nlp, patterns):
    doc = rules_nlp.make_doc("It cut the risk by 38 percent, with a 22 percent lower risk of death; 5% of users had "
                             "nausea.")
    found = {span.text: band for span, band in find_frequencies(doc, patterns)}
    assert found == {"38 percent": "", "22 percent": "", "5%": "common"}


def test_slots_numbers_written_as_words_with_tens_and_units(rules_nlp, patterns):
    doc = rules_nlp.make_doc("Twenty-eight percent had confusion, twenty seven percent had fever and nineteen of the "
                             "40 children had a rash.")
    found = {span.text: band for span, band in find_frequencies(doc, patterns)}
    # not "eight percent" and "seven percent": the tens word belongs to the number
    assert found == {"Twenty-eight percent": "very_common", "twenty seven percent": "very_common",
                     "nineteen of the 40": "very_common"}


def test_slots_quantified_groups_of_people_are_frequencies_without_a_band(rules_nlp, patterns):
    doc = rules_nlp.make_doc("Some patients had itching, nearly all of the volunteers felt anxious, some older women "
                             "had hot flashes and not everyone gets drowsy; some studies disagree.")
    found = {span.text: band for span, band in find_frequencies(doc, patterns)}
    # "some studies" counts no people
    assert found == {"Some patients": "", "nearly all of the volunteers": "", "some older women": "",
                     "not everyone": ""}


def test_slots_a_quantified_group_gives_the_claim_its_frequency(nlp):
    doc = nlp("Some patients taking Xalatan experienced itchiness and eye redness.")
    claims = {c.effect: c for c in doc._.claims if c.drug == "Xalatan"}
    assert claims["itchiness"].frequency == "Some patients" and claims["itchiness"].frequency_band == ""


def test_slots_a_dose_in_the_next_sentence_about_the_drug_holds_for_its_claims(nlp):
    # the doses are not tied to the drug's name ("40 mg of suvorexant" would hold for every claim of the article)
    doc = nlp("Suvorexant shortened the time people with insomnia needed to fall asleep. Volunteers took suvorexant "
              "at bedtime, at a dose of 40 mg. The study was paid for by Merck. Aspirin can cause stomach bleeding. "
              "Most adults took aspirin in a dose of 81 milligrams.")
    claims = {c.drug.lower(): c for c in doc._.claims}
    assert claims["suvorexant"].relation == "TREATS" and claims["suvorexant"].dose == "40 mg"
    assert claims["aspirin"].dose == "81 milligrams"


def test_slots_a_dose_two_sentences_away_or_shared_by_two_drugs_is_not_the_claims(nlp):
    doc = nlp("Suvorexant shortened the time people with insomnia needed to fall asleep. The study was paid for by "
              "Merck. Volunteers took suvorexant at bedtime, at a dose of 40 mg. Aspirin can cause stomach bleeding. "
              "Some took aspirin or ibuprofen, in doses of 81 and 200 milligrams.")
    claims = {c.drug.lower(): c for c in doc._.claims}
    assert claims["suvorexant"].dose == ""
    assert claims["aspirin"].dose == ""


def test_slots_population_keeps_the_type_of_a_numbered_disease(nlp):
    doc = nlp("The study enrolled Type 1 diabetic patients who took metformin for pain.")
    assert "Type 1 diabetic patients who took metformin" in [s.text for s in doc.spans["POPULATION"]]


def test_slots_frequency_adverbs_have_no_band(nlp):
    claim = [c for c in nlp("Statins sometimes cause muscle pain.")._.claims if c.relation == "ADVERSE_EFFECT"]
    assert [(c.effect, c.frequency, c.frequency_band) for c in claim] == [("muscle pain", "sometimes", "")]


def test_slots_how_often_is_no_frequency(nlp):
    assert [s.text for s in nlp("How often side effects occur with statins is unclear.").spans["FREQUENCY"]] == []


def test_slots_regimens_written_with_per(nlp):
    doc = nlp("Lucentis was injected once per month for three months to treat macular degeneration.")
    assert [s.text for s in doc.spans["DOSE"]] == ["once per month"]


def test_slots_the_length_of_a_course_and_administration_nouns_are_doses(rules_nlp, patterns):
    doc = rules_nlp.make_doc("Two weeks of daily treatment helped, and after 48 weeks of therapy, weekly injections and "
                             "a single infusion were enough.")
    assert [s.text for s in find_doses(doc, patterns)] == [
        "Two weeks of daily treatment", "48 weeks of therapy", "weekly injections", "single infusion"]


def test_slots_a_length_that_is_no_course_of_treatment_is_no_dose(rules_nlp, patterns):
    doc = rules_nlp.make_doc("After two years of follow-up and three months of waiting, 40 percent of the patients improved.")
    assert find_doses(doc, patterns) == []


def test_slots_the_length_of_a_course_of_a_named_drug_holds_for_its_claims(nlp):
    doc = nlp("Three months of tamoxifen treatment lowered the risk of breast cancer.")
    assert [c.dose for c in doc._.claims if c.drug.lower() == "tamoxifen"] == ["Three months of tamoxifen treatment"]
