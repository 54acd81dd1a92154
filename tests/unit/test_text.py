import unicodedata
from decimal import Decimal

import pytest

from common.text import clean_text, closest_units, fold, match_unit, parse_decimal, split_unit_cell, unit_key


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  Phòng   Kinh\ttế  ", "Phòng Kinh tế"),
        ("Phòng\u00a0Kinh tế", "Phòng Kinh tế"),
        ("Phòng\u202fKinh\u200b tế\ufeff", "Phòng Kinh tế"),
        ("\n\nDòng một  \n   Dòng   hai\n\n", "Dòng một\nDòng hai"),
        ("Dòng một\r\nDòng hai\rDòng ba", "Dòng một\nDòng hai\nDòng ba"),
        ("Dòng một\n\n\nDòng hai", "Dòng một\nDòng hai"),
        (nfd("Hoàn thành"), "Hoàn thành"),
    ],
)
def test_clean_text_normalises_spacing_and_unicode(given: str | None, expected: str) -> None:
    assert clean_text(given) == expected


def test_clean_text_turns_nfd_into_nfc() -> None:
    assert unicodedata.is_normalized("NFC", clean_text(nfd("Chuyển đổi số Ủy ban")))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Chuyển Đổi Số", "chuyen doi so"),
        (nfd("Chuyển Đổi Số"), "chuyen doi so"),
        ("  Ủy ban   nhân dân\nxã ", "uy ban nhan dan xa"),
        ("Đảng ủy ĐỊNH TIẾN", "dang uy dinh tien"),
        ("Nhận thức số, nhân lực số", "nhan thuc so, nhan luc so"),
    ],
)
def test_fold_drops_diacritics_for_search(given: str, expected: str) -> None:
    assert fold(given) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "Phòng Văn hóa - Xã hội",
            "Phòng Văn hoá- Xã hội",
            "phòng văn hóa – xã hội",
            "PHÒNG VĂN HOÁ — XÃ HỘI",
        ],
        ["Văn phòng HĐND&UBND", "Văn phòng HĐND-UBND", "Văn phòng HĐND - UBND", "văn phòng hđnd ubnd"],
        ["Phòng VH-XH", "Phòng VHXH", "phòng vh – xh"],
        ["Thủy lợi", "Thuỷ lợi"],
        ["Khỏe", "Khoẻ"],
        ["Hòa", "Hoà"],
        ["Thúy", "Thuý"],
        ["Sở KH&CN", "Sở KH & CN", "sở kh-cn"],
        [nfd("Phòng Văn hoá - Xã hội"), "Phòng Văn hóa - Xã hội"],
        ["Trung tâm PV HCC", "Trung tâm PVHCC"],
    ],
)
def test_unit_key_treats_spellings_of_one_unit_as_equal(spellings: list[str]) -> None:
    assert len({unit_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Hội Nông dân", "Hồi Nông dân"),
        ("Phòng Kinh tế", "Phòng Kinh tê"),
        ("Thôn 1", "Thôn 10"),
    ],
)
def test_unit_key_keeps_diacritics_that_change_the_word(one: str, other: str) -> None:
    assert unit_key(one) != unit_key(other)


@pytest.mark.parametrize("word", ["hoàn", "toán", "huỳnh", "quý", "khoa", "thuế"])
def test_unit_key_leaves_fixed_tone_placement_alone(word: str) -> None:
    assert unit_key(word) == word


KNOWN_UNITS = [
    "Phòng Văn hóa - Xã hội",
    "Phòng VH-XH",
    "Phòng Kinh tế",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Công an xã",
    "Văn phòng HĐND-UBND",
    "Trung tâm PVHCC",
    "Các cơ quan, tổ chức trong hệ thống chính trị",
    "Các phòng, ban ngành, đơn vị",
    "các đơn vị",
    "Các phòng chuyên môn",
    "Điện lựcThái Hoà Nghĩa Đàn",
    "các doanh nghiệp viễn thông",
]
KNOWN_KEYS = [unit_key(name) for name in KNOWN_UNITS]


@pytest.mark.parametrize(
    ("cell", "mentions"),
    [
        ("Phòng Kinh tế, Công an xã", ["Phòng Kinh tế", "Công an xã"]),
        ("Các cơ quan, tổ chức trong hệ thống chính trị", ["Các cơ quan, tổ chức trong hệ thống chính trị"]),
        (
            "Các cơ quan, tổ chức trong hệ thống chính trị; các đơn vị",
            ["Các cơ quan, tổ chức trong hệ thống chính trị", "các đơn vị"],
        ),
        ("Các phòng, ban ngành, đơn vị", ["Các phòng, ban ngành, đơn vị"]),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
        ("Phòng Kinh tế, Hạ tầng và Đô thị, Công an xã", ["Phòng Kinh tế, Hạ tầng và Đô thị", "Công an xã"]),
        ("Văn phòng HĐND-UBND, Phòng VH-XH", ["Văn phòng HĐND-UBND", "Phòng VH-XH"]),
        ("Phòng Văn hoá- Xã hội\nVăn phòng HĐND-UBND", ["Phòng Văn hoá- Xã hội", "Văn phòng HĐND-UBND"]),
        ("Trung tâm PVHCC; Các phòng chuyên môn.", ["Trung tâm PVHCC", "Các phòng chuyên môn"]),
        ("Phòng Kinh tế; Phòng Văn hoá Xã hội.", ["Phòng Kinh tế", "Phòng Văn hoá Xã hội"]),
        (
            "Phòng VH-XH; Phòng Kinh tế; Điện lựcThái Hoà Nghĩa Đàn; các doanh nghiệp viễn thông",
            ["Phòng VH-XH", "Phòng Kinh tế", "Điện lựcThái Hoà Nghĩa Đàn", "các doanh nghiệp viễn thông"],
        ),
        ("Phòng VH-XH tuyên truyền, Công an xã", ["Phòng VH-XH tuyên truyền", "Công an xã"]),
        ("  Phòng   Kinh tế ;; \n\n Công an xã  ", ["Phòng Kinh tế", "Công an xã"]),
        ("", []),
    ],
)
def test_split_unit_cell_splits_into_mentions_as_written(cell: str, mentions: list[str]) -> None:
    assert split_unit_cell(cell, KNOWN_KEYS) == mentions


