import datetime as dt
import unicodedata

import pytest

from tasks.deadlines import DeadlineKind, ParsedDeadline, is_countable_overdue, parse_deadline

K = DeadlineKind


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        # quarters, Arabic and Roman, as the seed plans print them (`Quý 1/ 2026` is a PDF line wrap)
        ("Quý 1/2026", K.QUARTER, dt.date(2026, 3, 31)),
        ("Quý 1/ \n2026", K.QUARTER, dt.date(2026, 3, 31)),
        ("Quý I/2026", K.QUARTER, dt.date(2026, 3, 31)),
        ("quý ii/2026", K.QUARTER, dt.date(2026, 6, 30)),
        ("Quý 3 năm 2026", K.QUARTER, dt.date(2026, 9, 30)),
        ("Quý IV năm 2025", K.QUARTER, dt.date(2025, 12, 31)),
        ("Trong Quý 2/2026", K.QUARTER, dt.date(2026, 6, 30)),
        # years
        ("2026", K.YEAR, dt.date(2026, 12, 31)),
        ("2026.", K.YEAR, dt.date(2026, 12, 31)),
        ("2026 ", K.YEAR, dt.date(2026, 12, 31)),
        ("Năm 2026", K.YEAR, dt.date(2026, 12, 31)),
        ("Cuối năm 2026", K.YEAR, dt.date(2026, 12, 31)),
        ("Đến hết năm 2026", K.YEAR, dt.date(2026, 12, 31)),
        ("Năm 2025-2026", K.YEAR, dt.date(2026, 12, 31)),
        ("2025 - 2026", K.YEAR, dt.date(2026, 12, 31)),
        ("2025–2026", K.YEAR, dt.date(2026, 12, 31)),
        ("Giai đoạn 2026 - 2030", K.YEAR, dt.date(2030, 12, 31)),
        # months
        ("Tháng 10/2026", K.MONTH, dt.date(2026, 10, 31)),
        ("Tháng \n10/2026", K.MONTH, dt.date(2026, 10, 31)),
        ("tháng 10 năm 2026", K.MONTH, dt.date(2026, 10, 31)),
        ("07/2025", K.MONTH, dt.date(2025, 7, 31)),
        ("Tháng 2/2028", K.MONTH, dt.date(2028, 2, 29)),
        ("Tháng 2/2026", K.MONTH, dt.date(2026, 2, 28)),
        ("Trong tháng 6/2026", K.MONTH, dt.date(2026, 6, 30)),
        # exact dates
        ("Trước ngày 20/12/2025", K.DATE, dt.date(2025, 12, 20)),
        ("trước ngày 20/12/2025.", K.DATE, dt.date(2025, 12, 20)),
        ("Trước 31/12/2025", K.DATE, dt.date(2025, 12, 31)),
        ("Ngày 15/3/2026", K.DATE, dt.date(2026, 3, 15)),
        ("20/12/2025", K.DATE, dt.date(2025, 12, 20)),
        ("20-12-2025", K.DATE, dt.date(2025, 12, 20)),
        ("ngày 15 tháng 3 năm 2026", K.DATE, dt.date(2026, 3, 15)),
        ("Chậm nhất ngày 30/6/2026", K.DATE, dt.date(2026, 6, 30)),
        ("Từ ngày 01/7/2025 đến ngày 31/12/2025", K.DATE, dt.date(2025, 12, 31)),
        # `Trước tháng 11/2025` (seed 000): before November, so due the last day of October
        ("Trước tháng 11/2025", K.DATE, dt.date(2025, 10, 31)),
        ("Phấn đấu hoàn thành trước tháng 11/2025", K.DATE, dt.date(2025, 10, 31)),
        ("Trước quý 2/2026", K.DATE, dt.date(2026, 3, 31)),
        # half years
        ("6 tháng đầu năm 2026", K.HALF_YEAR, dt.date(2026, 6, 30)),
        ("6 tháng cuối năm 2025", K.HALF_YEAR, dt.date(2025, 12, 31)),
        ("06 tháng đầu năm 2026", K.HALF_YEAR, dt.date(2026, 6, 30)),
    ],
)
def test_parse_deadline_gives_the_last_day_of_the_named_period(
    text: str, kind: DeadlineKind, due: dt.date
) -> None:
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date) == (kind, due)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thường xuyên", K.RECURRING),
        ("Thường \nxuyên ", K.RECURRING),
        ("THƯỜNG XUYÊN", K.RECURRING),
        ("Thường xuyên, liên tục", K.RECURRING),
        ("Hằng năm", K.RECURRING),
        ("Hàng năm", K.RECURRING),
        ("Hàng tháng", K.RECURRING),
        ("Hàng quý", K.RECURRING),
        ("Hàng tuần", K.RECURRING),
        ("Định kỳ", K.RECURRING),
        ("Khi có yêu cầu", K.ON_REQUEST),
        ("Khi có hướng dẫn mới", K.ON_REQUEST),
        ("Khi có văn bản chỉ đạo của cấp trên", K.ON_REQUEST),
        ("Khi có yêu cầu, Quý 2/2026", K.ON_REQUEST),
        ("Theo Đề án 06", K.EXTERNAL),
        ("Theo Đề \nán 06", K.EXTERNAL),
        ("Theo sổ tay hướng dẫn của KH 02", K.EXTERNAL),
        ("Theo kế hoạch của tỉnh", K.EXTERNAL),
        ("Theo Kế hoạch số 12/KH-UBND ngày 31/12/2025", K.EXTERNAL),
        ("", K.NONE),
        ("  \n ", K.NONE),
    ],
)
def test_parse_deadline_gives_no_due_date_to_undated_kinds(text: str, kind: DeadlineKind) -> None:
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date) == (kind, None)


