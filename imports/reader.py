"""Read a commune's plan appendices from an .xlsx or a .docx: bytes in, tables of text rows and problems out.

Pure: no database. The file is checked by its content before openpyxl sees it (old .xls, password-protected
workbooks, CSV renamed, zip bombs), then read in read-only mode twice, once for the cached values and once to
know which cells hold formulas: a formula is never evaluated, its cached value is read or the cell is refused.
Header rows are found by their column names in any order and with the variants real plans use.
A Word document goes through the same reading: each of its tables is a sheet, merged and multi-paragraph
cells read as Excel's are.
"""

import datetime as dt
import enum
import functools
import io
import itertools
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import docx
import openpyxl
from docx.table import Table as DocxTable
from docx.table import _Cell as _WordCell
from openpyxl.utils import column_index_from_string, get_column_letter

from common import uploads
from common.text import clean_text, fold
from common.uploads import MAX_UPLOAD_BYTES
from common.zipcheck import Reason, TagCounter, ZipLimits, ZipRefused, check_zip, office_watch

MAX_ROWS = 5000
# A plan appendix has about a dozen columns; only this many are read, so a stray empty cell at column XFD
# does not turn every row into 16.384 cells. A value further right is reported, never read.
MAX_COLS = 60
# Rows streamed per sheet, empty or not, before we call the sheet malformed.
_MAX_SCANNED_ROWS = 20_000
# Values right of MAX_COLS reported per sheet: one is enough to refuse, a few help to find them.
_MAX_FAR_CELLS = 10
_MAX_ZIP_ENTRIES = uploads.MAX_ZIP_ENTRIES
_MAX_UNCOMPRESSED = uploads.MAX_UNCOMPRESSED_BYTES
# openpyxl holds every shared string in memory before the first row: a plan has a few thousand, and 95 MB of
# them (5.9 million) took 50 s and 380 MB. Counted while the zip is checked, before openpyxl sees the file.
_MAX_SHARED_STRINGS = 100_000
# Cells openpyxl parses, empty ones too (about 5 µs each): the rows and columns read hold at most 300.000.
_MAX_CELLS = 500_000
# Reading stops after this long, whatever the file holds (the checks, both openpyxl passes, the far cells).
_MAX_SECONDS = uploads.MAX_READ_SECONDS
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Encrypted OOXML is an OLE2 container with these streams (MS-OFFCRYPTO); names are stored in UTF-16LE.
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


class BadFile(Exception):
    """A file we refuse as a whole, with one clear message; nothing is read from it."""


class Field(enum.StrEnum):
    NUMBER = "number"
    NAME = "name"
    TARGET = "target"
    BASELINE = "baseline"
    LEAD = "lead"
    COORDINATING = "coordinating"
    MONITORING = "monitoring"
    DEADLINE = "deadline"
    NOTE = "note"
    ROW_KIND = "row_kind"  # `Loại dòng`: what the export writes so a group row is never read as an item


# The values of a `Loại dòng` cell: a group (`I`, or `1` in plans numbering their chapters so) and a subgroup.
# Any other row of a table with this column is an item, even with no number and nothing but its text.
ROW_KIND_GROUP = "Nhóm"
ROW_KIND_SUBGROUP = "Nhóm con"


class TableKind(enum.StrEnum):
    INDICATORS = "indicators"
    TASKS = "tasks"


@dataclass(frozen=True)
class Problem:
    """Something wrong in one place of the file: what was found and what was expected there."""

    sheet: str
    row: int | None
    column: str
    found: str
    expected: str
    # A unit name nobody knows: the preview offers to create it or add it as an alias.
    unknown_unit: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def place(self) -> str:
        parts = [f"Trang «{self.sheet}»"] if self.sheet else []
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        found = f"«{self.found}»" if self.found else "ô trống"
        return f"{self.place}: gặp {found}; cần {self.expected}"


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the sheet row
    field: Field
    header: str  # as printed, for messages and for the export
    year: int | None = None  # `Mục tiêu 2026`, `Kết quả đạt được năm 2024`

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    def label(self) -> str:
        return f"{self.letter} ({self.header.replace(chr(10), ' ')})"


