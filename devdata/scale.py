"""A province at full size for benchmarks: communes with plans shaped like the seed plans, a year of entries.

`province_build` makes province `Quy Mô` (code QM) with communes `Quy Mô 001`.. (codes QM001..), each with one
2026 plan drawn from the rows of the four seed plans (fixtures/plans), the units those plans name, four users
(`qm001.canbo`, `qm001.vhxh`, `qm001.thamdinh`, `qm001.lanhdao`), a province viewer `so.quymo`, and monthly
entries with their quarters. The latest month (and the quarter it completes) is open, earlier periods locked.

Every random choice comes from `random.Random` seeded with the seed and the commune code, so a commune's data
is the same whatever the number of communes built with it. Units, plans, sections, indicators, targets, tasks
and their unit assignments are made by the services' builders (`unit_build`, `plan_build`, `indicator_build`
and the rest), so they are cleaned and derived as every plan is, but written in bulk (`bulk_create`, and COPY
for the many small rows): one-row writes would take far too long for a province (about 190,000 entries).
Entries take the same verdict rule (`indicators.targets.evaluate`) directly, and no history rows are written
(this data was never edited by anyone).
"""

import datetime as dt
import functools
import io
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from api.models import ApiClient
from catalogue.models import CatalogueEntry
from common.text import clean_text, match_unit, split_unit_cell, unit_key
from indicators.models import Indicator, IndicatorAssignment, IndicatorResult, Target
from indicators.services import (
    indicator_assignments_build,
    indicator_build,
    indicator_unit_cells,
    target_build,
)
from indicators.targets import Comparator, ParsedTarget, TargetKind, evaluate, parse_target
from plans.models import (
    BudgetLine,
    PeriodKind,
    PeriodLockEvent,
    Plan,
    PlanKind,
    ReportingPeriod,
    Section,
    SectionKind,
)
from plans.periods import MONTH, QUARTER, PeriodSpec
from plans.services import plan_build, section_build
from plans.workflow import WorkflowStatus
from tasks.deadlines import DeadlineKind, ParsedDeadline, is_countable_overdue, parse_deadline
from tasks.models import Task, TaskAssignment, TaskContribution, TaskProgress, TaskUpdate
from tasks.services import task_assignments_build, task_build, task_unit_cells
from units.models import (
    Commune,
    CommuneKind,
    Membership,
    Province,
    ProvinceAdministrator,
    ProvinceViewer,
    Role,
    Unit,
    UnitKind,
)
from units.services import unit_build

PROVINCE_NAME = "Quy Mô"
PROVINCE_CODE = "QM"
VIEWER_USERNAME = "so.quymo"
YEAR = 2026
SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "plans"
BATCH = 2000
_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The seed plans name their own commune and province; a scale plan speaks of "xã" and "tỉnh" in general,
# so the same units merge across seeds (`Ủy ban nhân dân xã Nghĩa Đàn` and `Ủy ban nhân dân xã`).
_GENERIC = [
    ("phường Tây Hiếu", "xã"),
    ("xã Nghĩa Đàn", "xã"),
    ("xã Định Tiến", "xã"),
    ("xã Mai Phụ", "xã"),
    ("Phường", "Xã"),
    ("phường", "xã"),
    ("tỉnh Nghệ An", "tỉnh"),
    ("tỉnh Hà Tĩnh", "tỉnh"),
    ("tỉnh Thanh Hóa", "tỉnh"),
]
# Prose plans give most duties no deadline; an appendix like Nghĩa Đàn's gives one per row in these forms.
_DEADLINES = [
    "Quý 1/2026",
    "Quý 2/2026",
    "Quý 3/2026",
    "Quý 4/2026",
    "2026",
    "Năm 2026",
    "Tháng 10/2026",
    "06/2026",
    "Trước ngày 30/6/2026",
    "Trước 31/12/2025",
    "6 tháng đầu năm 2026",
    "Thường xuyên",
    "Thường xuyên",
    "Khi có yêu cầu",
    "Khi có hướng dẫn mới",
    "Theo Đề án 06",
    "Theo sổ tay hướng dẫn của KH 02",
    "Sau khi có kinh phí",
    "",
]
_RETURN_COMMENTS = [
    "Đề nghị bổ sung tài liệu kiểm chứng.",
    "Đề nghị nêu rõ số liệu kết quả.",
    "Số liệu chưa khớp với báo cáo kỳ trước, đề nghị kiểm tra lại.",
]
_DIFFICULTIES = [
    "Thiếu kinh phí và thiết bị.",
    "Nhân lực thực hiện còn kiêm nhiệm, chưa được đào tạo chuyên sâu.",
    "Hạ tầng mạng tại một số thôn chưa ổn định.",
]
_PROPOSALS = [
    "Đề nghị cấp trên hỗ trợ kinh phí thực hiện.",
    "Đề nghị tổ chức tập huấn cho cán bộ phụ trách.",
]


