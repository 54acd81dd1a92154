"""Whole numbers read out in Vietnamese, as an amount is written in words on a financial document.

`481179000` → `bốn trăm tám mươi mốt triệu một trăm bảy mươi chín nghìn`. Written here rather than taken
from num2words 0.5.14 (lang="vi"), which drops the `không trăm` of an inner group (`2024` comes out
`hai nghìn lẻ hai mươi bốn`, `1050000` as `một triệu năm mươi nghìn`) and has no word past `tỷ` (10^18 is
`một Quintillion`). The rules, as accounting documents apply them:

- groups of three digits, named `nghìn`, `triệu`, then `tỷ`, which repeats (`một nghìn tỷ`, `một tỷ tỷ`);
- an all-zero group is skipped; every group after the first is read in full, hundreds included
  (`một triệu không trăm năm mươi nghìn`), and a zero tens digit before a unit reads `linh`
  (`một trăm linh năm`);
- `mười` for ten, `mươi` for the tens from twenty; a unit `một` after `mươi` reads `mốt`, a unit `năm`
  after any tens reads `lăm` (`mười lăm`, `hai mươi lăm`); `bốn` stays `bốn`, the form documents use.
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def _three(number: int, *, full: bool) -> list[str]:
    """A group of three digits; `full` reads its hundreds even when zero (a group after a higher one)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(number: int, *, full: bool) -> list[str]:
    groups = [number // 10**6, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for group, name in zip(groups, reversed(GROUP_NAMES), strict=True):
        if group:
            words += _three(group, full=full or bool(words))
            if name:
                words.append(name)
    return words


def _words(number: int, *, full: bool) -> list[str]:
    high, low = divmod(number, BILLION)
    words = [*_words(high, full=full), "tỷ"] if high else []
    if low:
        words += _below_billion(low, full=full or bool(words))
    return words


def number_in_words(number: int) -> str:
    """`481179000` → `bốn trăm tám mươi mốt triệu một trăm bảy mươi chín nghìn`; `0` → `không`."""
    if number < 0:
        return "âm " + number_in_words(-number)
    return " ".join(_words(number, full=False)) or DIGITS[0]


def amount_in_words(amount: int) -> str:
    """The `Bằng chữ` of an amount in đồng: `Bốn trăm tám mươi mốt triệu … nghìn đồng`, capitalised."""
    words = f"{number_in_words(amount)} đồng"
    return words[:1].upper() + words[1:]
