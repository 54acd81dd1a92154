import unicodedata
from decimal import Decimal

import pytest

from indicators.targets import (
    Comparator,
    ParsedTarget,
    TargetKind,
    Verdict,
    evaluate,
    format_target,
    is_met,
    parse_actual,
    parse_target,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        ("100%", Comparator.GTE, D("100")),
        ("95%", Comparator.GTE, D("95")),
        ("80 %", Comparator.GTE, D("80")),
        ("100%.", Comparator.GTE, D("100")),
        ("2,5%", Comparator.GTE, D("2.5")),
        ("≥50%", Comparator.GTE, D("50")),
        (">= 50%", Comparator.GTE, D("50")),
        ("≥ 50 %", Comparator.GTE, D("50")),
        (">80%", Comparator.GT, D("80")),
        ("≤5%", Comparator.LTE, D("5")),
        ("<=5%", Comparator.LTE, D("5")),
        ("<5%", Comparator.LT, D("5")),
        ("=100%", Comparator.EQ, D("100")),
        ("Tối thiểu 80%", Comparator.GTE, D("80")),
        ("tối thiểu 85%", Comparator.GTE, D("85")),
        ("Ít nhất 80%", Comparator.GTE, D("80")),
        ("Không dưới 90%", Comparator.GTE, D("90")),
        ("Trên 50%", Comparator.GT, D("50")),
        ("Phấn đấu trên 70%", Comparator.GT, D("70")),
        ("Đạt trên 85%", Comparator.GT, D("85")),
        ("Hơn 50%", Comparator.GT, D("50")),
        ("Dưới 5%", Comparator.LT, D("5")),
        ("Tối đa 5%", Comparator.LTE, D("5")),
        ("Không quá 5%", Comparator.LTE, D("5")),
        ("Phấn đấu 80%", Comparator.GTE, D("80")),
        ("Đạt 95%", Comparator.GTE, D("95")),
        ("70% trở lên", Comparator.GTE, D("70")),
        ("Từ 70% trở lên", Comparator.GTE, D("70")),
        ("100% trở lên", Comparator.GTE, D("100")),
        ("TỐI THIỂU\n80%", Comparator.GTE, D("80")),
        ("  Phấn   đấu\ntrên   70% ", Comparator.GT, D("70")),
    ],
)
def test_parse_target_reads_percent_forms(text: str, comparator: Comparator, value: Decimal) -> None:
    target = parse_target(text)
    assert (target.kind, target.comparator, target.value, target.unit) == (
        TargetKind.PERCENT,
        comparator,
        value,
        "%",
    )
    assert target.qualifier == ""


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("100% đối với các thủ tục đủ điều kiện", D("100"), "đối với các thủ tục đủ điều kiện"),
        ("100% đối \nvới các \n\nthủ tục đủ \nđiều kiện", D("100"), "đối với các thủ tục đủ điều kiện"),
        ("100% hoàn thành", D("100"), "hoàn thành"),
        ("Phấn đấu 80% cán bộ, công chức được đào tạo", D("80"), "cán bộ, công chức được đào tạo"),
    ],
)
def test_parse_target_keeps_words_after_a_percent_as_qualifier(
    text: str, value: Decimal, qualifier: str
) -> None:
    target = parse_target(text)
    assert (target.kind, target.comparator, target.value, target.unit) == (
        TargetKind.PERCENT,
        Comparator.GTE,
        value,
        "%",
    )
    assert target.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit", "qualifier"),
    [
        ("400 dịch vụ công trực tuyến", Comparator.GTE, D("400"), "dịch vụ công trực tuyến", ""),
        ("ít nhất 5000 hồ sơ/năm", Comparator.GTE, D("5000"), "hồ sơ/năm", ""),
        ("ít nhất 5.000 hồ sơ/năm", Comparator.GTE, D("5000"), "hồ sơ/năm", ""),
        ("Ít nhất 5 000 hồ sơ/năm", Comparator.GTE, D("5000"), "hồ sơ/năm", ""),
        ("Tối đa 3 sự cố", Comparator.LTE, D("3"), "sự cố", ""),
        (
            "400 hồ sơ đối với thủ tục đủ điều kiện",
            Comparator.GTE,
            D("400"),
            "hồ sơ",
            "đối với thủ tục đủ điều kiện",
        ),
        ("12", Comparator.GTE, D("12"), "", ""),
    ],
)
def test_parse_target_reads_numbers_with_their_measure_words(
    text: str, comparator: Comparator, value: Decimal, unit: str, qualifier: str
) -> None:
    target = parse_target(text)
    assert (target.kind, target.comparator, target.value) == (TargetKind.NUMBER, comparator, value)
    assert (target.unit, target.qualifier) == (unit, qualifier)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("50-80%", D("50"), D("80"), "%"),
        ("50 - 80%", D("50"), D("80"), "%"),
        ("50–80%", D("50"), D("80"), "%"),
        ("50% - 80%", D("50"), D("80"), "%"),
        ("Từ 50% đến 80%", D("50"), D("80"), "%"),
        ("từ 50 đến 80%", D("50"), D("80"), "%"),
        ("50,5-80,5%", D("50.5"), D("80.5"), "%"),
        ("50 - 80 hồ sơ", D("50"), D("80"), "hồ sơ"),
    ],
)
def test_parse_target_reads_ranges(text: str, low: Decimal, high: Decimal, unit: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.comparator) == (TargetKind.RANGE, None)
    assert (target.min_value, target.max_value, target.unit, target.value) == (low, high, unit, None)


