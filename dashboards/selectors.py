"""What the dashboards count, all in SQL and in a fixed number of queries whatever the size of the data.

Row states come from plans.selectors (`indicators_with_state`, `tasks_with_state`), the same expressions the
plan browser filters by, so every number here is the length of the list its link opens. Only approved
entries count toward achieved and done.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from indicators.models import Indicator
from plans.models import Plan, ReportingPeriod
from plans.periods import PeriodSpec, parse_period_code, period_code
from plans.selectors import open_period, period_for_code, plans_covering
from plans.workflow import AssignmentRole, Pillar, WorkflowStatus
from reports.models import Report, ReportStatus
from tasks.models import Task, TaskProgress
from tracking.selectors import (
    ENTRY,
    MET_STATES,
    NOT_STARTED,
    IndicatorState,
    TaskState,
    cumulative_state,
    indicators_with_state,
    led_by_unit,
    tasks_with_state,
    upcoming_tasks,
    with_period_entry,
)
from units.models import Commune, Province, Unit

UPCOMING_DAYS = 30
# The choices' `.values` is rebuilt on every access; a roll-up reads it hundreds of times.
INDICATOR_STATES = tuple(IndicatorState.values)
TASK_STATES = tuple(TaskState.values)
SUBMISSION_STATES = [
    WorkflowStatus.SUBMITTED,
    WorkflowStatus.APPROVED,
    WorkflowStatus.RETURNED,
    WorkflowStatus.DRAFT,
    NOT_STARTED,
]


@dataclass
class Tally:
    """Rows counted by state; `counts` holds every state of `states`, zero included."""

    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, states, pairs) -> "Tally":
        counts = dict.fromkeys(states, 0)
        for state, n in pairs:
            counts[state] = counts.get(state, 0) + n
        return cls(counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return sum(self.counts.get(s, 0) for s in MET_STATES)


@dataclass
class PillarTally:
    pillar: str
    label: str
    indicators: Tally
    tasks: Tally


@dataclass
class UnitRow:
    unit: Unit
    tasks: Tally
    submissions: Tally  # indicators and tasks the unit leads, by the state of their entry for the period


@dataclass
class TrendPoint:
    code: str
    indicators_met: int
    tasks_done: int


@dataclass
class CommuneDashboard:
    commune: Commune
    plan: Plan | None
    period: ReportingPeriod | None
    unit: Unit | None
    indicators: Tally
    tasks: Tally
    pillars: list[PillarTally]
    units: list[UnitRow]
    upcoming: list[Task]
    trend: list[TrendPoint]
    report: Report | None
    days_left: int | None


def dashboard_period(commune: Commune, code: str, today: dt.date) -> ReportingPeriod | None:
    """The period named by `code`, else the open one, else the latest: what a dashboard shows by default."""
    if code:
        return period_for_code(commune, code)
    return (
        open_period(commune, today)
        or ReportingPeriod.objects.for_commune(commune).order_by("-start", "kind").first()
    )


def commune_periods(commune: Commune) -> list[str]:
    """The period codes the commune can be looked at by, newest first."""
    rows = (
        ReportingPeriod.objects.for_commune(commune)
        .order_by("-start", "kind")
        .values_list("kind", "year", "number")
    )
    return list(dict.fromkeys(period_code(*row) for row in rows))


def dashboard_plans(commune: Commune, period: ReportingPeriod | None) -> list[Plan]:
    """The issued plans in effect in the period, newest first (without a period, every issued plan): what
    the plan picker lists. A draft, however new (an imported blank template), is never among them."""
    plans = plans_covering(period) if period is not None else Plan.objects.issued()
    return list(plans.filter(commune=commune).order_by("-target_year", "-period_end", "-pk"))


def dashboard_plan(
    commune: Commune,
    period: ReportingPeriod | None,
    plan_id: int | None = None,
    plans: list[Plan] | None = None,
) -> Plan | None:
    """The plan a dashboard shows: the one picked (`?ke-hoach=`) among `dashboard_plans`, else the newest;
    None for a pick that is not among them. `plans` spares the query when the caller has the list."""
    plans = dashboard_plans(commune, period) if plans is None else plans
    if plan_id is None:
        return plans[0] if plans else None
    return next((plan for plan in plans if plan.pk == plan_id), None)


def commune_dashboard(
    *,
    commune: Commune,
    plan: Plan | None,
    period: ReportingPeriod | None,
    today: dt.date,
    reports: QuerySet[Report],
    unit: Unit | None = None,
) -> CommuneDashboard:
    """The commune's (or, given `unit`, one unit's) plan at a glance for a period.

    `reports` are the versions the reader may see (reports.selectors.visible_reports): the province never
    learns of a draft.
    """
    empty = CommuneDashboard(
        commune, plan, period, unit, Tally(), Tally(), [], [], [], [], None, _days_left(period, today)
    )
    if plan is None:
        return empty
    period_ids = [period.pk] if period is not None else []
    indicators = Indicator.objects.filter(plan=plan)
    tasks = Task.objects.filter(plan=plan)
    if unit is not None:
        indicators, tasks = led_by_unit(indicators, unit.pk), led_by_unit(tasks, unit.pk)
    as_of = period.end if period is not None else None
    indicator_rows = _by(
        indicators_with_state(indicators, period_ids, as_of=as_of), "section__pillar", "state"
    )
    task_rows = _by(tasks_with_state(tasks, period_ids, today), "section__pillar", "state")
    pillars = _pillar_tallies(indicator_rows, task_rows)
    upcoming = list(
        upcoming_tasks(tasks_with_state(tasks, period_ids, today), today, UPCOMING_DAYS).order_by(
            "due_date", "request_due_date", "order"
        )
    )
    return CommuneDashboard(
        commune=commune,
        plan=plan,
        period=period,
        unit=unit,
        indicators=Tally.of(INDICATOR_STATES, [(s, n) for _p, s, n in indicator_rows]),
        tasks=Tally.of(TASK_STATES, [(s, n) for _p, s, n in task_rows]),
        pillars=pillars,
        units=_unit_rows(plan, period_ids, today, unit),
        upcoming=upcoming,
        trend=_trend(commune, plan, period, indicators, tasks),
        report=reports.filter(plan=plan, period=period).order_by("-version").first() if period else None,
        days_left=_days_left(period, today),
    )


def _days_left(period: ReportingPeriod | None, today: dt.date) -> int | None:
    return (period.due_date - today).days if period is not None else None


def _by(queryset: QuerySet, *keys: str, distinct: bool = True) -> list[tuple]:
    """Rows counted per group; `order_by()` drops the models' default ordering from the GROUP BY.

    `distinct` guards against a join to a many-valued relation (assignments) counting a row twice; without
    such a join it only costs a sort, and the province roll-up leaves it off.
    """
    counted = queryset.values(*keys).annotate(n=Count("id", distinct=distinct)).order_by()
    return [(*(row[k] for k in keys), row["n"]) for row in counted]


def _pillar_tallies(indicator_rows: list[tuple], task_rows: list[tuple]) -> list[PillarTally]:
    indicators, tasks = defaultdict(list), defaultdict(list)
    for pillar, state, n in indicator_rows:
        indicators[pillar].append((state, n))
    for pillar, state, n in task_rows:
        tasks[pillar].append((state, n))
    return [
        PillarTally(
            pillar.value,
            pillar.label,
            Tally.of(INDICATOR_STATES, indicators[pillar.value]),
            Tally.of(TASK_STATES, tasks[pillar.value]),
        )
        for pillar in Pillar
        if pillar.value in indicators or pillar.value in tasks
    ]


def _unit_rows(plan: Plan, period_ids: list[int], today: dt.date, only: Unit | None) -> list[UnitRow]:
    """Per lead unit: its tasks by state, and its rows by the state of their entry for the period."""
    led = Q(assignments__role=AssignmentRole.LEAD, assignments__unit__isnull=False)
    if only is not None:
        led &= Q(assignments__unit=only)
    unit_key = "assignments__unit_id"
    task_states = _by(
        tasks_with_state(Task.objects.filter(led, plan=plan), period_ids, today), unit_key, "state"
    )
    entry_status = f"{ENTRY}__status"
    statuses = [
        *_by(
            with_period_entry(Indicator.objects.filter(led, plan=plan), "results", period_ids),
            unit_key,
            entry_status,
        ),
        *_by(
            with_period_entry(Task.objects.filter(led, plan=plan), "updates", period_ids),
            unit_key,
            entry_status,
        ),
    ]
    tasks_by_unit, status_by_unit = defaultdict(list), defaultdict(list)
    for unit_id, state, n in task_states:
        tasks_by_unit[unit_id].append((state, n))
    for unit_id, status, n in statuses:
        status_by_unit[unit_id].append((status or NOT_STARTED, n))
    units = Unit.objects.filter(pk__in=set(tasks_by_unit) | set(status_by_unit)).order_by("name")
    return [
        UnitRow(
            unit,
            Tally.of(TASK_STATES, tasks_by_unit[unit.pk]),
            Tally.of(SUBMISSION_STATES, status_by_unit[unit.pk]),
        )
        for unit in units
    ]


def _trend(
    commune: Commune, plan: Plan, period: ReportingPeriod | None, indicators: QuerySet, tasks: QuerySet
) -> list[TrendPoint]:
    """Indicators met and tasks done in each period of the year of the same kind as the one shown."""
    if period is None:
        return []
    periods: dict[str, int] = {}
    ends: dict[int, dt.date] = {}
    same_kind = ReportingPeriod.objects.for_commune(commune).filter(kind=period.kind, year=period.year)
    # A commune's own period of a code is the one it reports in; the province-wide one only stands in.
    for period_id, kind, year, number, end in same_kind.order_by(
        "start", F("commune_id").desc(nulls_last=True)
    ).values_list("pk", "kind", "year", "number", "end"):
        periods.setdefault(period_code(kind, year, number), period_id)
        ends[period_id] = end
    # Counted from the plan's own rows, so the database walks a few dozen rows, not the province's entries.
    # The rule of tracking.selectors.indicator_state: a period's own approved result, or for a cumulative
    # indicator the latest approved one up to the period's end (one column per period, in one query).
    met = dict(
        _by(
            indicators.filter(
                is_cumulative=False,
                results__period_id__in=periods.values(),
                results__status=WorkflowStatus.APPROVED,
                results__verdict__in=[s.value for s in MET_STATES],
            ),
            "results__period_id",
        )
    )
    done = dict(
        _by(
            tasks.filter(
                updates__period_id__in=periods.values(),
                updates__status=WorkflowStatus.APPROVED,
                updates__progress=TaskProgress.DONE,
            ),
            "updates__period_id",
        )
    )
    met_states = [s.value for s in MET_STATES]
    # Re-based on the rows' keys: a unit's rows are DISTINCT, and an aggregate over DISTINCT loses aliases.
    cumulative = Indicator.objects.filter(pk__in=indicators.filter(is_cumulative=True).values("pk"))
    carried = cumulative.alias(
        **{f"state_{pk}": cumulative_state(ends[pk]) for pk in periods.values()}
    ).aggregate(
        **{f"met_{pk}": Count("pk", filter=Q(**{f"state_{pk}__in": met_states})) for pk in periods.values()}
    )
    return [
        TrendPoint(code, met.get(pk, 0) + (carried[f"met_{pk}"] or 0), done.get(pk, 0))
        for code, pk in periods.items()
    ]


# -- Province ------------------------------------------------------------------------------------------


SENT, NOT_SENT, NO_PERIOD = "da-gui", "chua-gui", "khong-co-ky"


@dataclass(frozen=True)
class SentReport:
    """One version the commune sent for the period: what the province row links to."""

    pk: int
    version: int
    number: str
    sent_at: dt.datetime
    correction_reason: str


@dataclass
class CommuneRow:
    commune: Commune
    period: ReportingPeriod | None
    indicators: Tally
    tasks: Tally
    pillars: dict[str, Tally]  # pillar -> indicators by state
    sent: list["SentReport"] = field(default_factory=list)  # every sent version, oldest first

    @property
    def first_sent_at(self) -> dt.datetime | None:
        return self.sent[0].sent_at if self.sent else None

    @property
    def last_sent_at(self) -> dt.datetime | None:
        return self.sent[-1].sent_at if self.sent else None

    @property
    def sent_versions(self) -> int:
        return len(self.sent)

    @property
    def sending(self) -> str:
        """The filter's key: `da-gui`, `chua-gui`, or `khong-co-ky` for a commune without the period."""
        if self.period is None:
            return NO_PERIOD
        return SENT if self.sent else NOT_SENT

    @property
    def rate(self) -> float | None:
        """Share of indicators achieved or exceeded, or None when the plan has none."""
        total = self.indicators.total
        return self.indicators.met / total if total else None


