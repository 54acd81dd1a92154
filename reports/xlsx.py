"""The report as an Excel workbook: summary, indicators, tasks, budget and target against actual.

Every text cell is written as a string cell: a text that begins with `=`, `+`, `-` or `@` (a bullet line,
a unit typed `=Phòng Kinh tế`) is stored as text with Excel's quote prefix, so nothing a user typed runs as a
formula in the recipient's Excel, and it reads exactly as typed (no visible apostrophe).
"""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.excel import write_text
from common.text import strip_unsafe
from reports.content import NARRATIVE_SECTIONS, TASK_STATE_LABELS, ReportContent

PERCENT = "0.0%"
WHOLE_PERCENT = "0%"
AMOUNT = "#,##0"
FIGURE = "#,##0.##"
DATE = "dd/mm/yyyy"

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
# Named styles, registered once per workbook: assigning one by name is several times cheaper than setting
# font, alignment and border cell by cell (openpyxl hashes each style object on every assignment).
CELL, BOLD_CELL, HEAD, TITLE, SUBTITLE = "cds_cell", "cds_bold_cell", "cds_head", "cds_title", "cds_subtitle"
_STYLES = [
    NamedStyle(CELL, font=Font(name="Times New Roman", size=12), alignment=_WRAP, border=_BOX),
    NamedStyle(
        BOLD_CELL, font=Font(name="Times New Roman", size=12, bold=True), alignment=_WRAP, border=_BOX
    ),
    NamedStyle(HEAD, font=Font(name="Times New Roman", size=12, bold=True), alignment=_CENTRE, border=_BOX),
    NamedStyle(TITLE, font=Font(name="Times New Roman", size=14, bold=True), alignment=_CENTRE),
    NamedStyle(SUBTITLE, font=Font(name="Times New Roman", size=12, italic=True), alignment=_CENTRE),
]


def _put(
    ws: Worksheet, row: int, column: int, value, number_format: str | None = None, style: str = CELL
) -> Cell:
    cell = ws.cell(row=row, column=column)
    cell.style = style  # first: a named style replaces the whole cell style, quote prefix included
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def _sheet(wb: Workbook, title: str, widths: list[int], heading: list[str], c: ReportContent) -> Worksheet:
    """A sheet with merged title rows, a bold boxed header row frozen under them, and A4 landscape print."""
    ws = wb.create_sheet(title)
    last = get_column_letter(len(widths))
    for row, (text, style) in enumerate(
        [(c.issuing_body, TITLE), (heading[0], TITLE), (heading[1], SUBTITLE)], 1
    ):
        ws.merge_cells(f"A{row}:{last}{row}")
        _put(ws, row, 1, text, style=style)
    ws.row_dimensions[2].height = 36
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    return ws


def _footnote(ws: Worksheet, c: ReportContent) -> None:
    """The verdict rule, printed at the foot of every page of a sheet of verdicts (the PDF's footnote)."""
    ws.oddFooter.left.text = f"Ghi chú: {c.verdict_rule}"
    ws.oddFooter.left.size = 9


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        _put(ws, row, column, label, style=HEAD)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"


def _rate(value: Decimal | None) -> Decimal | None:
    return value / 100 if value is not None else None


def _summary(wb: Workbook, c: ReportContent) -> None:
    ws = _sheet(wb, "Tổng hợp", [42, 90], [f"BÁO CÁO\n{c.subject}", c.date_line], c)
    s = c.summary
    rows: list[tuple[str, object, str | None]] = [
        ("Số, ký hiệu", c.number.strip(), None),
        ("Kỳ báo cáo", f"{c.period_label} ({c.period_code})", None),
        ("Ngày báo cáo", c.report_date, DATE),
        ("Phiên bản", c.version, None),
        ("Chỉ tiêu đạt", s.line, None),
        ("Tỷ lệ chỉ tiêu đạt", s.met_share, PERCENT),
        ("Chỉ tiêu chưa có số liệu được duyệt", s.indicators_without_data, None),
        ("Cách đánh giá chỉ tiêu", c.verdict_rule, None),
        *(
            (f"Nhiệm vụ: {label.lower()}", s.tasks_by_state.get(state, 0), None)
            for state, label in TASK_STATE_LABELS.items()
        ),
        ("Nhiệm vụ chưa có báo cáo được duyệt", s.tasks_without_data, None),
        (f"Kinh phí đã chi năm {c.year} (đồng)", c.budget_spent_total, AMOUNT),
        ("Người ký", f"{c.signer_authority} – {c.signer_title}: {c.signer_name}".strip(" –:"), None),
    ]
    if c.correction_note:
        rows.append(("Đính chính", c.correction_note, None))
    _header(ws, 5, ["Nội dung", "Giá trị"])
    row = 6
    for label, value, number_format in rows:
        _put(ws, row, 1, label, style=BOLD_CELL)
        _put(ws, row, 2, value, number_format)
        row += 1
    for name, title in NARRATIVE_SECTIONS:
        _put(ws, row, 1, title, style=BOLD_CELL)
        _put(ws, row, 2, c.narrative[name])
        row += 1


