"""Reporting-period codes (`2026-M03`, `2025-Q4`, `2026-H1`, `2026`) and the dates they cover."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTH, QUARTER, HALF_YEAR, YEAR = "month", "quarter", "half_year", "year"

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<letter>[MQH])(?P<number>\d{1,2}))?$")
_LETTER_KIND = {"M": MONTH, "Q": QUARTER, "H": HALF_YEAR}
_KIND_LETTER = {kind: letter for letter, kind in _LETTER_KIND.items()}
_MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}
_COUNT_IN_YEAR = {MONTH: 12, QUARTER: 4, HALF_YEAR: 2, YEAR: 1}


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    year: int
    number: int

    @property
    def code(self) -> str:
        return period_code(self.kind, self.year, self.number)

    @property
    def start(self) -> dt.date:
        months = _MONTHS_IN[self.kind]
        return dt.date(self.year, (self.number - 1) * months + 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.number * _MONTHS_IN[self.kind]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def previous(self) -> "PeriodSpec":
        if self.number > 1:
            return PeriodSpec(self.kind, self.year, self.number - 1)
        return PeriodSpec(self.kind, self.year - 1, _COUNT_IN_YEAR[self.kind])


def period_code(kind: str, year: int, number: int) -> str:
    if kind == YEAR:
        return str(year)
    width = 2 if kind == MONTH else 1
    return f"{year}-{_KIND_LETTER[kind]}{number:0{width}d}"


def parse_period_code(code: str) -> PeriodSpec:
    """Read a period code; raise ValueError with a Vietnamese message for anything else."""
    match = _CODE.match(code.strip().upper())
    if not match:
        raise ValueError(f"Mã kỳ báo cáo không hợp lệ: «{code}» (ví dụ: 2026-M03, 2025-Q4, 2026-H1, 2026).")
    year = int(match["year"])
    if not match["letter"]:
        return PeriodSpec(YEAR, year, 1)
    kind = _LETTER_KIND[match["letter"]]
    number = int(match["number"])
    if not 1 <= number <= _COUNT_IN_YEAR[kind]:
        raise ValueError(f"Mã kỳ báo cáo không hợp lệ: «{code}» (số kỳ ngoài phạm vi).")
    return PeriodSpec(kind, year, number)


KINDS = (MONTH, QUARTER, HALF_YEAR, YEAR)


def count_in_year(kind: str) -> int:
    return _COUNT_IN_YEAR[kind]


def year_specs(year: int, kinds: list[str]) -> list[PeriodSpec]:
    """Every period of these kinds in the year, in the order of KINDS."""
    return [
        PeriodSpec(kind, year, number)
        for kind in KINDS
        if kind in kinds
        for number in range(1, _COUNT_IN_YEAR[kind] + 1)
    ]


def due_date_after(end: dt.date, day: int) -> dt.date:
    """Day `day` of the month after the period ends (the province's usual rule is the 15th); a day the
    month lacks becomes its last day (30 in a 28-day February gives the 28th)."""
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