@dataclass(frozen=True)
class UnitSpec:
    name: str
    short_name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class GroupSpec:
    kind: str
    number: str
    title: str
    parent: int | None


@dataclass(frozen=True)
class RowSpec:
    group: int
    text: str  # indicator name or task description
    lead: str
    coordinating: str
    monitoring: str
    target_or_deadline: str
    note: str
    baseline_year: int | None = None
    baseline_text: str = ""


@dataclass
class Template:
    """Everything the four seed plans offer, merged once: units, headings and rows."""

    units: list[UnitSpec]
    lookup: dict[str, int]  # unit_key of every spelling -> index in `units`
    groups: list[GroupSpec]
    indicators: list[RowSpec]
    tasks: list[RowSpec]
    legal_bases: list[str]
    recipients: list[str]
    budget: list[dict]


@dataclass
class BuildSummary:
    communes: int = 0
    units: int = 0
    indicators: int = 0
    tasks: int = 0
    periods: int = 0
    results: int = 0
    updates: int = 0
    users: int = 0


def _generic(text: str) -> str:
    for old, new in _GENERIC:
        text = text.replace(old, new)
    return clean_text(text)


@functools.cache
def template() -> Template:
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEED_DIR.glob("*.json"))]
    units: list[UnitSpec] = []
    lookup: dict[str, int] = {}
    for document in documents:
        for data in document.get("units", []):
            name = _generic(data["name"])
            spellings = [_generic(s) for s in [data.get("short_name", ""), *data.get("aliases", [])] if s]
            index = lookup.get(unit_key(name))
            if index is None:
                index = len(units)
                lookup[unit_key(name)] = index
                units.append(UnitSpec(name, "", data.get("kind", UnitKind.OFFICE), ()))
            spec = units[index]
            # A spelling another unit already owns is dropped: one spelling names one unit in a commune.
            fresh = [s for s in spellings if unit_key(s) not in lookup]
            for spelling in fresh:
                lookup[unit_key(spelling)] = index
            own_short = _generic(data.get("short_name", ""))
            short = spec.short_name or (own_short if own_short in fresh else "")
            units[index] = UnitSpec(
                spec.name, short, spec.kind, tuple(s for s in (*spec.aliases, *fresh) if s != short)
            )

    groups: list[GroupSpec] = []
    indicators: list[RowSpec] = []
    tasks: list[RowSpec] = []
    for document in documents:
        for kind, sections_key, rows_key, rows in (
            (SectionKind.INDICATORS, "indicator_sections", "indicators", indicators),
            (SectionKind.TASKS, "task_sections", "tasks", tasks),
        ):
            for section in document.get(sections_key, []):
                parent = _group(groups, kind, section, None)
                rows.extend(_row(parent, row, kind) for row in section.get(rows_key, []))
                for sub in section.get("subsections", []):
                    index = _group(groups, kind, sub, parent)
                    rows.extend(_row(index, row, kind) for row in sub.get(rows_key, []))
    appendix = next(d for d in documents if d["plan"].get("legal_bases") and d.get("indicator_sections"))
    return Template(
        units=units,
        lookup=lookup,
        groups=groups,
        indicators=indicators,
        tasks=tasks,
        legal_bases=[_generic(line) for line in appendix["plan"]["legal_bases"]],
        recipients=[_generic(line) for line in appendix["plan"].get("recipients", [])],
        budget=[line for d in documents for line in d.get("budget_lines", [])],
    )


def _group(groups: list[GroupSpec], kind: str, data: dict, parent: int | None) -> int:
    groups.append(GroupSpec(kind, clean_text(data.get("number", "")), _generic(data["title"]), parent))
    return len(groups) - 1