@pytest.mark.parametrize(
    "text",
    [
        "Đạt",
        "đạt",
        "ĐẠT",
        "Hoàn thành",
        "Hoàn \nthành",
        "hoàn thành.",
        "Có",
        "CÓ",
        unicodedata.normalize("NFD", "Hoàn thành"),
    ],
)
def test_parse_target_reads_booleans(text: str) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.BOOLEAN
    assert (target.comparator, target.value, target.unit, target.qualifier) == (None, None, "", "")


def test_parse_target_reads_nfd_input_like_nfc() -> None:
    text = "Tối thiểu 80% đối với các thủ tục"
    assert parse_target(unicodedata.normalize("NFD", text)) == parse_target(text)


@pytest.mark.parametrize(
    "text",
    [
        "Theo lộ trình của tỉnh",
        "Duy trì 1 người/1 máy",
        "Hệ thống giao ban dự phòng 1:1",
        "4227/5219",
        "80-50%",
        "400dịch vụ",
        "Đạt yêu cầu",
        "Chưa xác định",
        "Từng bước hoàn thiện\nhạ tầng",
    ],
)
def test_parse_target_keeps_unknown_forms_as_text_verbatim(text: str) -> None:
    target = parse_target(text)
    assert target == ParsedTarget(TargetKind.TEXT, None, None, None, None, "", "", text)


def test_parse_target_raw_is_the_cleaned_input() -> None:
    assert parse_target("  100%  đối với\n\n các thủ tục ").raw == "100% đối với\ncác thủ tục"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("81%", (D("81"), None)),
        ("81,5%", (D("81.5"), None)),
        ("80.44", (D("80.44"), None)),
        ("5.000", (D("5000"), None)),
        ("Đạt 95%", (D("95"), None)),
        ("4227/5219", (D("81.0"), None)),
        ("(4227/5219)", (D("81.0"), None)),
        ("4227/5219 = 81%", (D("81.0"), None)),
        ("2092 / 5219", (D("40.1"), None)),
        ("32/32", (D("100.0"), None)),
        ("Đạt", (None, True)),
        ("Hoàn thành", (None, True)),
        ("Có", (None, True)),
        ("Đã hoàn thành", (None, True)),
        (unicodedata.normalize("NFD", "Đã hoàn thành."), (None, True)),
        ("Chưa đạt", (None, False)),
        ("Chưa hoàn thành", (None, False)),
        ("Không", (None, False)),
        ("", (None, None)),
        ("Đang triển khai", (None, None)),
        ("0/0", (None, None)),
    ],
)
def test_parse_actual_reads_reported_values(text: str, expected: tuple[Decimal | None, bool | None]) -> None:
    assert parse_actual(text) == expected


def test_parse_actual_turns_a_fraction_into_a_percentage_rounded_to_one_decimal() -> None:
    value, _ = parse_actual("4227/5219")
    assert value == D("81.0")
    assert str(value) == "81.0"


