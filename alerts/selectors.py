"""What each person should be reminded of today: deadlines, returned entries, the review queue.

A `CommuneSnapshot` holds what one commune's open period holds; everybody's alerts in that commune are worked
out from it in memory. `commune_snapshots` reads those of many communes with a fixed number of queries (nine),
whatever the number of communes, items or people: the daily email reads every commune's at once, a page those
of the user's communes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.urls import reverse

from common.text import shorten
from indicators.models import IndicatorAssignment, IndicatorResult
from plans.models import Plan, ReportingPeriod
from plans.workflow import AssignmentRole, WorkflowStatus
from reports.models import Report, ReportStatus
from tasks.models import Task, TaskAssignment, TaskContribution, TaskProgress, TaskUpdate
from units.models import Commune, Membership, Role, Unit
from units.scope import scope_for

DUE_SOON_DAYS = 7
# Reviewers hear about units that have sent nothing from this many days before the period's due date.
LATE_UNIT_WARNING_DAYS = 3
# Entries the unit has nothing more to do about in this period (a returned one must be corrected and resent).
HANDED_IN = frozenset({WorkflowStatus.SUBMITTED, WorkflowStatus.APPROVED})
# Entries that show the unit has sent something for the period, whatever the reviewer made of it.
SENT = HANDED_IN | {WorkflowStatus.RETURNED}
NO_LEAD_UNIT = "Chưa rõ đơn vị chủ trì"
TEXT_LENGTH = 120


@dataclass(frozen=True)
class AlertItem:
    kind: str  # "indicator" | "task"
    number: str
    text: str
    url: str  # a path; emails put SITE_URL in front
    due_date: dt.date | None = None
    comment: str = ""

    @property
    def kind_label(self) -> str:
        return "Chỉ tiêu" if self.kind == "indicator" else "Nhiệm vụ"

    @property
    def title(self) -> str:
        return f"{self.number}. {self.text}" if self.number else self.text


@dataclass(frozen=True)
class PeriodDeadline:
    """The open period's report is due soon and the user's units still have items not handed in."""

    commune: str
    period: str
    due_date: dt.date
    missing: int
    url: str


@dataclass(frozen=True)
class ReviewDigest:
    """For the reviewer: what waits for review, and which units have sent nothing as the due date nears."""

    commune: str
    period: str
    due_date: dt.date
    url: str
    waiting: tuple[tuple[str, int], ...]  # (lead unit, entries waiting), by unit name
    late_units: tuple[str, ...]

    @property
    def waiting_count(self) -> int:
        return sum(count for _unit, count in self.waiting)


@dataclass(frozen=True)
class ReportAlert:
    """A report to the province waiting for someone: the leader's approval, or the reviewer's rework."""

    commune: str
    period: str
    version: int
    number: str
    url: str
    comment: str = ""

    @property
    def title(self) -> str:
        number = f" số {self.number}" if self.number else ""
        version = f" (phiên bản {self.version})" if self.version > 1 else ""
        return f"Báo cáo kỳ {self.period}{number}{version} – {self.commune}"


@dataclass
class Alerts:
    """One person's digest; the email and the panel on My work show the same thing."""

    today: dt.date
    communes: list[str] = field(default_factory=list)
    due_soon: list[AlertItem] = field(default_factory=list)
    overdue: list[AlertItem] = field(default_factory=list)
    returned: list[AlertItem] = field(default_factory=list)
    to_contribute: list[AlertItem] = field(default_factory=list)
    deadlines: list[PeriodDeadline] = field(default_factory=list)
    reviews: list[ReviewDigest] = field(default_factory=list)
    reports_to_approve: list[ReportAlert] = field(default_factory=list)  # for the leader
    reports_returned: list[ReportAlert] = field(default_factory=list)  # for the reviewer

    @property
    def is_empty(self) -> bool:
        return not (
            self.reports_to_approve
            or self.reports_returned
            or self.due_soon
            or self.overdue
            or self.returned
            or self.to_contribute
            or self.deadlines
            or self.reviews
        )

    @property
    def waiting_count(self) -> int:
        return sum(review.waiting_count for review in self.reviews)

    @property
    def late_unit_count(self) -> int:
        return sum(len(review.late_units) for review in self.reviews)

    @property
    def missing_count(self) -> int:
        return sum(deadline.missing for deadline in self.deadlines)

    def summary(self) -> str:
        """`3 việc sắp đến hạn, 1 việc quá hạn, 1 mục bị trả lại`: the subject line's count of each kind."""
        parts = [
            (len(self.reports_to_approve), "báo cáo chờ duyệt"),
            (len(self.reports_returned), "báo cáo bị trả lại"),
            (len(self.due_soon), "việc sắp đến hạn"),
            (len(self.overdue), "việc quá hạn"),
            (len(self.returned), "mục bị trả lại"),
            (len(self.to_contribute), "việc cần ghi nội dung phối hợp"),
            (self.missing_count, "mục chưa gửi duyệt"),
            (self.waiting_count, "mục chờ thẩm định"),
            (self.late_unit_count, "đơn vị chưa gửi báo cáo"),
        ]
        return ", ".join(f"{count} {label}" for count, label in parts if count)

    def add(self, other: "Alerts") -> None:
        if other.is_empty:
            return
        self.communes.extend(c for c in other.communes if c not in self.communes)
        self.due_soon += other.due_soon
        self.overdue += other.overdue
        self.returned += other.returned
        self.to_contribute += other.to_contribute
        self.deadlines += other.deadlines
        self.reviews += other.reviews
        self.reports_to_approve += other.reports_to_approve
        self.reports_returned += other.reports_returned