def _row(group: int, data: dict, kind: str) -> RowSpec:
    baseline = data.get("baseline") or {}
    return RowSpec(
        group=group,
        text=_generic(data["name"] if kind == SectionKind.INDICATORS else data["description"]),
        lead=_generic(data.get("lead", "")),
        coordinating=_generic(data.get("coordinating", "")),
        monitoring=_generic(data.get("monitoring", "")),
        target_or_deadline=clean_text(
            data.get("target" if kind == SectionKind.INDICATORS else "deadline", "")
        ),
        note=_generic(data.get("note", "")),
        baseline_year=baseline.get("year"),
        baseline_text=clean_text(baseline.get("text", "")),
    )


@functools.cache
def _target(text: str) -> ParsedTarget:
    return parse_target(text)


@functools.cache
def _deadline(text: str) -> ParsedDeadline:
    return parse_deadline(text)


@functools.cache
def _mentions(cell: str) -> tuple[tuple[str, int | None], ...]:
    lookup = template().lookup
    return tuple((m, match_unit(m, lookup)) for m in split_unit_cell(cell, lookup.keys()))


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _roman(n: int) -> str:
    return ROMAN[n - 1] if n <= len(ROMAN) else str(n)


# --- the plan of one commune -------------------------------------------------------------------------------


# Offices that lead most rows of an appendix plan; a prose duty with no lead cell gets one of them.
_MAIN_OFFICES = [
    "Văn phòng HĐND và UBND",
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
    "Công an xã",
]


@dataclass
class PlannedRow:
    spec: RowSpec
    text: str  # the target or deadline as printed in this plan
    lead: str  # the lead cell as printed in this plan
    lead_unit: int | None = None  # template unit index of the first resolved lead


def _lead_cell(row: RowSpec, rng: random.Random) -> str:
    """The row's lead cell; prose plans list a unit's duties under its name, so that unit leads them."""
    if row.lead:
        return row.lead
    heading = template().groups[row.group].title
    return (
        heading if _mentions(heading) and _mentions(heading)[0][1] is not None else rng.choice(_MAIN_OFFICES)
    )


def _pick_rows(rng: random.Random, rows: list[RowSpec], count: int, rare) -> list[int]:
    """`count` rows in printed order, always including the rows of rare forms so every plan has each form."""
    forced = [i for i, row in enumerate(rows) if rare(row)]
    rest = [i for i in range(len(rows)) if i not in set(forced)]
    return sorted(forced + rng.sample(rest, min(len(rest), max(0, count - len(forced)))))


def _plan_rows(rng: random.Random) -> tuple[list[PlannedRow], list[PlannedRow]]:
    tpl = template()
    rare_targets = {TargetKind.NUMBER, TargetKind.RANGE, TargetKind.TEXT}
    rare_deadlines = {DeadlineKind.NONE, DeadlineKind.YEAR}
    indicator_ids = _pick_rows(
        rng, tpl.indicators, rng.randint(30, 60), lambda r: _target(r.target_or_deadline).kind in rare_targets
    )
    task_ids = _pick_rows(
        rng,
        tpl.tasks,
        rng.randint(30, 60),
        lambda r: _deadline(r.target_or_deadline).kind not in rare_deadlines,
    )
    indicators = [
        PlannedRow(
            tpl.indicators[i], tpl.indicators[i].target_or_deadline, _lead_cell(tpl.indicators[i], rng)
        )
        for i in indicator_ids
    ]
    # Rows without a deadline take the forms in turn, so a plan with enough such rows has every form.
    forms = itertools.cycle(rng.sample(_DEADLINES, len(_DEADLINES)))
    tasks = [
        PlannedRow(
            tpl.tasks[i], tpl.tasks[i].target_or_deadline or next(forms), _lead_cell(tpl.tasks[i], rng)
        )
        for i in task_ids
    ]
    for row in [*indicators, *tasks]:
        row.lead_unit = next((unit for _m, unit in _mentions(row.lead) if unit is not None), None)
    return indicators, tasks


# --- values over the year -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    flag: bool | None = None
    note: str = ""

    @property
    def effective(self) -> Decimal | None:
        if self.numerator is not None and self.denominator:
            return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))
        return self.value


