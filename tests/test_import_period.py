"""A new plan's period comes from its document: Tây Hiếu's plan (seed 004) is for the last six months of 2025,
so it runs 01/07/2025–31/12/2025 and a task due before July is flagged in the preview.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imports.reader import read_workbook
from imports.services import plan_import
from plans.models import Plan, PlanKind
from plans.period_text import period_in_texts
from tests.data.seed_tables import indicator_table, seed_document, workbook_bytes
from units.models import Commune

TAY_HIEU = "004_tay-hieu.json"
# The first lines of seed 004 as the appendix repeats them above its table.
TITLE_LINES = [["KẾ HOẠCH"], ["Chuyển đổi số phường Tây Hiếu 6 tháng cuối năm 2025"]]
TASKS = [
    ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
    ["I", "Nhận thức số"],
    [
        "1",
        "Ban hành Kế hoạch hưởng ứng ngày Chuyển đổi số quốc gia",
        "Phòng Văn hoá – Xã hội",
        "Tháng 9/2025",
    ],
    ["2", "Rà soát các văn bản chỉ đạo về chuyển đổi số", "Phòng Văn hoá – Xã hội", "Trước ngày 30/6/2025"],
]


@pytest.fixture
def tay_hieu(db):
    call_command("load_seed_plans", verbosity=0)
    return Commune.objects.get(name="Tây Hiếu")


def _workbook(caption: list[list[str]]) -> bytes:
    indicators = indicator_table(seed_document(TAY_HIEU), "printed")
    return workbook_bytes({"Chỉ tiêu": [*caption, [], *indicators], "Nhiệm vụ": TASKS})


def _import(commune, data: bytes, *, title: str = "Kế hoạch chuyển đổi số", dry_run: bool = True, **extra):
    workbook = read_workbook(data)
    return plan_import(commune=commune, workbook=workbook, title=title, year=2025, dry_run=dry_run, **extra)


@pytest.mark.parametrize(
    ("text", "start", "end", "half"),
    [
        ("Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025", dt.date(2025, 7, 1), dt.date(2025, 12, 31), True),
        (
            "Chuyển đổi số phường Tây Hiếu 6 tháng cuối năm 2025",
            dt.date(2025, 7, 1),
            dt.date(2025, 12, 31),
            True,
        ),
        ("Kế hoạch 6 tháng đầu năm 2025", dt.date(2025, 1, 1), dt.date(2025, 6, 30), True),
        ("Kế hoạch chuyển đổi số giai đoạn 2025-2026", dt.date(2025, 1, 1), dt.date(2026, 12, 31), False),
        ("Chuyển đổi số xã Nghĩa Đàn năm 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), False),
    ],
)
def test_period_in_texts_reads_the_forms_plans_print(text, start, end, half):
    found = period_in_texts(["PHỤ LỤC 01", text], year=2025)
    assert (found.start, found.end, found.half_year) == (start, end, half)


def test_a_year_other_than_the_plans_is_not_its_period():
    assert period_in_texts(["Kết quả thực hiện năm 2024"], year=2025) is None
    assert period_in_texts(["năm 2024", "năm 2025"], year=2025).start == dt.date(2025, 1, 1)


def test_half_year_title_above_the_table_sets_the_new_plans_period(tay_hieu):
    result = _import(tay_hieu, _workbook(TITLE_LINES), dry_run=False)
    assert result.problems == []
    plan = result.plan
    assert (plan.period_start, plan.period_end, plan.kind) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
        PlanKind.HALF_YEAR,
    )
    assert plan.indicators.count() == 22 and plan.tasks.count() == 2
    assert "6 tháng cuối năm 2025" in result.period.label()


def test_a_phase_row_with_dates_sets_the_period_and_early_tasks_are_flagged(tay_hieu):
    result = _import(tay_hieu, _workbook([["Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025"]]))
    assert (result.period.start, result.period.end) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    early = [w for w in result.draft.warnings if w.found == "Trước ngày 30/6/2025"]
    assert len(early) == 1 and "trước ngày kế hoạch bắt đầu" in early[0].expected
    assert "01/07/2025" in early[0].expected
    assert not [w for w in result.draft.warnings if w.found == "Tháng 9/2025"]


def test_without_a_printed_period_the_plan_is_the_whole_year(tay_hieu):
    result = _import(tay_hieu, _workbook([["PHỤ LỤC 01"]]))
    assert (result.period.start, result.period.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert not [w for w in result.draft.warnings if w.found == "Trước ngày 30/6/2025"]


def test_import_plan_command_takes_start_and_end(tay_hieu, tmp_path, capsys):
    path = Path(tmp_path) / "tay-hieu.xlsx"
    path.write_bytes(_workbook([["PHỤ LỤC 01"]]))
    args = [str(path), "--commune", "Tây Hiếu", "--title", "Kế hoạch quý 4", "--year", "2025"]
    call_command("import_plan", *args, "--start", "01/10/2025", "--end", "31/12/2025")
    assert "Kỳ kế hoạch: 01/10/2025 – 31/12/2025" in capsys.readouterr().out
    plan = Plan.objects.get(title="Kế hoạch quý 4")
    assert (plan.period_start, plan.period_end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    with pytest.raises(CommandError, match="sau ngày bắt đầu"):
        call_command("import_plan", *args, "--start", "31/12/2025", "--end", "01/10/2025", "--dry-run")