@dataclass
class Row:
    number: int  # the sheet's row number, as Excel shows it
    cells: dict[Column, str]

    def get(self, wanted: Field) -> str:
        return next((text for col, text in self.cells.items() if col.field == wanted and text), "")

    def column(self, wanted: Field) -> Column | None:
        return next((col for col in self.cells if col.field == wanted), None)


@dataclass
class Table:
    sheet: str
    kind: TableKind
    header_row: int
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)

    def column_label(self, wanted: Field) -> str:
        col = next((c for c in self.columns if c.field == wanted), None)
        return col.label() if col else ""


@dataclass
class Workbook:
    tables: list[Table]
    problems: list[Problem]
    skipped: list[Problem]  # rows left out on purpose (repeated headers, page numbers, title lines)
    # Lines above each table (`PHỤ LỤC 01`, the plan's title, `Giai đoạn từ ngày … đến ngày …`).
    captions: list[str] = field(default_factory=list)

    def tables_of(self, kind: TableKind) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]


# --- file checks ------------------------------------------------------------------------------------------


_ZIP_MESSAGES = {
    Reason.CORRUPT: "Tệp .xlsx bị hỏng, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên lại.",
    Reason.ENTRIES: "Tệp .xlsx có cấu trúc bất thường (quá nhiều hoặc quá lớn khi giải nén), không đọc được.",
    Reason.TOTAL: "Tệp .xlsx có cấu trúc bất thường (quá nhiều hoặc quá lớn khi giải nén), không đọc được.",
}
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*"[A-Z]*(\d*)(?::[A-Z]*(\d+))?"')


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _too_slow() -> BadFile:
    return BadFile(
        f"Tệp .xlsx cần quá nhiều thời gian để đọc (hơn {_MAX_SECONDS} giây). "
        "Hãy chỉ giữ các bảng phụ lục của kế hoạch rồi tải lên lại."
    )


class _BudgetWatch:
    """Counts shared strings and cells, and reads each sheet's declared size, while the zip is checked."""

    def __init__(self) -> None:
        self.strings = TagCounter(_SHARED_STRING, _MAX_SHARED_STRINGS, self._too_many_strings)
        self.cells = TagCounter(_CELL, _MAX_CELLS, self._too_many_cells)

    @staticmethod
    def _too_many_strings(count: int) -> BadFile:
        return BadFile(
            f"Tệp .xlsx chứa quá nhiều đoạn chữ (hơn {_number(_MAX_SHARED_STRINGS)}), không đọc được. "
            "Hãy chỉ giữ các bảng phụ lục của kế hoạch rồi tải lên lại."
        )

    @staticmethod
    def _too_many_cells(count: int) -> BadFile:
        return BadFile(
            f"Tệp .xlsx có quá nhiều ô (hơn {_number(_MAX_CELLS)}), không đọc được. "
            "Hãy chỉ giữ các bảng phụ lục của kế hoạch rồi tải lên lại."
        )

    def __call__(self, name: str):
        if not name.endswith(".xml"):
            return None
        head = bytearray()

        def consume(chunk: bytes) -> None:
            # The declared size sits before the rows, within the first few hundred bytes of a sheet.
            if len(head) < 4096:
                head.extend(chunk[:4096])
                _check_dimension(bytes(head))
            self.strings(chunk)
            self.cells(chunk)

        return consume