def _indicator_path(target: ParsedTarget | None, rng: random.Random) -> list[Figure]:
    """Twelve monthly figures that move from a start towards (or past) the target, with some noise."""
    if target is None or target.kind == TargetKind.TEXT:
        notes = ["Đang triển khai theo kế hoạch.", "Đã thực hiện theo hướng dẫn của cấp trên."]
        return [Figure(note=notes[m >= 6]) for m in range(1, 13)]
    if target.kind == TargetKind.BOOLEAN:
        reached = rng.randint(2, 15)  # after 12: not reached this year
        return [Figure(flag=m >= reached) for m in range(1, 13)]
    rate = target.unit == "%"
    goal = float(target.value if target.value is not None else (target.min_value + target.max_value) / 2)
    if target.comparator in (Comparator.LT, Comparator.LTE):
        start, end = goal * rng.uniform(1.5, 3), goal * rng.uniform(0.6, 1.3)
    else:
        start, end = goal * rng.uniform(0.5, 0.9), goal * rng.uniform(0.9, 1.2)
    denominator = rng.randint(300, 6000) if rate and rng.random() < 0.3 else None
    figures = []
    for m in range(1, 13):
        figure = start + (end - start) * m / 12 + rng.uniform(-1.5, 1.5)
        figure = max(0.0, min(100.0, figure) if rate else figure)
        if denominator:
            figures.append(Figure(numerator=round(figure * denominator / 100), denominator=denominator))
        else:
            figures.append(Figure(value=Decimal(str(round(figure, 1 if rate else 0)))))
    return figures


@dataclass(frozen=True)
class Progress:
    progress: str
    percent: int
    results: str
    difficulties: str
    proposals: str


def _task_path(deadline: ParsedDeadline, rng: random.Random) -> list[Progress]:
    """Twelve monthly states: started some month, done by (or after, or never) the deadline."""
    due = deadline.due_date if is_countable_overdue(deadline.kind) else None
    if due is not None and due.year < YEAR:
        finish = rng.choice([1, 2, 3, 5, None])
    elif due is not None:
        shift = rng.choice([-3, -2, -1, 0, 0, 0, 1, 2, None])  # None: not done this year
        finish = None if shift is None else due.month + shift
    elif deadline.kind == DeadlineKind.RECURRING:
        finish = None
    else:
        finish = rng.choice([None, None, rng.randint(3, 12)])
    finish = max(1, finish) if finish is not None else None
    start = rng.randint(1, 3)
    path = []
    for m in range(1, 13):
        month_end = PeriodSpec(MONTH, YEAR, m).end
        if finish is not None and m >= finish:
            path.append(
                Progress(
                    TaskProgress.DONE, 100, f"Đã hoàn thành nhiệm vụ trong tháng {finish}/{YEAR}.", "", ""
                )
            )
            continue
        if m < start:
            path.append(Progress(TaskProgress.NOT_STARTED, 0, "", "", ""))
            continue
        horizon = (finish or 14) - start + 2
        percent = max(5, min(95, round(100 * (m - start + 1) / horizon / 5) * 5))
        late = due is not None and due < month_end
        behind = late or rng.random() < 0.05
        path.append(
            Progress(
                TaskProgress.BEHIND if behind else TaskProgress.IN_PROGRESS,
                percent,
                f"Đã triển khai {percent}% khối lượng công việc.",
                rng.choice(_DIFFICULTIES) if behind else "",
                rng.choice(_PROPOSALS) if behind and rng.random() < 0.5 else "",
            )
        )
    return path


# --- statuses --------------------------------------------------------------------------------------------

# Cumulative shares: an open period is mid-way, a locked one mostly approved with a few loose ends.
_OPEN_SHARES = [(None, 0.25), (WorkflowStatus.DRAFT, 0.40), (WorkflowStatus.SUBMITTED, 0.70)]
_OPEN_SHARES += [(WorkflowStatus.RETURNED, 0.78), (WorkflowStatus.APPROVED, 1.0)]
_LOCKED_SHARES = [(None, 0.04), (WorkflowStatus.RETURNED, 0.06), (WorkflowStatus.SUBMITTED, 0.08)]
_LOCKED_SHARES += [(WorkflowStatus.APPROVED, 1.0)]


def _status(rng: random.Random, is_open: bool) -> str | None:
    roll = rng.random()
    return next(status for status, share in (_OPEN_SHARES if is_open else _LOCKED_SHARES) if roll < share)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=_TZ)


