"""What a periodic report says, assembled from plain rows: wording, counts, the missing list, prefilled text.

No database here. `reports.selectors` turns the plan and its entries into the rows below; the PDF, the Excel
workbook and the preview page all print the same `ReportContent`, so they cannot disagree.
Only approved entries count (a draft or a submitted figure is not the commune's word yet); items without an
approved entry for the period are listed in `missing` so the reviewer sees what the report leaves out.
"""

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from common.numwords import amount_in_words
from common.text import shorten
from indicators.targets import Verdict, format_number
from plans import periods

ACHIEVED_LABEL = "Đạt"
NOT_ACHIEVED_LABEL = "Chưa đạt"
EXCEEDED_LABEL = "Vượt"
NO_DATA_LABEL = "Chưa có số liệu"
UNJUDGED_LABEL = "Chưa đánh giá"
# What a period's verdict rests on (tracking.selectors.indicator_state computes it for every output).
VERDICT_RULE = (
    "Đánh giá theo kết quả đã được duyệt của kỳ báo cáo; riêng chỉ tiêu cộng dồn lấy kết quả đã được duyệt "
    "gần nhất tính đến hết kỳ."
)

VERDICT_WORDS = {
    Verdict.ACHIEVED: ACHIEVED_LABEL,
    Verdict.EXCEEDED: EXCEEDED_LABEL,
    Verdict.NOT_ACHIEVED: NOT_ACHIEVED_LABEL,
}
# In the period's appendix a figure beyond the target still reads `Đạt` (the decree's table has two words);
# the target-against-actual table tells `Vượt` apart.
APPENDIX_VERDICT_WORDS = {**VERDICT_WORDS, Verdict.EXCEEDED: ACHIEVED_LABEL}
MET_VERDICTS = (Verdict.ACHIEVED, Verdict.EXCEEDED)

ENTRY_STATE_WORDS = {
    None: "chưa nhập",
    "draft": "đang là nháp",
    "submitted": "đã gửi, chưa duyệt",
    "returned": "bị trả lại",
}

# Task states as tracking.selectors.TaskState names them (the dashboards' words), lower-case for sentences:
# done wins, a passed deadline comes next, then the approved progress; the rest is not reported.
TASK_DONE, TASK_ON_TRACK, TASK_BEHIND, TASK_OVERDUE, TASK_NO_DATA = (
    "done",
    "on_track",
    "behind",
    "overdue",
    "no_data",
)
TASK_STATE_WORDS = {
    TASK_DONE: "hoàn thành",
    TASK_ON_TRACK: "đang thực hiện đúng tiến độ",
    TASK_BEHIND: "chậm tiến độ",
    TASK_OVERDUE: "quá hạn",
    TASK_NO_DATA: "chưa triển khai hoặc chưa có báo cáo được duyệt",
}
TASK_STATE_LABELS = {
    TASK_DONE: "Hoàn thành",
    TASK_ON_TRACK: "Đúng tiến độ",
    TASK_BEHIND: "Chậm tiến độ",
    TASK_OVERDUE: "Quá hạn",
    TASK_NO_DATA: "Chưa triển khai, chưa duyệt",
}
_STATE_OF_PROGRESS = {"done": TASK_DONE, "in_progress": TASK_ON_TRACK, "behind": TASK_BEHIND}

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")  # one per budget source
LAST_RECIPIENT = "Lưu: VT, VHXH."
_LUU = re.compile(r"^lưu\b", re.I)
_NUMBER_HEAD = re.compile(r"^\s*(\d+)(.*)$", re.S)


# -- wording --------------------------------------------------------------------------------------------


def period_label(kind: str, year: int, number: int) -> str:
    """`tháng 3 năm 2026`, `quý IV năm 2026`, `6 tháng đầu năm 2026`, `năm 2026`."""
    if kind == periods.MONTH:
        return f"tháng {number} năm {year}"
    if kind == periods.QUARTER:
        return f"quý {_ROMAN[number]} năm {year}"
    if kind == periods.HALF_YEAR:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return f"năm {year}"


