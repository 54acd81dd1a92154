"""Import of a large task table: a 1,000-row appendix, as an .xlsx and as a Word .docx table, read,
previewed (dry run) and confirmed.

Run against the seed data (`manage.py load_seed_plans`): the table uses Nghĩa Đàn's units, so every unit
mention is resolved as in a real import. Each timed call creates a new plan under a fresh title; the plans
are deleted after the measurement, outside the timed part.
"""

import io
import itertools

import docx
from openpyxl import Workbook

from imports.reader import read_workbook
from imports.services import plan_import
from plans.models import Plan
from units.models import Commune

ROWS = 1000
_LEADS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Trung tâm PVHCC",
    "Phòng Kinh tế",
    "Công an xã",
]
_DEADLINES = [
    "Quý 1/2026",
    "Tháng 10/2026",
    "Trước ngày 20/12/2026",
    "Thường xuyên",
    "2026",
    "Khi có yêu cầu",
]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


_HEADER = [
    "TT",
    "Nhiệm vụ",
    "Đơn vị chủ trì (tham mưu)",
    "Cơ quan phối hợp",
    "Cơ quan theo dõi, tổng hợp",
    "Thời gian hoàn thành",
    "Ghi chú",
]


def task_rows(rows: int = ROWS) -> list[list[str]]:
    """A task appendix of `rows` tasks in 10 sections, several units per cell and varied deadlines."""
    out = [list(_HEADER)]
    per_section = rows // len(_ROMAN)
    number = itertools.count(1)
    for roman in _ROMAN:
        out.append([roman, f"Nhóm nhiệm vụ {roman}"])
        for i in range(per_section):
            n = next(number)
            out.append(
                [
                    str(n),
                    f"Triển khai nhiệm vụ chuyển đổi số {n}: số hóa hồ sơ,\nhướng dẫn người dân",
                    _LEADS[n % len(_LEADS)],
                    f"{_LEADS[(n + 1) % len(_LEADS)]};\n{_LEADS[(n + 2) % len(_LEADS)]}",
                    "Phòng Văn hóa - Xã hội",
                    _DEADLINES[n % len(_DEADLINES)],
                    "" if i % 3 else "Đã có",
                ]
            )
    return out


def task_table(rows: int = ROWS) -> bytes:
    """The appendix as an .xlsx."""
    # A normal workbook, as Excel saves one (with its dimension record), not openpyxl's streaming writer.
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for values in task_rows(rows):
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def task_document(rows: int = ROWS) -> bytes:
    """The same appendix as a Word table, as a plan's .docx holds it: a cell's lines are paragraphs, a group
    row's title cell is merged across the rest of the row."""
    table_rows = task_rows(rows)
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC 02 – DANH MỤC NHIỆM VỤ NĂM 2026")
    table = document.add_table(rows=len(table_rows), cols=len(_HEADER))
    for row, values in zip(table.rows, table_rows, strict=True):
        cells = row.cells
        for cell, value in zip(cells, values, strict=False):
            first, *more = value.split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
        if len(values) == 2:
            cells[1].merge(cells[-1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def run(bench) -> None:
    if not bench.wants_topic("imports"):
        return
    commune = Commune.objects.filter(name="Nghĩa Đàn").first()
    if commune is None:
        raise RuntimeError("imports bench needs the seed plans: python manage.py load_seed_plans")
    titles = (f"Bench nhập kế hoạch {n}" for n in itertools.count(1))
    created: list[str] = []
    try:
        # Names as the .xlsx case always had them; the Word case beside it.
        _measure(bench, "imports.tasks_1000", task_table(), commune, titles, created)
        _measure(bench, "imports.docx_tasks_1000", task_document(), commune, titles, created)
    finally:
        for plan in Plan.objects.filter(commune=commune, title__in=created):
            # Section and rows are protected from each other; rows go first, then the plan with its sections.
            plan.tasks.all().delete()
            plan.indicators.all().delete()
            plan.delete()


def _measure(bench, name: str, data: bytes, commune, titles, created: list[str]) -> None:
    def preview():
        result = plan_import(
            commune=commune, workbook=read_workbook(data), title="Bench xem trước", year=2026
        )
        assert not result.problems and result.count("task", "create") == ROWS

    def preview_and_confirm():
        title = next(titles)
        preview_result = plan_import(commune=commune, workbook=read_workbook(data), title=title, year=2026)
        assert not preview_result.problems
        result = plan_import(
            commune=commune, workbook=read_workbook(data), title=title, year=2026, dry_run=False
        )
        created.append(title)
        assert result.plan.tasks.count() == ROWS

    bench.measure(f"{name}.read", lambda: read_workbook(data), repeat=3, warmup=1)
    bench.measure(f"{name}.dry_run", preview, repeat=3, warmup=1, memory=True)
    bench.measure(
        f"{name}.dry_run_and_confirm",
        preview_and_confirm,
        repeat=3,
        warmup=1,
        extra={"rows": ROWS, "file_kb": round(len(data) / 1024)},
    )
