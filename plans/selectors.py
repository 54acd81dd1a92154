import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from indicators.models import Indicator, IndicatorAssignment, IndicatorResult
from plans.models import Plan, Section, SectionKind
from plans.workflow import AssignmentRole, WorkflowStatus
from reports.models import ReportingPeriod
from tasks.models import Task, TaskAssignment, TaskUpdate
from units.models import Commune
from units.scope import Scope, can_read_item

NOT_STARTED = "not_started"  # an item with no entry yet for the period
DUE_SOON_DAYS = 14


def open_period(commune: Commune) -> ReportingPeriod | None:
    """The period the commune is reporting on now: the latest one not yet locked."""
    return ReportingPeriod.objects.for_commune(commune).open().order_by("-start", "kind").first()


def plans_covering(period: ReportingPeriod) -> QuerySet[Plan]:
    return Plan.objects.filter(period_start__lte=period.end, period_end__gte=period.start)


def _indicators(period: ReportingPeriod | None) -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related("section", "plan__commune").prefetch_related(
        "targets", Prefetch("assignments", IndicatorAssignment.objects.select_related("unit"))
    )
    if period is not None:
        queryset = queryset.prefetch_related(
            Prefetch(
                "results",
                IndicatorResult.objects.filter(period=period).select_related("reviewed_by"),
                to_attr="period_entries",
            )
        )
    return queryset


def _tasks(period: ReportingPeriod | None) -> QuerySet[Task]:
    queryset = Task.objects.select_related("section", "plan__commune").prefetch_related(
        Prefetch("assignments", TaskAssignment.objects.select_related("unit"))
    )
    if period is not None:
        queryset = queryset.prefetch_related(
            Prefetch(
                "updates",
                TaskUpdate.objects.filter(period=period).select_related("reviewed_by"),
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

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)


def my_work(scope: Scope, commune: Commune, today: dt.date) -> MyWork:
    """The rows the user's units lead in the open period, each with its entry and deadline flags."""
    period = open_period(commune)
    work = MyWork(period=period)
    if period is None or not scope.editor_unit_ids:
        return work
    led = Q(assignments__role=AssignmentRole.LEAD, assignments__unit_id__in=scope.editor_unit_ids)
    plans = plans_covering(period).filter(commune=commune)
    indicators = _indicators(period).filter(led, plan__in=plans).distinct().order_by("plan_id", "order")
    tasks = _tasks(period).filter(led, plan__in=plans).distinct().order_by("plan_id", "order")
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
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


def plan_browser(
    plan: Plan, scope: Scope, filters: BrowserFilters, today: dt.date
) -> tuple[ReportingPeriod | None, list[Section], list[Section]]:
    """The plan's sections as printed, with the rows passing the filters and their open-period entry.

    Every row of the plan is listed (the plan is a public document); an entry's state is shown only where the
    user may read that row's entries.
    """
    period = open_period(plan.commune)
    indicators = _indicators(period).filter(plan=plan).search(filters.q).order_by("order")
    tasks = _tasks(period).filter(plan=plan).search(filters.q).order_by("order")
    if filters.section:
        in_section = Q(section_id=filters.section) | Q(section__parent_id=filters.section)
        indicators, tasks = indicators.filter(in_section), tasks.filter(in_section)
    if filters.unit:
        indicators = indicators.filter(assignments__unit_id=filters.unit).distinct()
        tasks = tasks.filter(assignments__unit_id=filters.unit).distinct()
    if filters.status and period is not None:
        indicators = _with_status(indicators, "results", period, filters.status)
        tasks = _with_status(tasks, "updates", period, filters.status)
    if filters.overdue:
        indicators = indicators.none()
        tasks = tasks.overdue(today).exclude(
            updates__progress="done", updates__status=WorkflowStatus.APPROVED
        )
    sections = list(plan.sections.order_by("kind", "order"))
    rows_by_section: dict[int, list] = {}
    for row in [*indicators, *tasks]:
        rows_by_section.setdefault(row.section_id, []).append(row)
    for section in sections:
        section.rows = rows_by_section.get(section.pk, [])
        for row in section.rows:
            row.readable = can_read_item(scope, row)
            row.entry = entry_of(row) if row.readable else None
            row.overdue = isinstance(row, Task) and row.is_overdue(today) and not _done(row.entry)
    visible = [s for s in sections if s.rows or not _filtering(filters)]
    return (
        period,
        [s for s in visible if s.kind == SectionKind.INDICATORS],
        [s for s in visible if s.kind == SectionKind.TASKS],
    )


def _filtering(filters: BrowserFilters) -> bool:
    return bool(filters.section or filters.unit or filters.status or filters.overdue or filters.q.strip())


def _with_status(queryset: QuerySet, relation: str, period: ReportingPeriod, status: str) -> QuerySet:
    if status == NOT_STARTED:
        return queryset.exclude(**{f"{relation}__period": period})
    return queryset.filter(**{f"{relation}__period": period, f"{relation}__status": status})