def period_short_label(kind: str, year: int, number: int) -> str:
    """Column headings: `T3/2026`, `Quý IV/2026`, `6T đầu/2026`, `Năm 2026`."""
    if kind == periods.MONTH:
        return f"T{number}/{year}"
    if kind == periods.QUARTER:
        return f"Quý {_ROMAN[number]}/{year}"
    if kind == periods.HALF_YEAR:
        return f"6T {'đầu' if number == 1 else 'cuối'}/{year}"
    return f"Năm {year}"


def date_line(place: str, day: dt.date) -> str:
    """`Nghĩa Đàn, ngày 05 tháng 3 năm 2026`: day padded under 10, month padded only for 1 and 2 (NĐ 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number: str, symbol: str = "BC-UBND") -> str:
    """`5/BC-UBND` → `05/BC-UBND`; a plain `5` gets the symbol; empty leaves the gap the clerk fills in."""
    text = number.strip()
    if not text:
        # Non-breaking spaces keep the gap where the clerk writes the number by hand.
        return f"{chr(0xA0) * 8}/{symbol}"
    match = _NUMBER_HEAD.match(text)
    if match:
        digits, rest = match.groups()
        text = f"{int(digits):02d}{rest}"
    return text if "/" in text else f"{text}/{symbol}"


def recipient_lines(lines: list[str]) -> list[str]:
    """`Nơi nhận` as the decree prints it: `- ...;` each, the office copy last as `- Lưu: VT, VHXH.`"""
    cleaned = [line.strip().lstrip("-+•").strip().rstrip(";.,").strip() for line in lines]
    kept = [line for line in cleaned if line and not _LUU.match(line)]
    return [*(f"- {line};" for line in kept), f"- {LAST_RECIPIENT}"]


def money(amount: int | None) -> str:
    return f"{format_number(Decimal(amount))} đồng" if amount is not None else ""


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- rows -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    section: str
    number: str
    name: str
    target: str
    lead: str
    baseline: str
    entry_state: str | None  # workflow status of the period's entry, None when nothing was entered
    actual: str = ""  # the approved figure as printed; empty without an approved entry
    value: Decimal | None = None  # the approved figure as a number (a rate in percent points)
    is_rate: bool = False
    verdict: str = ""  # Verdict value of the counted entry; "" when none or left to a person
    # An approved result counts for the period (for a cumulative indicator it may be an earlier period's);
    # None leaves it to the period's own entry.
    counted: bool | None = None
    note: str = ""  # the plan's Ghi chú column (Indicator.note)

    @property
    def approved(self) -> bool:
        return self.entry_state == "approved"

    @property
    def has_result(self) -> bool:
        return self.approved if self.counted is None else self.counted

    @property
    def verdict_label(self) -> str:
        if not self.has_result:
            return NO_DATA_LABEL
        return APPENDIX_VERDICT_WORDS.get(self.verdict, UNJUDGED_LABEL)

    @property
    def is_met(self) -> bool:
        return self.has_result and self.verdict in MET_VERDICTS


@dataclass(frozen=True)
class TaskRow:
    section: str
    number: str
    description: str
    lead: str
    deadline: str
    entry_state: str | None
    progress: str = ""  # TaskProgress value of the approved update
    progress_label: str = ""
    percent: int | None = None
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    # The TaskState the dashboards count (tracking.selectors.task_state, as of the report's date); ""
    # leaves it to the approved progress alone (no deadline known).
    state: str = ""
    note: str = ""  # the plan's Ghi chú column (Task.note)

    @property
    def approved(self) -> bool:
        return self.entry_state == "approved"

    @property
    def task_state(self) -> str:
        if self.state:
            return self.state
        return _STATE_OF_PROGRESS.get(self.progress, TASK_NO_DATA) if self.approved else TASK_NO_DATA

    @property
    def state_label(self) -> str:
        return TASK_STATE_LABELS[self.task_state]

    @property
    def outcome(self) -> str:
        """`Tiến độ/kết quả` cell: progress, percent and what was achieved; `Chưa có số liệu` otherwise."""
        if not self.approved:
            return NO_DATA_LABEL
        head = f"{self.progress_label} ({self.percent}%)" if self.percent is not None else self.progress_label
        return f"{head}. {self.results}" if self.results else head


@dataclass(frozen=True)
class TrendRow:
    """One indicator across the periods of the year so far: baseline, target, each period's approved value."""

    number: str
    name: str
    baseline: str
    target: str
    values: list[str]
    verdict: str  # Verdict value of the latest approved entry, "" when none or undecided
    has_data: bool

    @property
    def verdict_label(self) -> str:
        if not self.has_data:
            return NO_DATA_LABEL
        return VERDICT_WORDS.get(self.verdict, UNJUDGED_LABEL)