def _workflow(rng: random.Random, status: str, author_id, reviewer_id, period: ReportingPeriod) -> tuple:
    """The workflow columns of one entry as the services leave them, ending with its created/updated times.

    Columns: status, author, submitted_at, reviewed_by, reviewed_at, review_comment, version, created_at,
    updated_at.
    """
    written = _at(period.end - dt.timedelta(days=rng.randint(0, 9)), 9)
    if status == WorkflowStatus.DRAFT:
        return (status, author_id, None, None, None, "", 1, written, written)
    if status == WorkflowStatus.SUBMITTED:
        return (status, author_id, written, None, None, "", 1, written, written)
    reviewed = written + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 6))
    comment = rng.choice(_RETURN_COMMENTS) if status == WorkflowStatus.RETURNED else ""
    return (status, author_id, written, reviewer_id, reviewed, comment, 2, written, reviewed)


_WORKFLOW_FIELDS = [
    "status",
    "author",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "version",
    "created_at",
    "updated_at",
]
_RESULT_FIELDS = ["indicator", "period", "value", "numerator", "denominator", "flag", "verdict", "note"]
_RESULT_FIELDS += ["verdict_override_reason"]
_UPDATE_FIELDS = ["task", "period", "progress", "percent_complete", "results", "difficulties", "proposals"]