@pytest.mark.parametrize(
    "cell",
    [
        "Phòng Kinh tế, Sở Tài chính",
        "Cơ quan theo ngành, lĩnh vực được phân công",
        "Các cơ quan, tổ chức",
    ],
)
def test_split_unit_cell_keeps_commas_when_a_part_is_unknown(cell: str) -> None:
    assert split_unit_cell(cell, KNOWN_KEYS) == [cell]


def test_split_unit_cell_keeps_the_spacing_around_a_kept_comma() -> None:
    cell = "Các cơ quan,tổ chức trong hệ thống chính trị"
    assert split_unit_cell(cell, KNOWN_KEYS) == [cell]


def test_split_unit_cell_does_not_split_on_commas_with_no_known_units() -> None:
    assert split_unit_cell("Phòng Kinh tế, Công an xã", []) == ["Phòng Kinh tế, Công an xã"]


UNITS_BY_KEY = {
    unit_key("Phòng Văn hóa - Xã hội"): "vhxh",
    unit_key("Phòng VH-XH"): "vhxh",
    unit_key("Phòng Văn hoá"): "vhxh",
    unit_key("Phòng Kinh tế"): "kinh_te",
    unit_key("Phòng Kinh tế, Hạ tầng và Đô thị"): "kinh_te_ht",
    unit_key("Văn phòng HĐND và UBND"): "vp",
    unit_key("Văn phòng HĐND-UBND"): "vp",
    unit_key("Trung TPVHCC"): "pvhcc",
    unit_key("Thôn 1"): "thon_1",
    unit_key("Hội"): "too_short",
}


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Phòng Văn hoá- Xã hội", "vhxh"),
        ("phòng văn hóa – xã hội", "vhxh"),
        ("Phòng VH-XH tuyên truyền", "vhxh"),
        ("Phòng VHXH tuyên truyền", "vhxh"),
        ("Văn phòng HĐND&UBND", "vp"),
        ("Phòng Kinh tế", "kinh_te"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", "kinh_te_ht"),
        ("Trung TPVHCC", "pvhcc"),
        ("Thôn 1 tổ chức", "thon_1"),
        (nfd("Phòng Văn hoá - Xã hội"), "vhxh"),
    ],
)
def test_match_unit_resolves_spellings_and_role_suffixes(mention: str, expected: str) -> None:
    assert match_unit(mention, UNITS_BY_KEY) == expected


@pytest.mark.parametrize(
    "mention",
    ["Sở Tài chính", "Thôn 10", "Hội Nông dân", "", "Phòng"],
)
def test_match_unit_returns_none_when_nothing_fits(mention: str) -> None:
    assert match_unit(mention, UNITS_BY_KEY) is None


def test_closest_units_suggests_the_nearest_names() -> None:
    names = ["Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Công an xã", "Trung tâm PVHCC"]
    assert closest_units("Phòng Văn hóa Xã hôi", names, n=2)[0] == "Phòng Văn hóa - Xã hội"
    assert len(closest_units("Phòng", names, n=3)) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("81,5", Decimal("81.5")),
        ("81.5", Decimal("81.5")),
        ("81,5%", Decimal("81.5")),
        ("81 %", Decimal("81")),
        ("100", Decimal("100")),
        ("0", Decimal("0")),
        ("1.234.567", Decimal("1234567")),
        ("1 234 567", Decimal("1234567")),
        ("1\u00a0234\u00a0567", Decimal("1234567")),
        ("1.234,5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("5.000", Decimal("5000")),
        ("481.179.000", Decimal("481179000")),
        ("0.125", Decimal("0.125")),
        ("1.23", Decimal("1.23")),
        ("1234.567", Decimal("1234.567")),
        ("1,234", Decimal("1.234")),
        ("1,234,567", Decimal("1234567")),
        ("1,234.5", Decimal("1234.5")),
        ("-3,5", Decimal("-3.5")),
        ("  80,44 ", Decimal("80.44")),
    ],
)
def test_parse_decimal_reads_numbers_as_vietnamese_users_type_them(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "%",
        "abc",
        "81%a",
        "1..2",
        "1.23.4",
        "12.34.5",
        "1,2,3",
        "1 23",
        "1.",
        "1,",
        ".5",
        "4227/5219",
        "Đạt",
    ],
)
def test_parse_decimal_returns_none_for_anything_not_a_number(text: str) -> None:
    assert parse_decimal(text) is None


def test_control_characters_pasted_from_a_pdf_are_dropped_and_line_breaks_kept():
    assert clean_text("Đã số\x02 hóa\x7f\n\x0bhồ sơ") == "Đã số hóa\nhồ sơ"
