from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from common.downloads import file_download
from evidence import services
from evidence.models import Evidence
from units.scope import can_read_item, scope_for


def _get_evidence_for_user(request: HttpRequest, evidence_id: int) -> Evidence:
    """A file whose entry the user may read, or 404 (another commune's, another unit's, or no such file)."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "result__indicator__plan__commune",
            "update__task__plan__commune",
            "contribution__task__plan__commune",
        ),
        pk=evidence_id,
    )
    owner = evidence.owner
    item = owner.indicator if evidence.result_id else owner.task
    if not can_read_item(scope_for(request.user), item):
        raise Http404
    return evidence


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Serve a file only to someone who may read the row it proves; everyone else gets 404."""
    evidence = _get_evidence_for_user(request, evidence_id)
    return file_download(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Remove a file: 404 to whoever may not read its entry, 403 to a reader who may not remove it."""
    evidence = _get_evidence_for_user(request, evidence_id)
    owner = evidence.owner
    services.evidence_remove(evidence=evidence, actor=request.user)
    messages.success(request, f"Đã xóa tài liệu «{evidence.original_name}».")
    if request.headers.get("HX-Request"):
        # The button may sit on any page showing the file: that page is shown again, without the file.
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    if evidence.result_id:
        return redirect("tracking:indicator_detail", owner.indicator_id)
    return redirect("tracking:task_detail", owner.task_id)
