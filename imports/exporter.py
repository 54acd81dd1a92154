"""Write a plan's indicators and tasks as an .xlsx in the layout the importer reads, and a blank template.

An exported plan imports again without change: same header names, sections as `I | title` rows, subsections
as `| title` rows, items with their printed number, every text as printed. Every cell is written as text (a
string starting with `=` would otherwise become a formula), so nothing a user typed runs when Excel opens it.
"""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.excel import write_text
from imports.plan_rows import BULLET, LEADING_BULLET
from imports.reader import ROW_KIND_GROUP, ROW_KIND_SUBGROUP, is_roman
from indicators.models import Indicator
from plans.models import Plan, Section, SectionKind
from tasks.models import Task

INDICATOR_SHEET = "Chỉ tiêu"
TASK_SHEET = "Nhiệm vụ"
INSTRUCTIONS_SHEET = "Hướng dẫn"
LEAD_HEADER = "Đơn vị chủ trì (tham mưu)"
# Last column of a plan whose rows the number alone cannot tell apart (a chapter numbered `1`, a task printed
# as bare prose with no number, unit nor deadline): says which rows are groups, so each reads back as it was.
ROW_KIND_HEADER = "Loại dòng"
TASK_HEADERS = [
    "TT",
    "Nhiệm vụ",
    LEAD_HEADER,
    "Cơ quan phối hợp",
    "Cơ quan theo dõi, tổng hợp",
    "Thời gian hoàn thành",
    "Ghi chú",
]
_WIDTHS = {"TT": 7, "Chỉ tiêu": 60, "Nhiệm vụ": 60, "Ghi chú": 20, ROW_KIND_HEADER: 11}
# (cells, `Loại dòng`) of each row; the row kind is "" for an item.
Rows = list[tuple[list[str], str]]
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def indicator_headers(target_years: Iterable[int], baseline_years: Iterable[int] = ()) -> list[str]:
    return [
        "TT",
        "Chỉ tiêu",
        *[f"Kết quả đạt được năm {year}" for year in sorted(set(baseline_years))],
        *[f"Mục tiêu {year}" for year in sorted(set(target_years))],
        LEAD_HEADER,
        "Cơ quan phối hợp",
        "Ghi chú",
    ]


def _put(ws, row: int, values: list[str], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        if value in ("", None):
            continue
        cell = ws.cell(row=row, column=column)
        # Text stays text (a cell starting with `=` is not a formula) and holds only what XML can carry.
        write_text(cell, value)
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD


def _sheet(wb: Workbook, title: str, caption: list[str], headers: list[str]):
    ws = wb.create_sheet(title)
    for row, line in enumerate(caption, start=1):
        _put(ws, row, [line], bold=True)
    header_row = len(caption) + 2 if caption else 1
    _put(ws, header_row, headers, bold=True)
    for column, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(column)].width = _WIDTHS.get(header, 24)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws, header_row + 1


def _sections_in_order(plan: Plan, kind: str) -> list[tuple[Section, list[Section]]]:
    sections = list(plan.sections.filter(kind=kind).order_by("order"))
    tops = [s for s in sections if s.parent_id is None]
    return [(top, [s for s in sections if s.parent_id == top.pk]) for top in tops]


def _indicator_rows(plan: Plan) -> tuple[list[str], Rows]:
    indicators = list(plan.indicators.prefetch_related("targets").order_by("order"))
    target_years = {plan.target_year} | {t.year for i in indicators for t in i.targets.all()}
    baseline_years = {i.baseline_year for i in indicators if i.baseline_text and i.baseline_year}
    headers = indicator_headers(target_years, baseline_years)
    by_section: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_section.setdefault(indicator.section_id, []).append(indicator)

    def item_row(indicator: Indicator) -> list[str]:
        targets = {t.year: t.raw_text for t in indicator.targets.all()}
        return [
            indicator.number,
            indicator.name,
            *[
                indicator.baseline_text if indicator.baseline_year == year else ""
                for year in sorted(baseline_years)
            ],
            *[targets.get(year, "") for year in sorted(target_years)],
            indicator.lead_text,
            indicator.coordinating_text,
            indicator.note,
        ]

    return headers, _rows(plan, SectionKind.INDICATORS, by_section, item_row)


def _task_rows(plan: Plan) -> Rows:
    by_section: dict[int, list[Task]] = {}
    for task in plan.tasks.order_by("order"):
        by_section.setdefault(task.section_id, []).append(task)

    def item_row(task: Task) -> list[str]:
        return [
            task.number,
            task.description,
            task.lead_text,
            task.coordinating_text,
            task.monitoring_text,
            task.deadline_text,
            task.note,
        ]

    return _rows(plan, SectionKind.TASKS, by_section, item_row)


def _rows(plan: Plan, kind: str, by_section: dict, item_row) -> Rows:
    """The rows in the printed order: a group, its items, then each subgroup and its items."""
    rows: Rows = []
    for top, subsections in _sections_in_order(plan, kind):
        rows.append(([top.number, top.title], ROW_KIND_GROUP))
        rows.extend((item_row(item), "") for item in by_section.get(top.pk, []))
        for sub in subsections:
            rows.append(([sub.number, sub.title], ROW_KIND_SUBGROUP))
            rows.extend((item_row(item), "") for item in by_section.get(sub.pk, []))
    return rows