@pytest.mark.parametrize(
    ("target", "value", "verdict"),
    [
        ("≥80%", D("81"), Verdict.EXCEEDED),
        ("≥80%", D("80"), Verdict.ACHIEVED),
        ("≥80%", D("79.9"), Verdict.NOT_ACHIEVED),
        ("80%", D("80"), Verdict.ACHIEVED),
        ("100%", D("100"), Verdict.ACHIEVED),
        ("100%", D("99"), Verdict.NOT_ACHIEVED),
        ("Tối thiểu 80%", D("90"), Verdict.EXCEEDED),
        (">80%", D("80"), Verdict.NOT_ACHIEVED),
        (">80%", D("81"), Verdict.ACHIEVED),
        ("Trên 50%", D("99"), Verdict.ACHIEVED),
        ("=100%", D("100"), Verdict.ACHIEVED),
        ("=100%", D("99"), Verdict.NOT_ACHIEVED),
        ("≤5%", D("5"), Verdict.ACHIEVED),
        ("≤5%", D("6"), Verdict.NOT_ACHIEVED),
        ("<5%", D("5"), Verdict.NOT_ACHIEVED),
        ("<5%", D("4"), Verdict.ACHIEVED),
        ("50-80%", D("65"), Verdict.ACHIEVED),
        ("50-80%", D("50"), Verdict.ACHIEVED),
        ("50-80%", D("80"), Verdict.ACHIEVED),
        ("50-80%", D("49"), Verdict.NOT_ACHIEVED),
        ("50-80%", D("81"), Verdict.EXCEEDED),
        ("ít nhất 5.000 hồ sơ/năm", D("5000"), Verdict.ACHIEVED),
        ("ít nhất 5.000 hồ sơ/năm", D("4999"), Verdict.NOT_ACHIEVED),
        ("400 dịch vụ công trực tuyến", D("432"), Verdict.EXCEEDED),
    ],
)
def test_evaluate_compares_value_with_target(target: str, value: Decimal, verdict: Verdict) -> None:
    assert evaluate(parse_target(target), value) == verdict


def test_evaluate_reported_fraction_exceeds_a_lower_target() -> None:
    value, flag = parse_actual("4227/5219")
    assert evaluate(parse_target("≥80%"), value, flag) == Verdict.EXCEEDED


@pytest.mark.parametrize(
    ("target", "actual", "verdict"),
    [
        ("Đạt", "Đạt", Verdict.ACHIEVED),
        ("Hoàn thành", "Đã hoàn thành", Verdict.ACHIEVED),
        ("Có", "Có", Verdict.ACHIEVED),
        ("Đạt", "Chưa đạt", Verdict.NOT_ACHIEVED),
        ("Hoàn thành", "Chưa hoàn thành", Verdict.NOT_ACHIEVED),
    ],
)
def test_evaluate_boolean_target_by_flag(target: str, actual: str, verdict: Verdict) -> None:
    value, flag = parse_actual(actual)
    assert evaluate(parse_target(target), value, flag) == verdict


@pytest.mark.parametrize(
    ("target", "value", "flag"),
    [
        ("Theo lộ trình của tỉnh", D("100"), None),
        ("Theo lộ trình của tỉnh", None, True),
        ("Đạt", D("100"), None),
        ("Đạt", None, None),
        ("≥80%", None, True),
        ("≥80%", None, None),
        ("50-80%", None, True),
    ],
)
def test_evaluate_is_undecided_without_the_needed_actual(
    target: str, value: Decimal | None, flag: bool | None
) -> None:
    assert evaluate(parse_target(target), value, flag) is None


@pytest.mark.parametrize(
    ("verdict", "met"),
    [(Verdict.ACHIEVED, True), (Verdict.EXCEEDED, True), (Verdict.NOT_ACHIEVED, False), (None, None)],
)
def test_is_met_counts_exceeded_as_met(verdict: Verdict | None, met: bool | None) -> None:
    assert is_met(verdict) is met


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tối thiểu 80%", "≥ 80%"),
        ("≥50%", "≥ 50%"),
        ("95%", "≥ 95%"),
        ("100%", "100%"),
        ("100% đối với các thủ tục đủ điều kiện", "100%"),
        (">80%", "> 80%"),
        ("Không quá 5%", "≤ 5%"),
        ("Dưới 5%", "< 5%"),
        ("2,5%", "≥ 2,5%"),
        ("50-80%", "50–80%"),
        ("Từ 50% đến 80%", "50–80%"),
        ("ít nhất 5000 hồ sơ/năm", "≥ 5.000 hồ sơ/năm"),
        ("400 dịch vụ công trực tuyến", "≥ 400 dịch vụ công trực tuyến"),
        ("Đạt", "Đạt"),
        ("hoàn \nthành", "Hoàn thành"),
        ("Có", "Có"),
        ("Theo lộ trình\ncủa tỉnh", "Theo lộ trình của tỉnh"),
    ],
)
def test_format_target_gives_a_short_label(text: str, label: str) -> None:
    assert format_target(parse_target(text)) == label


def test_enum_values_match_what_the_database_stores() -> None:
    assert [k.value for k in TargetKind] == ["percent", "number", "range", "boolean", "text"]
    assert [c.value for c in Comparator] == ["eq", "gte", "gt", "lte", "lt"]
    assert [v.value for v in Verdict] == ["achieved", "exceeded", "not_achieved"]
