"""Read a task deadline as plans print it (`Quý 1/2026`, `Trước ngày 20/12/2025`, `Thường xuyên`).

Pure functions, no database. A dated form gets the LAST day of the period it names as its due date, so a task
due `Quý 1/2026` is overdue from 1 April. Text that fits no form is kept as written with no due date: a
guessed date would flag tasks overdue that are not.
"""

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

from common.text import clean_text


class DeadlineKind(enum.StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    RECURRING = "recurring"
    ON_REQUEST = "on_request"
    EXTERNAL = "external"
    NONE = "none"
    TEXT = "text"


_DATED = frozenset(
    {DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.HALF_YEAR, DeadlineKind.YEAR}
)


@dataclass(frozen=True)
class ParsedDeadline:
    kind: DeadlineKind
    due_date: dt.date | None
    raw: str


# What one phrase of a cell says: its kind and, for dated kinds, the due date.
_Found = tuple[DeadlineKind, dt.date | None]


def is_countable_overdue(kind: DeadlineKind) -> bool:
    """Only a deadline with a due date can pass; `Thường xuyên` or `Khi có yêu cầu` never does."""
    return kind in _DATED


_YEAR = r"(?P<year>\d{4})"
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Words that only frame the period: `Hoàn thành trong Quý 1/2026`, `Đến hết năm 2026`, `Cuối năm 2026`.
_FILLER = re.compile(
    r"^(?:(?:phấn đấu|hoàn thành|thực hiện|xong|chậm nhất(?: là)?|trong|đến hết|đến|hết|cuối|giai đoạn)\s*)+"
)
_BEFORE = re.compile(r"^trước\s+")

_DAY = re.compile(r"(?:ngày\s*)?(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*" + _YEAR)
_DAY_IN_WORDS = re.compile(r"ngày\s*(?P<day>\d{1,2})\s+tháng\s*(?P<month>\d{1,2})\s+năm\s*" + _YEAR)
_MONTH = re.compile(r"(?:tháng\s*)?(?P<month>\d{1,2})\s*(?:/|-|\s+năm\s+)\s*" + _YEAR)
_QUARTER = re.compile(r"quý\s*(?P<quarter>[1-4]|iv|iii|ii|i)\s*(?:/|-|\s+năm\s+|\s+)\s*" + _YEAR)
_HALF = re.compile(
    r"(?:6|06|sáu)\s+tháng\s+(?P<half>đầu|cuối)\s+(?:năm\s+)?"
    + _YEAR
    + r"|nửa\s+(?P<half2>đầu|cuối)\s+năm\s+(?P<year2>\d{4})"
)
_YEARS = re.compile(r"(?:năm\s*)?(?P<first>\d{4})(?:\s*-\s*(?:năm\s*)?(?P<last>\d{4}))?")
# `Từ ngày 01/7/2025 đến ngày 31/12/2025`: a span is due at its end.
_SPAN = re.compile(r"từ\s+.+?\s+đến\s+(?P<end>.+)")

_RECURRING = re.compile(
    r"^(?:thường xuyên|liên tục|định kỳ|(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày))(?:\s|$)"
)


def parse_deadline(text: str) -> ParsedDeadline:
    """Parse a deadline cell; unknown or impossible dates (`31/02/2026`) come back as kind `text`."""
    raw = clean_text(text)
    if not raw:
        return ParsedDeadline(DeadlineKind.NONE, None, raw)
    found = _parse_phrase(_prepare(raw))
    if found is None or found[0] not in _DATED:
        several = _parse_several(raw)
        if several is not None and (found is None or several[0] in _DATED):
            found = several
    if found is None:
        return ParsedDeadline(DeadlineKind.TEXT, None, raw)
    kind, due = found
    return ParsedDeadline(kind, due, raw)


def _prepare(text: str) -> str:
    """One lowercase line with one space between words, plain dashes and no spaces around `/`."""
    line = " ".join(text.lower().split())
    line = re.sub(r"[–—]", "-", line)
    line = re.sub(r"\s*/\s*", "/", line)
    return line.strip(" .,;:")


def _parse_several(raw: str) -> _Found | None:
    """A cell holding several phrases (`Thường xuyên; Quý 1/2026`): every phrase must be understood.

    Line breaks and `;` always separate phrases. Commas and `và` separate them only inside a line that is not
    understood whole, because `Khi có yêu cầu của tỉnh, huyện` or `Theo KH 12/KH-UBND, ngày 31/12/2025`
    must not yield a due date.
    """
    chunks = [c for c in re.split(r"[\n;]", raw) if _prepare(c)]
    found = [_parse_phrase(_prepare(c)) or _parse_listed(c) for c in chunks]
    if any(f is None for f in found):
        return None
    return _combine([f for f in found if f is not None])


def _parse_listed(chunk: str) -> _Found | None:
    pieces = [_prepare(p) for p in re.split(r",|\s+và\s+", chunk)]
    found = [_parse_phrase(p) for p in pieces if p]
    if len(found) < 2 or any(f is None for f in found):
        return None
    return _combine([f for f in found if f is not None])


def _combine(found: list[_Found]) -> _Found | None:
    """A dated phrase wins over `Thường xuyên`/`Khi có yêu cầu`/`Theo …`: a date is the only thing that lets
    a task become overdue, and dropping it would hide a missed deadline. With several dates the latest is
    the task's end."""
    dated = [f for f in found if f[0] in _DATED]
    if dated:
        return max(dated, key=lambda f: f[1] or dt.date.min)
    return found[0] if found else None


def _parse_phrase(line: str) -> _Found | None:
    if not line:
        return DeadlineKind.NONE, None
    recurring = _RECURRING.match(line)
    if recurring:
        # `Thường xuyên, trước 31/12/2025`: the date wins (see _combine).
        rest = line[recurring.end() :].strip(" .,;:-")
        dated = _parse_phrase(rest) if rest else None
        if dated and dated[0] in _DATED:
            return dated
        return DeadlineKind.RECURRING, None
    # Checked before any date: `Theo Kế hoạch số 12/KH-UBND ngày 31/12/2025` names a document, not a due date.
    if re.match(r"khi\s", line):
        return DeadlineKind.ON_REQUEST, None
    if re.match(r"theo\s", line):
        return DeadlineKind.EXTERNAL, None
    line = _FILLER.sub("", line)
    span = _SPAN.fullmatch(line)
    if span:
        return _parse_period(span["end"])
    before = _BEFORE.match(line)
    if before:
        return _parse_before(line[before.end() :])
    return _parse_period(line)


def _parse_before(line: str) -> _Found | None:
    """`Trước ngày 20/12/2025` is due that day; `Trước tháng 11/2025` is due the day before November."""
    line = _FILLER.sub("", line)
    day = _day(line)
    if day is not None:
        return day
    start = _period_start(line) if _parse_period(line) else None
    return (DeadlineKind.DATE, start - dt.timedelta(days=1)) if start else None


def _period_start(line: str) -> dt.date | None:
    if m := _MONTH.fullmatch(line):
        return _safe_date(int(m["year"]), int(m["month"]), 1)
    if m := _QUARTER.fullmatch(line):
        return _safe_date(int(m["year"]), 3 * _quarter(m["quarter"]) - 2, 1)
    if m := _YEARS.fullmatch(line):
        return _safe_date(int(m["first"]), 1, 1)
    if m := _HALF.fullmatch(line):
        half = m["half"] or m["half2"]
        return _safe_date(int(m["year"] or m["year2"]), 1 if half == "đầu" else 7, 1)
    return None


def _day(line: str) -> _Found | None:
    m = _DAY.fullmatch(line) or _DAY_IN_WORDS.fullmatch(line)
    if not m:
        return None
    due = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return (DeadlineKind.DATE, due) if due else None


def _parse_period(line: str) -> _Found | None:
    line = _FILLER.sub("", line)
    if day := _day(line):
        return day
    if m := _QUARTER.fullmatch(line):
        quarter = _quarter(m["quarter"])
        return _dated(DeadlineKind.QUARTER, int(m["year"]), 3 * quarter)
    if m := _HALF.fullmatch(line):
        half = m["half"] or m["half2"]
        return _dated(DeadlineKind.HALF_YEAR, int(m["year"] or m["year2"]), 6 if half == "đầu" else 12)
    if m := _MONTH.fullmatch(line):
        return _dated(DeadlineKind.MONTH, int(m["year"]), int(m["month"]))
    if m := _YEARS.fullmatch(line):
        first, last = int(m["first"]), int(m["last"] or m["first"])
        # `Năm 2025-2026` runs to the end of the later year; `2026-2025` is a slip we do not second-guess.
        return _dated(DeadlineKind.YEAR, last, 12) if last >= first else None
    return None


def _quarter(text: str) -> int:
    return int(text) if text.isdigit() else _ROMAN_QUARTERS[text]


def _dated(kind: DeadlineKind, year: int, month: int) -> _Found | None:
    """The period ends on the last day of `month`."""
    if not 1 <= month <= 12 or not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    return kind, dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
