"""The period a plan covers, as its document prints it: `Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025`,
`6 tháng cuối năm 2025`, `giai đoạn 2025-2026`, `năm 2026`. Pure functions, no database.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from common.text import clean_text

_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_RANGE = re.compile(rf"từ\s+(?:ngày\s+)?{_DATE}\s+(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?{_DATE}", re.I)
_HALF = re.compile(r"6\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})", re.I)
_YEARS = re.compile(r"giai\s+đoạn\s+(\d{4})\s*(?:-|–|—|đến)\s*(\d{4})", re.I)
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.I)


@dataclass(frozen=True)
class PrintedPeriod:
    start: dt.date
    end: dt.date
    half_year: bool
    text: str  # the words it was read from, for the preview


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _exact(line: str) -> PrintedPeriod | None:
    m = _RANGE.search(line)
    if not m:
        return None
    start, end = _date(*m.groups()[:3]), _date(*m.groups()[3:])
    if start is None or end is None or end < start:
        return None
    half = (end - start).days < 200
    return PrintedPeriod(start, end, half, m.group(0))


def _half(line: str) -> PrintedPeriod | None:
    m = _HALF.search(line)
    if not m:
        return None
    year = int(m.group(2))
    if m.group(1).lower() == "đầu":
        return PrintedPeriod(dt.date(year, 1, 1), dt.date(year, 6, 30), True, m.group(0))
    return PrintedPeriod(dt.date(year, 7, 1), dt.date(year, 12, 31), True, m.group(0))


def _years(line: str) -> PrintedPeriod | None:
    m = _YEARS.search(line)
    if not m or int(m.group(2)) < int(m.group(1)):
        return None
    return PrintedPeriod(dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31), False, m.group(0))


def _year(line: str) -> PrintedPeriod | None:
    m = _YEAR.search(line)
    if not m:
        return None
    year = int(m.group(1))
    return PrintedPeriod(dt.date(year, 1, 1), dt.date(year, 12, 31), False, m.group(0))


def period_in_texts(texts: Iterable[str], *, year: int | None = None) -> PrintedPeriod | None:
    """The most precise period the lines state: exact dates, then a half-year, then a span of years, then a
    year (only `year` itself when given: `Kết quả năm 2024` above a 2025 plan is not its period)."""
    lines = [clean_text(t).replace("\n", " ") for t in texts if t]
    for reader in (_exact, _half, _years):
        for line in lines:
            found = reader(line)
            if found is not None and (year is None or found.start.year <= year <= found.end.year):
                return found
    for line in lines:
        found = _year(line)
        if found is not None and (year is None or found.start.year == year):
            return found
    return None