def _check_dimension(head: bytes) -> None:
    """Refuse a sheet that declares more rows than a sheet may stream (openpyxl would believe it)."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    first, last = (int(group) if group else 0 for group in found.groups())
    rows = (last - first + 1) if last else 1
    if rows > _MAX_SCANNED_ROWS:
        raise BadFile(
            f"Trang tính khai báo vùng dữ liệu quá lớn ({_number(rows)} dòng, tối đa "
            f"{_number(_MAX_SCANNED_ROWS)}). Hãy chép các bảng phụ lục sang một tệp mới rồi tải lên lại."
        )


class FileKind(enum.StrEnum):
    XLSX = "xlsx"
    DOCX = "docx"


def check_file(data: bytes, deadline: float | None = None) -> FileKind:
    """What the file is (.xlsx or .docx, told by its content); raises BadFile with one message otherwise."""
    if not data:
        raise BadFile("Tệp rỗng (0 byte).")
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadFile("Tệp lớn hơn 10 MB. Hãy chỉ giữ các bảng phụ lục của kế hoạch rồi tải lên lại.")
    if data.startswith(_OLE2_MAGIC):
        if any(name in data for name in _ENCRYPTION_STREAMS):
            raise BadFile(
                "Tệp Excel đang đặt mật khẩu. Hãy gỡ mật khẩu (Tệp › Thông tin › Bảo vệ) rồi tải lên lại."
            )
        raise BadFile(
            "Đây là tệp Excel cũ (.xls) hoặc tệp Word. Hãy mở bằng Excel và lưu lại dạng .xlsx "
            "(Excel Workbook) rồi tải lên lại."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise BadFile(
            "Tệp không phải bảng tính Excel .xlsx (có thể là .csv hoặc tệp khác đã đổi tên). "
            "Hãy mở bằng Excel và lưu dạng .xlsx."
        )
    limits = ZipLimits(entries=_MAX_ZIP_ENTRIES, total_bytes=_MAX_UNCOMPRESSED)
    word = _looks_like_word(data)
    watch = _word_watch(_BudgetWatch()) if word else _BudgetWatch()
    try:
        names = set(check_zip(data, limits, watch=watch, deadline=deadline))
    except ZipRefused as refused:
        if refused.reason == Reason.TIME:
            raise _too_slow() from refused
        message = _ZIP_MESSAGES.get(refused.reason, f"Tệp .xlsx {refused.phrase}, không đọc được.")
        raise BadFile(message.replace("Tệp .xlsx", "Tệp Word .docx") if word else message) from refused
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return FileKind.XLSX
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return FileKind.DOCX
    raise BadFile(
        "Tệp không phải bảng tính Excel .xlsx hay tệp Word .docx. Hãy mở bằng Excel và lưu dạng .xlsx."
    )


def _looks_like_word(data: bytes) -> bool:
    """Whether the zip's directory names a Word document; the parts themselves are checked by check_zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "word/document.xml" in names and "xl/workbook.xml" not in names


def _word_watch(budget: _BudgetWatch):
    """A Word file gets the checks of Office files others open: no macro, no outside link, no archive."""

    def watch(name: str):
        office, counting = office_watch(name), budget(name)

        def consume(chunk: bytes) -> None:
            office(chunk)
            if counting is not None:
                counting(chunk)

        return consume

    return watch


# --- header recognition -----------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


