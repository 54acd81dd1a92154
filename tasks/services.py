from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.text import clean_text
from plans import entries
from plans.models import Plan, ReportingPeriod, Section
from plans.workflow import AssignmentRole
from tasks.deadlines import DeadlineKind, parse_deadline
from tasks.models import Task, TaskAssignment, TaskContribution, TaskProgress, TaskUpdate
from units.models import Unit
from units.scope import item_unit_ids, scope_for
from units.selectors import unit_lookup
from units.services import number_mentions, resolve_unit_cells


def task_unit_cells(task: Task) -> list[tuple[str, str]]:
    """(role, cell) of the task's cells that name units."""
    return [
        (AssignmentRole.LEAD, task.lead_text),
        (AssignmentRole.COORDINATING, task.coordinating_text),
        (AssignmentRole.MONITORING, task.monitoring_text),
    ]


def task_assignments_build(
    *, task: Task, mentions: Iterable[tuple[str, str, Unit | None]]
) -> list[TaskAssignment]:
    """Unsaved assignment rows for (role, words as printed, unit or None) mentions in their cells' order."""
    return [
        TaskAssignment(task=task, role=role, text=text, unit=unit, order=order)
        for role, order, text, unit in number_mentions(mentions)
    ]


def task_assign_units(*, task: Task, lookup: Mapping[str, Unit]) -> None:
    task.assignments.all().delete()
    mentions = resolve_unit_cells(task_unit_cells(task), lookup)
    TaskAssignment.objects.bulk_create(task_assignments_build(task=task, mentions=mentions))


def task_derive(*, task: Task) -> Task:
    """Set what is read from the printed texts: the deadline's kind and date, and the search text."""
    deadline = parse_deadline(task.deadline_text)
    task.deadline_kind, task.due_date = deadline.kind, deadline.due_date
    task.search_text = task.folded_text()
    return task


@transaction.atomic
def task_refresh_parsed(*, task: Task) -> Task:
    """Re-derive the deadline and the units after the printed texts were edited (admin, import)."""
    task_derive(task=task)
    task.save(update_fields=["deadline_kind", "due_date", "search_text"])
    task_assign_units(task=task, lookup=unit_lookup(task.plan.commune))
    return task


def task_build(
    *,
    plan: Plan,
    section: Section,
    order: int,
    number: str,
    description: str,
    lead_text: str = "",
    coordinating_text: str = "",
    monitoring_text: str = "",
    deadline_text: str = "",
    note: str = "",
) -> Task:
    """An unsaved task with its texts cleaned and what they give derived (see `task_derive`)."""
    task = Task(
        plan=plan,
        section=section,
        order=order,
        number=clean_text(number),
        description=clean_text(description),
        lead_text=clean_text(lead_text),
        coordinating_text=clean_text(coordinating_text),
        monitoring_text=clean_text(monitoring_text),
        deadline_text=clean_text(deadline_text),
        note=clean_text(note),
    )
    return task_derive(task=task)


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    section: Section,
    order: int,
    number: str,
    description: str,
    lead_text: str = "",
    coordinating_text: str = "",
    monitoring_text: str = "",
    deadline_text: str = "",
    note: str = "",
    lookup: Mapping[str, Unit],
) -> Task:
    task = task_build(
        plan=plan,
        section=section,
        order=order,
        number=number,
        description=description,
        lead_text=lead_text,
        coordinating_text=coordinating_text,
        monitoring_text=monitoring_text,
        deadline_text=deadline_text,
        note=note,
    )
    task.full_clean()
    task.save()
    task_assign_units(task=task, lookup=lookup)
    return task


