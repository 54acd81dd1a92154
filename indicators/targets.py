"""Read a target as plans print it (`≥50%`, `Tối thiểu 80%`, `50-80%`, `Đạt`) and judge an actual against it.

Pure functions, no database. Text that fits no known form is kept as written (kind `text`) and left to a
person: a wrong guess would mark an indicator achieved or failed on the province's dashboard.
"""

import enum
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from common.text import clean_text, parse_decimal


class TargetKind(enum.StrEnum):
    PERCENT = "percent"
    NUMBER = "number"
    RANGE = "range"
    BOOLEAN = "boolean"
    TEXT = "text"


class Comparator(enum.StrEnum):
    EQ = "eq"
    GTE = "gte"
    GT = "gt"
    LTE = "lte"
    LT = "lt"


class Verdict(enum.StrEnum):
    ACHIEVED = "achieved"
    EXCEEDED = "exceeded"
    NOT_ACHIEVED = "not_achieved"


@dataclass(frozen=True)
class ParsedTarget:
    kind: TargetKind
    comparator: Comparator | None
    value: Decimal | None
    min_value: Decimal | None
    max_value: Decimal | None
    unit: str
    qualifier: str
    raw: str


_BOOLEAN_TARGETS = {"đạt", "hoàn thành", "có"}
_TRUE_ACTUALS = {"đạt", "hoàn thành", "có", "đã hoàn thành", "đã đạt", "đã có"}
_FALSE_ACTUALS = {"chưa đạt", "chưa hoàn thành", "không", "không đạt", "chưa có", "không có"}

_SYMBOLS = {"≥": Comparator.GTE, ">=": Comparator.GTE, "=>": Comparator.GTE, "⩾": Comparator.GTE}
_SYMBOLS |= {">": Comparator.GT, "≤": Comparator.LTE, "<=": Comparator.LTE, "=<": Comparator.LTE}
_SYMBOLS |= {"⩽": Comparator.LTE, "<": Comparator.LT, "=": Comparator.EQ}
_WORDS = {
    "ít nhất": Comparator.GTE,
    "tối thiểu": Comparator.GTE,
    "không dưới": Comparator.GTE,
    "không thấp hơn": Comparator.GTE,
    "không ít hơn": Comparator.GTE,
    "từ": Comparator.GTE,
    "trên": Comparator.GT,
    "hơn": Comparator.GT,
    "cao hơn": Comparator.GT,
    "lớn hơn": Comparator.GT,
    "nhiều hơn": Comparator.GT,
    "tối đa": Comparator.LTE,
    "không quá": Comparator.LTE,
    "không vượt quá": Comparator.LTE,
    "nhiều nhất": Comparator.LTE,
    "dưới": Comparator.LT,
    "thấp hơn": Comparator.LT,
    "nhỏ hơn": Comparator.LT,
    "ít hơn": Comparator.LT,
}
_SUFFIXES = {"trở lên": Comparator.GTE, "trở xuống": Comparator.LTE}
_SYMBOL_OF = {
    Comparator.GTE: "≥",
    Comparator.GT: ">",
    Comparator.LTE: "≤",
    Comparator.LT: "<",
    Comparator.EQ: "=",
}


def _alternation(options: Iterable[str]) -> str:
    # Longest first, so `không dưới` is tried before `dưới` and `>=` before `>`.
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


# Words that only introduce the figure: `Phấn đấu trên 70%`, `Đạt 95%`, `Đạt tỷ lệ 100%`.
_LEAD_IN = r"(?:(?:phấn đấu|đạt|tỷ lệ|tỉ lệ|có)\s+)*"
# `5 000` groups thousands with a space; otherwise dots and commas, read by parse_decimal.
_NUMBER = r"(?:\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:[.,]\d+)*)(?![\d.,])"
_CMP = rf"(?:(?P<symbol>{_alternation(_SYMBOLS)})|(?P<word>{_alternation(_WORDS)})\s)"
_SINGLE = re.compile(rf"{_LEAD_IN}{_CMP}?\s*(?P<num>{_NUMBER})(?:\s*(?P<pct>%))?(?P<rest>.*)", re.I)
_RANGE = re.compile(
    rf"{_LEAD_IN}(?:từ\s+)?(?P<low>{_NUMBER})\s*(?P<low_pct>%)?\s*(?:-|–|—|đến|tới)\s*"
    rf"(?P<high>{_NUMBER})(?:\s*(?P<high_pct>%))?(?P<rest>(?:(?:(?<=%)|\s).*)?)",
    re.I,
)
_SUFFIX = re.compile(rf"(?P<before>.*?)\s*\b(?P<suffix>{_alternation(_SUFFIXES)})$", re.I)
_EDGE_PUNCTUATION = " .,;:"


