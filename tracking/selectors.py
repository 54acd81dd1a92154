import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, IndicatorAssignment, IndicatorResult, Target
from indicators.targets import Verdict
from plans.models import Plan, ReportingPeriod, Section, SectionKind
from plans.selectors import open_period, period_for_code, plans_covering
from plans.workflow import AssignmentRole, WorkflowStatus
from tasks.deadlines import DeadlineKind, is_countable_overdue
from tasks.models import Task, TaskAssignment, TaskProgress, TaskUpdate
from units.models import Commune
from units.scope import Scope, can_read_item

NOT_STARTED = "not_started"  # an item with no entry yet for the period
DUE_SOON_DAYS = 14


# -- Period states of a row, as one SQL expression ----------------------------------------------------------
# The dashboards count rows by these states and the plan browser filters by them: both use the same
# expression, so a count on a dashboard is the number of rows its link lists. Only approved entries count.

ENTRY = "period_entry"


class IndicatorState(TextChoices):
    ACHIEVED = Verdict.ACHIEVED.value, _("Đạt")
    EXCEEDED = Verdict.EXCEEDED.value, _("Vượt")
    NOT_ACHIEVED = Verdict.NOT_ACHIEVED.value, _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu duyệt")


MET = "met"  # achieved or exceeded: what "chỉ tiêu đạt" counts
ANY = "any"  # every row of one kind, the other kind hidden: what a dashboard's total counts
MET_STATES = (IndicatorState.ACHIEVED, IndicatorState.EXCEEDED)


class TaskState(TextChoices):
    DONE = "done", _("Hoàn thành")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    OVERDUE = "overdue", _("Quá hạn")
    NO_DATA = "no_data", _("Chưa triển khai, chưa duyệt")


def with_period_entry(queryset: QuerySet, relation: str, period_ids: list[int]) -> QuerySet:
    """Join each row to its entry (`results` or `updates`) in one of these periods, as `period_entry`.

    A commune reports in one period of a code (its own or the province-wide one), so a row has at most one
    entry among the periods a caller passes for that code.
    """
    # Without a period nothing joins: an entry's period is never null (an empty `__in` cannot go in a join).
    lookup = (
        {f"{relation}__period_id__in": period_ids} if period_ids else {f"{relation}__period__isnull": True}
    )
    condition = Q(**lookup)
    return queryset.alias(**{ENTRY: FilteredRelation(relation, condition=condition)})


# The one rule for what an indicator shows for a period (reports.content.VERDICT_RULE prints it under the
# report's tables): the approved result entered for that period; for a cumulative indicator (`is_cumulative`,
# a running total), the latest approved result of a period ending on or before the period's end, since such a
# figure stays true until the next one. Every count (report, Excel, dashboards, roll-up, browser) reads it.
_JUDGED_STATES = (*MET_STATES, IndicatorState.NOT_ACHIEVED)


def _latest_approved(as_of: dt.date) -> QuerySet:
    return IndicatorResult.objects.filter(
        indicator_id=OuterRef("pk"), status=WorkflowStatus.APPROVED, period__end__lte=as_of
    ).order_by("-period__end", "-period__start", "-pk")


def _verdict_state(verdict: str) -> Case:
    return Case(
        *[When(**{verdict: state.value}, then=Value(state.value)) for state in _JUDGED_STATES],
        default=Value(IndicatorState.NO_DATA.value),
        output_field=CharField(),
    )


def cumulative_state(as_of: dt.date) -> Coalesce:
    """A cumulative indicator's state as of a day: its latest approved result's verdict up to then."""
    latest = _latest_approved(as_of).annotate(state=_verdict_state("verdict")).values("state")[:1]
    return Coalesce(Subquery(latest, output_field=CharField()), Value(IndicatorState.NO_DATA.value))


def indicator_state(as_of: dt.date | None) -> Case:
    """The row's IndicatorState under the rule above; `as_of` is the period's end (None: no period)."""
    approved = Q(**{f"{ENTRY}__status": WorkflowStatus.APPROVED})
    own = [
        When(approved & Q(**{f"{ENTRY}__verdict": state.value}), then=Value(state.value))
        for state in _JUDGED_STATES
    ]
    carried = [When(is_cumulative=True, then=cumulative_state(as_of))] if as_of is not None else []
    return Case(
        *carried,
        *own,
        default=Value(IndicatorState.NO_DATA.value),
        output_field=CharField(),
    )