def _reads_back_by_numbers(rows: Rows) -> bool:
    """Whether the importer tells groups from items without a `Loại dòng` column: groups numbered with a
    Roman numeral, subgroups unnumbered with an item under them, items never bare prose, Roman-numbered or
    bulleted (the importer would drop the bullet)."""
    for position, ((number, title, *others), row_kind) in enumerate(rows):
        if row_kind == ROW_KIND_GROUP:
            plain = is_roman(number) and number == number.rstrip(".").strip()
            if not plain or not title:
                return False
        elif row_kind == ROW_KIND_SUBGROUP:
            item_next = position + 1 < len(rows) and rows[position + 1][1] == ""
            if number or not item_next:
                return False
        elif _ambiguous_item(number, title, others):
            return False
    return True


def _ambiguous_item(number: str, text: str, others: list[str]) -> bool:
    if is_roman(number) or BULLET.fullmatch(number):
        return True
    return not number and (not any(others) or bool(LEADING_BULLET.match(text)))


def _write_table(wb: Workbook, title: str, caption: list[str], headers: list[str], rows: Rows) -> None:
    marked = not _reads_back_by_numbers(rows)
    ws, first_row = _sheet(wb, title, caption, [*headers, ROW_KIND_HEADER] if marked else headers)
    for offset, (values, row_kind) in enumerate(rows):
        if marked:
            values = [*values, *[""] * (len(headers) - len(values)), row_kind]
        _put(ws, first_row + offset, values, bold=bool(row_kind))


def plan_workbook(plan: Plan) -> bytes:
    """The plan's two appendices, each on its own sheet, in the layout the importer reads back."""
    wb = Workbook()
    wb.remove(wb.active)
    commune = plan.commune
    # The period line is read back when the file is imported as a new plan (a half-year plan stays one).
    heading = [
        f"{commune} – {plan.title}",
        f"Kỳ kế hoạch: từ ngày {plan.period_start:%d/%m/%Y} đến ngày {plan.period_end:%d/%m/%Y}",
    ]
    headers, indicator_rows = _indicator_rows(plan)
    _write_table(
        wb,
        INDICATOR_SHEET,
        [f"PHỤ LỤC 01 – DANH MỤC CHỈ TIÊU NĂM {plan.target_year}", *heading],
        headers,
        indicator_rows,
    )
    _write_table(
        wb,
        TASK_SHEET,
        [f"PHỤ LỤC 02 – DANH MỤC NHIỆM VỤ NĂM {plan.target_year}", *heading],
        TASK_HEADERS,
        _task_rows(plan),
    )
    return _save(wb)


INSTRUCTIONS = [
    "HƯỚNG DẪN NHẬP KẾ HOẠCH CHUYỂN ĐỔI SỐ TỪ EXCEL",
    "",
    "1. Dán bảng Phụ lục chỉ tiêu vào trang «Chỉ tiêu», bảng Phụ lục nhiệm vụ vào trang «Nhiệm vụ» "
    "(có thể để cả hai bảng trên một trang, hoặc chia nhiều trang).",
    "2. Giữ dòng tiêu đề cột. Thứ tự cột tùy ý; tên cột có thể viết theo kế hoạch của xã: «TT»/«STT»; "
    "«Chỉ tiêu»/«Mục tiêu»; «Mục tiêu 2026» hoặc «Kết quả đạt được»; "
    "«Nhiệm vụ»/«Danh mục nhiệm vụ, giải pháp»; "
    "«Đơn vị chủ trì (tham mưu)»/«Cơ quan chủ trì»; «Cơ quan phối hợp»; «Cơ quan theo dõi, tổng hợp»; "
    "«Thời gian hoàn thành»/«Thời hạn»; «Ghi chú».",
    "3. Dòng nhóm: cột TT ghi số La Mã (I, II, III…), cột Chỉ tiêu/Nhiệm vụ ghi tên nhóm. "
    "Nhóm con: để trống cột TT, chỉ ghi tên nhóm con. Nếu có cột «Loại dòng» (tệp xuất từ hệ thống khi nhóm "
    "đánh số 1, 2, 3… hoặc nhiệm vụ không có số thứ tự), cột này ghi «Nhóm» hoặc «Nhóm con» ở dòng nhóm; "
    "mọi dòng khác là một chỉ tiêu hoặc nhiệm vụ, kể cả dòng chỉ có nội dung.",
    "4. Mỗi chỉ tiêu, nhiệm vụ một dòng, ghi số thứ tự như văn bản in. Một ô có thể nhiều dòng (Alt+Enter).",
    "5. Nhiều đơn vị trong một ô: ngăn cách bằng dấu «;» hoặc xuống dòng. Tên đơn vị phải trùng tên hoặc "
    "cách viết khác của một đơn vị của xã (không phân biệt hoa thường, dấu câu, «hoá»/«hóa»).",
    "6. Mục tiêu ghi như văn bản: 100%, ≥50%, >80%, 50-80%, Đạt, Hoàn thành, 400 dịch vụ công trực tuyến…",
    "7. Thời hạn ghi như văn bản: Quý 1/2026, Tháng 10/2026, Trước ngày 20/12/2026, 2026, Thường xuyên, "
    "Khi có yêu cầu…",
    "8. Không dùng công thức; tệp .xlsx tối đa 10 MB và 5.000 dòng. "
    "Trang «Hướng dẫn» này được bỏ qua khi nhập.",
    "9. Khi tải lên, hệ thống cho xem trước mọi thay đổi và mọi lỗi (theo trang, dòng, cột); "
    "chỉ khi bấm «Xác nhận nhập» dữ liệu mới được ghi.",
]


def template_workbook(year: int) -> bytes:
    """A blank template: instructions first, then the two empty tables."""
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 120
    for row, line in enumerate(INSTRUCTIONS, start=1):
        _put(ws, row, [line], bold=row == 1)
    _sheet(wb, INDICATOR_SHEET, [], indicator_headers([year]))
    _sheet(wb, TASK_SHEET, [], TASK_HEADERS)
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