def parse_target(text: str) -> ParsedTarget:
    """Parse a target cell; anything that fits no known form comes back as kind `text`, nothing dropped."""
    raw = clean_text(text)
    line = raw.replace("\n", " ").strip(_EDGE_PUNCTUATION)
    if line.lower() in _BOOLEAN_TARGETS:
        return _target(TargetKind.BOOLEAN, raw)
    return _parse_range(line, raw) or _parse_single(line, raw) or _target(TargetKind.TEXT, raw)


def _target(
    kind: TargetKind,
    raw: str,
    *,
    comparator: Comparator | None = None,
    value: Decimal | None = None,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    unit: str = "",
    qualifier: str = "",
) -> ParsedTarget:
    return ParsedTarget(kind, comparator, value, min_value, max_value, unit, qualifier, raw)


def _parse_range(line: str, raw: str) -> ParsedTarget | None:
    m = _RANGE.fullmatch(line)
    if not m:
        return None
    low, high = parse_decimal(m["low"]), parse_decimal(m["high"])
    # `80-50%` is a typo or something we do not understand: leave it to a person.
    if low is None or high is None or low > high:
        return None
    rest = m["rest"].strip(_EDGE_PUNCTUATION)
    if m["low_pct"] or m["high_pct"]:
        return _target(TargetKind.RANGE, raw, min_value=low, max_value=high, unit="%", qualifier=rest)
    unit, qualifier = _split_unit(rest)
    return _target(TargetKind.RANGE, raw, min_value=low, max_value=high, unit=unit, qualifier=qualifier)


def _parse_single(line: str, raw: str) -> ParsedTarget | None:
    m = _SINGLE.fullmatch(line)
    if not m:
        return None
    value = parse_decimal(m["num"])
    rest = m["rest"]
    # `400dịch vụ`, `4227/5219` or `5 10 hồ sơ` is not a figure followed by words; `%` ends the figure.
    if value is None or (rest and not m["pct"] and (not rest[0].isspace() or rest.lstrip()[:1].isdigit())):
        return None
    comparator = _comparator(m["symbol"], m["word"])
    rest = rest.strip(_EDGE_PUNCTUATION)
    suffix = _SUFFIX.fullmatch(rest)
    if suffix:
        # `70% trở lên`: the words after the figure carry the comparison; a prefix, when both are
        # written (`Ít nhất 70% trở lên`), says the same or is more precise.
        comparator = comparator or _SUFFIXES[suffix["suffix"].lower()]
        rest = suffix["before"].strip(_EDGE_PUNCTUATION)
    # A plain figure in a plan means "reach at least this".
    comparator = comparator or Comparator.GTE
    if m["pct"]:
        return _target(TargetKind.PERCENT, raw, comparator=comparator, value=value, unit="%", qualifier=rest)
    unit, qualifier = _split_unit(rest)
    return _target(TargetKind.NUMBER, raw, comparator=comparator, value=value, unit=unit, qualifier=qualifier)


def _comparator(symbol: str | None, word: str | None) -> Comparator | None:
    if symbol:
        return _SYMBOLS[symbol]
    if word:
        return _WORDS[word.lower()]
    return None


_QUALIFIER_START = re.compile(r"\s(?=(?:đối với|trong đó|trong tổng số|trên tổng số)\b)|\s?(?=\()", re.I)


def _split_unit(rest: str) -> tuple[str, str]:
    """`dịch vụ công trực tuyến` is all unit; `hồ sơ đối với …` splits into unit and qualifier."""
    parts = _QUALIFIER_START.split(rest, maxsplit=1)
    if len(parts) == 1:
        return rest, ""
    return parts[0].strip(_EDGE_PUNCTUATION), parts[1].strip(_EDGE_PUNCTUATION)


# --- a target inside a goal's own sentence -----------------------------------------------------------------