def test_parse_deadline_none_for_missing_cell() -> None:
    assert parse_deadline("") == ParsedDeadline(K.NONE, None, "")


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Thường xuyên; Quý 1/2026", K.QUARTER, dt.date(2026, 3, 31)),
        ("Quý 1/2026\nThường xuyên", K.QUARTER, dt.date(2026, 3, 31)),
        ("Thường xuyên, trước 31/12/2025", K.DATE, dt.date(2025, 12, 31)),
        ("Thường xuyên trong năm 2026", K.YEAR, dt.date(2026, 12, 31)),
        ("Khi có yêu cầu; Quý 2/2026", K.QUARTER, dt.date(2026, 6, 30)),
        ("Quý 1/2026, Quý 3/2026", K.QUARTER, dt.date(2026, 9, 30)),
        ("Quý 1/2026 và Quý 2/2026", K.QUARTER, dt.date(2026, 6, 30)),
    ],
)
def test_parse_deadline_lets_a_date_win_over_recurring_words(
    text: str, kind: DeadlineKind, due: dt.date
) -> None:
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date) == (kind, due)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "Trước ngày 31/02/2026",
        "Quý 5/2026",
        "13/2026",
        "0/2026",
        "2026-2025",
        "20/12",
        "Sớm nhất có thể",
        "Quý 1/2026 tùy đơn vị",
        "Hoàn thành",
        "Đầu năm 2026",
    ],
)
def test_parse_deadline_keeps_unknown_or_impossible_forms_as_text(text: str) -> None:
    assert parse_deadline(text) == ParsedDeadline(K.TEXT, None, text)


def test_parse_deadline_raw_is_the_cleaned_input() -> None:
    assert parse_deadline("  Quý 1/ \n 2026 ").raw == "Quý 1/\n2026"


def test_parse_deadline_reads_nfd_input_like_nfc() -> None:
    text = "Quý IV năm 2025"
    assert parse_deadline(unicodedata.normalize("NFD", text)) == parse_deadline(text)


@pytest.mark.parametrize(
    ("kind", "countable"),
    [
        (K.DATE, True),
        (K.MONTH, True),
        (K.QUARTER, True),
        (K.HALF_YEAR, True),
        (K.YEAR, True),
        (K.RECURRING, False),
        (K.ON_REQUEST, False),
        (K.EXTERNAL, False),
        (K.NONE, False),
        (K.TEXT, False),
    ],
)
def test_only_kinds_with_a_due_date_count_as_overdue(kind: DeadlineKind, countable: bool) -> None:
    assert is_countable_overdue(kind) is countable


def test_enum_values_match_what_the_database_stores() -> None:
    assert [k.value for k in DeadlineKind] == [
        "date",
        "month",
        "quarter",
        "half_year",
        "year",
        "recurring",
        "on_request",
        "external",
        "none",
        "text",
    ]