def counted_result(as_of: dt.date | None) -> Case:
    """The id of the approved result the rule counts for the row (None when none): what the report prints."""
    approved = Q(**{f"{ENTRY}__status": WorkflowStatus.APPROVED})
    carried = []
    if as_of is not None:
        latest = _latest_approved(as_of).values("pk")[:1]
        carried = [When(is_cumulative=True, then=Subquery(latest))]
    return Case(*carried, When(approved, then=F(f"{ENTRY}__id")), default=None)


def overdue_condition(today: dt.date) -> Q:
    """TaskQuerySet.overdue's rule as a condition, so a CASE can test it row by row without a subquery."""
    dated = [kind for kind in DeadlineKind if is_countable_overdue(kind)]
    return Q(deadline_kind__in=dated, due_date__lt=today) | Q(request_due_date__lt=today)


def task_state(today: dt.date) -> Case:
    """Done (approved) wins; a passed deadline comes next; then the approved progress."""
    approved = Q(**{f"{ENTRY}__status": WorkflowStatus.APPROVED})
    progress = f"{ENTRY}__progress"
    return Case(
        When(approved & Q(**{progress: TaskProgress.DONE}), then=Value(TaskState.DONE.value)),
        When(overdue_condition(today), then=Value(TaskState.OVERDUE.value)),
        When(approved & Q(**{progress: TaskProgress.BEHIND}), then=Value(TaskState.BEHIND.value)),
        When(approved & Q(**{progress: TaskProgress.IN_PROGRESS}), then=Value(TaskState.ON_TRACK.value)),
        default=Value(TaskState.NO_DATA.value),
        output_field=CharField(),
    )


def indicators_with_state(indicators: QuerySet, period_ids: list[int], *, as_of: dt.date | None) -> QuerySet:
    """Each row with its `state` for the periods `period_ids` (one code) ending on `as_of`."""
    return with_period_entry(indicators, "results", period_ids).annotate(state=indicator_state(as_of))


def tasks_with_state(tasks: QuerySet, period_ids: list[int], today: dt.date) -> QuerySet:
    return with_period_entry(tasks, "updates", period_ids).annotate(state=task_state(today))


def led_by_unit(queryset: QuerySet, unit_id: int) -> QuerySet:
    return queryset.filter(assignments__role=AssignmentRole.LEAD, assignments__unit_id=unit_id).distinct()


def upcoming_tasks(tasks: QuerySet, today: dt.date, days: int) -> QuerySet:
    """Tasks (from `tasks_with_state`) falling due within `days` from today that are not done."""
    return tasks.due_between(today, today + dt.timedelta(days=days)).exclude(state=TaskState.DONE)


# Prefetches order by the parent's key, not by the models' default ordering: that one sorts through the item,
# its plan, commune and province (four joins per query, a third of the page's SQL time at province scale).
def _indicators(period: ReportingPeriod | None, related: tuple[str, ...] = ()) -> QuerySet[Indicator]:
    queryset = Indicator.objects.prefetch_related(
        Prefetch("targets", Target.objects.order_by("indicator_id", "year")),
        Prefetch(
            "assignments",
            IndicatorAssignment.objects.select_related("unit").order_by("indicator_id", "role", "order"),
        ),
    )
    if related:  # select_related() without names would follow every foreign key
        queryset = queryset.select_related(*related)
    if period is not None:
        queryset = queryset.prefetch_related(
            Prefetch(
                "results",
                IndicatorResult.objects.filter(period=period).select_related("reviewed_by").order_by(),
                to_attr="period_entries",
            )
        )
    return queryset


def _tasks(period: ReportingPeriod | None, related: tuple[str, ...] = ()) -> QuerySet[Task]:
    queryset = Task.objects.prefetch_related(
        Prefetch(
            "assignments", TaskAssignment.objects.select_related("unit").order_by("task_id", "role", "order")
        )
    )
    if related:
        queryset = queryset.select_related(*related)
    if period is not None:
        queryset = queryset.prefetch_related(
            Prefetch(
                "updates",
                TaskUpdate.objects.filter(period=period).select_related("reviewed_by").order_by(),
                to_attr="period_entries",
            )
        )
    return queryset