@dataclass
class Rollup:
    province: Province
    code: str
    pillar: str
    rows: list[CommuneRow]
    pillars: list[tuple[str, str]]  # the pillars present, in canonical order


def province_rollup(
    *, province: Province, code: str, today: dt.date, pillar: str = "", by_pillar: bool = False
) -> Rollup:
    """One row per commune of the province for the period `code`, each in its own period of that code.

    `by_pillar` also counts each commune's indicators per pillar (the Excel has a column pair per pillar);
    the page does without, and without the join to the sections it needs.
    """
    spec: PeriodSpec = parse_period_code(code)
    communes = list(Commune.objects.filter(province=province).order_by("name"))
    chosen: dict[int, ReportingPeriod] = {}
    province_wide = None
    for period in ReportingPeriod.objects.filter(
        province=province, kind=spec.kind, year=spec.year, number=spec.number
    ):
        if period.commune_id is None:
            province_wide = period
        else:
            chosen[period.commune_id] = period
    for commune in communes:
        if commune.id not in chosen and province_wide is not None:
            chosen[commune.id] = province_wide
    period_ids = sorted({p.pk for p in chosen.values()})
    # Plans in force during the period; a commune with two such plans is counted over both. A commune
    # without the period counts nothing for it (its row says «Không có kỳ này», never «Chưa gửi»).
    plan_commune = dict(
        Plan.objects.issued()
        .filter(
            commune__province=province,
            commune_id__in=list(chosen),
            period_start__lte=spec.end,
            period_end__gte=spec.start,
        )
        .values_list("pk", "commune_id")
    )
    in_force = Q(plan_id__in=list(plan_commune))
    if pillar:
        in_force &= Q(section__pillar=pillar)
    counted = indicators_with_state(Indicator.objects.filter(in_force), period_ids, as_of=spec.end)
    if by_pillar:
        indicator_rows = [
            (plan_commune[plan_id], key, state, n)
            for plan_id, key, state, n in _by(counted, "plan_id", "section__pillar", "state", distinct=False)
        ]
    else:
        indicator_rows = [
            (plan_commune[plan_id], "", state, n)
            for plan_id, state, n in _by(counted, "plan_id", "state", distinct=False)
        ]
    task_rows = _by(
        tasks_with_state(Task.objects.filter(in_force), period_ids, today), "plan_id", "state", distinct=False
    )
    indicators, tasks = defaultdict(list), defaultdict(list)
    per_pillar = defaultdict(lambda: defaultdict(list))
    for commune_id, key, state, n in indicator_rows:
        indicators[commune_id].append((state, n))
        if by_pillar:
            per_pillar[commune_id][key].append((state, n))
    for plan_id, state, n in task_rows:
        tasks[plan_commune[plan_id]].append((state, n))
    sent = defaultdict(list)
    for commune_id, period_id, *fields in (
        Report.objects.filter(
            plan_id__in=list(plan_commune), period_id__in=period_ids, status=ReportStatus.SENT
        )
        .order_by("sent_at", "version")
        .values_list(
            "plan__commune_id", "period_id", "pk", "version", "number", "sent_at", "correction_reason"
        )
    ):
        if chosen[commune_id].pk == period_id:
            sent[commune_id].append(SentReport(*fields))
    present = {key for _c, key, _s, _n in indicator_rows if key}
    rows = []
    for commune in communes:
        rows.append(
            CommuneRow(
                commune=commune,
                period=chosen.get(commune.id),
                indicators=Tally.of(INDICATOR_STATES, indicators[commune.id]),
                tasks=Tally.of(TASK_STATES, tasks[commune.id]),
                pillars={
                    key: Tally.of(INDICATOR_STATES, pairs) for key, pairs in per_pillar[commune.id].items()
                },
                sent=sent[commune.id],
            )
        )
    return Rollup(
        province, spec.code, pillar, rows, [(p.value, p.label) for p in Pillar if p.value in present]
    )


