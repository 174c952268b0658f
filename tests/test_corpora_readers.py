"""Unit tests of the corpus readers on tiny inline fixtures (no shared corpora needed)."""
from __future__ import annotations

import zipfile

from pipeline.corpora.ade import parse_ade
from pipeline.corpora.brat import parse_brat
from pipeline.corpora.chemprot import parse_chemprot
from pipeline.corpora.labels import CHEMICAL, CONDITION, GENE_OR_PROTEIN, map_label
from pipeline.corpora.psytar import align_sentences
from pipeline.corpora.pubtator import parse_pubtator
from pipeline.corpora.xlsx import column_index, read_sheet

PUBTATOR = """\
227508|t|Naloxone reverses clonidine.
227508|a|Hypotension was seen.
227508\t0\t8\tNaloxone\tChemical\tD009270
227508\t29\t40\tHypotension\tDisease\tD007022
227508\tCID\tD009270\tD007022

111|t|Second.
111|a|None.
"""


def test_pubtator_reads_documents_and_offsets():
    documents = list(parse_pubtator(PUBTATOR.splitlines(keepends=True)))
    assert [d.doc_id for d in documents] == ["227508", "111"]
    first = documents[0]
    assert first.text == "Naloxone reverses clonidine. Hypotension was seen."
    assert [(m.text, m.label) for m in first.mentions] == [("Naloxone", "Chemical"), ("Hypotension", "Disease")]
    assert all(first.text[m.start : m.end] == m.text for m in first.mentions)
    assert documents[1].mentions == ()


def test_chemprot_keeps_tab_between_title_and_abstract():
    abstracts = ["1\tAspirin title\tCOX-1 is inhibited.\n"]
    entities = ["1\tT2\tGENE-Y\t14\t19\tCOX-1\n", "1\tT1\tCHEMICAL\t0\t7\tAspirin\n"]
    (document,) = parse_chemprot(abstracts, entities)
    assert document.text == "Aspirin title\tCOX-1 is inhibited."
    assert [(m.text, m.label) for m in document.mentions] == [("Aspirin", "CHEMICAL"), ("COX-1", "GENE-Y")]
    assert all(document.text[m.start : m.end] == m.text for m in document.mentions)


def test_brat_reads_discontinuous_fragments():
    text = "My legs and knees ached. Took Arthrotec."
    ann = [
        "T1\tADR 3 7;18 23\tlegs ached\n",
        "#1\tAnnotatorNotes T1\tpain\n",
        "T2\tDrug 30 39\tArthrotec\n",
    ]
    document = parse_brat("ARTHROTEC.1", text, ann)
    legs, drug = document.mentions
    assert legs.discontinuous and legs.fragments == ((3, 7), (18, 23)) and (legs.start, legs.end) == (3, 23)
    assert not drug.discontinuous and text[drug.start : drug.end] == "Arthrotec"


def test_ade_locates_strings_in_sentence_and_groups_relations():
    lines = [
        "10030778|Intravenous azithromycin-induced ototoxicity.|ototoxicity|43|54|azithromycin|22|34\n",
        "10030778|Intravenous azithromycin-induced ototoxicity.|Ototoxicity|43|54|azithromycin|22|34\n",
    ]
    documents, alignment = parse_ade(lines)
    assert len(documents) == 1 and alignment.mentions == alignment.aligned == 3
    spans = {(m.text, m.label) for m in documents[0].mentions}
    assert spans == {("azithromycin", "drug"), ("ototoxicity", "effect")}


def test_psytar_aligns_strings_and_counts_failures():
    sentences = [{"drug_id": "lexapro.1", "sentence_index": "1", "sentences": "Lexapro gave me bad Nausea and nausea."}]
    entity_rows = {
        "ADR": [{"drug_id": "Lexapro.1", "sentence_index": "1", "ADR1": "nausea", "ADR2": "nausea", "ADR3": "rash"}],
        "SSI": [{"drug_id": "lexapro.1", "sentence_index": "1", "SSI1": "nausea"}],
    }
    (document,), alignment = align_sentences(sentences, entity_rows, drug_names=["lexapro"])
    assert alignment.mentions == {"ADR": 3, "SSI": 1} and alignment.aligned == {"ADR": 2, "SSI": 1}
    assert [(m.text, m.label) for m in document.mentions] == [("Lexapro", "drug"), ("Nausea", "ADR"), ("nausea", "ADR")]


def test_labels_map_corpus_types():
    assert map_label("bc5cdr", "Disease") == CONDITION
    assert map_label("chemprot", "GENE-N") == GENE_OR_PROTEIN
    assert map_label("cadec", "Drug") == CHEMICAL
    assert map_label("biored", "OrganismTaxon") is None


def test_xlsx_reads_shared_and_inline_strings(tmp_path):
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                         '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels",
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}"><si><t>name</t></si><si><t>n</t></si>'
                         '<si><r><t>rich </t></r><r><t>text</t></r></si></sst>')
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData>'
                         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                         '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c></row>'
                         '<row r="3"><c r="B3" t="inlineStr"><is><t>x</t></is></c></row>'
                         '</sheetData></worksheet>')
    assert read_sheet(path, "S") == [{"name": "rich text", "n": "7"}, {"n": "x"}]
    assert column_index("A") == 0 and column_index("AA") == 26
