from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from evidence.models import Evidence
from units.scope import can_read_item, scope_for


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Serve a file only to someone who may read the row it proves; everyone else gets 404."""
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
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
