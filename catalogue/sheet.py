"""Read a catalogue workbook: bytes in, entry rows and the problems of each row out. No database.

One sheet, a header row naming the columns (in any order), one entry a row. The file is checked as a zip
before openpyxl opens it (common.zipcheck, the budget every upload meets), and a formula cell is refused:
the catalogue keeps what a person typed, never what a formula computed on someone else's machine.
"""

import io
import time
from dataclasses import dataclass, field

import openpyxl

from common import uploads
from common.text import clean_text, fold
from common.zipcheck import Reason, ZipRefused, check_zip, office_watch

MAX_ROWS = 1000
MAX_COLUMNS = 20
CODE_LIMIT = 20
SOURCE_LIMIT = 255
TARGET_LIMIT = 255


class BadCatalogueFile(Exception):
    """The file as a whole cannot be read; the message says why in Vietnamese."""


# column key -> the header as the template prints it
COLUMNS = {
    "code": "Mã",
    "name": "Tên chỉ tiêu",
    "pillar": "Trụ cột",
    "measure": "Đo bằng",
    "aggregation": "Cách tổng hợp",
    "source": "Nguồn (văn bản, mục)",
    "target": "Mục tiêu của tỉnh",
}
REQUIRED = ("code", "name", "measure", "aggregation")
_HEADER_WORDS = {
    "code": ("ma", "ma chi tieu"),
    "name": ("ten chi tieu", "ten", "chi tieu"),
    "pillar": ("tru cot",),
    "measure": ("do bang", "cach do", "loai"),
    "aggregation": ("cach tong hop", "tong hop"),
    "source": ("nguon (van ban, muc)", "nguon"),
    "target": ("muc tieu cua tinh", "muc tieu"),
}


@dataclass
class EntryRow:
    row: int  # the row number Excel shows
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


def _header_key(text: str) -> str | None:
    folded = fold(text)
    return next((key for key, words in _HEADER_WORDS.items() if folded in words), None)


def _check(data: bytes) -> None:
    if not data:
        raise BadCatalogueFile("Tệp rỗng (0 byte).")
    if not data.startswith(b"PK\x03\x04"):
        raise BadCatalogueFile("Tệp không phải bảng tính Excel .xlsx. Hãy mở bằng Excel và lưu dạng .xlsx.")
    deadline = time.monotonic() + uploads.MAX_READ_SECONDS
    try:
        names = check_zip(data, watch=office_watch, deadline=deadline)
    except ZipRefused as refused:
        if refused.reason == Reason.TIME:
            raise BadCatalogueFile(f"Tệp {refused.phrase}.") from refused
        raise BadCatalogueFile(f"Tệp .xlsx {refused.phrase}, không đọc được.") from refused
    if "xl/workbook.xml" not in names:
        raise BadCatalogueFile("Tệp không phải bảng tính Excel .xlsx. Hãy mở bằng Excel và lưu dạng .xlsx.")


def _cell_text(cell) -> tuple[str, bool]:
    """The cell as text, and whether it holds a formula."""
    value = cell.value
    if value is None:
        return "", False
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        return str(value), True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)), False


def read_catalogue(data: bytes) -> list[EntryRow]:
    """Every entry row of the first sheet with its problems; raises BadCatalogueFile for the whole file."""
    _check(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise BadCatalogueFile(
            "Tệp .xlsx bị hỏng, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        columns: dict[int, str] | None = None
        rows: list[EntryRow] = []
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            texts = [_cell_text(cell) for cell in cells]
            if columns is None:
                found = {i: _header_key(text) for i, (text, _f) in enumerate(texts) if text}
                found = {i: key for i, key in found.items() if key}
                if set(REQUIRED) <= set(found.values()):
                    columns = found
                continue
            if not any(text for text, _formula in texts):
                continue
            if len(rows) >= MAX_ROWS:
                raise BadCatalogueFile(f"Tệp có hơn {MAX_ROWS:,} chỉ tiêu; hãy chia nhỏ.".replace(",", "."))
            row = EntryRow(number, {key: "" for key in COLUMNS})
            for index, key in columns.items():
                if index < len(texts):
                    text, formula = texts[index]
                    if formula:
                        row.problems.append(f"Cột «{COLUMNS[key]}» chứa công thức; hãy ghi giá trị.")
                    else:
                        row.values[key] = text
            rows.append(row)
    finally:
        workbook.close()
    if columns is None:
        needed = ", ".join(f"«{COLUMNS[key]}»" for key in REQUIRED)
        raise BadCatalogueFile(f"Không tìm thấy dòng tiêu đề có các cột {needed}. Hãy dùng tệp mẫu.")
    return rows
