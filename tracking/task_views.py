from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evidence.services import evidence_attach_all
from plans import entries
from plans.selectors import open_period
from plans.workflow import AssignmentRole
from tasks.models import Task, TaskContribution, TaskUpdate
from tasks.services import task_contribution_save, task_request_record, task_update_save
from tracking.entry_forms import ContributionForm, TaskRequestForm, TaskUpdateForm
from tracking.entry_views import (
    apply_errors,
    ensure_editor,
    get_item_for_user,
    get_period_for_item,
    save_entry,
)
from units.scope import can_edit_item, item_unit_ids, scope_for


def _task(request: HttpRequest, task_id: int) -> Task:
    return get_item_for_user(
        request, Task.objects.with_related().prefetch_related("assignments__unit"), task_id
    )


def _my_coordinating_units(request: HttpRequest, task: Task):
    mine = scope_for(request.user).editor_unit_ids & item_unit_ids(task, AssignmentRole.COORDINATING)
    return [
        a.unit for a in task.assignments.all() if a.unit_id in mine and a.role == AssignmentRole.COORDINATING
    ]


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    scope = scope_for(request.user)
    updates = list(
        task.updates.select_related("period", "author", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-period__start")
    )
    contributions = task.contributions.select_related("unit", "period", "author").prefetch_related("evidence")
    history = (
        TaskUpdate.history.filter(task_id=task.pk)
        .select_related("history_user", "period")
        .order_by("-history_date")[:50]
    )
    return render(
        request,
        "tracking/task_detail.html",
        {
            "task": task,
            "updates": updates,
            "contributions": contributions.order_by("-period__start", "unit__name"),
            "history": history,
            "period": open_period(task.plan.commune, timezone.localdate()),
            "can_edit": can_edit_item(scope, task),
            "can_review": scope.can_review(task.plan.commune),
            "coordinating_units": _my_coordinating_units(request, task),
            "request_form": TaskRequestForm(plan=task.plan),
        },
    )


@login_required
def update_edit(request: HttpRequest, task_id: int, period_id: int) -> HttpResponse:
    task = _task(request, task_id)
    period = get_period_for_item(task, period_id)
    update = task.updates.select_related("period", "reviewed_by").filter(period=period).first()
    context = {
        "task": task,
        "period": period,
        "update": update,
        "contributions": TaskContribution.objects.filter(task=task, period=period).select_related(
            "unit", "author"
        ),
        "locked_reason": entries.locked_reason(update or TaskUpdate(task=task, period=period)),
        "can_edit": can_edit_item(scope_for(request.user), task),
    }
    if request.method != "POST":
        initial = {"progress": "in_progress", "percent_complete": 0, "version": 0}
        if update is not None:
            initial = {
                "progress": update.progress,
                "percent_complete": update.percent_complete,
                "results": update.results,
                "difficulties": update.difficulties,
                "proposals": update.proposals,
                "version": update.version,
            }
        return render(
            request, "tracking/update_form.html", {**context, "form": TaskUpdateForm(initial=initial)}
        )
    ensure_editor(request, task)
    form = TaskUpdateForm(request.POST, request.FILES)

    def save(data: dict, submit: bool) -> TaskUpdate:
        return task_update_save(
            task=task,
            period=period,
            actor=request.user,
            progress=data["progress"],
            percent_complete=data["percent_complete"],
            results=data.get("results", ""),
            difficulties=data.get("difficulties", ""),
            proposals=data.get("proposals", ""),
            submit=submit,
            expected_version=data.get("version"),
        )

    return save_entry(
        request,
        form=form,
        save=save,
        template="tracking/update_form.html",
        context=context,
        stored=update,
        success_url=reverse("tracking:task_detail", args=[task.pk]),
    )


@login_required
def contribution_edit(request: HttpRequest, task_id: int, period_id: int) -> HttpResponse:
    task = _task(request, task_id)
    period = get_period_for_item(task, period_id)
    units = _my_coordinating_units(request, task)
    if not units:
        raise PermissionDenied("Chỉ đơn vị phối hợp mới ghi nội dung phối hợp.")
    unit = units[0]
    existing = TaskContribution.objects.filter(task=task, period=period, unit=unit).first()
    form = ContributionForm(
        request.POST or None, request.FILES or None, initial={"text": existing.text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contribution = task_contribution_save(
                    task=task, period=period, unit=unit, actor=request.user, text=form.cleaned_data["text"]
                )
                evidence_attach_all(
                    owner=contribution, uploads=form.cleaned_data.get("evidence") or [], actor=request.user
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã lưu nội dung phối hợp.")
            return redirect("tracking:task_detail", task.pk)
    return render(
        request,
        "tracking/contribution_form.html",
        {
            "task": task,
            "period": period,
            "unit": unit,
            "form": form,
            "locked_reason": entries.period_lock_text(period) if period.is_locked else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def request_record(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = TaskRequestForm(request.POST, plan=task.plan)
    if form.is_valid():
        try:
            task_request_record(
                task=task,
                actor=request.user,
                requested_on=form.cleaned_data["requested_on"],
                due_date=form.cleaned_data["request_due_date"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Đã ghi nhận yêu cầu và hạn hoàn thành.")
    else:
        # The form lives in a panel of the task page, so its reasons come back as messages there.
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("tracking:task_detail", task.pk)