@transaction.atomic
def task_update_save(
    *,
    task: Task,
    period: ReportingPeriod,
    actor,
    progress: str,
    percent_complete: int,
    results: str = "",
    difficulties: str = "",
    proposals: str = "",
    submit: bool = False,
    expected_version: int | None | entries.Unchecked = entries.ANY_VERSION,
) -> TaskUpdate:
    """Save the lead unit's consolidated update for a period as a draft, or submit it for review.

    A form passes the version it was opened at (0 before the first save); a different stored one is an
    `entries.EditConflict`, and so is a first save of the period made meanwhile.
    """
    entries.lock_parent(task)
    update = (
        TaskUpdate.objects.select_for_update(of=("self",))
        .select_related("period", "reviewed_by")
        .filter(task=task, period=period)
        .first()
    ) or TaskUpdate(task=task, period=period)
    entries.ensure_can_edit(entry=update, actor=actor, lead_unit_ids=item_unit_ids(task, AssignmentRole.LEAD))
    entries.ensure_fresh(entry=update, expected_version=expected_version)
    if not 0 <= percent_complete <= 100:
        raise ValidationError({"percent_complete": "Phần trăm hoàn thành phải từ 0 đến 100."})
    if progress == TaskProgress.DONE and percent_complete != 100:
        raise ValidationError({"percent_complete": "Nhiệm vụ đã hoàn thành thì phần trăm phải là 100."})
    if submit and not clean_text(results) and progress != TaskProgress.NOT_STARTED:
        raise ValidationError({"results": "Vui lòng ghi kết quả đạt được trước khi gửi."})
    update.progress, update.percent_complete = progress, percent_complete
    update.results, update.difficulties, update.proposals = (
        clean_text(results),
        clean_text(difficulties),
        clean_text(proposals),
    )
    entries.mark_saved(entry=update, actor=actor, submit=submit)
    update.full_clean()
    stored = TaskUpdate.objects.filter(task=task, period=period)
    entries.save_or_conflict(entry=update, refetch=stored.first)
    return update


@transaction.atomic
def task_update_approve(*, update: TaskUpdate, actor) -> TaskUpdate:
    return entries.review(entry=update, action=entries.approve, actor=actor)


@transaction.atomic
def task_update_return(*, update: TaskUpdate, actor, comment: str) -> TaskUpdate:
    return entries.review(entry=update, action=entries.send_back, actor=actor, comment=comment)


@transaction.atomic
def task_update_reopen(*, update: TaskUpdate, actor, reason: str) -> TaskUpdate:
    return entries.review(entry=update, action=entries.reopen, actor=actor, reason=reason)


@transaction.atomic
def task_contribution_save(
    *, task: Task, period: ReportingPeriod, unit: Unit, actor, text: str
) -> TaskContribution:
    """A coordinating unit writes its share of the task for the period."""
    if unit.pk not in scope_for(actor).editor_unit_ids:
        raise PermissionDenied("Bạn không thuộc đơn vị này.")
    if not task.assignments.filter(role=AssignmentRole.COORDINATING, unit=unit).exists():
        raise PermissionDenied("Đơn vị này không phối hợp thực hiện nhiệm vụ.")
    if period.is_locked:
        raise ValidationError(f"Kỳ báo cáo {period.code} đã khóa.")
    if not clean_text(text):
        raise ValidationError({"text": "Vui lòng ghi nội dung phối hợp."})
    contribution, _created = TaskContribution.objects.update_or_create(
        task=task, period=period, unit=unit, defaults={"text": clean_text(text), "author": actor}
    )
    return contribution


@transaction.atomic
def task_request_record(*, task: Task, actor, requested_on, due_date) -> Task:
    """Record that the awaited request arrived: from then on the task can be overdue against its date."""
    if not scope_for(actor).can_review(task.plan.commune):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội mới ghi nhận yêu cầu.")
    if task.deadline_kind not in (
        DeadlineKind.ON_REQUEST,
        DeadlineKind.EXTERNAL,
        DeadlineKind.TEXT,
        DeadlineKind.NONE,
    ):
        raise ValidationError("Nhiệm vụ này đã có thời hạn cụ thể.")
    if due_date < requested_on:
        raise ValidationError({"request_due_date": "Hạn hoàn thành phải sau ngày nhận yêu cầu."})
    task.requested_on, task.request_due_date = requested_on, due_date
    task.full_clean()
    task.save(update_fields=["requested_on", "request_due_date"])
    return task
