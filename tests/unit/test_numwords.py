"""Amounts in words, as a Vietnamese financial document writes them."""

import pytest

from common.numwords import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (2024, "hai nghìn không trăm hai mươi bốn"),
        (10_000, "mười nghìn"),
        (1_000_000, "một triệu"),
        (1_001_000, "một triệu không trăm linh một nghìn"),
        (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (5_000_005, "năm triệu không trăm linh năm"),
        (6_279_000, "sáu triệu hai trăm bảy mươi chín nghìn"),
        (100_000_001, "một trăm triệu không trăm linh một"),
        (481_179_000, "bốn trăm tám mươi mốt triệu một trăm bảy mươi chín nghìn"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (2_000_000_000, "hai tỷ"),
        (
            12_345_678_901,
            "mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một",
        ),
        (1_000_000_000_000, "một nghìn tỷ"),
        (1_000_000_000_000_000_000, "một tỷ tỷ"),
        (-21, "âm hai mươi mốt"),
    ],
)
def test_number_in_words(number, words):
    assert number_in_words(number) == words


def test_an_amount_reads_in_dong_with_a_capital():
    assert amount_in_words(481_179_000) == "Bốn trăm tám mươi mốt triệu một trăm bảy mươi chín nghìn đồng"
    assert amount_in_words(0) == "Không đồng"