@dataclass(frozen=True)
class BudgetRow:
    source: str
    item: str
    planned: int | None
    spent: int | None
    year: int = 0

    @property
    def planned_text(self) -> str:
        return format_number(Decimal(self.planned)) if self.planned is not None else ""

    @property
    def spent_text(self) -> str:
        return format_number(Decimal(self.spent)) if self.spent is not None else ""


def _sum(amounts) -> int | None:
    """A column's total; None when no line of it has a figure (printed as a blank, not as `0`)."""
    known = [amount for amount in amounts if amount is not None]
    return sum(known) if known else None


@dataclass(frozen=True)
class BudgetSourceGroup:
    """The lines of one funding source in one year, with their subtotals (`I. Ngân sách nhà nước`)."""

    number: str
    source: str
    rows: list[BudgetRow]

    @property
    def planned(self) -> int | None:
        return _sum(row.planned for row in self.rows)

    @property
    def spent(self) -> int | None:
        return _sum(row.spent for row in self.rows)

    @property
    def planned_text(self) -> str:
        return format_number(Decimal(self.planned)) if self.planned is not None else ""

    @property
    def spent_text(self) -> str:
        return format_number(Decimal(self.spent)) if self.spent is not None else ""


@dataclass(frozen=True)
class BudgetYear:
    """One year's spending lines by source, and its totals in figures and in words."""

    year: int
    sources: list[BudgetSourceGroup]

    @property
    def rows(self) -> list[BudgetRow]:
        return [row for group in self.sources for row in group.rows]

    @property
    def planned(self) -> int | None:
        return _sum(row.planned for row in self.rows)

    @property
    def spent(self) -> int | None:
        return _sum(row.spent for row in self.rows)

    @property
    def planned_text(self) -> str:
        return money(self.planned)

    @property
    def spent_text(self) -> str:
        return money(self.spent)

    @property
    def planned_figure(self) -> str:
        return format_number(Decimal(self.planned)) if self.planned is not None else ""

    @property
    def spent_figure(self) -> str:
        return format_number(Decimal(self.spent)) if self.spent is not None else ""

    @property
    def planned_words(self) -> str:
        return amount_in_words(self.planned) if self.planned is not None else ""

    @property
    def spent_words(self) -> str:
        return amount_in_words(self.spent) if self.spent is not None else ""


def budget_years(rows: list[BudgetRow]) -> list[BudgetYear]:
    """The lines by year (oldest first), each year's by source in the order the sources first appear."""
    years: OrderedDict[int, OrderedDict[str, list[BudgetRow]]] = OrderedDict()
    for row in sorted(rows, key=lambda row: row.year):
        years.setdefault(row.year, OrderedDict()).setdefault(row.source, []).append(row)
    return [
        BudgetYear(
            year,
            [
                BudgetSourceGroup(_ROMAN_NUMERALS[index], source, lines)
                for index, (source, lines) in enumerate(sources.items())
            ],
        )
        for year, sources in years.items()
    ]


@dataclass(frozen=True)
class MissingItem:
    kind: str  # "chỉ tiêu" | "nhiệm vụ"
    number: str
    name: str
    state: str

    def __str__(self) -> str:
        number = f" {self.number}" if self.number else ""
        return f"{self.kind.capitalize()}{number}: {self.name} ({self.state})"


def verdict_tally(met: int, not_achieved: int, without_data: int, total: int) -> str:
    """A table's closing row: `Đạt 3/35 chỉ tiêu; chưa đạt 5; chưa có số liệu 27`, counted from its rows."""
    return f"Đạt {met}/{total} chỉ tiêu; chưa đạt {not_achieved}; chưa có số liệu {without_data}"


