"""What the indicator-result and task-update pages share: scoped look-ups and the save-or-explain flow."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from evidence.services import evidence_attach_all
from plans import entries
from plans.models import ReportingPeriod
from plans.workflow import WorkflowStatus
from units.scope import can_edit_item, can_read_item, scope_for


def get_item_for_user(request: HttpRequest, queryset, pk: int):
    """An indicator or task the user may read, or 404 (another commune's or another unit's row)."""
    item = get_object_or_404(queryset.for_user(request.user), pk=pk)
    if not can_read_item(scope_for(request.user), item):
        raise Http404
    return item


def get_period_for_item(item, period_id: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.for_commune(item.plan.commune), pk=period_id)


def ensure_editor(request: HttpRequest, item) -> None:
    if not can_edit_item(scope_for(request.user), item):
        raise PermissionDenied("Chỉ cán bộ của đơn vị chủ trì mới được nhập mục này.")


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def save_entry(
    request: HttpRequest,
    *,
    form,
    save: Callable[[dict, bool], object],
    template: str,
    context: dict,
    stored,
    success_url: str,
) -> HttpResponse:
    """Validate, save through the service (draft or submit), attach files; or re-render with the reason.

    A draft saved over a submitted entry takes it out of the review queue, so the page asks first.
    """
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        if (
            not submit
            and stored is not None
            and stored.status == WorkflowStatus.SUBMITTED
            and request.POST.get("confirm_draft") != "1"
        ):
            return render(request, template, {**context, "form": form, "confirm_draft": True}, status=409)
        try:
            with transaction.atomic():
                entry = save(form.cleaned_data, submit)
                evidence_attach_all(
                    owner=entry, uploads=form.cleaned_data.get("evidence") or [], actor=request.user
                )
        except entries.EditConflict as conflict:
            messages.error(
                request, "Mục này vừa được người khác lưu. Hãy xem hai phiên bản dưới đây rồi lưu lại."
            )
            context["conflict"] = conflict.current
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã gửi để thẩm định." if submit else "Đã lưu nháp.")
            return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=200 if not form.errors else 400)
