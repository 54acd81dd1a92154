"""A plan's Word document imports through the same reader as a workbook: each table is a sheet, a merged
cell reads as Excel reads one (its text in the first cell), a cell of several paragraphs is one text of
several lines.
The documents are built with python-docx from the seed plans' tables and texts.
"""

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportBatch
from imports.reader import BadFile, read_workbook
from imports.services import plan_import
from plans.models import Plan
from tests.data.seed_tables import indicator_table, seed_document, task_table, workbook_bytes
from tests.test_import_round_trip import snapshot
from units.models import Commune

NGHIA_DAN = "001_nghia-dan.json"


def word_file(paragraphs_and_tables: list, *, merge_groups: bool = True) -> bytes:
    """A .docx of paragraphs (str) and tables (lists of rows); group rows (number and title only) have their
    title cell merged across the rest of the row, as plans print them."""
    document = docx.Document()
    for block in paragraphs_and_tables:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = len(block[0])
        table = document.add_table(rows=len(block), cols=width)
        for r, values in enumerate(block):
            cells = table.rows[r].cells
            for c, value in enumerate(values):
                lines = str(value).split("\n")
                cells[c].text = lines[0]
                for line in lines[1:]:
                    cells[c].add_paragraph(line)
            if merge_groups and r and len(values) == 2 and width > 2:
                cells[1].merge(cells[width - 1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def seeded(db):
    call_command("load_seed_plans", verbosity=0)


def _import(commune, data: bytes, *, year: int, dry_run: bool = False, title: str = "Kế hoạch từ Word"):
    return plan_import(commune=commune, workbook=read_workbook(data), title=title, year=year, dry_run=dry_run)


def test_nghia_dans_appendices_as_word_tables_import_as_the_workbook_does(seeded):
    document = seed_document(NGHIA_DAN)
    commune = Commune.objects.get(name="Nghĩa Đàn")
    indicators, tasks = indicator_table(document, "printed"), task_table(document, "printed")
    word = word_file(
        [
            "KẾ HOẠCH",
            document["plan"]["title"],
            "PHỤ LỤC 01",
            indicators,
            "PHỤ LỤC 02",
            tasks,
        ]
    )
    workbook = read_workbook(word)
    assert [(t.sheet, t.kind) for t in workbook.tables] == [("Bảng 1", "indicators"), ("Bảng 2", "tasks")]
    from_word = _import(commune, word, year=2026)
    from_excel = _import(
        commune, workbook_bytes({"Chỉ tiêu": indicators, "Nhiệm vụ": tasks}), year=2026, title="Từ Excel"
    )
    assert from_word.problems == [] and from_word.plan.indicators.count() == 35
    assert from_word.plan.tasks.count() == 30
    assert snapshot(from_word.plan) == snapshot(from_excel.plan)
    assert (from_word.plan.period_start, from_word.plan.period_end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )


def test_vertically_merged_and_multi_paragraph_cells_read_as_excel_cells(seeded):
    commune = Commune.objects.get(name="Nghĩa Đàn")
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        ["I", "Công tác lãnh đạo, chỉ đạo"],
        ["1", "Kiện toàn Ban Chỉ đạo\nPhân công nhiệm vụ thành viên", "Phòng Văn hoá - Xã hội", "Quý 1/2026"],
        ["2", "Ban hành kế hoạch tuyên truyền", "", "Tháng 3/2026"],
    ]
    data = word_file([rows])
    document = docx.Document(io.BytesIO(data))
    lead = document.tables[0].rows
    lead[2].cells[2].merge(lead[3].cells[2])
    buffer = io.BytesIO()
    document.save(buffer)
    [table] = read_workbook(buffer.getvalue()).tables
    assert [r.get("name") for r in table.rows] == [
        "Công tác lãnh đạo, chỉ đạo",
        "Kiện toàn Ban Chỉ đạo\nPhân công nhiệm vụ thành viên",
        "Ban hành kế hoạch tuyên truyền",
    ]
    # Excel keeps a merged cell's text in its first cell only; so does the Word reader.
    assert [r.get("lead") for r in table.rows] == ["", "Phòng Văn hoá - Xã hội", ""]
    result = _import(commune, buffer.getvalue(), year=2026, dry_run=True)
    assert result.problems == [] and result.count("task", "create") == 2


def test_tay_hieus_half_year_plan_from_word_runs_from_july(seeded):
    commune = Commune.objects.get(name="Tây Hiếu")
    seed = seed_document("004_tay-hieu.json")
    data = word_file(["KẾ HOẠCH", seed["plan"]["title"], indicator_table(seed, "printed")])
    result = _import(commune, data, year=2025)
    assert result.problems == [] and result.plan.indicators.count() == 22
    assert (result.plan.period_start, result.plan.period_end) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))


def test_a_word_file_without_tables_is_refused_with_a_message():
    with pytest.raises(BadFile, match="không có bảng nào"):
        read_workbook(word_file(["KẾ HOẠCH", "Chuyển đổi số năm 2026"]))


def test_the_upload_page_and_the_command_take_a_word_file(client, world, tmp_path):
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        ["I", "Công tác lãnh đạo, chỉ đạo"],
        ["1", "Kiện toàn Ban Chỉ đạo", world.lead_unit.name, "Quý 1/2026"],
    ]
    data = word_file(["Kế hoạch chuyển đổi số năm 2026", rows])
    client.force_login(world.reviewer)
    form = {"commune": world.commune.pk, "title": "Kế hoạch từ Word", "year": "2026"}
    response = client.post(
        reverse("imports:upload"), {**form, "file": SimpleUploadedFile("ke-hoach.docx", data)}, follow=True
    )
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert "Kiện toàn Ban Chỉ đạo" in response.content.decode()
    path = Path(tmp_path) / "ke-hoach.docx"
    path.write_bytes(data)
    call_command(
        "import_plan", str(path), "--commune", world.commune.code or world.commune.name, "--title", "Từ Word",
        "--year", "2026",
    )  # fmt: skip
    assert Plan.objects.get(title="Từ Word").tasks.count() == 1
    assert batch.original_name == "ke-hoach.docx"