@dataclass(frozen=True)
class Summary:
    indicators_total: int
    indicators_met: int
    indicators_without_data: int
    tasks_total: int
    tasks_without_data: int
    indicators_not_achieved: int = 0
    tasks_by_state: dict[str, int] = field(default_factory=dict)

    @property
    def task_tally(self) -> str:
        """`2 hoàn thành; 1 đúng tiến độ; 0 chậm tiến độ; 3 quá hạn; 21 chưa triển khai, chưa duyệt`."""
        return "; ".join(
            f"{self.tasks_by_state.get(state, 0)} {label.lower()}"
            for state, label in TASK_STATE_LABELS.items()
        )

    @property
    def tally(self) -> str:
        return verdict_tally(
            self.indicators_met,
            self.indicators_not_achieved,
            self.indicators_without_data,
            self.indicators_total,
        )

    @property
    def line(self) -> str:
        return f"Đạt {self.indicators_met}/{self.indicators_total} chỉ tiêu"

    @property
    def met_share(self) -> Decimal | None:
        if not self.indicators_total:
            return None
        return Decimal(self.indicators_met) / Decimal(self.indicators_total)


@dataclass
class ReportContent:
    """Everything printed in the report, whatever the format."""

    issuing_body: str  # `ỦY BAN NHÂN DÂN XÃ NGHĨA ĐÀN`
    commune_name: str  # `xã Nghĩa Đàn`
    province_name: str
    number: str  # `05/BC-UBND`
    date_line: str
    report_date: dt.date
    subject: str
    intro: str
    period_code: str
    period_label: str
    year: int
    version: int
    correction_note: str
    narrative: dict[str, str]
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    indicators: list[IndicatorRow]
    tasks: list[TaskRow]
    budget: list[BudgetRow]
    trend_periods: list[str]
    trend: list[TrendRow]
    is_draft: bool = False
    summary: Summary = field(init=False)
    missing: list[MissingItem] = field(init=False)

    def __post_init__(self) -> None:
        self.summary = summarise(self.indicators, self.tasks)
        self.missing = missing_items(self.indicators, self.tasks)

    @property
    def issuing_body_lines(self) -> list[str]:
        """`ỦY BAN NHÂN DÂN` / `XÃ NGHĨA ĐÀN`: the committee on one line, the commune under it."""
        head = "ỦY BAN NHÂN DÂN"
        if self.issuing_body.startswith(head + " "):
            return [head, self.issuing_body[len(head) + 1 :]]
        return [self.issuing_body]

    @property
    def indicators_have_notes(self) -> bool:
        """Phụ lục I gets a Ghi chú column only when the plan wrote one: otherwise the names keep the room."""
        return any(row.note for row in self.indicators)

    @property
    def tasks_have_notes(self) -> bool:
        return any(row.note for row in self.tasks)

    @property
    def verdict_rule(self) -> str:
        return VERDICT_RULE

    @property
    def issuing_body_title(self) -> str:
        return f"Ủy ban nhân dân {self.commune_name}"

    @property
    def budget_years(self) -> list[BudgetYear]:
        """The plan's spending lines up to the report's year, by year: a plan that opens with last year's
        assessment (Định Tiến's 2024 spending in its 2025 plan) prints that year under its own heading."""
        return budget_years(self.budget)

    @property
    def budget_spent_total(self) -> int:
        """Spent in the report's own year (the summary's figure; earlier years are printed apart)."""
        return sum(row.spent or 0 for row in self.budget if row.year in (self.year, 0))

    @property
    def budget_spent_total_text(self) -> str:
        """`481.179.000 đồng`; a year other than the report's is named: `481.179.000 đồng (năm 2024)`."""
        years = [y for y in self.budget_years if y.spent is not None]
        if not years:
            return money(0)
        return "; ".join(
            y.spent_text if y.year in (self.year, 0) else f"{y.spent_text} (năm {y.year})" for y in years
        )

    @property
    def has_budget(self) -> bool:
        """Whether the report has a Kinh phí section: any line, planned or spent."""
        return any(row.planned is not None or row.spent is not None for row in self.budget)

    @property
    def trend_tally(self) -> str:
        """Phụ lục III's closing row, counted from its own `Đánh giá` column."""
        return verdict_tally(
            sum(1 for row in self.trend if row.has_data and row.verdict in MET_VERDICTS),
            sum(1 for row in self.trend if row.has_data and row.verdict == Verdict.NOT_ACHIEVED),
            sum(1 for row in self.trend if not row.has_data),
            len(self.trend),
        )

    def grouped_indicators(self) -> list[tuple[str, list[IndicatorRow]]]:
        return _grouped(self.indicators)

    def grouped_tasks(self) -> list[tuple[str, list[TaskRow]]]:
        return _grouped(self.tasks)