@dataclass(frozen=True)
class _Entry:
    status: str
    comment: str
    number: str
    text: str


@dataclass
class CommuneSnapshot:
    commune: Commune
    period: ReportingPeriod
    today: dt.date
    indicator_leads: dict[int, list[int]]  # indicator id -> lead unit ids, in the plan's order
    task_leads: dict[int, list[int]]
    task_coordinators: dict[int, set[int]]
    indicator_entries: dict[int, _Entry]
    task_entries: dict[int, _Entry]
    dated_tasks: list[Task]  # due within DUE_SOON_DAYS or overdue, and not reported finished
    contributed: set[tuple[int, int]]  # (task id, unit id) with a contribution for the period
    units: dict[int, Unit]

    @property
    def horizon(self) -> dt.date:
        return self.today + dt.timedelta(days=DUE_SOON_DAYS)

    # -- one unit group's view (a person's units) --------------------------------------------------------

    def staff_alerts(self, unit_ids: set[int] | frozenset[int]) -> Alerts:
        alerts = Alerts(today=self.today, communes=[self.commune.name])
        led_indicators = {i for i, units in self.indicator_leads.items() if unit_ids.intersection(units)}
        led_tasks = {t for t, units in self.task_leads.items() if unit_ids.intersection(units)}
        for task in self.dated_tasks:
            # The query matches either date; the task's own rule says which one counts (Task.is_overdue).
            due = task.effective_due_date
            if due is None or due > self.horizon:
                continue
            if task.pk in led_tasks:
                target = alerts.overdue if due < self.today else alerts.due_soon
                target.append(self._task_item(task, "tracking:update_edit"))
            elif any((task.pk, unit) not in self.contributed for unit in self._coordinating(task, unit_ids)):
                alerts.to_contribute.append(self._task_item(task, "tracking:contribution_edit"))
        alerts.overdue.sort(key=lambda item: item.due_date)
        alerts.due_soon.sort(key=lambda item: item.due_date)
        alerts.returned = [
            self._entry_item("indicator", pk, entry)
            for pk, entry in sorted(self.indicator_entries.items())
            if pk in led_indicators and entry.status == WorkflowStatus.RETURNED
        ] + [
            self._entry_item("task", pk, entry)
            for pk, entry in sorted(self.task_entries.items())
            if pk in led_tasks and entry.status == WorkflowStatus.RETURNED
        ]
        # The units answer to their internal deadline (plans' calendar), days before the commune's own.
        if self.today >= self.period.internal_due_date - dt.timedelta(days=DUE_SOON_DAYS):
            missing = sum(
                1 for pk in led_indicators if not self._handed_in(self.indicator_entries, pk)
            ) + sum(1 for pk in led_tasks if not self._handed_in(self.task_entries, pk))
            if missing:
                alerts.deadlines.append(
                    PeriodDeadline(
                        self.commune.name,
                        self.period.code,
                        self.period.internal_due_date,
                        missing,
                        reverse("tracking:my_work"),
                    )
                )
        return alerts

    def _coordinating(self, task: Task, unit_ids) -> set[int]:
        return self.task_coordinators.get(task.pk, set()) & set(unit_ids)

    @staticmethod
    def _handed_in(entries: dict[int, _Entry], pk: int) -> bool:
        entry = entries.get(pk)
        return entry is not None and entry.status in HANDED_IN

    def _task_item(self, task: Task, url_name: str) -> AlertItem:
        return AlertItem(
            "task",
            task.number,
            shorten(task.description, TEXT_LENGTH),
            reverse(url_name, args=[task.pk, self.period.pk]),
            due_date=task.effective_due_date,
        )

    def _entry_item(self, kind: str, pk: int, entry: _Entry) -> AlertItem:
        url_name = "tracking:result_edit" if kind == "indicator" else "tracking:update_edit"
        return AlertItem(
            kind,
            entry.number,
            shorten(entry.text, TEXT_LENGTH),
            reverse(url_name, args=[pk, self.period.pk]),
            comment=entry.comment,
        )

    # -- the reviewer's view (the whole commune) ------------------------------------------------------------

    def review_digest(self) -> ReviewDigest | None:
        waiting: dict[str, int] = defaultdict(int)
        for leads, entries in (
            (self.indicator_leads, self.indicator_entries),
            (self.task_leads, self.task_entries),
        ):
            for pk, entry in entries.items():
                if entry.status == WorkflowStatus.SUBMITTED:
                    waiting[self._lead_name(leads.get(pk, []))] += 1
        late = self._late_units() if self._deadline_near() else []
        if not waiting and not late:
            return None
        return ReviewDigest(
            commune=self.commune.name,
            period=self.period.code,
            due_date=self.period.due_date,
            url=f"{reverse('tracking:review')}?ky={self.period.pk}",
            waiting=tuple(sorted(waiting.items())),
            late_units=tuple(late),
        )

    def _deadline_near(self) -> bool:
        # From three days before the due date until the period is locked: a late unit stays listed.
        return self.today >= self.period.due_date - dt.timedelta(days=LATE_UNIT_WARNING_DAYS)

    def _lead_name(self, unit_ids: list[int]) -> str:
        named = [self.units[u].name for u in unit_ids if u in self.units]
        return named[0] if named else NO_LEAD_UNIT

    def _late_units(self) -> list[str]:
        leading: set[int] = set()
        sent: set[int] = set()
        for leads, entries in (
            (self.indicator_leads, self.indicator_entries),
            (self.task_leads, self.task_entries),
        ):
            for pk, unit_ids in leads.items():
                leading.update(unit_ids)
                entry = entries.get(pk)
                if entry is not None and entry.status in SENT:
                    sent.update(unit_ids)
        return sorted(self.units[u].name for u in leading - sent if u in self.units and self.units[u].active)


