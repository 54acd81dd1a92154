"""The catalogue and the province matrix as Excel workbooks; every text cell through common.excel.write_text,
so a name that begins with `=` reads as typed and is never run as a formula."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from catalogue.aggregate import Cell
from catalogue.models import CatalogueEntry, Measure
from catalogue.selectors import Matrix, MatrixRow
from catalogue.sheet import COLUMNS
from common.excel import write_text
from common.text import fold
from indicators.models import VERDICT_LABELS
from plans.workflow import Pillar

NO_DATA_LABEL = "Chưa báo cáo"
_WIDTHS = {"code": 10, "name": 60, "pillar": 22, "measure": 20, "aggregation": 30, "source": 40, "target": 22}


def _bold_header(sheet, headers: list[str], widths: list[int]) -> None:
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=index)
        write_text(cell, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalogue_workbook(entries: list[CatalogueEntry]) -> bytes:
    """The catalogue in the layout the import reads (an empty list gives the blank template)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục chỉ tiêu chung"
    _bold_header(sheet, list(COLUMNS.values()), [_WIDTHS[key] for key in COLUMNS])
    for number, entry in enumerate(entries, start=2):
        texts = [
            entry.code,
            entry.name,
            str(Pillar(entry.pillar).label),
            str(entry.get_measure_display()),
            str(entry.get_aggregation_display()),
            entry.source,
            entry.target_text,
        ]
        for column, text in enumerate(texts, start=1):
            write_text(sheet.cell(row=number, column=column), text)
    return _save(workbook)


def _figure(entry: CatalogueEntry, cell: Cell):
    """What a cell shows: the rate as a number of percent, a count, or Đạt/Chưa đạt for a yes/no entry."""
    if not cell.reporting:
        return None
    if entry.measure == Measure.YES_NO or cell.value is None:
        return str(VERDICT_LABELS.get(cell.state, ""))
    return float(cell.value)


def matrix_workbook(matrix: Matrix, rows: list[MatrixRow]) -> bytes:
    """The page's table: per entry its figure and the verdict; then the province's aggregate and the count
    of communes reporting."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Chỉ tiêu chung {matrix.code}"[:31]
    headers, widths = ["STT", "Xã/phường", "Mã xã", "Kỳ báo cáo"], [6, 28, 9, 12]
    for entry in matrix.entries:
        unit = " (%)" if entry.measure == Measure.PERCENT else ""
        headers += [f"{entry.code}: {entry.name}{unit}", f"{entry.code}: đánh giá"]
        widths += [18, 12]
    _bold_header(sheet, headers, widths)
    line = 2
    for number, row in enumerate(rows, start=1):
        sheet.cell(row=line, column=1, value=number)
        write_text(sheet.cell(row=line, column=2), str(row.commune))
        write_text(sheet.cell(row=line, column=3), row.commune.code)
        write_text(sheet.cell(row=line, column=4), row.period.code if row.period else "Không có kỳ này")
        for index, (entry, cell) in enumerate(zip(matrix.entries, row.cells, strict=True)):
            column = 5 + 2 * index
            figure = _figure(entry, cell)
            if isinstance(figure, str):
                write_text(sheet.cell(row=line, column=column), figure)
            else:
                sheet.cell(row=line, column=column, value=figure)
            verdict = str(VERDICT_LABELS.get(cell.state, NO_DATA_LABEL))
            write_text(sheet.cell(row=line, column=column + 1), verdict)
        line += 1
    write_text(sheet.cell(row=line, column=2), "Toàn tỉnh")
    write_text(sheet.cell(row=line + 1, column=2), "Số xã/phường báo cáo")
    for cell in (sheet.cell(row=line, column=2), sheet.cell(row=line + 1, column=2)):
        cell.font = Font(bold=True)
    for index, (entry, total) in enumerate(zip(matrix.entries, matrix.aggregates, strict=True)):
        column = 5 + 2 * index
        sheet.cell(row=line, column=column, value=float(total.value) if total.value is not None else None)
        write_text(sheet.cell(row=line, column=column + 1), str(entry.get_aggregation_display()))
        sheet.cell(row=line + 1, column=column, value=total.reporting)
    sheet.freeze_panes = "C2"
    return _save(workbook)


def filename(matrix: Matrix) -> str:
    """ASCII only, so every browser keeps it: `chi-tieu-chung-nghe-an-2026-q4.xlsx`."""
    words = "-".join(fold(matrix.province.name).split())
    name = "".join(ch for ch in words if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"chi-tieu-chung-{name}-{matrix.code.lower()}.xlsx"