NARRATIVE_SECTIONS = (
    ("overall_assessment", "Đánh giá chung"),
    ("results_by_area", "Kết quả theo từng lĩnh vực"),
    ("shortcomings", "Tồn tại, hạn chế và nguyên nhân"),
    ("difficulties", "Khó khăn, vướng mắc"),
    ("proposals", "Kiến nghị, đề xuất với tỉnh"),
    ("next_tasks", "Nhiệm vụ trọng tâm kỳ tới"),
)


def _grouped(rows):
    groups: OrderedDict[str, list] = OrderedDict()
    for row in rows:
        groups.setdefault(row.section, []).append(row)
    return list(groups.items())


# -- counts ---------------------------------------------------------------------------------------------


def summarise(indicators: list[IndicatorRow], tasks: list[TaskRow]) -> Summary:
    return Summary(
        indicators_total=len(indicators),
        indicators_met=sum(1 for row in indicators if row.is_met),
        indicators_without_data=sum(1 for row in indicators if not row.has_result),
        indicators_not_achieved=sum(
            1 for row in indicators if row.has_result and row.verdict == Verdict.NOT_ACHIEVED
        ),
        tasks_total=len(tasks),
        tasks_without_data=sum(1 for row in tasks if not row.approved),
        tasks_by_state={
            state: sum(1 for row in tasks if row.task_state == state) for state in TASK_STATE_LABELS
        },
    )


def missing_items(indicators: list[IndicatorRow], tasks: list[TaskRow]) -> list[MissingItem]:
    """Every row the report cannot count yet, with why: not entered, a draft, waiting for review, returned."""
    found = [
        MissingItem("chỉ tiêu", row.number, row.name, ENTRY_STATE_WORDS[row.entry_state])
        for row in indicators
        if not row.approved
    ]
    found += [
        MissingItem("nhiệm vụ", row.number, row.description, ENTRY_STATE_WORDS[row.entry_state])
        for row in tasks
        if not row.approved
    ]
    return found


# -- prefilled narrative --------------------------------------------------------------------------------


def _clip(text: str, limit: int = 160) -> str:
    """A prefilled sentence's quote of an item, cut at a word: a leader signs this text."""
    return shorten(" ".join(text.split()).rstrip(" .;:,"), limit)


def _item(number: str, text: str, limit: int = 160) -> str:
    return f"{number}. {_clip(text, limit)}" if number else _clip(text, limit)