_HEADER_PATTERNS: list[tuple[re.Pattern[str], Field, TableKind | None]] = [
    (re.compile(r"s?tt|so tt|so thu tu|thu tu"), Field.NUMBER, None),
    (re.compile(r"ghi chu"), Field.NOTE, None),
    (re.compile(r"loai dong"), Field.ROW_KIND, None),
    (
        re.compile(r"(?:co quan |don vi |bo phan )?theo doi(?: va)?(?: tong hop)?"),
        Field.MONITORING,
        TableKind.TASKS,
    ),
    (re.compile(r"(?:co quan |don vi )?phoi hop(?: thuc hien)?"), Field.COORDINATING, None),
    (
        re.compile(r"(?:co quan |don vi |phong |bo phan )?chu tri(?: tham muu| thuc hien)?|don vi thuc hien"),
        Field.LEAD,
        None,
    ),
    (
        re.compile(r"thoi (?:gian|han)(?: hoan thanh| thuc hien)?|tien do(?: thuc hien| hoan thanh)?"),
        Field.DEADLINE,
        TableKind.TASKS,
    ),
    (
        re.compile(r"ket qua(?: dat duoc| thuc hien)?|(?:uoc )?thuc hien|ket qua thuc hien"),
        Field.BASELINE,
        TableKind.INDICATORS,
    ),
    (
        re.compile(
            r"(?:danh muc |noi dung |ten |cac )?(?:nhiem vu|giai phap)"
            r"(?:,? (?:va )?giai phap)?(?: cu the| chu yeu)?"
        ),
        Field.NAME,
        TableKind.TASKS,
    ),
    (re.compile(r"(?:ten |noi dung |danh muc |cac )?chi tieu"), Field.NAME, TableKind.INDICATORS),
    # `Mục tiêu` alone is the target beside a `Chỉ tiêu` column, the name otherwise (see detect_header).
    (
        re.compile(r"(?:gia tri )?muc tieu(?: phan dau)?|chi tieu phan dau"),
        Field.TARGET,
        TableKind.INDICATORS,
    ),
]
_HEADER_YEAR = re.compile(r"\s*\b(?:nam )?((?:19|20)\d{2})\b")


@functools.lru_cache(maxsize=4096)
def classify_header(text: str) -> tuple[Field, TableKind | None, int | None] | None:
    """What a header cell names: the field, the table kind it proves (if any) and the year it carries."""
    if len(text) > 80:
        return None  # a description or a long name, never a column title
    key = _header_key(text)
    if not key or len(key) > 60:
        return None
    year_match = _HEADER_YEAR.search(key)
    year = int(year_match.group(1)) if year_match else None
    bare = _HEADER_YEAR.sub("", key).strip()
    for pattern, field_, kind in _HEADER_PATTERNS:
        if pattern.fullmatch(bare):
            if field_ == Field.NAME and kind == TableKind.INDICATORS and year is not None:
                return Field.TARGET, TableKind.INDICATORS, year  # `Chỉ tiêu 2026` is a target column
            return field_, kind, year if field_ in (Field.TARGET, Field.BASELINE) else None
    return None


def detect_header(values: list[str]) -> tuple[TableKind, list[Column]] | None:
    """The table a row heads, or None. A header names a number or name column plus another known one."""
    found: list[Column] = []
    kinds: set[TableKind] = set()
    for index, text in enumerate(values):
        if not text:
            continue
        hit = classify_header(text)
        if hit is None:
            continue
        field_, kind, year = hit
        found.append(Column(index=index, field=field_, header=text, year=year))
        if kind:
            kinds.add(kind)
    fields = [c.field for c in found]
    if Field.NAME not in fields:
        targets = [c for c in found if c.field == Field.TARGET and c.year is None]
        # A bare `Mục tiêu` beside no `Chỉ tiêu` column is the name of the indicator (`TT | Mục tiêu | ...`).
        if len(targets) == 1:
            found[found.index(targets[0])] = Column(targets[0].index, Field.NAME, targets[0].header)
            fields = [c.field for c in found]
    if Field.NAME not in fields or len(found) < 2 or (Field.NUMBER not in fields and len(found) < 3):
        return None
    kind = TableKind.TASKS if TableKind.TASKS in kinds else TableKind.INDICATORS
    seen: set[tuple[Field, int | None]] = set()
    columns = []
    for col in found:
        # A field printed twice (two `Ghi chú`) keeps its first column; the other one is read as unknown.
        if (col.field, col.year) not in seen:
            seen.add((col.field, col.year))
            columns.append(col)
    return kind, columns


# --- cells ------------------------------------------------------------------------------------------------


def _format_number(value: int | float | Decimal, number_format: str) -> str:
    if isinstance(value, float) and "%" in (number_format or ""):
        value = Decimal(str(value)) * 100
        text = _format_number(value.normalize(), "")
        return f"{text}%"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    # Vietnamese decimal comma, so the parsers read `81,5` as they read what people type.
    return text.replace(".", ",")


