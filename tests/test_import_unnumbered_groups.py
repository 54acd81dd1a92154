"""A group the document does not number keeps no number: Định Tiến prints its indicators under the heading
`DANH MỤC CÁC CHỈ TIÊU PHẤN ĐẤU HOÀN THÀNH ĐẾN HẾT NĂM 2025` with no numeral. Whether the heading sits in the
name column or is merged across the whole row (its text then in the TT column, as Word and Excel keep a
merged cell), it is a group numbered "", and it stays so through export and re-import.
"""

import io

import docx
from django.core.management import call_command

from imports.exporter import plan_workbook
from imports.reader import read_workbook
from imports.services import plan_import
from tests.data.seed_tables import workbook_bytes
from tests.test_import_round_trip import snapshot
from units.models import Commune

HEADING = "DANH MỤC CÁC CHỈ TIÊU PHẤN ĐẤU HOÀN THÀNH ĐẾN HẾT NĂM 2025"
HEADER = ["TT", "Chỉ tiêu", "Kết quả đạt được"]
ROWS = [
    ["1", "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết trực tuyến.", "100%"],
    ["2", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", "100%"],
]


def _word(headings: list[str]) -> bytes:
    """A Word table whose heading rows are one cell merged across the whole row."""
    document = docx.Document()
    rows = [HEADER, *[[h] for h in headings[:1]], *ROWS[:1], *[[h] for h in headings[1:]], *ROWS[1:]]
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    for row, values in zip(table.rows, rows, strict=True):
        cells = row.cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
        if len(values) == 1:
            cells[0].merge(cells[-1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _commune(db) -> Commune:
    call_command("load_seed_plans", verbosity=0)
    return Commune.objects.get(name="Định Tiến")


def _groups(plan) -> list[tuple[str, str, int]]:
    return [(s.number, s.title, s.indicators.count()) for s in plan.sections.order_by("order")]


def _import(commune, data: bytes, **target):
    target = target or {"title": "Định Tiến 2025", "year": 2025}
    return plan_import(commune=commune, workbook=read_workbook(data), dry_run=False, **target).plan


def test_a_heading_in_the_name_column_is_a_group_with_no_number(db):
    commune = _commune(db)
    plan = _import(commune, workbook_bytes({"Chỉ tiêu": [HEADER, ["", HEADING], *ROWS]}))
    assert _groups(plan) == [("", HEADING, 2)]


def test_a_heading_merged_across_a_word_tables_row_is_a_group_with_no_number(db):
    commune = _commune(db)
    plan = _import(commune, _word([HEADING]))
    assert _groups(plan) == [("", HEADING, 2)]


def test_a_merged_heading_with_a_roman_numeral_keeps_that_numeral(db):
    commune = _commune(db)
    plan = _import(commune, _word(["I. HẠ TẦNG SỐ", "II. CHÍNH QUYỀN SỐ"]))
    assert _groups(plan) == [("I", "HẠ TẦNG SỐ", 1), ("II", "CHÍNH QUYỀN SỐ", 1)]


def test_an_unnumbered_group_survives_export_and_import(db):
    commune = _commune(db)
    plan = _import(commune, _word([HEADING]))
    exported = plan_workbook(plan)
    again = plan_import(commune=commune, workbook=read_workbook(exported), plan=plan, dry_run=True)
    assert again.problems == [] and again.visible_changes == []
    copy = _import(commune, exported, title="Định Tiến 2025 (bản nhập lại)", year=2025)
    assert snapshot(copy) == snapshot(plan)
    assert _groups(copy) == [("", HEADING, 2)]
