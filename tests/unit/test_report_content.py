"""The wording and counting of the periodic report, without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from reports import content
from reports.content import IndicatorRow, ReportContent, TaskRow
from reports.pdf import trend_period_width


def indicator(number="1", verdict="", state="approved", actual="85%", section="I. Hạ tầng số", **kwargs):
    return IndicatorRow(
        section=section,
        number=number,
        name=kwargs.pop("name", f"Chỉ tiêu {number}"),
        target="≥ 80%",
        lead="Trung tâm PVHCC",
        baseline="",
        entry_state=state,
        actual=actual if state == "approved" else "",
        value=Decimal(85) if state == "approved" else None,
        is_rate=True,
        verdict=verdict if state == "approved" else "",
        **kwargs,
    )


def task(number="1", progress="done", state="approved", section="I. Lãnh đạo", **kwargs):
    approved = state == "approved"
    return TaskRow(
        section=section,
        number=number,
        description=kwargs.pop("description", f"Nhiệm vụ {number}"),
        lead="Phòng VH-XH",
        deadline="Quý 4/2026",
        entry_state=state,
        progress=progress if approved else "",
        progress_label="Hoàn thành" if approved else "",
        percent=100 if approved else None,
        **kwargs,
    )


def _content(indicators, tasks) -> ReportContent:
    return ReportContent(
        issuing_body="ỦY BAN NHÂN DÂN XÃ NGHĨA ĐÀN",
        commune_name="xã Nghĩa Đàn",
        province_name="Nghệ An",
        number="05/BC-UBND",
        date_line="Nghĩa Đàn, ngày 05 tháng 3 năm 2026",
        report_date=dt.date(2026, 3, 5),
        subject="Kết quả",
        intro="",
        period_code="2026-Q1",
        period_label="quý I năm 2026",
        year=2026,
        version=1,
        correction_note="",
        narrative={},
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name="",
        recipients=[],
        indicators=indicators,
        tasks=tasks,
        budget=[],
        trend_periods=[],
        trend=[],
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 5), "Nghĩa Đàn, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 15), "Nghĩa Đàn, ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 2, 9), "Nghĩa Đàn, ngày 09 tháng 02 năm 2026"),
        (dt.date(2025, 12, 31), "Nghĩa Đàn, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_pads_the_day_under_ten_and_only_months_one_and_two(day, expected):
    assert content.date_line("Nghĩa Đàn", day) == expected


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("5/BC-UBND", "05/BC-UBND"),
        ("12/BC-UBND", "12/BC-UBND"),
        ("7", "07/BC-UBND"),
        (" 105/BC-UBND ", "105/BC-UBND"),
    ],
)
def test_document_number_is_padded_under_ten_and_gets_the_symbol(typed, printed):
    assert content.document_number(typed) == printed


def test_empty_document_number_keeps_a_gap_for_the_handwritten_number():
    printed = content.document_number("")
    assert printed.endswith("/BC-UBND") and printed.startswith("\u00a0")


@pytest.mark.parametrize(
    ("kind", "number", "label"),
    [
        ("month", 3, "tháng 3 năm 2026"),
        ("quarter", 4, "quý IV năm 2026"),
        ("half_year", 1, "6 tháng đầu năm 2026"),
        ("half_year", 2, "6 tháng cuối năm 2026"),
        ("year", 1, "năm 2026"),
    ],
)
def test_period_label_reads_as_a_report_title(kind, number, label):
    assert content.period_label(kind, 2026, number) == label


def test_recipients_end_with_the_office_copy_and_each_line_is_an_entry():
    lines = content.recipient_lines(["- Sở KH&CN tỉnh (b/c);", "Chủ tịch, các PCT UBND xã.", "", "Lưu: VT"])
    assert lines == ["- Sở KH&CN tỉnh (b/c);", "- Chủ tịch, các PCT UBND xã;", "- Lưu: VT, VHXH."]


def test_summary_counts_only_approved_entries_and_exceeded_counts_as_met():
    rows = [
        indicator("1", verdict="achieved"),
        indicator("2", verdict="exceeded"),
        indicator("3", verdict="not_achieved"),
        indicator("4", state="submitted"),
        indicator("5", state=None),
    ]
    summary = content.summarise(rows, [])
    assert summary.line == "Đạt 2/5 chỉ tiêu"
    assert summary.indicators_without_data == 2
    assert summary.met_share == Decimal(2) / 5


def test_appendix_verdict_has_two_words_and_no_data_is_said_so():
    assert indicator(verdict="exceeded").verdict_label == "Đạt"
    assert indicator(verdict="not_achieved").verdict_label == "Chưa đạt"
    assert indicator(state="draft").verdict_label == "Chưa có số liệu"
    assert indicator(verdict="").verdict_label == "Chưa đánh giá"


def test_missing_lists_every_unapproved_item_with_its_state():
    found = content.missing_items(
        [indicator("1", verdict="achieved"), indicator("2", state="returned"), indicator("3", state=None)],
        [task("1"), task("2", state="submitted")],
    )
    assert [str(item) for item in found] == [
        "Chỉ tiêu 2: Chỉ tiêu 2 (bị trả lại)",
        "Chỉ tiêu 3: Chỉ tiêu 3 (chưa nhập)",
        "Nhiệm vụ 2: Nhiệm vụ 2 (đã gửi, chưa duyệt)",
    ]


def test_task_outcome_combines_progress_percent_and_results():
    assert task(results="Đã số hóa hồ sơ").outcome == "Hoàn thành (100%). Đã số hóa hồ sơ"
    assert task(state="draft").outcome == "Chưa có số liệu"


def _prefill(indicators, tasks):
    return content.prefill_narrative(
        indicators=indicators,
        tasks=tasks,
        period_label="quý I năm 2026",
        commune_name="xã Nghĩa Đàn",
        done="done",
        behind="behind",
        in_progress="in_progress",
        not_started="not_started",
    )


def test_prefilled_narrative_uses_approved_entries_and_names_shortcomings():
    indicators = [indicator("1", verdict="achieved"), indicator("2", verdict="not_achieved", actual="60%")]
    tasks = [
        task("1", results="Đã kiện toàn Ban Chỉ đạo"),
        task("2", progress="behind", difficulties="Thiếu kinh phí."),
        task("3", progress="behind", difficulties="Thiếu kinh phí."),
        task("4", state="draft", difficulties="Không được tính"),
    ]
    text = _prefill(indicators, tasks)
    assert "đạt 1/2 chỉ tiêu" in text["overall_assessment"]
    assert "Đã kiện toàn Ban Chỉ đạo" in text["results_by_area"]
    assert "Chỉ tiêu 2. Chỉ tiêu 2: kết quả 60%, mục tiêu ≥ 80%." in text["shortcomings"]
    assert "Nhiệm vụ 2. Nhiệm vụ 2: chậm tiến độ (đạt 100%)." in text["shortcomings"]
    # The same difficulty on two tasks is said once, citing both; a draft's text is not the commune's word.
    assert text["difficulties"] == "- Thiếu kinh phí. (nhiệm vụ 2, 3)"
    assert "Không được tính" not in "".join(text.values())
    assert "nhiệm vụ 2, 3" in text["next_tasks"]


def test_next_tasks_count_approved_ongoing_tasks_apart_from_unreported_ones():
    tasks = [
        task("1", progress="in_progress"),
        task("2", progress="in_progress"),
        task("3", progress="done"),
        *(
            task(str(n), state=state)
            for n, state in zip(range(4, 34), [None, "draft", "submitted"] * 10, strict=True)
        ),
    ]
    text = _prefill([], tasks)
    assert "2 đang thực hiện" in text["overall_assessment"]
    assert "Tiếp tục triển khai 2 nhiệm vụ đang thực hiện" in text["next_tasks"]
    assert "30 nhiệm vụ chưa có báo cáo được duyệt" in text["next_tasks"]
    assert "Tiếp tục triển khai 3" not in text["next_tasks"]


def test_next_tasks_say_nothing_of_ongoing_work_when_no_approved_task_is_in_progress():
    text = _prefill([], [task("1", progress="done"), task("2", state="draft")])
    assert "Tiếp tục triển khai" not in text["next_tasks"]
    assert "1 nhiệm vụ chưa có báo cáo được duyệt" in text["next_tasks"]


def test_content_groups_rows_by_section_in_document_order():
    c = _content(
        [indicator("1", section="I. A"), indicator("2", section="II. B"), indicator("3", section="I. A")], []
    )
    assert [(section, [r.number for r in rows]) for section, rows in c.grouped_indicators()] == [
        ("I. A", ["1", "3"]),
        ("II. B", ["2"]),
    ]
    assert c.issuing_body_lines == ["ỦY BAN NHÂN DÂN", "XÃ NGHĨA ĐÀN"]


def test_period_columns_share_at_most_55_percent_and_never_exceed_9_each():
    assert trend_period_width(1) == "9.00%"
    assert trend_period_width(4) == "9.00%"
    assert trend_period_width(12) == "4.58%"
    assert trend_period_width(0) == "9.00%"