def cell_text(value, number_format: str = "") -> str:
    """The text a cell shows, as the parsers and the unit matcher expect it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return _format_number(value, number_format)
    return clean_text(str(value))


# --- rows -------------------------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?\d{1,4}$", re.IGNORECASE)


def is_roman(number: str) -> bool:
    return bool(_ROMAN.match(number.rstrip(".").strip()))


@dataclass
class _SheetCells:
    name: str
    rows: list[tuple[int, list[str], list[str]]]  # (row number, texts, formulas without a cached value)
    far_cells: list[tuple[int, str]] = field(default_factory=list)  # (row, column letter) right of MAX_COLS


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _too_slow()


def _has_formulas(data: bytes, deadline: float) -> bool:
    """Whether any worksheet stores a formula; only then is the file read a second time to find them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as part:
                while chunk := part.read(1 << 20):
                    _check_time(deadline)
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


# A cell element that holds a value, formula or inline string (not `<c r="XFD1"/>` nor `<c r="XFD1" s="1"/>`).
_VALUE_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{2,3})(\d+)"[^>]*?(?<!/)>\s*<(?:\w+:)?(?:v|f|is)[\s>/]'
)


def _far_cells(data: bytes, part: str, deadline: float) -> list[tuple[int, str]]:
    """Cells right of MAX_COLS that hold something, found in the sheet's XML without building any cell."""
    found: dict[tuple[int, str], None] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            _check_time(deadline)
            window = tail + chunk
            for match in _VALUE_CELL.finditer(window):
                letters = match.group(1).decode()
                if column_index_from_string(letters) > MAX_COLS:
                    found[(int(match.group(2)), letters)] = None
                    if len(found) >= _MAX_FAR_CELLS:
                        return list(found)
            tail = window[-1024:]  # a cell tag cut by the chunk boundary is matched again in the next window
    return list(found)


