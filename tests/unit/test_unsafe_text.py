"""The one rule for what stored text may hold: what XML 1.0 carries, without the invisible characters that
break matching, and with Vietnamese, punctuation and emoji untouched."""

import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from common.excel import escape_formula, write_text
from common.fields import NFCCharField, NFCTextField
from common.text import clean_text, strip_unsafe

XML_ILLEGAL = [
    *[chr(c) for c in range(0x00, 0x09)],
    "\x0b",
    "\x0c",
    *[chr(c) for c in range(0x0E, 0x20)],
    "\ud800",  # a lone high surrogate
    "\udbff",
    "\udc00",  # a lone low surrogate
    "\udfff",
    "\ufffe",
    "\uffff",
]
NONCHARACTERS = [
    "\ufdd0",
    "\ufdef",
    "\U0001fffe",
    "\U0001ffff",
    "\U0005fffe",
    "\U0010fffe",
    "\U0010ffff",
]
DISCOURAGED_CONTROLS = ["\x7f", "\x80", "\x85", "\x9f"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
KEPT = [
    "Phòng Văn hóa - Xã hội",
    "Ủy ban nhân dân xã Nghĩa Đàn – “chuyển đổi số” … 100% ≥ 80‰",
    unicodedata.normalize("NFC", "Đảng ủy, HĐND, UBND; Mặt trận Tổ quốc! (2026) § ½ € ₫ ™ © °C"),
    "Hồ sơ 👍🏽 🇻🇳 ⭐ ✅ 😀",
    "👨\u200d👩\u200d👧 ❤\ufe0f\u200d🔥 🏳\ufe0f\u200d🌈",  # joiners inside emoji sequences hold them together
    "\ufffd",  # the replacement character is a real character
    "\ue000\U000f0000",  # private use is legal XML
    "漢字 한국어 ไทย العربية",
]


@pytest.mark.parametrize("char", XML_ILLEGAL + NONCHARACTERS + DISCOURAGED_CONTROLS + INVISIBLE)
def test_strip_unsafe_drops_each_character_no_output_should_carry(char: str) -> None:
    assert strip_unsafe(f"Số{char}hóa") == "Sốhóa"


@pytest.mark.parametrize("text", KEPT)
def test_strip_unsafe_keeps_vietnamese_punctuation_and_emoji(text: str) -> None:
    assert strip_unsafe(text) == text


def test_strip_unsafe_keeps_tab_line_feed_and_carriage_return() -> None:
    assert strip_unsafe("Dòng một\tcột\r\nDòng hai") == "Dòng một\tcột\r\nDòng hai"


def test_a_joiner_outside_an_emoji_sequence_is_dropped() -> None:
    assert strip_unsafe("Số\u200dhóa 👩\u200d \u200d👩") == "Sốhóa 👩 👩"


@pytest.mark.parametrize("char", XML_ILLEGAL + NONCHARACTERS + INVISIBLE)
def test_clean_text_drops_them_too(char: str) -> None:
    assert clean_text(f"Phòng{char}Kinh tế") in {"PhòngKinh tế", "Phòng\nKinh tế"}
    assert char not in clean_text(f"Phòng{char}Kinh tế")


def test_clean_text_still_reads_form_feeds_and_vertical_tabs_as_line_ends() -> None:
    assert (
        clean_text("Trang một\x0cTrang hai\x0bDòng ba\x85Dòng bốn")
        == "Trang một\nTrang hai\nDòng ba\nDòng bốn"
    )


def test_a_soft_hyphen_between_a_letter_and_its_tone_mark_does_not_keep_them_apart() -> None:
    decomposed = unicodedata.normalize("NFD", "hóa")
    typed = decomposed[:2] + "\u00ad" + decomposed[2:]
    assert clean_text(typed) == "hóa"
    assert NFCTextField().get_prep_value(typed) == "hóa"


@pytest.mark.parametrize("field", [NFCCharField(max_length=100), NFCTextField()])
def test_the_nfc_fields_store_by_the_same_rule(field) -> None:
    dirty = "Kết\ufffe quả\u200b\x0b đạt\ud800\U0010ffff được\u00ad\nDòng hai"
    assert field.get_prep_value(dirty) == "Kết quả đạt được\nDòng hai"
    assert field.to_python(dirty) == "Kết quả đạt được\nDòng hai"
    assert field.get_prep_value(None) is None


def _round_trip(write) -> list:
    wb = Workbook()
    write(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return [cell.value for cell in load_workbook(io.BytesIO(buffer.getvalue())).active[1]]


def test_write_text_makes_a_cell_that_opens_whatever_the_text_held_before_the_rule() -> None:
    stored_before = "=Phòng\ufffe\uffff Kinh tế\x02\U0001fffe"

    def write(ws) -> None:
        write_text(ws.cell(row=1, column=1), stored_before)

    assert _round_trip(write) == ["=Phòng Kinh tế"]


def test_escape_formula_is_xml_safe_and_quotes_a_formula() -> None:
    assert escape_formula("=1+2\ufffe") == "'=1+2"
    assert escape_formula("Hồ\uffffsơ") == "Hồsơ"
    assert escape_formula(5) == 5
    assert _round_trip(lambda ws: ws.append([escape_formula("@SUM(A1)\ud800")])) == ["'@SUM(A1)"]