def entry_of(item) -> IndicatorResult | TaskUpdate | None:
    entries = getattr(item, "period_entries", None)
    return entries[0] if entries else None


@dataclass
class WorkItem:
    kind: str  # "indicator" | "task"
    item: Indicator | Task
    entry: IndicatorResult | TaskUpdate | None
    overdue: bool = False
    due_soon: bool = False

    @property
    def state(self) -> str:
        return self.entry.status if self.entry else NOT_STARTED


@dataclass
class MyWork:
    period: ReportingPeriod | None
    items: list[WorkItem] = field(default_factory=list)
    internal_days_left: int | None = None  # to the units' own deadline (ReportingPeriod.internal_due_date)
    plans: list[Plan] = field(default_factory=list)  # the issued plans in effect the rows come from

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)


def my_work(scope: Scope, commune: Commune, today: dt.date) -> MyWork:
    """The rows the user's units lead in the open period, each with its entry and deadline flags; rows of
    every issued plan in effect in the period (plans_covering), never a draft's or a closed plan's."""
    period = open_period(commune, today)
    work = MyWork(period=period)
    if period is not None:
        work.internal_days_left = (period.internal_due_date - today).days
    if period is None or not scope.editor_unit_ids:
        return work
    # `pk IN (led rows)` rather than a join and DISTINCT over every column: planning that took 4 ms a query.
    led = {"role": AssignmentRole.LEAD, "unit_id__in": scope.editor_unit_ids}
    led_indicators = IndicatorAssignment.objects.filter(**led).values("indicator_id")
    led_tasks = TaskAssignment.objects.filter(**led).values("task_id")
    work.plans = list(plans_covering(period).filter(commune=commune).only("id", "title", "number"))
    plan_by_pk = {plan.pk: plan for plan in work.plans}
    # Only the section is joined; joining the plan and commune too cost PostgreSQL 5 ms of planning a query.
    indicators = (
        _indicators(period, ("section",))
        .filter(pk__in=led_indicators, plan_id__in=list(plan_by_pk))
        .order_by("plan_id", "order")
    )
    tasks = (
        _tasks(period, ("section",))
        .filter(pk__in=led_tasks, plan_id__in=list(plan_by_pk))
        .order_by("plan_id", "order")
    )
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    indicators, tasks = list(indicators), list(tasks)
    for item in [*indicators, *tasks]:  # the plan loaded above, told apart on the page when there are several
        item.plan = plan_by_pk[item.plan_id]
    work.items = [WorkItem("indicator", i, entry_of(i)) for i in indicators]
    for task in tasks:
        due = task.effective_due_date
        work.items.append(
            WorkItem(
                "task",
                task,
                entry_of(task),
                overdue=task.is_overdue(today) and not _done(entry_of(task)),
                due_soon=due is not None and today <= due <= soon,
            )
        )
    return work


def _done(entry: TaskUpdate | None) -> bool:
    return entry is not None and entry.progress == "done" and entry.status == WorkflowStatus.APPROVED


@dataclass
class BrowserFilters:
    section: int | None = None
    unit: int | None = None
    status: str = ""
    overdue: bool = False
    q: str = ""
    ky: str = ""  # the period whose entries are shown; the open one when empty
    pillar: str = ""
    verdict: str = ""  # an IndicatorState, MET or ANY
    task_state: str = ""  # a TaskState or ANY
    lead_only: bool = False  # with `unit`: only the rows the unit leads
    due_within: int | None = None  # tasks due in the next N days and not done


def browser_period(commune: Commune, code: str, today: dt.date) -> ReportingPeriod | None:
    return period_for_code(commune, code) if code else open_period(commune, today)