SORTS = {
    "ten": lambda row: row.commune.name,
    "ty-le": lambda row: (row.rate is None, -(row.rate or 0), row.commune.name),
    "qua-han": lambda row: (-row.tasks.counts[TaskState.OVERDUE], row.commune.name),
    "bao-cao": lambda row: (
        row.first_sent_at is None,
        row.first_sent_at or dt.datetime.min.replace(tzinfo=dt.UTC),
        row.commune.name,
    ),
}


SENDING_FILTERS = (SENT, NOT_SENT, NO_PERIOD)


def filtered_rows(rows: list[CommuneRow], sending: str) -> list[CommuneRow]:
    """The rows of one sending state (`da-gui`, `chua-gui`, `khong-co-ky`); empty keeps them all."""
    return [row for row in rows if row.sending == sending] if sending else rows


def sorted_rows(rows: list[CommuneRow], sort: str) -> list[CommuneRow]:
    """Rows in the order the viewer chose; a leading `-` reverses it."""
    key = SORTS.get(sort.lstrip("-"), SORTS["ten"])
    return sorted(rows, key=key, reverse=sort.startswith("-"))


RATE_BANDS = [
    (0.0, 0.2, "0-20%"),
    (0.2, 0.4, "20-40%"),
    (0.4, 0.6, "40-60%"),
    (0.6, 0.8, "60-80%"),
    (0.8, 1.01, "80-100%"),
]


def rate_bands(rows: list[CommuneRow]) -> list[tuple[str, int]]:
    """How many communes fall in each achievement band; communes without indicators are left out."""
    return [
        (label, sum(1 for row in rows if row.rate is not None and low <= row.rate < high))
        for low, high, label in RATE_BANDS
    ]
