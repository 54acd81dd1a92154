"""What every workbook the app writes needs: its MIME type and text cells Excel can open and never runs.

Text reaches a cell through `write_text` (a writer that sets its own cells) or `escape_formula` (a value
handed to a library that writes the cell: django-import-export's export, `Worksheet.append`). Both drop the
code points XML cannot hold by the rule the model fields store with (`common.text.strip_unsafe`), so even a
row stored before that rule existed writes a workbook that opens; openpyxl's own filter misses U+FFFE,
U+FFFF and surrogates.
"""

from openpyxl.cell import Cell

from common.text import strip_unsafe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_START = ("=", "+", "-", "@")  # what Excel reads as the start of a formula


def escape_formula(value):
    """A value safe to hand to a library: XML-safe, and a would-be formula gets a visible `'` so it reads
    as text (django-import-export strips only `=`)."""
    if not isinstance(value, str):
        return value
    value = strip_unsafe(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def write_text(cell: Cell, text: str) -> None:
    """A string cell, never a formula, whatever the text begins with; it reads exactly as typed.

    Excel's quote prefix (a cell style, not a character of the value) keeps `=Phòng Kinh tế` from being
    read as a formula when someone edits the cell, and an exported plan imports back unchanged.
    """
    text = strip_unsafe(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
