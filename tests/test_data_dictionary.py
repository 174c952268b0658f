"""The data dictionary documents exactly the columns of the table schemas, and is up to date."""

import importlib

import pytest

from review.data_dictionary import DOC_PATH, load_table_docs, parse_table_docs, render_markdown
from review.errors import ReviewError
from review.ledger import LEDGER_COLUMNS


def _pipeline_schemas() -> dict:
    try:
        module = importlib.import_module("pipeline.schemas")
    except ModuleNotFoundError as e:
        pytest.fail(f"pipeline.schemas is missing ({e}); it must define TABLE_SCHEMAS (table name -> pandera schema).")
    return module.TABLE_SCHEMAS


def test_data_dictionary_documents_every_schema_column():
    docs = load_table_docs()
    schemas = _pipeline_schemas()
    documented = {t.name for t in docs.tables if t.source == "pipeline.schemas"}
    assert documented == set(schemas), "tables in table_docs.json and pipeline.schemas.TABLE_SCHEMAS differ"
    problems = []
    for name, schema in schemas.items():
        in_schema, in_docs = set(schema.columns), set(docs.table(name).column_names)
        if in_schema - in_docs:
            problems.append(f"{name}: undocumented columns {sorted(in_schema - in_docs)}")
        if in_docs - in_schema:
            problems.append(f"{name}: documented but not in the schema {sorted(in_docs - in_schema)}")
    assert not problems, (
        "; ".join(problems) + " (edit review/table_docs.json, then run python -m review.data_dictionary)"
    )


def test_data_dictionary_documents_the_ledger():
    assert load_table_docs().table("review_ledger").column_names == LEDGER_COLUMNS


def test_data_dictionary_file_is_up_to_date():
    expected = render_markdown(load_table_docs())
    assert DOC_PATH.exists(), f"{DOC_PATH} is missing; run `python -m review.data_dictionary`."
    assert DOC_PATH.read_text(encoding="utf-8") == expected, (
        f"{DOC_PATH} is out of date; run `python -m review.data_dictionary`."
    )


def test_data_dictionary_explains_csv_neutralisation():
    text = DOC_PATH.read_text(encoding="utf-8")
    assert "## CSV formula neutralisation" in text
    for needle in (
        "`=`, `+`, `-`, `@`",
        "a tab or a carriage return",
        "leading apostrophe `'`",
        "Parquet keeps the original value",
    ):
        assert needle in text


def test_data_dictionary_rejects_unknown_keys():
    bad = {
        "title": "t",
        "intro": [],
        "types": {"string": "s"},
        "csv_safety": [],
        "tables": [
            {
                "name": "x",
                "source": "s",
                "files": [],
                "description": "",
                "key": "k",
                "columns": [{"name": "a", "type": "string", "meaning": "m", "unit": "cm"}],
            },
        ],
    }
    with pytest.raises(ReviewError, match="unknown keys \\['unit'\\]"):
        parse_table_docs(bad)
    bad["tables"][0]["columns"][0] = {"name": "a", "type": "text", "meaning": "m"}
    with pytest.raises(ReviewError, match="known types are"):
        parse_table_docs(bad)


_PANDERA_TYPES = {
    "str": "string",
    "string": "string",
    "string[pyarrow]": "string",
    "string[python]": "string",
    "object": "string",
    "int64": "int64",
    "Int64": "int64",
    "float64": "float64",
    "Float64": "float64",
    "bool": "bool",
    "boolean": "bool",
}


def test_data_dictionary_types_match_schemas():
    docs = load_table_docs()
    mismatches = []
    for name, schema in _pipeline_schemas().items():
        documented = {c.name: c.type for c in docs.table(name).columns}
        for column_name, column in schema.columns.items():
            schema_type = _PANDERA_TYPES.get(str(column.dtype), str(column.dtype))
            if column_name in documented and documented[column_name] != schema_type:
                mismatches.append(f"{name}.{column_name}: schema {column.dtype}, documented {documented[column_name]}")
    assert not mismatches, "; ".join(mismatches)