def _load(data: bytes, *, data_only: bool):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise BadFile(
            "Tệp .xlsx bị hỏng hoặc không đúng chuẩn, không đọc được. "
            "Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from error


def _rows_of(ws) -> Iterator[tuple]:
    # A sheet's stored dimension is often wrong in files other programs wrote; read what is really there.
    ws.reset_dimensions()
    return ws.iter_rows(max_col=MAX_COLS)


def _too_many_rows() -> BadFile:
    return BadFile(f"Tệp có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ bảng.".replace(",", "."))


def _read_cells(data: bytes, deadline: float) -> list[_SheetCells]:
    """Every non-empty row of every sheet as text, with the formulas that have no cached value."""
    values_wb = _load(data, data_only=True)
    _check_time(deadline)
    # Cached values come from the first pass; the second one only tells which cells hold a formula.
    formulas_wb = _load(data, data_only=False) if _has_formulas(data, deadline) else None
    sheets: list[_SheetCells] = []
    filled_rows = 0
    try:
        formula_sheets = formulas_wb.worksheets if formulas_wb else [None] * len(values_wb.worksheets)
        for values_ws, formulas_ws in zip(values_wb.worksheets, formula_sheets, strict=True):
            if not hasattr(values_ws, "iter_rows"):
                continue  # a chart sheet holds no cells
            formula_rows = _rows_of(formulas_ws) if formulas_ws is not None else itertools.repeat(())
            rows = []
            for number, (value_row, formula_row) in enumerate(
                zip(_rows_of(values_ws), formula_rows, strict=False), start=1
            ):
                if number > _MAX_SCANNED_ROWS:
                    raise _too_many_rows()
                if not number % 256:
                    _check_time(deadline)
                texts = [cell_text(c.value, getattr(c, "number_format", "")) for c in value_row]
                formulas = [
                    str(f.value) if getattr(f, "data_type", "") == "f" and v.value is None else ""
                    for v, f in zip(value_row, formula_row, strict=False)
                ]
                if any(texts) or any(formulas):
                    filled_rows += 1
                    if filled_rows > MAX_ROWS:
                        raise _too_many_rows()
                    rows.append((number, texts, formulas))
            part = getattr(values_ws, "_worksheet_path", "")
            far = _far_cells(data, part, deadline) if part else []
            sheets.append(_SheetCells(values_ws.title, rows, far))
    except BadFile:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged sheet part surfaces only while streaming
        raise BadFile(
            "Tệp .xlsx bị hỏng ở phần dữ liệu, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from error
    finally:
        values_wb.close()
        if formulas_wb is not None:
            formulas_wb.close()
    if filled_rows == 0:
        raise BadFile("Tệp không có dữ liệu: mọi trang tính đều trống.")
    return sheets


# --- Word documents ---------------------------------------------------------------------------------------

# Paragraphs read for the plan's period and title: the document's first lines, the lines just above a table.
_TITLE_PARAGRAPHS = 12
_PARAGRAPHS_BEFORE_TABLE = 3


def _docx_rows(table, deadline: float) -> list[tuple[int, list[str], list[str]]]:
    """A Word table's rows as a sheet's: a merged cell's text in its first cell only, as Excel keeps it; a
    cell of several paragraphs is one text of several lines, as Alt+Enter makes in Excel."""
    rows = []
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        if not number % 256:
            _check_time(deadline)
        texts = [""] * tr.grid_before
        for tc in tr.tc_lst:
            # `continue` marks a cell merged with the one above it: empty, like the lower cells of an
            # Excel merge.
            text = "" if tc.vMerge == "continue" else cell_text(_WordCell(tc, table).text)
            texts.extend([text] + [""] * (tc.grid_span - 1))
        if any(texts):
            rows.append((number, texts[:MAX_COLS], [""] * min(len(texts), MAX_COLS)))
    return rows


def _read_docx(data: bytes, deadline: float) -> tuple[list[_SheetCells], list[str]]:
    """Each table of the document as a sheet `Bảng 1`, `Bảng 2`…; and the lines that may name its period."""
    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many kinds on a damaged file
        raise BadFile(
            "Không đọc được tệp Word (.docx) này: tệp bị hỏng hoặc không đúng chuẩn. "
            "Hãy mở bằng Word, lưu lại dạng .docx rồi tải lên lại."
        ) from error
    sheets: list[_SheetCells] = []
    captions: list[str] = []
    recent: list[str] = []
    filled_rows = 0
    for block in content:
        _check_time(deadline)
        if isinstance(block, DocxTable):
            captions.extend(recent[-_PARAGRAPHS_BEFORE_TABLE:])
            recent = []
            rows = _docx_rows(block, deadline)
            filled_rows += len(rows)
            if filled_rows > MAX_ROWS:
                raise _too_many_rows()
            sheets.append(_SheetCells(f"Bảng {len(sheets) + 1}", rows))
            continue
        text = clean_text(block.text).replace("\n", " ")
        if text:
            recent.append(text)
            if len(captions) < _TITLE_PARAGRAPHS and not sheets:
                captions.append(text)
    if not any(sheet.rows for sheet in sheets):
        raise BadFile(
            "Tệp Word (.docx) không có bảng nào. Các phụ lục chỉ tiêu, nhiệm vụ cần là bảng của Word "
            "(Chèn › Bảng), có dòng tiêu đề cột như «TT», «Chỉ tiêu», «Nhiệm vụ», «Đơn vị chủ trì»."
        )
    return sheets, list(dict.fromkeys(captions))


def read_sheet_rows(data: bytes) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """(sheet name, [(row number, cell texts)]) of every non-empty row of an .xlsx, with the checks
    `read_workbook` makes; for tables other than a plan's (the list of people). A formula without a cached
    value reads as its text, never evaluated."""
    deadline = time.monotonic() + _MAX_SECONDS
    if check_file(data, deadline) != FileKind.XLSX:
        raise BadFile("Tệp không phải bảng tính Excel .xlsx. Hãy mở bằng Excel và lưu dạng .xlsx.")
    return [
        (sheet.name, [(number, texts) for number, texts, _formulas in sheet.rows])
        for sheet in _read_cells(data, deadline)
    ]


def _is_page_number(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) == 1 and bool(_PAGE_NUMBER.match(filled[0]))


def read_workbook(data: bytes) -> Workbook:
    """Tables of the workbook with their rows; raises BadFile for a file refused as a whole."""
    deadline = time.monotonic() + _MAX_SECONDS
    captions: list[str] = []
    if check_file(data, deadline) == FileKind.DOCX:
        sheets, captions = _read_docx(data, deadline)
    else:
        sheets = _read_cells(data, deadline)
    tables: list[Table] = []
    problems: list[Problem] = []
    skipped: list[Problem] = []
    for sheet in sheets:
        problems.extend(
            Problem(
                sheet.name,
                row,
                letters,
                "dữ liệu",
                f"ô trống: chỉ đọc {MAX_COLS} cột đầu (A–{get_column_letter(MAX_COLS)}); "
                "hãy chuyển nội dung vào bảng hoặc xóa ô này",
            )
            for row, letters in sheet.far_cells
        )
        current: Table | None = None
        for number, texts, formulas in sheet.rows:
            header = detect_header(texts)
            if header is not None:
                kind, columns = header
                if current is not None and current.kind == kind:
                    skipped.append(
                        Problem(sheet.name, number, "", _row_preview(texts), "dòng tiêu đề lặp lại (bỏ qua)")
                    )
                    continue
                current = Table(sheet=sheet.name, kind=kind, header_row=number, columns=columns)
                tables.append(current)
                continue
            if current is None:
                # Titles above the table (`PHỤ LỤC 01`, `Danh mục các chỉ tiêu ...`) are not rows.
                captions.append(" ".join(t for t in texts if t))
                continue
            if _is_page_number(texts) and not any(formulas):
                skipped.append(Problem(sheet.name, number, "", _row_preview(texts), "số trang (bỏ qua)"))
                continue
            cells = {}
            for col in current.columns:
                if col.index < len(formulas) and formulas[col.index]:
                    problems.append(
                        Problem(
                            sheet.name,
                            number,
                            col.label(),
                            formulas[col.index],
                            "chữ hoặc số; ô đang chứa công thức chưa có giá trị (mở tệp bằng Excel, "
                            "lưu lại, hoặc dán dạng giá trị)",
                        )
                    )
                cells[col] = texts[col.index] if col.index < len(texts) else ""
            stray = [(i, t) for i, t in enumerate(texts) if t and i not in {c.index for c in current.columns}]
            for index, text in stray:
                problems.append(
                    Problem(
                        sheet.name,
                        number,
                        get_column_letter(index + 1),
                        text,
                        "ô trống: cột này không có tên cột được nhận dạng ở dòng tiêu đề "
                        f"(dòng {current.header_row})",
                    )
                )
            if any(cells.values()):
                current.rows.append(Row(number=number, cells=cells))
    if not tables:
        raise BadFile(
            "Không tìm thấy dòng tiêu đề của bảng chỉ tiêu hoặc nhiệm vụ. Dòng tiêu đề cần có các cột như "
            "«TT», «Chỉ tiêu» hoặc «Nhiệm vụ», «Mục tiêu 2026», «Đơn vị chủ trì», «Thời gian hoàn thành»."
        )
    return Workbook(tables=tables, problems=problems, skipped=skipped, captions=captions)


def _row_preview(texts: list[str]) -> str:
    joined = " | ".join(t.replace("\n", " ") for t in texts if t)
    return joined if len(joined) <= 120 else joined[:117] + "…"
