"""From sentence supports to claim records: supports of the same (drug, relation, effect) across an article become one
``Claim`` whose certainty is the majority's, whose slots come from every support (the article's population when
none names one) and whose confidence combines the supports' scores through the calibration."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from spacy.tokens import Doc

from pipeline.claim_confidence import ArticleFacts, claim_features, confidence
from pipeline.claim_phrases import comparison_group
from pipeline.claim_support import CONDITION_RELATIONS, Support, mention_of
from pipeline.records import Claim
from pipeline.rules import Calibration
from pipeline.textnorm import normalise_text


def indication_over_harm(supports: list[Support]) -> list[Support]:
    """A drug that the article says, in more sentences, treats or prevents a condition is not also claimed to cause
    it from fewer: "guselkumab ... psoriasis" in four sentences of benefit and one "patients with psoriasis ... linked
    to" is the disease's context, not a harm. (A drug both preventing and causing fractures, in as many or more
    sentences of harm, keeps both claims.)"""
    sentences: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for s in supports:
        family = "TREATS" if s.relation in ("TREATS", "PREVENTS") else s.relation
        sentences[(s.drug.key, s.effect.key, family)].add(s.sentence_index)
    return [s for s in supports if not (
        s.relation == "ADVERSE_EFFECT"
        and len(sentences[(s.drug.key, s.effect.key, "TREATS")]) > len(sentences[(s.drug.key, s.effect.key, "ADVERSE_EFFECT")]))]


def article_populations(doc: Doc, headings: dict[int, bool]) -> list[str]:
    """Populations the article names outside headings, defining ones first ("patients with heart failure", "older
    adults"); ``headings`` maps a sentence start to whether that sentence is a heading."""
    spans = [s for s in doc.spans.get("POPULATION", [])
             if not s._.bare_count and not comparison_group(s) and not headings.get(doc[s.start].sent.start, False)]
    defined = [s for s in spans if s._.concept_id and s._.concept_id != "GROUP:animals"]  # who a drug is for
    return unique(s.text for s in defined + spans)


def fallback_population(populations: list[str], effect: str, relation: str) -> list[str]:
    """The study/indication population of the article when the claim's own sentences name none."""
    if not populations:
        return []
    if relation in {"TREATS", "PREVENTS"}:
        naming = [p for p in populations if normalise_text(effect) in normalise_text(p)]
        if naming:
            return naming[:1]
    return populations[:1]


_DOSE_LINK = {"of", "the", "a", "an", "oral", "daily", "-"}


def drug_doses(doc: Doc) -> dict[str, list[str]]:
    """Doses the article ties to a drug's name, by the drug's mention key: "low-dose aspirin", "12.5 mg of
    enclomiphene", "higher doses of ibuprofen", "aspirin (75 milligrams)", "Jardiance, a once-daily pill". They
    hold for every claim about that drug whose own sentences name no dose."""
    chemicals = [e for e in doc.ents if e.label_ == "CHEMICAL"]
    starts = {e.start: e for e in chemicals}
    ends = {e.end: e for e in chemicals}
    out: dict[str, list[str]] = defaultdict(list)
    for dose in doc.spans.get("DOSE", []):
        drug = next((e for e in chemicals if e.start <= dose.start and dose.end <= e.end), None)  # inside the name
        i = dose.end
        while drug is None and i < min(len(doc), dose.end + 3) and (i in starts or doc[i].lower_ in _DOSE_LINK):
            drug = starts.get(i)  # "40 mg suvorexant", "12.5 mg of oral enclomiphene"
            i += 1
        j = dose.start
        while drug is None and j > max(0, dose.start - 3) and doc[j - 1].text in ("(", ",", "a", "an", "-"):
            j -= 1
            drug = ends.get(j) if doc[j].text in ("(", ",") else None  # "aspirin (75 milligrams)", "X, a once-daily pill"
        if drug is not None:
            out[mention_of(drug).key].append(dose.text)
    return out


# how far a dose stated with a drug's name may be from a claim about that drug: the sentence before or after ("The
# study gave 40 mg of suvorexant. It shortened the time to fall asleep"); farther doses are often another arm's or
# another claim's (tuning articles: 6 more right of 175, 8 more filled; whole article: 21 more right, 81 more filled)
_DOSE_SENTENCE_WINDOW = 1


def sentence_doses(doc: Doc) -> dict[str, list[tuple[int, list[str]]]]:
    """Doses of the sentences that name one drug and no other, by the drug's mention key: [(sentence index, doses)].
    "Participants got 10, 20, 40 or 80 mg of MK-4305": what the article says of that drug's dose, for a claim of the
    next or previous sentence whose own sentences and drug name carry none."""
    out: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    doses = doc.spans.get("DOSE", [])
    if not doses:
        return out
    for index, sent in enumerate(doc.sents):
        inside = [d.text for d in doses if sent.start <= d.start < sent.end]
        if not inside:
            continue
        keys = {mention_of(e).key for e in sent.ents if e.label_ == "CHEMICAL"}
        if len(keys) == 1:
            out[keys.pop()].append((index, inside))
    return out


def nearest_doses(named: list[tuple[int, list[str]]], index: int) -> list[str]:
    """The doses of the sentence nearest to sentence ``index`` (the earlier one on a tie), if it is next to it."""
    named = [n for n in named if abs(n[0] - index) <= _DOSE_SENTENCE_WINDOW]
    if not named:
        return []
    return min(named, key=lambda item: (abs(item[0] - index), item[0]))[1]


def group_certainty(members: list[Support]) -> str:
    """The certainty most supporting sentences give the claim; a tie goes to the strongest support."""
    votes: dict[str, float] = defaultdict(float)
    for s in members:
        votes[s.certainty] += 1.0 + 0.01 * s.score
    return max(votes, key=votes.get)


def unique(values) -> list:
    """Non-empty values in first-seen order, strings compared after normalisation."""
    seen, out = set(), []
    for value in values:
        key = normalise_text(value) if isinstance(value, str) else value
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _mechanisms_by_drug(groups: dict[tuple[str, str, str], list[Support]]) -> dict[str, list[str]]:
    """Each drug's mechanism claims as mechanism texts ("inhibits COX-2", "estrogen-blocking")."""
    out: dict[str, list[str]] = defaultdict(list)
    for (drug_key, relation, _), members in groups.items():
        if relation == "MECHANISM":
            first = members[0]
            text = first.effect.text if first.effect.label != "PROCESS" else (
                first.mechanism_text or f"{first.mechanisms[0]} {first.effect.text}")
            if first.effect.label == "TARGET":
                text = first.mechanisms[0]  # "estrogen-blocking"
            out[drug_key].append(text)
    return out


def group_claims(
    doc: Doc,
    supports: list[Support],
    *,
    described: dict[str, list[str]],
    headings: dict[int, bool],
    calibration: Calibration | None,
    extractor: str,
) -> list[Claim]:
    """One claim per (drug, relation, effect) of the supports, in evidence order. ``described`` holds, per drug key,
    how the text describes its action where it names it ("the anti-TNF drug adalimumab"): the mechanism of its
    condition claims when no mechanism claim gives one. The confidence is the calibration's, from the claim's raw
    score (one minus the product of its supports' miss chances) and, for a logistic calibration, its features."""
    groups: dict[tuple[str, str, str], list[Support]] = defaultdict(list)
    for support in supports:
        groups[(support.drug.key, support.relation, support.effect.key)].append(support)
    mechanisms_by_drug = _mechanisms_by_drug(groups)
    populations_named = article_populations(doc, headings)
    doses_named = drug_doses(doc)
    doses_in_sentences = sentence_doses(doc)
    claims = []
    for (drug_key, relation, effect_key), members in groups.items():
        certainty = group_certainty(members)
        best = max(members, key=lambda s: (s.certainty == certainty, s.score, -s.sentence_index))
        mechanisms = unique(m for s in members for m in s.mechanisms)
        if relation in CONDITION_RELATIONS and not mechanisms:
            mechanisms = unique(described.get(drug_key, []))[:1]
        if relation in CONDITION_RELATIONS and not mechanisms:
            mechanisms = unique(mechanisms_by_drug.get(drug_key, []))[:2]
        populations = unique(p for s in members for p in s.populations)
        if not populations and relation != "MECHANISM":
            populations = fallback_population(populations_named, best.effect.text, relation)
        doses = (unique(d for s in members for d in s.doses) or unique(doses_named.get(drug_key, []))[:3]
                 or unique(nearest_doses(doses_in_sentences.get(drug_key, []), best.sentence_index))[:3])
        frequencies = unique(f for s in members for f, _ in s.frequencies)
        bands = unique(b for s in members for _, b in s.frequencies)
        missed = 1.0
        for s in members:
            missed *= 1.0 - s.score
        claims.append(
            Claim(
                claim_key=f"{relation}|{drug_key}|{effect_key}",
                relation=relation,
                drug=best.drug.text,
                drug_id=best.drug.concept_id,
                effect=best.effect.text,
                effect_id=best.effect.concept_id,
                effect_type=best.effect.label,
                population="; ".join(populations),
                mechanism="; ".join(mechanisms),
                certainty=certainty,
                frequency="; ".join(frequencies),
                frequency_band=";".join(unique(b for band in bands for b in band.split(";"))),
                dose="; ".join(doses),
                evidence=best.sent.text.strip(),
                evidence_start=best.sent.start_char + (len(best.sent.text) - len(best.sent.text.lstrip())),
                evidence_end=best.sent.start_char + len(best.sent.text.rstrip()),
                sentence_index=best.sentence_index,
                confidence=1.0 - missed,  # raw; calibrated below
                extractor=extractor,
                n_supporting_sentences=len({s.sentence_index for s in members}),
                highlights=tuple(sorted(set(best.highlights), key=lambda h: (h.start, h.end, h.role))),
            )
        )
    facts = ArticleFacts.of(doc.text, claims) if calibration is not None and calibration.method == "logistic" else None
    claims = [replace(c, confidence=round(confidence(
        calibration, c.confidence, claim_features(c, c.confidence, facts) if facts is not None else None), 4))
        for c in claims]
    return sorted(claims, key=lambda c: (c.evidence_start, c.relation, c.effect, c.claim_key))
