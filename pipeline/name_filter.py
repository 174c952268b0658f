"""Drop recognised mentions that are people's or places' names: "Lenihan said", "Dr. Marisa Weiss", "JACC", "Calif.".

The statistical NER, trained on abstracts, sometimes tags an unfamiliar surname or acronym in news text as a
chemical. A mention the knowledge base could not link, whose surface form appears anywhere in the document in a
name context (before a speech verb, after a title, next to another capitalised name word, after "the journal"),
is a name: every mention with that text is removed from ``doc.ents``. Linked mentions are never touched, except
place names listed in the rules (US states and their abbreviations, which the vocabularies reuse as abbreviations),
a name tagged together with its speech verb ("Hemila said", which the linker's fuzzy match may link to anything)
and names the text itself marks as an organisation's or a place's ("Aurin Biotech", "Vancouver-based", a dateline).
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions
from pipeline.rules import NameContext, load_name_context, load_vocabulary
from pipeline.tokenizer import compound_end

FACTORY_NAME = "drugclaims_name_filter"
_DATELINE_AFTER = {",", "-", "--", "—", "–", "("}
_CREDENTIAL = re.compile(r"[A-Za-z.\-]*")  # "MD./p>" (markup glued to the degree) reads as "MD."


def _capitalised_word(doc: Doc, i: int, ents_tokens: set[int]) -> bool:
    """A capitalised word that is not an entity and does not start its sentence (part of a proper name)."""
    if not 0 <= i < len(doc) or i in ents_tokens:
        return False
    token = doc[i]
    return token.is_alpha and token.is_title and not token.is_sent_start and len(token) > 1


def _title_case_line(sent: Span) -> bool:
    """A headline ("FDA Approves Heart Drug Entresto"): capitalised neighbours say nothing about names there."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.is_title for t in words) >= 0.5 * len(words)


def _credential_follows(doc: Doc, i: int, rules: NameContext, ents_tokens: set[int]) -> bool:
    """A degree ("MD", "PhD") right after position ``i``, after a comma, or after one more capitalised name word."""
    if i < len(doc) and doc[i].text == ",":
        i += 1
    elif i < len(doc) and doc[i].is_title and i not in ents_tokens:  # one more name word ("Vigdorchik")
        i += 1
        if i < len(doc) and doc[i].text == ",":
            i += 1
    if i >= len(doc) or not doc[i].text[:1].isupper():
        return False
    return _CREDENTIAL.match(doc[i].text).group(0).lower().rstrip(".") in rules.credentials


# a long form with one of these words names an organisation: "Children's Hospital of Philadelphia (CHOP)"
_ORGANISATION_WORDS = load_vocabulary().words("organisation_words")


def organisation_short_forms(doc: Doc) -> set[str]:
    """Short forms the text defines as an organisation's name: "Children's Hospital of Philadelphia (CHOP)" makes every
    "CHOP" of the text the hospital, never a drug (the CHOP chemotherapy regimen would be spelled out otherwise)."""
    return {short.text for short in getattr(doc._, "abbreviations", None) or []
            if any(t.lower_ in _ORGANISATION_WORDS for t in short._.long_form)}


def speaker_and_verb(ent: Span, rules: NameContext) -> bool:
    """"Hemila said" tagged as one mention: a name and its speech verb (no medical term ends in "said")."""
    return len(ent) > 1 and ent[-1].lower_ in rules.speech_verbs and ent.text[:1].isupper()


def with_colleagues(ent: Span, rules: NameContext) -> bool:
    """"Lam and his colleagues", "Smith and her co-authors": a person and the people they work with."""
    doc = ent.doc
    after = [t.lower_ for t in doc[ent.end : ent.end + 3]]
    if after[:1] != ["and"] or len(after) < 3 or after[1] not in {"his", "her", "their"}:
        return False
    return doc[ent.end + 2 : compound_end(doc, ent.end + 2)].text.lower() in rules.colleague_words  # "co-authors": 3 tokens


def in_name_context(ent: Span, rules: NameContext, ents_tokens: set[int]) -> bool:
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = [t.lower_ for t in doc[ent.end : ent.end + 3]]
    if before in rules.titles or before in rules.venue_nouns or (before in rules.role_words and ent.text[:1].isupper()):
        return True  # "Dr. Lenihan", "said senior author Ruben Abagyan"
    if after[:1] and after[0] in rules.speech_verbs:
        return True
    if before in rules.speech_verbs and ent.text[:1].isupper() and (not after or after[0] in {".", ",", ";"}):
        return True  # "..., says Pan."
    if speaker_and_verb(ent, rules):
        return True
    if with_colleagues(ent, rules):
        return True
    if not ent.text[:1].isupper():
        return False
    if _credential_follows(doc, ent.end, rules, ents_tokens):
        return True  # "Jonathan Vigdorchik MD", "Richard Iorio, MD": even in a title-case author line
    if _title_case_line(ent.sent):
        return False
    # "Daniel Lenihan", "Maine Medical Center": one word of a longer proper name
    return _capitalised_word(doc, ent.start - 1, ents_tokens) or _capitalised_word(doc, ent.end, ents_tokens)