def prefill_narrative(
    *,
    indicators: list[IndicatorRow],
    tasks: list[TaskRow],
    period_label: str,
    commune_name: str,
    done: str,
    behind: str,
    in_progress: str,
    not_started: str,
) -> dict[str, str]:
    """First drafts of the six narrative sections, from the approved entries, for the reviewer to edit.

    The progress codes (`done`, ...) come in as arguments so this module stays free of the task models.
    """
    summary = summarise(indicators, tasks)
    states = summary.tasks_by_state
    overall = [
        f"Trong {period_label}, Ủy ban nhân dân {commune_name} đã chỉ đạo các phòng, ban, đơn vị triển khai "
        "các nhiệm vụ chuyển đổi số theo kế hoạch.",
        f"Về chỉ tiêu: đạt {summary.indicators_met}/{summary.indicators_total} chỉ tiêu"
        + (
            f"; {summary.indicators_without_data} chỉ tiêu chưa có số liệu được duyệt."
            if summary.indicators_without_data
            else "."
        ),
        f"Về nhiệm vụ (trên tổng số {summary.tasks_total} nhiệm vụ): "
        + ", ".join(f"{states.get(state, 0)} {words}" for state, words in TASK_STATE_WORDS.items())
        + ".",
    ]

    by_area: list[str] = []
    for section, rows in _grouped(indicators):
        if any(row.has_result for row in rows):
            met = sum(1 for row in rows if row.is_met)
            by_area.append(f"- Nhóm chỉ tiêu {section}: đạt {met}/{len(rows)} chỉ tiêu.")
    for section, rows in _grouped(tasks):
        finished = [row for row in rows if row.approved and row.progress == done]
        if finished:
            by_area.append(f"- {section}: hoàn thành {len(finished)}/{len(rows)} nhiệm vụ.")
            by_area.extend(
                f"+ {_item(row.number, row.description, 100)}: {_clip(row.results, 160)}"
                for row in finished
                if row.results
            )

    shortcomings = [
        f"- Chỉ tiêu {_item(row.number, row.name, 100)}: kết quả {row.actual}, mục tiêu {row.target}."
        for row in indicators
        if row.has_result and row.verdict == Verdict.NOT_ACHIEVED
    ]
    shortcomings += [
        f"- Nhiệm vụ {_item(row.number, row.description, 100)}: chậm tiến độ"
        + (f" (đạt {row.percent}%)." if row.percent is not None else ".")
        for row in tasks
        if row.approved and row.progress == behind and row.task_state != TASK_OVERDUE
    ]
    shortcomings += [
        f"- Nhiệm vụ {_item(row.number, row.description, 100)}: quá hạn"
        + (f" (thời hạn {row.deadline})." if row.deadline else ".")
        for row in tasks
        if row.task_state == TASK_OVERDUE
    ]
    if summary.indicators_without_data or summary.tasks_without_data:
        shortcomings.append(
            f"- Còn {summary.indicators_without_data} chỉ tiêu và {summary.tasks_without_data} nhiệm vụ "
            "chưa có số liệu được duyệt trong kỳ."
        )
    causes = _merged(tasks, "difficulties")
    if causes and shortcomings:
        shortcomings.append("Nguyên nhân: " + "; ".join(text.rstrip(".") for text, _numbers in causes) + ".")

    lagging = [
        row.number or _clip(row.description, 60)
        for row in tasks
        if row.task_state == TASK_OVERDUE or (row.approved and row.progress in (behind, not_started))
    ]
    ongoing = sum(1 for row in tasks if row.approved and row.progress == in_progress)
    next_tasks = []
    if lagging:
        next_tasks.append(
            "- Tập trung đẩy nhanh tiến độ các nhiệm vụ quá hạn, chậm tiến độ, chưa triển khai "
            f"(nhiệm vụ {', '.join(lagging)})."
        )
    if ongoing:
        next_tasks.append(
            f"- Tiếp tục triển khai {ongoing} nhiệm vụ đang thực hiện và các nhiệm vụ thường xuyên "
            "theo Kế hoạch (chi tiết tại Phụ lục II)."
        )
    if summary.tasks_without_data:
        next_tasks.append(
            f"- Đôn đốc các đơn vị báo cáo {summary.tasks_without_data} nhiệm vụ chưa có báo cáo được duyệt."
        )
    if summary.indicators_without_data:
        next_tasks.append(
            f"- Đôn đốc các đơn vị cập nhật số liệu {summary.indicators_without_data} chỉ tiêu "
            "chưa có số liệu được duyệt."
        )
    return {
        "overall_assessment": "\n".join(overall),
        "results_by_area": "\n".join(by_area),
        "shortcomings": "\n".join(shortcomings),
        "difficulties": "\n".join(_cited(_merged(tasks, "difficulties"))),
        "proposals": "\n".join(_cited(_merged(tasks, "proposals"))),
        "next_tasks": "\n".join(next_tasks),
    }


def _merged(tasks: list[TaskRow], attribute: str) -> list[tuple[str, list[str]]]:
    """The same sentence written on several tasks is said once, citing the task numbers."""
    merged: OrderedDict[str, list[str]] = OrderedDict()
    for row in tasks:
        text = " ".join(getattr(row, attribute).split())
        if row.approved and text:
            merged.setdefault(text, []).append(row.number)
    return list(merged.items())


def _cited(merged: list[tuple[str, list[str]]]) -> list[str]:
    lines = []
    for text, numbers in merged:
        cited = ", ".join(n for n in numbers if n)
        lines.append(f"- {text}" + (f" (nhiệm vụ {cited})" if cited else ""))
    return lines
