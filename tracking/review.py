"""The reviewer's queue: what waits for approval, beside the previous period, with what looks unusual."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from indicators.models import IndicatorAssignment, IndicatorResult, Target
from plans import entries
from plans.models import PlanStatus, ReportingPeriod
from plans.periods import PeriodSpec
from plans.workflow import AssignmentRole, WorkflowStatus
from tasks.models import TaskAssignment, TaskUpdate
from units.models import Commune

JUMP_POINTS = Decimal(30)


@dataclass
class ReviewRow:
    kind: str  # "indicator" | "task"
    entry: IndicatorResult | TaskUpdate
    previous: IndicatorResult | TaskUpdate | None
    flags: list[str] = field(default_factory=list)
    own: bool = False  # the reviewer wrote or last changed it, so someone else must review it

    @property
    def item(self):
        return self.entry.indicator if self.kind == "indicator" else self.entry.task

    @property
    def key(self) -> str:
        """What the queue's checkbox posts: the entry and the version the reviewer is shown."""
        return f"{self.kind}:{self.entry.pk}@{self.entry.version}"

    @property
    def target(self) -> Target | None:
        """The target the result was judged against: the period's year, else the latest one."""
        if self.kind != "indicator":
            return None
        targets = list(self.entry.indicator.targets.all())
        year = self.entry.period.year
        return next((t for t in targets if t.year == year), targets[-1] if targets else None)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    spec = PeriodSpec(period.kind, period.year, period.number).previous()
    return (
        ReportingPeriod.objects.filter(kind=spec.kind, year=spec.year, number=spec.number)
        .filter(commune=period.commune, province=period.province)
        .first()
    )


def result_flags(entry: IndicatorResult, previous: IndicatorResult | None) -> list[str]:
    flags = []
    if entry.verdict == "not_achieved":
        flags.append("Chưa đạt mục tiêu")
    now, before = entry.effective_value, previous.effective_value if previous else None
    if now is not None and before is not None:
        if entry.indicator.is_cumulative and now < before:
            flags.append("Thấp hơn kỳ trước (chỉ tiêu cộng dồn)")
        if abs(now - before) > JUMP_POINTS:
            flags.append("Thay đổi hơn 30 điểm so với kỳ trước")
    return flags


def update_flags(entry: TaskUpdate, previous: TaskUpdate | None) -> list[str]:
    flags = []
    if entry.progress == "behind":
        flags.append("Chậm tiến độ")
    if previous is not None:
        if entry.percent_complete < previous.percent_complete:
            flags.append("Tiến độ thấp hơn kỳ trước")
        if entry.percent_complete - previous.percent_complete > JUMP_POINTS:
            flags.append("Tăng hơn 30 điểm so với kỳ trước")
    return flags


def _lead_name(item) -> str:
    leads = [a for a in item.assignments.all() if a.role == AssignmentRole.LEAD and a.unit_id]
    return leads[0].unit.name if leads else "Chưa rõ đơn vị chủ trì"


def review_queue(period: ReportingPeriod, commune: Commune, reviewer=None) -> dict[str, list[ReviewRow]]:
    """The commune's submitted entries of the period by lead unit, each beside the previous period's entry;
    only entries of issued plans (a draft is not yet in force, a closed plan no longer).

    A province-wide period is shared by every commune, so the commune filter is what keeps neighbours out.
    Rows the reviewer wrote or last changed are marked `own`: the workflow refuses them to this reviewer.
    """
    results = (
        IndicatorResult.objects.filter(
            period=period,
            status=WorkflowStatus.SUBMITTED,
            indicator__plan__commune=commune,
            indicator__plan__status=PlanStatus.ISSUED,
        )
        .select_related("indicator__plan__commune", "author", "period")
        .annotate(last_editor_id=entries.last_editor_subquery(IndicatorResult))
        .prefetch_related(
            # Ordered by the parent's key: the default ordering sorts through plan, commune and province.
            Prefetch("indicator__targets", Target.objects.order_by("indicator_id", "year")),
            Prefetch(
                "indicator__assignments",
                IndicatorAssignment.objects.select_related("unit").order_by("indicator_id", "role", "order"),
            ),
            "evidence",
        )
        .order_by("indicator__plan_id", "indicator__order")
    )
    updates = (
        TaskUpdate.objects.filter(
            period=period,
            status=WorkflowStatus.SUBMITTED,
            task__plan__commune=commune,
            task__plan__status=PlanStatus.ISSUED,
        )
        .select_related("task__plan__commune", "author", "period")
        .annotate(last_editor_id=entries.last_editor_subquery(TaskUpdate))
        .prefetch_related(
            Prefetch(
                "task__assignments",
                TaskAssignment.objects.select_related("unit").order_by("task_id", "role", "order"),
            ),
            "evidence",
        )
        .order_by("task__plan_id", "task__order")
    )
    before = previous_period(period)
    previous_results, previous_updates = {}, {}
    if before is not None:
        previous_results = {
            r.indicator_id: r
            for r in IndicatorResult.objects.filter(
                period=before, indicator__in=[r.indicator_id for r in results]
            ).order_by()
        }
        previous_updates = {
            u.task_id: u
            for u in TaskUpdate.objects.filter(
                period=before, task__in=[u.task_id for u in updates]
            ).order_by()
        }
    groups: dict[str, list[ReviewRow]] = {}
    for result in results:
        previous = previous_results.get(result.indicator_id)
        if previous is not None:  # its summary reads the target through these: share what is loaded
            previous.indicator, previous.period = result.indicator, before
        row = ReviewRow("indicator", result, previous, result_flags(result, previous))
        row.own = reviewer is not None and entries.is_own_entry(result, reviewer)
        groups.setdefault(_lead_name(result.indicator), []).append(row)
    for update in updates:
        previous = previous_updates.get(update.task_id)
        if previous is not None:
            previous.task, previous.period = update.task, before
        row = ReviewRow("task", update, previous, update_flags(update, previous))
        row.own = reviewer is not None and entries.is_own_entry(update, reviewer)
        groups.setdefault(_lead_name(update.task), []).append(row)
    return dict(sorted(groups.items()))