# Words that introduce a figure in prose: `Tối thiểu 80% hồ sơ`, `phấn đấu đạt 95%`, `ít nhất 5000 hồ sơ/năm`.
_PROSE_LEADS = [*_WORDS, "phấn đấu đạt", "phấn đấu", "đạt"]
_PROSE_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_PROSE_FIGURE = re.compile(
    rf"(?:(?P<lead>{_alternation(_PROSE_LEADS)})\s+|(?P<symbol>{_alternation(_SYMBOLS)})\s*)?"
    rf"(?<![\w.,/-])(?P<num>{_PROSE_NUMBER}(?:\s*%?\s*[-–]\s*{_PROSE_NUMBER})?)(?![\w/-]|[.,]\d)"
    rf"(?P<pct>\s*%)?(?P<words>(?:\s+[^\W\d_][\w/]*)*)",
    re.I,
)
# A figure right after these words is a date, a year or a document number, not a target.
_NOT_A_TARGET_BEFORE = re.compile(
    r"(?:ngày|tháng|năm|quý|giai đoạn|số|lần|khoản|điều|mục|phụ lục|quyết định|nghị quyết|kế hoạch|đề án|"
    r"chỉ thị|thông tư|nghị định|công văn|khóa|khoá)\s*$",
    re.I,
)
# The unit after a count ends before these words (`25 dịch vụ công trực tuyến toàn trình của Tỉnh`).
_UNIT_STOPS = {
    "của", "đã", "được", "tại", "trên", "cho", "trong", "và", "để", "theo", "với", "đối", "thuộc", "có", "là",
    "về", "từ", "đến", "khi", "do", "ở", "qua", "bằng", "vào", "nhằm", "gồm", "bao", "như", "này", "đó",
    "trước", "sau", "mới", "các", "những", "hoàn", "đạt",
}  # fmt: skip
_MAX_UNIT_WORDS = 8
_YEAR = re.compile(r"(?:19|20)\d{2}")


def figures_in_prose(text: str) -> list[str]:
    """Every target a goal's sentence states, first one first, each as a text `parse_target` reads:
    `Tối thiểu 80% hồ sơ TTHC …` gives `Tối thiểu 80%`; `Bảo đảm cung cấp 400 dịch vụ công trực tuyến`
    gives `400 dịch vụ công trực tuyến`. Dates, years and document numbers are not figures."""
    line = clean_text(text).replace("\n", " ")
    found = []
    for m in _PROSE_FIGURE.finditer(line):
        if _NOT_A_TARGET_BEFORE.search(line[: m.start("num") if not m["lead"] else m.start()]):
            continue
        if not m["pct"] and not m["lead"] and _YEAR.fullmatch(m["num"]):
            continue
        if m["pct"]:
            end = m.end("pct")
        else:
            words = m["words"].split()
            kept = list(itertools.takewhile(lambda w: w.lower() not in _UNIT_STOPS, words))[:_MAX_UNIT_WORDS]
            end = m.end("num") + (len(" ".join(kept)) + 1 if kept else 0)
            if not kept:
                continue  # a bare count (`2 lần`, `trong 3`) says nothing measurable on its own
        fragment = line[m.start() : end].strip(_EDGE_PUNCTUATION)
        if parse_target(fragment).kind != TargetKind.TEXT:
            found.append(fragment)
    return found


_FRACTION = re.compile(r"\(?\s*(?P<num>\d[\d.\s]*?)\s*/\s*(?P<den>\d[\d.\s]*?)\s*\)?(?:\s*=\s*.*)?")
_ONE_DECIMAL = Decimal("0.1")
# `Đạt 95%`, `Đạt tỷ lệ 95%`: the figure is the actual. `Đạt` alone is a flag and is kept.
_ACTUAL_LEAD_IN = re.compile(r"^(?:(?:đạt|tỷ lệ|tỉ lệ)\s+)+(?=\d)", re.I)


def parse_actual(text: str) -> tuple[Decimal | None, bool | None]:
    """Read a reported actual as (value, flag): `81,5%`, `4227/5219` (as a percentage), `Đạt`, `Chưa đạt`."""
    line = clean_text(text).replace("\n", " ").strip(_EDGE_PUNCTUATION)
    line = _ACTUAL_LEAD_IN.sub("", line)
    lowered = line.lower()
    if lowered in _TRUE_ACTUALS:
        return None, True
    if lowered in _FALSE_ACTUALS:
        return None, False
    number = parse_decimal(line)
    if number is not None:
        return number, None
    fraction = _FRACTION.fullmatch(line)
    if fraction:
        numerator, denominator = parse_decimal(fraction["num"]), parse_decimal(fraction["den"])
        if numerator is not None and denominator:
            # `4227/5219` is how plans report a share of people: compare it as a percentage.
            share = numerator * 100 / denominator
            return share.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP), None
    return None, None


_TWO_DECIMALS = Decimal("0.01")
# What the stored field holds (14 digits, 2 of them decimals).
_BASELINE_LIMIT = Decimal(10) ** 12
# `đạt tỷ lệ 80,11%`, `chiếm tỷ lệ 80,44%`: words before the figure of a printed result.
_BASELINE_LEAD_IN = re.compile(r"^(?:(?:đạt|chiếm|tỷ lệ|tỉ lệ|là)\s+)+", re.I)


