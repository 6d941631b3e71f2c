"""The workbook part escapes the sheet name as XML, in the attribute and in the formula."""

from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import escape

from viewer.export.xlsx_parts import workbook


def test_sheet_name_with_markup_characters_stays_well_formed_xml() -> None:
    name = 'Q&A <"draft"> it\'s'
    text = workbook(name, rows=3, columns=2)
    assert f'name="{escape(name, {chr(34): "&quot;"})}"' in text
    root = ElementTree.fromstring(text.split("\n", 1)[1])
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    sheet = root.find("m:sheets/m:sheet", ns)
    assert sheet is not None and sheet.get("name") == name
    defined = root.find("m:definedNames/m:definedName", ns)
    assert defined is not None and defined.text is not None
    assert defined.text.startswith("'" + name.replace("'", "''") + "'!")