def commune_snapshot(commune: Commune, today: dt.date, unit_ids=None) -> CommuneSnapshot | None:
    """The commune's open period as the alerts need it; `unit_ids` narrows assignments to those units."""
    return commune_snapshots([commune], today, unit_ids=unit_ids).get(commune.pk)


def _open_periods(communes: list[Commune], today: dt.date) -> dict[int, ReportingPeriod]:
    """Each commune's open period (plans.selectors.open_period's rule: the latest one not locked, its own or
    the province's, and one that has begun unless none has), for every commune in one query."""
    candidates = (
        ReportingPeriod.objects.open()
        .filter(
            Q(commune__in=communes)
            | Q(commune__isnull=True, province_id__in={commune.province_id for commune in communes})
        )
        .order_by()
    )
    own: dict[int, list[ReportingPeriod]] = defaultdict(list)
    provincial: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in candidates:
        (own[period.commune_id] if period.commune_id else provincial[period.province_id]).append(period)
    found = {}
    for commune in communes:
        ranked = [*own[commune.pk], *provincial[commune.province_id]]
        if ranked:
            found[commune.pk] = min(
                ranked, key=lambda p: (p.start > today, -p.start.toordinal(), p.kind, p.pk)
            )
    return found


def commune_snapshots(communes: list[Commune], today: dt.date, unit_ids=None) -> dict[int, CommuneSnapshot]:
    """The snapshots of many communes (those with an open period) in nine queries, whatever their number:
    each table is read once for all of them and its rows are sorted to their commune in memory."""
    periods = _open_periods(communes, today)
    if not periods:
        return {}
    # A plan belongs to one commune, so a plan covering its commune's open period names the commune.
    commune_of_plan = {
        plan_id: commune_id
        for plan_id, commune_id, start, end in Plan.objects.issued()
        .filter(commune_id__in=periods)
        .order_by()
        .values_list("pk", "commune_id", "period_start", "period_end")
        if start <= periods[commune_id].end and end >= periods[commune_id].start
    }
    plans = list(commune_of_plan)
    period_ids = {period.pk for period in periods.values()}

    def in_period(plan_id: int, period_id: int) -> bool:
        return periods[commune_of_plan[plan_id]].pk == period_id

    indicator_assignments = IndicatorAssignment.objects.filter(
        indicator__plan__in=plans, role=AssignmentRole.LEAD, unit__isnull=False
    )
    task_assignments = TaskAssignment.objects.filter(
        task__plan__in=plans, role__in=[AssignmentRole.LEAD, AssignmentRole.COORDINATING], unit__isnull=False
    )
    contributions = TaskContribution.objects.filter(period__in=period_ids, task__plan__in=plans)
    if unit_ids is not None:
        indicator_assignments = indicator_assignments.filter(unit_id__in=unit_ids)
        task_assignments = task_assignments.filter(unit_id__in=unit_ids)
        contributions = contributions.filter(unit_id__in=unit_ids)

    indicator_leads: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for plan_id, indicator_id, unit_id in indicator_assignments.order_by("indicator_id", "order").values_list(
        "indicator__plan_id", "indicator_id", "unit_id"
    ):
        indicator_leads[commune_of_plan[plan_id]][indicator_id].append(unit_id)
    task_leads: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    task_coordinators: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for plan_id, task_id, unit_id, role in task_assignments.order_by("task_id", "order").values_list(
        "task__plan_id", "task_id", "unit_id", "role"
    ):
        if role == AssignmentRole.LEAD:
            task_leads[commune_of_plan[plan_id]][task_id].append(unit_id)
        else:
            task_coordinators[commune_of_plan[plan_id]][task_id].add(unit_id)
    contributed: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for plan_id, period_id, task_id, unit_id in contributions.order_by().values_list(
        "task__plan_id", "period_id", "task_id", "unit_id"
    ):
        if in_period(plan_id, period_id):
            contributed[commune_of_plan[plan_id]].add((task_id, unit_id))
    indicator_entries: dict[int, dict[int, _Entry]] = defaultdict(dict)
    for plan_id, period_id, pk, status, comment, number, name in (
        IndicatorResult.objects.filter(period__in=period_ids, indicator__plan__in=plans)
        .order_by()
        .values_list(
            "indicator__plan_id",
            "period_id",
            "indicator_id",
            "status",
            "review_comment",
            "indicator__number",
            "indicator__name",
        )
    ):
        if in_period(plan_id, period_id):
            indicator_entries[commune_of_plan[plan_id]][pk] = _Entry(status, comment, number, name)
    task_entries: dict[int, dict[int, _Entry]] = defaultdict(dict)
    for plan_id, period_id, pk, status, comment, number, text in (
        TaskUpdate.objects.filter(period__in=period_ids, task__plan__in=plans)
        .order_by()
        .values_list(
            "task__plan_id",
            "period_id",
            "task_id",
            "status",
            "review_comment",
            "task__number",
            "task__description",
        )
    ):
        if in_period(plan_id, period_id):
            task_entries[commune_of_plan[plan_id]][pk] = _Entry(status, comment, number, text)
    dated_tasks: dict[int, list[Task]] = defaultdict(list)
    for task in _dated_tasks(Task.objects.filter(plan__in=plans), today):
        dated_tasks[commune_of_plan[task.plan_id]].append(task)
    units: dict[int, dict[int, Unit]] = defaultdict(dict)
    named = Unit.objects.filter(commune_id__in=periods).order_by().only("id", "commune_id", "name", "active")
    for unit in named:
        units[unit.commune_id][unit.pk] = unit

    return {
        commune.pk: CommuneSnapshot(
            commune=commune,
            period=periods[commune.pk],
            today=today,
            indicator_leads=dict(indicator_leads[commune.pk]),
            task_leads=dict(task_leads[commune.pk]),
            task_coordinators=dict(task_coordinators[commune.pk]),
            indicator_entries=indicator_entries[commune.pk],
            task_entries=task_entries[commune.pk],
            dated_tasks=dated_tasks[commune.pk],
            contributed=contributed[commune.pk],
            units=units[commune.pk],
        )
        for commune in communes
        if commune.pk in periods
    }