def parse_baseline(text: str) -> tuple[Decimal | None, Comparator | None]:
    """Read last year's result as the plan prints it: (value, comparator printed before it, if any).

    The figure the document prints wins over the one its fraction gives: `3336/4164 = 80,11%` is 80.11, not
    80.1 recomputed; `trên 38,2%` is 38.2 with «>»; a bare `4227/5219` is its share to two decimals (the
    stored precision). More decimals than two are rounded; the printed text is kept by the caller.
    """
    line = clean_text(text).replace("\n", " ").strip(_EDGE_PUNCTUATION)
    printed = line.rpartition("=")[2].strip(_EDGE_PUNCTUATION) if "=" in line else line
    printed = _BASELINE_LEAD_IN.sub("", printed)
    m = _SINGLE.fullmatch(printed)
    if m is not None and (value := parse_decimal(m["num"])) is not None:
        rest = m["rest"]
        if not rest or m["pct"] or (rest[0].isspace() and not rest.lstrip()[:1].isdigit()):
            value = _two_decimals(value)
            return value, _comparator(m["symbol"], m["word"]) if value is not None else None
    fraction = _FRACTION.fullmatch(line)
    if fraction:
        numerator, denominator = parse_decimal(fraction["num"]), parse_decimal(fraction["den"])
        if numerator is not None and denominator:
            return _two_decimals(numerator * 100 / denominator), None
    return None, None


def _two_decimals(value: Decimal) -> Decimal | None:
    if abs(value) >= _BASELINE_LIMIT:
        return None  # no share or count of a commune is this large: a typo, left to the printed text
    if value.as_tuple().exponent < -2:
        return value.quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP)
    return value


def evaluate(target: ParsedTarget, value: Decimal | None = None, flag: bool | None = None) -> Verdict | None:
    """Judge an actual against a target; None when it cannot be decided without a person."""
    if target.kind == TargetKind.BOOLEAN:
        if flag is None:
            return None
        return Verdict.ACHIEVED if flag else Verdict.NOT_ACHIEVED
    if value is None:
        return None
    if target.kind == TargetKind.RANGE:
        if target.min_value is None or target.max_value is None:
            return None
        if value > target.max_value:
            return Verdict.EXCEEDED
        return Verdict.ACHIEVED if value >= target.min_value else Verdict.NOT_ACHIEVED
    if target.kind not in (TargetKind.PERCENT, TargetKind.NUMBER) or target.value is None:
        return None
    goal = target.value
    match target.comparator:
        case Comparator.GTE:
            if value > goal:
                return Verdict.EXCEEDED
            return Verdict.ACHIEVED if value == goal else Verdict.NOT_ACHIEVED
        case Comparator.GT:
            # "Above 80%" is the bar itself; going past it is just meeting it, never "exceeded".
            met = value > goal
        case Comparator.EQ:
            met = value == goal
        case Comparator.LTE:
            met = value <= goal
        case Comparator.LT:
            met = value < goal
        case _:
            return None
    return Verdict.ACHIEVED if met else Verdict.NOT_ACHIEVED


def is_met(verdict: Verdict | None) -> bool | None:
    """Achieved or exceeded counts as met; None stays undecided."""
    if verdict is None:
        return None
    return verdict in (Verdict.ACHIEVED, Verdict.EXCEEDED)


def format_target(t: ParsedTarget) -> str:
    """Short label for tables: `≥ 80%`, `50–80%`, `≥ 5.000 hồ sơ/năm`, `Đạt`; the raw text for the rest."""
    if t.kind == TargetKind.BOOLEAN:
        word = t.raw.replace("\n", " ").strip(_EDGE_PUNCTUATION)
        return word[:1].upper() + word[1:].lower()
    if t.kind == TargetKind.RANGE and t.min_value is not None and t.max_value is not None:
        return _with_unit(f"{format_number(t.min_value)}–{format_number(t.max_value)}", t.unit)
    if t.kind in (TargetKind.PERCENT, TargetKind.NUMBER) and t.value is not None and t.comparator:
        figure = _with_unit(format_number(t.value), t.unit)
        # Nothing can go above 100%, so `≥ 100%` would only add noise to every table row.
        if t.kind == TargetKind.PERCENT and t.comparator == Comparator.GTE and t.value == 100:
            return figure
        return f"{_SYMBOL_OF[t.comparator]} {figure}"
    return t.raw.replace("\n", " ")


def _with_unit(figure: str, unit: str) -> str:
    if not unit:
        return figure
    return f"{figure}{unit}" if unit == "%" else f"{figure} {unit}"


def format_number(value: Decimal | int) -> str:
    """Vietnamese notation: `5.000`, `2,5`, `1.234,5` (dot for thousands, comma for decimals)."""
    text = format(Decimal(value).normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"