class NameFilter:
    def __init__(self, nlp: Language, name: str, *, rules: NameContext):
        extensions.register()
        self.name = name
        self.rules = rules
        self.places = (frozenset(rules.place_names) | frozenset(rules.calendar_words) | frozenset(rules.role_words)
                       | frozenset(rules.organisation_names))
        self.company_words = frozenset(rules.company_words)
        self.credentials = frozenset(rules.credentials)

    def organisation_or_place(self, ent: Span) -> set[str]:
        """Forms of a mention's text that name an organisation or a place wherever they occur, linked or not:
        "Aurin Biotech" (a company word after it), "Vancouver-based" (an unlinked capitalised word before
        "-based"), "VANCOUVER, BC (March 26):", "CINCINNATI--Following" (a dateline: an upper-case word opening a
        line, then a comma or a dash)."""
        doc = ent.doc
        if not ent.text[:1].isupper():
            return set()
        following = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if following in self.company_words:
            return {ent.text}
        if (not ent._.concept_id and following == "-" and ent.end + 1 < len(doc)
                and doc[ent.end + 1].lower_ == "based"):
            return {ent.text}
        opens_line = ent.start == 0 or doc[ent.start - 1].is_space or "\n" in doc[ent.start - 1].whitespace_
        if opens_line and ent.text.isupper() and len(ent.text) > 3 and following in _DATELINE_AFTER:
            return {ent.text, ent.text.title()}
        return set()

    def titled_full_name(self, ent: Span) -> bool:
        """One capitalised word after a title or a role ("Dr.", "author") and before a capitalised word that is no
        mention: a person's first name."""
        doc = ent.doc
        if len(ent) != 1 or not ent.text[:1].isupper() or ent.start == 0 or ent.end >= len(doc):
            return False
        before, after = doc[ent.start - 1].lower_, doc[ent.end]
        return ((before in self.rules.titles or before in self.rules.role_words)
                and after.is_alpha and after.is_title and not after.ent_type_)

    def surname(self, ent: Span) -> bool:
        """"Dr. Lam", "Lam and his colleagues": one capitalised word (not in capitals) after a title or before "and
        his colleagues" is a person even where the linker found a drug for it (lamivudine)."""
        if len(ent) != 1 or not ent.text[:1].isupper() or ent.text.isupper():
            return False
        return (ent.start > 0 and ent.doc[ent.start - 1].lower_ in self.rules.titles) or with_colleagues(ent, self.rules)

    def credential_or_fragment(self, ent: Span) -> bool:
        """"Andrea Des Marais, MPH": a degree after a name's comma; "who’ve": a contraction's clitic."""
        if ent.text[:1] in ("'", "’") and len(ent.text) <= 4:
            return True
        doc = ent.doc
        return (ent.start > 0 and doc[ent.start - 1].text == "," and ent.text.lower().rstrip(".") in self.credentials)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        organisations = {form for e in ents for form in self.organisation_or_place(e)} | organisation_short_forms(doc)
        kept = [e for e in ents if e.text.lower() not in self.places and e.text not in organisations
                and not speaker_and_verb(e, self.rules) and not self.credential_or_fragment(e)]
        if len(kept) < len(ents):
            doc.ents = ents = kept
        persons = {e.text for e in ents if e._.concept_id and (self.titled_full_name(e) or self.surname(e))}
        if persons:  # "said senior author Ruben Abagyan", "Dr. Lam": a name, even one a vocabulary also lists
            doc.ents = ents = [e for e in ents if e.text not in persons]
        unlinked = [e for e in ents if not e._.concept_id]
        if not unlinked:
            return doc
        ents_tokens = {i for e in ents for i in range(e.start, e.end)}
        names = {e.text for e in unlinked if in_name_context(e, self.rules, ents_tokens)}
        # the same one-word name where the recogniser did not tag it: "Jonathan Vigdorchik, MD" elsewhere in the text
        words = {e.text for e in unlinked if len(e) == 1 and e.text[:1].isupper()} - names
        if words:
            for token in doc:
                if token.text in words and token.i not in ents_tokens and in_name_context(
                        doc[token.i : token.i + 1], self.rules, ents_tokens):
                    names.add(token.text)
        if names:
            doc.ents = [e for e in ents if e._.concept_id or e.text not in names]
        return doc


@Language.factory(FACTORY_NAME, default_config={})
def make_name_filter(nlp: Language, name: str) -> NameFilter:
    return NameFilter(nlp, name, rules=load_name_context())