def _insert_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    """Insert plain rows: COPY on PostgreSQL, executemany elsewhere (SQLite in tests).

    `bulk_create` prepares every value of every model instance in Python, which for a province's 190,000
    entries costs over a minute; the values here are already what the columns hold (NFC text, ids, Decimals).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            lines = ("\t".join(map(_copy_text, row)) + "\n" for row in rows)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO("".join(lines)))
        else:
            adapt = connection.ops.adapt_datetimefield_value
            rows = [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
            placeholders = ", ".join(["%s"] * len(field_names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def _periods(province: Province, months: int) -> list[tuple[ReportingPeriod, int]]:
    """Province-wide months 1..`months` and the quarters they complete, each with the month it reports."""
    specs = [(PeriodSpec(MONTH, YEAR, m), m) for m in range(1, months + 1)]
    specs += [(PeriodSpec(QUARTER, YEAR, q), 3 * q) for q in range(1, 5) if 3 * q <= months]
    periods = []
    for spec, month in specs:
        is_open = month == months
        periods.append(
            (
                ReportingPeriod(
                    province=province,
                    commune=None,
                    kind=PeriodKind(spec.kind),
                    year=spec.year,
                    number=spec.number,
                    start=spec.start,
                    end=spec.end,
                    due_date=spec.end + dt.timedelta(days=5),
                    locked_at=None if is_open else _at(spec.end + dt.timedelta(days=10), 17),
                ),
                month,
            )
        )
    ReportingPeriod.objects.bulk_create([p for p, _m in periods])
    return periods


_TARGET_FIELDS = ["indicator", "year", "raw_text", "kind", "comparator", "value", "min_value", "max_value"]
_TARGET_FIELDS += ["unit_of_measure", "qualifier"]
_TARGET_ATTRS = ["indicator_id", *_TARGET_FIELDS[1:]]


def _unit_mentions(cells, units: list[Unit]) -> list[tuple[str, str, Unit | None]]:
    """(role, words, unit) of the mentions in (role, cell) pairs, resolved once per cell on the template."""
    return [
        (role, mention, units[u] if u is not None else None)
        for role, cell in cells
        for mention, u in _mentions(cell)
    ]


def _create_plan(province_commune: Commune, number: int, rng: random.Random):
    tpl = template()
    units = Unit.objects.bulk_create(
        unit_build(
            commune=province_commune, name=u.name, short_name=u.short_name, kind=u.kind, aliases=u.aliases
        )
        for u in tpl.units
    )
    plan = plan_build(
        commune=province_commune,
        number=f"{rng.randint(10, 99)}/KH-UBND",
        issue_date=dt.date(YEAR, 1, rng.randint(5, 25)),
        place=province_commune.name,
        title=f"Triển khai thực hiện công tác Chuyển đổi số trên địa bàn {province_commune} năm {YEAR}",
        kind=PlanKind.ANNUAL,
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        target_year=YEAR,
        legal_bases=tpl.legal_bases,
        general_objective="Đẩy mạnh chuyển đổi số toàn diện trong hoạt động của hệ thống chính trị xã.",
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name=f"Nguyễn Văn {chr(ord('A') + number % 26)}",
        recipients=tpl.recipients,
        source=f"seed_scale:{province_commune.code}",
    )
    plan.save()
    indicator_rows, task_rows = _plan_rows(rng)

    sections: dict[int, Section] = {}
    for kind, rows in ((SectionKind.INDICATORS, indicator_rows), (SectionKind.TASKS, task_rows)):
        used = sorted({r.spec.group for r in rows} | {tpl.groups[r.spec.group].parent for r in rows} - {None})
        tops = [g for g in used if tpl.groups[g].parent is None]
        # In template order a group comes before its subsections, so a parent is built before its children.
        for order, g in enumerate(used, start=1):
            spec = tpl.groups[g]
            sections[g] = section_build(
                plan=plan,
                kind=kind,
                order=order,
                number=_roman(tops.index(g) + 1) if spec.parent is None else spec.number,
                title=spec.title,
                lookup=tpl.lookup,
                parent=sections[spec.parent] if spec.parent is not None else None,
            )
    # Parents first: a subsection needs its parent's key.
    Section.objects.bulk_create([s for g, s in sections.items() if tpl.groups[g].parent is None])
    Section.objects.bulk_create([s for g, s in sections.items() if tpl.groups[g].parent is not None])

    indicators = Indicator.objects.bulk_create(
        indicator_build(
            plan=plan,
            section=sections[row.spec.group],
            order=order,
            number=str(order),
            name=row.spec.text,
            lead_text=row.lead,
            coordinating_text=row.spec.coordinating,
            note=row.spec.note,
            baseline_year=row.spec.baseline_year,
            baseline_text=row.spec.baseline_text,
        )
        for order, row in enumerate(indicator_rows, start=1)
    )
    targets = [
        target_build(indicator=indicator, year=YEAR, raw_text=row.text)
        for indicator, row in zip(indicators, indicator_rows, strict=True)
        if row.text
    ]
    _insert_rows(Target, _TARGET_FIELDS, [tuple(getattr(t, f) for f in _TARGET_ATTRS) for t in targets])
    _insert_rows(
        IndicatorAssignment,
        ["indicator", "role", "text", "unit", "order"],
        [
            (a.indicator_id, str(a.role), a.text, a.unit_id, a.order)
            for indicator in indicators
            for a in indicator_assignments_build(
                indicator=indicator, mentions=_unit_mentions(indicator_unit_cells(indicator), units)
            )
        ],
    )

    tasks = Task.objects.bulk_create(
        task_build(
            plan=plan,
            section=sections[row.spec.group],
            order=order,
            number=str(order),
            description=row.spec.text,
            lead_text=row.lead,
            coordinating_text=row.spec.coordinating,
            monitoring_text=row.spec.monitoring,
            deadline_text=row.text,
            note=row.spec.note,
        )
        for order, row in enumerate(task_rows, start=1)
    )
    _insert_rows(
        TaskAssignment,
        ["task", "role", "text", "unit", "order"],
        [
            (a.task_id, str(a.role), a.text, a.unit_id, a.order)
            for task in tasks
            for a in task_assignments_build(task=task, mentions=_unit_mentions(task_unit_cells(task), units))
        ],
    )
    budget = []
    for order, line in enumerate(rng.sample(tpl.budget, min(len(tpl.budget), rng.randint(3, 8))), start=1):
        planned = int(round((line.get("planned") or 50_000_000) * rng.uniform(0.5, 1.5), -3))
        spent = int(round(planned * rng.uniform(0.2, 1.0), -3))
        budget.append(
            (plan.pk, YEAR, line.get("source", "other"), _generic(line["item"]), planned, spent, order)
        )
    _insert_rows(
        BudgetLine, ["plan", "year", "source", "item", "planned_amount", "spent_amount", "order"], budget
    )
    parsed = {target.indicator_id: _target(target.raw_text) for target in targets}
    return units, plan, indicators, indicator_rows, parsed, tasks, task_rows


def _is_committee(unit: UnitSpec) -> bool:
    return unit_key(unit.name).startswith(("ủybannhândân", "ubnd"))


# Units whose own staff enter their rows; collective entries and outside bodies have no accounts.
_STAFFED_KINDS = {
    UnitKind.OFFICE,
    UnitKind.POLICE_MILITARY,
    UnitKind.MASS_ORG,
    UnitKind.PUBLIC_SERVICE,
    UnitKind.VILLAGE,
    UnitKind.PARTY,
}


def _unit_label(unit: UnitSpec) -> str:
    return unit.short_name or unit.name


def _people(commune: Commune, units: list[Unit], indicator_rows, task_rows, password_hash: str) -> dict:
    """The users of the contract (clerk of the busiest office, VH-XH head, reviewer, leader) and one clerk
    (`qm001.dv007`) for every other staffed unit that leads a row, so every entry has an author."""
    tpl = template()
    reviewer_unit = tpl.lookup[unit_key("Phòng Văn hóa - Xã hội")]
    leader_unit = next(i for i, u in enumerate(tpl.units) if _is_committee(u))
    led = Counter(r.lead_unit for r in [*indicator_rows, *task_rows] if r.lead_unit is not None)
    offices = [
        i
        for i, u in enumerate(tpl.units)
        if u.kind == UnitKind.OFFICE and i != reviewer_unit and not _is_committee(u) and led[i]
    ]
    clerk_unit = max(offices, key=lambda i: (led[i], -i))
    people = [
        ("canbo", f"Cán bộ {_unit_label(tpl.units[clerk_unit])}", clerk_unit, Role.STAFF),
        ("vhxh", "Trưởng Phòng Văn hóa - Xã hội", reviewer_unit, Role.HEAD),
        ("thamdinh", "Thẩm định Phòng Văn hóa - Xã hội", reviewer_unit, Role.REVIEWER),
        ("lanhdao", f"Chủ tịch UBND xã {commune.name}", leader_unit, Role.LEADER),
    ]
    people += [
        (f"dv{i:03d}", f"Cán bộ {_unit_label(tpl.units[i])}", i, Role.STAFF)
        for i in sorted(led)
        if i not in (clerk_unit, reviewer_unit) and tpl.units[i].kind in _STAFFED_KINDS
    ]
    user_model = get_user_model()
    slug = commune.code.lower()
    users = user_model.objects.bulk_create(
        user_model(username=f"{slug}.{who}", first_name=name, password=password_hash)
        for who, name, _u, _r in people
    )
    _insert_rows(
        Membership,
        ["user", "unit", "role"],
        [
            (user.pk, units[unit].pk, str(role))
            for user, (_w, _n, unit, role) in zip(users, people, strict=True)
        ],
    )
    by_role = {who: user for user, (who, *_rest) in zip(users, people, strict=True)}
    authors = {
        unit: user for user, (_w, _n, unit, role) in zip(users, people, strict=True) if role == Role.STAFF
    }
    authors[reviewer_unit] = by_role["vhxh"]
    by_role["authors"] = authors
    # Rows led by a collective entry or an outside body are compiled by the standing office (VH-XH).
    by_role["fallback_author"] = by_role["vhxh"]
    by_role["count"] = len(users)
    return by_role


def _entries(plan_data, people: dict, periods, seed: str, summary: BuildSummary) -> None:
    _units, _plan, indicators, indicator_rows, targets, tasks, task_rows = plan_data
    last_month = max(month for _p, month in periods)
    reviewer_id = people["thamdinh"].pk
    author_ids = {unit: user.pk for unit, user in people["authors"].items()}
    fallback_id = people["fallback_author"].pk
    results, updates = [], []
    for indicator, row in zip(indicators, indicator_rows, strict=True):
        rng = random.Random(f"{seed}:indicator:{indicator.order}")  # noqa: S311 - synthetic data, not secrets
        target = targets.get(indicator.pk)
        path = _indicator_path(target, rng)
        for period, month in periods:
            status = _status(rng, month == last_month)
            if status is None:
                continue
            figure = path[month - 1]
            verdict = evaluate(target, value=figure.effective, flag=figure.flag) if target else None
            results.append(
                (
                    indicator.pk,
                    period.pk,
                    figure.value,
                    figure.numerator,
                    figure.denominator,
                    figure.flag,
                    verdict.value if verdict else "",
                    figure.note,
                    "",
                    *_workflow(rng, status, author_ids.get(row.lead_unit, fallback_id), reviewer_id, period),
                )
            )
    for task, row in zip(tasks, task_rows, strict=True):
        rng = random.Random(f"{seed}:task:{task.order}")  # noqa: S311 - synthetic data, not secrets
        path = _task_path(_deadline(row.text), rng)
        for period, month in periods:
            status = _status(rng, month == last_month)
            if status is None:
                continue
            step = path[month - 1]
            updates.append(
                (
                    task.pk,
                    period.pk,
                    step.progress,
                    step.percent,
                    step.results,
                    step.difficulties,
                    step.proposals,
                    *_workflow(rng, status, author_ids.get(row.lead_unit, fallback_id), reviewer_id, period),
                )
            )
    _insert_rows(IndicatorResult, _RESULT_FIELDS + _WORKFLOW_FIELDS, results)
    _insert_rows(TaskUpdate, _UPDATE_FIELDS + _WORKFLOW_FIELDS, updates)
    summary.results += len(results)
    summary.updates += len(updates)


def province_exists() -> bool:
    return Province.objects.filter(name=PROVINCE_NAME).exists()


@transaction.atomic
def province_build(*, communes: int, months: int, seed: int, password: str) -> BuildSummary:
    """Build the scale province; the caller makes sure it does not exist yet."""
    if not 1 <= months <= 12:
        raise ValueError("Số tháng phải từ 1 đến 12.")
    if communes < 1:
        raise ValueError("Số xã phải lớn hơn 0.")
    summary = BuildSummary()
    password_hash = make_password(password)  # hashed once: hashing per user would take minutes
    province = Province.objects.create(name=PROVINCE_NAME, code=PROVINCE_CODE)
    viewer = get_user_model().objects.create(
        username=VIEWER_USERNAME, first_name=f"Cán bộ Sở KH&CN tỉnh {PROVINCE_NAME}", password=password_hash
    )
    ProvinceViewer.objects.create(user=viewer, province=province)
    periods = _periods(province, months)
    width = max(3, len(str(communes)))
    for number in range(1, communes + 1):
        code = f"{PROVINCE_CODE}{number:0{width}d}"
        commune = Commune.objects.create(
            province=province, name=f"{PROVINCE_NAME} {number:0{width}d}", kind=CommuneKind.XA, code=code
        )
        rng = random.Random(f"{seed}:{code}")  # noqa: S311 - synthetic data, not secrets
        plan_data = _create_plan(commune, number, rng)
        units, _plan, indicators, indicator_rows, _targets, tasks, task_rows = plan_data
        people = _people(commune, units, indicator_rows, task_rows, password_hash)
        _entries(plan_data, people, periods, f"{seed}:{code}", summary)
        summary.communes += 1
        summary.units += len(units)
        summary.indicators += len(indicators)
        summary.tasks += len(tasks)
        summary.users += people["count"]
    summary.users += 1
    summary.periods = len(periods)
    return summary


@transaction.atomic
def province_delete() -> None:
    """Remove the scale province and everything built for it (for `seed_scale --replace`).

    Entries are deleted without their history signals: bulk data has no history worth a row per deletion.
    """
    province = Province.objects.get(name=PROVINCE_NAME)
    plans = Plan.objects.filter(commune__province=province)
    users = get_user_model().objects.filter(memberships__unit__commune__province=province)
    viewers = get_user_model().objects.filter(province_views__province=province)
    for queryset in (
        IndicatorResult.objects.filter(indicator__plan__in=plans),
        TaskUpdate.objects.filter(task__plan__in=plans),
        TaskContribution.objects.filter(task__plan__in=plans),
    ):
        _related_delete(queryset)
    for model in (IndicatorAssignment, Target):
        model.objects.filter(indicator__plan__in=plans).delete()
    TaskAssignment.objects.filter(task__plan__in=plans).delete()
    Indicator.objects.filter(plan__in=plans).delete()
    Task.objects.filter(plan__in=plans).delete()
    Section.objects.filter(plan__in=plans, parent__isnull=False).delete()
    plans.delete()
    # What the province's own screens and the benchmarks attach to it: catalogue, API clients, lock history.
    CatalogueEntry.objects.filter(province=province).delete()
    ApiClient.objects.filter(province=province).delete()
    ProvinceAdministrator.objects.filter(province=province).delete()
    PeriodLockEvent.objects.filter(period__province=province).delete()
    ReportingPeriod.objects.filter(province=province).delete()
    get_user_model().objects.filter(
        pk__in=[*users.values_list("pk", flat=True), *viewers.values_list("pk", flat=True)]
    ).delete()
    Unit.objects.filter(commune__province=province).delete()
    Commune.objects.filter(province=province).delete()
    province.delete()


def _related_delete(queryset) -> None:
    """Delete entries and their evidence rows, skipping the per-row history signal of a normal delete."""
    from evidence.models import Evidence

    field = {IndicatorResult: "result", TaskUpdate: "update", TaskContribution: "contribution"}[
        queryset.model
    ]
    Evidence.objects.filter(**{f"{field}__in": queryset}).delete()
    queryset._raw_delete(queryset.db)
