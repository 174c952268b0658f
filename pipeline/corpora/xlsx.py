"""A minimal reader for the cell values of an .xlsx workbook (stdlib only; no openpyxl needed).

An .xlsx file is a zip of XML parts: ``xl/workbook.xml`` names the sheets, ``xl/_rels/workbook.xml.rels`` maps them
to ``xl/worksheets/sheetN.xml`` and ``xl/sharedStrings.xml`` holds the strings that cells refer to by index.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")) for si in root.findall("m:si", _NS)]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("p:Relationship", _NS)}
    paths = {}
    for sheet in workbook.iter(f"{{{_NS['m']}}}sheet"):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/xl/") else f"xl/{target}"
    return paths


def read_sheet(path: Path | str, sheet_name: str) -> list[dict[str, str]]:
    """Rows of a sheet as dicts keyed by the header row; empty cells are left out; all values are strings."""
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        paths = _sheet_paths(archive)
        if sheet_name not in paths:
            raise KeyError(f"sheet {sheet_name!r} not in {path}; sheets: {sorted(paths)}")
        root = ElementTree.fromstring(archive.read(paths[sheet_name]))
    grid: list[dict[int, str]] = []
    for row in root.iter(f"{{{_NS['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.findall("m:c", _NS):
            value = _cell_value(cell, strings)
            if value is not None and value != "":
                cells[column_index(_CELL_REF.match(cell.get("r")).group(1))] = value
        grid.append(cells)
    if not grid:
        return []
    header = {index: name.strip() for index, name in grid[0].items()}
    return [{header[i]: v for i, v in cells.items() if i in header} for cells in grid[1:] if cells]


def _cell_value(cell: ElementTree.Element, strings: list[str]) -> str | None:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t"))
    value = cell.find("m:v", _NS)
    if value is None or value.text is None:
        return None
    if kind == "s":
        return strings[int(value.text)]
    return value.text
