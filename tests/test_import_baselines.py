"""Last year's results are kept as the plan prints them: the text (`3336/4164 = 80,11%`, `trên 38,2%`), the
figure it prints (80,11, not 80,1 recomputed from the fraction) and the comparison before it (`trên`: >).
Định Tiến's plan (seed 002) prints eight such baselines; they survive the seed loader, the Excel reader and
a round trip through export and import.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from imports.exporter import plan_workbook
from imports.reader import read_workbook
from imports.services import plan_import
from indicators.targets import Comparator, parse_baseline
from plans.models import Plan
from tests.data.seed_tables import workbook_bytes

# (number, printed, value, comparator) of Định Tiến's 2024 results, as the document prints them.
DINH_TIEN_BASELINES = [
    ("1", "100%", Decimal("100"), ""),
    ("3", "03/03 = 100%", Decimal("100"), ""),
    ("5", "3336/4164 = 80,11%", Decimal("80.11"), ""),
    ("6", "4227/5219 = 81%", Decimal("81"), ""),
    ("7", "4399/5469 = 80,44%", Decimal("80.44"), ""),
    ("8", "trên 38,2%", Decimal("38.2"), Comparator.GT),
    ("9", "2092/5219 = 40,08%", Decimal("40.08"), ""),
    ("11", "71,7%", Decimal("71.7"), ""),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3336/4164 = 80,11%", (Decimal("80.11"), None)),
        ("trên 38,2%", (Decimal("38.2"), Comparator.GT)),
        ("Tối thiểu 80%", (Decimal("80"), Comparator.GTE)),
        ("≥ 50%", (Decimal("50"), Comparator.GTE)),
        ("đạt tỷ lệ 80,44%", (Decimal("80.44"), None)),
        ("4227/5219", (Decimal("80.99"), None)),  # no printed figure: the share, to the stored precision
        ("80,115%", (Decimal("80.12"), None)),  # three decimals: rounded to what the field holds
        ("5.000 hồ sơ", (Decimal("5000"), None)),
        ("Đạt", (None, None)),
        ("chưa thống kê", (None, None)),
        ("1000000000000%", (None, None)),
    ],
)
def test_parse_baseline_keeps_the_printed_figure_and_its_comparison(text, expected):
    assert parse_baseline(text) == expected


@pytest.fixture
def dinh_tien(db) -> Plan:
    call_command("load_seed_plans", verbosity=0)
    return Plan.objects.get(commune__name="Định Tiến")


def _baselines(plan: Plan) -> list[tuple]:
    rows = plan.indicators.exclude(baseline_text="").order_by("order")
    return [(i.number, i.baseline_text, i.baseline_value, i.baseline_comparator) for i in rows]


def test_dinh_tiens_baselines_are_stored_as_printed(dinh_tien):
    assert _baselines(dinh_tien) == DINH_TIEN_BASELINES
    assert set(dinh_tien.indicators.exclude(baseline_text="").values_list("baseline_year", flat=True)) == {
        2024
    }


def test_dinh_tiens_baselines_survive_export_and_import_as_a_new_plan(dinh_tien):
    copy = plan_import(
        commune=dinh_tien.commune,
        workbook=read_workbook(plan_workbook(dinh_tien)),
        title="Định Tiến (bản nhập lại)",
        year=2025,
        dry_run=False,
    ).plan
    assert _baselines(copy) == DINH_TIEN_BASELINES


def test_a_percent_formatted_cell_reads_with_the_decimals_it_holds(dinh_tien):
    data = workbook_bytes(
        {"Chỉ tiêu": [["TT", "Chỉ tiêu", "Kết quả đạt được năm 2024", "Mục tiêu 2025"], ["1", "Tỷ lệ A"]]}
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Chỉ tiêu"]
    ws["C2"], ws["D2"] = 0.8011, "85%"
    ws["C2"].number_format = "0.00%"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = plan_import(
        commune=dinh_tien.commune,
        workbook=read_workbook(buffer.getvalue()),
        title="A",
        year=2025,
        dry_run=False,
    )
    indicator = result.plan.indicators.get()
    assert (indicator.baseline_text, indicator.baseline_value) == ("80,11%", Decimal("80.11"))