def _indicators(wb: Workbook, c: ReportContent) -> None:
    heading = [f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {c.period_label.upper()}", c.summary.line]
    # A Ghi chú column, last, when the plan wrote notes (as the PDF's Phụ lục I).
    notes = c.indicators_have_notes
    ws = _sheet(wb, "Chỉ tiêu", [6, 60, 14, 16, 14, 30, 20, *([24] if notes else [])], heading, c)
    columns = ["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá", "Đơn vị chủ trì", "Trạng thái số liệu"]
    columns += ["Ghi chú"] if notes else []
    _header(ws, 4, columns)
    row = 5
    for section, rows in c.grouped_indicators():
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
        _put(ws, row, 1, section, style=BOLD_CELL)
        row += 1
        for item in rows:
            if item.has_result and item.is_rate and item.value is not None:
                actual, number_format = _rate(item.value), PERCENT
            elif item.has_result and item.value is not None:
                actual, number_format = item.value, FIGURE
            else:
                actual, number_format = item.actual, None
            _put(ws, row, 1, item.number)
            _put(ws, row, 2, item.name)
            _put(ws, row, 3, item.target)
            _put(ws, row, 4, actual, number_format)
            _put(ws, row, 5, item.verdict_label)
            _put(ws, row, 6, item.lead)
            _put(ws, row, 7, "Đã duyệt" if item.approved else "Chưa có số liệu được duyệt")
            if notes:
                _put(ws, row, 8, item.note)
            row += 1
    _footnote(ws, c)


def _tasks(wb: Workbook, c: ReportContent) -> None:
    heading = [f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ {c.period_label.upper()}", c.date_line]
    notes = c.tasks_have_notes
    ws = _sheet(wb, "Nhiệm vụ", [6, 55, 26, 14, 18, 12, 40, 30, 30, 18, *([24] if notes else [])], heading, c)
    columns = [
        "TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn",
        "Tiến độ",
        "% hoàn thành",
        "Kết quả",
        "Khó khăn, vướng mắc",
        "Kiến nghị, đề xuất",
        "Tình trạng",
    ]
    columns += ["Ghi chú"] if notes else []
    _header(ws, 4, columns)
    row = 5
    for section, rows in c.grouped_tasks():
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
        _put(ws, row, 1, section, style=BOLD_CELL)
        row += 1
        for item in rows:
            percent = Decimal(item.percent) / 100 if item.approved and item.percent is not None else None
            _put(ws, row, 1, item.number)
            _put(ws, row, 2, item.description)
            _put(ws, row, 3, item.lead)
            _put(ws, row, 4, item.deadline)
            _put(ws, row, 5, item.progress_label if item.approved else "Chưa có số liệu")
            _put(ws, row, 6, percent, WHOLE_PERCENT)
            _put(ws, row, 7, item.results)
            _put(ws, row, 8, item.difficulties)
            _put(ws, row, 9, item.proposals)
            _put(ws, row, 10, item.state_label)
            if notes:
                _put(ws, row, 11, item.note)
            row += 1


def _budget(wb: Workbook, c: ReportContent) -> None:
    total = (
        f"Tổng kinh phí đã chi: {c.budget_spent_total_text}" if c.has_budget else "Chưa có số liệu kinh phí"
    )
    ws = _sheet(wb, "Kinh phí", [6, 26, 60, 18, 18, 14, 8], [f"KINH PHÍ THỰC HIỆN NĂM {c.year}", total], c)
    columns = [
        "TT",
        "Nguồn kinh phí",
        "Nội dung",
        "Dự toán (đồng)",
        "Đã chi (đồng)",
        "Tỷ lệ giải ngân",
        "Năm",
    ]
    _header(ws, 4, columns)
    row = 5
    number = 0
    for year in c.budget_years:
        for line in year.rows:
            number += 1
            share = (
                Decimal(line.spent) / Decimal(line.planned)
                if line.planned and line.spent is not None
                else None
            )
            for column, (value, number_format) in enumerate(
                [
                    (number, None),
                    (line.source, None),
                    (line.item, None),
                    (line.planned, AMOUNT),
                    (line.spent, AMOUNT),
                    (share, PERCENT),
                    (line.year, None),
                ],
                start=1,
            ):
                _put(ws, row, column, value, number_format)
            row += 1
        # One closing row per year, then the year's total in words: what the PDF prints under its table.
        _put(ws, row, 3, f"Tổng cộng năm {year.year}", style=BOLD_CELL)
        _put(ws, row, 4, year.planned, AMOUNT, style=BOLD_CELL)
        _put(ws, row, 5, year.spent, AMOUNT, style=BOLD_CELL)
        row += 1
        words = [
            f"{label} bằng chữ: {text}."
            for label, text in (("Dự toán", year.planned_words), ("Đã chi", year.spent_words))
            if text
        ]
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(columns))
        _put(ws, row, 2, " ".join(words))
        row += 1


def _trend(wb: Workbook, c: ReportContent) -> None:
    heading = [f"MỤC TIÊU VÀ KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {c.year}", f"Đến hết {c.period_label}"]
    widths = [6, 55, 16, 14, *([14] * len(c.trend_periods)), 16]
    ws = _sheet(wb, "Mục tiêu - Thực hiện", widths, heading, c)
    columns = ["TT", "Chỉ tiêu", "Cơ sở", "Mục tiêu", *c.trend_periods, "Đánh giá"]
    _header(ws, 4, columns)
    for row, item in enumerate(c.trend, start=5):
        for column, value in enumerate(
            [item.number, item.name, item.baseline, item.target, *item.values, item.verdict_label], start=1
        ):
            _put(ws, row, column, value)
    _footnote(ws, c)


def render_xlsx(c: ReportContent) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for style in _STYLES:
        wb.add_named_style(style)
    _summary(wb, c)
    _indicators(wb, c)
    _tasks(wb, c)
    _budget(wb, c)
    _trend(wb, c)
    wb.properties.creator = strip_unsafe(c.issuing_body_title)  # a commune name stored before the rule
    wb.properties.title = f"Báo cáo {c.period_label}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
