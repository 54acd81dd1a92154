"""The province administrator's pages for API clients, and the API's docs page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import services
from api.docs import operations, shapes
from api.endpoints import api
from api.forms import ApiClientForm
from api.models import ApiClient
from units.models import Province
from units.scope import scope_for


def _administered_provinces(user):
    """The provinces whose clients the user manages; 403 for anyone who administers none."""
    scope = scope_for(user)
    if scope.is_admin:
        return Province.objects.all()
    if not scope.admin_province_ids:
        raise PermissionDenied("Chỉ quản trị tỉnh mới quản lý được mã truy cập API.")
    return Province.objects.filter(pk__in=scope.admin_province_ids)


@never_cache
@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """The province's clients; a POST issues a new token and shows it on this answer only."""
    provinces = _administered_provinces(request.user)
    form = ApiClientForm(request.POST or None, provinces=provinces)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            client, token = services.api_client_create(
                province=form.cleaned_data["province"], name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            issued = {"client": client, "token": token}
            form = ApiClientForm(provinces=provinces)
    clients = ApiClient.objects.for_user(request.user).select_related("province", "created_by", "revoked_by")
    context = {"form": form, "clients": clients, "issued": issued}
    return render(request, "api/client_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def client_revoke(request: HttpRequest, client_id: int) -> HttpResponse:
    _administered_provinces(request.user)
    client = get_object_or_404(ApiClient.objects.for_user(request.user), pk=client_id)
    services.api_client_revoke(client=client, actor=request.user)
    messages.success(request, f"Đã thu hồi mã của «{client.name}»: từ nay mã này nhận 401.")
    return redirect("api:client_list")


@login_required
def docs(request: HttpRequest) -> HttpResponse:
    """The API described in Vietnamese from its own OpenAPI schema, so the page cannot drift from the code."""
    schema = api.get_openapi_schema()
    context = {"operations": operations(schema), "shapes": shapes(schema), "schema": schema}
    return render(request, "api/docs.html", context)