def plan_browser(
    plan: Plan, scope: Scope, filters: BrowserFilters, today: dt.date
) -> tuple[ReportingPeriod | None, list[Section], list[Section]]:
    """The plan's sections as printed, with the rows passing the filters and their entry for the period.

    Every row of the plan is listed (the plan is a public document); an entry's state is shown only where the
    user may read that row's entries.
    """
    period = browser_period(plan.commune, filters.ky, today)
    # The plan and its sections are at hand: joining them to every row made PostgreSQL hash the sections of
    # the whole province (7 ms at 130 communes); they are attached below instead.
    indicators = _indicators(period).filter(plan=plan).search(filters.q).order_by("order")
    tasks = _tasks(period).filter(plan=plan).search(filters.q).order_by("order")
    if filters.section:
        in_section = Q(section_id=filters.section) | Q(section__parent_id=filters.section)
        indicators, tasks = indicators.filter(in_section), tasks.filter(in_section)
    if filters.pillar:
        indicators, tasks = (
            indicators.filter(section__pillar=filters.pillar),
            tasks.filter(section__pillar=filters.pillar),
        )
    if filters.unit and filters.lead_only:
        indicators, tasks = led_by_unit(indicators, filters.unit), led_by_unit(tasks, filters.unit)
    elif filters.unit:
        indicators = indicators.filter(assignments__unit_id=filters.unit).distinct()
        tasks = tasks.filter(assignments__unit_id=filters.unit).distinct()
    if _filters_on_entries(filters) and not scope.reads_whole_commune(plan.commune):
        # Entries are not public like the plan: filtering on their state lists only rows the user may read.
        indicators = indicators.filter(
            pk__in=IndicatorAssignment.objects.filter(unit_id__in=scope.unit_ids).values("indicator_id")
        )
        tasks = tasks.filter(
            pk__in=TaskAssignment.objects.filter(unit_id__in=scope.unit_ids).values("task_id")
        )
    if filters.status and period is not None:
        indicators = _with_status(indicators, "results", period, filters.status)
        tasks = _with_status(tasks, "updates", period, filters.status)
    if filters.overdue:
        indicators = indicators.none()
        tasks = tasks.overdue(today).exclude(
            updates__progress="done", updates__status=WorkflowStatus.APPROVED
        )
    indicators, tasks = _by_state(indicators, tasks, filters, period, today)
    sections = list(plan.sections.order_by("kind", "order"))
    section_by_pk = {section.pk: section for section in sections}
    rows_by_section: dict[int, list] = {}
    for row in [*indicators, *tasks]:
        row.plan, row.section = plan, section_by_pk[row.section_id]
        rows_by_section.setdefault(row.section_id, []).append(row)
    for section in sections:
        section.rows = rows_by_section.get(section.pk, [])
        for row in section.rows:
            row.readable = can_read_item(scope, row)
            row.entry = entry_of(row) if row.readable else None
            row.overdue = isinstance(row, Task) and row.is_overdue(today) and not _done(row.entry)
    visible = [s for s in sections if s.rows or not is_filtering(filters)]
    return (
        period,
        [s for s in visible if s.kind == SectionKind.INDICATORS],
        [s for s in visible if s.kind == SectionKind.TASKS],
    )


def _by_state(
    indicators: QuerySet,
    tasks: QuerySet,
    filters: BrowserFilters,
    period: ReportingPeriod | None,
    today: dt.date,
) -> tuple[QuerySet, QuerySet]:
    """The dashboards' filters: a verdict lists indicators only; a task state or a deadline, tasks only."""
    period_ids = [period.pk] if period is not None else []
    if filters.verdict:
        if filters.verdict != ANY:
            wanted = [s.value for s in MET_STATES] if filters.verdict == MET else [filters.verdict]
            indicators = indicators_with_state(
                indicators, period_ids, as_of=period.end if period is not None else None
            ).filter(state__in=wanted)
        tasks = tasks.none()
    if filters.task_state or filters.due_within:
        indicators = indicators.none()
        tasks = tasks_with_state(tasks, period_ids, today)
        if filters.task_state and filters.task_state != ANY:
            tasks = tasks.filter(state=filters.task_state)
        if filters.due_within:
            tasks = upcoming_tasks(tasks, today, filters.due_within)
    return indicators, tasks


def _filters_on_entries(filters: BrowserFilters) -> bool:
    return bool(
        filters.status or filters.overdue or filters.verdict or filters.task_state or filters.due_within
    )


def is_filtering(filters: BrowserFilters) -> bool:
    return bool(
        filters.section
        or filters.unit
        or filters.status
        or filters.overdue
        or filters.q.strip()
        or filters.pillar
        or filters.verdict
        or filters.task_state
        or filters.due_within
    )


def _with_status(queryset: QuerySet, relation: str, period: ReportingPeriod, status: str) -> QuerySet:
    if status == NOT_STARTED:
        return queryset.exclude(**{f"{relation}__period": period})
    return queryset.filter(**{f"{relation}__period": period, f"{relation}__status": status})