def _dated_tasks(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Tasks due within the week or already late, leaving out those reported finished.

    A finished task waiting for approval is left out too: its unit has nothing more to do, and a daily
    reminder about it would only teach people to ignore the email.
    """
    finished = TaskUpdate.objects.filter(task__in=tasks, progress=TaskProgress.DONE, status__in=HANDED_IN)
    finished = finished.values("task_id")  # only these tasks' updates: province-wide it scanned every update
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return (
        # One condition, not `overdue | due_between`: that OR repeated the plan filter on each side and made
        # PostgreSQL scan every task of the province (6 ms of the page at 130 communes).
        tasks.due_by(horizon)
        .exclude(pk__in=finished)
        .only(
            "id", "plan_id", "order", "number", "description", "deadline_kind", "due_date", "request_due_date"
        )
        .order_by("plan_id", "order")
    )


def alerts_for(user: AbstractBaseUser | AnonymousUser, today: dt.date) -> Alerts:
    """The user's digest across their communes: their units' deadlines, the review queue if they review,
    and the reports to the province that wait for them (the leader's approval, the reviewer's rework).

    Costs the scope's queries, one for the communes, nine per commune in which the user edits or reviews,
    and one for the reports if the user reviews or leads a commune.
    """
    alerts = Alerts(today=today)
    scope = scope_for(user)
    if not scope.editor_unit_ids and not scope.reviewer_commune_ids and not scope.leader_commune_ids:
        return alerts
    for commune in Commune.objects.filter(pk__in=scope.member_commune_ids).order_by("name"):
        if commune.pk not in scope.reviewer_commune_ids and not scope.editor_unit_ids:
            continue  # a leader only: nothing of the units' work to be reminded of
        reviews = commune.pk in scope.reviewer_commune_ids
        snapshot = commune_snapshot(commune, today, unit_ids=None if reviews else scope.editor_unit_ids)
        if snapshot is not None:
            alerts.add(_person_alerts(snapshot, scope.editor_unit_ids, reviews))
    waiting = report_alerts(scope.reviewer_commune_ids | scope.leader_commune_ids)
    for commune_id, (to_approve, returned) in waiting.items():
        if commune_id in scope.leader_commune_ids:
            alerts.reports_to_approve += to_approve
        if commune_id in scope.reviewer_commune_ids:
            alerts.reports_returned += returned
    # The email's subject names the communes it speaks of; a leader's may speak only of reports.
    for alert in alerts.reports_to_approve + alerts.reports_returned:
        if alert.commune not in alerts.communes:
            alerts.communes.append(alert.commune)
    return alerts


def report_alerts(commune_ids) -> dict[int, tuple[list[ReportAlert], list[ReportAlert]]]:
    """Per commune, the reports waiting for the leader and those returned to the reviewer (one query)."""
    found: dict[int, tuple[list[ReportAlert], list[ReportAlert]]] = {}
    if not commune_ids:
        return found
    reports = (
        (Report.objects.awaiting_approval() | Report.objects.returned())
        .filter(plan__commune_id__in=commune_ids)
        .select_related("plan__commune", "period")
        .order_by("plan__commune__name", "period__start", "version")
    )
    for report in reports:
        to_approve, returned = found.setdefault(report.plan.commune_id, ([], []))
        alert = ReportAlert(
            commune=report.plan.commune.name,
            period=report.period.code,
            version=report.version,
            number=report.official_number,
            url=reverse("reports:detail", args=[report.pk]),
            comment=report.return_comment if report.status == ReportStatus.DRAFT else "",
        )
        (to_approve if report.status == ReportStatus.SUBMITTED else returned).append(alert)
    return found


def _person_alerts(snapshot: CommuneSnapshot, unit_ids, reviews: bool) -> Alerts:
    alerts = snapshot.staff_alerts(unit_ids)
    digest = snapshot.review_digest() if reviews else None
    if digest is not None:
        alerts.reviews.append(digest)
    return alerts


@dataclass(frozen=True)
class Recipient:
    user: AbstractBaseUser
    alerts: Alerts


def reminder_recipients(today: dt.date) -> list[Recipient]:
    """Everyone who should get an email today: active, with an address, and with something to be told.

    Staff and heads hear about the items their units lead or coordinate, reviewers about their commune's
    queue and the reports returned to them, leaders about the reports waiting for their approval. One
    snapshot per commune serves all its people, and all snapshots are read together: eleven queries
    whatever the number of communes, people or items.
    """
    memberships = (
        Membership.objects.filter(
            user__is_active=True,
            unit__active=True,
            role__in=[Role.STAFF, Role.HEAD, Role.REVIEWER, Role.LEADER],
        )
        .exclude(user__email="")
        .select_related("user", "unit__commune")
        .order_by("unit__commune__name", "user__username")
    )
    communes: dict[int, Commune] = {}
    editors: dict[int, dict[int, set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )  # commune -> user -> units
    reviewers: dict[int, set[int]] = defaultdict(set)
    leaders: dict[int, set[int]] = defaultdict(set)
    users: dict[int, AbstractBaseUser] = {}
    for membership in memberships:
        commune = membership.unit.commune
        communes[commune.pk] = commune
        users[membership.user_id] = membership.user
        if membership.role == Role.REVIEWER:
            reviewers[commune.pk].add(membership.user_id)
        elif membership.role == Role.LEADER:
            leaders[commune.pk].add(membership.user_id)
        else:
            editors[commune.pk][membership.user_id].add(membership.unit_id)

    digests: dict[int, Alerts] = {}
    for commune_id, snapshot in commune_snapshots(list(communes.values()), today).items():
        for user_id in set(editors[commune_id]) | reviewers[commune_id]:
            person = _person_alerts(
                snapshot, editors[commune_id].get(user_id, set()), user_id in reviewers[commune_id]
            )
            digests.setdefault(user_id, Alerts(today=today)).add(person)
    for commune_id, (to_approve, returned) in report_alerts(set(communes)).items():
        name = communes[commune_id].name
        for user_id in leaders[commune_id] if to_approve else ():
            reports = Alerts(today=today, communes=[name], reports_to_approve=list(to_approve))
            digests.setdefault(user_id, Alerts(today=today)).add(reports)
        for user_id in reviewers[commune_id] if returned else ():
            reports = Alerts(today=today, communes=[name], reports_returned=list(returned))
            digests.setdefault(user_id, Alerts(today=today)).add(reports)
    return [
        Recipient(users[user_id], alerts)
        for user_id, alerts in sorted(digests.items(), key=lambda pair: users[pair[0]].username)
        if not alerts.is_empty
    ]
