"""Goals printed as prose, as Mai Phụ's plan for KH 02-KH/BCĐTW prints them (seed 000): a table
`TT | Mục tiêu | Đơn vị chủ trì` with no target column imports, each target read from the goal's own sentence.
Numbering by letters, bullets or nothing, and text pasted from Word with its invisible characters.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command

from imports.reader import read_workbook
from imports.services import plan_import
from indicators.targets import Comparator, TargetKind, figures_in_prose, parse_target
from tests.data.seed_tables import workbook_bytes
from units.models import Commune

# Seed 000 (Mai Phụ), `2. Mục tiêu cụ thể`, in its wording; the second and third as the issue quotes them.
GOALS = [
    ("-", "Tối thiểu 80% hồ sơ TTHC tại xã được xử lý hoàn toàn trực tuyến, người dân chỉ phải nhập dữ liệu "
     "một lần trên môi trường số.", "Trung tâm Phục vụ hành chính công"),
    ("+", "Bảo đảm cung cấp 400 dịch vụ công trực tuyến toàn trình cho người dân, doanh nghiệp.", ""),
    ("a)", "Tiếp nhận và giải quyết trực tuyến ít nhất 5000 hồ sơ/năm.", "Trung tâm Phục vụ hành chính công"),
    ("b)", "100% thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính; các thủ tục liên "
     "quan đến doanh nghiệp được xử lý trực tuyến, thông suốt, liền mạch.", ""),
    ("•", "100% hồ sơ, tài liệu công việc phát sinh từ ngày 01/7/2025 được xử lý hoàn toàn trên môi trường "
     "điện tử; hoàn thành số hóa tối thiểu 30% tài liệu lưu trữ lịch sử có giá trị cao trong năm 2025.", ""),
    ("", "- Khai thác hiệu quả các cơ sở dữ liệu quốc gia và chuyên ngành, phục vụ công tác chỉ đạo, điều "
     "hành và giải quyết thủ tục hành chính tại cấp xã.", "Văn phòng HĐND&UBND"),
    # Pasted from Word: non-breaking spaces, a soft hyphen, a zero-width space and a tab.
    ("", "•\u00a0Thành lập và đưa vào hoạt động hiệu quả tổ ứng cứu công nghệ trước ngày 28/7/2025,\u00a0đảm "
     "bảo phản\u00adứng kịp thời\u200b các sự cố\tliên quan đến hệ thống số.", ""),
]  # fmt: skip


def _table(rows=GOALS, header=("TT", "Mục tiêu", "Đơn vị chủ trì")) -> bytes:
    return workbook_bytes({"Mục tiêu": [list(header), *[list(r) for r in rows]]})


@pytest.fixture
def mai_phu(db):
    call_command("load_seed_plans", verbosity=0)
    return Commune.objects.get(name="Mai Phụ")


def _preview(commune, data: bytes, dry_run: bool = True):
    return plan_import(
        commune=commune, workbook=read_workbook(data), title="Mục tiêu cụ thể", year=2025, dry_run=dry_run
    )


def test_figures_in_prose_take_the_comparator_and_the_unit_and_skip_dates_and_numbers():
    assert figures_in_prose(GOALS[0][1]) == ["Tối thiểu 80%"]
    assert figures_in_prose(GOALS[1][1]) == ["400 dịch vụ công trực tuyến toàn trình"]
    assert figures_in_prose(GOALS[2][1]) == ["ít nhất 5000 hồ sơ/năm"]
    assert figures_in_prose(GOALS[3][1]) == ["100%"]
    assert figures_in_prose(GOALS[4][1]) == ["100%", "tối thiểu 30%"]
    assert figures_in_prose("Phấn đấu trên 70% người dân có tài khoản định danh") == ["trên 70%"]
    assert figures_in_prose("phấn đấu đạt 95% hộ gia đình") == ["phấn đấu đạt 95%"]
    assert figures_in_prose("Triển khai 4G, 5G theo Kế hoạch số 02-KH/BCĐTW trước ngày 28/7/2025") == []
    assert figures_in_prose("đối với 1.139 TTHC, trong đó hồ sơ") == ["1.139 TTHC"]


def test_target_forms_from_prose_parse():
    at_least = parse_target("ít nhất 5000 hồ sơ/năm")
    assert (at_least.kind, at_least.comparator, at_least.value, at_least.unit) == (
        TargetKind.NUMBER,
        Comparator.GTE,
        Decimal(5000),
        "hồ sơ/năm",
    )
    assert parse_target("Tối thiểu 80%").comparator == Comparator.GTE
    assert parse_target("trên 50%").comparator == Comparator.GT
    assert (parse_target("đạt 95%").kind, parse_target("đạt 95%").value) == (TargetKind.PERCENT, Decimal(95))


def test_goals_table_without_a_target_column_imports_with_targets_from_the_text(mai_phu):
    result = _preview(mai_phu, _table())
    assert result.problems == []
    items = result.draft.items("indicators")
    assert len(items) == len(GOALS)
    assert [i.targets[2025] for i in items] == [
        "Tối thiểu 80%",
        "400 dịch vụ công trực tuyến toàn trình",
        "ít nhất 5000 hồ sơ/năm",
        "100%",
        "100%",
        "Hoàn thành",
        "Hoàn thành",
    ]
    # Letters are numbers as printed; a bullet (in TT or before the text) marks an unnumbered item.
    assert [i.number for i in items] == ["", "", "a)", "b)", "", "", ""]
    assert items[5].name.startswith("Khai thác hiệu quả")
    assert items[6].name == (
        "Thành lập và đưa vào hoạt động hiệu quả tổ ứng cứu công nghệ trước ngày 28/7/2025, đảm bảo phản"
        "ứng kịp thời các sự cố liên quan đến hệ thống số."
    )
    warnings = [str(w) for w in result.draft.warnings]
    assert any("bảng không có cột mục tiêu" in w for w in warnings)
    assert any("dòng 6" in w and "«tối thiểu 30%»" in w for w in warnings)
    assert sum("«Hoàn thành» (Đạt/Chưa đạt)" in w for w in warnings) == 2


def test_confirmed_prose_targets_are_stored_parsed(mai_phu):
    plan = _preview(mai_phu, _table(), dry_run=False).plan
    stored = {i.name[:20]: i.targets.get() for i in plan.indicators.prefetch_related("targets")}
    first = stored["Tối thiểu 80% hồ sơ "]
    assert (first.raw_text, first.kind, first.comparator, first.value) == (
        "Tối thiểu 80%",
        TargetKind.PERCENT,
        Comparator.GTE,
        Decimal(80),
    )
    assert stored["Tiếp nhận và giải qu"].unit_of_measure == "hồ sơ/năm"
    assert stored["Khai thác hiệu quả c"].kind == TargetKind.BOOLEAN


def test_an_empty_target_cell_takes_the_target_from_the_goal_and_nothing_is_refused(mai_phu):
    rows = [
        ("1", GOALS[0][1], "", ""),
        ("2", "Một mục tiêu khó hiểu", "", "Tùy tình hình"),
        ("3", GOALS[2][1], "", ""),
    ]
    data = _table(rows, header=("TT", "Chỉ tiêu", "Đơn vị chủ trì", "Mục tiêu 2025"))
    result = _preview(mai_phu, data)
    assert result.problems == []
    assert [i.targets[2025] for i in result.draft.items("indicators")] == [
        "Tối thiểu 80%",
        "Tùy tình hình",
        "ít nhất 5000 hồ sơ/năm",
    ]
    assert any("Tùy tình hình" in str(w) and "nguyên văn" in str(w) for w in result.draft.warnings)


def test_a_title_above_bulleted_tasks_is_their_subsection(mai_phu):
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì"],
        ["I", "Về hạ tầng kỹ thuật và công nghệ"],
        ["", "Hạ tầng số cơ quan nhà nước"],
        ["", "- Nâng cấp đường truyền số liệu chuyên dùng", ""],
        ["+", "Trang bị máy tính cho bộ phận một cửa", ""],
        ["", "Hạ tầng dữ liệu"],
        ["a)", "Số hóa hồ sơ lưu trữ", ""],
    ]
    result = _preview(mai_phu, workbook_bytes({"Nhiệm vụ": rows}))
    assert result.problems == []
    [section] = result.draft.sections["tasks"]
    assert [(s.title, [i.name for i in s.items]) for s in section.subsections] == [
        (
            "Hạ tầng số cơ quan nhà nước",
            ["Nâng cấp đường truyền số liệu chuyên dùng", "Trang bị máy tính cho bộ phận một cửa"],
        ),
        ("Hạ tầng dữ liệu", ["Số hóa hồ sơ lưu trữ"]),
    ]
